"""Run a parsing function in a child process with a memory limit (RLIMIT_AS) and a time limit.

    from audit_app.services.untrusted.guard import run_guarded, to_arrow

    def _read(data: bytes, filename: str) -> dict[str, Any]:   # module level, runs in the child
        table = fastexcel.read_excel(data).load_sheet(0).to_arrow()
        return {"shifts": to_arrow(table), "warnings": [...]}

    result = run_guarded(_read, data, filename, filename=filename)
    shifts = result["shifts"].frame()                           # or .table() for pyarrow

**Why forkserver.** The app is a multi-threaded Streamlit server; `fork` from it would copy
locks other threads hold (logging, the database pool, malloc arenas) into the child, where
nobody releases them. `spawn` is safe but starts a fresh interpreter and re-imports pandas,
pyarrow and calamine for every file (about 0.5 s). `forkserver` starts one clean,
single-threaded server process once (with those modules imported, see `PRELOAD`), and forks
each child from it: safe like spawn, and a few milliseconds per call like fork.

**What the function may return.** Plain data only: None, bool, int, float, str, bytes, lists,
tuples, dicts, sets, dates and times, and `ArrowBlob` (use `to_arrow(table_or_frame)`) for
tables: Arrow IPC bytes cost one copy, where pickled rows would cost a Python object per cell.
The parent unpickles the answer with an allow-list, so a child that was taken over by a hostile
file cannot hand the app an object that runs code. A `UserError` the function raises (e.g.
`ValidationFailed` with every problem in the file) comes back as it is.

**What the parent turns into Swedish.** The memory limit (MemoryError, or an allocation
failure that aborts a Rust or C library), the time limit (the child is killed), any signal and
any other exception in the child become a `GuardLimit` naming the file; the app never dies.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import spawn
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pyarrow as pa

from audit_app.domain.svtext import sv_number
from audit_app.errors import UserError
from audit_app.services.untrusted.errors import GuardLimit
from audit_app.services.untrusted.limits import MB, ChildLimits, guard_processes, reading_limits

log = logging.getLogger(__name__)

CONTEXT = multiprocessing.get_context("forkserver")

PRELOAD = [
    "pandas",
    "pyarrow",
    "python_calamine",
    "yaml",
    "audit_app.services.untrusted.guard",
    "audit_app.services.checklists.excel",
    "audit_app.services.registers",
    "audit_app.services.indicators.excel",
    "audit_app.services.staffing.guarded",
    "audit_app.services.documents.templates",
]
"""Imported once by the fork server, so no child imports them again: the libraries and every
module whose functions run guarded. The list is fixed when the server starts (the first
guarded call); a module not listed is still added if it is called first, else each of its
children imports it (correct, only slower): list new ones here."""

_SLOTS = threading.BoundedSemaphore(guard_processes())
_PRELOAD_LOCK = threading.Lock()
_STARTING = threading.local()
_PREPARATION = spawn.get_preparation_data


def _preparation_data(name: str) -> dict[str, Any]:
    """Tell a new child about its parent; leave the main module out for a guarded child.

    multiprocessing has every child run the parent's `__main__` again as `__mp_main__`. Under
    Streamlit `__main__` is the app script (Streamlit puts it there for each run), which must
    never run in a child; under a console script it would import the whole CLI again. A
    guarded child only runs a module-level function of an importable module, so it needs no
    main module. Other users of multiprocessing in the process are not affected.
    """
    data = _PREPARATION(name)
    if getattr(_STARTING, "guarded", False):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return dict(data)


spawn.get_preparation_data = _preparation_data

_MEMORY_MARKS = (
    "MemoryError",
    "memory allocation of",  # Rust's alloc error handler (calamine, fastexcel, polars)
    "Cannot allocate memory",
    "std::bad_alloc",
    "out of memory",
)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ArrowBlob:
    """A table as Arrow IPC stream bytes: how a guarded child hands back a table."""

    data: bytes
    pandas: bool = False  # made from a pandas DataFrame: `value()` gives one back

    def table(self) -> pa.Table:
        return pa.ipc.open_stream(pa.BufferReader(self.data)).read_all()

    def frame(self) -> pd.DataFrame:
        return self.table().to_pandas()

    def value(self) -> pa.Table | pd.DataFrame:
        """Return the table as it was given to `to_arrow`: a DataFrame or a pyarrow Table."""
        return self.frame() if self.pandas else self.table()


def to_arrow(value: pa.Table | pd.DataFrame) -> ArrowBlob:
    """Return a pyarrow Table or a pandas DataFrame (index dropped) as Arrow IPC bytes."""
    is_frame = isinstance(value, pd.DataFrame)
    table = pa.Table.from_pandas(value, preserve_index=False) if is_frame else value
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return ArrowBlob(sink.getvalue().to_pybytes(), pandas=is_frame)


_PLAIN = {
    ("builtins", name)
    for name in ("list", "dict", "tuple", "set", "frozenset", "bytes", "bytearray", "str")
} | {("builtins", name) for name in ("int", "float", "bool", "complex")}
_PLAIN |= {("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")}
_PLAIN |= {(__name__, "ArrowBlob"), ("audit_app.errors", "FieldError")}


class _AllowListUnpickler(pickle.Unpickler):
    """Unpickle plain data, ArrowBlob and the app's own UserError classes, nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN:
            return super().find_class(module, name)
        if module.startswith("audit_app.") and module in sys.modules and "." not in name:
            found = getattr(sys.modules[module], name, None)
            if isinstance(found, type) and issubclass(found, UserError):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed from a guarded child")


