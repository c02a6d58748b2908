"""Sanctions on a contract: recorded with their basis, proposed by the ladder after a failed
återuppföljning, and shown in the overview's reasons and the tjänsteskrivelse (one query)."""

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from audit_app.cli import app
from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import ProcurementForm, SanctionKind, SignalKind
from audit_app.services import overview as overview_service
from audit_app.services import registers, sanctions
from audit_app.services.documents.committee import committee_context
from audit_app.services.documents.data import load_followup_data
from tests.conftest import CHEF, LASARE, REVISOR
from tests.unit.signals.helpers import failed_recheck, requirements, signal

TODAY = date(2026, 7, 1)


def _record(
    session: Session, setup: dict[str, Any], finding_id: Any, clause_id: Any, **kw: Any
) -> Any:
    data = sanctions.SanctionInput(
        contract_id=setup["contract"],
        kind=kw.pop("kind", SanctionKind.papekande),
        requirement_id=clause_id,
        decided_on=kw.pop("decided_on", date(2026, 6, 20)),
        decided_by=kw.pop("decided_by", "Förvaltningschef (delegationsbeslut)"),
        finding_ids=[finding_id],
        **kw,
    )
    saved = sanctions.record_sanction(session, CHEF, data, today=TODAY)
    session.commit()
    return saved


def test_a_failed_recheck_proposes_a_papekande_and_a_recorded_one_answers_it(
    session: Session, setup: dict[str, Any]
) -> None:
    clauses = requirements(session, setup)
    meeting, finding_id, recheck = failed_recheck(session, setup)
    proposals = sanctions.sanction_proposals(session, REVISOR, today=TODAY)
    assert [(p.finding.id, p.kinds) for p in proposals] == [(finding_id, (SanctionKind.papekande,))]
    assert proposals[0].recheck.id == recheck.id
    assert proposals[0].text.startswith("Sanktion föreslås: påpekande (4.1 ")
    rows = {r.unit: r for r in overview_service.unit_overview(session, CHEF, today=TODAY)}
    assert "sanktion föreslås" in rows["Solgården"].reasons

    saved = _record(session, setup, finding_id, clauses["4.1"])
    assert saved.unit_id == setup["unit"]
    assert saved.recheck_ids == [str(recheck.id)]
    assert sanctions.sanction_proposals(session, REVISOR, today=TODAY) == []
    row = sanctions.list_sanctions(session, LASARE)[0]
    assert row.headline == (
        "Påpekande beslutat 20 juni 2026 av förvaltningschef (delegationsbeslut)"
    )
    assert row.clause == "4.1 Ledningssystem ska finnas."
    assert row.basis == ["10 mars 2026: 4.1 Ledningssystem ska finnas."]
    assert row.rechecks == ["återuppföljning 10 juni 2026"]
    reasons = {r.unit: r for r in overview_service.unit_overview(session, CHEF, today=TODAY)}[
        "Solgården"
    ]
    assert "påpekande beslutat 20 juni" in reasons.reasons
    assert "sanktion föreslås" not in reasons.reasons
    del meeting


def test_an_action_marked_done_at_the_recheck_proposes_nothing(
    session: Session, setup: dict[str, Any]
) -> None:
    requirements(session, setup)
    failed_recheck(session, setup, mark="genomford")
    assert sanctions.sanction_proposals(session, REVISOR, today=TODAY) == []
    # A year after the återuppföljning an old case is no longer proposed either.
    assert sanctions.sanction_proposals(session, REVISOR, today=date(2027, 7, 1)) == []


def test_a_vite_shows_as_a_red_reason_and_in_the_committee_report(
    session: Session, setup: dict[str, Any]
) -> None:
    clauses = requirements(session, setup)
    meeting, finding_id, recheck = failed_recheck(session, setup)
    _record(session, setup, finding_id, clauses["4.1"], decided_on=date(2026, 6, 15))
    _record(
        session,
        setup,
        finding_id,
        clauses["4.1"],
        kind=SanctionKind.vite,
        amount_kr=25_000,
        decided_on=date(2026, 6, 25),
        decided_by="Vård- och omsorgsutskottet",
    )
    row = next(
        r
        for r in overview_service.unit_overview(session, CHEF, today=TODAY)
        if r.unit == "Solgården"
    )
    assert row.status.value == "rod"
    assert row.reasons[-2:] == ["vite beslutat 25 juni", "påpekande beslutat 15 juni"]

    ctx = committee_context(load_followup_data(session, recheck, today=TODAY), TODAY)
    text = " ".join(ctx["assessment"])
    assert "vite på 25 000 kr beslutat 25 juni 2026 av vård- och omsorgsutskottet med stöd" in (
        text.replace("\u00a0", " ")
    )
    assert "avtalets punkt 4.1" in text
    del meeting


