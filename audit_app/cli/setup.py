"""`audit-app init` and `audit-app demo`: the database, and the demo municipality."""

import typer

from audit_app.auth import SYSTEM, create_first_admin
from audit_app.cli.common import fail, unit_of_work
from audit_app.db import get_engine, is_empty
from audit_app.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo
from audit_app.services.checklists import sync_shipped
from audit_app.serving import exec_server


def demo_accounts() -> str:
    """'admin, revisor, revisor2, chef och lasare' for the messages."""
    names = [u for u, _n, _r in DEMO_USERS]
    return ", ".join(names[:-1]) + " och " + names[-1]


def init(
    with_demo: bool = typer.Option(
        False,
        "--demo",
        help="Lägg in demokommunen med demokontona i stället för ett administratörskonto om "
        "databasen är tom (så gör make run).",
    ),
) -> None:
    """Skapa/uppdatera databasen; en tom databas får ett administratörskonto (eller demo)."""
    if is_empty(get_engine()):
        with unit_of_work() as session:
            if with_demo:
                seed_demo(session)
            else:
                _user, password = create_first_admin(session)
                sync_shipped(session, SYSTEM)
        if with_demo:
            typer.echo(
                f"Databasen var tom: demokommunen är inlagd med demokontona {demo_accounts()} "
                f"(lösenord {DEMO_PASSWORD})."
            )
        else:
            typer.echo(
                "Databasen var tom: administratörskontot admin är skapat med lösenordet\n\n"
                f"    {password}\n\n"
                "Lösenordet visas bara nu. Logga in och byt det (Användare, eller "
                "audit-app users passwd admin), och lägg till konton för de andra."
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


def serve(
    address: str = typer.Option(
        "localhost",
        "--address",
        help="Adressen appen lyssnar på (standard: bara den här datorn). Ange 0.0.0.0 bara "
        "bakom en omvänd proxy med HTTPS.",
    ),
    port: int = typer.Option(8501, "--port", help="Porten appen lyssnar på."),
) -> None:
    """Starta appen i webbläsaren (lyssnar bara på den här datorn om inget annat anges)."""
    typer.echo(f"Startar Revisionsstöd på http://{address}:{port} …")
    exec_server(address, port)
