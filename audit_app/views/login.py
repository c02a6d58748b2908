"""Logging in and staying logged in: the log-in page, and the cookie that lets a reload or a
dropped connection resume the login (see `services.logins`)."""

import time
import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from audit_app.auth import authenticate
from audit_app.services import logins
from audit_app.ui import db

# The browser side of the login cookie: set or clear it on the app's own origin. Trusted code;
# the only data passed in is the token this server generated (never user text).
_COOKIE_JS = """
export default function (component) {
  const { data } = component;
  if (!data || !data.name) return;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  const base = `${data.name}=${data.value || ""}; Path=/; SameSite=Strict${secure}`;
  document.cookie = data.value ? `${base}; Max-Age=${data.max_age}` : `${base}; Max-Age=0`;
}
"""
_cookie = st.components.v2.component("revisionsstod_login_cookie", js=_COOKIE_JS)

USER = "auth.user"
SESSION = "auth.session"
LAST_WRITE = "auth.touched"
LAST_ACTIVE = "auth.active"
SET_COOKIE = "auth.set_cookie"
CLEAR_COOKIE = "auth.clear_cookie"


def _remember(user: Any, session_id: uuid.UUID) -> None:
    st.session_state[USER] = {
        "id": str(user.id),
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
    }
    st.session_state[SESSION] = str(session_id)
    now = time.time()
    st.session_state[LAST_WRITE] = now
    st.session_state[LAST_ACTIVE] = now


def current_user() -> dict[str, Any] | None:
    """The logged-in user of this browser session, resumed from the cookie after a reload."""
    user = st.session_state.get(USER)
    if user is not None:
        return _keep_alive(user)
    token = st.context.cookies.get(logins.COOKIE)
    if not token:
        return None
    with db() as session:
        resumed = logins.resume(session, token)
        if resumed is not None:
            _remember(resumed.user, resumed.session_id)
    if resumed is None:
        st.session_state[CLEAR_COOKIE] = True  # expired or logged out: forget it
        return None
    return st.session_state[USER]


def _keep_alive(user: dict[str, Any]) -> dict[str, Any] | None:
    """Log out after the idle timeout; write the last-seen time now and then."""
    now = time.time()
    idle = logins.idle_limit().total_seconds()
    if now - float(st.session_state.get(LAST_ACTIVE, now)) > idle:
        logout()
        return None
    st.session_state[LAST_ACTIVE] = now
    session_id = st.session_state.get(SESSION)
    if session_id and now - float(st.session_state.get(LAST_WRITE, 0)) > (
        logins.TOUCH_EVERY.total_seconds()
    ):
        with db() as session:
            alive = logins.touch(session, uuid.UUID(session_id))
        st.session_state[LAST_WRITE] = now
        if not alive:
            logout()
            return None
    return user


def sync_cookie() -> None:
    """Write or clear the cookie in the browser when a login started or ended."""
    token = st.session_state.pop(SET_COOKIE, None)
    if token:
        max_age = int(logins.idle_limit().total_seconds())
        _cookie(data={"name": logins.COOKIE, "value": token, "max_age": max_age}, key="auth.c1")
    elif st.session_state.pop(CLEAR_COOKIE, False):
        _cookie(data={"name": logins.COOKIE, "value": ""}, key="auth.c0")


def logout() -> None:
    """End the login here and on the server; the next run shows the log-in page."""
    session_id = st.session_state.get(SESSION)
    if session_id:
        with db() as session:
            logins.end(session, uuid.UUID(session_id))
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[CLEAR_COOKIE] = True


def login_page() -> None:
    _left, middle, _right = st.columns([1, 1.4, 1])
    with middle:
        _login_form()


def _login_form() -> None:
    st.title("Revisionsstöd")
    st.caption("Uppföljning av avtal och kvalitet hos utförare inom vård och omsorg")
    with st.form("login", enter_to_submit=True):
        username = st.text_input("Användarnamn", key="login.username")
        password = st.text_input("Lösenord", type="password", key="login.password")
        submitted = st.form_submit_button("Logga in", type="primary")
    if submitted:
        with db() as session:
            user = authenticate(session, username, password)
            if user is not None:
                token = logins.start(session, user)
                session_id = uuid.UUID(token.split(".", 1)[0])
                _remember(user, session_id)
                st.session_state[SET_COOKIE] = token
        if user is None:
            st.error("Fel användarnamn eller lösenord.")
        else:
            st.rerun()


def login_at(path: str) -> Callable[[], None]:
    """The log-in page under another page's address, so a deep link logs in and lands there."""

    def page() -> None:
        login_page()

    page.__name__ = f"login_{path}"
    return page
