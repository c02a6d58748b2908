"""What every command shares: who it acts as, clean failures, the database session."""

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from sqlmodel import Session, select

from audit_app.auth import SYSTEM, Actor
from audit_app.db import get_engine, session_scope
from audit_app.errors import UserError
from audit_app.models import User
from audit_app.services.documents.pdf import docx_to_pdf

T = TypeVar("T")

EXIT_USER = 1
"""A Swedish message on stderr: the input or the request was wrong."""

AS_USER = typer.Option(
    "",
    "--as",
    help="Kör som detta konto (samma behörighet som i appen), t.ex. en läsares. "
    "Utan --as körs kommandot som systemet.",
)


def echo_json(data: object) -> None:
    """Write JSON on stdout, Swedish letters as they are (not \\u escapes)."""
    typer.echo(json.dumps(data, ensure_ascii=False))


def echo_rows(
    rows: Sequence[T], as_json: bool, to_json: Callable[[T], Any], line: Callable[[T], str]
) -> None:
    """A list command's output: with --json one JSON list (an object a row), else a line a row."""
    if as_json:
        echo_json([to_json(r) for r in rows])
    else:
        for r in rows:
            typer.echo(line(r))


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


def write_output(output: Path, content: bytes, pdf: bool = False) -> None:
    if pdf:
        content = docx_to_pdf(content)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)


def check_suffix(output: Path, allowed: tuple[str, ...]) -> bool:
    """Refuse a file name with the wrong ending; tell whether a PDF is asked for."""
    suffix = output.suffix.lower()
    if suffix not in allowed:
        fail(f"Filen {output.name} ska sluta på {' eller '.join(allowed)}.")
    return suffix == ".pdf"


def save_file(
    output: Path,
    as_user: str,
    make: Callable[[Session, Actor], bytes],
    allowed: tuple[str, ...] = (".docx", ".pdf"),
) -> bytes:
    """Check the file name, make the content as `as_user` in one unit of work, write it."""
    pdf = check_suffix(output, allowed)
    with unit_of_work() as session:
        content = make(session, actor_for(session, as_user))
    write_output(output, content, pdf)
    return content
