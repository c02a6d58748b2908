"""`audit-app backup` and `audit-app restore`: one archive with a consistent snapshot, the files
and a manifest; a restore into an empty installation gives back every row and file."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, Table, text
from sqlmodel import Session, select

from audit_app.cli import app
from audit_app.db import alembic_config, make_engine, migrate
from audit_app.models import Evidence, User
from audit_app.services import evidence
from audit_app.services.backup.archive import BackupError
from audit_app.services.backup.database import first_table_with_rows
from audit_app.services.backup.run import restore_backup, write_backup
from tests.conftest import ACTORS
from tests.unit.backup.fixtures import (
    add_files,
    files_of,
    followups_json,
    rewritten,
    runner,
    sqlite_rows,
)


@pytest.fixture
def source(demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """The demo installation with an evidence file and an uploaded template."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("AUDIT_DATA_DIR", str(data_dir))
    engine = make_engine(demo_db)
    add_files(engine)
    engine.dispose()
    return demo_db, data_dir


def head_revision() -> str:
    """The newest schema version (the one head of the migrations)."""
    engine = make_engine("sqlite://")
    try:
        (head,) = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    finally:
        engine.dispose()
    return str(head)


def _archive(source: tuple[str, Path], tmp_path: Path) -> Path:
    url, data_dir = source
    engine = make_engine(url)
    try:
        write_backup(engine, data_dir, tmp_path / "kopia.zip")
    finally:
        engine.dispose()
    return tmp_path / "kopia.zip"


def _restore(archive: Path, url: str, data_dir: Path) -> None:
    engine = make_engine(url)
    try:
        restore_backup(engine, data_dir, archive)
    finally:
        engine.dispose()


def test_round_trip_gives_back_every_row_and_file_on_sqlite(
    source: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, data_dir = source
    archive = _archive(source, tmp_path)
    target_url = f"sqlite:///{tmp_path / 'ny' / 'revisionsstod.db'}"
    target_dir = tmp_path / "ny"
    _restore(archive, target_url, target_dir)

    before = sqlite_rows(url.removeprefix("sqlite:///"))
    after = sqlite_rows(target_url.removeprefix("sqlite:///"))
    assert before.keys() == after.keys()
    assert sum(len(rows) for rows in before.values()) > 5000
    assert sum(1 for rows in before.values() if rows) > 15  # the demo fills most tables
    for table in before:
        if table == "evidence":
            continue
        assert after[table] == before[table], table
    # evidence rows point into the new data folder, otherwise the same
    moved = [
        tuple(str(v).replace(str(data_dir), str(target_dir)) for v in row)
        for row in before["evidence"]
    ]
    assert [tuple(str(v) for v in row) for row in after["evidence"]] == moved
    assert files_of(target_dir) == files_of(data_dir)
    assert len(files_of(target_dir)) == 2

    assert followups_json(target_url, target_dir) == followups_json(url, data_dir)
    engine = make_engine(target_url)
    with Session(engine) as session:
        (row,) = session.exec(select(Evidence)).all()
        monkeypatch.setenv("AUDIT_DATA_DIR", str(target_dir))
        assert evidence.read_evidence(row) == b"%PDF-1.4 rutin"
    engine.dispose()


def test_the_manifest_lists_every_member_with_its_checksum_and_the_schema(
    source: tuple[str, Path], tmp_path: Path
) -> None:
    archive = _archive(source, tmp_path)
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        names = sorted(n for n in opened.namelist() if n != "manifest.json")
    assert sorted(manifest["members"]) == names
    assert manifest["schema_version"] == head_revision()
    assert manifest["dialect"] == "sqlite"
    assert "files/templates/tjansteskrivelse.docx" in names
    assert any(n.startswith("files/underlag/") and n.endswith("rutin lex Sarah.pdf") for n in names)
    rows = sqlite_rows(source[0].removeprefix("sqlite:///"))
    assert manifest["tables"] == {t: len(r) for t, r in rows.items() if t != "alembic_version"}


def test_a_database_that_is_not_empty_is_refused(source: tuple[str, Path], tmp_path: Path) -> None:
    url, data_dir = source
    archive = _archive(source, tmp_path)
    before = sqlite_rows(url.removeprefix("sqlite:///"))
    with pytest.raises(BackupError, match=r"^Databasen är inte tom \(tabellen \w+ har rader\)"):
        _restore(archive, url, tmp_path / "annan")
    assert sqlite_rows(url.removeprefix("sqlite:///")) == before
    with pytest.raises(BackupError, match="har redan filer i underlag/"):
        _restore(archive, f"sqlite:///{tmp_path / 'tom.db'}", data_dir)


@pytest.mark.parametrize(
    ("tamper", "says"),
    [
        ("change", "database/followup.jsonl har fel kontrollsumma"),
        ("remove", "database/action.jsonl saknas"),
        ("add", "files/underlag/extra.txt finns inte i manifestet"),
        ("escape", "otillåtet filnamn 'files/underlag/../../utanför.txt'"),
        ("manifest", "files/templates/tjansteskrivelse.docx har fel kontrollsumma"),
    ],
)
def test_a_tampered_archive_is_refused_and_nothing_restored(
    source: tuple[str, Path], tmp_path: Path, tamper: str, says: str
) -> None:
    archive = _archive(source, tmp_path)
    with zipfile.ZipFile(archive) as opened:
        followup = opened.read("database/followup.jsonl")
        manifest = json.loads(opened.read("manifest.json"))
    if tamper == "change":
        rewritten(archive, {"database/followup.jsonl": followup.replace(b"pagar", b"justerad", 1)})
    elif tamper == "remove":
        rewritten(archive, {"database/action.jsonl": None})
    elif tamper == "add":
        rewritten(archive, {}, add={"files/underlag/extra.txt": b"x"})
    elif tamper == "escape":
        rewritten(archive, {}, add={"files/underlag/../../utanför.txt": b"x"})
    else:
        manifest["members"]["files/templates/tjansteskrivelse.docx"]["sha256"] = "0" * 64
        rewritten(archive, {"manifest.json": json.dumps(manifest).encode()})
    target_url = f"sqlite:///{tmp_path / 'ny.db'}"
    with pytest.raises(BackupError) as caught:
        _restore(archive, target_url, tmp_path / "ny")
    assert caught.value.message == (
        f"Säkerhetskopian {archive} är skadad eller ändrad: {says}. Inget har återställts."
    )
    assert first_table_with_rows(make_engine(target_url)) is None
    assert files_of(tmp_path / "ny") == {}
    assert not (tmp_path / "utanför.txt").exists()


def test_not_an_archive_and_another_database_kind_are_refused(
    source: tuple[str, Path], tmp_path: Path
) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"inte ett arkiv")
    with pytest.raises(BackupError, match="är ingen säkerhetskopia"):
        _restore(junk, f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "a")
    archive = _archive(source, tmp_path)
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    manifest["dialect"] = "postgresql"
    rewritten(archive, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(BackupError, match="kan bara återställas till postgresql, inte till sqlite"):
        _restore(archive, f"sqlite:///{tmp_path / 'b.db'}", tmp_path / "b")


def test_the_snapshot_is_consistent_while_someone_writes(
    source: tuple[str, Path], tmp_path: Path
) -> None:
    """A transaction in progress is not in the backup, and does not stop it."""
    url, _data_dir = source
    writer = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=1)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE contractor SET name = 'Halvskriven AB'")
    try:
        archive = _archive(source, tmp_path)
    finally:
        writer.rollback()
        writer.close()
    with zipfile.ZipFile(archive) as opened:
        contractors = opened.read("database/contractor.jsonl").decode()
    assert "Halvskriven AB" not in contractors
    assert contractors.count("\n") == 3


