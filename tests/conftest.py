"""Shared fixtures: a fresh migrated SQLite database per test, and actors of every role."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.db import make_engine, migrate
from audit_app.models import Role

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"

ADMIN = Actor("admin", "Alva Admin", Role.admin)
REVISOR = Actor("revisor", "Karin Ek", Role.revisor)
REVISOR2 = Actor("revisor2", "Omar Lund", Role.revisor)
CHEF = Actor("chef", "Lars Berg", Role.forvaltningschef)
LASARE = Actor("lasare", "Utskottets läsare", Role.lasare)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture(scope="session")
def demo_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database built once per test run; tests copy it instead of rebuilding it."""
    from audit_app.demo import seed_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    with Session(eng) as s:
        seed_demo(s)
        s.commit()
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return path


@pytest.fixture
def demo_db(demo_template_db: Path, tmp_path: Path) -> str:
    """A private copy of the demo database; returns its URL."""
    target = tmp_path / f"demo-{uuid.uuid4().hex[:6]}.db"
    target.write_bytes(demo_template_db.read_bytes())
    return f"sqlite:///{target}"
