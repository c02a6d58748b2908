"""The follow-ups of a period, bulk-loaded, and the pieces the period reports share.

Both period reports (the quarterly summary and the yearly contribution) go to political bodies:
roles, never names, and free text only from findings marked for the committee.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from audit_app.auth import Actor, display_names, reads
from audit_app.config import get_settings
from audit_app.domain import calendar, labels
from audit_app.domain.agenda import AgendaItem, parse_agenda
from audit_app.domain.signals import Counted
from audit_app.domain.svtext import sv_date, sv_join, sv_period
from audit_app.errors import ValidationFailed
from audit_app.models import (
    Action,
    ActionStatus,
    Assessment,
    Contractor,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpStatus,
    Result,
)
from audit_app.services import followups
from audit_app.services.documents.data import DASH
from audit_app.services.documents.parts import NOT_JUDGED, finding_area
from audit_app.services.documents.redact import Redactor
from audit_app.services.signals import counted_between

DONE = (FollowUpStatus.klar, FollowUpStatus.justerad)


@dataclass
class PeriodData:
    """The follow-ups of a period with their assessments, findings and actions (bulk-loaded)."""

    date_from: date
    date_to: date
    followups: list[FollowUp]
    contractors: dict[uuid.UUID, str]
    units: dict[uuid.UUID, list[str]]
    assessments: dict[uuid.UUID, dict[str, Assessment]]
    findings: dict[uuid.UUID, list[Finding]]
    actions: dict[uuid.UUID, list[Action]]
    verified_in_period: int = 0
    open_at_end: int = 0
    overdue_at_end: int = 0
    planned_after: int = 0
    not_done: int = 0
    today: date = field(default_factory=date.today)
    names: dict[uuid.UUID, str] = field(default_factory=dict)  # user id -> display name
    # Signals about the contractors in the period, summed per kind (lex Sarah, klagomål...).
    signals: list[Counted] = field(default_factory=list)
    agendas: dict[uuid.UUID, dict[str, AgendaItem]] = field(init=False)

    def __post_init__(self) -> None:
        self.agendas = {f.id: {i.key: i for i in parse_agenda(f.agenda)} for f in self.followups}

    def live_findings(self, followup_id: uuid.UUID) -> list[Finding]:
        return [
            f for f in self.findings.get(followup_id, []) if f.status is not FindingStatus.avfardad
        ]

    def all_findings(self) -> list[tuple[FollowUp, Finding]]:
        return [(f, x) for f in self.followups for x in self.live_findings(f.id)]


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationFailed(["Kvartal: välj 1, 2, 3 eller 4."])
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def period_label(first: date, last: date) -> str:
    """'kvartal 2 2026', '2026' or the period written out."""
    for q in (1, 2, 3, 4):
        if (first, last) == quarter_bounds(first.year, q):
            return f"kvartal {q} {first.year}"
    if first == date(first.year, 1, 1) and last == date(first.year, 12, 31):
        return str(first.year)
    return sv_period(first, last)


@reads
def load_period(
    session: Session, actor: Actor, date_from: date, date_to: date, today: date | None = None
) -> PeriodData:
    """Load the follow-ups done (klar or justerad) in the period, and the action figures."""
    if date_to < date_from:
        raise ValidationFailed(["Perioden: slutdatum ligger före startdatum."])
    today = today or date.today()
    done = followups.list_followups(
        session,
        followups.FollowUpFilter(
            date_from=date_from, date_to=date_to, statuses=list(DONE), newest_first=False
        ),
        actor=actor,
    )
    ids = [f.id for f in done]
    contractors = {c.id: c.name for c in session.exec(select(Contractor))}
    assessments: dict[uuid.UUID, dict[str, Assessment]] = defaultdict(dict)
    findings: dict[uuid.UUID, list[Finding]] = defaultdict(list)
    actions: dict[uuid.UUID, list[Action]] = defaultdict(list)
    if ids:
        for a in session.exec(select(Assessment).where(col(Assessment.followup_id).in_(ids))):
            assessments[a.followup_id][a.item_key] = a
        rows = session.exec(
            select(Finding)
            .where(col(Finding.followup_id).in_(ids))
            .order_by(col(Finding.created_at))
        )
        finding_ids = []
        for x in rows:
            findings[x.followup_id].append(x)
            finding_ids.append(x.id)
        if finding_ids:
            for action in session.exec(
                select(Action)
                .where(col(Action.finding_id).in_(finding_ids))
                .order_by(col(Action.created_at))
            ):
                actions[action.finding_id].append(action)
    cutoff = min(date_to, today)
    verified = session.exec(
        select(Action).where(
            Action.status == ActionStatus.verifierad,
            col(Action.verified_at) >= date_from,
            col(Action.verified_at) <= date_to,
        )
    ).all()
    open_rows = session.exec(
        select(Action)
        .join(Finding, col(Finding.id) == Action.finding_id)
        .join(FollowUp, col(FollowUp.id) == Finding.followup_id)
        .where(col(Action.status).in_(calendar.OPEN_ACTION), FollowUp.planned_date <= date_to)
    ).all()
    planned_after = session.exec(
        select(FollowUp).where(
            FollowUp.planned_date > date_to,
            FollowUp.planned_date <= date_to + timedelta(days=365),
            FollowUp.status == FollowUpStatus.planerad,
        )
    ).all()
    not_done = session.exec(
        select(FollowUp).where(
            FollowUp.planned_date >= date_from,
            FollowUp.planned_date <= min(date_to, today),
            col(FollowUp.status).in_([FollowUpStatus.planerad, FollowUpStatus.pagar]),
        )
    ).all()
    return PeriodData(
        date_from=date_from,
        date_to=date_to,
        followups=done,
        contractors=contractors,
        units=followups.unit_names(session, ids),
        assessments=dict(assessments),
        findings=dict(findings),
        actions=dict(actions),
        verified_in_period=len(verified),
        open_at_end=len(open_rows),
        overdue_at_end=sum(
            1 for a in open_rows if followups.is_overdue(a, cutoff + timedelta(days=1))
        ),
        planned_after=len(planned_after),
        not_done=len(not_done),
        today=today,
        names=display_names(session, [f.justerad_by_id for f in done]),
        signals=counted_between(session, date_from - timedelta(days=1), date_to),
    )


# --------------------------------------------------------------------------- shared pieces


def open_actions_sentence(when: str, n_open: int, n_overdue: int) -> str:
    """'Vid årets slut var 3 åtgärder öppna, varav 1 försenad.' (singular and plural right)."""
    if n_open == 0:
        return f"Vid {when} fanns inga öppna åtgärder."
    if n_open == 1:
        return f"Vid {when} var 1 åtgärd öppen" + (", och den var försenad." if n_overdue else ".")
    late = (
        ", ingen av dem försenad"
        if not n_overdue
        else f", varav {n_overdue} {'försenad' if n_overdue == 1 else 'försenade'}"
    )
    return f"Vid {when} var {n_open} åtgärder öppna{late}."


def period_redactor(pd: PeriodData) -> Redactor:
    """Replace the names of every participant and justerare of the period by their role."""
    people = []
    for f in pd.followups:
        people += [(str(p.get("name", "")), str(p.get("role", ""))) for p in f.participants]
        if f.justerad_by_id in pd.names:
            people.append((pd.names[f.justerad_by_id], "förvaltningschef"))
    return Redactor(people)


def met_of(pd: PeriodData, f: FollowUp) -> tuple[int, int]:
    """(met, assessed) over the follow-up's requirements, or all assessed items."""
    items = [i for i in pd.agendas[f.id].values() if i.is_assessment()]
    reqs = [i for i in items if i.is_requirement] or items
    mine = pd.assessments.get(f.id, {})
    results = [mine[i.key].result for i in reqs if i.key in mine]
    assessed = [r for r in results if r not in NOT_JUDGED]
    return sum(1 for r in assessed if r is Result.uppfyllt), len(assessed)


