"""Answers and the proposals they raise."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from audit_app.errors import ValidationFailed
from audit_app.models import (
    FindingKind,
    FindingStatus,
    FollowUpStatus,
    Result,
)
from audit_app.services import followups
from tests.conftest import REVISOR
from tests.unit.followups.fixtures import plan


def test_ska_krav_not_met_proposes_avvikelse_and_bor_krav_forbattringsomrade(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 9, 24))
    followups.save_assessment(
        session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt, comment="Saknas"
    )
    followups.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.delvis_uppfyllt)
    followups.save_assessment(session, REVISOR, f.id, "bor-1", result=Result.ej_uppfyllt)
    findings = {x.item_key: x for x in followups.findings_of(session, f.id)}
    assert findings["krav-4.1"].kind is FindingKind.avvikelse
    assert findings["krav-4.1"].status is FindingStatus.foreslagen
    assert findings["krav-4.1"].clause == "4.1"
    assert findings["krav-4.2"].kind is FindingKind.avvikelse
    assert findings["bor-1"].kind is FindingKind.forbattringsomrade
    # judged again as met: the proposal is withdrawn, not duplicated
    followups.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.uppfyllt)
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.ej_uppfyllt)
    statuses = sorted((x.item_key, x.status.value) for x in followups.findings_of(session, f.id))
    assert statuses == [
        ("bor-1", "foreslagen"),
        ("krav-4.1", "foreslagen"),
        ("krav-4.2", "avfardad"),
    ]


def test_personnummer_in_a_comment_is_refused(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    with pytest.raises(ValidationFailed, match="personnummer"):
        followups.save_assessment(
            session,
            REVISOR,
            f.id,
            "krav-4.1",
            result=Result.uppfyllt,
            comment="Gäller 19121212-1212",
        )
    session.rollback()
    assert followups.assessments_of(session, f.id) == {}


def test_progress_counts_answered_items(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", result=Result.uppfyllt)
    followups.save_assessment(session, REVISOR, f.id, "antal", value="12")
    followups.save_assessment(session, REVISOR, f.id, "krav-4.2", comment="Bara en kommentar")
    assert followups.progress(f, followups.assessments_of(session, f.id)) == (2, 5)
    assert f.status is FollowUpStatus.pagar
