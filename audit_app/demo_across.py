"""The demo's särskilt riktad uppföljning across contractors: the committee asked for a look
at night staffing and fall prevention at two care homes run by two different contractors (a
municipality of 60,000 has a handful of care homes; a political decision after lex Sarah
reports about nights is a typical reason). One agenda; the findings are per unit, and each
contractor gets its own återuppföljning for the avvikelse at its unit.

Made through the services like the rest of the demo; the helpers that date what is written
(`written_at`, `local`) and justera are passed in from `demo.py`, so this module needs nothing
from it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta

from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.domain import calendar
from audit_app.models import FindingKind, FollowUpKind, Method, Result, RiktadReason, Unit
from audit_app.services import followups

WrittenAt = Callable[[Session, datetime], AbstractContextManager[None]]
Local = Callable[[date, int, int], datetime]

PARTICIPANTS = [
    followups.Participant("Lars Berg", "Förvaltningschef", "kommun"),
    followups.Participant("Karin Ek", "Utvecklingsledare", "kommun"),
    followups.Participant("Maria Holm", "Verksamhetschef, Omsorgshuset Vega AB", "utforare"),
    followups.Participant("Sofia Nyberg", "Verksamhetschef, Trygga Händer Vård AB", "utforare"),
]

TEXT_ANSWERS = {
    "rikt-beslut": "Vård- och omsorgsutskottet, § 61, efter två lex Sarah-rapporter om nätter.",
    "rikt-avgransning": (
        "Solgården och Ekbacken: bemanning nattetid och arbetet med att förebygga fall."
    ),
    "rikt-fragestallning": (
        "Finns den bemanning nattetid som avtalen kräver? Görs riskbedömningar för fall och "
        "följs de upp?"
    ),
    "rikt-slutsats": (
        "Nattbemanningen motsvarar avtalen vid båda boendena. Riskbedömningar för fall saknas "
        "för flera boende på Solgården; på Ekbacken görs de men följs inte upp."
    ),
    "rikt-mottagare": "Vård- och omsorgsutskottet och kvalitetsrådet.",
}


def seed_riktad_across(
    session: Session,
    revisor: Actor,
    units: list[Unit],
    today: date,
    *,
    written_at: WrittenAt,
    local: Local,
    justera: Callable[[uuid.UUID, date], None],
) -> int:
    """Plan, hold and justera the riktad uppföljning over `units` (of two contractors), with an
    avvikelse at the first unit, a förbättringsområde at the second and actions for both;
    return the number of follow-ups made (the riktad and its two återuppföljningar)."""
    first, second = units
    held = today - timedelta(days=75)
    while not calendar.is_working_day(held):
        held += timedelta(days=1)
    with written_at(session, local(held - timedelta(days=21), 9, 15)):
        followup = followups.plan_followup(
            session,
            revisor,
            followups.PlanInput(
                kind=FollowUpKind.riktad,
                contractor_id=None,
                unit_ids=[first.id, second.id],
                title="Nattbemanning och fallprevention",
                planned_date=held,
                planned_time="09:00",
                place="Solgården och Ekbacken",
                methods=[Method.dokumentgranskning, Method.intervju, Method.oanmalt_besok],
                reason=RiktadReason.politiskt_beslut,
                reason_text="Utskottet vill veta hur nätterna bemannas efter två rapporter.",
                participants=PARTICIPANTS,
            ),
        )
    with written_at(session, local(held, 9, 30)):
        followups.start_followup(session, revisor, followup.id)
        for key, value in TEXT_ANSWERS.items():
            followups.save_assessment(session, revisor, followup.id, key, value=value)
        followups.save_assessment(session, revisor, followup.id, "rikt-underlag", value="ja")
        followups.save_assessment(session, revisor, followup.id, "rikt-intervjuer", value="6")
        followups.save_assessment(
            session,
            revisor,
            followup.id,
            "rikt-observation",
            value="ja",
            comment="Oanmälda besök en natt på vardera boendet.",
        )
        followups.save_assessment(
            session,
            revisor,
            followup.id,
            "rikt-krav",
            result=Result.delvis_uppfyllt,
            comment="Riskbedömning för fall saknas i sex av tolv genomförandeplaner på Solgården.",
        )
        followups.save_assessment(
            session,
            revisor,
            followup.id,
            "rikt-tidigare-brister",
            result=Result.uppfyllt,
            comment="",
        )
        followups.save_assessment(
            session,
            revisor,
            followup.id,
            "rikt-rutiner",
            result=Result.delvis_uppfyllt,
            comment="Riskbedömningar för fall görs på Ekbacken men följs inte upp efter fall.",
        )
        for proposal in followups.findings_of(session, followup.id):
            if proposal.item_key == "rikt-krav":  # a breach of the contract: an avvikelse below
                followups.reject_finding(
                    session,
                    revisor,
                    proposal.id,
                    "Bristen strider mot avtalet och registreras som avvikelse för Solgården.",
                )
                continue
            followups.confirm_finding(session, revisor, proposal.id, unit_id=second.id)
            followups.add_action(
                session,
                revisor,
                proposal.id,
                "Följa upp riskbedömningen efter varje fall och redovisa i teamträffen",
                "Verksamhetschef",
                held + timedelta(days=60),
            )
        deviation = followups.add_finding(
            session,
            revisor,
            followup.id,
            FindingKind.avvikelse,
            "Riskbedömning för fall saknas",
            "Sex av tolv granskade genomförandeplaner saknar riskbedömning för fall, vilket "
            "avtalet och kommunens rutin kräver.",
            item_key="rikt-krav",
            area="Trygghet och säkerhet",
            unit_id=first.id,
        )
        followups.add_action(
            session,
            revisor,
            deviation.id,
            "Göra riskbedömning för fall för samtliga boende och redovisa till kommunen",
            "Enhetschef",
            held + timedelta(days=45),
        )
        followups.save_assessment(session, revisor, followup.id, "rikt-ateruppfoljning", value="ja")
        check = followups.handover_check(session, followups.get_followup(session, followup.id))
        followups.hand_over(
            session, revisor, followup.id, unassessed_confirmed=check.unassessed_count
        )
    justera(followup.id, held)
    return 1 + len(followups.rechecks_of(session, followup.id))