def followup_rows(pd: PeriodData) -> list[dict[str, Any]]:
    """One row per follow-up of the period: date, contractor, units, kind, findings, result."""
    rows = []
    for f in pd.followups:
        findings = pd.live_findings(f.id)
        met, assessed = met_of(pd, f)
        rows.append(
            {
                "date": sv_date(f.planned_date),
                "contractor": pd.contractors.get(f.contractor_id, ""),
                "units": sv_join(pd.units.get(f.id, [])) or DASH,
                "kind": labels.KIND_LABELS[f.kind],
                "deviations": sum(1 for x in findings if x.kind is FindingKind.avvikelse),
                "improvements": sum(
                    1 for x in findings if x.kind is FindingKind.forbattringsomrade
                ),
                "met": f"{met} av {assessed}" if assessed else DASH,
                "status": labels.STATUS_LABELS[f.status],
            }
        )
    return rows


def area_findings(pd: PeriodData) -> list[dict[str, Any]]:
    """Deviations and improvement areas per area, most deviations first."""
    by_area: dict[str, Counter[FindingKind]] = defaultdict(Counter)
    for f, x in pd.all_findings():
        if x.kind is FindingKind.iakttagelse:
            continue
        by_area[finding_area(x, pd.agendas[f.id])][x.kind] += 1
    rows: list[dict[str, Any]] = [
        {
            "area": area,
            "deviations": c.get(FindingKind.avvikelse, 0),
            "improvements": c.get(FindingKind.forbattringsomrade, 0),
        }
        for area, c in by_area.items()
    ]
    rows.sort(key=lambda r: (-(r["deviations"]), -(r["improvements"]), r["area"]))
    return rows


