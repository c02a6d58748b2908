"""Reports over a period: the quarterly summary for kvalitetsrådet and the yearly contribution
to the kvalitetsberättelse (seed 003). Both go to political bodies: roles, never names, and
free text only from findings marked for the committee.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from audit_app.auth import display_names
from audit_app.config import get_settings
from audit_app.domain import calendar, labels
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
    Method,
    Result,
)
from audit_app.services import followups as fu
from audit_app.services.documents import (
    TemplateSpec,
    count_text,
    register_template,
    render_docx,
    safe_filename,
    sv_date,
    sv_join,
    sv_percent,
    sv_period,
)
from audit_app.services.minutes import (
    COMMITTEE_TEMPLATE,
    DASH,
    Redactor,
    committee_context,
    finding_area,
    lessons_of,
    lower_first,
    sample_data,
)

YEARLY_TEMPLATE = "kvalitetsberattelse_bidrag.docx"
DONE = (FollowUpStatus.klar, FollowUpStatus.justerad)
FREQUENCY: dict[FollowUpKind, str] = {
    FollowUpKind.avtal: "Två gånger per år och verksamhet",
    FollowUpKind.ledningssystem: "En gång per halvår",
    FollowUpKind.kvalitetsrevision: "Enligt utskottets uppdrag",
    FollowUpKind.riktad: "Vid behov",
    FollowUpKind.bistandsarenden: "Vid varje sammanträde i utskottet",
    FollowUpKind.ateruppfoljning: "Inom tre månader efter avvikelse",
}
KIND_ORDER = list(FollowUpKind)


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

    def live_findings(self, followup_id: uuid.UUID) -> list[Finding]:
        return [
            f for f in self.findings.get(followup_id, []) if f.status is not FindingStatus.avfardad
        ]

    def all_findings(self) -> list[tuple[FollowUp, Finding]]:
        return [(f, x) for f in self.followups for x in self.live_findings(f.id)]


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValidationFailed(["Kvartal: välj 1, 2, 3 eller 4."])
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def period_label(first: date, last: date) -> str:
    for q in (1, 2, 3, 4):
        if (first, last) == quarter_bounds(first.year, q):
            return f"kvartal {q} {first.year}"
    if first == date(first.year, 1, 1) and last == date(first.year, 12, 31):
        return str(first.year)
    return sv_period(first, last)


def load_period(
    session: Session, date_from: date, date_to: date, today: date | None = None
) -> PeriodData:
    """Load the follow-ups done (klar or justerad) in the period, and the action figures."""
    if date_to < date_from:
        raise ValidationFailed(["Perioden: slutdatum ligger före startdatum."])
    today = today or date.today()
    followups = fu.list_followups(
        session,
        fu.FollowUpFilter(
            date_from=date_from, date_to=date_to, statuses=list(DONE), newest_first=False
        ),
    )
    ids = [f.id for f in followups]
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
        followups=followups,
        contractors=contractors,
        units=fu.unit_names(session, ids),
        assessments=dict(assessments),
        findings=dict(findings),
        actions=dict(actions),
        verified_in_period=len(verified),
        open_at_end=len(open_rows),
        overdue_at_end=sum(1 for a in open_rows if fu.is_overdue(a, cutoff + timedelta(days=1))),
        planned_after=len(planned_after),
        not_done=len(not_done),
        today=today,
        names=display_names(session, [f.justerad_by_id for f in followups]),
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


def _redactor(pd: PeriodData) -> Redactor:
    people = []
    for f in pd.followups:
        people += [(str(p.get("name", "")), str(p.get("role", ""))) for p in f.participants]
        if f.justerad_by_id in pd.names:
            people.append((pd.names[f.justerad_by_id], "förvaltningschef"))
    return Redactor(people)


def _counts(pd: PeriodData, f: FollowUp) -> tuple[int, int]:
    """(met, assessed) over the follow-up's requirements, or all assessed items."""
    items = [i for i in f.agenda if i.get("answer", "bedomning") == "bedomning"]
    reqs = [i for i in items if i.get("kind") in ("ska_krav", "bor_krav")] or items
    mine = pd.assessments.get(f.id, {})
    results = [mine[i["key"]].result for i in reqs if i["key"] in mine]
    assessed = [r for r in results if r not in (Result.ej_bedomd, Result.ej_aktuellt)]
    return sum(1 for r in assessed if r is Result.uppfyllt), len(assessed)


