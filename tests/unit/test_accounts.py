"""Accounts: lock-out, password length, deactivation, the first admin, demo accounts, and the
mapping of an identity provider's sign-in to a role and a local user."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from audit_app import auth
from audit_app.auth import LOCK_AFTER, LOGIN_FAILED, add_user, authenticate, set_active
from audit_app.cli import app
from audit_app.cli.swedish import install
from audit_app.errors import UserError, ValidationFailed
from audit_app.models import LoginSession, Role, User, utcnow
from audit_app.services import identity, logins
from tests.conftest import ADMIN

PASSWORD = "korrekt-häst-batteri"


def _karin(session: Session) -> User:
    user = add_user(session, ADMIN, "karin", "Karin Ek", Role.revisor, PASSWORD)
    session.commit()
    return user


def test_five_failed_log_ins_lock_the_account_for_fifteen_minutes(session: Session) -> None:
    user = _karin(session)
    now = utcnow()
    for _ in range(LOCK_AFTER):
        assert authenticate(session, "karin", "fel-lösenord-här", now=now) is None
        session.commit()
    assert auth.is_locked(user, now)
    # Locked: even the right password fails, with the same answer as a wrong one.
    assert authenticate(session, "karin", PASSWORD, now=now + timedelta(minutes=14)) is None
    assert authenticate(session, "karin", PASSWORD, now=now + timedelta(minutes=16)) is not None
    assert user.failed_logins == 0 and user.locked_until is None


def test_four_failures_then_success_start_the_count_again(session: Session) -> None:
    _karin(session)
    for _ in range(LOCK_AFTER - 1):
        authenticate(session, "karin", "fel-lösenord-här")
    assert authenticate(session, "karin", PASSWORD) is not None
    for _ in range(LOCK_AFTER - 1):
        authenticate(session, "karin", "fel-lösenord-här")
    assert authenticate(session, "karin", PASSWORD) is not None


def test_the_failure_message_does_not_tell_whether_the_account_exists() -> None:
    assert "finns" not in LOGIN_FAILED and "spärrat" not in LOGIN_FAILED.split(".")[0]
    assert "15 minuter" in LOGIN_FAILED


def test_passwords_need_twelve_characters(session: Session) -> None:
    with pytest.raises(ValidationFailed, match="minst 12 tecken"):
        add_user(session, ADMIN, "ola", "Ola", Role.lasare, "kort-lösen")
    add_user(session, ADMIN, "ola", "Ola", Role.lasare, "tolv-tecken!")


def test_a_deactivated_account_cannot_log_in_and_its_logins_end(session: Session) -> None:
    user = _karin(session)
    token = logins.start(session, user)
    session.commit()
    assert logins.resume(session, token) is not None
    set_active(session, ADMIN, "karin", False)
    session.commit()
    assert authenticate(session, "karin", PASSWORD) is None
    assert logins.resume(session, token) is None
    row = session.exec(select(LoginSession)).one()
    assert row.ended_at is not None
    assert not logins.is_open(session, row.id)
    set_active(session, ADMIN, "karin", True)
    assert authenticate(session, "karin", PASSWORD) is not None


def test_the_last_admin_and_oneself_cannot_be_deactivated(session: Session) -> None:
    add_user(session, ADMIN, "chefadmin", "Chef Admin", Role.admin, PASSWORD)
    session.commit()
    with pytest.raises(ValidationFailed, match="ditt eget konto"):
        set_active(session, ADMIN, "test-admin", False)
    set_active(session, auth.SYSTEM, "test-admin", False)
    with pytest.raises(ValidationFailed, match="sista aktiva"):
        set_active(session, auth.SYSTEM, "chefadmin", False)


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    install()
    return url


def test_init_creates_one_admin_with_a_generated_password(empty_db: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    password = result.output.split("lösenordet", 1)[1].split()[0]
    assert len(password) >= 16
    users = json.loads(runner.invoke(app, ["users", "list", "--json"]).output)
    assert [(u["username"], u["role"]) for u in users] == [("admin", "admin")]
    again = runner.invoke(app, ["init"])
    assert password not in again.output  # printed once
    disabled = runner.invoke(app, ["users", "disable", "admin"])
    assert disabled.exit_code == 1 and "sista aktiva" in disabled.output


def test_init_demo_seeds_the_demo_accounts_marked_as_demo(empty_db: str, engine: Engine) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["init", "--demo"])
    assert result.exit_code == 0, result.output
    assert "lösenord demo" in result.output
    users = json.loads(runner.invoke(app, ["users", "list", "--json"]).output)
    assert {u["username"] for u in users} == {
        "admin",
        "revisor",
        "revisor2",
        "chef",
        "lasare",
        "mas",
    }
    disabled = runner.invoke(app, ["users", "disable", "lasare"])
    assert disabled.exit_code == 0, disabled.output
    users = json.loads(runner.invoke(app, ["users", "list", "--json"]).output)
    assert {u["username"]: u["active"] for u in users}["lasare"] is False
    assert runner.invoke(app, ["users", "enable", "lasare"]).exit_code == 0


def test_demo_accounts_are_listed_until_their_password_changes(session: Session) -> None:
    add_user(session, ADMIN, "revisor", "Karin Ek", Role.revisor, "demo", demo=True)
    add_user(session, ADMIN, "lasare", "Läsare", Role.lasare, "demo", demo=True)
    assert auth.demo_accounts(session) == ["lasare", "revisor"]
    auth.set_password(session, ADMIN, "revisor", "ett-eget-lösenord")
    assert auth.demo_accounts(session) == ["lasare"]


# --------------------------------------------------------------------------- identity provider

MAPPING = identity.parse_role_mapping(
    {
        "admin": ["it@exempelby.se"],
        "revisor": ["0b3f-revisorer"],
        "forvaltningschef": ["Lars.Berg@exempelby.se"],
        "lasare": ["*@exempelby.se"],
    }
)


def _claims(**extra: object) -> dict[str, object]:
    return {
        "iss": "https://login.microsoftonline.com/tenant/v2.0",
        "sub": "abc123",
        "oid": "oid-1",
        "name": "Karin Ek",
        "preferred_username": "karin.ek@exempelby.se",
        "groups": ["0b3f-revisorer"],
    } | extra


def test_roles_come_from_groups_or_e_mail_in_the_order_admin_to_reader() -> None:
    assert identity.role_for(identity.identity_of(_claims()), MAPPING) is Role.revisor
    chef = identity.identity_of(_claims(preferred_username="lars.berg@exempelby.se", groups=[]))
    assert identity.role_for(chef, MAPPING) is Role.forvaltningschef
    reader = identity.identity_of(_claims(preferred_username="ola@exempelby.se", groups=[]))
    assert identity.role_for(reader, MAPPING) is Role.lasare
    admin = identity.identity_of(_claims(email="IT@exempelby.se"))
    assert identity.role_for(admin, MAPPING) is Role.admin
    outsider = identity.identity_of(_claims(preferred_username="x@annan.se", groups=[]))
    assert identity.role_for(outsider, MAPPING) is None


def test_a_bad_mapping_is_refused_in_swedish() -> None:
    with pytest.raises(ValidationFailed, match="ingen roll"):
        identity.parse_role_mapping({"superuser": ["a@b.se"]})


def test_sign_in_creates_then_finds_the_user_and_follows_group_changes(session: Session) -> None:
    user = identity.sign_in(session, _claims(), MAPPING)
    assert (user.username, user.role, user.display_name) == (
        "karin.ek@exempelby.se",
        Role.revisor,
        "Karin Ek",
    )
    again = identity.sign_in(session, _claims(groups=[]), MAPPING)
    assert again.id == user.id and again.role is Role.lasare
    user.active = False
    with pytest.raises(UserError, match="avstängt"):
        identity.sign_in(session, _claims(), MAPPING)


def test_sign_in_links_an_account_named_by_the_e_mail(session: Session) -> None:
    local = add_user(session, ADMIN, "karin.ek@exempelby.se", "Karin", Role.lasare, PASSWORD)
    user = identity.sign_in(session, _claims(), MAPPING)
    assert user.id == local.id and user.external_id and user.role is Role.revisor


def test_sign_in_without_a_role_is_refused(session: Session) -> None:
    with pytest.raises(UserError, match="ingen roll"):
        identity.sign_in(session, _claims(preferred_username="x@annan.se", groups=[]), MAPPING)


def test_only_a_fresh_identity_token_signs_in() -> None:
    assert identity.is_fresh({"iat": 1000}, now=1100)
    assert not identity.is_fresh({"iat": 1000}, now=1000 + 3600)