def test_the_committee_report_names_the_proposal(session: Session, setup: dict[str, Any]) -> None:
    requirements(session, setup)
    _meeting, _finding_id, recheck = failed_recheck(session, setup)
    ctx = committee_context(load_followup_data(session, recheck, today=TODAY), TODAY)
    assert any("nästa steg påpekande" in p for p in ctx["assessment"])
    assert any("förslag om påpekande enligt avtalets punkt 4.1" in p for p in ctx["proposal"])


def test_a_sanction_is_checked_against_the_contract(
    session: Session, setup: dict[str, Any]
) -> None:
    clauses = requirements(session, setup)
    _meeting, finding_id, _recheck = failed_recheck(session, setup)
    contract = registers.get_contract(session, setup["contract"])
    contract.procurement_form = ProcurementForm.lov
    session.add(contract)
    session.commit()
    bad = sanctions.SanctionInput(
        contract_id=setup["contract"],
        kind=SanctionKind.havning,  # LOV: återkallat godkännande instead
        requirement_id=None,
        decided_on=date(2026, 8, 1),  # after "today"
        decided_by="",
        finding_ids=[],
        amount_kr=10_000,  # hävning has no amount
    )
    with pytest.raises(ValidationFailed) as caught:
        sanctions.record_sanction(session, CHEF, bad, today=TODAY)
    assert [e.field for e in caught.value.errors] == [
        "kind",
        "requirement_id",
        "amount_kr",
        "decided_on",
        "decided_by",
        "finding_ids",
    ]
    no_amount = sanctions.SanctionInput(
        setup["contract"], SanctionKind.vite, clauses["4.1"], TODAY, "Utskottet", [finding_id]
    )
    with pytest.raises(ValidationFailed, match="Belopp: ange beloppet"):
        sanctions.record_sanction(session, CHEF, no_amount, today=TODAY)
    with pytest.raises(PermissionDenied):
        sanctions.record_sanction(session, LASARE, no_amount, today=TODAY)


def test_cli_lists_sanctions_and_proposals_as_json(
    session: Session, setup: dict[str, Any], db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    clauses = requirements(session, setup)
    day = date.today() - timedelta(days=120)  # its återuppföljning a month ago
    _meeting, finding_id, _recheck = failed_recheck(session, setup, day=day)
    signal(session, setup, SignalKind.klagomal, day, "mat", n=2)
    monkeypatch.setenv("DATABASE_URL", db_url)
    runner = CliRunner()
    before = json.loads(runner.invoke(app, ["sanctions", "list", "--json"]).output)
    assert before["sanctions"] == []
    assert [p["proposed"] for p in before["proposals"]] == [["papekande"]]
    sanctions.record_sanction(
        session,
        CHEF,
        sanctions.SanctionInput(
            setup["contract"],
            SanctionKind.prisavdrag,
            clauses["4.1"],
            date.today(),
            "Vård- och omsorgsutskottet",
            [finding_id],
            amount_kr=12_500,
        ),
    )
    session.commit()
    result = runner.invoke(app, ["sanctions", "list", "--json", "--as", "test-lasare"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["proposals"] == []
    assert data["sanctions"][0] | {"decided_on": "-"} == {
        "contract": "VOF 2026/1",
        "contractor": "Omsorg AB",
        "unit": "Solgården",
        "kind": "prisavdrag",
        "kind_label": "Prisavdrag",
        "amount_kr": 12500,
        "decided_on": "-",
        "decided_by": "Vård- och omsorgsutskottet",
        "clause": "4.1",
        "clause_text": "4.1 Ledningssystem ska finnas.",
        "basis": data["sanctions"][0]["basis"],
        "rechecks": data["sanctions"][0]["rechecks"],
        "note": "",
    }
    signals_out = runner.invoke(app, ["signals", "list", "--json", "--kind", "klagomal"])
    assert signals_out.exit_code == 0, signals_out.output
    assert json.loads(signals_out.output) == [
        {
            "date": day.isoformat(),
            "contractor": "Omsorg AB",
            "unit": "Solgården",
            "kind": "klagomal",
            "kind_label": "Klagomål",
            "category": "mat",
            "category_label": "Mat och måltider",
            "count": 2,
            "status": "under_utredning",
            "note": "",
        }
    ]


def test_a_reader_sees_the_decision_but_not_the_words_of_an_unjusterad_meeting(
    session: Session, setup: dict[str, Any]
) -> None:
    from audit_app.services import followups
    from tests.unit.followups.fixtures import deviation_with_action, plan

    clauses = requirements(session, setup)
    ongoing = plan(session, setup, date(2026, 6, 1))
    deviation_with_action(session, ongoing)
    finding = next(
        x for x in followups.findings_of(session, ongoing.id) if x.item_key == "krav-4.1"
    )
    _record(session, setup, finding.id, clauses["4.1"])
    assert sanctions.list_sanctions(session, CHEF)[0].basis == [
        "1 juni 2026: 4.1 Ledningssystem ska finnas."
    ]
    assert sanctions.list_sanctions(session, LASARE)[0].basis == [
        "1 juni 2026: 4.1 avvikelse (uppföljningen är inte justerad ännu)"
    ]
