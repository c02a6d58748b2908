"""The follow-ups of a period as they stood when it ended, and the pieces the reports share.

Both period reports (the quarterly report to kvalitetsrådet and the yearly contribution to the
kvalitetsberättelse) count what the record said at the end of the period's last day (or of
today, while the period runs): follow-ups held by then, findings and actions as they were, from
the dated records and the change log (`as_of`). They go to political bodies and a forum: roles,
never names, and free text only from findings marked for the committee.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from audit_app import clock
from audit_app.auth import Actor, display_names, reads
from audit_app.db import rows_of
from audit_app.domain import calendar, labels
from audit_app.domain.agenda import AgendaItem, parse_agenda
from audit_app.domain.signals import Counted
from audit_app.domain.svtext import (
    ATGARD,
    FORSENAD,
    OPPEN,
    Noun,
    amount,
    capitalize,
    in_words,
    number,
    sv_date,
    sv_join,
    sv_period,
)
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
    FollowUpKind,
    FollowUpStatus,
    Result,
)
from audit_app.services import followups
from audit_app.services.documents.as_of import AsOf
from audit_app.services.documents.data import DASH
from audit_app.services.documents.logo import logo_picture
from audit_app.services.documents.parts import finding_area
from audit_app.services.documents.redact import Redactor
from audit_app.services.settings import DocumentSettings, document_settings
from audit_app.services.signals import counted_between

HELD = (FollowUpStatus.pagar, FollowUpStatus.klar, FollowUpStatus.justerad)
"""A follow-up that has started has been held (its meeting took place on its date)."""


@dataclass
class PeriodData:
    """The follow-ups held in a period, with their findings and actions, as of its end."""

    date_from: date
    date_to: date
    as_of: date  # the day the figures are counted at (the period's end, or today)
    followups: list[FollowUp]  # held in the period, as they were
    contractors: dict[uuid.UUID, str]
    units: dict[uuid.UUID, list[str]]
    # The contractors' names per follow-up, from its units (several for a riktad uppföljning
    # across contractors, none for the committee's kontroll av biståndsärenden).
    owners: dict[uuid.UUID, list[str]]
    assessments: dict[uuid.UUID, dict[str, Assessment]]
    findings: dict[uuid.UUID, list[Finding]]  # as they were (kind, status)
    actions: dict[uuid.UUID, list[Action]]  # per finding, as they were
    open_actions: list[Action] = field(default_factory=list)  # every action open at the end
    verified_in_period: int = 0
    not_held: list[FollowUp] = field(default_factory=list)  # planned in the period, not held
    planned_after: list[FollowUp] = field(default_factory=list)  # the next 12 months, as of then
    today: date = field(default_factory=date.today)
    names: dict[uuid.UUID, str] = field(default_factory=dict)  # user id -> display name
    settings: DocumentSettings = field(default_factory=DocumentSettings)
    # Signals about the contractors in the period, summed per kind (lex Sarah, klagomål...).
    signals: list[Counted] = field(default_factory=list)
    agendas: dict[uuid.UUID, dict[str, AgendaItem]] = field(init=False)

    def __post_init__(self) -> None:
        self.agendas = {f.id: {i.key: i for i in parse_agenda(f.agenda)} for f in self.followups}

    def live_findings(self, followup_id: uuid.UUID) -> list[Finding]:
        """Findings decided by the end of the period (not proposals, not dismissed)."""
        return [
            f
            for f in self.findings.get(followup_id, [])
            if f.status in (FindingStatus.bekraftad, FindingStatus.stangd)
        ]

    def all_findings(self) -> list[tuple[FollowUp, Finding]]:
        return [(f, x) for f in self.followups for x in self.live_findings(f.id)]

    @property
    def overdue_at_end(self) -> int:
        day_after = self.as_of + timedelta(days=1)
        return sum(
            1 for a in self.open_actions if calendar.is_overdue(a.due_date, a.status, day_after)
        )

    @property
    def justerade(self) -> int:
        return sum(1 for f in self.followups if f.status is FollowUpStatus.justerad)


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


Made = TypeVar("Made", Finding, Action)


def _then(
    session: Session, past: AsOf, model: type[Made], key: Any, ids: list[uuid.UUID]
) -> list[Made]:
    """The records of `model` whose `key` is one of `ids`, oldest first, as they stood then."""
    if not ids:
        return []
    return past.all(rows_of(session, model, col(key).in_(ids), order_by=col(model.created_at)))


@reads
def load_period(
    session: Session, actor: Actor, date_from: date, date_to: date, today: date | None = None
) -> PeriodData:
    """The period's follow-ups, findings and actions as they stood at its end (or today)."""
    if date_to < date_from:
        raise ValidationFailed(["Perioden: slutdatum ligger före startdatum."])
    today = today or clock.today()
    as_of_day = min(date_to, today)
    past = AsOf(session, as_of_day)
    visible = followups.list_followups(
        session, actor=actor, flt=followups.FollowUpFilter(newest_first=False)
    )
    then = past.all(visible)
    held = [f for f in then if date_from <= f.planned_date <= date_to and f.status in HELD]
    unit_order = followups.unit_names(session, [f.id for f in held])
    held.sort(key=lambda f: (f.planned_date, f.kind.value, unit_order.get(f.id, [])))
    not_held = [
        f
        for f in then
        if date_from <= f.planned_date <= as_of_day and f.status is FollowUpStatus.planerad
    ]
    planned_after = [
        f
        for f in then
        if as_of_day < f.planned_date <= as_of_day + timedelta(days=365)
        and f.status is FollowUpStatus.planerad
    ]
    ids = [f.id for f in held]
    visible_ids = [f.id for f in then]
    assessments: dict[uuid.UUID, dict[str, Assessment]] = defaultdict(dict)
    findings: dict[uuid.UUID, list[Finding]] = defaultdict(list)
    actions: dict[uuid.UUID, list[Action]] = defaultdict(list)
    if ids:
        rows = session.exec(select(Assessment).where(col(Assessment.followup_id).in_(ids)))
        for answer in past.all(list(rows)):
            assessments[answer.followup_id][answer.item_key] = answer
    all_findings = _then(session, past, Finding, Finding.followup_id, visible_ids)
    held_ids = set(ids)
    for x in all_findings:
        if x.followup_id in held_ids:
            findings[x.followup_id].append(x)
    live_ids = [
        x.id for x in all_findings if x.status in (FindingStatus.bekraftad, FindingStatus.stangd)
    ]
    every_action = _then(session, past, Action, Action.finding_id, live_ids)
    in_period = {x.id for x in all_findings if x.followup_id in held_ids}
    for a in every_action:
        if a.finding_id in in_period:
            actions[a.finding_id].append(a)
    return PeriodData(
        date_from=date_from,
        date_to=date_to,
        as_of=as_of_day,
        followups=held,
        contractors={c.id: c.name for c in session.exec(select(Contractor))},
        units=followups.unit_names(session, [f.id for f in then]),
        owners=followups.contractor_names(session, [f.id for f in then]),
        assessments=dict(assessments),
        findings=dict(findings),
        actions=dict(actions),
        open_actions=[a for a in every_action if a.status in calendar.OPEN_ACTION],
        verified_in_period=sum(
            1
            for a in every_action
            if a.status is ActionStatus.verifierad
            and a.verified_at is not None
            and date_from <= a.verified_at <= date_to
        ),
        not_held=not_held,
        planned_after=planned_after,
        today=today,
        names=display_names(session, [f.justerad_by_id for f in held]),
        settings=document_settings(session),
        signals=counted_between(session, date_from - timedelta(days=1), as_of_day),
    )