def _loads(payload: bytes) -> Any:
    return _AllowListUnpickler(io.BytesIO(payload)).load()


def _rebuild_error(cls: type[UserError], args: tuple[Any, ...], state: dict[str, Any]) -> UserError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


# --------------------------------------------------------------------------- the child


def _address_space() -> int:
    """Return this process's virtual memory size in bytes (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _limit_memory(extra_bytes: int) -> None:
    """Cap the address space at its current size plus `extra_bytes`; no core files."""
    limit = _address_space() + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(
    conn: Any,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    extra_bytes: int,
    settings: dict[str, str],
    stderr_path: str,
) -> None:
    """Run `func` under the limits and send one pickled envelope back."""
    err = os.open(stderr_path, os.O_WRONLY | os.O_TRUNC)
    os.dup2(err, 2)
    os.close(err)
    for key in [k for k in os.environ if k.startswith("AUDIT_")]:
        del os.environ[key]
    os.environ.update(settings)  # the fork server started with the settings of its time
    envelope: tuple[Any, ...]
    try:
        _limit_memory(extra_bytes)
        envelope = ("ok", func(*args, **kwargs))
    except UserError as exc:
        envelope = ("user_error", type(exc), exc.args, dict(exc.__dict__))
    except MemoryError:
        envelope = ("memory",)
    except BaseException as exc:
        traceback.print_exc()
        envelope = ("crash", type(exc).__name__)
    try:
        payload = pickle.dumps(envelope, protocol=5)
    except MemoryError:
        payload = pickle.dumps(("memory",))
    except Exception as exc:
        traceback.print_exc()
        payload = pickle.dumps(("crash", f"svaret kunde inte skickas: {type(exc).__name__}"))
    conn.send_bytes(payload)
    conn.close()


# --------------------------------------------------------------------------- the parent


@dataclass(frozen=True)
class _Wording:
    label: str
    verb: str
    memory_hint: str
    time_hint: str
    crash_hint: str


def _wording(filename: str, what: Literal["fil", "mall"]) -> _Wording:
    if what == "mall":
        return _Wording(
            f"Mallen {filename}",
            "användas",
            "Den bygger troligen upp en mycket stor text eller ett stort dokument; kontrollera "
            "taggarna.",
            "Den innehåller troligen en loop som aldrig blir klar; kontrollera for-taggarna.",
            "Spara mallen på nytt i Word och försök igen.",
        )
    return _Wording(
        f"Filen {filename}",
        "läsas",
        "Kontrollera att den inte har tomma men formaterade rader eller kolumner långt ned "
        "eller till höger, spara den på nytt och försök igen.",
        "Kontrollera att det är rätt fil, spara den på nytt och försök igen.",
        "Filen kan vara skadad; öppna den, spara den på nytt och försök igen.",
    )


FREEZE = "audit_app.services.untrusted.forkserver"
"""Preloaded last: freezes the server's objects (gc.freeze) so children copy fewer pages."""


def _preload(module: str) -> None:
    with _PRELOAD_LOCK:
        if module not in PRELOAD:
            PRELOAD.append(module)
        CONTEXT.set_forkserver_preload([*PRELOAD, FREEZE])


def warm_up() -> None:
    """Start the fork server now (with its modules imported), so the first file is quick."""
    _preload(__name__)
    run_guarded(_nothing, filename="(uppstart)")