def area_actions(pd: PeriodData) -> list[dict[str, Any]]:
    """Actions per area: decided, verified, open and overdue."""
    cutoff = min(pd.date_to, pd.today) + timedelta(days=1)
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for f, x in pd.all_findings():
        area = finding_area(x, pd.agendas[f.id])
        for a in pd.actions.get(x.id, []):
            c = by_area[area]
            c["total"] += 1
            if a.status is ActionStatus.verifierad:
                c["verified"] += 1
            else:
                c["open"] += 1
                c["overdue"] += followups.is_overdue(a, cutoff)
    rows: list[dict[str, Any]] = [
        {
            "area": area,
            "total": c["total"],
            "verified": c["verified"],
            "open": c["open"],
            "overdue": c["overdue"],
        }
        for area, c in by_area.items()
    ]
    rows.sort(key=lambda r: (-(r["total"]), r["area"]))
    return rows


def totals(pd: PeriodData) -> dict[str, int]:
    """Follow-ups, contractors, units, deviations, improvement areas and actions of the period."""
    findings = pd.all_findings()
    return {
        "followups": len(pd.followups),
        "contractors": len({f.contractor_id for f in pd.followups}),
        "units": len({u for f in pd.followups for u in pd.units.get(f.id, [])}),
        "deviations": sum(1 for _, x in findings if x.kind is FindingKind.avvikelse),
        "improvements": sum(1 for _, x in findings if x.kind is FindingKind.forbattringsomrade),
        "actions": sum(len(pd.actions.get(x.id, [])) for _, x in findings),
    }


def period_base(doc_type: str, report_date: date) -> dict[str, Any]:
    """The head and foot fields every template has, for a report over a period."""
    settings = get_settings()
    return {
        "kommun": settings.municipality,
        "forvaltning": settings.administration,
        "doc_type": doc_type,
        "datum": sv_date(report_date),
        "dnr": "",
        "version": 1,
        "draft": False,
    }
