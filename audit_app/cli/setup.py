"""`audit-app init` and `audit-app demo`: the database, and the demo municipality."""

import typer

from audit_app.auth import SYSTEM
from audit_app.cli.common import fail, unit_of_work
from audit_app.db import get_engine, is_empty
from audit_app.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo
from audit_app.services.checklists import sync_shipped


def demo_accounts() -> str:
    """'admin, revisor, revisor2, chef och lasare' for the messages."""
    names = [u for u, _n, _r in DEMO_USERS]
    return ", ".join(names[:-1]) + " och " + names[-1]


def init() -> None:
    """Skapa/uppdatera databasen och lägg in demokommunen om den är tom."""
    if is_empty(get_engine()):
        with unit_of_work() as session:
            seed_demo(session)
        typer.echo(
            f"Databasen var tom: demokommunen är inlagd med demokontona {demo_accounts()} "
            f"(lösenord {DEMO_PASSWORD})."
        )
        return
    with unit_of_work() as session:
        sync_shipped(session, SYSTEM)
    typer.echo("Databasen är redo.")


def demo(
    force: bool = typer.Option(
        False, "--force", help="Lägg in demodata även om databasen inte är tom."
    ),
) -> None:
    """Skapa en demodatabas med påhittade entreprenörer, avtal och två års uppföljningar."""
    if not is_empty(get_engine()) and not force:
        fail("Databasen innehåller redan data; använd --force eller en ny DATABASE_URL.")
    with unit_of_work() as session:
        summary = seed_demo(session)
    typer.echo(f"Demokommunen är inlagd: {summary}. Demokonton: {demo_accounts()}.")
