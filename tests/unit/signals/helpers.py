"""Helpers of the signal and sanction tests: a signal, a requirement, a failed återuppföljning."""

import uuid
from datetime import date
from typing import Any

from sqlmodel import Session

from audit_app.models import FollowUp, InvestigationStatus, SignalKind
from audit_app.services import followups, registers, signals
from tests.conftest import REVISOR
from tests.unit.followups.fixtures import builder, deviation_with_action, finish, plan


def signal(
    session: Session,
    setup: dict[str, Any],
    kind: SignalKind,
    day: date,
    category: str,
    n: int = 1,
    unit: bool = True,
    actor=REVISOR,
) -> None:
    signals.save_signal(
        session,
        actor,
        signals.SignalInput(
            contractor_id=setup["contractor"],
            unit_id=setup["unit"] if unit else None,
            kind=kind,
            occurred_on=day,
            category=category,
            count=n,
            status=InvestigationStatus.under_utredning,
        ),
        today=date(2027, 1, 1),
    )
    session.commit()


def requirements(session: Session, setup: dict[str, Any]) -> dict[str, uuid.UUID]:
    """The contract's own requirements 4.1 and 4.2 (clauses of the fixture's agenda)."""
    rows = registers.save_requirements(
        session,
        REVISOR,
        setup["contract"],
        [
            registers.RequirementInput("4.1", "Ledningssystem ska finnas."),
            registers.RequirementInput("4.2", "Genomförandeplan inom 14 dagar."),
        ],
    )
    session.commit()
    del rows
    return {r.clause: r.id for r in registers.list_requirements(session, setup["contract"])}


def failed_recheck(
    session: Session,
    setup: dict[str, Any],
    day: date = date(2026, 3, 10),
    mark: str = "ej_genomford",
) -> tuple[FollowUp, uuid.UUID, FollowUp]:
    """An avtalsuppföljning with an avvikelse (4.1) and an action, justerad; its återuppföljning
    marks the action (ej genomförd by default) and is justerad. Returns (meeting, finding id,
    återuppföljning)."""
    meeting = plan(session, setup, day)
    action_id = deviation_with_action(session, meeting)
    finish(session, meeting)
    recheck = followups.recheck_of(session, meeting.id)
    assert recheck is not None
    followups.start_followup(session, REVISOR, recheck.id, builder=builder)
    followups.review_action(session, REVISOR, recheck.id, action_id, mark, "Underlag saknas.")
    session.commit()
    finish(session, recheck)
    finding = next(
        x for x in followups.findings_of(session, meeting.id) if x.item_key == "krav-4.1"
    )
    return meeting, finding.id, recheck
