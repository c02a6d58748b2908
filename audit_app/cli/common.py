"""What every command shares: who it acts as, clean failures, the database session."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlmodel import Session, select

from audit_app.auth import SYSTEM, Actor
from audit_app.db import get_engine, session_scope
from audit_app.errors import UserError
from audit_app.models import User

EXIT_USER = 1
"""A Swedish message on stderr: the input or the request was wrong."""

AS_USER = typer.Option(
    "",
    "--as",
    help="Kör som detta konto (samma behörighet som i appen), t.ex. en läsares. "
    "Utan --as körs kommandot som systemet.",
)


def fail(message: str, code: int = EXIT_USER) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """A session that commits on success; a Swedish user error ends the command with exit 1."""
    try:
        with session_scope(get_engine()) as session:
            yield session
    except UserError as exc:
        fail(exc.message)


def actor_for(session: Session, username: str) -> Actor:
    """The actor a command acts as: the named active account, or the system."""
    if not username:
        return SYSTEM
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if user is None or not user.active:
        raise UserError(f"Det finns inget aktivt konto {username!r}.")
    return Actor.of(user)
