"""Hypothesis strategies for files from outside: schedules (CSV and xlsx in many shapes),
checklists (YAML and the exported workbook), requirement workbooks, and the hostile
variations of each (truncated, bytes flipped, a huge dimension, a cell far away, a zip bomb,
the wrong kind of file under the right name)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from functools import cache
from typing import Any

import yaml
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from audit_app.services import checklists
from tests.unit.checklists.fixtures import SMALL
from tests.unit.staffing.fixtures import scenario
from tests.unit.untrusted import hostile

Rows = list[list[Any]]

TEXTS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
WORDS = st.sampled_from(
    [
        "",
        " ",
        "USK",
        "Undersköterska",
        "ssk",
        "Vikarie",
        "Avd Lärkan",
        "Avd Måsen",
        "Summa",
        "Ledig",
        "Anna Berg",
        "=SUMMA(A1:A3)",
        "ÅÄÖ",
        "07:00-15:30",
        "nan",
        "-",
        "\t",
        "\n",
    ]
)
DATES = st.one_of(
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.isoformat()),
    st.sampled_from(["2 nov 2026", "2026-13-45", "31/11/2026", "02.11.26", "igår", ""]),
)
TIMES = st.one_of(
    st.times().map(lambda t: t.replace(microsecond=0)),
    st.sampled_from(["07:00", "0645", "6.45", "06:45:00", "22", "24:00", "25:99", "7-15", ""]),
    st.floats(0, 1.5, allow_nan=False),
)
CELLS = st.one_of(
    st.none(),
    DATES,
    TIMES,
    WORDS,
    TEXTS,
    st.integers(-10, 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
YAML_VALUES = st.one_of(
    st.none(),
    WORDS,
    TEXTS,
    st.integers(-10, 10**9),
    st.booleans(),
    st.dates(),
    st.floats(allow_nan=False, allow_infinity=False),
)
HEADERS = st.lists(
    st.sampled_from(
        [
            "Datum",
            "Start",
            "Slut",
            "Från",
            "Till",
            "Tid",
            "Befattning",
            "Roll",
            "Avdelning",
            "Namn",
            "Rast",
            "Anteckning",
            "",
            "Datum",
        ]
    ),
    min_size=1,
    max_size=9,
)


def to_csv(rows: Rows, delimiter: str, encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return out.getvalue().encode(encoding, errors="replace")


@st.composite
def hostile_variant(draw: st.DrawFn, data: bytes, rows: Rows) -> tuple[bytes, bool]:
    """Return a variation of a file and whether it is hostile by construction."""
    kind = draw(
        st.sampled_from(
            ["none"] * 6 + ["truncate", "flip", "dimension", "far", "bomb", "word", "pdf", "empty"]
        )
    )
    if kind == "truncate":
        return data[: draw(st.integers(0, max(len(data) - 1, 0)))], False
    if kind == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :], False
    if kind == "dimension":
        return hostile.xlsx({"Schema": rows}, dimension="A1:XFD1048576"), True
    if kind == "far":
        return hostile.xlsx({"Schema": rows}, dimension=None, far="XFD1048576"), True
    if kind == "bomb":
        return hostile.with_bomb(hostile.xlsx({"Schema": rows}), "xl/media/a.png", 8), True
    if kind == "word":
        return hostile.raw_zip([("word/document.xml", b"<w:document/>", 0, 0x0, 13)]), False
    if kind == "pdf":
        return b"%PDF-1.7\n" + data[:100], False
    if kind == "empty":
        return b"", False
    return data, False


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


@st.composite
def _scenario_rows(draw: st.DrawFn) -> Rows:
    """Shifts of the staffing tests' known scenario in one of the common layouts."""
    header = ["Datum", "Start", "Slut", "Befattning", "Avdelning", "Namn"]
    if draw(st.booleans()):
        header[1:3] = draw(st.sampled_from([["Från", "Till"], ["Start", "Slut"]]))
    shifts = draw(st.lists(st.sampled_from(scenario()), min_size=1, max_size=20))
    cells_as_text = draw(st.booleans())
    rows: Rows = [header]
    for shift in shifts:
        day: Any = shift.day.isoformat() if cells_as_text else shift.day
        start: Any = shift.start if cells_as_text else _clock(shift.start)
        end: Any = shift.end if cells_as_text else _clock(shift.end)
        rows.append([day, start, end, shift.role, shift.section, shift.name])
    return draw(edited_rows(rows))


@st.composite
def _random_rows(draw: st.DrawFn) -> Rows:
    headers = draw(HEADERS)
    body = draw(st.lists(st.lists(CELLS, max_size=len(headers) + 2), max_size=25))
    lead = draw(st.lists(st.lists(WORDS, max_size=3), max_size=3))
    return [*lead, list(headers), *body]


