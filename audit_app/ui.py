"""Small helpers the Streamlit pages share: engine, current user, Swedish formatting."""

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import NoReturn, TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.db import get_engine, session_scope
from audit_app.errors import UserError, ValidationFailed
from audit_app.models import Role

T = TypeVar("T")

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


_MARKDOWN = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text: object) -> str:
    """Return text from users escaped for Streamlit's markdown: shown exactly as typed.

    Every ASCII punctuation character gets a backslash (CommonMark lets any of them be
    escaped), so no link, image, HTML, heading, list, emphasis, formula or colour directive
    comes out of user text, and a URL is not turned into a link; a line break stays a line
    break. Use it for every user text in st.markdown, st.caption, st.info/warning/error/
    success, st.toast, titles and headers, and the labels of expanders, tabs, buttons,
    checkboxes and radio options (which render markdown too); or show the text with st.text.
    """
    escaped = _MARKDOWN.sub(r"\\\1", str(text if text is not None else ""))
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


_INLINE = re.compile(r"([\\`*_\[\]()!<>~$:|&{}=#])")


def plain_label(text: object) -> str:
    """Return user text for a widget or tab label (inline markdown only): shown as typed.

    Lighter than `plain`: what labels render (emphasis, code, links, images, colour
    directives, icons, formulas) is escaped, and "www." is broken so it is not linked, but a
    numbered title such as "1. Föregående uppföljning" keeps its form (and its address when
    the tab is bound to the query string).
    """
    escaped = _INLINE.sub(r"\\\1", str(text if text is not None else ""))
    return re.sub(r"(?i)\b(www)\.", r"\1\\.", escaped).replace("\n", " ")


def show_error(exc: UserError) -> None:
    """Show a user error as a red box, every problem on its own line (as plain text)."""
    if isinstance(exc, ValidationFailed) and len(exc.errors) > 1:
        st.error("\n".join(f"- {plain(e.message)}" for e in exc.errors))
    else:
        st.error(plain(exc.message))


def sv_date(value: date | None) -> str:
    """Format a date the Swedish way: 22 november 2026."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def flash(message: str) -> None:
    """Show a success message after the next rerun."""
    st.session_state["ui.flash"] = message


def rerun_with(message: str) -> NoReturn:
    """Flash a success message and rerun the page (the message shows after the rerun)."""
    flash(message)
    st.rerun()


def write(work: Callable[[Session], T], then: Callable[[T], object]) -> None:
    """Run one write of a page in its own unit of work.

    A user error (refused, invalid, conflict) is shown on the page and nothing is saved;
    otherwise `then` gets what `work` returned (read what the message needs inside `work`,
    while the session is open), typically `lambda x: rerun_with(f"... {x} ...")`.
    """
    try:
        with db() as session:
            result = work(session)
    except UserError as exc:
        show_error(exc)
    else:
        then(result)


def load(work: Callable[[Session], T]) -> T | None:
    """Run one read of a page in its own unit of work: what `work(session)` returns, or None
    when it raised a user error (refused, not found), which is then shown on the page."""
    try:
        with db() as session:
            return work(session)
    except UserError as exc:
        show_error(exc)
        return None


def show_flash() -> None:
    message = st.session_state.pop("ui.flash", None)
    if message:
        st.success(plain(message))
