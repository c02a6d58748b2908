"""Backup and restore on PostgreSQL: one REPEATABLE READ snapshot, every row back as it was.

Needs TEST_POSTGRES_URL (CI sets it); skipped without it unless REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from audit_app.db import make_engine, migrate
from audit_app.demo import seed_demo
from audit_app.services.backup.archive import BackupError
from audit_app.services.backup.run import restore_backup, write_backup
from tests.conftest import add_test_users
from tests.unit.backup.fixtures import add_files, files_of, followups_json, typed_rows

pytestmark = pytest.mark.postgres


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """Two new, empty PostgreSQL databases (source and target); dropped afterwards."""
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 men TEST_POSTGRES_URL är inte satt")
        pytest.skip("TEST_POSTGRES_URL är inte satt (ingen PostgreSQL-server för testet)")
    admin = make_engine(base)
    names = [f"audit_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    root = base.rsplit("/", 1)[0]
    try:
        yield f"{root}/{names[0]}", f"{root}/{names[1]}"
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _demo(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        seed_demo(session)
        session.commit()
    add_test_users(engine)
    return engine


def test_round_trip_gives_back_every_row_and_file_on_postgres(
    databases: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_url, target_url = databases
    data_dir = tmp_path / "data"
    monkeypatch.setenv("AUDIT_DATA_DIR", str(data_dir))
    source = _demo(source_url)
    add_files(source)
    archive = tmp_path / "kopia.zip"
    write_backup(source, data_dir, archive)

    target = make_engine(target_url)
    restore_backup(target, data_dir.parent / "ny", archive)
    before, after = typed_rows(source), typed_rows(target)
    assert before.keys() == after.keys()
    for table in before:
        if table != "evidence":
            assert after[table] == before[table], table
    assert len(after["evidence"]) == 1
    assert files_of(data_dir.parent / "ny") == files_of(data_dir)
    assert followups_json(target_url, data_dir.parent / "ny") == followups_json(
        source_url, data_dir
    )
    with pytest.raises(BackupError, match="Databasen är inte tom"):
        restore_backup(source, tmp_path / "tom", archive)
    source.dispose()
    target.dispose()
