"""Staffing review: read contractors' schedule exports and check them against staffing rules.

Pure pandas/numpy: no Streamlit, no database. Staff names never leave `read_schedule`
except as a count of distinct people (`Schedule.distinct_people`).

Flow for the page, the CLI and the database layer::

    rules = load_rules(yaml_text)                      # StaffingRules
    layout = inspect_schedule(data, filename=name)      # headers + detected mapping (page editor)
    schedule = read_schedule(data, filename=name, mapping=saved_mapping)
    result = analyse(schedule, rules)                   # StaffingResult
    result.to_json_dict()                               # figures + breaches, never names
    result.periods                                      # section x date x period table
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from audit_app.errors import ValidationFailed

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "MAX_MESSAGES",
    "PERIOD_COLUMNS",
    "RULES_MARKDOWN",
    "Breach",
    "Period",
    "RulesError",
    "Schedule",
    "ScheduleError",
    "ScheduleLayout",
    "StaffingResult",
    "StaffingRules",
    "analyse",
    "analyse_file",
    "detect_mapping",
    "inspect_schedule",
    "load_rules",
    "parse_mapping_args",
    "periods_frame",
    "read_schedule",
    "rules_to_yaml",
    "summary_text",
]

MAX_MESSAGES = 20
"""At most this many problems are listed; the rest are counted."""

HEADER_SCAN_ROWS = 50
"""The header row is looked for among the first rows of each sheet."""

OUTLIER_GAP_DAYS = 7
"""Dates separated from the main group by a gap of more than this many days are left out."""

MINUTES_PER_DAY = 1440
MAX_CLOCK_MINUTES = 48 * 60

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")

RULES_MARKDOWN = """\
### Så räknas bemanningen

**Import.** Schemat kan vara en Excel-fil (.xlsx, .xls), en OpenDocument-fil (.ods) eller en
CSV-fil (semikolon, komma eller tabb; UTF-8 med eller utan BOM, eller Windows-1252). Rubrikraden
letas upp bland de första 50 raderna i varje blad; titelrader ovanför, tomma rader, upprepade
rubrikrader och summeringsrader (som "Summa pass" eller "Totalt") hoppas över. Blad utan
rubrikrad läses inte, och det sägs i en varning. Rader utan klockslag (till exempel "Ledig")
och rader med samma start- och sluttid räknas inte som pass; antalet sådana rader står i en
varning. Tomma datum- och avdelningsceller (sammanslagna celler) ärver värdet från raden ovanför.

**Kolumner.** Kolumnerna känns igen på rubriken: Datum; Start/Från och Slut/Till, eller en
kolumn Tid/Arbetstid med intervall som `07:00-15:30`; Befattning/Yrke/Roll/Titel;
Avdelning/Enhet/Avd; Rast (minuter, tom = 0); Namn/Anställd. Du kan själv ange vilken kolumn
som hör till vilket fält; ditt val gäller före det som hittades automatiskt. Klockslag får
skrivas `07:00`, `7.00`, `0700` eller som Excel-tid; datum som Excel-datum, `2026-11-02`,
`2/11/2026` eller `2.11.2026` (dag först).

**Pass.** Ett pass som slutar tidigare än det börjar slutar nästa dag. Ett pass får vara högst
24 timmar. Passets timmar = slut − start − rast. Rasten minskar timmarna men inte närvaron,
eftersom schemat inte säger när rasten tas.

**Närvarande.** För varje avdelning, datum och period är *närvarande* det lägsta antalet
personer i tjänst vid något ögonblick under perioden: ett hjälppass 10:00–13:00 fyller inte
en lucka klockan 07:00. Ett pass räknas från och med starttiden till (men inte med) sluttiden,
så en överlämning 02:00 utan glapp räknas som obruten bemanning. *Kompetent* räknas på samma
sätt men bara för befattningar som står under `competence` i reglerna (stora och små bokstäver
spelar ingen roll; alla grupper under `competence` räknas). En period som går över midnatt hör
till det datum den börjar.

**Vilka perioder.** Alla perioder i reglerna granskas för varje datum från det första till det
sista passets startdatum i filen, för varje avdelning i reglerna, även dagar utan pass.

**Brister.** En period har en brist av slaget *bemanning* (`staff`) när närvarande är färre än
`min_staff`, och av slaget *kompetens* (`competent`) när kompetent personal är färre än
`min_competent`; en period kan ha båda.

**Andel kompetenta timmar** = kompetenta timmar / alla timmar i de granskade passen. Under
`min_competent_hours_share` är en brist mot avtalet.

**Personaltäthet** per period = närvarande / antal platser på avdelningen
(`places_per_section`).

**Utelämnas med varning, aldrig i tysthet.** Pass på avdelningar som inte finns i reglerna.
Pass vars datum ligger långt från övriga: passdatumen delas i grupper där det är mer än 7 dagar
mellan två passdatum i följd, och bara gruppen med flest pass granskas (till exempel faller ett
felskrivet år bort).

**Personuppgifter.** Namnkolumnen används bara för att räkna hur många olika personer som finns
i filen (stora och små bokstäver spelar ingen roll). Inga namn sparas; analysen innehåller bara
siffror och brister.
"""

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

_FOOTER_RE = re.compile(r"^(summa|summering|totalt?|antal|sum)\b", re.IGNORECASE)
_CLOCK_RE = (
    r"^(?:kl\.?\s*)?(?:\d{4}-\d{1,2}-\d{1,2}[ t])?"
    r"(?:(?P<h>\d{1,2})[:.,](?P<m>\d{2})(?:[:.,]\d{2}(?:\.\d+)?)?|(?P<hhmm>\d{3,4})|(?P<hh>\d{1,2}))$"
)
_RANGE_RE = r"^(?P<a>.+?)\s*(?:-|–|—|till)\s*(?P<b>.+)$"
_ISO_DATE_RE = r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
_DMY_DATE_RE = r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b"
_COMPACT_DATE_RE = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
_BREAK_RE = r"^(?:(?P<h>\d{1,2}):(?P<m>\d{2})|(?P<n>\d+(?:[.,]\d+)?)\s*(?:min\w*)?)$"
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


# --------------------------------------------------------------------------------------------
# Errors


class ScheduleError(ValidationFailed):
    """A schedule file that cannot be analysed: one Swedish message per problem."""

    def __init__(
        self, messages: Sequence[str], filename: str = "", total: int | None = None
    ) -> None:
        total = max(total or 0, len(messages))
        shown = list(messages[:MAX_MESSAGES])
        if total > len(shown):
            shown.append(f"... och {total - len(shown)} fel till")
        self.messages: list[str] = shown
        self.filename = filename
        super().__init__(shown)


class RulesError(ValidationFailed):
    """Staffing rules that cannot be used: one Swedish message per problem, naming the field."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages: list[str] = list(messages)
        super().__init__(self.messages)


# --------------------------------------------------------------------------------------------
# Rules


def _rule_clock(value: Any) -> str:
    """Return a rule time as "HH:MM"; YAML 1.1 reads unquoted 21:30 as the integer 1290."""
    if isinstance(value, bool):
        raise ValueError('ange tiden som "HH:MM", t.ex. "07:00"')
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, time):
        minutes = value.hour * 60 + value.minute
    elif isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", value)
        if not m or int(m.group(2)) > 59:
            raise ValueError(f'"{value}" är ingen tid; ange tiden som "HH:MM", t.ex. "07:00"')
        minutes = int(m.group(1)) * 60 + int(m.group(2))
    else:
        raise ValueError('ange tiden som "HH:MM", t.ex. "07:00"')
    if not 0 <= minutes <= MINUTES_PER_DAY:
        raise ValueError("tiden måste ligga mellan 00:00 och 24:00")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _clock_to_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _norm(text: str) -> str:
    """Return text compared case- and whitespace-insensitively."""
    return " ".join(str(text).casefold().split())


