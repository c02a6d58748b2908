"""Breaches of a stored analysis as proposed findings: once, updated, withdrawn, cited clause."""

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from audit_app.errors import ValidationFailed
from audit_app.models import FindingKind, FindingSource, FindingStatus, FollowUp, RequirementKind
from audit_app.services import followups, registers
from audit_app.services.staffing import findings
from audit_app.services.staffing.rules import load_rules
from tests.conftest import REVISOR
from tests.unit.staffing.fixtures import AGENDA, RULES_YAML, store_schedule, write_xlsx_style_a


def test_breaches_become_proposed_findings_exactly_once(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    analysis = store_schedule(session, setup, write_xlsx_style_a(tmp_path / "schema.xlsx"))
    proposals = findings.breaches_to_findings(session, REVISOR, analysis.id)
    session.commit()
    rows = [(f.source_ref, f.title) for f in proposals]
    assert rows == [
        ("staff:Avd Lärkan:Dag", "Avd Lärkan, Dag: färre i tjänst än åtagandet (1 pass)"),
        ("competent:Avd Lärkan:Dag", "Avd Lärkan, Dag: färre med kompetens än åtagandet (1 pass)"),
        (
            "competent:Avd Lärkan:Natt",
            "Avd Lärkan, Natt: färre med kompetens än åtagandet (1 pass)",
        ),
        ("staff:Avd Måsen:Dag", "Avd Måsen, Dag: färre i tjänst än åtagandet (1 pass)"),
        ("staff:Avd Måsen:Natt", "Avd Måsen, Natt: färre i tjänst än åtagandet (1 pass)"),
        ("competent:Avd Måsen:Natt", "Avd Måsen, Natt: färre med kompetens än åtagandet (1 pass)"),
        ("andel", "Andelen timmar med kompetent personal är lägre än åtagandet"),
    ]
    for f in proposals:
        assert (f.source, f.item_key) == (FindingSource.bemanning, None)
        assert (f.kind, f.status, f.clause, f.area) == (
            FindingKind.avvikelse,
            FindingStatus.foreslagen,
            "5.1.1",  # the requirement on personaltäthet, not 4.2.2
            "Bemanning och kompetens",
        )
    assert proposals[0].description == (
        "Enligt schemat under perioden 2–4 november 2026 var det färre i tjänst än åtagandet "
        "(minst 3 i tjänst) på Avd Lärkan, dag (07:00–15:00), 1 gång: 3/11 (2 av 3). "
        "Siffran är det lägsta antalet i tjänst under passet."
    )
    assert proposals[-1].description == (
        "Enligt schemat under perioden 2–4 november 2026 utfördes 72\u00a0% av de arbetade timmarna "
        "av personal med kompetens enligt avtalet; åtagandet är minst 75\u00a0%."
    )

    followups.confirm_finding(session, REVISOR, proposals[0].id)
    again = findings.breaches_to_findings(session, REVISOR, analysis.id)
    session.commit()
    assert [f.id for f in again] == [f.id for f in proposals]
    stored = followups.findings_of(session, setup["followup"])
    assert len(stored) == 7
    assert sum(f.status is FindingStatus.bekraftad for f in stored) == 1
    # the same schedule stored again (a second upload) still gives no duplicates
    second = store_schedule(session, setup, write_xlsx_style_a(tmp_path / "schema2.xlsx"))
    findings.breaches_to_findings(session, REVISOR, second.id)
    assert len(followups.findings_of(session, setup["followup"])) == 7


def test_a_later_analysis_withdraws_proposals_whose_breach_is_gone(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    path = write_xlsx_style_a(tmp_path / "schema.xlsx")
    first = store_schedule(session, setup, path)
    findings.breaches_to_findings(session, REVISOR, first.id)
    lenient = load_rules(
        RULES_YAML.replace("min_staff: 3, min_competent: 2", "min_staff: 2, min_competent: 1")
    )
    second = store_schedule(session, setup, path, rules=lenient)
    kept = findings.breaches_to_findings(session, REVISOR, second.id)
    assert {f.source_ref for f in kept} == {
        "competent:Avd Lärkan:Natt",
        "staff:Avd Måsen:Natt",
        "competent:Avd Måsen:Natt",
        "andel",
    }
    withdrawn = [
        f
        for f in followups.findings_of(session, setup["followup"])
        if f.status is FindingStatus.avfardad
    ]
    assert {f.source_ref for f in withdrawn} == {
        "staff:Avd Lärkan:Dag",
        "competent:Avd Lärkan:Dag",
        "staff:Avd Måsen:Dag",
    }
    assert all("senaste schemagranskningen" in f.withdraw_reason for f in withdrawn)
    assert all(f.downgrade_reason == f.reject_reason == "" for f in withdrawn)


def test_clause_entered_when_the_contract_has_no_staffing_requirement(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    followup = session.get(FollowUp, setup["followup"])
    assert followup is not None
    followup.agenda = [AGENDA[0]]
    session.add(followup)
    session.commit()
    analysis = store_schedule(session, setup, write_xlsx_style_a(tmp_path / "schema.xlsx"))
    assert findings.suggested_clause(session, followup) == ""
    with pytest.raises(ValidationFailed) as err:
        findings.breaches_to_findings(session, REVISOR, analysis.id, "  ")
    assert err.value.for_field("clause")
    proposals = findings.breaches_to_findings(session, REVISOR, analysis.id, " Bilaga 3 ")
    assert {f.clause for f in proposals} == {"Bilaga 3"}
    assert {f.area for f in proposals} == {"Bemanning och kompetens"}


def test_suggested_clause_falls_back_to_the_contracts_requirements(
    session: Session, setup: dict[str, Any]
) -> None:
    registers.save_requirements(
        session,
        REVISOR,
        setup["contract"],
        [
            registers.RequirementInput("4.1", "Ledningssystem ska finnas.", RequirementKind.ska),
            registers.RequirementInput("4.2", "Bemanningen ska vara god.", RequirementKind.ska),
        ],
    )
    followup = session.get(FollowUp, setup["followup"])
    assert followup is not None
    followup.agenda = []
    assert findings.suggested_clause(session, followup) == "4.2"
