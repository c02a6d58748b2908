"""Staying logged in: a login survives a reload or a dropped connection until the user logs
out or has been idle longer than the idle timeout (AUDIT_IDLE_HOURS, default 8 hours).

The browser holds an opaque token `<session id>.<secret>` (256 random bits) in a cookie; the
database holds only the secret's SHA-256, the user and the times. Logging out ends the session
on the server, so a copied cookie is worthless afterwards.
"""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from audit_app.config import get_settings
from audit_app.models import LoginSession, User, utcnow

COOKIE = "revisionsstod_session"
TOUCH_EVERY = timedelta(minutes=5)
"""How often an active session writes its last-seen time (not on every rerun)."""


@dataclass(frozen=True)
class Resumed:
    user: User
    session_id: uuid.UUID


def idle_limit() -> timedelta:
    return timedelta(hours=get_settings().idle_hours)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(session: Session, user: User) -> str:
    """Open a login session for the user; return the token for the browser's cookie."""
    secret = secrets.token_urlsafe(32)
    row = LoginSession(user_id=user.id, secret_sha256=_digest(secret))
    session.add(row)
    session.flush()
    return f"{row.id}.{secret}"


def _find(session: Session, token: str | None) -> LoginSession | None:
    if not token or "." not in token:
        return None
    raw_id, secret = token.split(".", 1)
    try:
        row = session.get(LoginSession, uuid.UUID(raw_id))
    except ValueError:
        return None
    if row is None or not hmac.compare_digest(row.secret_sha256, _digest(secret)):
        return None
    return row


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive UTC times; compare them as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _still_open(session: Session, row: LoginSession, now: datetime) -> bool:
    """Whether a log-in is open at `now`; one idle too long is ended here (the idle rule)."""
    if row.ended_at is not None:
        return False
    if now - _aware(row.last_seen_at) > idle_limit():
        row.ended_at = now
        session.add(row)
        return False
    return True


def resume(session: Session, token: str | None, now: datetime | None = None) -> Resumed | None:
    """The active user of a token, or None (unknown, ended, idle too long, user disabled)."""
    row = _find(session, token)
    now = now or utcnow()
    if row is None or not _still_open(session, row, now):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_seen_at = now
    session.add(row)
    return Resumed(user, row.id)


def touch(session: Session, session_id: uuid.UUID, now: datetime | None = None) -> bool:
    """Record activity; False when the session has ended (logged out elsewhere, expired)."""
    row = session.get(LoginSession, session_id)
    now = now or utcnow()
    if row is None or not _still_open(session, row, now):
        return False
    row.last_seen_at = now
    session.add(row)
    return True


def is_open(session: Session, session_id: uuid.UUID) -> bool:
    """Tell whether a login session still lets its user in (read only; every page run)."""
    row = session.get(LoginSession, session_id)
    if row is None or row.ended_at is not None:
        return False
    user = session.get(User, row.user_id)
    return user is not None and user.active


def end_all(session: Session, user_id: uuid.UUID) -> int:
    """End every open login session of a user (the account was deactivated); return how many."""
    rows = session.exec(
        select(LoginSession).where(
            LoginSession.user_id == user_id, col(LoginSession.ended_at).is_(None)
        )
    ).all()
    now = utcnow()
    for row in rows:
        row.ended_at = now
        session.add(row)
    return len(rows)


def end(session: Session, session_id: uuid.UUID | None) -> None:
    """Log out: the session's token no longer logs anyone in."""
    if session_id is None:
        return
    row = session.get(LoginSession, session_id)
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        session.add(row)