def _followup_rows(pd: PeriodData) -> list[dict[str, Any]]:
    rows = []
    for f in pd.followups:
        findings = pd.live_findings(f.id)
        met, assessed = _counts(pd, f)
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


def _area_findings(pd: PeriodData) -> list[dict[str, Any]]:
    by_area: dict[str, Counter[FindingKind]] = defaultdict(Counter)
    for f, x in pd.all_findings():
        if x.kind is FindingKind.iakttagelse:
            continue
        by_area[finding_area(x, {i["key"]: i for i in f.agenda})][x.kind] += 1
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


def _area_actions(pd: PeriodData) -> list[dict[str, Any]]:
    cutoff = min(pd.date_to, pd.today) + timedelta(days=1)
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    for f, x in pd.all_findings():
        area = finding_area(x, {i["key"]: i for i in f.agenda})
        for a in pd.actions.get(x.id, []):
            c = by_area[area]
            c["total"] += 1
            if a.status is ActionStatus.verifierad:
                c["verified"] += 1
            else:
                c["open"] += 1
                c["overdue"] += fu.is_overdue(a, cutoff)
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


def _totals(pd: PeriodData) -> dict[str, int]:
    findings = pd.all_findings()
    return {
        "followups": len(pd.followups),
        "contractors": len({f.contractor_id for f in pd.followups}),
        "units": len({u for f in pd.followups for u in pd.units.get(f.id, [])}),
        "deviations": sum(1 for _, x in findings if x.kind is FindingKind.avvikelse),
        "improvements": sum(1 for _, x in findings if x.kind is FindingKind.forbattringsomrade),
        "actions": sum(len(pd.actions.get(x.id, [])) for _, x in findings),
    }


def _base(doc_type: str, report_date: date) -> dict[str, Any]:
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


# --------------------------------------------------------------------------- quarterly


