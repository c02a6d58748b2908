"""Engine, session scope, SQLite pragmas and migrations at start."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, create_engine, select

from audit_app.config import get_settings
from audit_app.errors import Conflict, NotFound

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling ("legacy" mode) only begins a transaction before
    # INSERT/UPDATE/DELETE, never before SELECT, DDL or SAVEPOINT: a savepoint opened first
    # became a transaction of its own, committed on release. Switched off here; `_begin`
    # emits BEGIN when SQLAlchemy starts a transaction (the recipe of SQLAlchemy's SQLite
    # documentation), so one unit of work is one transaction and savepoints nest inside it.
    # It is BEGIN IMMEDIATE: a unit of work reads before it writes, and a deferred transaction
    # that read and then writes after another writer committed fails at once with "database
    # is locked" (the busy timeout does not apply to that upgrade). IMMEDIATE takes the write
    # lock at the start and waits its turn (busy_timeout); readers in WAL mode are not blocked
    # by it, only other units of work, which are short. 10 processes saving answers at once:
    # 0 of 250 saves failed with IMMEDIATE, 187 of 250 with a deferred BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # A unit of work waits up to 30 s for the write lock (units are short; on a laptop busy
    # with other programs 10 writers queued past 5 s and "database is locked" reached one).
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


BUSY_TIMEOUT_MS = 30_000


def _begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def sqlite_pragma(connection: Any, statement: str) -> list[Any]:
    """Run a PRAGMA outside any transaction (inside one, SQLite ignores some, e.g. foreign_keys)."""
    cursor = connection.connection.driver_connection.cursor()
    try:
        return list(cursor.execute(statement).fetchall())
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite create the folder and turn on WAL and foreign keys."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True)


def get_engine(url: str | None = None) -> Engine:
    """Return the process-wide engine for `url` (default: DATABASE_URL), migrated to head."""
    return _engine_for(url or get_settings().database_url)


@cache
def _engine_for(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    command.upgrade(alembic_config(engine), "head")


def is_empty(engine: Engine) -> bool:
    """Tell whether the database holds no user yet (a fresh install)."""
    from sqlmodel import select

    from audit_app.models import User

    if not inspect(engine).has_table("user"):
        return True
    with Session(engine) as session:
        return session.exec(select(User).limit(1)).first() is None


STALE = (
    "Någon annan sparade samma uppgift just nu, efter att du läste den. Din ändring sparades "
    "inte; sidan visar nu det sparade. Gör ändringen igen om den fortfarande behövs."
)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """Yield a session that commits on success and rolls back on any error.

    A save based on a stale copy (the optimistic lock on `Tracked.version`) becomes a Swedish
    `Conflict`; nothing of the unit of work is saved.
    """
    session = Session(engine or get_engine(), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise Conflict(STALE) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def dialect_insert(session: Session, model: type[SQLModel]) -> Any:
    """INSERT for the session's database that can say ON CONFLICT DO NOTHING (SQLite and
    PostgreSQL), for rows two people may create at the same moment."""
    table = model.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def rows_of(session: Session, model: type[T], *where: Any, order_by: Any) -> list[T]:
    """Every record of `model` meeting the conditions, in the given order."""
    return list(session.exec(select(model).where(*where).order_by(order_by)))


def fetch(session: Session, model: type[T], record_id: Any, missing: str) -> T:
    """Return the record with this id, or raise NotFound with the Swedish `missing` message."""
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(missing)
    return record
