"""Confirming, downgrading and flagging findings; the re-check."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from audit_app.errors import Locked, ValidationFailed
from audit_app.models import (
    FindingKind,
    FollowUp,
    FollowUpKind,
    Result,
)
from audit_app.services import followups as fu
from tests.conftest import REVISOR
from tests.unit.followups.fixtures import finish, plan


def test_confirming_first_deviation_plans_one_recheck_within_three_months(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 9, 24))
    assert fu.recheck_of(session, f.id) is None
    fu.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt)
    fu.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.ej_uppfyllt)
    first, second = fu.findings_of(session, f.id)
    fu.confirm_finding(session, REVISOR, first.id)
    recheck = fu.recheck_of(session, f.id)
    assert recheck is not None
    assert recheck.kind is FollowUpKind.ateruppfoljning
    assert recheck.planned_date == date(2026, 12, 23)
    assert fu.unit_ids_of(session, recheck.id) == [setup["unit"]]
    fu.confirm_finding(session, REVISOR, second.id)
    assert (
        len(
            session.exec(
                select(FollowUp).where(FollowUp.kind == FollowUpKind.ateruppfoljning)
            ).all()
        )
        == 1
    )
    assert second.recheck_followup_id == recheck.id


def test_downgrade_needs_a_reason_and_plans_no_recheck(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 9, 24))
    fu.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.delvis_uppfyllt)
    (finding,) = fu.findings_of(session, f.id)
    with pytest.raises(ValidationFailed, match="Anledning"):
        fu.downgrade_finding(session, REVISOR, finding.id, " ")
    fu.downgrade_finding(session, REVISOR, finding.id, "Liten brist, åtgärdad under mötet")
    assert finding.kind is FindingKind.forbattringsomrade and finding.downgrade_reason
    assert fu.recheck_of(session, f.id) is None


def test_for_committee_flag_is_saved_and_locked_with_the_followup(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    finding = fu.add_finding(
        session, REVISOR, f.id, FindingKind.forbattringsomrade, "Anhörigträffar"
    )
    fu.set_for_committee(session, REVISOR, finding.id, True)
    assert finding.for_committee
    finish(session, f)
    with pytest.raises(Locked):
        fu.set_for_committee(session, REVISOR, finding.id, False)
