"""Follow-ups made through the real services for the document tests: registers, an agenda with
requirements in three areas, answers (some left unassessed), proposals confirmed, dismissed or
downgraded, actions, and the follow-up handed over and justerad when asked."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session
from stdnum import luhn

from audit_app.models import FindingKind, FindingStatus, FollowUp, FollowUpKind, Result, UnitKind
from audit_app.services import followups
from audit_app.services import registers as registers_service
from audit_app.services.documents.stored import justera_and_store
from tests.conftest import CHEF, REVISOR

AREAS = ["Ledning och kvalitet", "Bemanning och kompetens", "Individens planering"]
SKA_KEYS = [f"krav-{n}" for n in range(1, 7)]
BOR_KEY = "bor-1"
QUESTION_KEYS = ["fraga-1", "fraga-2"]
ASSESSED_KEYS = [*SKA_KEYS, BOR_KEY, *QUESTION_KEYS]
AGENDA: list[dict[str, Any]] = [
    *(
        {
            "key": key,
            "section_key": "krav",
            "section_title": "3. SKA-krav i avtalet",
            "section_role": "requirements",
            "text": f"Utföraren ska uppfylla krav {n} i avtalet.",
            "kind": "ska_krav",
            "clause": f"4.{n}",
            "answer": "bedomning",
            "area": AREAS[n % 3],
            "source": "contract",
        }
        for n, key in enumerate(SKA_KEYS, start=1)
    ),
    {
        "key": BOR_KEY,
        "section_key": "krav",
        "section_title": "3. SKA-krav i avtalet",
        "section_role": "requirements",
        "text": "Utföraren bör erbjuda anhörigträffar.",
        "kind": "bor_krav",
        "clause": "8.1",
        "answer": "bedomning",
        "area": "Resultat och brukarnöjdhet",
        "source": "contract",
    },
    *(
        {
            "key": key,
            "section_key": "atgardsplan",
            "section_title": "4. Åtgärdsplan",
            "section_role": "action_plan",
            "text": f"Fråga {n} om åtgärdsplanen är besvarad.",
            "kind": "fraga",
            "answer": "bedomning",
        }
        for n, key in enumerate(QUESTION_KEYS, start=1)
    ),
    {
        "key": "antal",
        "section_key": "bemanning",
        "section_title": "2. Aktuell personalsituation",
        "section_role": "staffing",
        "text": "Antal vakanta tjänster.",
        "kind": "fraga",
        "answer": "tal",
        "unit": "antal",
    },
]
_ORG = itertools.count(1)
_DNR = itertools.count(1000)


def org_nr() -> str:
    """A new valid organisationsnummer (Luhn) for each contractor."""
    while True:
        body = f"55{next(_ORG) + 6000000:07d}"
        for check in range(10):
            if luhn.is_valid(body + str(check)):
                return f"{body[:6]}-{body[6:]}{check}"


@dataclass
class Registers:
    contractor: uuid.UUID
    unit: uuid.UUID
    contract: uuid.UUID


def registers(
    session: Session, name: str = "Omsorgshuset Vega AB", unit: str = "Solgården"
) -> Registers:
    """A contractor with one särskilt boende and a contract (its own dnr)."""
    c = registers_service.save_contractor(
        session,
        REVISOR,
        registers_service.ContractorInput(name, org_nr(), "Maria Holm", "Verksamhetschef"),
    )
    u = registers_service.save_unit(
        session, REVISOR, registers_service.UnitInput(c.id, unit, UnitKind.sarskilt_boende, 20)
    )
    k = registers_service.save_contract(
        session,
        REVISOR,
        registers_service.ContractInput(
            f"VOF 2025/{next(_DNR)}",  # a new number each time: a dnr is unique for all time
            "Drift av Solgården",
            c.id,
            date(2024, 1, 1),
            date(2029, 12, 31),
            [u.id],
        ),
    )
    session.flush()
    return Registers(c.id, u.id, k.id)


@dataclass
class Spec:
    """What a generated follow-up holds (every key of ASSESSED_KEYS may be left out)."""

    answers: dict[str, Result] = field(default_factory=dict)
    # per proposal's item key: "confirm", "dismiss", "downgrade" (an avvikelse only) or "leave"
    decisions: dict[str, str] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=dict)  # actions on a confirmed finding
    free_improvement: bool = False
    stage: str = "pagar"  # "pagar", "klar" or "justerad"
    meeting: date = date(2026, 3, 3)


def agenda_builder(_session: Session, _f: FollowUp) -> list[dict[str, Any]]:
    return [dict(i) for i in AGENDA]


def build(session: Session, spec: Spec, where: Registers | None = None) -> FollowUp:
    """Plan, start and conduct a follow-up as `spec` says, through the services."""
    where = where or registers(session)
    f = followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=FollowUpKind.avtal,
            contractor_id=where.contractor,
            unit_ids=[where.unit],
            contract_id=where.contract,
            planned_date=spec.meeting,
            planned_time="09:00",
            methods=[],
            participants=[
                followups.Participant("Lars Berg", "Förvaltningschef", "kommun"),
                followups.Participant("Karin Ek", "Utvecklingsledare", "kommun"),
                followups.Participant("Maria Holm", "Verksamhetschef", "utforare"),
            ],
        ),
    )
    followups.start_followup(session, REVISOR, f.id, builder=agenda_builder)
    for key, result in spec.answers.items():
        followups.save_assessment(session, REVISOR, f.id, key, result=result, comment="Stickprov.")
    followups.save_assessment(session, REVISOR, f.id, "antal", value="2")
    for finding in followups.findings_of(session, f.id):
        if finding.status is not FindingStatus.foreslagen:
            continue
        decision = spec.decisions.get(finding.item_key or "", "confirm")
        if decision == "dismiss":
            followups.reject_finding(
                session, REVISOR, finding.id, "Bedömningen gäller inte avtalet."
            )
        elif decision == "downgrade" and finding.kind is FindingKind.avvikelse:
            followups.downgrade_finding(session, REVISOR, finding.id, "Bristen är liten.")
        elif decision != "leave":
            followups.confirm_finding(session, REVISOR, finding.id)
            for n in range(spec.actions.get(finding.item_key or "", 0)):
                followups.add_action(
                    session,
                    REVISOR,
                    finding.id,
                    f"Åtgärd {n + 1}: revidera rutinen",
                    "Kvalitetsansvarig",
                    spec.meeting + timedelta(days=30 + n),
                )
    if spec.free_improvement:
        followups.add_finding(
            session,
            REVISOR,
            f.id,
            FindingKind.forbattringsomrade,
            "Anhörigträffar",
            "Formerna för anhörigas delaktighet kan utvecklas.",
        )
    if spec.stage in ("klar", "justerad"):
        check = followups.handover_check(session, followups.get_followup(session, f.id))
        followups.hand_over(session, REVISOR, f.id, unassessed_confirmed=check.unassessed_count)
    if spec.stage == "justerad":
        justera_and_store(session, CHEF, f.id)
    session.flush()
    return followups.get_followup(session, f.id)
