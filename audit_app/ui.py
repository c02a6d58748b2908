"""Small helpers the Streamlit pages share: engine, current user, Swedish formatting."""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.db import get_engine, session_scope
from audit_app.errors import UserError, ValidationFailed
from audit_app.models import Role

MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip


@st.cache_resource(show_spinner=False)
def engine() -> Engine:
    """Return the app's engine, migrated (cached once per process)."""
    return get_engine()


@contextmanager
def db() -> Iterator[Session]:
    """A session for one unit of work of a page: commit on success, roll back on error."""
    with session_scope(engine()) as session:
        yield session


def actor() -> Actor:
    """Return the logged-in user; pages are only reachable when logged in."""
    user = st.session_state.get("auth.user")
    if user is None:
        st.stop()
    return Actor(user["username"], user["display_name"], Role(user["role"]), uuid.UUID(user["id"]))


def can(roles: set[Role]) -> bool:
    return actor().role in roles


def show_error(exc: UserError) -> None:
    """Show a user error as a red box, every problem on its own line."""
    if isinstance(exc, ValidationFailed) and len(exc.errors) > 1:
        st.error("\n".join(f"- {e.message}" for e in exc.errors))
    else:
        st.error(exc.message)


def sv_date(value: date | None) -> str:
    """Format a date the Swedish way: 22 november 2026."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def flash(message: str) -> None:
    """Show a success message after the next rerun."""
    st.session_state["ui.flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("ui.flash", None)
    if message:
        st.success(message)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def plain(text: str | None) -> str:
    """User text for st.markdown/st.caption: shown as written, never as markdown or HTML
    (a comment with ![x](http://...) shows those characters and fetches nothing)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split("\n")))
