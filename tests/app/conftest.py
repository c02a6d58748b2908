"""AppTest harness: run one view as a logged-in user against a private demo database."""

from collections.abc import Callable, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.harness import USERS

__all__ = ["USERS"]


def _view_script(module: str, username: str) -> None:
    import importlib

    from tests.app.harness import login_as

    login_as(username)
    importlib.import_module(module).render()


@pytest.fixture
def app_db(demo_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    import audit_app.ui

    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    audit_app.ui.engine.clear()
    yield demo_db
    audit_app.ui.engine.clear()


@pytest.fixture
def view(app_db: str) -> Callable[..., AppTest]:
    """Return a factory: view("audit_app.views.start", "revisor") -> AppTest after the first run."""

    def make(module: str, username: str = "revisor", timeout: float = 30) -> AppTest:
        at = AppTest.from_function(_view_script, args=(module, username), default_timeout=timeout)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make
