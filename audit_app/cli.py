"""Command line: set-up, demo data, accounts, and the tools of the later steps."""

import json
import sys

import typer
from sqlmodel import Session

from audit_app.auth import ROLE_LABELS, SYSTEM, add_user, list_users, set_password
from audit_app.cli_checklist import checklist_app
from audit_app.cli_documents import followups_app, minutes, report_app
from audit_app.cli_schedule import schedule_app
from audit_app.db import get_engine, is_empty
from audit_app.errors import UserError
from audit_app.models import Role

app = typer.Typer(
    help="Revisionsstöd: uppföljning av avtal och kvalitet hos utförare.",
    no_args_is_help=True,
    add_completion=False,
)
users_app = typer.Typer(help="Hantera lokala konton.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(schedule_app, name="schedule")
app.add_typer(checklist_app, name="checklist")
app.add_typer(followups_app, name="followups")
app.command("minutes")(minutes)
app.add_typer(report_app, name="report")


def _fail(exc: UserError, code: int = 1) -> None:
    typer.echo(exc.message, err=True)
    raise typer.Exit(code)


@app.command()
def init() -> None:
    """Skapa/uppdatera databasen och lägg in demokommunen om den är tom."""
    engine = get_engine()
    if is_empty(engine):
        from audit_app.demo import seed_demo

        with Session(engine) as session:
            seed_demo(session)
            session.commit()
        typer.echo(
            "Databasen var tom: demokommunen är inlagd (konton admin, revisor, chef, lasare; lösenord demo)."
        )
    else:
        from audit_app.services.checklists import sync_shipped

        with Session(engine) as session:
            sync_shipped(session, SYSTEM)
            session.commit()
        typer.echo("Databasen är redo.")


@app.command()
def demo(
    force: bool = typer.Option(
        False, "--force", help="Lägg in demodata även om databasen inte är tom."
    ),
) -> None:
    """Skapa en demodatabas med påhittade entreprenörer, avtal och två års uppföljningar."""
    from audit_app.demo import seed_demo

    engine = get_engine()
    if not is_empty(engine) and not force:
        typer.echo(
            "Databasen innehåller redan data; använd --force eller en ny DATABASE_URL.", err=True
        )
        raise typer.Exit(1)
    with Session(engine) as session:
        summary = seed_demo(session)
        session.commit()
    typer.echo(f"Demokommunen är inlagd: {summary}.")


@users_app.command("add")
def users_add(
    username: str,
    role: Role = typer.Option(..., "--role", help="admin, revisor, forvaltningschef eller lasare"),
    name: str = typer.Option(..., "--name", help="Namnet som visas"),
    password: str = typer.Option(..., prompt="Lösenord", hide_input=True, confirmation_prompt=True),
) -> None:
    """Lägg till ett konto."""
    with Session(get_engine()) as session:
        try:
            add_user(session, SYSTEM, username, name, role, password)
            session.commit()
        except UserError as exc:
            _fail(exc)
    typer.echo(f"Kontot {username.lower()} ({ROLE_LABELS[role]}) är skapat.")


@users_app.command("list")
def users_list(as_json: bool = typer.Option(False, "--json")) -> None:
    """Lista konton."""
    with Session(get_engine()) as session:
        users = list_users(session)
    if as_json:
        rows = [
            {
                "username": u.username,
                "name": u.display_name,
                "role": u.role.value,
                "active": u.active,
            }
            for u in users
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for u in users:
        state = "" if u.active else " (avstängd)"
        typer.echo(f"{u.username:<16} {ROLE_LABELS[u.role]:<28} {u.display_name}{state}")


@users_app.command("passwd")
def users_passwd(
    username: str,
    password: str = typer.Option(
        ..., prompt="Nytt lösenord", hide_input=True, confirmation_prompt=True
    ),
) -> None:
    """Byt lösenord för ett konto."""
    with Session(get_engine()) as session:
        try:
            set_password(session, SYSTEM, username.lower(), password)
            session.commit()
        except UserError as exc:
            _fail(exc)
    typer.echo(f"Lösenordet för {username.lower()} är bytt.")


def main() -> None:
    try:
        app()
    except UserError as exc:  # pragma: no cover - last resort for a clean message
        typer.echo(exc.message, err=True)
        sys.exit(1)
