"""Rules of conducting a follow-up: proposals, re-checks, carry-over, verification, locking."""

import uuid
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from audit_app.domain import calendar
from audit_app.errors import Locked, PermissionDenied, ValidationFailed
from audit_app.models import (
    ActionStatus,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Result,
    UnitKind,
)
from audit_app.services import followups as fu
from audit_app.services import registers as reg
from audit_app.services.minutes import justera_and_store
from tests.conftest import CHEF, LASARE, REVISOR, REVISOR2

AGENDA: list[dict[str, Any]] = [
    {
        "key": "krav-4.1",
        "section_key": "ska",
        "section_title": "SKA-krav",
        "text": "Ledningssystem ska finnas.",
        "kind": "ska_krav",
        "clause": "4.1",
        "answer": "bedomning",
    },
    {
        "key": "krav-4.2",
        "section_key": "ska",
        "section_title": "SKA-krav",
        "text": "Genomförandeplan inom 14 dagar.",
        "kind": "ska_krav",
        "clause": "4.2",
        "answer": "bedomning",
    },
    {
        "key": "bor-1",
        "section_key": "ska",
        "section_title": "SKA-krav",
        "text": "Anhörigträffar bör erbjudas.",
        "kind": "bor_krav",
        "clause": "8.1",
        "answer": "bedomning",
    },
    {
        "key": "antal",
        "section_key": "bem",
        "section_title": "Bemanning",
        "text": "Antal årsarbetare",
        "kind": "fraga",
        "clause": None,
        "answer": "tal",
    },
]


def builder(_session: Session, _f: FollowUp) -> list[dict[str, Any]]:
    return [dict(i) for i in AGENDA]


@pytest.mark.parametrize(
    ("meeting", "recheck"),
    [
        (date(2026, 9, 24), date(2026, 12, 23)),  # 2026-12-24 is julafton
        (date(2026, 8, 22), date(2026, 11, 20)),  # 2026-11-22 is a Sunday
        (date(2026, 3, 19), date(2026, 6, 18)),  # 2026-06-19 is midsommarafton
        (date(2026, 9, 30), date(2026, 12, 30)),  # 2026-12-31 is nyårsafton
        (date(2026, 11, 30), date(2027, 2, 26)),  # 28 Feb 2027 is a Sunday, the 27th a Saturday
        (date(2026, 1, 14), date(2026, 4, 14)),
    ],
)
def test_recheck_is_three_months_moved_back_to_a_swedish_working_day(
    meeting: date, recheck: date
) -> None:
    assert calendar.recheck_date(meeting) == recheck
    assert calendar.is_working_day(recheck)


@pytest.fixture
def setup(session: Session) -> dict[str, Any]:
    c = reg.save_contractor(session, REVISOR, reg.ContractorInput("Omsorg AB", "556782-3413"))
    u = reg.save_unit(
        session, REVISOR, reg.UnitInput(c.id, "Solgården", UnitKind.sarskilt_boende, 20)
    )
    k = reg.save_contract(
        session,
        REVISOR,
        reg.ContractInput("VOF 2026/1", "Drift", c.id, date(2025, 1, 1), date(2029, 1, 1), [u.id]),
    )
    session.commit()
    return {"contractor": c.id, "unit": u.id, "contract": k.id}


def plan(session: Session, setup: dict[str, Any], day: date, actor=REVISOR) -> FollowUp:
    f = fu.plan_followup(
        session,
        actor,
        fu.PlanInput(
            kind=FollowUpKind.avtal,
            contractor_id=setup["contractor"],
            unit_ids=[setup["unit"]],
            contract_id=setup["contract"],
            planned_date=day,
            participants=[fu.Participant("Maria Holm", "Verksamhetschef", "utforare")],
        ),
    )
    fu.start_followup(session, actor, f.id, builder=builder)
    session.commit()
    return f


def finish(session: Session, f: FollowUp) -> None:
    fu.hand_over(session, REVISOR, f.id)
    justera_and_store(session, CHEF, f.id)
    session.commit()


