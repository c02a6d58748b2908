"""Staying logged in: a token resumes a login until logout or the idle timeout."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from audit_app.models import LoginSession, User, utcnow
from audit_app.services import logins
from tests.conftest import REVISOR


def _user(session: Session) -> User:
    return session.exec(select(User).where(User.id == REVISOR.user_id)).one()


def test_a_token_resumes_the_login_and_logout_ends_it(session: Session) -> None:
    token = logins.start(session, _user(session))
    resumed = logins.resume(session, token)
    assert resumed is not None and resumed.user.id == REVISOR.user_id
    logins.end(session, resumed.session_id)
    assert logins.resume(session, token) is None


def test_the_database_holds_no_usable_token(session: Session) -> None:
    token = logins.start(session, _user(session))
    row = session.exec(select(LoginSession)).one()
    assert token.split(".", 1)[1] not in row.secret_sha256
    forged = f"{row.id}.{row.secret_sha256}"
    assert logins.resume(session, forged) is None


@pytest.mark.parametrize(
    "bad", ["", "x", "not-a-uuid.secret", "00000000-0000-0000-0000-000000000000.s"]
)
def test_garbage_tokens_are_refused(session: Session, bad: str) -> None:
    assert logins.resume(session, bad) is None


def test_idle_longer_than_the_limit_logs_out(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIT_IDLE_HOURS", "8")
    token = logins.start(session, _user(session))
    now = utcnow()
    assert logins.resume(session, token, now + timedelta(hours=7, minutes=59)) is not None
    # activity moved last-seen forward; eight idle hours after that the session is over
    assert logins.resume(session, token, now + timedelta(hours=16)) is None
    assert logins.resume(session, token, now + timedelta(hours=16, minutes=1)) is None


def test_a_disabled_account_is_not_resumed(session: Session) -> None:
    user = _user(session)
    token = logins.start(session, user)
    user.active = False
    session.add(user)
    assert logins.resume(session, token) is None
