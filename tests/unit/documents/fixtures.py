"""Data the document tests (and the minutes benchmark) build: a real staffing analysis of a
generated Solgården schedule, and a large follow-up (120 items, 40 findings, 100 actions)."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.demo import SOLGARDEN_RULES
from audit_app.models import (
    FindingKind,
    FollowUp,
    FollowUpKind,
    Method,
    Result,
    Role,
    StaffingAnalysis,
    UnitKind,
)
from audit_app.services import followups, registers
from audit_app.services.staffing.analysis import analyse
from audit_app.services.staffing.parsing import read_schedule
from audit_app.services.staffing.rules import load_rules

REVISOR = Actor("revisor", "Karin Ek", Role.revisor)  # no user id: works in any database

RULES: dict[str, Any] = SOLGARDEN_RULES
RULES_YAML = """\
unit: Solgården
sections: [Avd Lärkan, Avd Måsen]
places_per_section: 10
competence:
  usk: [undersköterska, usk, sjuksköterska]
periods:
  - {name: Dag, start: "07:00", end: "15:00", min_staff: 3, min_competent: 2}
  - {name: Kväll, start: "15:00", end: "21:30", min_staff: 2, min_competent: 1}
  - {name: Natt, start: "21:30", end: "07:00", min_staff: 1, min_competent: 1}
min_competent_hours_share: 0.75
"""
SHIFTS = [("07:00", "15:30", 3), ("15:00", "21:45", 2), ("21:30", "07:00", 1)]


def schedule_csv(first_day: date, days: int = 14, seed: int = 3) -> str:
    """A two-week schedule export of Solgården with a few gaps (semicolon CSV, no names kept)."""
    rng = random.Random(seed)
    lines = ["Datum;Start;Slut;Befattning;Avdelning;Namn"]
    person = 0
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for section in RULES["sections"]:
            for start, end, need in SHIFTS:
                staff = need - (1 if rng.random() < 0.08 and need > 1 else 0)
                for slot in range(staff):
                    role = "Undersköterska" if slot == 0 or rng.random() < 0.7 else "Vårdbiträde"
                    if need == 1 and rng.random() < 0.07:
                        role = "Vårdbiträde"
                    person += 1
                    lines.append(
                        f"{day.isoformat()};{start};{end};{role};{section};Person {person % 37}"
                    )
    return "\n".join(lines) + "\n"


def staffing_result(first_day: date, seed: int = 3) -> dict[str, Any]:
    """The analysis JSON (as the CLI prints it) plus the per-period table, from a real run."""
    rules = load_rules(RULES_YAML)
    schedule = read_schedule(schedule_csv(first_day, seed=seed).encode(), filename="schema.csv")
    result = analyse(schedule, rules)
    periods = result.periods.copy()
    periods["date"] = periods["date"].dt.strftime("%Y-%m-%d")
    keep = ["section", "date", "period", "present", "competent", "min_staff", "min_competent"]
    records = periods[[*keep, "staff_breach", "competent_breach"]].to_dict("records")
    clean = [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in rec.items()} for rec in records
    ]
    return result.to_json_dict() | {"periods": clean}


def staffing_analysis(followup: FollowUp, seed: int = 3) -> StaffingAnalysis:
    first = followup.planned_date - timedelta(days=21)
    result = staffing_result(first, seed)
    return StaffingAnalysis(
        followup_id=followup.id,
        filename="schema.csv",
        file_sha256="0" * 64,
        period_from=date.fromisoformat(result["from"]),
        period_to=date.fromisoformat(result["to"]),
        rules=RULES,
        result=result,
    )


def build_large_followup(
    session: Session,
    items: int = 120,
    findings: int = 40,
    actions: int = 100,
    text: str | None = None,
    comment: str | None = None,
) -> FollowUp:
    """A follow-up of Solgården with `items` SKA-krav, `findings` deviations, `actions` actions.

    `text` and `comment` replace the generated wording (hostile-content tests).
    """
    contractor = registers.save_contractor(
        session,
        REVISOR,
        registers.ContractorInput(
            text or "Omsorgshuset Vega AB", "556782-3413", "Maria Holm", "Verksamhetschef"
        ),
    )
    unit = registers.save_unit(
        session,
        REVISOR,
        registers.UnitInput(
            contractor.id, "Solgården", UnitKind.sarskilt_boende, 20, ["Avd Lärkan"]
        ),
    )
    contract = registers.save_contract(
        session,
        REVISOR,
        registers.ContractInput(
            dnr=f"VOF 2026/{uuid.uuid4().int % 900 + 100}",
            title="Drift av Solgårdens särskilda boende",
            contractor_id=contractor.id,
            valid_from=date(2025, 1, 1),
            valid_to=date(2028, 12, 31),
            unit_ids=[unit.id],
        ),
    )
    meeting = date(2026, 3, 3)
    followup = followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=FollowUpKind.avtal,
            contractor_id=contractor.id,
            unit_ids=[unit.id],
            contract_id=contract.id,
            planned_date=meeting,
            planned_time="09:00",
            place=text or "Enhetens konferensrum",
            methods=[Method.dokumentgranskning, Method.intervju],
            participants=[
                followups.Participant("Lars Berg", "Förvaltningschef", "kommun"),
                followups.Participant("Karin Ek", "Utvecklingsledare", "kommun"),
                followups.Participant("Maria Holm", "Verksamhetschef", "utforare"),
            ],
        ),
    )
    areas = ["Ledning och kvalitet", "Bemanning och kompetens", "Individens planering"]
    agenda = [
        {
            "key": f"krav-{n}",
            "section_key": "ska-krav",
            "section_title": "3. SKA-krav i avtalet och avvikelser",
            "text": text or f"Utföraren ska uppfylla krav nummer {n} i avtalet.",
            "guidance": "",
            "kind": "ska_krav",
            "clause": f"4.{n // 10}.{n % 10}",
            "answer": "bedomning",
            "unit": "",
            "area": areas[n % 3],
            "source": "contract",
        }
        for n in range(items)
    ]
    followups.start_followup(session, REVISOR, followup.id, builder=lambda _s, _f: agenda)
    failing = set(range(0, items, max(items // max(findings, 1), 1))[:findings])
    for n in range(items):
        result = Result.ej_uppfyllt if n in failing else Result.uppfyllt
        followups.save_assessment(
            session,
            REVISOR,
            followup.id,
            f"krav-{n}",
            result=result,
            comment=(comment or "Dokumentation saknas vid stickprov.") if n in failing else "",
        )
    proposed = [
        x for x in followups.findings_of(session, followup.id) if x.kind is FindingKind.avvikelse
    ]
    for x in proposed:
        followups.confirm_finding(session, REVISOR, x.id)
    for n in range(actions):
        finding = proposed[n % len(proposed)]
        followups.add_action(
            session,
            REVISOR,
            finding.id,
            text or f"Åtgärd {n + 1}: revidera rutinen och utbilda personalen",
            "Verksamhetschef",
            meeting + timedelta(days=30 + n % 60),
        )
    session.add(staffing_analysis(followup))
    session.flush()
    return followup
