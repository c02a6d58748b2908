"""The policy's status rules and cadence (domain.cadence), one rule at a time."""

from datetime import date, timedelta

import pytest

from audit_app.domain import cadence
from audit_app.domain.calendar import recheck_date
from audit_app.domain.svtext import ATGARD, AVVIKELSE, FORSENAD, OPPEN, count_described
from audit_app.models import StatusLevel

TODAY = date(2026, 10, 20)


def status(**facts: object) -> cadence.UnitStatus:
    base = {"last_avtal": date(2026, 8, 1), "last_ledningssystem": date(2026, 8, 1)}
    return cadence.unit_status(cadence.UnitFacts(**(base | facts)), TODAY)  # type: ignore[arg-type]


def test_an_avtalsuppfoljning_held_2026_03_10_is_due_by_2026_09_10_and_overdue_after() -> None:
    held = date(2026, 3, 10)
    assert cadence.cadence_due(held) == date(2026, 9, 10)
    assert not cadence.is_cadence_overdue(held, date(2026, 9, 10))
    assert cadence.is_cadence_overdue(held, date(2026, 9, 11))
    assert cadence.is_cadence_overdue(None, date(2026, 9, 11))  # never held


def test_no_avtalsuppfoljning_in_six_months_is_red_with_the_months_in_words() -> None:
    late = status(last_avtal=date(2026, 3, 10))
    assert late.level is StatusLevel.rod
    assert late.texts == ["ingen avtalsuppföljning på 7 månader"]
    never = status(last_avtal=None)
    assert never.texts == ["ingen avtalsuppföljning har hållits"]


def test_a_ledningssystem_review_overdue_is_yellow() -> None:
    late = status(last_ledningssystem=date(2026, 1, 5))
    assert late.level is StatusLevel.gul
    assert late.texts == ["ingen uppföljning av ledningssystem på 9 månader"]


def test_actions_past_their_due_date_are_red_in_number_and_agreement() -> None:
    assert status(overdue_actions=2).texts == ["2 åtgärder försenade"]
    one = status(overdue_actions=1)
    assert one.texts == ["1 åtgärd försenad"]
    assert one.level is StatusLevel.rod


def test_a_recheck_is_overdue_after_three_months_from_the_meeting() -> None:
    meeting = date(2026, 3, 10)
    assert recheck_date(meeting) == date(2026, 6, 10)
    assert not cadence.is_recheck_overdue(meeting, date(2026, 6, 10))
    assert cadence.is_recheck_overdue(meeting, date(2026, 6, 11))
    red = status(overdue_rechecks=1, oldest_recheck_meeting=meeting)
    assert red.level is StatusLevel.rod
    assert red.texts == ["1 återuppföljning försenad (senast 10 juni)"]
    assert status(missing_rechecks=2).texts == ["2 återuppföljningar saknas"]


def test_the_recheck_cutoff_is_exactly_the_last_meeting_whose_recheck_is_late() -> None:
    for offset in range(0, 400, 7):
        today = date(2026, 1, 1) + timedelta(days=offset)
        cutoff = cadence.recheck_cutoff(today)
        assert cadence.is_recheck_overdue(cutoff, today)
        assert not cadence.is_recheck_overdue(cutoff + timedelta(days=1), today)


def test_a_followup_left_in_pagar_more_than_14_days_is_yellow() -> None:
    assert status(in_progress_since=TODAY - timedelta(days=14)).texts == []
    stuck = status(in_progress_since=date(2026, 10, 5))
    assert stuck.level is StatusLevel.gul
    assert stuck.texts == ["pågått sedan 5 oktober"]
    assert status(in_progress_since=date(2025, 10, 12)).texts == ["pågått sedan 12 oktober 2025"]


