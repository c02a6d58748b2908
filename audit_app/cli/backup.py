"""`audit-app backup FILE` and `audit-app restore FILE`: the whole installation in one archive.

Both act on DATABASE_URL and AUDIT_DATA_DIR. A backup can be taken while the app runs; a
restore needs an empty database and data folder. Nightly, e.g. in the service account's crontab:

    15 2 * * * cd /srv/revisionsstod && .venv/bin/audit-app backup /var/backups/revisionsstod/$(date +\\%F).zip
"""

from pathlib import Path

import typer

from audit_app.cli.common import fail
from audit_app.config import get_settings
from audit_app.db import get_engine, make_engine
from audit_app.domain.svtext import sv_number
from audit_app.errors import UserError
from audit_app.services.backup.run import BackupReport, restore_backup, write_backup


def _summary(report: BackupReport) -> str:
    return (
        f"{sv_number(report.rows)} rader i {report.tables} tabeller, {report.files} filer, "
        f"schemaversion {report.schema_version}, {sv_number(report.size / 1024 / 1024)} MB, "
        f"{sv_number(report.seconds)} s"
    )


def backup(
    file: Path = typer.Argument(
        ..., help="Arkivet som skrivs, t.ex. revisionsstod-2026-11-02.zip."
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Skriv över en befintlig fil."),
) -> None:
    """Säkerhetskopiera databasen, underlagen och de uppladdade mallarna till en fil."""
    if file.exists() and not overwrite:
        fail(f"Filen {file} finns redan; välj ett nytt namn eller använd --overwrite.")
    settings = get_settings()
    try:
        report = write_backup(get_engine(), settings.data_dir, file)
    except OSError as exc:
        fail(f"Säkerhetskopian kunde inte skrivas till {file}: {exc.strerror or exc}.")
        return
    typer.echo(f"Säkerhetskopian är skriven till {file}: {_summary(report)}.")


def restore(
    file: Path = typer.Argument(..., help="Ett arkiv från `audit-app backup`."),
) -> None:
    """Återställ en säkerhetskopia till en tom databas och en tom datamapp."""
    settings = get_settings()
    engine = make_engine(settings.database_url)  # not get_engine: that would migrate first
    try:
        report = restore_backup(engine, settings.data_dir, file)
    except UserError as exc:
        fail(exc.message)
        return
    finally:
        engine.dispose()
    typer.echo(f"Säkerhetskopian {file} är återställd: {_summary(report)}.")
