"""Helpers of the staffing tests: a known scenario written in several file styles, small CSV
schedules, and a contract follow-up with the scenario's commitments in the database."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from audit_app.models import FollowUp, FollowUpKind, StaffingAnalysis, UnitKind
from audit_app.services import followups, registers
from audit_app.services.staffing import commitments, store
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.parsing import read_schedule
from audit_app.services.staffing.rules import StaffingRules
from tests.conftest import REVISOR

RULES_YAML = """\
unit: Solgården
sections: [Avd Lärkan, Avd Måsen]
places_per_section: 10
competence:
  usk: [undersköterska, usk, sjuksköterska]   # roles counted as competent, case-insensitive
periods:
  - {name: Dag, start: "07:00", end: "15:00", min_staff: 3, min_competent: 2}
  - {name: Natt, start: "21:30", end: "07:00", min_staff: 1, min_competent: 1}
min_competent_hours_share: 0.75
"""

CSV_HEADER = "Datum;Start;Slut;Befattning;Avdelning;Namn"


def write_csv(tmp_path: Path, text: str, name: str = "schema.csv", encoding: str = "utf-8") -> Path:
    """Write a small CSV schedule and return its path."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def read_errors(path: Path, **kwargs: object) -> list[str]:
    """Return the messages of the `ScheduleError` reading the file raises."""
    with pytest.raises(ScheduleError) as caught:
        read_schedule(path, **kwargs)  # type: ignore[arg-type]
    return caught.value.messages


@dataclass(frozen=True)
class Row:
    """One shift as the contractor's system exports it."""

    day: dt.date
    start: str
    end: str
    role: str
    section: str
    name: str
    rest: int = 0


D1, D2, D3 = dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4)


def scenario() -> list[Row]:
    """Return the known scenario: 3 days, 2 sections, 6 breaches, 1 foreign section, 1 typo."""
    rows: list[Row] = []
    lark, mas = "Avd Lärkan", "Avd Måsen"
    for day in (D1, D2, D3):
        anna = "ANNA BERG" if day == D3 else "Anna Berg"  # same person, other case
        rows.append(Row(day, "07:00", "15:30", "USK", lark, anna, 30))
        if day == D2:  # late start: 07:00-08:00 has only two people, one competent
            rows.append(Row(day, "08:00", "16:00", "Undersköterska", lark, "Bo Ek", 30))
            rows.append(Row(day, "10:00", "13:00", "usk", lark, "Eva Gran"))  # fills no gap
        else:
            rows.append(Row(day, "07:00", "15:30", "Undersköterska", lark, "Bo Ek", 30))
        rows.append(Row(day, "07:00", "15:30", "Vårdbiträde", lark, "Cecilia Dahl", 30))
        if day == D3:  # night without competence
            rows.append(Row(day, "21:30", "07:00", "Vårdbiträde", lark, "Fredrik Holm"))
        else:
            rows.append(Row(day, "21:30", "07:00", "Sjuksköterska", lark, "David Fors"))

        rows.append(Row(day, "07:00", "15:00", "usk", mas, "Gustav Ivarsson", 30))
        rows.append(Row(day, "07:00", "15:00", "usk", mas, "Helena Jonsson", 30))
        short = "14:30" if day == D3 else "15:00"  # 14:30-15:00 only two people
        rows.append(Row(day, "07:00", short, "Vårdbiträde", mas, "Ida Karlsson", 30))
        if day == D1:  # hand-over at 02:00: no gap
            rows.append(Row(day, "21:30", "02:00", "usk", mas, "Johan Lind"))
            rows.append(
                Row(day + dt.timedelta(days=1), "02:00", "07:00", "usk", mas, "Karin Molin")
            )
        elif day == D2:  # 01:00-01:30 nobody
            rows.append(Row(day, "21:30", "01:00", "usk", mas, "Johan Lind"))
            rows.append(
                Row(day + dt.timedelta(days=1), "01:30", "07:00", "usk", mas, "Karin Molin")
            )
        else:
            rows.append(Row(day, "21:30", "07:00", "usk", mas, "Johan Lind"))
    rows.append(Row(D2, "07:00", "15:00", "usk", "Avd Tranan", "Lars Nilsson"))  # not in rules
    rows.append(Row(dt.date(2025, 11, 3), "07:00", "15:30", "USK", lark, "Anna Berg", 30))
    return rows


# The scenario's night hand-overs start after midnight on the next date; their shift date is
# that next date, and the period they cover belongs to the previous date (its start date).

SCENARIO_NAMES = [
    "Anna Berg",
    "Bo Ek",
    "Cecilia Dahl",
    "David Fors",
    "Eva Gran",
    "Fredrik Holm",
    "Gustav Ivarsson",
    "Helena Jonsson",
    "Ida Karlsson",
    "Johan Lind",
    "Karin Molin",
    "Lars Nilsson",
]

