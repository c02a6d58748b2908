"""Hand-over, locking, roles, corrections and the comparison with last time."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from audit_app.errors import Locked, PermissionDenied, ValidationFailed
from audit_app.models import (
    FindingKind,
    FollowUpKind,
    FollowUpStatus,
    Result,
)
from audit_app.services import followups
from audit_app.services.documents.stored import justera_and_store
from tests.conftest import LASARE, REVISOR, REVISOR2
from tests.unit.followups.fixtures import deviation_with_action, finish, plan


def test_hand_over_needs_decided_proposals_and_actions(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt)
    with pytest.raises(ValidationFailed, match="förslag är inte bekräftat"):
        followups.hand_over(session, REVISOR, f.id, unassessed_confirmed=4)
    followups.confirm_finding(session, REVISOR, followups.findings_of(session, f.id)[0].id)
    with pytest.raises(ValidationFailed, match="saknar åtgärd"):
        followups.hand_over(session, REVISOR, f.id, unassessed_confirmed=4)


def test_hand_over_lists_unassessed_items_per_point_and_needs_their_number_confirmed(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.uppfyllt)
    followups.save_assessment(session, REVISOR, f.id, "krav-4.2", comment="bara en kommentar")
    check = followups.handover_check(session, f)
    assert check.problems == []
    assert [(s.title, s.items) for s in check.unassessed] == [
        (
            "SKA-krav",
            [
                "4.2 Genomförandeplan inom 14 dagar.",
                "8.1 Anhörigträffar bör erbjudas.",
                "Finns rutin för synpunkter?",
            ],
        ),
        ("Bemanning", ["Antal årsarbetare"]),
    ]
    with pytest.raises(ValidationFailed, match="4 punkter är inte bedömda"):
        followups.hand_over(session, REVISOR, f.id)
    with pytest.raises(ValidationFailed, match="4 punkter"):
        followups.hand_over(session, REVISOR, f.id, unassessed_confirmed=3)  # a stale confirmation
    followups.hand_over(session, REVISOR, f.id, unassessed_confirmed=4)
    assert f.status is FollowUpStatus.klar


def test_justera_summary_says_what_will_be_locked(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    deviation_with_action(session, f)
    summary = followups.justera_summary(session, f)
    assert (summary.version, summary.answered, summary.total) == (1, 1, 5)
    assert summary.findings == {FindingKind.avvikelse: 1} and summary.actions == 1


def test_locked_followup_refuses_every_write(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    action_id = deviation_with_action(session, f)
    finding_id = followups.findings_of(session, f.id)[0].id
    followups.hand_over(session, REVISOR, f.id, unassessed_confirmed=4)
    with pytest.raises(PermissionDenied, match="skrivit"):
        justera_and_store(session, REVISOR, f.id)  # the author cannot justera
    justera_and_store(session, REVISOR2, f.id)  # another revisor can
    session.commit()
    writes = [
        lambda: followups.save_assessment(
            session, REVISOR, f.id, "krav-4.2", result=Result.uppfyllt
        ),
        lambda: followups.save_notes(session, REVISOR, f.id, {"x": "y"}),
        lambda: followups.add_finding(session, REVISOR, f.id, FindingKind.iakttagelse, "Ny"),
        lambda: followups.confirm_finding(session, REVISOR, finding_id),
        lambda: followups.downgrade_finding(session, REVISOR, finding_id, "x"),
        lambda: followups.add_action(session, REVISOR, finding_id, "Mer", "Chef"),
        lambda: followups.update_action(session, REVISOR, action_id, what="Ändrad"),
        lambda: followups.hand_over(session, REVISOR, f.id),
        lambda: followups.update_plan(
            session,
            REVISOR,
            f.id,
            followups.PlanInput(
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
        followups.save_assessment(session, LASARE, f.id, "krav-4.1", result=Result.uppfyllt)
    with pytest.raises(PermissionDenied):
        justera_and_store(session, LASARE, f.id)


def test_correction_makes_a_new_version_and_keeps_the_old_readable(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    followups.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.uppfyllt)
    finish(session, f)
    with pytest.raises(ValidationFailed, match="Anledning"):
        followups.start_correction(session, REVISOR, f.id, "")
    followups.start_correction(
        session, REVISOR, f.id, "Fel bedömning av punkt 4.2 enligt utföraren"
    )
    followups.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.delvis_uppfyllt)
    followups.reject_finding(session, REVISOR, followups.findings_of(session, f.id)[0].id, "Rättad")
    finish(session, f)
    versions = followups.versions_of(session, f.id)
    assert [v.version for v in versions] == [versions[0].version, versions[1].version]
    assert versions[1].version > versions[0].version
    assert versions[0].snapshot["assessments"]["krav-4.2"]["result"] == "uppfyllt"
    assert versions[1].snapshot["assessments"]["krav-4.2"]["result"] == "delvis_uppfyllt"
    assert versions[1].reason == "Fel bedömning av punkt 4.2 enligt utföraren"
    diff = followups.snapshot_diff(versions[0].snapshot, versions[1].snapshot)
    assert any("Uppfyllt → Delvis uppfyllt" in line for line in diff)


def test_compare_with_previous_lists_improved_and_worse(
    session: Session, setup: dict[str, Any]
) -> None:
    first = plan(session, setup, date(2026, 3, 10))
    followups.save_assessment(session, REVISOR, first.id, "krav-4.1", result=Result.ej_uppfyllt)
    followups.save_assessment(session, REVISOR, first.id, "krav-4.2", result=Result.uppfyllt)
    for x in followups.findings_of(session, first.id):
        followups.downgrade_finding(session, REVISOR, x.id, "Test")
    finish(session, first)
    second = plan(session, setup, date(2026, 6, 9))
    assert second.previous_id == first.id
    followups.save_assessment(session, REVISOR, second.id, "krav-4.1", result=Result.uppfyllt)
    followups.save_assessment(
        session, REVISOR, second.id, "krav-4.2", result=Result.delvis_uppfyllt
    )
    comparison = followups.compare_with_previous(session, second)
    assert comparison is not None
    assert comparison.improved == ["krav-4.1"] and comparison.worse == ["krav-4.2"]
    assert comparison.previous["krav-4.1"] is Result.ej_uppfyllt