def _nothing() -> None:
    """Do nothing in a child (warm_up)."""


def _seconds(value: float) -> str:
    return f"{sv_number(value)} {'sekund' if value == 1 else 'sekunder'}"


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(code).name
    except ValueError:
        return f"signal {code}"


def run_guarded(
    func: Callable[..., Any],
    /,
    *args: Any,
    filename: str,
    limits: ChildLimits | None = None,
    what: Literal["fil", "mall"] = "fil",
    **kwargs: Any,
) -> Any:
    """Call `func(*args, **kwargs)` in a guarded child and return its (plain) result.

    `func` must be a module-level function. A `UserError` it raises is raised here; a limit, a
    signal or any other exception raises `GuardLimit` in Swedish, naming `filename`.
    """
    module = getattr(func, "__module__", "__main__")
    if module in ("__main__", "__mp_main__") or func.__qualname__ != func.__name__:
        raise TypeError("run_guarded needs a module-level function of an importable module")
    limits = limits or reading_limits()
    words = _wording(filename, what)
    _preload(func.__module__)
    if not _SLOTS.acquire(timeout=limits.seconds):
        raise GuardLimit(
            filename,
            "time",
            f"{words.label} kunde inte {words.verb} just nu: servern läser redan andra filer. "
            "Försök igen om en stund.",
        )
    try:
        envelope, exitcode, stderr = _run_child(func, args, kwargs, limits)
    finally:
        _SLOTS.release()
    if envelope is None and exitcode is None:
        raise GuardLimit(
            filename,
            "time",
            f"{words.label} kunde inte {words.verb}: det tog längre än gränsen "
            f"{_seconds(limits.seconds)} och avbröts. {words.time_hint}",
        )
    if envelope is None:
        memory = any(mark in stderr for mark in _MEMORY_MARKS) or exitcode == -signal.SIGKILL
        log.info("guarded child for %s ended with %s: %s", filename, exitcode, stderr[-2000:])
        if memory:
            envelope = ("memory",)
        else:
            envelope = ("crash", _signal_name(-exitcode) if exitcode and exitcode < 0 else "")
    kind = envelope[0]
    if kind == "ok":
        return envelope[1]
    if kind == "user_error":
        raise _rebuild_error(envelope[1], envelope[2], envelope[3])
    if kind == "memory":
        raise GuardLimit(
            filename,
            "memory",
            f"{words.label} kunde inte {words.verb}: den kräver mer minne än gränsen "
            f"{sv_number(limits.memory_mb)} MB. {words.memory_hint}",
        )
    log.info("guarded child for %s failed: %s %s", filename, envelope[1:], stderr[-2000:])
    detail = f" ({envelope[1]})" if len(envelope) > 1 and envelope[1] else ""
    raise GuardLimit(
        filename,
        "crash",
        f"{words.label} kunde inte {words.verb}: läsningen avbröts oväntat{detail}. "
        f"{words.crash_hint}",
    )


def _run_child(
    func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], limits: ChildLimits
) -> tuple[tuple[Any, ...] | None, int | None, str]:
    """Run the child; return (envelope or None, exit code or None on timeout, its stderr)."""
    settings = {k: v for k, v in os.environ.items() if k.startswith("AUDIT_")}
    handle, stderr_path = tempfile.mkstemp(prefix="audit-guard-", suffix=".log")
    os.close(handle)
    reader, writer = CONTEXT.Pipe(duplex=False)
    process = CONTEXT.Process(
        target=_child,
        args=(writer, func, args, kwargs, limits.memory_mb * MB, settings, stderr_path),
        daemon=True,
    )
    envelope: tuple[Any, ...] | None = None
    timed_out = False
    try:
        _STARTING.guarded = True
        try:
            process.start()
        finally:
            _STARTING.guarded = False
        writer.close()
        if reader.poll(limits.seconds):
            try:
                envelope = _loads(reader.recv_bytes())
            except (EOFError, OSError):
                envelope = None
            except pickle.UnpicklingError as exc:
                log.info("guarded child sent a forbidden answer: %s", exc)
                envelope = ("crash", "otillåtet svar från läsningen")
        else:
            timed_out = True
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        reader.close()
        try:
            stderr = Path(stderr_path).read_text(encoding="utf-8", errors="replace")
        finally:
            os.unlink(stderr_path)
    if timed_out:
        return None, None, stderr
    return envelope, process.exitcode, stderr