def test_plan_reports_every_missing_field(session: Session, setup: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as err:
        fu.plan_followup(
            session,
            REVISOR,
            fu.PlanInput(
                kind=FollowUpKind.riktad,
                contractor_id=setup["contractor"],
                planned_date=date(2026, 5, 5),
                planned_time="25:00",
            ),
        )
    assert {e.field for e in err.value.errors} == {"unit_ids", "reason", "planned_time"}
    with pytest.raises(ValidationFailed, match="Avtal"):
        fu.plan_followup(
            session,
            REVISOR,
            fu.PlanInput(
                kind=FollowUpKind.avtal,
                contractor_id=setup["contractor"],
                unit_ids=[setup["unit"]],
                planned_date=date(2026, 5, 5),
            ),
        )


def test_ska_krav_not_met_proposes_avvikelse_and_bor_krav_forbattringsomrade(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 9, 24))
    fu.save_assessment(
        session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt, comment="Saknas"
    )
    fu.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.delvis_uppfyllt)
    fu.save_assessment(session, REVISOR, f.id, "bor-1", result=Result.ej_uppfyllt)
    findings = {x.item_key: x for x in fu.findings_of(session, f.id)}
    assert findings["krav-4.1"].kind is FindingKind.avvikelse
    assert findings["krav-4.1"].status is FindingStatus.foreslagen
    assert findings["krav-4.1"].clause == "4.1"
    assert findings["krav-4.2"].kind is FindingKind.avvikelse
    assert findings["bor-1"].kind is FindingKind.forbattringsomrade
    # judged again as met: the proposal is withdrawn, not duplicated
    fu.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.uppfyllt)
    fu.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt)
    statuses = sorted((x.item_key, x.status.value) for x in fu.findings_of(session, f.id))
    assert statuses == [
        ("bor-1", "foreslagen"),
        ("krav-4.1", "foreslagen"),
        ("krav-4.2", "avfardad"),
    ]


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


def _deviation_with_action(session: Session, f: FollowUp, key: str = "krav-4.1") -> uuid.UUID:
    fu.save_assessment(session, REVISOR, f.id, key, result=Result.ej_uppfyllt)
    finding = next(x for x in fu.findings_of(session, f.id) if x.item_key == key)
    fu.confirm_finding(session, REVISOR, finding.id)
    action = fu.add_action(session, REVISOR, finding.id, "Revidera rutinen", "Verksamhetschef")
    session.commit()
    return action.id


def test_open_actions_carry_over_across_two_followups_until_verified(
    session: Session, setup: dict[str, Any]
) -> None:
    first = plan(session, setup, date(2026, 3, 10))
    action_id = _deviation_with_action(session, first)
    finish(session, first)
    second = plan(session, setup, date(2026, 6, 9))
    carried = [a.id for _o, _f, a in fu.carried_actions(session, second)]
    assert carried == [action_id]
    fu.review_action(session, REVISOR, second.id, action_id, "ej_genomford", "Inte påbörjad")
    finish(session, second)
    third = plan(session, setup, date(2026, 9, 8))
    assert [a.id for _o, _f, a in fu.carried_actions(session, third)] == [action_id]
    fu.review_action(
        session, REVISOR, third.id, action_id, "verifierad", "Ny rutin och deltagarlistor granskade"
    )
    action = fu.open_actions(session, today=date(2026, 9, 8))
    assert action == []
    finding = fu.findings_of(session, first.id)[0]
    assert finding.status is FindingStatus.stangd
    finish(session, third)
    fourth = plan(session, setup, date(2026, 12, 8))
    assert fu.carried_actions(session, fourth) == []


def test_an_action_is_closed_only_by_verification_with_evidence(
    session: Session, setup: dict[str, Any]
) -> None:
    first = plan(session, setup, date(2026, 3, 10))
    action_id = _deviation_with_action(session, first)
    with pytest.raises(ValidationFailed, match="verifieras vid en senare"):
        fu.update_action(session, REVISOR, action_id, status=ActionStatus.verifierad)
    with pytest.raises(ValidationFailed, match="senare uppföljning"):
        fu.review_action(session, REVISOR, first.id, action_id, "verifierad", "Sett")
    finish(session, first)
    second = plan(session, setup, date(2026, 6, 9))
    with pytest.raises(ValidationFailed, match="underlag"):
        fu.review_action(session, REVISOR, second.id, action_id, "verifierad", "")
    fu.review_action(session, REVISOR, second.id, action_id, "genomford", "Utföraren säger klart")
    assert len(fu.open_actions(session)) == 1  # genomförd is not closed


