"""The schedule readers behind the guard: every schedule from outside is checked by content and
declared size, then read in a guarded child process; only shifts without names come back.

The page and `audit-app schedule analyse` call `read_schedule` and `inspect_schedule` from
here. The reader itself (`reading`, `parsing`) runs unchanged inside the child and may be
rewritten freely: whatever `parsing.read_schedule` returns comes back field by field. A field
that is a pandas DataFrame or a pyarrow Table travels as Arrow IPC bytes (one copy, no Python
object per cell); every other field must be plain data (str, numbers, None, dates and times,
lists, tuples, dicts): the parent refuses any other class, so a new dataclass field would need
to become a dict here first.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import pyarrow as pa

from audit_app.services.staffing import parsing, reading
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.parsing import Schedule
from audit_app.services.staffing.reading import ScheduleLayout, source_bytes
from audit_app.services.untrusted.checks import check_upload
from audit_app.services.untrusted.errors import FileRejected, GuardLimit
from audit_app.services.untrusted.guard import ArrowBlob, run_guarded, to_arrow
from audit_app.services.untrusted.limits import MB, file_limits

SCHEDULE_KINDS = frozenset({"xlsx", "xls", "ods", "text", "encrypted", "empty"})
"""What may reach the reader, which says itself why an empty, encrypted or misnamed one fails."""

_REFUSED: OrderedDict[str, GuardLimit] = OrderedDict()
_REFUSED_LOCK = threading.Lock()


def _encode(value: Any) -> Any:
    return to_arrow(value) if isinstance(value, (pd.DataFrame, pa.Table)) else value


def _decode(value: Any) -> Any:
    return value.value() if isinstance(value, ArrowBlob) else value


def _fields(record: Any) -> dict[str, Any]:
    return {f.name: _encode(getattr(record, f.name)) for f in dataclasses.fields(record)}


def _read_in_child(data: bytes, filename: str, mapping: Mapping[str, str] | None) -> dict[str, Any]:
    """Read a schedule to plain fields (runs in the guarded child)."""
    return _fields(parsing.read_schedule(data, filename=filename, mapping=mapping))


def _inspect_in_child(
    data: bytes, filename: str, mapping: Mapping[str, str] | None
) -> dict[str, Any]:
    """Inspect a schedule's layout to plain fields (runs in the guarded child)."""
    return _fields(reading.inspect_schedule(data, filename=filename, mapping=mapping))


def _bytes(source: str | Path | bytes | BinaryIO, filename: str | None) -> tuple[bytes, str]:
    """Return the file's bytes; a path over the size cap is refused before it is read."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = filename or path.name
        cap = file_limits().upload_bytes
        if path.is_file() and path.stat().st_size > cap:
            size = path.stat().st_size
            raise ScheduleError(
                [f"Filen {name} är {size // MB} MB; högst {cap // MB} MB tas emot."], name
            )
    return source_bytes(source, filename)


def _guarded(func: Any, data: bytes, name: str, mapping: Mapping[str, str] | None) -> Any:
    digest = hashlib.sha256(data).hexdigest()
    with _REFUSED_LOCK:
        known = _REFUSED.get(digest)
    if known is not None:  # the same file went over a limit a moment ago: do not read it again
        raise ScheduleError([e.message for e in known.errors], name)
    try:
        check_upload(data, name, SCHEDULE_KINDS)
        return run_guarded(func, data, name, dict(mapping) if mapping else None, filename=name)
    except GuardLimit as exc:
        with _REFUSED_LOCK:
            _REFUSED[digest] = exc
            while len(_REFUSED) > 16:
                _REFUSED.popitem(last=False)
        raise ScheduleError([e.message for e in exc.errors], name) from None
    except FileRejected as exc:
        raise ScheduleError([e.message for e in exc.errors], name) from None


def read_schedule(
    source: str | Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Schedule:
    """Read a schedule from outside into shifts without names, in a guarded child.

    As `parsing.read_schedule`; a file over a cap or a limit raises `ScheduleError` too.
    """
    data, name = _bytes(source, filename)
    fields = _guarded(_read_in_child, data, name, mapping)
    return Schedule(**{key: _decode(value) for key, value in fields.items()})


def inspect_schedule(
    source: str | Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> ScheduleLayout:
    """Find a schedule's header row and columns (for the mapping editor), in a guarded child."""
    data, name = _bytes(source, filename)
    return ScheduleLayout(**_guarded(_inspect_in_child, data, name, mapping))