def period_context(
    pd: PeriodData, report_date: date | None = None, dnr: str = "", to: str = "Kvalitetsrådet"
) -> dict[str, Any]:
    """The quarterly (or any period's) summary as a tjänsteskrivelse for kvalitetsrådet."""
    settings = get_settings()
    report_date = report_date or pd.today
    label = period_label(pd.date_from, pd.date_to)
    t = _totals(pd)
    redact = _redactor(pd)
    areas = _area_findings(pd)
    summary = [
        f"Under {label} genomförde {lower_first(settings.administration)} "
        f"{count_text(t['followups'], 'uppföljning', 'uppföljningar')} hos "
        f"{count_text(t['contractors'], 'utförare', 'utförare')} "
        f"({count_text(t['units'], 'verksamhet', 'verksamheter')})."
        if t["followups"]
        else f"Under {label} genomfördes inga uppföljningar som är klara."
    ]
    if t["followups"]:
        summary.append(
            f"Uppföljningarna ledde till {count_text(t['deviations'], 'avvikelse', 'avvikelser')} "
            f"och {count_text(t['improvements'], 'förbättringsområde', 'förbättringsområden')}, "
            f"och {count_text(t['actions'], 'åtgärd', 'åtgärder')} beslutades."
        )
    summary.append(
        f"Under perioden verifierades {count_text(pd.verified_in_period, 'åtgärd', 'åtgärder')}. "
        + open_actions_sentence("periodens slut", pd.open_at_end, pd.overdue_at_end)
    )
    background = [
        "Enligt kommunens policy för uppföljning ska kvalitetsrådet kvartalsvis få information "
        "om utförda uppföljningar, så att erfarenheter och förbättringar efter avvikelser kan "
        "återföras till övriga enheter.",
        "Sammanställningen omfattar de uppföljningar som var klara eller justerade vid "
        "periodens slut. Personer anges med roll, inte med namn.",
    ]
    if pd.not_done:
        background.append(
            f"{count_text(pd.not_done, 'planerad uppföljning', 'planerade uppföljningar').capitalize()}"
            f" under perioden är ännu inte {'avslutad' if pd.not_done == 1 else 'avslutade'} och "
            "redovisas i nästa sammanställning."
        )
    if areas and areas[0]["deviations"]:
        top = areas[0]
        assessment = [
            f"Flest avvikelser gällde området {top['area'].lower()} "
            f"({count_text(top['deviations'], 'avvikelse', 'avvikelser')}). Förvaltningen föreslår "
            "att kvalitetsrådet diskuterar hur erfarenheterna kan återföras till övriga "
            "verksamheter inom området."
        ]
    else:
        assessment = [
            "Inga avvikelser från avtal konstaterades under perioden. Förvaltningen fortsätter "
            "uppföljningen enligt plan."
        ]
    if pd.overdue_at_end:
        assessment.append(
            f"{count_text(pd.overdue_at_end, 'åtgärd', 'åtgärder').capitalize()} är försenade. "
            "Förvaltningen följer upp dem med respektive utförare."
        )
    documents = [f"Denna sammanställning, daterad {sv_date(report_date)}"]
    for f in pd.followups:
        documents.append(
            f"Minnesanteckningar, {labels.KIND_LABELS[f.kind].lower()}, "
            f"{sv_join(pd.units.get(f.id, [])) or pd.contractors.get(f.contractor_id, '')}, "
            f"{sv_date(f.planned_date)}"
        )
    findings = [x for _, x in pd.all_findings()]
    return _base("Tjänsteskrivelse", report_date) | {
        "dnr": dnr,
        "title": f"Sammanställning av uppföljningar, {label}",
        "subtitle": "",
        "meta": [
            {"label": "Datum", "value": sv_date(report_date)},
            {"label": "Dnr", "value": dnr or DASH},
            {"label": "Handläggare", "value": f"Utvecklingsledare, {settings.administration}"},
            {"label": "Till", "value": to},
            {"label": "Period", "value": sv_period(pd.date_from, pd.date_to)},
        ],
        "proposal": [
            f"{to} tar del av sammanställningen av uppföljningar under {label} och "
            "diskuterar hur erfarenheterna kan återföras till övriga verksamheter."
        ],
        "summary": summary,
        "background": background,
        "areas": [],
        "deviations": [],
        "followups": _followup_rows(pd),
        "area_findings": areas,
        "action_figures": [
            {"label": "Beslutade vid periodens uppföljningar", "value": t["actions"]},
            {"label": "Verifierade under perioden", "value": pd.verified_in_period},
            {"label": "Öppna vid periodens slut", "value": pd.open_at_end},
            {"label": "Varav försenade", "value": pd.overdue_at_end},
        ],
        "lessons": lessons_of(findings, redact),
        "assessment": assessment,
        "documents": documents,
        "send_to": [to, "Vård- och omsorgsutskottet för kännedom", "Berörda utförare"],
        "recorder": {"label": settings.administration, "name": "Förvaltningschef", "role": ""},
        "approver": {"label": "", "name": "Utvecklingsledare", "role": ""},
        "justerad_text": "",
    }


def render_period_report(
    session: Session, date_from: date, date_to: date, dnr: str = "", today: date | None = None
) -> bytes:
    pd = load_period(session, date_from, date_to, today)
    return render_docx(COMMITTEE_TEMPLATE, period_context(pd, dnr=dnr))


def period_filename(date_from: date, date_to: date) -> str:
    return safe_filename("Sammanstallning-uppfoljningar", period_label(date_from, date_to))


