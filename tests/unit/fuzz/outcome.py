"""What every fuzz test asks of a call with a generated file: a result or a Swedish error,
never an unhandled exception or a crash of the reader, and nothing stored when it fails."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from hypothesis import event
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.errors import UserError
from tests.unit.untrusted.stored import everything

T = TypeVar("T")

_NOT_FOR_USERS = re.compile(
    r"Traceback|Exception|object has no|NoneType|invalid literal|avbröts oväntat"
)


def result_or_swedish_error(
    call: Callable[[], T], session: Session, engine: Engine, *, hostile: bool
) -> T | UserError:
    """Run a service call; on a user error, commit anyway and check that nothing was stored."""
    before = everything(engine)
    try:
        result = call()
    except UserError as exc:
        event(f"refused: {type(exc).__name__}")
        assert exc.message.strip(), "an empty message"
        assert not _NOT_FOR_USERS.search(exc.message), exc.message
        session.commit()  # even a caller that commits after the error stores nothing
        assert everything(engine) == before
        return exc
    assert not hostile, "a hostile file was accepted"
    event("accepted")
    session.commit()
    return result
