"""Shared fixtures: a fresh migrated SQLite database per test, and actors of every role."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.db import make_engine, migrate, sqlite_pragma
from audit_app.models import Role, User

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def _actor(username: str, name: str, role: Role) -> Actor:
    return Actor(username, name, role, uuid.uuid5(uuid.NAMESPACE_URL, f"test-user:{username}"))


ADMIN = _actor("admin", "Alva Admin", Role.admin)
REVISOR = _actor("revisor", "Karin Ek", Role.revisor)
REVISOR2 = _actor("revisor2", "Omar Lund", Role.revisor)
CHEF = _actor("chef", "Lars Berg", Role.forvaltningschef)
LASARE = _actor("lasare", "Utskottets läsare", Role.lasare)
ACTORS = (ADMIN, REVISOR, REVISOR2, CHEF, LASARE)


def add_test_users(engine: Engine) -> None:
    """Store the test actors as users (their ids are referenced by the records they write)."""
    with Session(engine) as s:
        for a in ACTORS:
            s.add(
                User(
                    id=a.user_id,
                    username=f"test-{a.username}",
                    display_name=a.display_name,
                    role=a.role,
                    password_hash="-",
                )
            )
        s.commit()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    migrate(eng)
    add_test_users(eng)
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
    add_test_users(eng)
    with eng.connect() as conn:
        sqlite_pragma(conn, "PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return path


@pytest.fixture
def demo_db(demo_template_db: Path, tmp_path: Path) -> str:
    """A private copy of the demo database; returns its URL."""
    target = tmp_path / f"demo-{uuid.uuid4().hex[:6]}.db"
    target.write_bytes(demo_template_db.read_bytes())
    return f"sqlite:///{target}"


def hand_over(session: Session, actor: Actor, followup_id: uuid.UUID) -> None:
    """Hand a follow-up over as a revisor does, confirming the items left unassessed."""
    from audit_app.services import followups

    check = followups.handover_check(session, followups.get_followup(session, followup_id))
    followups.hand_over(session, actor, followup_id, unassessed_confirmed=check.unassessed_count)
