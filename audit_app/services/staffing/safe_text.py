"""What of a schedule may be stored: no staff name, from a sheet name, a cell or the file name.

A schedule names people in many places besides its name column: one sheet per employee, a
name typed in the Avdelning column, a file called "schema Anna Berg v45.xlsx". Warnings and
messages quote such text for the person who uploaded the file (they see their own file), but
an analysis and the change log keep only what `stored_warnings` and `schedule_filename` return.

The reader and the analysis quote text from the file with `from_file`, in double quotes;
`stored_warnings` replaces every quoted text that is not one of the rules' own names (sections,
unit) with "…", and any personnummer left with ÅÅMMDD-XXXX.
"""

import re
from collections.abc import Iterable
from datetime import date
from pathlib import PurePath

from audit_app.services.privacy import redact
from audit_app.services.staffing.rules import norm

HIDDEN = "…"
_QUOTED = re.compile(r'"([^"]*)"|\'([^\']*)\'|«([^»]*)»|“([^”]*)”')
_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}


def from_file(text: object) -> str:
    """Quote text taken from the file for a warning: '"Avd 3"' (hidden when stored)."""
    return '"' + str(text).replace('"', "'") + '"'


def stored_warning(warning: str, known: Iterable[str] = ()) -> str:
    """Return the warning as it may be stored: quoted text from the file replaced by "…"."""
    allowed = {norm(k) for k in known if k}

    def hide(match: re.Match[str]) -> str:
        inner = next(g for g in match.groups() if g is not None)
        return match.group(0) if norm(inner) in allowed else f'"{HIDDEN}"'

    return redact(_QUOTED.sub(hide, warning))


def stored_warnings(warnings: Iterable[str], known: Iterable[str] = ()) -> list[str]:
    """Return every warning as it may be stored (see `stored_warning`)."""
    names = list(known)
    return [stored_warning(w, names) for w in warnings]


def schedule_filename(first: date | None, last: date | None, original: str) -> str:
    """Return the name a schedule is stored under: "schema 2026-11-02–2026-11-15.xlsx"."""
    suffix = PurePath(original or "").suffix.lower()
    suffix = suffix if suffix in _SUFFIXES else ""
    if first is None or last is None:
        return f"schema{suffix}"
    if first == last:
        return f"schema {first.isoformat()}{suffix}"
    return f"schema {first.isoformat()}–{last.isoformat()}{suffix}"