SCENARIO_BREACHES = [
    {"date": "2026-11-03", "section": "Avd Lärkan", "period": "Dag", "kind": "competent",
     "required": 2, "present": 1},
    {"date": "2026-11-03", "section": "Avd Lärkan", "period": "Dag", "kind": "staff",
     "required": 3, "present": 2},
    {"date": "2026-11-03", "section": "Avd Måsen", "period": "Natt", "kind": "competent",
     "required": 1, "present": 0},
    {"date": "2026-11-03", "section": "Avd Måsen", "period": "Natt", "kind": "staff",
     "required": 1, "present": 0},
    {"date": "2026-11-04", "section": "Avd Lärkan", "period": "Natt", "kind": "competent",
     "required": 1, "present": 0},
    {"date": "2026-11-04", "section": "Avd Måsen", "period": "Dag", "kind": "staff",
     "required": 3, "present": 2},
]  # fmt: skip


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _hours(row: Row) -> float:
    start, end = _clock(row.start), _clock(row.end)
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    if minutes <= 0:
        minutes += 1440
    return (minutes - row.rest) / 60


def write_xlsx_style_a(path: Path, rows: list[Row] | None = None) -> Path:
    """Write style (a): title rows, Excel date/time cells, dates only on a day's first row,
    an absence row, a footer "Summa pass" and a printed-by line under it."""
    rows = scenario() if rows is None else rows
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Schema"
    ws.append(["Bemanningsschema Solgården"])
    ws.append(["Period: 2026-11-02 – 2026-11-04"])
    ws.append([])
    header = ["Datum", "Veckodag", "Från", "Till", "Rast (min)", "Yrke", "Avd", "Anställd"]
    ws.append([*header, "Timmar"])
    previous: dt.date | None = None
    for row in rows:
        day_cell = row.day if row.day != previous else None  # merged date cells read as empty
        previous = row.day
        ws.append(
            [
                day_cell,
                row.day.strftime("%a"),
                _clock(row.start),
                _clock(row.end),
                row.rest,
                row.role,
                row.section,
                row.name,
                _hours(row),
            ]
        )
        current = ws.max_row
        if day_cell is not None:
            ws.cell(current, 1).number_format = "yyyy-mm-dd"
        ws.cell(current, 3).number_format = "hh:mm"
        ws.cell(current, 4).number_format = "hh:mm"
    ws.append([None, "mån", "Ledig", None, None, "USK", "Avd Lärkan", "Anna Berg"])
    ws.append([])
    ws.append(["Summa pass", None, None, None, None, None, None, len(rows)])
    ws.append(["Utskriven 2026-11-05 av planerare"])
    wb.save(path)
    return path


def csv_text_style_b(rows: list[Row] | None = None) -> str:
    """Return style (b): semicolon CSV, title line, day-first dates, one time-range column in
    three notations, Swedish decimal commas, blank and footer lines."""
    rows = scenario() if rows is None else rows
    out = io.StringIO()
    out.write("Bemanningsschema Solgården v.45\n\n")
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["Personal", "Befattning", "Enhet", "Datum", "Tid", "Rast", "Timmar"])
    for i, row in enumerate(rows):
        start, end = row.start, row.end
        if i % 3 == 1:
            start, end = start.replace(":", "."), end.replace(":", ".")
            start = start.lstrip("0") if not start.startswith("00") else start
        elif i % 3 == 2:
            start, end = start.replace(":", ""), end.replace(":", "")
        hours = f"{_hours(row):.2f}".replace(".", ",")
        day = f"{row.day.day}/{row.day.month}/{row.day.year}"
        rest = f"{row.rest},0" if row.rest else ""
        writer.writerow([row.name, row.role, row.section, day, f"{start}-{end}", rest, hours])
    out.write("\n")
    writer.writerow(["Summa pass", "", "", "", "", "", str(len(rows))])
    return out.getvalue()


def write_csv_style_b(path: Path, rows: list[Row] | None = None) -> Path:
    """Write style (b) encoded as Windows-1252."""
    path.write_bytes(csv_text_style_b(rows).encode("cp1252"))
    return path


def plain_frame(rows: list[Row] | None = None) -> pd.DataFrame:
    """Return the scenario as a plain table (one header row, text times)."""
    rows = scenario() if rows is None else rows
    return pd.DataFrame(
        {
            "Datum": [r.day.isoformat() for r in rows],
            "Start": [r.start for r in rows],
            "Slut": [r.end for r in rows],
            "Rast": [r.rest for r in rows],
            "Befattning": [r.role for r in rows],
            "Avdelning": [r.section for r in rows],
            "Namn": [r.name for r in rows],
        }
    )


