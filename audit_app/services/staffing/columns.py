"""Which column of a schedule holds which field: Swedish synonyms, explicit choices, and the
one rule of which fields a schedule must have."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.rules import norm

FIELDS: tuple[str, ...] = ("date", "start", "end", "range", "role", "section", "break", "name")
"""Fields of a schedule row that a column can be mapped to."""

FIELD_LABELS: dict[str, str] = {
    "date": "datum",
    "start": "starttid",
    "end": "sluttid",
    "range": "arbetstid (intervall)",
    "role": "befattning",
    "section": "avdelning",
    "break": "rast",
    "name": "namn",
}
"""Swedish name of each field, as shown to the user."""

# Words in a header that identify a field, best first. Fields are tried in this order, so
# "Rast tid" is a break, "Tid in" a start time and "Arbetstid" a range.
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "break": ("rast", "rastminuter", "rasttid", "raster", "paus"),
    "name": ("namn", "anställd", "medarbetare", "personal", "förnamn", "anställda"),
    "role": (
        "befattning",
        "yrke",
        "roll",
        "titel",
        "yrkesroll",
        "yrkestitel",
        "yrkeskategori",
        "personalkategori",
        "befattningar",
    ),
    "section": ("avdelning", "avd", "enhet", "arbetsplats", "arbetsställe", "grupp"),
    "date": ("datum", "passdatum", "dag", "date"),
    "start": ("start", "starttid", "från", "fr", "börjar", "passtart", "in"),
    "end": ("slut", "sluttid", "till", "slutar", "passlut", "ut"),
    "range": ("tid", "arbetstid", "passtid", "tider", "klockslag", "schematid", "arbetspass"),
}

# Extra names accepted for a field in an explicit mapping (CLI --map, page).
_FIELD_ALIASES: dict[str, str] = {
    **{f: f for f in FIELDS},
    "datum": "date",
    "från": "start",
    "starttid": "start",
    "slut": "end",
    "till": "end",
    "sluttid": "end",
    "tid": "range",
    "arbetstid": "range",
    "befattning": "role",
    "yrke": "role",
    "roll": "role",
    "avdelning": "section",
    "avd": "section",
    "enhet": "section",
    "rast": "break",
    "namn": "name",
    "anställd": "name",
}


def _header_words(header: Any) -> list[str]:
    if header is None or (isinstance(header, float) and np.isnan(header)):
        return []
    return re.sub(r"[^\w]+", " ", str(header).casefold()).split()


def _header_field(header: Any) -> tuple[str, int] | None:
    words = _header_words(header)
    for fld, keywords in _KEYWORDS.items():
        ranks = [keywords.index(w) for w in words if w in keywords]
        if ranks:
            return fld, min(ranks)
    return None


def header_text(header: Any) -> str:
    """Return a header cell as the text people see ("" for a blank cell)."""
    if header is None or (isinstance(header, float) and np.isnan(header)):
        return ""
    if isinstance(header, float) and header.is_integer():
        return str(int(header))
    return " ".join(str(header).split())


def _normalise_field(name: str) -> str | None:
    return _FIELD_ALIASES.get(norm(name))


def resolve_columns(headers: Sequence[Any], mapping: Mapping[str, str] | None) -> dict[str, int]:
    """Return field -> column index: detected from synonyms, then the explicit mapping wins."""
    best: dict[str, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        found = _header_field(header)
        if found is None:
            continue
        fld, rank = found
        if fld not in best or (rank, index) < best[fld]:
            best[fld] = (rank, index)
    columns = {fld: index for fld, (_, index) in best.items()}
    explicit = dict(mapping or {})
    if explicit:
        by_text: dict[str, int] = {}
        for index, header in enumerate(headers):
            by_text.setdefault(norm(header_text(header)), index)
        for fld, wanted in explicit.items():
            columns.pop(fld, None)
            if not wanted:
                continue
            hit = by_text.get(norm(wanted))
            if hit is None:
                continue
            for other in [f for f, i in columns.items() if i == hit]:
                del columns[other]
            columns[fld] = hit
        if "range" in explicit and explicit["range"] and not ({"start", "end"} & explicit.keys()):
            columns.pop("start", None)
            columns.pop("end", None)
    if "start" in columns and "end" in columns:
        columns.pop("range", None)
    return columns


def parse_mapping_args(items: Sequence[str]) -> dict[str, str]:
    """Turn ["start=Från kl", "name="] into {"start": "Från kl", "name": ""}; Swedish errors."""
    mapping: dict[str, str] = {}
    problems = []
    for item in items:
        key, sep, header = item.partition("=")
        fld = _normalise_field(key)
        if not sep or fld is None:
            problems.append(
                f"--map {item!r}: skriv fält=Rubrik, där fält är ett av {', '.join(FIELDS)}."
            )
            continue
        mapping[fld] = header.strip()
    if problems:
        raise ScheduleError(problems)
    return mapping


def clean_mapping(mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Return an explicit mapping keyed by field (Swedish field names accepted)."""
    if not mapping:
        return {}
    cleaned: dict[str, str] = {}
    unknown = []
    for key, header in mapping.items():
        fld = _normalise_field(key)
        if fld is None:
            unknown.append(key)
        else:
            cleaned[fld] = (header or "").strip()
    if unknown:
        raise ScheduleError(
            [f"Okänt fält {k!r} i kolumnmappningen; använd {', '.join(FIELDS)}." for k in unknown]
        )
    return cleaned


