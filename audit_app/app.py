"""Streamlit entry: page config, log-in gate and navigation by role."""

from collections.abc import Callable

import streamlit as st

from audit_app.auth import EDIT_CHECKLISTS, ROLE_LABELS, authenticate
from audit_app.models import Role
from audit_app.ui import db
from audit_app.views import checklists, contractors, contracts, documents, followups, start, users

st.set_page_config(page_title="Revisionsstöd", page_icon=":material/checklist:", layout="wide")


def login_page() -> None:
    _left, middle, _right = st.columns([1, 1.4, 1])
    with middle:
        _login_form()


def _login_form() -> None:
    st.title("Revisionsstöd")
    st.caption("Uppföljning av avtal och kvalitet hos utförare inom vård och omsorg")
    with st.form("login"):
        username = st.text_input("Användarnamn", key="login.username")
        password = st.text_input("Lösenord", type="password", key="login.password")
        submitted = st.form_submit_button("Logga in", type="primary")
    if submitted:
        with db() as session:
            user = authenticate(session, username, password)
            found = (
                None
                if user is None
                else {
                    "id": str(user.id),
                    "username": user.username,
                    "display_name": user.display_name,
                    "role": user.role.value,
                }
            )
        if found is None:
            st.error("Fel användarnamn eller lösenord.")
        else:
            st.session_state["auth.user"] = found
            st.rerun()


def _login_at(path: str) -> Callable[[], None]:
    def page() -> None:
        login_page()

    page.__name__ = f"login_{path}"
    return page


def logout() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.rerun()


def main() -> None:
    user = st.session_state.get("auth.user")
    if user is None:
        # Every address of the app shows the log-in page, so a reload of
        # /uppfoljningar?id=... logs in and lands where the user was.
        login_pages = [st.Page(login_page, title="Logga in", url_path="login", default=True)]
        login_pages += [
            st.Page(_login_at(path), title="Logga in", url_path=path)
            for path in (
                "start",
                "uppfoljningar",
                "entreprenorer",
                "avtal",
                "checklistor",
                "anvandare",
                "mallar",
            )
        ]
        st.navigation(login_pages, position="hidden").run()
        return
    role = Role(user["role"])
    home = st.Page(
        start.render, title="Start", icon=":material/home:", url_path="start", default=True
    )
    overview = [
        home,
        st.Page(
            followups.render,
            title="Uppföljningar",
            icon=":material/checklist:",
            url_path="uppfoljningar",
        ),
    ]
    overview.append(
        st.Page(
            documents.render,
            title="Dokument och mallar",
            icon=":material/article:",
            url_path="dokument",
        )
    )
    registers = [
        st.Page(
            contractors.render,
            title="Entreprenörer och enheter",
            icon=":material/apartment:",
            url_path="entreprenorer",
        ),
        st.Page(contracts.render, title="Avtal", icon=":material/description:", url_path="avtal"),
    ]
    if role in EDIT_CHECKLISTS:
        registers.append(
            st.Page(
                checklists.render,
                title="Checklistor",
                icon=":material/rule:",
                url_path="checklistor",
            )
        )
    admin = [
        st.Page(users.render, title="Användare", icon=":material/group:", url_path="anvandare")
    ]
    pages: dict[str, list] = {"Översikt": overview, "Register": registers}
    if role is Role.admin:
        pages["Administration"] = admin
    st.session_state["nav.pages"] = {p.url_path: p for group in pages.values() for p in group}
    nav = st.navigation(pages)
    with st.sidebar:
        st.markdown(f"**{user['display_name']}**  \n{ROLE_LABELS[role]}")
        if st.button("Logga ut", key="auth.logout"):
            logout()
    nav.run()


main()