def write_xls(path: Path, rows: list[Row] | None = None) -> Path:
    """Write the scenario as a legacy .xls (xlwt) with a title row and Excel date/time cells."""
    import xlwt  # optional, test-only: imported here so other tests run without it

    rows = scenario() if rows is None else rows
    book = xlwt.Workbook()
    sheet = book.add_sheet("Schema")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    time_style = xlwt.easyxf(num_format_str="hh:mm")
    sheet.write(0, 0, "Schema Solgården")
    for c, text in enumerate(["Datum", "Start", "Slut", "Rast", "Titel", "Avdelning", "Namn"]):
        sheet.write(2, c, text)
    for r, row in enumerate(rows, start=3):
        sheet.write(r, 0, row.day, date_style)
        sheet.write(r, 1, _clock(row.start), time_style)
        sheet.write(r, 2, _clock(row.end), time_style)
        sheet.write(r, 3, row.rest)
        sheet.write(r, 4, row.role)
        sheet.write(r, 5, row.section)
        sheet.write(r, 6, row.name)
    book.save(str(path))
    return path


def write_ods(path: Path, rows: list[Row] | None = None) -> Path:
    """Write the scenario as an OpenDocument spreadsheet (odfpy through pandas)."""
    plain_frame(rows).to_excel(path, engine="odf", index=False)
    return path


def write_encrypted_xlsx(path: Path, password: str = "hemligt") -> Path:
    """Write a password-protected workbook (an encrypted OLE package, as Excel saves it)."""
    from msoffcrypto.format.ooxml import OOXMLFile  # optional, test-only (see write_xls)

    plain = path.with_name(path.stem + "-plain.xlsx")
    write_xlsx_style_a(plain)
    with plain.open("rb") as src, path.open("wb") as dst:
        OOXMLFile(src).encrypt(password, dst)
    plain.unlink()
    return path


# --------------------------------------------------------------------------- in the database

AGENDA: list[dict[str, Any]] = [
    {
        "key": "bem-personaltathet",
        "section_key": "bemanning",
        "section_title": "2. Aktuell personalsituation",
        "text": "Personaltätheten motsvarar åtagandet.",
        "kind": "fraga",
        "clause": "",
        "area": "2. Aktuell personalsituation",
        "source": "checklist",
        "answer": "ja_nej",
    },
    {
        "key": "krav-4.2.2",
        "section_key": "ska-krav",
        "section_title": "3. SKA-krav",
        "text": "Minst 90 procent av omsorgspersonalen ska vara undersköterskor.",
        "kind": "ska_krav",
        "clause": "4.2.2",
        "area": "Kompetens",
        "source": "contract",
        "answer": "bedomning",
    },
    {
        "key": "krav-5.1.1",
        "section_key": "ska-krav",
        "section_title": "3. SKA-krav",
        "text": "Bemanningen ska motsvara åtagandet i bilaga 3 (personaltäthet per avdelning).",
        "kind": "ska_krav",
        "clause": "5.1.1",
        "area": "Bemanning och kompetens",
        "source": "contract",
        "answer": "bedomning",
    },
]
"""The frozen agenda of the follow-up: a staffing question and two contract requirements."""


def _agenda(_session: Session, _followup: FollowUp) -> list[dict[str, Any]]:
    return [dict(i) for i in AGENDA]


def followup_with_commitments(session: Session) -> dict[str, Any]:
    """Store Solgården, its contract with the scenario's commitments and an ongoing contract
    follow-up; return their ids (contractor, unit, contract, followup)."""
    c = registers.save_contractor(
        session, REVISOR, registers.ContractorInput("Omsorg AB", "556782-3413")
    )
    u = registers.save_unit(
        session,
        REVISOR,
        registers.UnitInput(
            c.id, "Solgården", UnitKind.sarskilt_boende, 20, ["Avd Lärkan", "Avd Måsen"]
        ),
    )
    k = registers.save_contract(
        session,
        REVISOR,
        registers.ContractInput(
            "VOF 2026/1", "Drift", c.id, dt.date(2025, 1, 1), dt.date(2029, 1, 1), [u.id]
        ),
    )
    commitments.save_rules_yaml(session, REVISOR, k.id, RULES_YAML)
    f = followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=FollowUpKind.avtal,
            contractor_id=c.id,
            unit_ids=[u.id],
            contract_id=k.id,
            planned_date=dt.date(2026, 11, 10),
            participants=[followups.Participant("Maria Holm", "Verksamhetschef", "utforare")],
        ),
    )
    followups.start_followup(session, REVISOR, f.id, builder=_agenda)
    session.commit()
    return {"contractor": c.id, "unit": u.id, "contract": k.id, "followup": f.id}


def contract_rules(session: Session, ids: dict[str, Any]) -> StaffingRules:
    """Return the contract's commitments for Solgården."""
    rules = commitments.rules_for(session, ids["contract"], ids["unit"])
    assert rules is not None
    return rules


def store_schedule(
    session: Session, ids: dict[str, Any], path: Path, **kw: Any
) -> StaffingAnalysis:
    """Analyse a schedule file against the contract's commitments and store it."""
    analysis = store.save_analysis(
        session,
        REVISOR,
        ids["followup"],
        path.name,
        path.read_bytes(),
        kw.pop("rules", None) or contract_rules(session, ids),
        kw.pop("mapping", None),
    )
    session.commit()
    return analysis


def count_rows(session: Session, model: Any) -> int:
    """Return how many rows a table has."""
    return int(session.exec(select(func.count()).select_from(model)).one())