def test_overdue_actions_are_flagged(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    _deviation_with_action(session, f)
    (oa,) = fu.open_actions(session, today=date(2026, 6, 20))
    assert oa.action.due_date == date(2026, 6, 10)
    assert oa.overdue
    assert not fu.open_actions(session, today=date(2026, 6, 10))[0].overdue


def test_hand_over_needs_decided_proposals_and_actions(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    fu.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt)
    with pytest.raises(ValidationFailed, match="inte bekräftade"):
        fu.hand_over(session, REVISOR, f.id)
    fu.confirm_finding(session, REVISOR, fu.findings_of(session, f.id)[0].id)
    with pytest.raises(ValidationFailed, match="saknar åtgärd"):
        fu.hand_over(session, REVISOR, f.id)


def test_locked_followup_refuses_every_write(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    action_id = _deviation_with_action(session, f)
    finding_id = fu.findings_of(session, f.id)[0].id
    fu.hand_over(session, REVISOR, f.id)
    with pytest.raises(PermissionDenied, match="skrivit"):
        justera_and_store(session, REVISOR, f.id)  # the author cannot justera
    justera_and_store(session, REVISOR2, f.id)  # another revisor can
    session.commit()
    writes = [
        lambda: fu.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.uppfyllt),
        lambda: fu.save_notes(session, REVISOR, f.id, {"x": "y"}),
        lambda: fu.add_finding(session, REVISOR, f.id, FindingKind.iakttagelse, "Ny"),
        lambda: fu.confirm_finding(session, REVISOR, finding_id),
        lambda: fu.downgrade_finding(session, REVISOR, finding_id, "x"),
        lambda: fu.add_action(session, REVISOR, finding_id, "Mer", "Chef"),
        lambda: fu.update_action(session, REVISOR, action_id, what="Ändrad"),
        lambda: fu.hand_over(session, REVISOR, f.id),
        lambda: fu.update_plan(
            session,
            REVISOR,
            f.id,
            fu.PlanInput(
                FollowUpKind.avtal,
                setup["contractor"],
                date(2026, 3, 11),
                [setup["unit"]],
                setup["contract"],
            ),
        ),
    ]
    for write in writes:
        with pytest.raises(Locked):
            write()


def test_lasare_is_refused_at_the_service_level(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    with pytest.raises(PermissionDenied):
        fu.save_assessment(session, LASARE, f.id, "krav-4.1", result=Result.uppfyllt)
    with pytest.raises(PermissionDenied):
        justera_and_store(session, LASARE, f.id)


def test_correction_makes_a_new_version_and_keeps_the_old_readable(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    fu.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.uppfyllt)
    finish(session, f)
    with pytest.raises(ValidationFailed, match="Anledning"):
        fu.start_correction(session, REVISOR, f.id, "")
    fu.start_correction(session, REVISOR, f.id, "Fel bedömning av punkt 4.2 enligt utföraren")
    fu.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.delvis_uppfyllt)
    fu.reject_finding(session, REVISOR, fu.findings_of(session, f.id)[0].id, "Rättad")
    finish(session, f)
    versions = fu.versions_of(session, f.id)
    assert [v.version for v in versions] == [versions[0].version, versions[1].version]
    assert versions[1].version > versions[0].version
    assert versions[0].snapshot["assessments"]["krav-4.2"]["result"] == "uppfyllt"
    assert versions[1].snapshot["assessments"]["krav-4.2"]["result"] == "delvis_uppfyllt"
    assert versions[1].reason == "Fel bedömning av punkt 4.2 enligt utföraren"
    diff = fu.snapshot_diff(versions[0].snapshot, versions[1].snapshot)
    assert any("Uppfyllt → Delvis uppfyllt" in line for line in diff)


def test_personnummer_in_a_comment_is_refused(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    with pytest.raises(ValidationFailed, match="personnummer"):
        fu.save_assessment(
            session,
            REVISOR,
            f.id,
            "krav-4.1",
            result=Result.uppfyllt,
            comment="Gäller 19121212-1212",
        )
    session.rollback()
    assert fu.assessments_of(session, f.id) == {}


def test_compare_with_previous_lists_improved_and_worse(
    session: Session, setup: dict[str, Any]
) -> None:
    first = plan(session, setup, date(2026, 3, 10))
    fu.save_assessment(session, REVISOR, first.id, "krav-4.1", result=Result.ej_uppfyllt)
    fu.save_assessment(session, REVISOR, first.id, "krav-4.2", result=Result.uppfyllt)
    for x in fu.findings_of(session, first.id):
        fu.downgrade_finding(session, REVISOR, x.id, "Test")
    finish(session, first)
    second = plan(session, setup, date(2026, 6, 9))
    assert second.previous_id == first.id
    fu.save_assessment(session, REVISOR, second.id, "krav-4.1", result=Result.uppfyllt)
    fu.save_assessment(session, REVISOR, second.id, "krav-4.2", result=Result.delvis_uppfyllt)
    comparison = fu.compare_with_previous(session, second)
    assert comparison is not None
    assert comparison.improved == ["krav-4.1"] and comparison.worse == ["krav-4.2"]
    assert comparison.previous["krav-4.1"] is Result.ej_uppfyllt


def test_progress_counts_answered_items(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    fu.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.uppfyllt)
    fu.save_assessment(session, REVISOR, f.id, "antal", value="12")
    fu.save_assessment(session, REVISOR, f.id, "krav-4.2", comment="Bara en kommentar")
    assert fu.progress(f, fu.assessments_of(session, f.id)) == (2, 4)
    assert f.status is FollowUpStatus.pagar


def test_prefill_from_previous_copies_the_plan(session: Session, setup: dict[str, Any]) -> None:
    first = plan(session, setup, date(2026, 3, 10))
    new = fu.prefill_from_previous(session, setup["unit"], today=date(2026, 9, 1))
    assert new is not None
    assert new.previous_id == first.id and new.contract_id == setup["contract"]
    assert [p.name for p in new.participants] == ["Maria Holm"]
    assert new.planned_date == date(2026, 9, 1)


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
