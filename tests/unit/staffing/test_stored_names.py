"""Staff names never reach the database from a schedule: not from a sheet name, an Avdelning
cell quoted in a warning, or the uploaded file's name (stored as "schema <period>.xlsx")."""

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import Engine
from sqlmodel import Session, select

from audit_app.models import ChangeLog, StaffingAnalysis
from audit_app.services.staffing.safe_text import schedule_filename, stored_warning
from tests.unit.staffing.fixtures import Row, scenario, store_schedule, write_xlsx_style_a

SHEET_NAME = "Pelle Persson"
SECTION_NAME = "Lisa Sjöberg"
FILE_NAME = "schema Olle Ström v45.xlsx"


def _hostile_schedule(path: Path) -> Path:
    rows = scenario()
    first = rows[0]
    rows.append(Row(first.day, "07:00", "15:00", "usk", SECTION_NAME, "Per Ek"))
    write_xlsx_style_a(path, rows)
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet(SHEET_NAME).append(["Semester vecka 45"])
    workbook.save(path)
    return path


def test_names_in_sheets_cells_and_file_name_are_not_stored(
    session: Session, engine: Engine, setup: dict[str, Any], tmp_path: Path
) -> None:
    path = _hostile_schedule(tmp_path / FILE_NAME)
    analysis = store_schedule(session, setup, path)

    assert analysis.filename == "schema 2026-11-02–2026-11-04.xlsx"
    warnings = analysis.result["warnings"]
    assert 'Bladet "…" har ingen rubrikrad med datum och tid och lästes inte.' in warnings
    assert any(w.startswith('1 pass på avdelningen "…"') for w in warnings), warnings
    logged = session.exec(select(ChangeLog.field).where(ChangeLog.entity == "followup")).all()
    assert "schemagranskning sparad: schema 2026-11-02–2026-11-04.xlsx" in logged

    session.close()
    engine.dispose()  # checkpoints the WAL into the database file
    raw = b"".join(p.read_bytes() for p in sorted(tmp_path.glob("test.db*"))).lower()
    for name in (SHEET_NAME, SECTION_NAME, "Olle Ström", "Per Ek"):
        for encoding in ("utf-8", "utf-16-le"):
            assert name.lower().encode(encoding) not in raw, name
    assert b"avd l\xc3\xa4rkan" in raw  # the rules' own section names are kept


def test_stored_warning_keeps_the_rules_names_and_hides_the_rest() -> None:
    known = ["Avd Lärkan", "Solgården"]
    assert stored_warning('3 pass på avdelningen "Avd Lärkan"', known) == (
        '3 pass på avdelningen "Avd Lärkan"'
    )
    assert stored_warning("Bladet 'Anna Berg' lästes inte.", known) == 'Bladet "…" lästes inte.'
    assert stored_warning("Rad 4: 121212-1212 saknar tid.", known) == (
        "Rad 4: ÅÅMMDD-XXXX saknar tid."
    )


def test_schedule_file_name_is_built_from_the_period() -> None:
    first, last = date(2026, 11, 2), date(2026, 11, 4)
    assert schedule_filename(first, last, "Anna Berg.XLSX") == "schema 2026-11-02–2026-11-04.xlsx"
    assert schedule_filename(first, first, "x.csv") == "schema 2026-11-02.csv"
    assert schedule_filename(None, None, "Anna Berg.exe") == "schema"


def test_stored_analyses_keep_no_original_file_name(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    path = _hostile_schedule(tmp_path / FILE_NAME)
    store_schedule(session, setup, path)
    names = session.exec(select(StaffingAnalysis.filename)).all()
    assert names and all("Olle" not in n for n in names)