def _add_users_at_old_schema(engine: Engine) -> None:
    """The test actors as users, in the columns the `user` table had at that schema."""
    table = Table("user", MetaData(), autoload_with=engine)
    with engine.begin() as conn:
        for actor in ACTORS:
            row = {
                "id": actor.user_id.hex,
                "username": f"test-{actor.username}",
                "display_name": actor.display_name,
                "role": actor.role.name,
                "password_hash": "-",
                "active": True,
                "created_at": datetime(2026, 1, 1),
            }
            conn.execute(table.insert().values({k: v for k, v in row.items() if k in table.c}))


def test_an_older_backup_is_restored_and_migrated_to_the_newest_schema(tmp_path: Path) -> None:
    old = make_engine(f"sqlite:///{tmp_path / 'gammal.db'}")
    command.upgrade(alembic_config(old), "0003")
    _add_users_at_old_schema(old)
    write_backup(old, tmp_path / "gammal", tmp_path / "gammal.zip")
    old.dispose()

    newest = make_engine(f"sqlite:///{tmp_path / 'nyast.db'}")
    migrate(newest)  # an empty database already at the newest schema
    with pytest.raises(BackupError, match="nyare än säkerhetskopians 0003"):
        restore_backup(newest, tmp_path / "nyast", tmp_path / "gammal.zip")
    newest.dispose()

    fresh = make_engine(f"sqlite:///{tmp_path / 'ny.db'}")
    restore_backup(fresh, tmp_path / "ny", tmp_path / "gammal.zip")
    with Session(fresh) as session:
        assert len(session.exec(select(User)).all()) == 5
        version = session.connection().execute(text("SELECT version_num FROM alembic_version"))
        assert version.scalar_one() == head_revision()
    fresh.dispose()


def test_the_commands_write_and_restore_one_archive(
    source: tuple[str, Path], tmp_path: Path
) -> None:
    url, data_dir = source
    archive = tmp_path / "natt.zip"
    env = {"DATABASE_URL": url, "AUDIT_DATA_DIR": str(data_dir)}
    result = runner.invoke(app, ["backup", str(archive)], env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Säkerhetskopian är skriven till {archive}: ")
    tables = len(sqlite_rows(url.removeprefix("sqlite:///"))) - 1  # not alembic_version
    assert f"rader i {tables} tabeller, 2 filer, schemaversion {head_revision()}" in result.stdout
    again = runner.invoke(app, ["backup", str(archive)], env=env)
    assert again.exit_code == 1
    assert "finns redan" in again.stderr
    target = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ny.db'}",
        "AUDIT_DATA_DIR": str(tmp_path / "ny"),
    }
    restored = runner.invoke(app, ["restore", str(archive)], env=target)
    assert restored.exit_code == 0, restored.output
    assert restored.stdout.startswith(f"Säkerhetskopian {archive} är återställd: ")
    twice = runner.invoke(app, ["restore", str(archive)], env=target)
    assert twice.exit_code == 1
    assert twice.stderr.startswith("Databasen är inte tom")
    assert (tmp_path / "ny" / "templates" / "tjansteskrivelse.docx").is_file()