@st.composite
def schedules(draw: st.DrawFn) -> tuple[str, bytes, bool]:
    """A schedule file: (file name, bytes, hostile by construction)."""
    rows = draw(st.one_of(_scenario_rows(), _scenario_rows(), _random_rows()))
    if draw(st.booleans()):
        delimiter = draw(st.sampled_from([";", ",", "\t"]))
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
        data, name = to_csv(rows, delimiter, encoding), "schema.csv"
    else:
        sheets = {"Schema": rows}
        if draw(st.booleans()):
            sheets["Blad2"] = draw(st.lists(st.lists(CELLS, max_size=4), max_size=5))
        data, name = hostile.xlsx(sheets), "schema.xlsx"
    data, bad = draw(hostile_variant(data, rows))
    if draw(st.integers(0, 9)) == 0:
        name = draw(st.sampled_from(["schema.xlsx", "schema.csv", "schema.ods", "schema.xls"]))
    return name, data, bad


# --------------------------------------------------------------------------- checklists


@cache
def exported_checklist() -> dict[str, Rows]:
    """The sheets of the small checklist's exported workbook, as rows of cell values."""
    workbook = CalamineWorkbook.from_filelike(
        io.BytesIO(checklists.to_excel(checklists.load_yaml(SMALL)))
    )
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


@st.composite
def edited_rows(draw: st.DrawFn, rows: Sequence[Sequence[Any]]) -> Rows:
    """Rows as a person might edit them: cells changed, rows dropped or doubled."""
    out = [list(r) for r in rows]
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3, 4]))):
        if not out:
            break
        r = draw(st.integers(0, len(out) - 1))
        action = draw(st.sampled_from(["cell", "cell", "drop", "double", "short"]))
        if action == "cell" and out[r]:
            c = draw(st.integers(0, len(out[r]) - 1))
            out[r][c] = draw(CELLS)
        elif action == "drop":
            out.pop(r)
        elif action == "double":
            out.insert(r, list(out[r]))
        elif out[r]:
            out[r] = out[r][: draw(st.integers(0, len(out[r]) - 1))]
    return out


@st.composite
def checklist_workbooks(draw: st.DrawFn) -> tuple[str, bytes, bool]:
    """An exported checklist workbook, edited, sometimes hostile: (name, bytes, hostile)."""
    sheets: dict[str, Sequence[Sequence[Any]]] = {}
    for name, rows in exported_checklist().items():
        if draw(st.integers(0, 19)) == 0:
            continue  # a sheet deleted
        sheets[draw(st.sampled_from([name, name, name, name.upper(), "Blad1"]))] = draw(
            edited_rows(rows)
        )
    data = hostile.xlsx(sheets or {"Blad1": [[]]})
    data, bad = draw(hostile_variant(data, list(next(iter(sheets.values()), [[]]))))
    return "checklista.xlsx", data, bad


@st.composite
def checklist_yaml(draw: st.DrawFn) -> tuple[str, bytes, bool]:
    """A checklist as YAML: the small one edited as data or as text, sometimes hostile."""
    data = yaml.safe_load(SMALL)
    for _ in range(draw(st.integers(0, 4))):
        sections = data.get("sections") if isinstance(data.get("sections"), list) else []
        section = draw(st.sampled_from(sections)) if sections else {}
        items = section.get("items") if isinstance(section, dict) else None
        target = draw(st.sampled_from([data, section, *(items if isinstance(items, list) else [])]))
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(sorted(target)))
            target[key] = draw(st.one_of(YAML_VALUES, st.lists(WORDS, max_size=3), st.just({})))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    kind = draw(st.sampled_from(["none"] * 5 + ["cut", "insert", "deep", "alias", "bytes"]))
    bad = False
    if kind == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif kind == "insert":
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + draw(st.sampled_from([":", "\t", "[", "- ", "&a ", "*a", "'", "{"]))
            + text[at:]
        )
    elif kind == "deep":
        text, bad = hostile.deep_yaml(draw(st.integers(21, 2000)), flow=draw(st.booleans())), True
    elif kind == "alias":
        text, bad = hostile.alias_bomb_yaml(), True
    raw = text.encode("utf-8")
    if kind == "bytes":
        raw = draw(st.binary(max_size=200))
    return "lista.yaml", raw, bad


# --------------------------------------------------------------------------- requirements


@st.composite
def requirement_workbooks(draw: st.DrawFn) -> tuple[str, bytes, bool]:
    """A workbook of contract requirements, edited and sometimes hostile: (name, bytes, hostile)."""
    header = draw(
        st.sampled_from(
            [
                ["Avtalspunkt", "Krav", "Typ", "Område"],
                ["Krav", "Avtalspunkt", "Område", "Typ"],
                ["Avtalspunkt", "Krav", "Typ"],
                ["krav", "AVTALSPUNKT", "typ", "område"],
                ["A", "B"],
            ]
        )
    )
    kinds = st.sampled_from(["SKA", "BÖR", "SKA", "BÖR", "ska", "bör", "måste", "", None])
    clauses = st.one_of(st.integers(1, 40).map(lambda n: f"4.{n}"), st.just(""), TEXTS)
    texts = st.one_of(st.sampled_from(["Basal hygien följs.", "Genomförandeplan finns."]), WORDS)
    row = st.tuples(clauses, texts, kinds, st.one_of(WORDS, st.none())).map(list)
    rows = [
        *draw(st.lists(st.lists(WORDS, max_size=2), max_size=2)),
        header,
        *draw(st.lists(row, max_size=20)),
    ]
    data = hostile.xlsx({"Krav": rows})
    data, bad = draw(hostile_variant(data, rows))
    return "krav.xlsx", data, bad
