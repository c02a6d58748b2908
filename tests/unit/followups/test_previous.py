"""The previous follow-up: the last held one of the same unit and kind, never planned or future."""

from datetime import date
from typing import Any

from sqlmodel import Session

from audit_app.models import FollowUp, FollowUpKind, FollowUpStatus
from audit_app.services import followups
from tests.conftest import REVISOR
from tests.unit.followups.fixtures import builder, finish


def _plan(
    session: Session, setup: dict[str, Any], day: date, kind: FollowUpKind, start: bool = True
) -> FollowUp:
    f = followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=kind,
            contractor_id=setup["contractor"],
            unit_ids=[setup["unit"]],
            contract_id=setup["contract"],
            planned_date=day,
        ),
    )
    if start:
        followups.start_followup(session, REVISOR, f.id, builder=builder)
    session.commit()
    return f


def test_avtal_continues_the_last_held_avtal_not_another_kind_nor_a_planned_one(
    session: Session, setup: dict[str, Any]
) -> None:
    held = _plan(session, setup, date(2026, 3, 10), FollowUpKind.avtal)
    finish(session, held)
    _plan(session, setup, date(2026, 5, 4), FollowUpKind.ledningssystem)  # held, other kind
    planned = _plan(session, setup, date(2026, 6, 1), FollowUpKind.avtal, start=False)
    assert planned.status is FollowUpStatus.planerad
    new = _plan(session, setup, date(2026, 9, 1), FollowUpKind.avtal)
    assert new.previous_id == held.id


def test_a_held_recheck_is_the_previous_of_the_next_avtal(
    session: Session, setup: dict[str, Any]
) -> None:
    first = _plan(session, setup, date(2026, 3, 10), FollowUpKind.avtal)
    finish(session, first)
    recheck = _plan(session, setup, date(2026, 6, 5), FollowUpKind.ateruppfoljning)
    new = _plan(session, setup, date(2026, 9, 1), FollowUpKind.avtal)
    assert new.previous_id == recheck.id


def test_a_meeting_planned_after_this_one_is_never_its_previous(
    session: Session, setup: dict[str, Any]
) -> None:
    later = _plan(session, setup, date(2026, 10, 1), FollowUpKind.avtal)  # started, but later
    new = _plan(session, setup, date(2026, 9, 1), FollowUpKind.avtal)
    assert new.previous_id is None and later.previous_id is None


def test_other_kinds_continue_their_own_kind(session: Session, setup: dict[str, Any]) -> None:
    avtal = _plan(session, setup, date(2026, 2, 2), FollowUpKind.avtal)
    finish(session, avtal)
    ls1 = _plan(session, setup, date(2026, 3, 2), FollowUpKind.ledningssystem)
    ls2 = _plan(session, setup, date(2026, 9, 2), FollowUpKind.ledningssystem)
    assert (ls1.previous_id, ls2.previous_id) == (None, ls1.id)


def test_new_from_previous_never_takes_a_planned_meeting_a_week_ahead(
    session: Session, setup: dict[str, Any]
) -> None:
    held = _plan(session, setup, date(2026, 3, 10), FollowUpKind.avtal)
    finish(session, held)
    _plan(session, setup, date(2026, 5, 4), FollowUpKind.ledningssystem)
    _plan(session, setup, date(2026, 6, 17), FollowUpKind.avtal, start=False)  # next week
    prefilled = followups.prefill_from_previous(session, setup["unit"], today=date(2026, 6, 10))
    assert prefilled is not None
    # The last held meeting was the ledningssystem review; a new one of that kind continues it.
    assert prefilled.kind is FollowUpKind.ledningssystem
    recheck = _plan(session, setup, date(2026, 6, 8), FollowUpKind.ateruppfoljning)
    prefilled = followups.prefill_from_previous(session, setup["unit"], today=date(2026, 6, 10))
    assert prefilled is not None
    assert (prefilled.kind, prefilled.previous_id) == (FollowUpKind.avtal, recheck.id)