class Period(BaseModel):
    """A period of the day with its staffing commitment."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    start: str
    end: str
    min_staff: int = Field(ge=0)
    min_competent: int = Field(ge=0)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> str:
        return _rule_clock(value)

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _not_empty(self) -> Period:
        if self.start_minute % MINUTES_PER_DAY == _clock_to_minutes(self.end) % MINUTES_PER_DAY:
            raise ValueError(f"perioden {self.name} börjar och slutar på samma tid")
        if self.start == "24:00":
            raise ValueError(f"perioden {self.name} kan inte börja 24:00; skriv 00:00")
        return self

    @property
    def start_minute(self) -> int:
        """Minutes after midnight when the period starts."""
        return _clock_to_minutes(self.start)

    @property
    def length_minutes(self) -> int:
        """Length of the period; one that ends at or before its start runs past midnight."""
        return (_clock_to_minutes(self.end) - self.start_minute - 1) % MINUTES_PER_DAY + 1


class StaffingRules(BaseModel):
    """A contract's staffing commitments, exchanged as YAML (see `rules_to_yaml`)."""

    model_config = ConfigDict(extra="forbid")

    unit: str = Field(min_length=1)
    sections: list[str] = Field(min_length=1)
    places_per_section: int = Field(gt=0)
    competence: dict[str, list[str]] = Field(default_factory=dict)
    periods: list[Period] = Field(min_length=1)
    min_competent_hours_share: float = Field(ge=0, le=1)

    @field_validator("sections", mode="after")
    @classmethod
    def _sections(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(s.split()) for s in value]
        if any(not s for s in cleaned):
            raise ValueError("en avdelning saknar namn")
        seen: set[str] = set()
        for s in cleaned:
            if _norm(s) in seen:
                raise ValueError(f"avdelningen {s} står två gånger")
            seen.add(_norm(s))
        return cleaned

    @model_validator(mode="after")
    def _unique_periods(self) -> StaffingRules:
        names = [_norm(p.name) for p in self.periods]
        for p in self.periods:
            if names.count(_norm(p.name)) > 1:
                raise ValueError(f"perioden {p.name} står två gånger i periods")
        return self

    def competent_roles(self) -> set[str]:
        """Return every role counted as competent, normalised (case-insensitive)."""
        return {_norm(r) for roles in self.competence.values() for r in roles if _norm(r)}


_PYDANTIC_TEXT: dict[str, str] = {
    "missing": "saknas",
    "extra_forbidden": "är inget känt fält (stavfel?)",
    "int_parsing": "måste vara ett heltal",
    "int_type": "måste vara ett heltal",
    "int_from_float": "måste vara ett heltal",
    "float_parsing": "måste vara ett tal, t.ex. 0.75",
    "float_type": "måste vara ett tal, t.ex. 0.75",
    "string_type": "måste vara text",
    "list_type": "måste vara en lista, t.ex. [Avd A, Avd B]",
    "dict_type": "måste vara en tabell med namn: [befattningar]",
    "model_type": "måste vara en tabell med fälten name, start, end, min_staff, min_competent",
    "model_attributes_type": "måste vara en tabell med fält",
    "too_short": "får inte vara tom",
    "string_too_short": "får inte vara tomt",
    "greater_than": "måste vara större än {gt}",
    "greater_than_equal": "måste vara minst {ge}",
    "less_than_equal": "får vara högst {le}",
}


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]} nr {item + 1}" if parts else f"nr {item + 1}"]
        else:
            parts.append(str(item))
    return ", ".join(parts)


def _rules_messages(exc: ValidationError) -> list[str]:
    messages = []
    for err in exc.errors():
        kind = err["type"]
        if kind == "value_error":
            text = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            text = _PYDANTIC_TEXT.get(kind, "har ett ogiltigt värde")
            with contextlib.suppress(KeyError, IndexError):
                text = text.format(**err.get("ctx", {}))
        where = _location(tuple(err["loc"]))
        messages.append(f"Reglerna: fältet {where}: {text}." if where else f"Reglerna: {text}.")
    return messages


def load_rules(source: str | Path) -> StaffingRules:
    """Parse staffing rules from YAML text or a YAML file; raise `RulesError` in Swedish."""
    if isinstance(source, Path) or (
        "\n" not in source
        and len(source) < 1024
        and (source.endswith((".yaml", ".yml")) or Path(source).is_file())
    ):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError:
            raise RulesError([f"Regelfilen {path.name} kan inte läsas."]) from None
        except UnicodeDecodeError:
            raise RulesError([f"Regelfilen {path.name} är inte sparad som UTF-8."]) from None
    else:
        text = source
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" på rad {mark.line + 1}" if mark is not None else ""
        raise RulesError([f"Reglerna är inte giltig YAML{where}."]) from None
    if not isinstance(data, dict):
        raise RulesError(["Reglerna måste vara en YAML-tabell med fälten unit, sections, ..."])
    try:
        return StaffingRules.model_validate(data)
    except ValidationError as exc:
        raise RulesError(_rules_messages(exc)) from None


