"""Planning a follow-up and prefilling from the previous one."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from audit_app.errors import ValidationFailed
from audit_app.models import (
    FollowUpKind,
)
from audit_app.services import followups
from tests.conftest import REVISOR
from tests.unit.followups.fixtures import plan


def test_plan_reports_every_missing_field(session: Session, setup: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as err:
        followups.plan_followup(
            session,
            REVISOR,
            followups.PlanInput(
                kind=FollowUpKind.riktad,
                contractor_id=setup["contractor"],
                planned_date=date(2026, 5, 5),
                planned_time="25:00",
            ),
        )
    assert {e.field for e in err.value.errors} == {"unit_ids", "reason", "planned_time"}
    with pytest.raises(ValidationFailed, match="Avtal"):
        followups.plan_followup(
            session,
            REVISOR,
            followups.PlanInput(
                kind=FollowUpKind.avtal,
                contractor_id=setup["contractor"],
                unit_ids=[setup["unit"]],
                planned_date=date(2026, 5, 5),
            ),
        )


def test_prefill_from_previous_copies_the_plan(session: Session, setup: dict[str, Any]) -> None:
    first = plan(session, setup, date(2026, 3, 10))
    new = followups.prefill_from_previous(session, setup["unit"], today=date(2026, 9, 1))
    assert new is not None
    assert new.previous_id == first.id and new.contract_id == setup["contract"]
    assert [p.name for p in new.participants] == ["Maria Holm"]
    assert new.planned_date == date(2026, 9, 1)
