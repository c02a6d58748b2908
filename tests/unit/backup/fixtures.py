"""An installation to back up: the demo database, an evidence file and an uploaded template."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect
from sqlmodel import Session, select
from typer.testing import CliRunner

from audit_app.cli import app
from audit_app.models import FollowUp, FollowUpStatus
from audit_app.services import evidence
from audit_app.services.documents import templates
from tests.conftest import ADMIN, REVISOR
from tests.unit.documents.docx_reading import edited_template

runner = CliRunner()


def add_files(engine: Engine) -> None:
    """Store an evidence file on an ongoing follow-up and upload a changed template."""
    with Session(engine) as session:
        ongoing = session.exec(
            select(FollowUp).where(FollowUp.status == FollowUpStatus.pagar)
        ).first()
        assert ongoing is not None
        key = ongoing.agenda[0]["key"]
        evidence.store_evidence(
            session, REVISOR, ongoing.id, key, "rutin lex Sarah.pdf", b"%PDF-1.4 rutin"
        )
        session.commit()
    name = "tjansteskrivelse.docx"
    templates.save_template(ADMIN, name, edited_template(name, {"Sammanfattning": "Summering"}))


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under a data folder's evidence and template folders, by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for sub in ("underlag", "templates")
        if (folder / sub).is_dir()
        for p in sorted((folder / sub).rglob("*"))
        if p.is_file()
    }


def sqlite_rows(path: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table as SQLite stores it (raw values, rowid order)."""
    database = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        return {
            t: database.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables
        }
    finally:
        database.close()


def typed_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table as the driver returns it, sorted (PostgreSQL)."""
    with engine.connect() as conn:
        return {
            t: sorted((tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{t}"')), key=repr)
            for t in sorted(inspect(conn).get_table_names())
        }


def followups_json(url: str, data_dir: Path) -> list[dict[str, Any]]:
    result = runner.invoke(
        app,
        ["followups", "list", "--json"],
        env={"DATABASE_URL": url, "AUDIT_DATA_DIR": str(data_dir)},
    )
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout))


def rewritten(
    archive: Path, change: dict[str, bytes | None], add: dict[str, bytes] | None = None
) -> None:
    """Rewrite members of an archive in place (None removes one): a tampered backup."""
    with zipfile.ZipFile(archive) as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    for name, data in change.items():
        if data is None:
            members.pop(name)
        else:
            members[name] = data
    members.update(add or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    archive.write_bytes(out.getvalue())