def _yaml_scalar(value: str) -> str:
    """Return a string as a plain YAML scalar when that reads back the same, else quoted."""
    if value and not re.search(r"[\[\]{},:#&*!|>'\"%@`]", value) and value == value.strip():
        try:
            if yaml.safe_load(f"k: [{value}]") == {"k": [value]}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def rules_to_yaml(rules: StaffingRules) -> str:
    """Return the rules as YAML in the exchange format (flow lists, quoted times)."""
    lines = [
        f"unit: {_yaml_scalar(rules.unit)}",
        f"sections: [{', '.join(_yaml_scalar(s) for s in rules.sections)}]",
        f"places_per_section: {rules.places_per_section}",
    ]
    if rules.competence:
        lines.append("competence:")
        for key, roles in rules.competence.items():
            lines.append(f"  {_yaml_scalar(key)}: [{', '.join(_yaml_scalar(r) for r in roles)}]")
    else:
        lines.append("competence: {}")
    lines.append("periods:")
    for p in rules.periods:
        lines.append(
            f'  - {{name: {_yaml_scalar(p.name)}, start: "{p.start}", end: "{p.end}", '
            f"min_staff: {p.min_staff}, min_competent: {p.min_competent}}}"
        )
    lines.append(f"min_competent_hours_share: {rules.min_competent_hours_share:g}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Column mapping


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


def _header_text(header: Any) -> str:
    if header is None or (isinstance(header, float) and np.isnan(header)):
        return ""
    if isinstance(header, float) and header.is_integer():
        return str(int(header))
    return " ".join(str(header).split())


def _normalise_field(name: str) -> str | None:
    return _FIELD_ALIASES.get(_norm(name))


def _resolve_columns(headers: Sequence[Any], mapping: Mapping[str, str] | None) -> dict[str, int]:
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
            by_text.setdefault(_norm(_header_text(header)), index)
        for fld, wanted in explicit.items():
            columns.pop(fld, None)
            if not wanted:
                continue
            hit = by_text.get(_norm(wanted))
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


def detect_mapping(columns: Sequence[Any]) -> dict[str, str]:
    """Return field -> header detected from Swedish synonyms (see `FIELDS`)."""
    return {fld: _header_text(columns[i]) for fld, i in _resolve_columns(columns, None).items()}


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


def _clean_mapping(mapping: Mapping[str, str] | None) -> dict[str, str]:
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


# --------------------------------------------------------------------------------------------
# Reading files


@dataclass
class _Table:
    sheet: str
    frame: pd.DataFrame  # header=None, every cell as read
    line_numbers: np.ndarray  # 1-based row of each frame row as the user sees it


@dataclass
class ScheduleLayout:
    """Where the header is and which column holds which field (for the mapping editor)."""

    filename: str
    sheet: str
    header_row: int
    headers: list[str]
    mapping: dict[str, str]
    missing: list[str]


@dataclass
class Schedule:
    """Shifts read from a schedule file, without names.

    `shifts` has one row per shift: row (as in the file), sheet, date, start, end (datetime64),
    break_minutes, hours, role, section.
    """

    filename: str
    shifts: pd.DataFrame
    mapping: dict[str, str]
    headers: list[str]
    header_row: int
    distinct_people: int | None
    warnings: list[str] = field(default_factory=list)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _source_bytes(source: str | Path | bytes | BinaryIO, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), filename or "schemat"
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = filename or path.name
        try:
            return path.read_bytes(), name
        except FileNotFoundError:
            raise ScheduleError([f"Filen {name} finns inte."], name) from None
        except OSError as exc:
            raise ScheduleError([f"Filen {name} kan inte läsas ({exc.strerror})."], name) from None
    data = source.read()
    name = filename or Path(str(getattr(source, "name", "schemat"))).name
    return bytes(data), name


def _workbook_kind(data: bytes) -> str:
    if data.startswith(OLE_MAGIC):
        return "encrypted" if ENCRYPTED_MARK in data else "xls"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                    return "xlsx"
                if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype"):
                    return "ods"
        except zipfile.BadZipFile:
            return "damaged"
        return "zip"
    head = data[:4096]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    if b"\x00" in head:
        return "binary"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<table")):
        return "html"
    return "text"


_KIND_TEXT = {
    "xlsx": "en Excel-fil (.xlsx)",
    "xls": "en äldre Excel-fil (.xls)",
    "ods": "en OpenDocument-fil (.ods)",
    "zip": "ett zip-arkiv",
    "damaged": "en skadad zip- eller Excel-fil",
    "binary": "en binärfil",
    "html": "en webbsida (HTML)",
    "text": "en textfil (t.ex. CSV)",
}


def _load_tables(data: bytes, filename: str, mapping: Mapping[str, str]) -> list[_Table]:
    if not data or data.isspace():
        raise ScheduleError([f"{filename}: filen är tom."], filename)
    suffix = Path(filename).suffix.lower()
    kind = _workbook_kind(data)
    if kind == "encrypted":
        raise ScheduleError(
            [
                f"{filename}: arbetsboken är lösenordsskyddad. Spara den utan lösenord "
                "(Arkiv > Info > Skydda arbetsbok) och ladda upp den igen."
            ],
            filename,
        )
    expected = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".csv": "text"}
    if suffix not in expected:
        raise ScheduleError(
            [
                f"{filename}: filtypen {suffix or '(ingen)'} stöds inte; använd .xlsx, .xls, .ods "
                "eller .csv."
            ],
            filename,
        )
    if kind != expected[suffix]:
        raise ScheduleError(
            [
                f"{filename}: filen har ändelsen {suffix} men är {_KIND_TEXT[kind]}. Spara den i "
                "rätt format eller byt ändelse och försök igen."
            ],
            filename,
        )
    if suffix == ".csv":
        return [_read_csv(data, filename, mapping)]
    return _read_workbook(data, filename)


def _read_workbook(data: bytes, filename: str) -> list[_Table]:
    try:
        sheets = pd.read_excel(io.BytesIO(data), engine="calamine", header=None, sheet_name=None)
    except Exception as exc:  # calamine raises several types for damaged files
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            text = "arbetsboken är lösenordsskyddad; spara den utan lösenord och försök igen."
        else:
            text = "filen kunde inte läsas som kalkylblad; öppna den och spara den på nytt."
        raise ScheduleError([f"{filename}: {text}"], filename) from None
    tables = []
    for name, frame in sheets.items():
        frame = frame.reset_index(drop=True)
        tables.append(_Table(str(name), frame, np.arange(1, len(frame) + 1)))
    if not tables or all(t.frame.empty for t in tables):
        raise ScheduleError([f"{filename}: arbetsboken är tom."], filename)
    return tables


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")  # Excel's "Unicode text"
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_csv(data: bytes, filename: str, mapping: Mapping[str, str]) -> _Table:
    text = _decode(data)
    head = text[: 1 << 16].splitlines()[:HEADER_SCAN_ROWS]
    best: tuple[int, str] = (-1, ";")
    for delimiter in (";", "\t", ","):
        rows = list(csv.reader(head, delimiter=delimiter))
        score = max((_header_score(r, mapping) for r in rows), default=0)
        if score > best[0]:
            best = (score, delimiter)
    delimiter = best[1]
    width = max((line.count(delimiter) for line in head), default=0) + 1
    for _attempt in range(10):
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=None,
                names=range(width),
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                index_col=False,
                engine="c",
            )
            break
        except (pd.errors.ParserError, ValueError) as exc:
            wider = re.search(r"Expected \d+ fields in line \d+, saw (\d+)", str(exc))
            if wider and int(wider.group(1)) > width:
                width = int(wider.group(1))  # a later line has more fields than the head
                continue
            line = re.search(r"line (\d+)", str(exc))
            where = f" (rad {line.group(1)})" if line else ""
            raise ScheduleError(
                [
                    f"{filename}: CSV-filen kan inte läsas{where}; kontrollera citattecken och "
                    "avgränsare."
                ],
                filename,
            ) from None
    else:
        raise ScheduleError([f"{filename}: CSV-filen har för ojämnt antal fält per rad."], filename)
    return _Table("", frame, np.arange(1, len(frame) + 1))


def _header_score(cells: Sequence[Any], mapping: Mapping[str, str]) -> int:
    """Return how many fields a row names as headers; 0 unless it has date and time."""
    if sum(1 for c in cells if _header_text(c)) < 2:
        return 0
    columns = _resolve_columns(list(cells), mapping)
    wanted = [h for h in mapping.values() if h]
    present = {_norm(_header_text(c)) for c in cells}
    if any(_norm(h) not in present for h in wanted):
        return 0
    has_time = "range" in columns or ("start" in columns and "end" in columns)
    if "date" not in columns or not has_time:
        return 0
    return len(columns)


def _find_header(table: _Table, mapping: Mapping[str, str]) -> int | None:
    best, best_row = 0, None
    head = table.frame.head(HEADER_SCAN_ROWS)
    for position, row in enumerate(head.itertuples(index=False, name=None)):
        score = _header_score(row, mapping)
        if score > best:
            best, best_row = score, position
    return best_row


def _no_header_message(filename: str, mapping: Mapping[str, str], sheet: str) -> str:
    where = f", blad {sheet}" if sheet else ""
    wanted = [h for h in mapping.values() if h]
    extra = f" (och de angivna rubrikerna {', '.join(repr(h) for h in wanted)})" if wanted else ""
    return (
        f"{filename}{where}: hittar ingen rubrikrad med kolumner för datum och tid{extra} bland "
        f"de första {HEADER_SCAN_ROWS} raderna. Väntade rubriker: Datum; Start/Från och "
        "Slut/Till eller Tid; Befattning; Avdelning."
    )


