"""Functions the guard tests run in a child process (module level, as the guard requires)."""

from __future__ import annotations

import ctypes
import os
import signal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from audit_app.errors import FieldError, ValidationFailed
from audit_app.services.untrusted.guard import ArrowBlob, to_arrow


def plain() -> dict[str, Any]:
    return {"rader": [1, 2.5, "å", b"\x00", None, True], "par": (1, 2), "mängd": {3}}


def tables() -> dict[str, ArrowBlob]:
    frame = pd.DataFrame({"pass": [1, 2], "roll": ["usk", "ssk"]})
    return {"frame": to_arrow(frame), "table": to_arrow(pa.table({"x": [1.5, None]}))}


def refuse(filename: str) -> None:
    raise ValidationFailed(
        [FieldError("Blad1!3!Krav", 'Blad "Blad1", rad 3: kravtexten är tom.')],
        intro=f"Filen {filename!r} kunde inte läsas in:",
    )


def grab_memory(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def spin() -> None:
    while True:
        pass


def segfault() -> None:
    ctypes.string_at(0)


def kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def fail_unexpectedly() -> None:
    raise KeyError("kolumn")


class _Bomb:
    """An object whose unpickling would run a command: the parent must refuse it."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def hostile_answer(marker: str) -> Any:
    return [_Bomb(marker)]


def setting(name: str) -> str:
    return os.environ.get(name, "")


def write_file(path: str) -> str:
    Path(path).write_text("x")
    return path
