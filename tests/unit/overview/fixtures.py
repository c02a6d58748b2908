"""A small fixed municipality for the overview: figures hand-computed for 20 October 2026.

- Omsorg AB, Solgården: avtal 10 March 2026 (justerad; 4.1 ej uppfyllt -> avvikelse and an
  action due 10 June; 4.2 and bor-1 uppfyllt, fraga-1 ej aktuellt: 2 of 3 assessed uppfyllt);
  its återuppföljning (planned 10 June) never held. No ledningssystem ever.
- Omsorg AB, Hemtjänst Syd: ledningssystem 5 May (justerad, all uppfyllt); avtal 29 September
  still in Pågår (bor-1 delvis: 3 of 4 uppfyllt); avtal planned 30 March 2027.
- Klövern Omsorg, Klövervägen: avtal and ledningssystem 18 August (justerade, all uppfyllt);
  avtal planned 16 February 2027.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from audit_app.models import FollowUp, FollowUpKind, Result, UnitKind
from audit_app.services import followups, registers
from audit_app.services.documents.stored import justera_and_store
from tests.conftest import CHEF, REVISOR

TODAY = date(2026, 10, 20)
AGENDA: list[dict[str, Any]] = [
    {"key": "krav-4.1", "section_key": "ska", "section_title": "SKA-krav",
     "text": "Ledningssystem ska finnas.", "kind": "ska_krav", "clause": "4.1",
     "answer": "bedomning", "area": "Ledning och kvalitet"},
    {"key": "krav-4.2", "section_key": "ska", "section_title": "SKA-krav",
     "text": "Genomförandeplan inom 14 dagar.", "kind": "ska_krav", "clause": "4.2",
     "answer": "bedomning", "area": "Individens planering"},
    {"key": "bor-1", "section_key": "ska", "section_title": "SKA-krav",
     "text": "Anhörigträffar bör erbjudas.", "kind": "bor_krav", "clause": "8.1",
     "answer": "bedomning", "area": "Resultat"},
    {"key": "fraga-1", "section_key": "ska", "section_title": "SKA-krav",
     "text": "Finns rutin för synpunkter?", "kind": "fraga", "answer": "bedomning"},
]  # fmt: skip


def builder(_session: Session, _f: FollowUp) -> list[dict[str, Any]]:
    return [dict(i) for i in AGENDA]


@dataclass
class Town:
    omsorg: Any
    klovern: Any
    solgarden: Any
    syd: Any
    klovervagen: Any
    f1: FollowUp
    f2: FollowUp
    f3: FollowUp
    f4: FollowUp
    f5: FollowUp
    f6: FollowUp
    f7: FollowUp


def _plan(session: Session, kind: FollowUpKind, unit: Any, contract: Any, day: date) -> FollowUp:
    return followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=kind,
            contractor_id=unit.contractor_id,
            unit_ids=[unit.id],
            contract_id=contract.id,
            planned_date=day,
            planned_time="09:00",
            place="Konferensrummet",
        ),
    )


def _held(
    session: Session,
    kind: FollowUpKind,
    unit: Any,
    contract: Any,
    day: date,
    results: dict[str, Result],
    finish: bool = True,
) -> FollowUp:
    f = _plan(session, kind, unit, contract, day)
    followups.start_followup(session, REVISOR, f.id, builder=builder)
    for key in ("krav-4.1", "krav-4.2", "bor-1", "fraga-1"):
        followups.save_assessment(
            session, REVISOR, f.id, key, result=results.get(key, Result.uppfyllt)
        )
    for finding in followups.findings_of(session, f.id):
        if finding.kind.value == "avvikelse":
            followups.confirm_finding(session, REVISOR, finding.id)
            followups.add_action(
                session, REVISOR, finding.id, "Revidera rutinen", "Verksamhetschef"
            )
        else:
            followups.confirm_finding(session, REVISOR, finding.id)
    if finish:
        check = followups.handover_check(session, f)
        followups.hand_over(session, REVISOR, f.id, unassessed_confirmed=check.unassessed_count)
        justera_and_store(session, CHEF, f.id)
    session.flush()
    return f


def build_town(session: Session) -> Town:
    """Register the municipality and its follow-ups (see the module's docstring)."""
    omsorg = registers.save_contractor(
        session, REVISOR, registers.ContractorInput("Omsorg AB", "556782-3413")
    )
    klovern = registers.save_contractor(
        session, REVISOR, registers.ContractorInput("Klövern Omsorg", "802476-5136")
    )
    solgarden = registers.save_unit(
        session, REVISOR, registers.UnitInput(omsorg.id, "Solgården", UnitKind.sarskilt_boende, 20)
    )
    syd = registers.save_unit(
        session, REVISOR, registers.UnitInput(omsorg.id, "Hemtjänst Syd", UnitKind.hemtjanst, 0)
    )
    klovervagen = registers.save_unit(
        session, REVISOR, registers.UnitInput(klovern.id, "Klövervägen", UnitKind.lss_bostad, 6)
    )
    k1 = registers.save_contract(
        session,
        REVISOR,
        registers.ContractInput(
            "VOF 2025/1", "Drift", omsorg.id, date(2025, 1, 1), date(2028, 12, 31),
            [solgarden.id, syd.id],
        ),
    )  # fmt: skip
    k2 = registers.save_contract(
        session,
        REVISOR,
        registers.ContractInput(
            "VOF 2025/2", "LSS", klovern.id, date(2025, 1, 1), date(2028, 12, 31), [klovervagen.id]
        ),
    )
    avtal, ledning = FollowUpKind.avtal, FollowUpKind.ledningssystem
    f1 = _held(
        session,
        avtal,
        solgarden,
        k1,
        date(2026, 3, 10),
        {"krav-4.1": Result.ej_uppfyllt, "fraga-1": Result.ej_aktuellt},
    )
    f3 = _held(session, ledning, syd, k1, date(2026, 5, 5), {})
    f2 = _held(
        session,
        avtal,
        syd,
        k1,
        date(2026, 9, 29),
        {"bor-1": Result.delvis_uppfyllt},
        finish=False,
    )
    f4 = _plan(session, avtal, syd, k1, date(2027, 3, 30))
    f5 = _held(session, avtal, klovervagen, k2, date(2026, 8, 18), {})
    f6 = _held(session, ledning, klovervagen, k2, date(2026, 8, 18), {})
    f7 = _plan(session, avtal, klovervagen, k2, date(2027, 2, 16))
    session.commit()
    return Town(omsorg, klovern, solgarden, syd, klovervagen, f1, f2, f3, f4, f5, f6, f7)
