"""A throwaway PostgreSQL database for a test (TEST_POSTGRES_URL points at the server)."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from audit_app.db import alembic_config, make_engine


def postgres_url() -> str:
    """The server's URL; skip the test without one, fail when CI requires it."""
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 men TEST_POSTGRES_URL är inte satt")
        pytest.skip("TEST_POSTGRES_URL är inte satt (ingen PostgreSQL-server för testet)")
    return base


@contextmanager
def fresh_database(base: str) -> Iterator[tuple[str, Engine]]:
    """Create an empty database, yield (url, engine), drop it afterwards."""
    admin = make_engine(base)
    name = f"audit_test_{uuid.uuid4().hex[:8]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    try:
        yield url, engine
    finally:
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def engine_at_revision(backend: str, revision: str, folder: Path) -> Iterator[Engine]:
    """An empty database ("sqlite": a file in `folder`; "postgres": a throwaway database on
    the test server) migrated up to `revision`, for a test of the next migration."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{folder / 'old.db'}")
        try:
            command.upgrade(alembic_config(engine), revision)
            yield engine
        finally:
            engine.dispose()
        return
    with fresh_database(postgres_url()) as (_url, engine):
        command.upgrade(alembic_config(engine), revision)
        yield engine
