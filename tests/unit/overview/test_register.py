"""The action register: filters and totals in SQL, the Excel export of the same filter."""

import io
from datetime import date

from openpyxl import load_workbook
from sqlmodel import Session

from audit_app.models import ActionStatus
from audit_app.services import overview
from audit_app.services.documents import exports
from tests.conftest import LASARE, REVISOR
from tests.unit.overview.fixtures import TODAY, Town


def test_filters_and_totals(session: Session, town: Town) -> None:
    everything = overview.action_register(session, REVISOR, today=TODAY)
    assert everything.total == 1 and everything.overdue == 1
    (row,) = everything.rows
    assert (row.contractor, row.units, row.area) == (
        "Omsorg AB",
        "Solgården",
        "Ledning och kvalitet",
    )
    assert row.due_date == date(2026, 6, 10) and row.overdue
    assert row.status is ActionStatus.oppen
    flt = overview.ActionFilter
    assert overview.action_register(session, REVISOR, flt(overdue=True), today=TODAY).total == 1
    assert overview.action_register(session, REVISOR, flt(due_soon=True), today=TODAY).total == 0
    soon = overview.action_register(session, REVISOR, flt(due_soon=True), today=date(2026, 5, 20))
    assert (soon.total, soon.due_soon, soon.overdue) == (1, 1, 0)
    other = overview.action_register(
        session, REVISOR, flt(contractor_id=town.klovern.id), today=TODAY
    )
    assert other.total == 0
    assert overview.action_register(session, REVISOR, flt(area="Resultat"), today=TODAY).total == 0
    assert (
        overview.action_register(session, REVISOR, flt(statuses=[ActionStatus.verifierad])).total
        == 0
    )
    assert overview.action_areas(session, REVISOR) == ["Ledning och kvalitet"]


def test_the_page_shows_the_first_rows_of_the_filter_with_its_total(
    session: Session, town: Town
) -> None:
    register = overview.action_register(session, REVISOR, today=TODAY, limit=0)
    assert register.rows == [] and register.total == 1


def test_a_reader_sees_actions_of_justerade_followups(session: Session, town: Town) -> None:
    assert overview.action_register(session, LASARE, today=TODAY).total == 1


def test_the_export_has_every_row_of_the_filter(session: Session, town: Town) -> None:
    content = exports.action_register_workbook(session, REVISOR, overview.OPEN_FILTER, today=TODAY)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Utförare", "Verksamhet", "Uppföljning")
    assert len(rows) == 2
    assert rows[1][0] == "Omsorg AB" and rows[1][13] == "Ja"
    none = exports.action_register_workbook(
        session, REVISOR, overview.ActionFilter(contractor_id=town.klovern.id), today=TODAY
    )
    sheet = load_workbook(io.BytesIO(none)).active
    assert sheet is not None and sheet.max_row == 1
