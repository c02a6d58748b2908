"""`audit-app backup FILE` and `audit-app restore FILE`.

A backup is written to `FILE.partial` and renamed when complete, so a crash never leaves a
half archive under the real name. The database snapshot is taken first and the files after it:
every evidence file is written before its row is committed, so each row's file is in the
archive (a file uploaded during the backup may be there without its row; that is harmless).

A restore reads and verifies the whole archive first (manifest, every SHA-256), refuses a
database that holds any row and a data folder that holds evidence or templates, brings an empty
database to the archive's schema version, writes the files, inserts every row in one
transaction (the files are removed again if it fails), and then migrates to the newest schema.
"""

from __future__ import annotations

import json
import os
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from audit_app.db import alembic_config, migrate
from audit_app.services.backup import database
from audit_app.services.backup.archive import (
    CHUNK,
    FILE_FOLDERS,
    FILES_DIR,
    MANIFEST,
    BackupError,
    HashingWriter,
    Manifest,
    read_manifest,
    table_member,
)

EVIDENCE_TABLE = "evidence"
EVIDENCE_PATH = "stored_path"


@dataclass
class BackupReport:
    """What a backup or restore did, for the command's last line."""

    path: Path
    schema_version: str
    rows: int
    tables: int
    files: int
    size: int
    seconds: float


def _data_files(data_dir: Path) -> Iterator[tuple[Path, str]]:
    """Yield (path, archive name) of every regular file in the backed-up folders."""
    for folder in FILE_FOLDERS:
        root = data_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                relative = path.relative_to(data_dir).as_posix()
                yield path, f"{FILES_DIR}/{relative}"


def _entry(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def write_backup(engine: Engine, data_dir: Path, target: Path) -> BackupReport:
    """Write one archive: a consistent database snapshot, the data files and the manifest."""
    started = time.perf_counter()
    now = datetime.now(UTC)
    stamp = now.timetuple()[:6]
    partial = target.with_name(target.name + ".partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    members: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    try:
        with (
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
            database.snapshot(engine) as snap,
        ):
            for table in snap.tables:
                name = table_member(table)
                rows = 0
                with archive.open(_entry(name, stamp), "w", force_zip64=True) as member:
                    writer = HashingWriter(member)
                    for line in snap.rows(table):
                        writer.write(line)
                        rows += 1
                members[name] = writer.entry()
                counts[table] = rows
            for path, name in _data_files(data_dir):
                entry = _entry(name, stamp)
                with (
                    path.open("rb") as source,
                    archive.open(entry, "w", force_zip64=True) as member,
                ):
                    writer = HashingWriter(member)
                    while chunk := source.read(CHUNK):
                        writer.write(chunk)
                members[name] = writer.entry()
            manifest = Manifest(
                created_at=now.isoformat(timespec="seconds"),
                schema_version=snap.schema_version,
                dialect=snap.dialect,
                data_dir=str(data_dir),
                tables=counts,
                members=members,
            )
            archive.writestr(MANIFEST, manifest.to_json())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(
        path=target,
        schema_version=manifest.schema_version,
        rows=sum(counts.values()),
        tables=len(counts),
        files=sum(1 for n in members if n.startswith(FILES_DIR + "/")),
        size=target.stat().st_size,
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------- restore


def _check_target(engine: Engine, data_dir: Path) -> None:
    table = database.first_table_with_rows(engine)
    if table is not None:
        raise BackupError(
            f"Databasen är inte tom (tabellen {table} har rader). Återställ till en ny, tom "
            "databas: ange en ny DATABASE_URL (eller en ny SQLite-fil) och försök igen."
        )
    for folder in FILE_FOLDERS:
        root = data_dir / folder
        if root.is_dir() and any(p.is_file() for p in root.rglob("*")):
            raise BackupError(
                f"Datamappen {data_dir} har redan filer i {folder}/. Återställ till en tom "
                "datamapp (AUDIT_DATA_DIR) och försök igen."
            )


def _prepare_schema(engine: Engine, manifest: Manifest, path: str) -> None:
    """Bring an empty database to the archive's schema version (refuse a newer one)."""
    config = alembic_config(engine)
    script = ScriptDirectory.from_config(config)
    try:
        script.get_revision(manifest.schema_version)
    except CommandError:
        raise BackupError(
            f"Säkerhetskopian {path} har schemaversion {manifest.schema_version}, som den här "
            "versionen av programmet inte känner till. Återställ med en nyare version."
        ) from None
    with engine.connect() as conn:
        current = database.schema_version(conn)
    if current and current != manifest.schema_version:
        older = {r.revision for r in script.walk_revisions("base", manifest.schema_version)}
        if current not in older:
            raise BackupError(
                f"Databasen har redan schemaversion {current}, nyare än säkerhetskopians "
                f"{manifest.schema_version}. Återställ till en helt ny databas."
            )
    command.upgrade(config, manifest.schema_version)


def _rows(
    archive: zipfile.ZipFile, table: str, rewrite: tuple[str, str] | None
) -> Iterator[dict[str, object]]:
    with archive.open(table_member(table)) as member:
        for line in member:
            row = json.loads(line)
            if rewrite and table == EVIDENCE_TABLE and isinstance(row.get(EVIDENCE_PATH), str):
                old, new = rewrite
                stored = str(row[EVIDENCE_PATH])
                if stored.startswith(old + "/"):
                    row[EVIDENCE_PATH] = new + stored[len(old) :]
            yield row


def _write_files(archive: zipfile.ZipFile, manifest: Manifest, data_dir: Path) -> list[Path]:
    written: list[Path] = []
    for name in manifest.members:
        parts = PurePosixPath(name).parts
        if parts[0] != FILES_DIR:
            continue
        target = data_dir.joinpath(*parts[1:])
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".restoring")
        with archive.open(name) as source, temporary.open("wb") as out:
            while chunk := source.read(CHUNK):
                out.write(chunk)
        os.replace(temporary, target)
        written.append(target)
    return written


def restore_backup(engine: Engine, data_dir: Path, source: Path) -> BackupReport:
    """Restore an archive into an empty database and data folder (see the module's note)."""
    started = time.perf_counter()
    if not source.is_file():
        raise BackupError(f"Filen {source} finns inte.")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise BackupError(f"Filen {source} är ingen säkerhetskopia (inte ett zip-arkiv).") from None
    with archive:
        manifest = read_manifest(archive, str(source))
        if manifest.dialect != engine.dialect.name:
            raise BackupError(
                f"Säkerhetskopian kommer från en {manifest.dialect}-databas och kan bara "
                f"återställas till {manifest.dialect}, inte till {engine.dialect.name}."
            )
        _check_target(engine, data_dir)
        _prepare_schema(engine, manifest, str(source))
        data_dir.mkdir(parents=True, exist_ok=True)
        old_dir = manifest.data_dir.rstrip("/")
        new_dir = str(data_dir).rstrip("/")
        rewrite = (old_dir, new_dir) if old_dir != new_dir else None
        written = _write_files(archive, manifest, data_dir)
        try:
            counts = database.load(
                engine, list(manifest.tables), lambda table: _rows(archive, table, rewrite)
            )
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
    migrate(engine)
    return BackupReport(
        path=source,
        schema_version=manifest.schema_version,
        rows=sum(counts.values()),
        tables=len(counts),
        files=len(written),
        size=source.stat().st_size,
        seconds=time.perf_counter() - started,
    )