# --------------------------------------------------------------------------- yearly


def _controls(pd: PeriodData) -> list[dict[str, str]]:
    by_kind: dict[FollowUpKind, list[FollowUp]] = defaultdict(list)
    for f in pd.followups:
        by_kind[f.kind].append(f)
    rows = []
    for kind in KIND_ORDER:
        done = by_kind.get(kind)
        if not done:
            continue
        methods: list[str] = []
        for f in done:
            for m in f.methods:
                try:
                    label = labels.METHOD_LABELS[Method(m)]
                except ValueError:
                    label = str(m)
                if label not in methods:
                    methods.append(label)
        units = {u for f in done for u in pd.units.get(f.id, [])}
        rows.append(
            {
                "name": labels.KIND_LABELS[kind],
                "method": sv_join([methods[0]] + [lower_first(m) for m in methods[1:]])
                if methods
                else DASH,
                "scope": f"{count_text(len(done), 'tillfälle', 'tillfällen')}, "
                f"{count_text(len(units), 'verksamhet', 'verksamheter')}",
                "frequency": FREQUENCY[kind],
            }
        )
    return rows


def yearly_context(pd: PeriodData, report_date: date | None = None) -> dict[str, Any]:
    """The yearly contribution to the kvalitetsberättelse, along the template in seed 003."""
    settings = get_settings()
    report_date = report_date or pd.today
    year = pd.date_from.year
    t = _totals(pd)
    met = assessed = 0
    for f in pd.followups:
        m, a = _counts(pd, f)
        met, assessed = met + m, assessed + a
    areas = _area_findings(pd)
    area_actions = _area_actions(pd)
    redact = _redactor(pd)
    intro = [
        "Enligt SOSFS 2011:9 ska den som bedriver socialtjänst ha ett ledningssystem för att "
        "systematiskt och fortlöpande utveckla och säkra verksamhetens kvalitet. Arbetet ska "
        "dokumenteras, liksom de förbättrande åtgärder som avvikelser har gett upphov till.",
        f"Detta underlag sammanfattar {lower_first(settings.administration)}s uppföljning under "
        f"{year} av verksamhet som bedrivs på entreprenad: vilka egenkontroller som gjordes, "
        "vad de visade, vilka avvikelser som konstaterades och vilka åtgärder som vidtogs. "
        "Underlaget är ett bidrag till kvalitetsberättelsen som kommunstyrelsen får i samband "
        "med årsredovisningen.",
    ]
    results_intro = [
        f"Under {year} genomfördes {count_text(t['followups'], 'uppföljning', 'uppföljningar')} "
        f"hos {count_text(t['contractors'], 'utförare', 'utförare')} och "
        f"{count_text(t['units'], 'verksamhet', 'verksamheter')}."
    ]
    if assessed:
        results_intro.append(
            f"Av sammanlagt {assessed} bedömda krav var {met} ({sv_percent(met / assessed)}) "
            "uppfyllda."
        )
    deviations_intro = [
        f"Uppföljningarna ledde till {count_text(t['deviations'], 'avvikelse', 'avvikelser')} "
        f"och {count_text(t['improvements'], 'förbättringsområde', 'förbättringsområden')}."
    ]
    if areas and areas[0]["deviations"]:
        deviations_intro.append(
            f"Flest avvikelser gällde området {areas[0]['area'].lower()}. Avvikelserna avser vad "
            "som brustit i verksamheten, inte vilka personer som var inblandade."
        )
    actions_intro = [
        f"För avvikelserna beslutades {count_text(t['actions'], 'åtgärd', 'åtgärder')} i "
        "åtgärdsplaner. Varje åtgärd har en ansvarig roll hos utföraren och ett datum, och "
        "stängs först när den har verifierats vid en senare uppföljning.",
        f"Under året verifierades {count_text(pd.verified_in_period, 'åtgärd', 'åtgärder')}. "
        + open_actions_sentence("årets slut", pd.open_at_end, pd.overdue_at_end),
    ]
    next_year = [
        (
            f"Inför {year + 1} är 1 uppföljning planerad."
            if pd.planned_after == 1
            else f"Inför {year + 1} är {pd.planned_after} uppföljningar planerade."
            if pd.planned_after
            else f"Inför {year + 1} är inga uppföljningar planerade ännu."
        )
        + " Öppna åtgärder förs automatiskt in i dagordningen för nästa uppföljning av "
        "respektive verksamhet."
    ]
    findings = [x for _, x in pd.all_findings()]
    return _base("Kvalitetsberättelse", report_date) | {
        "title": f"Kvalitetsberättelse {year}",
        "subtitle": "Uppföljning av verksamhet på entreprenad – underlag till kommunens "
        "kvalitetsberättelse",
        "meta": [
            {"label": "År", "value": str(year)},
            {
                "label": "Omfattning",
                "value": f"{t['contractors']} utförare, {t['units']} verksamheter",
            },
            {"label": "Upprättad av", "value": f"Utvecklingsledare, {settings.administration}"},
            {"label": "Datum", "value": sv_date(report_date)},
        ],
        "intro": intro,
        "controls_intro": [
            "Förvaltningens egenkontroller av verksamhet på entreprenad är de uppföljningar som "
            "kommunens policy för uppföljning föreskriver."
        ],
        "controls": _controls(pd)
        or [{"name": DASH, "method": DASH, "scope": DASH, "frequency": DASH}],
        "results_intro": results_intro,
        "followups": _followup_rows(pd),
        "deviations_intro": deviations_intro,
        "area_findings": areas,
        "actions_intro": actions_intro,
        "area_actions": area_actions,
        "lessons": lessons_of(findings, redact),
        "next_year": next_year,
        "recorder": {"label": "Upprättad av", "name": "Utvecklingsledare", "role": ""},
        "approver": {"label": "Fastställd av", "name": "Förvaltningschef", "role": ""},
        "justerad_text": "",
    }