# --------------------------------------------------------------------------- shared pieces


def at_end(pd: PeriodData, period: str = "periodens") -> str:
    """When the figures stand: 'vid årets slut', or the report's day while the period runs."""
    return f"vid {period} slut" if pd.as_of >= pd.date_to else f"den {sv_date(pd.as_of)}"


def open_actions_sentence(when: str, n_open: int, n_overdue: int) -> str:
    """'Vid årets slut var tre åtgärder öppna, varav en försenad.' (number agreement); `when`
    is 'vid årets slut' or 'den 16 mars 2026'."""
    when = capitalize(when)
    if n_open == 0:
        return f"{when} fanns inga öppna åtgärder."
    words = in_words(n_open, n_overdue)
    opened = f"{amount(n_open, ATGARD, words=words)} {OPPEN.agree(ATGARD, n_open)}"
    if n_open == 1:
        late = ", och den var försenad" if n_overdue else ""
        return f"{when} var {opened}{late}."
    if not n_overdue:
        return f"{when} var {opened}, ingen av dem försenad."
    late = f"{number(n_overdue, ATGARD, words=words)} {FORSENAD.agree(ATGARD, n_overdue)}"
    return f"{when} var {opened}, varav {late}."


def period_redactor(pd: PeriodData) -> Redactor:
    """Replace the names of every participant and justerare of the period by their role."""
    people = []
    for f in pd.followups:
        people += [(str(p.get("name", "")), str(p.get("role", ""))) for p in f.participants]
        if f.justerad_by_id in pd.names:
            people.append((pd.names[f.justerad_by_id], "förvaltningschef"))
    return Redactor(people)


