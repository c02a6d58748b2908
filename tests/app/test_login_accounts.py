"""The log-in page: demo accounts marked only on the demo database, the lock-out message, and
sign-in through the identity provider when `[auth]` is configured (st.user seeded)."""

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

import audit_app.ui
from audit_app.auth import LOCK_AFTER, LOGIN_FAILED
from tests.app.harness import shown

APP = str(Path(__file__).resolve().parents[2] / "audit_app" / "app.py")
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "en-lång-hemlighet-för-test",
    "client_id": "revisionsstod",
    "client_secret": "hemligt",
    "server_metadata_url": "https://login.example/.well-known/openid-configuration",
}
ROLES = {"revisor": ["grupp-revisorer"], "lasare": ["*@exempelby.se"]}


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.title]
    parts += [i.value for i in at.info] + [e.value for e in at.error]
    return shown("\n".join(str(p) for p in parts))


def _buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_demo_database_names_its_demo_accounts(app_db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert "Demokonton: admin, chef, lasare, mas, revisor och revisor2, lösenord demo" in _texts(
        at
    ).replace("\\", "")
    assert "Logga in med kommunens konto" not in _buttons(at)


@pytest.fixture
def plain_db(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    audit_app.ui.engine.clear()
    return db_url


def test_a_real_database_shows_no_demo_hint(plain_db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert "Demokonton" not in _texts(at)


def test_five_wrong_passwords_lock_the_account_with_one_message(app_db: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    for _ in range(LOCK_AFTER):
        at.text_input(key="login.username").input("revisor")
        at.text_input(key="login.password").input("fel")
        at.button[0].click().run()
        assert LOGIN_FAILED in _texts(at)
    at.text_input(key="login.password").input("demo")
    at.button[0].click().run()
    assert LOGIN_FAILED in _texts(at)
    assert "Välkommen" not in _texts(at)
    at.text_input(key="login.username").input("ingen-sadan")
    at.button[0].click().run()
    assert LOGIN_FAILED in _texts(at)  # the same words for an account that does not exist


def _with_auth(user: dict[str, object]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.secrets["sso_roles"] = ROLES
    at.user = user
    at.run()
    return at


def test_identity_provider_button_when_auth_is_configured(app_db: str) -> None:
    at = _with_auth({"is_logged_in": False})
    assert "Logga in med kommunens konto" in _buttons(at)
    assert at.text_input(key="login.username") is not None  # local accounts remain


def test_a_fresh_sign_in_maps_the_identity_to_a_role(app_db: str) -> None:
    at = _with_auth(
        {
            "is_logged_in": True,
            "iss": "https://login.example/tenant",
            "sub": "karin-1",
            "name": "Karin Sso",
            "email": "karin.sso@exempelby.se",
            "groups": ["grupp-revisorer"],
            "iat": int(time.time()),
        }
    )
    assert not at.exception, [e.value for e in at.exception]
    assert "Välkommen, Karin Sso" in _texts(at)
    assert "Revisor" in "\n".join(m.value for m in at.sidebar.markdown)


def test_a_stale_identity_cookie_does_not_sign_in(app_db: str) -> None:
    at = _with_auth(
        {
            "is_logged_in": True,
            "iss": "https://login.example/tenant",
            "sub": "karin-1",
            "email": "karin.sso@exempelby.se",
            "iat": int(time.time()) - 9 * 3600,
        }
    )
    assert "Välkommen" not in _texts(at)
    assert "Logga in med kommunens konto" in _buttons(at)


def test_an_identity_without_a_role_is_told_so(app_db: str) -> None:
    at = _with_auth(
        {
            "is_logged_in": True,
            "iss": "https://login.example/tenant",
            "sub": "x-1",
            "email": "x@annan.se",
            "iat": int(time.time()),
        }
    )
    assert "har ingen roll i Revisionsstöd" in _texts(at).replace("\\", "")
    assert "Logga ut från kommunens konto" in _buttons(at)