def _layouts(
    data: bytes, filename: str, mapping: Mapping[str, str]
) -> tuple[list[tuple[_Table, int, dict[str, int]]], list[str]]:
    """Return (table, header row, field -> column) per usable sheet, and skipped sheets."""
    tables = _load_tables(data, filename, mapping)
    found = []
    skipped = []
    for table in tables:
        row = _find_header(table, mapping)
        if row is not None:
            headers = list(table.frame.iloc[row])
            found.append((table, row, _resolve_columns(headers, mapping)))
        elif not table.frame.dropna(how="all").empty:
            skipped.append(table.sheet)
    if not found:
        nonempty = [t for t in tables if not t.frame.dropna(how="all").empty]
        if not nonempty:
            raise ScheduleError([f"{filename}: filen innehåller inga rader."], filename)
        sheet = nonempty[0].sheet if len(tables) > 1 else ""
        raise ScheduleError([_no_header_message(filename, mapping, sheet)], filename)
    return found, skipped


def _missing_fields(columns: Mapping[str, int]) -> list[str]:
    missing = [f for f in ("date", "role", "section") if f not in columns]
    if "range" not in columns:
        missing += [f for f in ("start", "end") if f not in columns]
    return sorted(missing, key=FIELDS.index)


def inspect_schedule(
    source: str | Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> ScheduleLayout:
    """Find the header row and the column of each field, for the page's mapping editor."""
    data, name = _source_bytes(source, filename)
    table, row, columns = _layouts(data, name, _clean_mapping(mapping))[0][0]
    headers = [_header_text(h) for h in table.frame.iloc[row]]
    return ScheduleLayout(
        filename=name,
        sheet=table.sheet,
        header_row=int(table.line_numbers[row]),
        headers=[h for h in headers if h],
        mapping={f: headers[i] for f, i in sorted(columns.items(), key=lambda x: x[1])},
        missing=_missing_fields(columns),
    )


class _Problems:
    """Collect cell problems as arrays; format only the first few at the end."""

    def __init__(self, filename: str, sheet: str) -> None:
        self.filename = filename
        self.sheet = sheet
        self.groups: list[tuple[np.ndarray, int, str, np.ndarray, str]] = []

    def add(
        self, mask: np.ndarray, lines: np.ndarray, col: int, header: str, values: Any, text: str
    ) -> None:
        if mask.any():
            vals = np.asarray(values, dtype=object)
            self.groups.append((lines[mask], col, header, vals[mask], text))

    def messages(self) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        where = f"{self.filename}, blad {self.sheet}" if self.sheet else self.filename
        for lines, col, header, values, text in self.groups:
            order = np.argsort(lines, kind="stable")[: MAX_MESSAGES + 1]
            for i in order:
                message = text.format(value=_show_value(values[i]))
                out.append(
                    (
                        int(lines[i]),
                        col,
                        f"{where}: rad {lines[i]}, kolumn {_column_letter(col)} ({header}): "
                        f"{message}",
                    )
                )
        return out

    def count(self) -> int:
        return sum(len(g[0]) for g in self.groups)


def _show_value(value: Any) -> str:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value).strip()
    return text if len(text) <= 40 else text[:37] + "..."


# Cell kinds: 0 blank, 1 text, 2 number, 3 time of day, 4 date/datetime, 5 duration, 6 other.
_TYPE_CODES: dict[type, int] = {
    str: 1,
    int: 2,
    float: 2,
    np.float64: 2,
    np.int64: 2,
    time: 3,
    datetime: 4,
    pd.Timestamp: 4,
    date: 4,
    timedelta: 5,
    pd.Timedelta: 5,
}