def render_yearly_contribution(session: Session, year: int, today: date | None = None) -> bytes:
    pd = load_period(session, date(year, 1, 1), date(year, 12, 31), today)
    return render_docx(YEARLY_TEMPLATE, yearly_context(pd))


def yearly_filename(year: int) -> str:
    return safe_filename("Kvalitetsberattelse-bidrag", str(year))


# --------------------------------------------------------------------------- samples


def sample_period() -> PeriodData:
    data = sample_data(FollowUpKind.avtal)
    f = data.followup
    return PeriodData(
        date_from=date(2026, 1, 1),
        date_to=date(2026, 3, 31),
        followups=[f],
        contractors={data.contractor.id: data.contractor.name},
        units={f.id: [u.name for u in data.units]},
        assessments={f.id: data.assessments},
        findings={f.id: data.findings},
        actions=data.actions,
        verified_in_period=1,
        open_at_end=1,
        overdue_at_end=0,
        planned_after=2,
        today=date(2026, 4, 2),
    )


def _committee_sample() -> dict[str, Any]:
    """Every block of the tjänsteskrivelse filled: the single and the period variant."""
    single = committee_context(sample_data(FollowUpKind.avtal))
    period = period_context(sample_period())
    return single | {k: period[k] for k in ("followups", "area_findings", "action_figures")}


register_template(
    TemplateSpec(
        COMMITTEE_TEMPLATE,
        "Tjänsteskrivelse",
        "Rapport till utskottet om en uppföljning, och kvartalssammanställningen till "
        "kvalitetsrådet",
        _committee_sample,
    )
)
register_template(
    TemplateSpec(
        YEARLY_TEMPLATE,
        "Kvalitetsberättelse, bidrag",
        "Årligt underlag till kvalitetsberättelsen (egenkontroller, resultat, avvikelser, "
        "åtgärder)",
        lambda: yearly_context(sample_period()),
    )
)
