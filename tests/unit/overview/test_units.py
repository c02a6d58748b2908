"""The overview's rows against figures counted by hand on the fixed municipality (conftest)."""

from datetime import date

from sqlmodel import Session

from audit_app.models import FollowUpKind, StatusLevel, UnitKind
from audit_app.services import overview
from tests.conftest import CHEF, LASARE, REVISOR
from tests.unit.overview.fixtures import TODAY, Town


def rows_by_unit(session: Session, actor=CHEF, flt=None) -> dict[str, overview.UnitRow]:  # type: ignore[no-untyped-def]
    return {r.unit: r for r in overview.unit_overview(session, actor, flt, today=TODAY)}


def test_each_unit_has_its_hand_counted_figures_and_reasons(session: Session, town: Town) -> None:
    rows = overview.unit_overview(session, CHEF, today=TODAY)
    assert [(r.contractor, r.unit) for r in rows] == [
        ("Klövern Omsorg", "Klövervägen"),
        ("Omsorg AB", "Hemtjänst Syd"),
        ("Omsorg AB", "Solgården"),
    ]
    by = {r.unit: r for r in rows}
    sol = by["Solgården"]
    assert sol.last_followup is not None
    assert (sol.last_followup.kind, sol.last_followup.date) == (
        FollowUpKind.avtal,
        date(2026, 3, 10),
    )
    assert sol.share_met == 2 / 3
    assert (sol.open_deviations, sol.open_actions, sol.overdue_actions) == (1, 1, 1)
    assert (sol.overdue_rechecks, sol.missing_rechecks) == (1, 0)
    assert sol.next_planned is not None
    assert (sol.next_planned.kind, sol.next_planned.date) == (
        FollowUpKind.ateruppfoljning,
        date(2026, 6, 10),
    )
    assert sol.status is StatusLevel.rod
    assert sol.reasons == [
        "1 åtgärd försenad",
        "1 återuppföljning försenad (senast 10 juni)",
        "ingen avtalsuppföljning på 7 månader",
        "1 öppen avvikelse",
        "ingen uppföljning av ledningssystem har hållits",
    ]
    syd = by["Hemtjänst Syd"]
    assert syd.last_followup is not None and syd.last_followup.id == town.f2.id
    assert syd.share_met == 3 / 4
    assert (syd.open_deviations, syd.overdue_actions, syd.overdue_rechecks) == (0, 0, 0)
    assert syd.next_planned is not None and syd.next_planned.id == town.f4.id
    assert syd.status is StatusLevel.gul
    assert syd.reasons == ["pågått sedan 29 september"]
    klo = by["Klövervägen"]
    assert klo.share_met == 1.0
    assert klo.status is StatusLevel.gron and klo.reasons == []
    assert klo.next_planned is not None and klo.next_planned.date == date(2027, 2, 16)


def test_a_reader_gets_figures_from_justerade_followups_only(session: Session, town: Town) -> None:
    by = rows_by_unit(session, LASARE)
    syd = by["Hemtjänst Syd"]
    assert syd.last_followup is not None and syd.last_followup.id == town.f3.id
    assert syd.next_planned is None  # planned follow-ups are not a reader's
    assert syd.reasons == ["ingen avtalsuppföljning har hållits"]
    sol = by["Solgården"]
    assert (sol.open_deviations, sol.overdue_actions, sol.overdue_rechecks) == (1, 1, 1)
    assert sol.missing_rechecks == 0


def test_filters_by_contractor_unit_kind_and_status(session: Session, town: Town) -> None:
    only = overview.OverviewFilter(contractor_ids=[town.omsorg.id])
    assert set(rows_by_unit(session, REVISOR, only)) == {"Solgården", "Hemtjänst Syd"}
    lss = overview.OverviewFilter(unit_kinds=[UnitKind.lss_bostad])
    assert set(rows_by_unit(session, REVISOR, lss)) == {"Klövervägen"}
    red_or_yellow = overview.OverviewFilter(statuses=[StatusLevel.rod, StatusLevel.gul])
    assert set(rows_by_unit(session, REVISOR, red_or_yellow)) == {"Solgården", "Hemtjänst Syd"}


def test_contractor_summaries_add_up_their_units(session: Session, town: Town) -> None:
    rows = overview.unit_overview(session, CHEF, today=TODAY)
    (klovern, omsorg) = overview.contractor_summaries(rows)
    assert (omsorg.contractor, omsorg.units, omsorg.level) == ("Omsorg AB", 2, StatusLevel.rod)
    assert omsorg.by_level == {StatusLevel.gul: 1, StatusLevel.rod: 1}
    assert (omsorg.open_deviations, omsorg.overdue_actions) == (1, 1)
    assert omsorg.next_planned == date(2026, 6, 10)
    assert klovern.level is StatusLevel.gron


def test_trend_per_followup_counts_deviations_and_share(session: Session, town: Town) -> None:
    points = overview.contractor_trend(session, CHEF, town.omsorg.id, today=TODAY)
    assert [(p.date, p.kind, p.deviations, p.share_met) for p in points] == [
        (date(2026, 3, 10), FollowUpKind.avtal, 1, 2 / 3),
        (date(2026, 5, 5), FollowUpKind.ledningssystem, 0, 1.0),
        (date(2026, 9, 29), FollowUpKind.avtal, 0, 3 / 4),
    ]
    reader = overview.contractor_trend(session, LASARE, town.omsorg.id, today=TODAY)
    assert [p.date for p in reader] == [date(2026, 3, 10), date(2026, 5, 5)]