def _kinds(values: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """Return the kind code of each cell and text cells stripped ('' for other cells)."""
    series = pd.Series(values, dtype=object)
    codes = series.map(type).map(_TYPE_CODES).fillna(6).to_numpy(dtype=np.int8)
    number = np.flatnonzero(codes == 2)
    if len(number):
        nums = pd.to_numeric(series.iloc[number], errors="coerce").to_numpy(dtype=float)
        codes[number[np.isnan(nums)]] = 0
    text = np.full(len(codes), "", dtype=object)
    is_text = np.flatnonzero(codes == 1)
    if len(is_text):
        stripped = series.iloc[is_text].astype("string").str.strip().fillna("")
        text[is_text] = stripped.to_numpy(dtype=object)
        codes[is_text[stripped.to_numpy(dtype=object) == ""]] = 0
    return codes, pd.Series(text, dtype="string")


def _cell_text(values: np.ndarray) -> pd.Series:
    """Return cells as stripped text ('' when blank); whole numbers lose their '.0'."""
    series = pd.Series(values, dtype=object)
    floats = np.flatnonzero(series.map(type).isin([float]).to_numpy() & series.notna().to_numpy())
    if len(floats):
        series.iloc[floats] = series.iloc[floats].map(
            lambda v: str(int(v)) if v.is_integer() else v
        )
    return series.astype("string").str.strip().fillna("")


def _clock_from_text(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return minutes after midnight from clock texts and a mask of texts that are clocks."""
    parts = text.str.casefold().str.extract(_CLOCK_RE)
    h = pd.to_numeric(parts["h"]).to_numpy(dtype=float)
    m = pd.to_numeric(parts["m"]).to_numpy(dtype=float)
    hhmm = pd.to_numeric(parts["hhmm"]).to_numpy(dtype=float)
    hh = pd.to_numeric(parts["hh"]).to_numpy(dtype=float)
    hours = np.where(~np.isnan(h), h, np.where(~np.isnan(hhmm), hhmm // 100, hh))
    mins = np.where(~np.isnan(h), m, np.where(~np.isnan(hhmm), hhmm % 100, 0.0))
    ok = ~np.isnan(hours) & (mins < 60)
    return np.where(ok, hours * 60 + mins, np.nan), ok


def _clock_minutes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return minutes after midnight, a blank mask and an unreadable mask for a time column.

    Cells without any digit (such as "Ledig") are reported as blank-like via NaN and neither
    mask; the caller treats them as rows without a shift.
    """
    n = len(values)
    codes, text = _kinds(values)
    minutes = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    series = pd.Series(values, dtype=object)

    sel = codes == 1
    if sel.any():
        sub = text[sel]
        got, ok = _clock_from_text(sub)
        has_digit = sub.str.contains(r"\d").to_numpy()
        minutes[sel] = got
        bad[np.flatnonzero(sel)[~ok & has_digit]] = True
    sel = codes == 3
    if sel.any():
        td = pd.to_timedelta(series[sel].astype(str), errors="coerce")
        minutes[sel] = np.round(td / pd.Timedelta(minutes=1))
    sel = codes == 4
    if sel.any():
        stamps = pd.to_datetime(series[sel], errors="coerce")
        day = stamps.dt.normalize()
        minutes[sel] = np.round((stamps - day) / pd.Timedelta(minutes=1))
    sel = codes == 5
    if sel.any():
        td = pd.to_timedelta(series[sel], errors="coerce")
        minutes[sel] = np.round(td / pd.Timedelta(minutes=1))
    sel = codes == 2
    if sel.any():
        x = pd.to_numeric(series[sel], errors="coerce").to_numpy(dtype=float)
        frac = x - np.floor(x)
        integral = frac == 0
        got = np.full(len(x), np.nan)
        day_part = (x >= 0) & (x < 1) & ~integral
        got[day_part] = np.round(x[day_part] * MINUTES_PER_DAY)
        serial = x > 10_000
        got[serial] = np.round(frac[serial] * MINUTES_PER_DAY)
        hours_only = integral & (x >= 0) & (x <= 48)
        got[hours_only] = x[hours_only] * 60
        hhmm = integral & (x >= 100) & (x <= 4800) & (x % 100 < 60)
        got[hhmm] = (x[hhmm] // 100) * 60 + x[hhmm] % 100
        dotted = (x >= 1) & (x < 49) & ~integral
        mm = np.round(frac * 100)
        dotted &= mm < 60
        got[dotted] = np.floor(x[dotted]) * 60 + mm[dotted]
        minutes[sel] = got
        bad[np.flatnonzero(sel)[np.isnan(got)]] = True
    bad[codes == 6] = True
    bad |= (minutes > MAX_CLOCK_MINUTES) | (minutes < 0)
    minutes[bad] = np.nan
    return minutes, codes == 0, bad


def _dates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return dates (datetime64[D]), a blank mask and an unreadable mask for a date column."""
    n = len(values)
    codes, text = _kinds(values)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    series = pd.Series(values, dtype=object)
    sel = codes == 4
    if sel.any():
        out[sel] = pd.to_datetime(series[sel], errors="coerce").to_numpy().astype("datetime64[D]")
    sel = codes == 2
    if sel.any():
        x = pd.to_numeric(series[sel], errors="coerce").to_numpy(dtype=float)
        ok = (x >= 20_000) & (x <= 80_000)
        got = np.full(len(x), np.datetime64("NaT"), dtype="datetime64[D]")
        got[ok] = _EXCEL_EPOCH + np.floor(x[ok]).astype("timedelta64[D]")
        out[sel] = got
    sel = codes == 1
    if sel.any():
        sub = text[sel]
        parts = sub.str.extract(_ISO_DATE_RE)
        for pattern in (_DMY_DATE_RE, _COMPACT_DATE_RE):
            missing = parts["y"].isna()
            if not missing.any():
                break
            parts.loc[missing] = sub[missing].str.extract(pattern)[["y", "m", "d"]]
        out[sel] = _ymd(
            pd.to_numeric(parts["y"]).to_numpy(dtype=float),
            pd.to_numeric(parts["m"]).to_numpy(dtype=float),
            pd.to_numeric(parts["d"]).to_numpy(dtype=float),
        )
    blank = codes == 0
    bad = np.isnat(out) & ~blank
    return out, blank, bad


def _ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Return datetime64[D] from year, month, day (NaT where missing or impossible)."""
    year = np.where(year < 100, year + 2000, year)
    ok = ~(np.isnan(year) | np.isnan(month) | np.isnan(day))
    ok &= (year >= 1900) & (year <= 2200) & (month >= 1) & (month <= 12) & (day >= 1)
    ok &= day <= 31
    out = np.full(len(year), np.datetime64("NaT"), dtype="datetime64[D]")
    months = ((year[ok] - 1970) * 12 + month[ok] - 1).astype(np.int64).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (day[ok] - 1).astype(np.int64)
    valid = days.astype("datetime64[M]") == months
    out[np.flatnonzero(ok)[valid]] = days[valid]
    return out


def _break_minutes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return break minutes (0 when blank) and an unreadable mask."""
    n = len(values)
    codes, text = _kinds(values)
    out = np.zeros(n)
    series = pd.Series(values, dtype=object)
    sel = codes == 2
    if sel.any():
        out[sel] = pd.to_numeric(series[sel], errors="coerce").to_numpy(dtype=float)
    sel = codes == 1
    if sel.any():
        parts = text[sel].str.casefold().str.extract(_BREAK_RE)
        hm = pd.to_numeric(parts["h"]) * 60 + pd.to_numeric(parts["m"])
        plain = pd.to_numeric(parts["n"].str.replace(",", ".", regex=False))
        out[sel] = hm.fillna(plain).to_numpy(dtype=float)
    sel = codes == 3
    if sel.any():
        td = pd.to_timedelta(series[sel].astype(str), errors="coerce")
        out[sel] = np.round(td / pd.Timedelta(minutes=1))
    sel = codes == 5
    if sel.any():
        out[sel] = pd.to_timedelta(series[sel], errors="coerce") / pd.Timedelta(minutes=1)
    bad = np.isnan(out) | (out < 0) | (codes == 4) | (codes == 6)
    out[bad] = 0
    return out, bad


def _per_distinct(
    parse: Callable[[np.ndarray], tuple[np.ndarray, ...]], values: pd.Series
) -> tuple[np.ndarray, ...]:
    """Run a column parser once per distinct cell value and spread the results to all rows.

    Schedules repeat a few times, dates and ranges over thousands of rows, so this turns a
    per-cell regex into a hash lookup. Blank cells (NaN/None) share the last slot.
    """
    codes, uniques = pd.factorize(values)
    distinct = np.empty(len(uniques) + 1, dtype=object)
    distinct[:-1] = np.asarray(uniques, dtype=object)
    distinct[-1] = np.nan
    return tuple(np.asarray(part)[codes] for part in parse(distinct))


def _range_parts(values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return start and end minutes, kind codes, has-digit and text of time-range cells."""
    codes, text = _kinds(values)
    parts = text.str.extract(_RANGE_RE)
    start, a_ok = _clock_from_text(parts["a"].fillna("").str.strip())
    end, b_ok = _clock_from_text(parts["b"].fillna("").str.strip())
    digits = text.str.contains(r"\d").to_numpy(dtype=bool)
    ok = a_ok & b_ok
    return start, end, codes, digits, ok, text.str.casefold().to_numpy(dtype=object)


def _footer_parts(values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return whether each cell is text starting with "Summa", "Totalt" or the like."""
    codes, text = _kinds(values)
    matched = text.str.match(_FOOTER_RE, flags=re.IGNORECASE).fillna(False)
    return ((codes == 1) & matched.to_numpy(dtype=bool),)


def _subset_text(mask: np.ndarray, make: Any) -> np.ndarray:
    """Return an object array with `make(i)` at the masked positions only (message values)."""
    out = np.full(len(mask), "", dtype=object)
    for i in np.flatnonzero(mask)[: MAX_MESSAGES + 1]:
        out[i] = make(i)
    return out


def _parse_table(
    table: _Table, header_row: int, columns: Mapping[str, int], filename: str, sheet_label: str
) -> tuple[pd.DataFrame, _Problems, dict[str, int], set[str]]:
    """Parse the rows under the header into shifts; return shifts, problems, counters, names."""
    frame = table.frame
    headers = [_header_text(h) for h in frame.iloc[header_row]]
    body = frame.iloc[header_row + 1 :]
    lines = table.line_numbers[header_row + 1 :]
    problems = _Problems(filename, sheet_label)
    counts = {"absence": 0, "same_time": 0, "no_role": 0}
    n = len(body)
    if n == 0:
        return pd.DataFrame(), problems, counts, set()
    blank_text = np.full(n, "", dtype=object)

    def col(fld: str) -> pd.Series:
        return body.iloc[:, columns[fld]]

    def header(fld: str) -> str:
        return headers[columns[fld]]

    def add(mask: np.ndarray, fld: str, values: Any, text: str) -> None:
        problems.add(mask, lines, columns[fld], header(fld), values, text)

    texts: dict[int, pd.Series] = {}

    def text(fld: str) -> pd.Series:
        """Return the cells of a field's column as stripped text ('' when blank)."""
        index = columns[fld]
        if index not in texts:
            (got,) = _per_distinct(
                lambda v: (_cell_text(v).to_numpy(dtype=object),), body.iloc[:, index]
            )
            texts[index] = pd.Series(got, dtype=object)
        return texts[index]

    # Per row: how many cells are filled, and whether the first filled one says "Summa ...".
    nonblank = np.zeros(n, dtype=np.int64)
    first = np.full(n, -1, dtype=np.int64)
    for index in range(body.shape[1]):
        filled = body.iloc[:, index].notna().to_numpy()
        nonblank += filled
        first[(first < 0) & filled] = index
    footer = np.zeros(n, dtype=bool)
    for index in np.unique(first[first >= 0]):
        rows = np.flatnonzero(first == index)
        (matched,) = _per_distinct(_footer_parts, body.iloc[rows, index])
        footer[rows] = matched.astype(bool)

    if "range" in columns:
        rng = col("range")
        start_min, end_min, rng_codes, digits, ok, folded = _per_distinct(_range_parts, rng)
        start_min, end_min = start_min.astype(float), end_min.astype(float)
        time_blank = rng_codes == 0
        repeat = folded == _norm(header("range"))
        no_clock = (rng_codes == 1) & ~digits.astype(bool)
        skip = time_blank | footer | repeat | no_clock | (nonblank == 0)
        bad = ~skip & ~ok.astype(bool)
        add(bad, "range", rng, 'arbetstiden "{value}" går inte att läsa; skriv t.ex. 07:00-15:30.')
        start_min[bad] = np.nan
        end_min[bad] = np.nan
        start_fld = end_fld = "range"
    else:
        s_vals, e_vals = col("start"), col("end")
        start_min, s_blank, s_bad = _per_distinct(_clock_minutes, s_vals)
        end_min, e_blank, e_bad = _per_distinct(_clock_minutes, e_vals)
        folded_header = _norm(header("start"))
        (repeat,) = _per_distinct(
            lambda v: ((_cell_text(v).str.casefold() == folded_header).to_numpy(dtype=bool),),
            s_vals,
        )
        s_none = np.isnan(start_min) & ~s_bad  # blank, or text without digits ("Ledig")
        e_none = np.isnan(end_min) & ~e_bad
        time_blank = s_blank & e_blank
        no_clock = s_none & e_none & ~time_blank
        skip = time_blank | footer | repeat | no_clock | (nonblank == 0)
        for values, bad, fld in ((s_vals, s_bad, "start"), (e_vals, e_bad, "end")):
            add(bad & ~skip, fld, values, 'tiden "{value}" går inte att läsa; skriv t.ex. 07:00.')
        add(s_none & ~e_none & ~skip, "start", blank_text, "starttid saknas.")
        add(e_none & ~s_none & ~skip, "end", blank_text, "sluttid saknas.")
        start_fld, end_fld = "start", "end"
    counts["absence"] = int(((no_clock | (time_blank & (nonblank >= 2))) & ~footer & ~repeat).sum())
    keep = ~skip

    # Dates and sections: a blank cell inherits the value above (merged cells).
    date_vals = col("date")
    day, d_blank, d_bad = _per_distinct(_dates, date_vals)
    given = pd.Series(np.where(keep & ~d_blank, day, np.datetime64("NaT", "D")))
    inherited = given.ffill().to_numpy().astype("datetime64[D]")
    day = np.where(d_blank, inherited, day)
    add(
        d_bad & keep,
        "date",
        date_vals,
        'datumet "{value}" går inte att läsa; skriv t.ex. 2026-11-02.',
    )
    add(d_blank & np.isnat(day) & keep, "date", blank_text, "datum saknas.")

    section = text("section")
    section = section.where(keep & (section != "").to_numpy()).ffill().fillna("")
    add((section == "").to_numpy() & keep, "section", blank_text, "avdelning saknas.")
    role = text("role")
    counts["no_role"] = int(((role == "").to_numpy() & keep).sum())

    if "break" in columns:
        brk, brk_bad = _per_distinct(_break_minutes, col("break"))
        add(
            brk_bad & keep,
            "break",
            col("break"),
            'rasten "{value}" går inte att läsa; ange minuter, t.ex. 30.',
        )
    else:
        brk = np.zeros(n)

    # Shift length: one that ends at or before its start ends the next day.
    late = (start_min >= MINUTES_PER_DAY) & keep
    add(late, start_fld, blank_text, "starttiden måste vara före 24:00.")
    same = (start_min == end_min) & keep
    counts["same_time"] = int(same.sum())
    keep &= ~same & ~late
    end_min = np.where(end_min < start_min, end_min + MINUTES_PER_DAY, end_min)
    length = end_min - start_min
    too_long = (length > MINUTES_PER_DAY) & keep
    add(
        too_long,
        end_fld,
        _subset_text(too_long, lambda i: _number(float(length[i]) / 60)),
        "passet är {value} timmar långt; ett pass får vara högst 24 timmar.",
    )
    long_break = (brk > length) & keep & ~too_long
    add(
        long_break,
        "break" if "break" in columns else end_fld,
        _subset_text(long_break, lambda i: _number(float(brk[i]))),
        "rasten ({value} min) är längre än passet.",
    )

    names: set[str] = set()
    if "name" in columns:
        person = text("name")[keep]
        names = {_norm(p) for p in pd.unique(person[person != ""].to_numpy(dtype=object))}

    ok = keep & ~np.isnan(start_min) & ~np.isnan(end_min) & ~np.isnat(day)
    day_ok = day[ok]
    shifts = pd.DataFrame(
        {
            "row": lines[ok].astype("int64"),
            "sheet": table.sheet,
            "date": day_ok.astype("datetime64[s]"),
            "start": (day_ok + start_min[ok].astype("timedelta64[m]")).astype("datetime64[s]"),
            "end": (day_ok + end_min[ok].astype("timedelta64[m]")).astype("datetime64[s]"),
            "break_minutes": brk[ok],
            "hours": (length[ok] - brk[ok]) / 60,
            "role": role[ok].to_numpy(dtype=object),
            "section": section[ok].to_numpy(dtype=object),
        }
    )
    return shifts, problems, counts, names


def read_schedule(
    source: str | Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Schedule:
    """Read a schedule export (.xlsx, .xls, .ods, .csv) into shifts without names.

    `mapping` (field -> header, see `FIELDS`) overrides the detected columns; an empty header
    removes a field. Raise `ScheduleError` with one Swedish message per problem.
    """
    data, name = _source_bytes(source, filename)
    explicit = _clean_mapping(mapping)
    layouts, skipped_sheets = _layouts(data, name, explicit)
    first_table, first_row, first_columns = layouts[0]
    first_headers = [_header_text(h) for h in first_table.frame.iloc[first_row]]

    messages: list[tuple[str, int, int, str]] = []
    missing_messages: list[str] = []
    for fld, header in explicit.items():
        if header and not any(
            _norm(header) in {_norm(_header_text(h)) for h in t.frame.iloc[r]}
            for t, r, _ in layouts
        ):
            missing_messages.append(
                f"{name}: kolumnen {header!r} som angetts för {FIELD_LABELS[fld]} finns inte i "
                "filen."
            )
    frames = []
    counts = {"absence": 0, "same_time": 0, "no_role": 0}
    names: set[str] = set()
    multi = len(layouts) > 1
    total_problems = 0
    for table, row, columns in layouts:
        label = table.sheet if multi else ""
        missing = _missing_fields(columns)
        if missing:
            where = f"{name}, blad {table.sheet}" if multi else name
            for fld in missing:
                missing_messages.append(
                    f"{where}: kolumn för {FIELD_LABELS[fld]} saknas (rubrikraden är rad "
                    f"{table.line_numbers[row]}). {_synonym_hint(fld)}"
                )
            continue
        shifts, problems, sheet_counts, sheet_names = _parse_table(table, row, columns, name, label)
        total_problems += problems.count()
        messages.extend((table.sheet, line, c, m) for line, c, m in problems.messages())
        frames.append(shifts)
        names |= sheet_names
        for key, value in sheet_counts.items():
            counts[key] += value
    if missing_messages:
        raise ScheduleError(missing_messages, name)
    if total_problems:
        messages.sort(key=lambda x: (x[0], x[1], x[2]))
        texts = [m for *_, m in messages[:MAX_MESSAGES]]
        raise ScheduleError(texts, name, total=total_problems)
    shifts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if shifts.empty:
        raise ScheduleError([f"{name}: filen innehåller inga pass under rubrikraden."], name)

    warnings = [
        f'Bladet "{sheet}" har ingen rubrikrad med datum och tid och lästes inte.'
        for sheet in skipped_sheets
    ]
    if counts["absence"]:
        warnings.append(
            f"{_rows(counts['absence'])} utan klockslag (t.ex. ledighet) räknades inte som pass."
        )
    if counts["same_time"]:
        warnings.append(
            f"{_rows(counts['same_time'])} med samma start- och sluttid räknades inte som pass."
        )
    if counts["no_role"]:
        warnings.append(
            f"{counts['no_role']} pass saknar befattning och räknas inte som kompetent personal."
        )
    has_names = all("name" in c for _, _, c in layouts)
    if not has_names:
        warnings.append("Filen har ingen kolumn med namn; antalet personer kunde inte räknas.")
    return Schedule(
        filename=name,
        shifts=shifts,
        mapping={f: first_headers[i] for f, i in sorted(first_columns.items(), key=lambda x: x[1])},
        headers=[h for h in first_headers if h],
        header_row=int(first_table.line_numbers[first_row]),
        distinct_people=len(names) if has_names else None,
        warnings=warnings,
    )


def _rows(count: int) -> str:
    return f"{count} rad" if count == 1 else f"{count} rader"


def _synonym_hint(fld: str) -> str:
    if fld in ("start", "end"):
        return "Väntade rubriker: Start/Från och Slut/Till, eller Tid med t.ex. 07:00-15:30."
    words = ", ".join(w.capitalize() for w in _KEYWORDS[fld][:4])
    return f"Väntade rubriker: {words}; eller ange kolumnen själv."


# --------------------------------------------------------------------------------------------
# Analysis


@dataclass(frozen=True)
class Breach:
    """A period below its commitment: kind "staff" (present) or "competent"."""

    date: date
    section: str
    period: str
    kind: Literal["staff", "competent"]
    required: int
    present: int

    def to_json_dict(self) -> dict[str, Any]:
        """Return the breach as in the JSON of the analysis."""
        return {
            "date": self.date.isoformat(),
            "section": self.section,
            "period": self.period,
            "kind": self.kind,
            "required": self.required,
            "present": self.present,
        }


PERIOD_COLUMNS = [
    "section",
    "date",
    "period",
    "start",
    "end",
    "present",
    "competent",
    "min_staff",
    "min_competent",
    "staff_per_place",
    "staff_breach",
    "competent_breach",
]
"""Columns of `StaffingResult.periods` (one row per section, date and period)."""


@dataclass
class StaffingResult:
    """Figures and breaches of one analysed schedule; never names.

    `periods` has one row per section, date and period: section, date, period, start, end,
    present, competent, min_staff, min_competent, staff_per_place, staff_breach,
    competent_breach.
    """

    date_from: date
    date_to: date
    shifts: int
    total_hours: float
    competent_hours: float
    competent_share: float
    share_breached: bool
    min_competent_hours_share: float
    distinct_people: int | None
    hours_by_section: dict[str, float]
    warnings: list[str]
    breaches: list[Breach]
    periods: pd.DataFrame

    def to_json_dict(self) -> dict[str, Any]:
        """Return the JSON object of the analysis (the CLI's --json output)."""
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "shifts": self.shifts,
            "total_hours": round(self.total_hours, 2),
            "competent_hours": round(self.competent_hours, 2),
            "competent_share": round(self.competent_share, 4),
            "share_breached": self.share_breached,
            "distinct_people": self.distinct_people,
            "hours_by_section": {k: round(v, 2) for k, v in self.hours_by_section.items()},
            "warnings": list(self.warnings),
            "breaches": [b.to_json_dict() for b in self.breaches],
        }

    def periods_records(self) -> list[dict[str, Any]]:
        """Return the periods table as JSON-ready rows, to store and redraw the heat map."""
        table = self.periods.assign(
            date=self.periods["date"].dt.strftime("%Y-%m-%d"),
            start=self.periods["start"].dt.strftime("%Y-%m-%dT%H:%M"),
            end=self.periods["end"].dt.strftime("%Y-%m-%dT%H:%M"),
            staff_per_place=self.periods["staff_per_place"].round(4),
        )
        return [
            {str(k): (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
            for row in table.to_dict("records")
        ]


def periods_frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Rebuild the periods table from `StaffingResult.periods_records()`."""
    table = pd.DataFrame(list(records), columns=PERIOD_COLUMNS)
    for column in ("date", "start", "end"):
        table[column] = pd.to_datetime(table[column]).astype("datetime64[s]")
    for column in ("present", "competent", "min_staff", "min_competent"):
        table[column] = table[column].astype("int64")
    table["staff_per_place"] = table["staff_per_place"].astype(float)
    for column in ("staff_breach", "competent_breach"):
        table[column] = table[column].astype(bool)
    return table


def _range_min(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Return min(values[lo:hi]) per pair; the int64 maximum where the range is empty."""
    out = np.full(len(lo), np.iinfo(np.int64).max, dtype=np.int64)
    nonempty = np.flatnonzero(lo < hi)
    if len(nonempty) == 0:
        return out
    order = nonempty[np.argsort(lo[nonempty], kind="stable")]
    bounds = np.empty(2 * len(order), dtype=np.intp)
    bounds[0::2] = lo[order]
    bounds[1::2] = hi[order]
    padded = np.append(values.astype(np.int64), 0)  # hi may equal len(values)
    out[order] = np.minimum.reduceat(padded, bounds)[0::2]
    return out


def _min_on_duty(
    shift_group: np.ndarray,
    shift_start: np.ndarray,
    shift_end: np.ndarray,
    group: np.ndarray,
    period_start: np.ndarray,
    period_end: np.ndarray,
) -> np.ndarray:
    """Return per period the lowest number of shifts of its group covering any moment of it.

    Shifts and periods are half-open minute intervals [start, end). One sweep over all groups:
    each shift adds +1 at its start and -1 at its end; the running sum between event times is
    the number on duty. A period's minimum is the level at its start and at every event inside.
    """
    if len(shift_start) == 0 or len(group) == 0:
        return np.zeros(len(group), dtype=np.int64)
    origin = min(int(shift_start.min()), int(period_start.min()))
    span = max(int(shift_end.max()), int(period_end.max())) - origin + 1
    offset = shift_group.astype(np.int64) * span - origin
    keys = np.concatenate([offset + shift_start, offset + shift_end])
    deltas = np.concatenate(
        [np.ones(len(shift_start), np.int64), np.full(len(shift_start), -1, np.int64)]
    )
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    times = keys[first]
    level = np.cumsum(np.add.reduceat(deltas[order], first))
    q_offset = group.astype(np.int64) * span - origin
    q0 = q_offset + period_start
    q1 = q_offset + period_end
    at = np.searchsorted(times, q0, side="right") - 1
    start_level = np.where(at >= 0, level[np.maximum(at, 0)], 0)
    inner = _range_min(level, at + 1, np.searchsorted(times, q1, side="left"))
    return np.minimum(start_level, inner)


def _lookup(values: pd.Series, look: Any, missing: Any) -> np.ndarray:
    """Return `look(normalised value)` per cell, computed once per distinct value."""
    codes, uniques = pd.factorize(values)
    table = np.array([look(_norm(u)) for u in np.asarray(uniques, dtype=object)] + [missing])
    return table[codes]  # code -1 (missing) picks the last entry


def _main_date_group(days: np.ndarray) -> np.ndarray:
    """Return a mask of the shifts in the date group with most shifts (gaps > 7 days split)."""
    unique, counts = np.unique(days, return_counts=True)
    group_of_unique = np.r_[0, np.cumsum(np.diff(unique) > OUTLIER_GAP_DAYS)]
    shifts_per_group = np.bincount(group_of_unique, weights=counts)
    best = int(np.argmax(shifts_per_group))  # first group on ties
    keep_unique = unique[group_of_unique == best]
    return np.isin(days, keep_unique)


def analyse(schedule: Schedule, rules: StaffingRules) -> StaffingResult:
    """Check the shifts of a schedule against the staffing rules (see `RULES_MARKDOWN`)."""
    shifts = schedule.shifts
    warnings = list(schedule.warnings)
    section_index = {_norm(s): i for i, s in enumerate(rules.sections)}
    sec_all = _lookup(shifts["section"], lambda name: section_index.get(name, -1), -1)
    unknown = sec_all < 0
    if unknown.any():
        for name, count in sorted(shifts.loc[unknown, "section"].value_counts().items()):
            warnings.append(
                f'{count} pass på avdelningen "{name}", som inte finns i reglerna, utelämnades.'
            )
    kept = shifts.loc[~unknown]
    sec_idx = sec_all[~unknown].astype(np.int64)
    if kept.empty:
        raise ScheduleError(
            [
                f"{schedule.filename}: inga pass hör till avdelningarna i reglerna "
                f"({', '.join(rules.sections)})."
            ],
            schedule.filename,
        )
    days = kept["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    main = _main_date_group(days)
    if not main.all():
        far = np.unique(days[~main]).astype("datetime64[D]")
        shown = ", ".join(str(d) for d in far[:5]) + (" ..." if len(far) > 5 else "")
        warnings.append(
            f"{int((~main).sum())} pass med datum långt från övriga ({shown}) utelämnades."
        )
        kept = kept.loc[main]
        sec_idx = sec_idx[main]
        days = days[main]

    roles = rules.competent_roles()
    competent = _lookup(kept["role"], lambda role: role in roles, False).astype(bool)
    start = kept["start"].to_numpy().astype("datetime64[m]").astype(np.int64)
    end = kept["end"].to_numpy().astype("datetime64[m]").astype(np.int64)

    first_day, last_day = int(days.min()), int(days.max())
    n_days = last_day - first_day + 1
    n_sec, n_per = len(rules.sections), len(rules.periods)
    inst_sec = np.repeat(np.arange(n_sec), n_days * n_per)
    inst_day = np.tile(np.repeat(np.arange(n_days), n_per), n_sec)
    inst_per = np.tile(np.arange(n_per), n_sec * n_days)
    p_start = np.array([p.start_minute for p in rules.periods], dtype=np.int64)
    p_len = np.array([p.length_minutes for p in rules.periods], dtype=np.int64)
    q0 = (first_day + inst_day) * MINUTES_PER_DAY + p_start[inst_per]
    q1 = q0 + p_len[inst_per]

    present = _min_on_duty(sec_idx, start, end, inst_sec, q0, q1)
    competent_present = _min_on_duty(
        sec_idx[competent], start[competent], end[competent], inst_sec, q0, q1
    )
    min_staff = np.array([p.min_staff for p in rules.periods], dtype=np.int64)[inst_per]
    min_comp = np.array([p.min_competent for p in rules.periods], dtype=np.int64)[inst_per]
    section_names = np.array(rules.sections, dtype=object)
    period_names = np.array([p.name for p in rules.periods], dtype=object)
    dates = (first_day + inst_day).astype("datetime64[D]")
    periods = pd.DataFrame(
        {
            "section": section_names[inst_sec],
            "date": dates.astype("datetime64[s]"),
            "period": period_names[inst_per],
            "start": q0.astype("datetime64[m]").astype("datetime64[s]"),
            "end": q1.astype("datetime64[m]").astype("datetime64[s]"),
            "present": present,
            "competent": competent_present,
            "min_staff": min_staff,
            "min_competent": min_comp,
            "staff_per_place": present / rules.places_per_section,
            "staff_breach": present < min_staff,
            "competent_breach": competent_present < min_comp,
        }
    )

    hours = kept["hours"].to_numpy(dtype=float)
    total_hours = float(hours.sum())
    competent_hours = float(hours[competent].sum())
    share = competent_hours / total_hours if total_hours > 0 else 0.0
    by_section = np.bincount(sec_idx, weights=hours, minlength=n_sec)

    return StaffingResult(
        date_from=_day(first_day),
        date_to=_day(last_day),
        shifts=len(kept),
        total_hours=total_hours,
        competent_hours=competent_hours,
        competent_share=share,
        share_breached=bool(share < rules.min_competent_hours_share),
        min_competent_hours_share=rules.min_competent_hours_share,
        distinct_people=schedule.distinct_people,
        hours_by_section={s: float(h) for s, h in zip(rules.sections, by_section, strict=True)},
        warnings=warnings,
        breaches=_breaches(periods),
        periods=periods,
    )


def _day(days_since_epoch: int) -> date:
    return date(1970, 1, 1) + timedelta(days=days_since_epoch)


def _breaches(periods: pd.DataFrame) -> list[Breach]:
    parts = []
    for kind, flag, required, got in (
        ("staff", "staff_breach", "min_staff", "present"),
        ("competent", "competent_breach", "min_competent", "competent"),
    ):
        rows = periods.loc[periods[flag], ["date", "section", "period", required, got]]
        parts.append(
            pd.DataFrame(
                {
                    "date": rows["date"],
                    "section": rows["section"],
                    "period": rows["period"],
                    "kind": kind,
                    "required": rows[required],
                    "present": rows[got],
                }
            )
        )
    table = pd.concat(parts, ignore_index=True).sort_values(
        ["date", "section", "period", "kind"], kind="stable"
    )
    return [
        Breach(
            date=pd.Timestamp(d).date(),
            section=str(s),
            period=str(p),
            kind=k,
            required=int(r),
            present=int(n),
        )
        for d, s, p, k, r, n in table.itertuples(index=False, name=None)
    ]


def analyse_file(
    source: str | Path | bytes | BinaryIO,
    rules: StaffingRules,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> StaffingResult:
    """Read a schedule file and analyse it against the rules."""
    return analyse(read_schedule(source, filename=filename, mapping=mapping), rules)


def _number(value: float, decimals: int = 2) -> str:
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text.rstrip("0").rstrip(",") if "," in text else text


_KIND_LABELS = {"staff": "bemanning", "competent": "kompetens"}


def summary_text(result: StaffingResult) -> str:
    """Return a readable Swedish summary of the analysis."""
    days = (result.date_to - result.date_from).days + 1
    people = "okänt" if result.distinct_people is None else str(result.distinct_people)
    share = _number(result.competent_share * 100, 1)
    required = _number(result.min_competent_hours_share * 100, 1)
    verdict = "under kravet" if result.share_breached else "uppfyller kravet"
    lines = [
        f"Granskad period: {result.date_from} – {result.date_to} ({days} dagar)",
        f"Pass: {result.shifts}, personer: {people}",
        f"Timmar: {_number(result.total_hours)}, varav kompetent personal "
        f"{_number(result.competent_hours)} ({share} %; krav {required} %, {verdict})",
        "Timmar per avdelning: "
        + "; ".join(f"{s} {_number(h)}" for s, h in result.hours_by_section.items()),
    ]
    if result.breaches:
        lines.append(f"Brister: {len(result.breaches)}")
        for b in result.breaches:
            lines.append(
                f"  {b.date} {b.section} {b.period}: {_KIND_LABELS[b.kind]} {b.present} "
                f"(krav {b.required})"
            )
    else:
        lines.append("Brister: inga")
    if result.warnings:
        lines.append("Varningar:")
        lines.extend(f"  {w}" for w in result.warnings)
    return "\n".join(lines)
