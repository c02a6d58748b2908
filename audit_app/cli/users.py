"""`audit-app users`: local accounts."""

from typing import Any

import typer

from audit_app.auth import SYSTEM, add_user, list_users, set_active, set_password
from audit_app.cli.common import echo_rows, unit_of_work
from audit_app.domain.labels import ROLE_LABELS
from audit_app.models import Role, User

users_app = typer.Typer(help="Hantera lokala konton.", no_args_is_help=True)


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="Användarnamn (små bokstäver)."),
    role: Role = typer.Option(
        ...,
        "--role",
        help="admin, revisor, forvaltningschef, utredare (MAS / utredningssekreterare) eller lasare",
    ),
    name: str = typer.Option(..., "--name", help="Namnet som visas"),
    password: str = typer.Option(..., prompt="Lösenord", hide_input=True, confirmation_prompt=True),
) -> None:
    """Lägg till ett konto."""
    with unit_of_work() as session:
        add_user(session, SYSTEM, username, name, role, password)
    typer.echo(f"Kontot {username.lower()} ({ROLE_LABELS[role]}) är skapat.")


@users_app.command("list")
def users_list(as_json: bool = typer.Option(False, "--json", help="Skriv ut JSON.")) -> None:
    """Lista konton."""
    with unit_of_work() as session:
        users = list_users(session)
    echo_rows(users, as_json, _user_json, _user_line)


def _user_json(u: User) -> dict[str, Any]:
    return {
        "username": u.username,
        "name": u.display_name,
        "role": u.role.value,
        "active": u.active,
    }


def _user_line(u: User) -> str:
    state = "" if u.active else " (avstängd)"
    return f"{u.username:<16} {ROLE_LABELS[u.role]:<28} {u.display_name}{state}"


@users_app.command("passwd")
def users_passwd(
    username: str = typer.Argument(..., help="Kontots användarnamn."),
    password: str = typer.Option(
        ..., prompt="Nytt lösenord", hide_input=True, confirmation_prompt=True
    ),
) -> None:
    """Byt lösenord för ett konto."""
    with unit_of_work() as session:
        set_password(session, SYSTEM, username.lower(), password)
    typer.echo(f"Lösenordet för {username.lower()} är bytt.")


@users_app.command("disable")
def users_disable(username: str = typer.Argument(..., help="Kontots användarnamn.")) -> None:
    """Stäng av ett konto: det kan inte logga in och dess inloggningar avslutas."""
    with unit_of_work() as session:
        set_active(session, SYSTEM, username, False)
    typer.echo(f"Kontot {username.lower()} är avstängt; dess inloggningar är avslutade.")


@users_app.command("enable")
def users_enable(username: str = typer.Argument(..., help="Kontots användarnamn.")) -> None:
    """Aktivera ett avstängt konto igen."""
    with unit_of_work() as session:
        set_active(session, SYSTEM, username, True)
    typer.echo(f"Kontot {username.lower()} är aktivt igen.")
