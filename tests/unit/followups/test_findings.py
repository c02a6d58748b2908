"""Confirming, downgrading and flagging findings; the re-check."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from audit_app.errors import Locked, ValidationFailed
from audit_app.models import (
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    Result,
)
from audit_app.services import followups
from tests.conftest import REVISOR
from tests.unit.followups.fixtures import finish, plan


def test_confirming_first_deviation_plans_one_recheck_within_three_months(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 9, 24))
    assert followups.recheck_of(session, f.id) is None
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt)
    followups.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.ej_uppfyllt)
    first, second = followups.findings_of(session, f.id)
    followups.confirm_finding(session, REVISOR, first.id)
    recheck = followups.recheck_of(session, f.id)
    assert recheck is not None
    assert recheck.kind is FollowUpKind.ateruppfoljning
    assert recheck.planned_date == date(2026, 12, 23)
    assert followups.unit_ids_of(session, recheck.id) == [setup["unit"]]
    followups.confirm_finding(session, REVISOR, second.id)
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
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.delvis_uppfyllt)
    (finding,) = followups.findings_of(session, f.id)
    with pytest.raises(ValidationFailed, match="Anledning"):
        followups.downgrade_finding(session, REVISOR, finding.id, " ")
    followups.downgrade_finding(session, REVISOR, finding.id, "Liten brist, åtgärdad under mötet")
    assert finding.kind is FindingKind.forbattringsomrade and finding.downgrade_reason
    assert followups.recheck_of(session, f.id) is None


def test_for_committee_flag_is_saved_and_locked_with_the_followup(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    finding = followups.add_finding(
        session, REVISOR, f.id, FindingKind.forbattringsomrade, "Anhörigträffar"
    )
    followups.set_for_committee(session, REVISOR, finding.id, True)
    assert finding.for_committee
    finish(session, f)
    with pytest.raises(Locked):
        followups.set_for_committee(session, REVISOR, finding.id, False)


def test_a_proposal_is_dismissed_only_with_a_reason_and_stays_dismissed(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt)
    (proposal,) = followups.findings_of(session, f.id)
    with pytest.raises(ValidationFailed, match="varför förslaget avfärdas"):
        followups.reject_finding(session, REVISOR, proposal.id, "")
    followups.reject_finding(session, REVISOR, proposal.id, "Bedömt mot fel avtalsversion")
    assert (proposal.status, proposal.reject_reason) == (
        FindingStatus.avfardad,
        "Bedömt mot fel avtalsversion",
    )
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.delvis_uppfyllt)
    assert proposal.status is FindingStatus.avfardad  # the revisor's decision holds
    with pytest.raises(ValidationFailed, match="Bara ett förslag"):
        followups.reject_finding(session, REVISOR, proposal.id, "igen")


def test_a_withdrawn_proposal_returns_when_the_answer_is_not_met_again(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt)
    (proposal,) = followups.findings_of(session, f.id)
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.uppfyllt)
    assert proposal.status is FindingStatus.avfardad and proposal.withdraw_reason
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt)
    assert proposal.status is FindingStatus.foreslagen and not proposal.withdraw_reason


def test_only_a_proposed_avvikelse_can_be_downgraded(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    followups.save_assessment(session, REVISOR, f.id, "bor-1", result=Result.ej_uppfyllt)
    (improvement,) = followups.findings_of(session, f.id)
    assert improvement.kind is FindingKind.forbattringsomrade
    with pytest.raises(ValidationFailed, match="Bara en föreslagen avvikelse"):
        followups.downgrade_finding(session, REVISOR, improvement.id, "redan förbättringsområde")


def test_an_improvement_from_a_question_takes_the_revisors_note(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    followups.save_assessment(session, REVISOR, f.id, "fraga-1", result=Result.delvis_uppfyllt)
    (proposal,) = followups.findings_of(session, f.id)
    assert proposal.title == "Finns rutin för synpunkter?"  # no note yet: the question
    note = "Rutinen finns men personalen känner inte till den"
    followups.save_assessment(session, REVISOR, f.id, "fraga-1", comment=note)
    assert (proposal.title, proposal.description) == (note, note)
    followups.save_assessment(session, REVISOR, f.id, "krav-4.2", comment="Saknas för två brukare")
    followups.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.ej_uppfyllt)
    requirement = next(x for x in followups.findings_of(session, f.id) if x.item_key == "krav-4.2")
    assert requirement.title == "Genomförandeplan inom 14 dagar."  # a requirement keeps its words
    assert requirement.description == "Saknas för två brukare"


def test_confirm_all_confirms_every_proposal_and_plans_the_recheck(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    for key in ("krav-4.1", "krav-4.2", "bor-1"):
        followups.save_assessment(session, REVISOR, f.id, key, result=Result.ej_uppfyllt)
    confirmed = followups.confirm_all(session, REVISOR, f.id)
    assert len(confirmed) == 3
    assert all(x.status is FindingStatus.bekraftad for x in followups.findings_of(session, f.id))
    assert followups.recheck_of(session, f.id) is not None
