"""Helpers of the follow-up tests: a small agenda, plan-and-start, finish, a deviation with an action."""

import uuid
from datetime import date
from typing import Any

from sqlmodel import Session

from audit_app.models import FollowUp, FollowUpKind, Result, UnitKind
from audit_app.services import followups, registers
from audit_app.services.documents.stored import justera_and_store
from tests.conftest import CHEF, REVISOR

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
        "key": "fraga-1",
        "section_key": "ska",
        "section_title": "SKA-krav",
        "text": "Finns rutin för synpunkter?",
        "kind": "fraga",
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


def plan(session: Session, setup: dict[str, Any], day: date, actor=REVISOR) -> FollowUp:
    f = followups.plan_followup(
        session,
        actor,
        followups.PlanInput(
            kind=FollowUpKind.avtal,
            contractor_id=setup["contractor"],
            unit_ids=[setup["unit"]],
            contract_id=setup["contract"],
            planned_date=day,
            participants=[followups.Participant("Maria Holm", "Verksamhetschef", "utforare")],
        ),
    )
    followups.start_followup(session, actor, f.id, builder=builder)
    session.commit()
    return f


def finish(session: Session, f: FollowUp) -> None:
    confirmed = followups.handover_check(session, f).unassessed_count
    followups.hand_over(session, REVISOR, f.id, unassessed_confirmed=confirmed)
    justera_and_store(session, CHEF, f.id)
    session.commit()


def deviation_with_action(session: Session, f: FollowUp, key: str = "krav-4.1") -> uuid.UUID:
    followups.save_assessment(session, REVISOR, f.id, key, result=Result.ej_uppfyllt)
    finding = next(x for x in followups.findings_of(session, f.id) if x.item_key == key)
    followups.confirm_finding(session, REVISOR, finding.id)
    action = followups.add_action(
        session, REVISOR, finding.id, "Revidera rutinen", "Verksamhetschef"
    )
    session.commit()
    return action.id


def registers_setup(session: Session) -> dict[str, Any]:
    """One contractor with one unit (särskilt boende) and one contract, committed."""
    c = registers.save_contractor(
        session, REVISOR, registers.ContractorInput("Omsorg AB", "556782-3413")
    )
    u = registers.save_unit(
        session, REVISOR, registers.UnitInput(c.id, "Solgården", UnitKind.sarskilt_boende, 20)
    )
    k = registers.save_contract(
        session,
        REVISOR,
        registers.ContractInput(
            "VOF 2026/1", "Drift", c.id, date(2025, 1, 1), date(2029, 1, 1), [u.id]
        ),
    )
    session.commit()
    return {"contractor": c.id, "unit": u.id, "contract": k.id}