def met_of(pd: PeriodData, f: FollowUp) -> tuple[int, int]:
    """(met, judged) over the follow-up's requirements, or all items with a bedömning."""
    items = [i for i in pd.agendas[f.id].values() if i.is_assessment()]
    reqs = [i for i in items if i.is_requirement] or items
    mine = pd.assessments.get(f.id, {})
    results = [mine[i.key].result for i in reqs if i.key in mine]
    judged = [
        r for r in results if r in (Result.uppfyllt, Result.delvis_uppfyllt, Result.ej_uppfyllt)
    ]
    return sum(1 for r in judged if r is Result.uppfyllt), len(judged)


def followup_rows(pd: PeriodData) -> list[dict[str, Any]]:
    """One row per follow-up of the period: date, contractor, units, kind, findings, result."""
    rows = []
    for f in pd.followups:
        findings = pd.live_findings(f.id)
        met, judged = met_of(pd, f)
        rows.append(
            {
                "date": sv_date(f.planned_date),
                "contractor": sv_join(pd.owners.get(f.id, [])) or DASH,
                "units": sv_join(pd.units.get(f.id, [])) or DASH,
                "kind": labels.KIND_LABELS[f.kind],
                "deviations": sum(1 for x in findings if x.kind is FindingKind.avvikelse),
                "improvements": sum(
                    1 for x in findings if x.kind is FindingKind.forbattringsomrade
                ),
                "met": f"{met} av {judged}" if judged else DASH,
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


def area_outcomes(pd: PeriodData) -> list[dict[str, Any]]:
    """The avvikelser per area and where they stood at the end: closed (every action verified),
    actions under way, or no action registered."""
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for f, x in pd.all_findings():
        if x.kind is not FindingKind.avvikelse:
            continue
        c = by_area[finding_area(x, pd.agendas[f.id])]
        c["total"] += 1
        if x.status is FindingStatus.stangd:
            c["closed"] += 1
        elif pd.actions.get(x.id):
            c["ongoing"] += 1
        else:
            c["missing"] += 1
    return _area_rows(by_area, ("total", "closed", "ongoing", "missing"))


def area_actions(pd: PeriodData) -> list[dict[str, Any]]:
    """The period's actions per area: decided, verified, open and overdue at the end."""
    day_after = pd.as_of + timedelta(days=1)
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
                c["overdue"] += calendar.is_overdue(a.due_date, a.status, day_after)
    return _area_rows(by_area, ("total", "verified", "open", "overdue"))


def _area_rows(by_area: dict[str, Counter[str]], counts: tuple[str, ...]) -> list[dict[str, Any]]:
    """A row per area with these counts (0 where none), the largest total first."""
    rows: list[dict[str, Any]] = [
        {"area": area} | {k: c[k] for k in counts} for area, c in by_area.items()
    ]
    rows.sort(key=lambda r: (-(r["total"]), r["area"]))
    return rows


def totals(pd: PeriodData) -> dict[str, int]:
    """Follow-ups, contractors, units, deviations, improvement areas and actions of the period."""
    findings = pd.all_findings()
    return {
        "followups": len(pd.followups),
        "contractors": len({c for f in pd.followups for c in pd.owners.get(f.id, [])}),
        "units": len({u for f in pd.followups for u in pd.units.get(f.id, [])}),
        "deviations": sum(1 for _, x in findings if x.kind is FindingKind.avvikelse),
        "improvements": sum(1 for _, x in findings if x.kind is FindingKind.forbattringsomrade),
        "actions": sum(len(pd.actions.get(x.id, [])) for _, x in findings),
    }


def per_kind(pd: PeriodData) -> list[tuple[int, Noun]]:
    """How many of each kind were held, for a list ('en uppföljning av avtal och två
    återuppföljningar'), in the order of the kinds."""
    counts = Counter(f.kind for f in pd.followups)
    return [(counts[k], labels.KIND_NOUNS[k]) for k in FollowUpKind if counts[k]]


def period_base(pd: PeriodData, doc_type: str, report_date: date) -> dict[str, Any]:
    """The head and foot fields every template has, for a report over a period."""
    kommun, forvaltning = pd.settings.names()
    return {
        "kommun": kommun,
        "forvaltning": forvaltning,
        "doc_type": doc_type,
        "datum": sv_date(report_date),
        "dnr": "",
        "version": "",
        "draft_text": "",
        "logo": logo_picture(),
    }


def as_of_sentence(pd: PeriodData) -> str:
    """'Siffrorna avser läget den 31 december 2025.'"""
    return f"Siffrorna avser läget den {sv_date(pd.as_of)}."
