"""Log a test user into an AppTest script: the session state the log-in page would set.

Runs inside the script (same process as AppTest), against the app's own database
(DATABASE_URL); a user missing from that database is created, so pages on an empty database
can be tested too.
"""

from sqlmodel import select

USERS = {
    "admin": ("Alva Admin", "admin"),
    "revisor": ("Karin Ek", "revisor"),
    "revisor2": ("Omar Lund", "revisor"),
    "chef": ("Lars Berg", "forvaltningschef"),
    "lasare": ("Utskottets läsare", "lasare"),
    "mas": ("Eva Sjöberg", "utredare"),
}


def login_as(username: str) -> None:
    import streamlit as st

    from audit_app.models import Role, User
    from audit_app.ui import db

    display_name, role = USERS[username]
    with db() as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            user = User(
                username=username, display_name=display_name, role=Role(role), password_hash="-"
            )
            session.add(user)
            session.flush()
        st.session_state["auth.user"] = {
            "id": str(user.id),
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role.value,
        }


def shown(markdown: str) -> str:
    """The text a person sees of a markdown source: backslash escapes removed (user text is
    escaped with ui.plain, so AppTest reports "Avtal VOF 2026\\/12" for "Avtal VOF 2026/12")."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown)