def detect_mapping(
    headers: Sequence[Any], mapping: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Return field -> header of a header row, in column order (see `resolve_columns`)."""
    texts = [header_text(h) for h in headers]
    columns = resolve_columns(headers, mapping)
    return {fld: texts[i] for fld, i in sorted(columns.items(), key=lambda x: x[1])}


def missing_fields(present: Iterable[str]) -> list[str]:
    """Return the required fields without a column: role, section, the times (start and end,
    or one range column) and the date, which start and end may carry instead (full
    date-times; checked when the cells are read)."""
    have = set(present)
    missing = [f for f in ("role", "section") if f not in have]
    if "date" not in have and not {"start", "end"} <= have:
        missing.append("date")
    if "range" not in have:
        missing += [f for f in ("start", "end") if f not in have]
    return sorted(missing, key=FIELDS.index)


def mapping_problems(chosen: Mapping[str, str]) -> list[str]:
    """Return what is wrong with columns chosen by hand (field -> header, "" for none)."""
    missing = missing_fields(f for f, header in chosen.items() if header)
    problems = [
        f"Välj kolumnen för {FIELD_LABELS[fld]}."
        for fld in missing
        if fld in ("date", "role", "section")
    ]
    if "start" in missing or "end" in missing:
        problems.append(
            "Välj kolumnerna för starttid och sluttid, eller en kolumn för arbetstid "
            "(intervall som 07:00-15:30)."
        )
    used: dict[str, list[str]] = {}
    for fld, header in chosen.items():
        if header:
            used.setdefault(header, []).append(FIELD_LABELS[fld])
    for header, fields in used.items():
        if len(fields) > 1:
            problems.append(f"Kolumnen {header!r} är vald för flera fält: {', '.join(fields)}.")
    return problems


def synonym_hint(fld: str) -> str:
    """Return the headers recognised for a field, for the message that it is missing."""
    if fld in ("start", "end"):
        return "Väntade rubriker: Start/Från och Slut/Till, eller Tid med t.ex. 07:00-15:30."
    words = ", ".join(w.capitalize() for w in _KEYWORDS[fld][:4])
    return f"Väntade rubriker: {words}; eller ange kolumnen själv."


def corrections(detected: Mapping[str, str], chosen: Mapping[str, str]) -> dict[str, str]:
    """Return the fields where the chosen column differs from the detected one."""
    return {
        f: (chosen.get(f) or "").strip()
        for f in FIELDS
        if f in chosen and norm(chosen.get(f) or "") != norm(detected.get(f) or "")
    }
