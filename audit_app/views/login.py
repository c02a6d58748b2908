"""Logging in and staying logged in: the log-in page, and the cookie that lets a reload or a
dropped connection resume the login (see `services.logins`)."""

import time
import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from audit_app.auth import LOGIN_FAILED, authenticate, demo_accounts
from audit_app.demo import DEMO_PASSWORD
from audit_app.errors import UserError
from audit_app.services import identity, logins
from audit_app.ui import db, plain

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
SSO = "auth.sso"


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
    if not session_id:
        return user
    touch = now - float(st.session_state.get(LAST_WRITE, 0)) > logins.TOUCH_EVERY.total_seconds()
    with db() as session:
        # Every run: a login ended elsewhere (logged out, account deactivated) ends here too.
        alive = logins.is_open(session, uuid.UUID(session_id))
        if alive and touch:
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
    signed_in_by_provider = bool(st.session_state.get(SSO))
    if session_id:
        with db() as session:
            logins.end(session, uuid.UUID(session_id))
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[CLEAR_COOKIE] = True
    if signed_in_by_provider and _provider_configured():
        st.logout()  # also forget the identity provider's cookie (else it signs in again)


def _provider_configured() -> bool:
    """Tell whether `.streamlit/secrets.toml` configures sign-in with `st.login` ([auth])."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return False


def _role_mapping() -> dict[Any, list[str]]:
    try:
        raw = st.secrets.get("sso_roles", {})
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        raw = {}
    return identity.parse_role_mapping(raw)


def login_page() -> None:
    _left, middle, _right = st.columns([1, 1.4, 1])
    with middle:
        st.title("Revisionsstöd")
        st.caption("Uppföljning av avtal och kvalitet hos utförare inom vård och omsorg")
        if _provider_configured():
            _provider_login()
            st.divider()
            st.caption("Lokalt konto (t.ex. på en bärbar dator utan nätverk)")
        _login_form()
        _demo_hint()


def _provider_login() -> None:
    """Sign in through the municipality's identity provider (st.login)."""
    claims = dict(st.user.to_dict()) if st.user.get("is_logged_in") else {}
    if claims and identity.is_fresh(claims):
        try:
            with db() as session:
                user = identity.sign_in(session, claims, _role_mapping())
                _start(session, user)
        except UserError as exc:
            st.error(plain(exc.message))
            if st.button("Logga ut från kommunens konto", key="login.sso.logout"):
                st.logout()
            return
        st.session_state[SSO] = True
        st.rerun()
    if st.button("Logga in med kommunens konto", type="primary", key="login.sso", width="stretch"):
        st.login()


def _start(session: Any, user: Any) -> None:
    token = logins.start(session, user)
    _remember(user, uuid.UUID(token.split(".", 1)[0]))
    st.session_state[SET_COOKIE] = token


def _demo_hint() -> None:
    """Name the demo accounts, only when this database has them (their password is public)."""
    with db() as session:
        names = demo_accounts(session)
    if names:
        listed = ", ".join(names[:-1]) + " och " + names[-1] if len(names) > 1 else names[0]
        st.info(
            plain(f"Demokonton: {listed}, lösenord {DEMO_PASSWORD}. ")
            + "Det här är en **demodatabas** med påhittade uppgifter.",
            icon=":material/science:",
        )


def _login_form() -> None:
    with st.form("login", enter_to_submit=True):
        username = st.text_input("Användarnamn", key="login.username")
        password = st.text_input("Lösenord", type="password", key="login.password")
        submitted = st.form_submit_button("Logga in", type="primary")
    if submitted:
        with db() as session:
            user = authenticate(session, username, password)
            if user is not None:
                _start(session, user)
        if user is None:
            st.error(LOGIN_FAILED)
        else:
            st.rerun()


def login_at(path: str) -> Callable[[], None]:
    """The log-in page under another page's address, so a deep link logs in and lands there."""

    def page() -> None:
        login_page()

    page.__name__ = f"login_{path}"
    return page
