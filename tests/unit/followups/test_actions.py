"""Action plans, carried actions and verification."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from audit_app.errors import ValidationFailed
from audit_app.models import (
    ActionStatus,
    FindingStatus,
)
from audit_app.services import followups, overview
from tests.conftest import REVISOR
from tests.unit.followups.fixtures import deviation_with_action, finish, plan


def test_open_actions_carry_over_across_two_followups_until_verified(
    session: Session, setup: dict[str, Any]
) -> None:
    first = plan(session, setup, date(2026, 3, 10))
    action_id = deviation_with_action(session, first)
    finish(session, first)
    second = plan(session, setup, date(2026, 6, 9))
    carried = [a.id for _o, _f, a in followups.carried_actions(session, second)]
    assert carried == [action_id]
    followups.review_action(session, REVISOR, second.id, action_id, "ej_genomford", "Inte påbörjad")
    finish(session, second)
    third = plan(session, setup, date(2026, 9, 8))
    assert [a.id for _o, _f, a in followups.carried_actions(session, third)] == [action_id]
    followups.review_action(
        session, REVISOR, third.id, action_id, "verifierad", "Ny rutin och deltagarlistor granskade"
    )
    assert (
        overview.action_register(
            session, REVISOR, overview.OPEN_FILTER, today=date(2026, 9, 8)
        ).rows
        == []
    )
    finding = followups.findings_of(session, first.id)[0]
    assert finding.status is FindingStatus.stangd
    finish(session, third)
    fourth = plan(session, setup, date(2026, 12, 8))
    assert followups.carried_actions(session, fourth) == []


def test_an_action_is_closed_only_by_verification_with_evidence(
    session: Session, setup: dict[str, Any]
) -> None:
    first = plan(session, setup, date(2026, 3, 10))
    action_id = deviation_with_action(session, first)
    with pytest.raises(ValidationFailed, match="verifieras vid en senare"):
        followups.update_action(session, REVISOR, action_id, status=ActionStatus.verifierad)
    with pytest.raises(ValidationFailed, match="senare uppföljning"):
        followups.review_action(session, REVISOR, first.id, action_id, "verifierad", "Sett")
    finish(session, first)
    second = plan(session, setup, date(2026, 6, 9))
    with pytest.raises(ValidationFailed, match="underlag"):
        followups.review_action(session, REVISOR, second.id, action_id, "verifierad", "")
    followups.review_action(
        session, REVISOR, second.id, action_id, "genomford", "Utföraren säger klart"
    )
    (row,) = overview.action_register(session, REVISOR, overview.OPEN_FILTER).rows
    assert row.status is ActionStatus.genomford  # genomförd is not closed


def test_overdue_actions_are_flagged(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    deviation_with_action(session, f)
    (row,) = overview.action_register(
        session, REVISOR, overview.OPEN_FILTER, today=date(2026, 6, 20)
    ).rows
    assert row.due_date == date(2026, 6, 10)
    assert row.overdue
    later = overview.action_register(
        session, REVISOR, overview.OPEN_FILTER, today=date(2026, 6, 10)
    )
    assert not later.rows[0].overdue
