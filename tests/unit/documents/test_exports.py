"""Excel exports: layout (header, filter, frozen row, widths, dates) and formula injection."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from audit_app.db import make_engine
from audit_app.domain import calendar
from audit_app.models import (
    Action,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
)
from audit_app.services import followups, overview
from audit_app.services.documents import exports
from tests.conftest import REVISOR
from tests.unit.documents.fixtures import staffing_analysis

INJECTIONS = [
    '=HYPERLINK("http://evil.example","klicka")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.fixture(scope="module")
def engine(demo_template_db, tmp_path_factory) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("exports") / "demo.db"
    path.write_bytes(demo_template_db.read_bytes())
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


def sheet_rows(ws: Worksheet) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def check_layout(ws: Worksheet) -> None:
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:")
    header = ws[1]
    assert all(c.font.bold for c in header)
    assert all(c.fill.fgColor.rgb.endswith("1F4E79") for c in header)
    for c in header:
        width = ws.column_dimensions[c.column_letter].width
        assert width and 8 <= width <= 70
    assert ws.print_title_rows == "$1:$1"


def test_followup_export_matches_the_data(engine: Engine) -> None:
    with Session(engine) as session:
        f = session.exec(
            select(FollowUp).where(
                FollowUp.kind == FollowUpKind.avtal, FollowUp.status == FollowUpStatus.justerad
            )
        ).first()
        assert f is not None
        session.add(staffing_analysis(f))
        session.flush()
        content = exports.followup_workbook(session, REVISOR, f.id)
        plan = followups.actions_of_followup(session, f.id)
        analysis_breaches = staffing_analysis(f).result["breaches"]
        planned, agenda = f.planned_date, list(f.agenda)
        live = [(x, a) for x, a in plan if x.status is not FindingStatus.avfardad]
        what = [a.what for _, a in live]
        due_dates = [a.due_date for _, a in live]
        session.rollback()
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == [
        "Uppföljning",
        "Bedömningar",
        "Avvikelser",
        "Åtgärdsplan",
        "Tidigare åtgärder",
        "Bemanning",
    ]
    for ws in wb.worksheets:
        check_layout(ws)
    info = {r[0]: r[1] for r in sheet_rows(wb["Uppföljning"])}
    assert info["Datum"] == datetime.combine(planned, datetime.min.time())
    assert wb["Uppföljning"]["B7"].number_format == "yyyy-mm-dd"
    assert len(sheet_rows(wb["Bedömningar"])) == len(agenda)
    rows = sheet_rows(wb["Åtgärdsplan"])
    assert [r[2] for r in rows] == what
    due = [r[4] for r in rows]
    assert all(isinstance(d, datetime) for d in due)
    assert [d.date() for d in due] == due_dates  # type: ignore[union-attr]
    assert len(sheet_rows(wb["Bemanning"])) == len(analysis_breaches)


def test_text_that_looks_like_a_formula_stays_text(engine: Engine) -> None:
    with Session(engine) as session:
        f = session.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.pagar)).first()
        assert f is not None
        finding = followups.add_finding(
            session, REVISOR, f.id, FindingKind.avvikelse, INJECTIONS[0], INJECTIONS[5]
        )
        for text in INJECTIONS[1:5]:
            followups.add_action(session, REVISOR, finding.id, text, "=Verksamhetschef")
        followup_xlsx = exports.followup_workbook(session, REVISOR, f.id)
        register_xlsx = exports.action_register_workbook(session, REVISOR, overview.OPEN_FILTER)
        session.rollback()
    for content in (followup_xlsx, register_xlsx):
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)
        wb = load_workbook(io.BytesIO(content))
        found = set()
        for ws in wb.worksheets:
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(exports.FORMULA_START):
                        assert cell.data_type == "s", cell.value
                        assert cell.quotePrefix, cell.value
                        found.add(cell.value)
        expected = {t.strip() for t in INJECTIONS} | {"=Verksamhetschef"}
        if content is followup_xlsx:
            assert expected <= found, expected - found
        else:
            assert {"+1+1", "-2+3", "@SUM(A1:A9)", "=Verksamhetschef"} <= found


def test_action_register_lists_every_action(engine: Engine) -> None:
    today = date.today()
    with Session(engine) as session:
        all_actions = session.exec(
            select(Action)
            .join(Finding, col(Finding.id) == Action.finding_id)
            .where(Finding.status != FindingStatus.avfardad)
        ).all()
        content = exports.action_register_workbook(session, REVISOR, today=today)
        open_content = exports.action_register_workbook(
            session, REVISOR, overview.OPEN_FILTER, today=today
        )
    ws = load_workbook(io.BytesIO(content))["Åtgärdsregister"]
    check_layout(ws)
    rows = sheet_rows(ws)
    assert len(rows) == len(all_actions) > 10
    header = [c.value for c in ws[1]]
    due = header.index("Klart senast")
    overdue = header.index("Försenad")
    status = header.index("Status")
    assert all(isinstance(r[due], datetime) for r in rows)
    assert {r[overdue] for r in rows} <= {"Ja", "Nej"}
    open_rows = sheet_rows(load_workbook(io.BytesIO(open_content)).active)  # type: ignore[arg-type]
    assert len(open_rows) == sum(1 for a in all_actions if a.status in calendar.OPEN_ACTION)
    assert all(r[status] != "Verifierad" for r in open_rows)
    verified = [r for r in rows if r[status] == "Verifierad"]
    assert verified and all(r[overdue] == "Nej" for r in verified)


def test_control_characters_do_not_break_the_workbook() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    exports.add_sheet(
        wb,
        "T",
        [exports.Column("A")],
        [["bell\x07 and\x00 null"], [date(2026, 1, 2)], ["\t=1+1"], [-5]],
        True,
    )
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    assert ws["A2"].value == "bell and null"  # type: ignore[index]
    assert ws["A3"].value == datetime(2026, 1, 2)  # type: ignore[index]
    assert ws["A4"].value == "\t=1+1" and ws["A4"].quotePrefix  # type: ignore[index]
    assert ws["A5"].value == -5 and not ws["A5"].quotePrefix  # type: ignore[index]
