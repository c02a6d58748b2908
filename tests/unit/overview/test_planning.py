"""Planning by the policy's cadence: proposals, accepting (and moving) them, the calendar file."""

from datetime import date, datetime

import icalendar
import pytest
from sqlmodel import Session

from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import FollowUpKind, FollowUpStatus
from audit_app.services import followups, overview
from tests.conftest import ADMIN, LASARE, REVISOR
from tests.unit.overview.fixtures import TODAY, Town

AVTAL, LEDNING = FollowUpKind.avtal, FollowUpKind.ledningssystem


def proposals(session: Session) -> dict[tuple[str, tuple[FollowUpKind, ...]], overview.Proposal]:
    return {(p.unit, p.kinds): p for p in overview.propose_year(session, 2026, today=TODAY)}


def test_the_cadence_proposes_what_is_missing_this_year(session: Session, town: Town) -> None:
    found = proposals(session)
    assert set(found) == {("Solgården", (AVTAL, LEDNING)), ("Hemtjänst Syd", (LEDNING,))}
    combined = found[("Solgården", (AVTAL, LEDNING))]
    assert combined.title == "Uppföljning av avtal och ledningssystem"
    assert (combined.due, combined.proposed, combined.overdue) == (
        date(2026, 9, 10),
        date(2026, 10, 20),
        True,
    )
    assert "sex månader efter 10 mars 2026" in combined.basis
    syd = found[("Hemtjänst Syd", (LEDNING,))]
    assert (syd.due, syd.proposed, syd.overdue) == (date(2026, 11, 5), date(2026, 11, 5), False)


def test_committee_meetings_and_commissions_are_proposed(session: Session, town: Town) -> None:
    overview.add_committee_meeting(session, ADMIN, date(2026, 11, 12), "§ 40")
    overview.add_committee_meeting(session, ADMIN, date(2026, 12, 10))
    with pytest.raises(ValidationFailed, match="finns redan"):
        overview.add_committee_meeting(session, ADMIN, date(2026, 12, 10))
    overview.add_commission(
        session, REVISOR, town.klovervagen.id, date(2026, 9, 1), date(2026, 12, 31), "KS 2026/9"
    )
    found = overview.propose_year(session, 2026, today=TODAY)
    checks = [p for p in found if p.kinds == (FollowUpKind.bistandsarenden,)]
    assert [p.proposed for p in checks] == [date(2026, 11, 12), date(2026, 12, 10)]
    # the committee's own check at each meeting: no unit, no contractor
    assert {(p.unit_id, p.contractor_id) for p in checks} == {(None, None)}
    (planned,) = overview.accept_proposal(session, REVISOR, checks[0])
    assert (planned.kind, planned.contractor_id, planned.contract_id) == (
        FollowUpKind.bistandsarenden,
        None,
        None,
    )
    assert followups.unit_ids_of(session, planned.id) == []
    after = overview.propose_year(session, 2026, today=TODAY)
    assert [p.proposed for p in after if p.kinds == (FollowUpKind.bistandsarenden,)] == [
        date(2026, 12, 10)
    ]
    assert any(i.followup_id == planned.id for i in overview.year_plan(session, REVISOR, 2026))
    (revision,) = [p for p in found if p.kinds == (FollowUpKind.kvalitetsrevision,)]
    assert (revision.unit, revision.proposed, revision.due) == (
        "Klövervägen",
        date(2026, 10, 30),
        date(2026, 12, 31),
    )
    assert "KS 2026/9" in revision.basis


def test_accepting_a_moved_proposal_plans_both_followups_of_the_meeting(
    session: Session, town: Town
) -> None:
    combined = proposals(session)[("Solgården", (AVTAL, LEDNING))]
    with pytest.raises(PermissionDenied):
        overview.accept_proposal(session, LASARE, combined)
    planned = overview.accept_proposal(session, REVISOR, combined, date(2026, 11, 3), "10:00")
    assert [(f.kind, f.planned_date, f.planned_time, f.status) for f in planned] == [
        (AVTAL, date(2026, 11, 3), "10:00", FollowUpStatus.planerad),
        (LEDNING, date(2026, 11, 3), "10:00", FollowUpStatus.planerad),
    ]
    assert all(followups.unit_ids_of(session, f.id) == [town.solgarden.id] for f in planned)
    assert planned[0].contract_id is not None
    assert ("Solgården", (AVTAL, LEDNING)) not in proposals(session)


def test_the_year_plan_marks_planned_followups_past_their_day(session: Session, town: Town) -> None:
    plan = overview.year_plan(session, REVISOR, 2026, today=TODAY)
    late = [(i.kind, i.date) for i in plan if i.overdue]
    assert late == [(FollowUpKind.ateruppfoljning, date(2026, 6, 10))]
    assert [i.date for i in overview.year_plan(session, LASARE, 2026, today=TODAY)] == [
        date(2026, 3, 10),
        date(2026, 5, 5),
        date(2026, 8, 18),
        date(2026, 8, 18),
    ]


def test_the_calendar_file_has_one_event_per_planned_followup_of_the_revisor(
    session: Session, town: Town
) -> None:
    content = overview.revisor_calendar(session, REVISOR, "test-revisor")
    calendar = icalendar.Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    planned = followups.list_followups(
        session, followups.FollowUpFilter(statuses=[FollowUpStatus.planerad]), actor=REVISOR
    )
    assert len(events) == len(planned) == 3  # the re-check and two avtalsuppföljningar
    assert {str(e["UID"]) for e in events} == {overview.followup_uid(f.id) for f in planned}
    first = next(e for e in events if str(e["UID"]) == overview.followup_uid(town.f7.id))
    start = first.decoded("DTSTART")
    assert isinstance(start, datetime)
    assert (start.date(), start.hour, str(start.tzinfo)) == (
        date(2027, 2, 16),
        9,
        "Europe/Stockholm",
    )
    assert str(first["SUMMARY"]) == "Uppföljning av avtal: Klövervägen (Klövern Omsorg)"
    assert str(first["LOCATION"]) == "Konferensrummet"
    assert list(calendar.walk("VTIMEZONE"))
    assert (
        list(
            icalendar.Calendar.from_ical(
                overview.revisor_calendar(session, LASARE, "test-revisor")
            ).walk("VEVENT")
        )
        == []
    )
