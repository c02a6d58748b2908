"""`audit-app checklist`: validate, export, import and list checklists."""

from pathlib import Path

import typer
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.auth import SYSTEM
from audit_app.config import get_settings
from audit_app.db import get_engine, session_scope
from audit_app.errors import UserError, ValidationFailed
from audit_app.services import checklists
from audit_app.services.untrusted.errors import FileRejected
from audit_app.services.untrusted.limits import MB, file_limits

checklist_app = typer.Typer(
    help="Checklistor: validera, exportera till Excel och importera nya versioner.",
    no_args_is_help=True,
)


def _engine() -> Engine:
    return get_engine(get_settings().database_url)


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(1)


def _read(path: Path) -> checklists.Checklist:
    if not path.is_file():
        raise ValidationFailed([f"Filen {str(path)!r} finns inte."])
    cap = file_limits().upload_bytes
    if path.stat().st_size > cap:  # refused before it is read into memory
        raise FileRejected(
            path.name, [f"Filen {path.name} är större än {cap // MB} MB och läses inte."]
        )
    return checklists.read_upload(path.read_bytes(), path.name)


@checklist_app.command("validate")
def validate(
    paths: list[Path] = typer.Argument(..., help="YAML- eller Excel-filer att kontrollera."),
) -> None:
    """Kontrollera checklistfiler (YAML eller Excel); avslutas med kod 1 och felen om någon är fel."""
    failed = False
    for path in paths:
        try:
            checklist = _read(path)
        except ValidationFailed as exc:
            failed = True
            typer.echo(f"{path}: {len(exc.errors)} fel", err=True)
            for error in exc.errors:
                typer.echo(f"  {error.message}", err=True)
            continue
        typer.echo(
            f"{path}: OK ({checklist.name}, {len(checklist.sections)} avsnitt, "
            f"{checklist.item_count()} frågor)"
        )
    if failed:
        raise typer.Exit(1)


@checklist_app.command("export")
def export(
    key: str = typer.Argument(..., help="Checklistans id, t.ex. avtalsuppfoljning."),
    output: Path = typer.Option(..., "-o", "--output", help="Excel-fil att skriva (.xlsx)."),
    version: int | None = typer.Option(None, "--version", help="Version (standard: senaste)."),
) -> None:
    """Exportera en sparad checklistversion till en Excel-fil."""
    with session_scope(_engine()) as session:
        checklists.sync_shipped(session, SYSTEM)
        found = (
            checklists.latest(session, key)
            if version is None
            else next(
                (v for v in checklists.list_versions(session, key) if v.version == version), None
            )
        )
        if found is None:
            known = ", ".join(v.key for v in checklists.list_latest(session))
            _fail(
                f"Checklistan {key!r} (version {version or 'senaste'}) finns inte. Finns: {known}."
            )
            return
        data = checklists.to_excel(checklists.checklist_of(found))
        label = f"{found.key} version {found.version}"
    output.write_bytes(data)
    typer.echo(f"Exporterade {label} till {output}.")


@checklist_app.command("import")
def import_(
    path: Path = typer.Argument(..., help="Redigerad Excel-fil (eller YAML-fil)."),
) -> None:
    """Läs in en redigerad checklista som en ny version och skriv ut versionen."""
    try:
        checklist = _read(path)
    except ValidationFailed as exc:
        typer.echo(f"{path}: {len(exc.errors)} fel. Inget har sparats.", err=True)
        for error in exc.errors:
            typer.echo(f"  {error.message}", err=True)
        raise typer.Exit(1) from None
    try:
        with session_scope(_engine()) as session:
            checklists.sync_shipped(session, SYSTEM)
            previous = checklists.latest(session, checklist.key)
            stored = checklists.import_version(session, SYSTEM, checklist, f"import {path.name}")
            change = (
                checklists.diff(previous.content, stored.content).summary()
                if previous is not None
                else "ny checklista"
            )
            label = f"{stored.key} version {stored.version}"
    except checklists.ChecklistUnchanged as exc:
        typer.echo(exc.message)
        return
    except UserError as exc:
        _fail(exc.message)
        return
    typer.echo(f"Sparade {label} ({change}).")


@checklist_app.command("list")
def list_() -> None:
    """Lista den senaste versionen av varje checklista."""
    with Session(_engine()) as session:
        for cv in checklists.list_latest(session):
            typer.echo(f"{cv.key}\tversion {cv.version}\t{cv.kind}\t{cv.name}")


@checklist_app.command("schema")
def schema(
    output: Path = typer.Option(
        checklists.SCHEMA_FILE, "-o", "--output", help="Var JSON Schema ska skrivas."
    ),
) -> None:
    """Skriv checklistformatets JSON Schema (checklists/schema.json)."""
    output.write_text(checklists.schema_text(), encoding="utf-8")
    typer.echo(f"Skrev {output}.")
