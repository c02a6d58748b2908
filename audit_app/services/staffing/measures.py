"""The staffing answers of agenda point 2, filled from the latest schedule analysis.

Items of the checklist declare what they measure (`measure:`); when an analysis is saved, each
such item gets what the analysis says (kept on the answer, shown beside it and in the minutes)
and, while no person has answered it, the answer itself. A revisor who judges "uppfyllt"
against an analysis below the commitment is asked to confirm it with a reason
(`followups.confirm_against_measure`); hand-over waits until that is done.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from audit_app.auth import CONDUCT, Actor, require
from audit_app.domain.svtext import (
    PASS,
    capitalize,
    count,
    percent_value,
    sv_date,
    sv_percent,
    sv_period,
)
from audit_app.models import FollowUp, Result, StaffingAnalysis, StaffingMeasure
from audit_app.services import followups
from audit_app.services.staffing.analysis import iso_date


@dataclass(frozen=True)
class MeasureAnswer:
    """What an analysis says about one measure: text, commitment met, and the answer."""

    text: str
    met: bool | None
    result: Result | None = None
    value: str | None = None


def _breaches(result: Mapping[str, Any], kind: str) -> int:
    return sum(1 for b in result.get("breaches") or [] if b.get("kind") == kind)


def measure_answers(result: Mapping[str, Any]) -> dict[StaffingMeasure, MeasureAnswer]:
    """Every measure an analysis answers."""
    shifts = len(result.get("periods") or [])
    first, last = iso_date(result.get("from")), iso_date(result.get("to"))
    out: dict[StaffingMeasure, MeasureAnswer] = {}
    if first is not None:
        out[StaffingMeasure.period_start] = MeasureAnswer(
            f"Schemat omfattar {sv_period(first, last)}.", None, value=first.isoformat()
        )
    staff = _breaches(result, "staff")
    out[StaffingMeasure.staff] = MeasureAnswer(
        f"{capitalize(count(staff, PASS))} av {shifts} hade färre i tjänst än åtagandet."
        if staff
        else f"Alla {shifts} pass hade minst så många i tjänst som åtagandet.",
        staff == 0,
        Result.uppfyllt if staff == 0 else Result.ej_uppfyllt,
    )
    competent = _breaches(result, "competent")
    share = result.get("competent_share")
    required = result.get("min_competent_hours_share")
    share_low = bool(result.get("share_breached"))
    parts = [
        f"{capitalize(count(competent, PASS))} av {shifts} hade för få med kompetens"
        if competent
        else f"Alla {shifts} pass hade den kompetens åtagandet kräver"
    ]
    if share is not None:
        parts.append(
            f"{sv_percent(float(share))} av timmarna med kompetent personal"
            + (f" (åtagandet {sv_percent(float(required))})" if required is not None else "")
        )
    out[StaffingMeasure.competence] = MeasureAnswer(
        "; ".join(parts) + ".",
        competent == 0 and not share_low,
        Result.uppfyllt if competent == 0 and not share_low else Result.ej_uppfyllt,
    )
    if share is not None:
        out[StaffingMeasure.competent_share] = MeasureAnswer(
            parts[-1][0].upper() + parts[-1][1:] + ".",
            not share_low if required is not None else None,
            value=str(percent_value(float(share))),
        )
    return out


def apply_measures(
    session: Session, actor: Actor, followup: FollowUp, analysis: StaffingAnalysis
) -> int:
    """Give every measured agenda item what the analysis says; return how many items."""
    require(actor, CONDUCT, "spara schemagranskningar")
    answers = measure_answers(analysis.result)
    done = 0
    for item in followups.agenda_of(followup):
        if item.measure is None or item.measure not in answers:
            continue
        answer = answers[item.measure]
        followups.record_measure(
            session,
            actor,
            followup.id,
            item.key,
            measured=f"Schemagranskningen {sv_date(analysis.created_at)}: {answer.text}",
            met=answer.met,
            analysis_id=analysis.id,
            result=answer.result,
            value=answer.value,
        )
        done += 1
    return done
