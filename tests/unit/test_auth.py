"""Accounts: argon2 hashes, log-in, roles."""

import pytest
from sqlmodel import Session

from audit_app.auth import add_user, authenticate, require, set_password
from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import Role, User
from tests.conftest import ADMIN, LASARE, REVISOR


def test_password_is_stored_as_argon2_hash_and_login_works(session: Session) -> None:
    user = add_user(session, ADMIN, "Karin", "Karin Ek", Role.revisor, "ett-hemligt-lösenord")
    session.commit()
    assert user.username == "karin"
    assert (
        user.password_hash.startswith("$argon2id$")
        and "ett-hemligt-lösenord" not in user.password_hash
    )
    assert authenticate(session, "KARIN ", "ett-hemligt-lösenord") is not None
    assert authenticate(session, "karin", "fel") is None
    assert authenticate(session, "ingen", "ett-hemligt-lösenord") is None


def test_inactive_user_cannot_log_in(session: Session) -> None:
    user = add_user(session, ADMIN, "ola", "Ola", Role.lasare, "lösenord-för-test")
    user.active = False
    session.commit()
    assert authenticate(session, "ola", "lösenord-för-test") is None


def test_only_admin_creates_accounts_and_changes_others_passwords(session: Session) -> None:
    add_user(session, ADMIN, "revisor", "Karin Ek", Role.revisor, "lösenord-för-test")
    session.commit()
    with pytest.raises(PermissionDenied):
        add_user(session, REVISOR, "ny", "Ny", Role.admin, "lösenord-för-test")
    with pytest.raises(PermissionDenied):
        set_password(session, LASARE, "revisor", "ett-nytt-lösenord")
    set_password(session, REVISOR, "revisor", "ett-nytt-lösenord")
    session.commit()
    assert authenticate(session, "revisor", "ett-nytt-lösenord") is not None


def test_duplicate_and_bad_usernames_are_refused(session: Session) -> None:
    before = session.query(User).count()
    add_user(session, ADMIN, "revisor", "Karin Ek", Role.revisor, "lösenord-för-test")
    with pytest.raises(ValidationFailed, match="finns redan"):
        add_user(session, ADMIN, "Revisor", "X", Role.revisor, "lösenord-för-test")
    with pytest.raises(ValidationFailed, match="bokstäver"):
        add_user(session, ADMIN, "a b", "X", Role.revisor, "lösenord-för-test")
    with pytest.raises(ValidationFailed, match="minst 12 tecken"):
        add_user(session, ADMIN, "kort", "X", Role.revisor, "elva-tecken")
    assert session.query(User).count() == before + 1


def test_require_names_the_role_in_swedish() -> None:
    with pytest.raises(PermissionDenied, match="läsare"):
        require(LASARE, {Role.admin}, "ändra")
    require(ADMIN, {Role.admin}, "ändra")