def test_open_deviations_and_a_planned_followup_not_held_are_yellow() -> None:
    assert status(open_deviations=3).texts == ["3 öppna avvikelser"]
    assert status(open_deviations=1).texts == ["1 öppen avvikelse"]
    late = status(next_planned=date(2026, 10, 1))
    assert late.texts == ["planerad uppföljning 1 oktober har inte hållits"]
    recheck = status(next_planned=date(2026, 10, 1), next_planned_is_recheck=True)
    assert recheck.texts == []  # a late re-check has its own rule


def test_an_avtalsuppfoljning_due_soon_with_none_planned_is_yellow() -> None:
    soon = status(last_avtal=date(2026, 5, 5))
    assert soon.texts == ["avtalsuppföljning senast 5 november 2026, ingen planerad"]
    assert status(last_avtal=date(2026, 5, 5), next_avtal_planned=date(2026, 11, 3)).texts == []


def test_nothing_to_say_is_green_and_the_worst_reason_decides() -> None:
    assert status().level is StatusLevel.gron
    mixed = status(open_deviations=1, overdue_actions=1)
    assert mixed.level is StatusLevel.rod
    assert mixed.texts == ["1 åtgärd försenad", "1 öppen avvikelse"]


def test_count_described_agrees_in_number_and_gender() -> None:
    assert count_described(1, ATGARD, FORSENAD) == "1 åtgärd försenad"
    assert count_described(12, ATGARD, FORSENAD) == "12 åtgärder försenade"
    assert count_described(1, AVVIKELSE, OPPEN, before=True) == "1 öppen avvikelse"


@pytest.mark.parametrize(
    ("anchor", "existing", "expected"),
    [
        # Held 10 March: due 10 September (a Thursday), proposed that day.
        (date(2026, 3, 10), [], [(date(2026, 9, 10), date(2026, 9, 10))]),
        # A follow-up planned 20 September covers it.
        (date(2026, 3, 10), [date(2026, 9, 20)], []),
        # Planned far too late (December): the slot is still proposed.
        (date(2026, 3, 10), [date(2026, 12, 20)], [(date(2026, 9, 10), date(2026, 9, 10))]),
        # The first one ever this year starts the cadence.
        (None, [date(2026, 5, 5)], [(date(2026, 11, 5), date(2026, 11, 5))]),
    ],
)
def test_cadence_slots(
    anchor: date | None, existing: list[date], expected: list[tuple[date, date]]
) -> None:
    slots = cadence.cadence_slots(anchor, existing, 2026, date(2026, 1, 15))
    assert [(s.due, s.proposed) for s in slots] == expected


def test_a_slot_already_late_is_proposed_from_today_on_a_working_day() -> None:
    (slot,) = cadence.cadence_slots(date(2026, 3, 10), [], 2026, date(2026, 10, 24))  # Saturday
    assert slot.due == date(2026, 9, 10)
    assert slot.proposed == date(2026, 10, 26)
    assert slot.overdue(date(2026, 10, 24))


def test_avtal_and_ledningssystem_due_close_together_are_one_meeting() -> None:
    avtal = cadence.Slot(date(2026, 9, 10), date(2026, 9, 10), None)
    near = cadence.Slot(date(2026, 10, 1), date(2026, 10, 1), None)
    far = cadence.Slot(date(2026, 12, 15), date(2026, 12, 15), None)
    assert cadence.pair_slots([avtal], [near]) == [(avtal, near, date(2026, 9, 10))]
    assert cadence.pair_slots([avtal], [far]) == [
        (avtal, None, date(2026, 9, 10)),
        (None, far, date(2026, 12, 15)),
    ]


def test_committee_meetings_go_to_the_unit_checked_longest_ago() -> None:
    meetings = [date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]
    last = {"a": date(2025, 12, 1), "b": None, "c": date(2025, 6, 1)}
    assert cadence.rotate_meetings(last, meetings) == [
        (date(2026, 2, 10), "b"),
        (date(2026, 3, 10), "c"),
        (date(2026, 4, 14), "a"),
    ]
