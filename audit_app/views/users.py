"""Accounts (admin only)."""

import pandas as pd
import streamlit as st

from audit_app.auth import (
    MIN_PASSWORD_LENGTH,
    ROLE_LABELS,
    add_user,
    is_locked,
    list_users,
    set_active,
    set_password,
)
from audit_app.models import Role
from audit_app.ui import actor, db, rerun_with, show_flash, write


def render() -> None:
    st.title("Användare")
    show_flash()
    with db() as session:
        users = list_users(session)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Användarnamn": u.username,
                    "Namn": u.display_name,
                    "Roll": ROLE_LABELS[u.role],
                    "Aktiv": u.active,
                    "Spärrad": is_locked(u),
                    "Inloggning": "Kommunens konto" if u.external_id else "Lokalt konto",
                    "Demokonto": u.demo,
                }
                for u in users
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    with st.form("users.add", clear_on_submit=True):
        st.subheader("Nytt konto")
        c1, c2 = st.columns(2)
        username = c1.text_input("Användarnamn *")
        name = c2.text_input("Namn *")
        role = st.selectbox("Roll *", list(Role), index=1, format_func=lambda r: ROLE_LABELS[r])
        password = st.text_input(
            "Lösenord *", type="password", help=f"Minst {MIN_PASSWORD_LENGTH} tecken."
        )
        if st.form_submit_button("Skapa konto", type="primary"):
            write(
                lambda s: add_user(s, actor(), username, name, role or Role.lasare, password),
                lambda _: rerun_with(f"Kontot {username} är skapat."),
            )
    with st.form("users.passwd", clear_on_submit=True):
        st.subheader("Byt lösenord")
        who = st.selectbox("Konto", [u.username for u in users])
        password = st.text_input("Nytt lösenord", type="password")
        if st.form_submit_button("Byt lösenord"):
            write(
                lambda s: set_password(s, actor(), who, password),
                lambda _: rerun_with(f"Lösenordet för {who} är bytt."),
            )
    with st.form("users.active"):
        st.subheader("Stäng av eller aktivera konto")
        st.caption(
            "Ett avstängt konto kan inte logga in, och dess pågående inloggningar avslutas direkt. "
            "Det som kontot har skrivit finns kvar."
        )
        who = st.selectbox("Konto", [u.username for u in users], key="users.active.who")
        c1, c2 = st.columns(2)
        disable = c1.form_submit_button("Stäng av kontot")
        enable = c2.form_submit_button("Aktivera kontot")
        if disable or enable:
            write(
                lambda s: set_active(s, actor(), who, bool(enable)),
                lambda _: rerun_with(f"Kontot {who} är {'aktivt igen' if enable else 'avstängt'}."),
            )
