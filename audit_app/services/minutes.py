"""Minutes and the committee report of one follow-up, as Word documents from the templates.

    data = load_followup_data(session, followup)      # everything a document needs, one load
    minutes_context(data)                              # plain dict for the template
    render_minutes(session, followup)                  # .docx bytes (fresh)
    committee_context(data) / render_committee_report  # tjänsteskrivelse: roles, never names
    stored_minutes(session, followup)                  # justerad: generated once, kept, same bytes

The minutes name the participants (they are sent to the contractor). The committee report
names roles only and quotes free text only from findings marked `for_committee`; names of
participants that still slip into such text are replaced by their role.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import zip_longest
from typing import Any

from sqlmodel import Session, col, select

from audit_app.auth import Actor, display_names
from audit_app.config import get_settings
from audit_app.domain import labels
from audit_app.errors import UserError
from audit_app.models import (
    Action,
    ActionReview,
    ActionStatus,
    Assessment,
    ChecklistVersion,
    Contract,
    Contractor,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FollowUpUnit,
    Method,
    Result,
    RiktadReason,
    StaffingAnalysis,
    StoredDocument,
    Unit,
    UnitKind,
)
from audit_app.services import followups as fu
from audit_app.services.documents import (
    Picture,
    TemplateSpec,
    count_text,
    register_template,
    render_docx,
    safe_filename,
    sv_date,
    sv_datetime,
    sv_join,
    sv_number,
    sv_percent,
    sv_period,
)
from audit_app.services.staffing.picture import heatmap_png

MINUTES_TEMPLATES: dict[FollowUpKind, str] = {
    FollowUpKind.avtal: "minnesanteckningar_avtal.docx",
    FollowUpKind.ledningssystem: "minnesanteckningar_uppfoljning.docx",
    FollowUpKind.riktad: "minnesanteckningar_uppfoljning.docx",
    FollowUpKind.bistandsarenden: "minnesanteckningar_uppfoljning.docx",
    FollowUpKind.kvalitetsrevision: "rapport_kvalitetsrevision.docx",
    FollowUpKind.ateruppfoljning: "minnesanteckningar_ateruppfoljning.docx",
}
COMMITTEE_TEMPLATE = "tjansteskrivelse.docx"
KIND_MINUTES = "minnesanteckningar"
KIND_COMMITTEE = "tjansteskrivelse"
MAX_BREACH_ROWS = 60
DASH = "–"

# What the policy (seed 002) says each kind of follow-up is for; used in the documents.
POLICY_INTRO: dict[FollowUpKind, str] = {
    FollowUpKind.avtal: (
        "Enligt kommunens policy för uppföljning följs entreprenadavtalet upp varje halvår, "
        "i samband med uppföljningen av utförarens ledningssystem. Uppföljningen omfattar "
        "genomgång av föregående minnesanteckningar, aktuell personalsituation, avtalets "
        "SKA-krav och eventuella avvikelser samt en åtgärdsplan för avvikelserna."
    ),
    FollowUpKind.ledningssystem: (
        "Genomgång av verksamhetens ledningssystem görs en gång per halvår enligt kommunens "
        "policy för uppföljning. Ledningssystemet granskas utifrån fem kriterier: att det finns "
        "processer och rutiner för att säkra kvaliteten, att riskanalyser görs, att "
        "egenkontroller görs, att klagomål, synpunkter och rapporter om missförhållanden används "
        "för att säkra kvaliteten samt resultatet vid senaste kvalitetsrevision och vidtagna "
        "åtgärder."
    ),
    FollowUpKind.kvalitetsrevision: (
        "Interna kvalitetsrevisioner görs på uppdrag av vård- och omsorgsutskottet, som fastställer "
        "inriktning och omfattning. Syftet är att följa upp att kommunens rutiner för att säkra "
        "kvaliteten fungerar ute i verksamheten och att ge förslag på förbättringsområden."
    ),
    FollowUpKind.riktad: (
        "En särskilt riktad uppföljning kan avse en hel grupp av verksamheter eller en särskild "
        "aspekt inom en eller flera verksamheter."
    ),
    FollowUpKind.bistandsarenden: (
        "Vård- och omsorgsutskottet kontrollerar vid varje sammanträde tre biståndsärenden som "
        "handlagts enligt delegationsordningen. Kontrollen omfattar bakgrundsfakta, bedömning och "
        "beslut. Beviljade insatser följs upp utifrån fyra frågor: om den enskilde har fått de "
        "insatser som beslutades, om rätt insatser beviljades i rätt omfattning i rätt tid, om "
        "insatserna har haft avsedd effekt och om den enskilde är nöjd med utförandet. Ärendena "
        "anges med ärendereferens, aldrig med personnummer."
    ),
    FollowUpKind.ateruppfoljning: (
        "Enligt kommunens policy för uppföljning upprättas en åtgärdsplan för varje avvikelse från "
        "avtalet och en ny uppföljning sker inom tre månader."
    ),
}
ITEM_HEADERS: dict[FollowUpKind, str] = {
    FollowUpKind.ledningssystem: "Kriterium",
    FollowUpKind.bistandsarenden: "Kontrollfråga",
}
REVIEW_LABELS: dict[ActionStatus, str] = {
    ActionStatus.verifierad: "Verifierad",
    ActionStatus.genomford: "Genomförd, ej verifierad",
    ActionStatus.ej_genomford: "Ej genomförd",
    ActionStatus.pagar: "Kvarstår",
    ActionStatus.oppen: "Öppen",
}
BREACH_KIND = {"staff": "Personal i tjänst", "competent": "Närvarande kompetens"}
COUNTED_RESULTS = [
    Result.uppfyllt,
    Result.delvis_uppfyllt,
    Result.ej_uppfyllt,
    Result.ej_aktuellt,
    Result.ej_bedomd,
]


# --------------------------------------------------------------------------- data


@dataclass
class FollowUpData:
    """Everything the documents of one follow-up are made from (loaded once)."""

    followup: FollowUp
    contractor: Contractor
    contract: Contract | None
    units: list[Unit]
    assessments: dict[str, Assessment]
    findings: list[Finding]
    actions: dict[uuid.UUID, list[Action]]
    carried: list[tuple[FollowUp, Finding, Action]] = field(default_factory=list)
    reviews: dict[uuid.UUID, ActionReview] = field(default_factory=dict)
    previous: FollowUp | None = None
    recheck: FollowUp | None = None
    analyses: list[StaffingAnalysis] = field(default_factory=list)
    author_name: str = ""
    justerad_by: str = ""  # the display name of the one who justerade
    snapshot: dict[str, Any] | None = None
    doc_version: int = 1
    section_descriptions: dict[str, str] = field(default_factory=dict)
    today: date = field(default_factory=date.today)

    @property
    def unit_names(self) -> str:
        return sv_join([u.name for u in self.units]) or DASH

    @property
    def justerad(self) -> bool:
        return self.followup.status is FollowUpStatus.justerad

    @property
    def item_by_key(self) -> dict[str, dict[str, Any]]:
        return {i["key"]: i for i in self.followup.agenda}

    def live_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.status is not FindingStatus.avfardad]


def load_followup_data(
    session: Session, followup: FollowUp, today: date | None = None
) -> FollowUpData:
    """Read a follow-up and all it refers to; nothing is changed."""
    contractor = session.get(Contractor, followup.contractor_id)
    if contractor is None:  # pragma: no cover - foreign key
        raise UserError("Entreprenören för uppföljningen finns inte.")
    contract = session.get(Contract, followup.contract_id) if followup.contract_id else None
    units = list(
        session.exec(
            select(Unit)
            .join(FollowUpUnit, col(FollowUpUnit.unit_id) == Unit.id)
            .where(FollowUpUnit.followup_id == followup.id)
            .order_by(col(Unit.name))
        )
    )
    findings = fu.findings_of(session, followup.id)
    actions: dict[uuid.UUID, list[Action]] = defaultdict(list)
    for finding, action in fu.actions_of_followup(session, followup.id):
        actions[finding.id].append(action)
    names = display_names(session, [followup.author_id, followup.justerad_by_id])
    author_name = names.get(followup.author_id, "") if followup.author_id else ""
    justerad_by = names.get(followup.justerad_by_id, "") if followup.justerad_by_id else ""
    snapshot = None
    if followup.status is FollowUpStatus.justerad:
        for version in fu.versions_of(session, followup.id):
            if version.version == followup.doc_version:
                snapshot = version.snapshot
    descriptions: dict[str, str] = {}
    if followup.checklist_version_id is not None:
        cv = session.get(ChecklistVersion, followup.checklist_version_id)
        if cv is not None:
            for section in cv.content.get("sections", []):
                descriptions[str(section.get("key"))] = str(section.get("description") or "")
    analyses = list(
        session.exec(
            select(StaffingAnalysis)
            .where(StaffingAnalysis.followup_id == followup.id)
            .order_by(col(StaffingAnalysis.created_at))
        )
    )
    return FollowUpData(
        followup=followup,
        contractor=contractor,
        contract=contract,
        units=units,
        assessments=fu.assessments_of(session, followup.id),
        findings=findings,
        actions=dict(actions),
        carried=fu.carried_actions(session, followup),
        reviews=fu.reviews_of(session, followup.id),
        previous=session.get(FollowUp, followup.previous_id) if followup.previous_id else None,
        recheck=fu.recheck_of(session, followup.id),
        analyses=analyses,
        author_name=author_name,
        justerad_by=justerad_by,
        snapshot=snapshot,
        doc_version=followup.doc_version,
        section_descriptions=descriptions,
        today=today or date.today(),
    )


# --------------------------------------------------------------------------- small formatters


def lower_first(text: str) -> str:
    """'Verksamhetschef' -> 'verksamhetschef', but 'MAS' stays 'MAS'."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def methods_text(methods: Iterable[str]) -> str:
    names: list[str] = []
    for m in methods:
        try:
            names.append(labels.METHOD_LABELS[Method(m)])
        except ValueError:
            names.append(str(m))
    return sv_join([names[0]] + [lower_first(x) for x in names[1:]]) if names else DASH


def strip_number(title: str) -> str:
    """'3. SKA-krav i avtalet' -> 'SKA-krav i avtalet'."""
    return re.sub(r"^\s*\d+(\.\d+)*\.?\s+", "", title or "").strip()


def short(text: str, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def answer_text(item: dict[str, Any], assessment: Assessment | None) -> str:
    """The answer as the minutes show it: Uppfyllt, Ja, 82 %, 3 mars 2026."""
    kind = item.get("answer", "bedomning")
    if assessment is None:
        return "Ej bedömd" if kind == "bedomning" else DASH
    if kind == "bedomning":
        return labels.RESULT_LABELS[assessment.result]
    value = (assessment.value or "").strip()
    if not value:
        return DASH
    if kind == "ja_nej":
        return {"ja": "Ja", "nej": "Nej"}.get(value.lower(), value)
    if kind == "datum":
        return sv_date(value)
    if kind == "tal":
        try:
            number = float(value.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
            shown = sv_number(number, 2 if abs(number) < 10 and not number.is_integer() else 1)
        except ValueError:
            shown = value
        unit = (item.get("unit") or "").strip()
        if unit in ("procent", "%"):
            return f"{shown}\u00a0%"
        return f"{shown} {unit}".strip()
    return value


def join_sentences(first: str, second: str) -> str:
    """'Rubrik' + 'Text.' -> 'Rubrik. Text.' (no doubled full stop)."""
    first, second = first.strip(), second.strip()
    if not first or not second:
        return first or second
    return f"{first}{'' if first[-1] in '.!?:…' else '.'} {second}"


def finding_area(finding: Finding, items: dict[str, dict[str, Any]]) -> str:
    item = items.get(finding.item_key or "")
    area = (item or {}).get("area") or finding.area
    return strip_number(area) or "Övrigt"


def finding_label(finding: Finding, items: dict[str, dict[str, Any]]) -> str:
    """How an action plan names its finding: '4.3.1 Genomförandeplan ...' or the title."""
    clause = finding.clause or (items.get(finding.item_key or "") or {}).get("clause") or ""
    title = short(finding.title, 90)
    return f"{clause} {title}".strip() if clause else title


def action_status_at(data: FollowUpData, action: Action) -> ActionStatus:
    """The status the action had when this version was justerad (from the snapshot)."""
    if data.snapshot:
        for f in data.snapshot.get("findings", []):
            for a in f.get("actions", []):
                if a.get("id") == str(action.id):
                    try:
                        return ActionStatus(a.get("status"))
                    except ValueError:
                        return action.status
    return action.status


def result_counts(
    data: FollowUpData, items: Sequence[dict[str, Any]], all_results: bool = False
) -> list[dict[str, Any]]:
    counts = Counter(
        (data.assessments[i["key"]].result if i["key"] in data.assessments else Result.ej_bedomd)
        for i in items
    )
    rows = [
        {"label": labels.RESULT_LABELS[r], "count": counts.get(r, 0)}
        for r in COUNTED_RESULTS
        if all_results or counts.get(r, 0) or r is not Result.ej_bedomd
    ]
    rows.append({"label": "Totalt", "count": sum(counts.values())})
    return rows


def result_sentence(counts: Counter[Result]) -> str:
    """'21 uppfyllda, 1 delvis uppfyllt och 0 ej uppfyllda' (krav and punkter are neuter)."""

    def agree(n: int, word: str) -> str:
        return f"{n} {word}t" if n == 1 else f"{n} {word}da"

    return sv_join(
        [
            agree(counts.get(Result.uppfyllt, 0), "uppfyll"),
            agree(counts.get(Result.delvis_uppfyllt, 0), "delvis uppfyll"),
            agree(counts.get(Result.ej_uppfyllt, 0), "ej uppfyll"),
        ]
    )


def assessed_items(data: FollowUpData) -> list[dict[str, Any]]:
    return [i for i in data.followup.agenda if i.get("answer", "bedomning") == "bedomning"]


def requirement_items(data: FollowUpData) -> list[dict[str, Any]]:
    return [
        i
        for i in data.followup.agenda
        if i.get("kind") in ("ska_krav", "bor_krav") and i.get("answer", "bedomning") == "bedomning"
    ]


def question_rows(data: FollowUpData, items: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for item in items:
        a = data.assessments.get(item["key"])
        text = item.get("text", "")
        if item.get("clause"):
            text = f"{item['clause']} {text}"
        rows.append(
            {
                "text": text,
                "answer": answer_text(item, a),
                "comment": (a.comment if a else "") or "",
            }
        )
    return rows


def participant_lines(participants: Sequence[dict[str, Any]], side: str) -> list[str]:
    out = []
    for p in participants:
        if p.get("side") != side:
            continue
        name, role = str(p.get("name", "")).strip(), str(p.get("role", "")).strip()
        out.append(f"{name}, {lower_first(role)}" if role else name)
    return out


def participant_rows(participants: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    kommun = participant_lines(participants, "kommun")
    utforare = participant_lines(participants, "utforare")
    return [
        {"kommun": k or "", "utforare": u or ""}
        for k, u in zip_longest(kommun, utforare, fillvalue="")
    ]


def roles_of(participants: Sequence[dict[str, Any]], side: str) -> list[str]:
    roles = [
        lower_first(str(p.get("role") or "").strip()) or "representant"
        for p in participants
        if p.get("side") == side
    ]
    return list(dict.fromkeys(roles))


def role_of(participants: Sequence[dict[str, Any]], name: str, default: str) -> str:
    for p in participants:
        if str(p.get("name", "")).strip().casefold() == name.strip().casefold() and p.get("role"):
            return str(p["role"])
    return default


def base_context(data: FollowUpData, doc_type: str, datum: date | None = None) -> dict[str, Any]:
    settings = get_settings()
    return {
        "kommun": settings.municipality,
        "forvaltning": settings.administration,
        "doc_type": doc_type,
        "datum": sv_date(datum or data.followup.planned_date),
        "dnr": data.contract.dnr if data.contract else "",
        "version": data.doc_version,
        "draft": not data.justerad,
    }


def meta_rows(data: FollowUpData) -> list[dict[str, str]]:
    f = data.followup
    rows = [
        {"label": "Utförare", "value": data.contractor.name},
        {"label": "Verksamhet", "value": data.unit_names},
    ]
    if data.contract is not None:
        rows.append({"label": "Avtal", "value": f"{data.contract.title} (dnr {data.contract.dnr})"})
    rows.append({"label": "Datum", "value": sv_datetime(f.planned_date, f.planned_time)})
    if f.place:
        rows.append({"label": "Plats", "value": f.place})
    rows.append({"label": "Metod", "value": methods_text(f.methods)})
    if f.kind is FollowUpKind.riktad and f.reason is not None:
        reason = labels.REASON_LABELS.get(f.reason, str(f.reason))
        rows.append(
            {
                "label": "Orsak",
                "value": f"{reason}. {f.reason_text}".strip() if f.reason_text else reason,
            }
        )
    if data.justerad and f.justerad_at is not None:
        status = f"Justerad {sv_date(f.justerad_at.date())}"
    else:
        status = labels.STATUS_LABELS[f.status] + " – utkast, ej justerat"
    rows.append({"label": "Status", "value": f"{status} (version {data.doc_version})"})
    return rows


def signature_block(data: FollowUpData, left_label: str = "Vid anteckningarna") -> dict[str, Any]:
    f = data.followup
    parts = f.participants
    recorder_name = data.author_name or next(
        (str(p["name"]) for p in parts if p.get("side") == "kommun"), ""
    )
    recorder_role = role_of(parts, recorder_name, "Utvecklingsledare")
    if data.justerad_by:
        approver_name = data.justerad_by
        approver_role = role_of(parts, approver_name, "Förvaltningschef")
    else:
        chef = next(
            (
                p
                for p in parts
                if p.get("side") == "kommun" and "chef" in str(p.get("role", "")).lower()
            ),
            None,
        )
        approver_name = str(chef["name"]) if chef else ""
        approver_role = str(chef["role"]) if chef else "Förvaltningschef"
    justerad_text = ""
    if data.justerad and f.justerad_at is not None:
        justerad_text = (
            f"Justerad i Revisionsstöd den {sv_date(f.justerad_at)} av {data.justerad_by}."
        )
        if f.correction_reason:
            justerad_text += f" Version {data.doc_version}, rättelse: {f.correction_reason}"
    return {
        "recorder": {"label": left_label, "name": recorder_name, "role": recorder_role},
        "approver": {"label": "Justeras", "name": approver_name, "role": approver_role},
        "justerad_text": justerad_text,
    }


def findings_rows(data: FollowUpData) -> list[dict[str, str]]:
    items = data.item_by_key
    rows = []
    order = {
        FindingKind.avvikelse: 0,
        FindingKind.forbattringsomrade: 1,
        FindingKind.iakttagelse: 2,
    }
    for f in sorted(data.live_findings(), key=lambda x: order[x.kind]):
        kind = labels.FINDING_KIND_LABELS[f.kind]
        if f.status is FindingStatus.foreslagen:
            kind += " (föreslagen)"
        where = f.clause or (items.get(f.item_key or "") or {}).get("clause") or ""
        where = where or finding_area(f, items)
        text = f.title
        assessment = data.assessments.get(f.item_key or "")
        same = assessment is not None and assessment.comment.strip() == f.description.strip()
        if f.description and not same:
            text = join_sentences(text, f.description)
        if f.downgrade_reason:
            text += f" (Förbättringsområde i stället för avvikelse: {f.downgrade_reason})"
        rows.append({"kind": kind, "where": where, "text": text})
    return rows


def action_plan_rows(data: FollowUpData) -> list[dict[str, str]]:
    items = data.item_by_key
    rows = []
    for f in data.live_findings():
        for a in data.actions.get(f.id, []):
            rows.append(
                {
                    "finding": finding_label(f, items),
                    "what": a.what,
                    "responsible": a.responsible,
                    "due": sv_date(a.due_date),
                    "status": labels.ACTION_STATUS_LABELS[action_status_at(data, a)],
                }
            )
    return rows


def next_followup_lines(data: FollowUpData) -> list[str]:
    lines = []
    deviations = [
        f
        for f in data.live_findings()
        if f.kind is FindingKind.avvikelse and f.status is not FindingStatus.foreslagen
    ]
    if data.recheck is not None and deviations:
        lines.append(
            f"Återuppföljning av avvikelserna sker senast {sv_date(data.recheck.planned_date)}, "
            "inom tre månader enligt kommunens policy för uppföljning."
        )
    for item in data.followup.agenda:
        if item.get("answer") != "datum" or item["key"] in ("atg-ateruppfoljning", "bem-period"):
            continue
        text = item.get("text", "").lower()
        if "nästa" in text:
            a = data.assessments.get(item["key"])
            if a is not None and a.value:
                lines.append(f"Nästa uppföljning: {sv_date(a.value)}.")
    return lines


# --------------------------------------------------------------------------- staffing (point 2)


def staffing_block(data: FollowUpData, for_committee: bool = False) -> dict[str, Any]:
    notes = data.followup.notes or {}
    intro: list[str] = []
    figures: list[dict[str, str]] = []
    breaches: list[dict[str, Any]] = []
    breaches_note: list[str] = []
    heatmap: Picture | str = ""
    caption = ""
    analysis = data.analyses[-1] if data.analyses else None
    if analysis is not None:
        result = analysis.result or {}
        first = _iso(result.get("from")) or analysis.period_from
        last = _iso(result.get("to")) or analysis.period_to
        period = sv_period(first, last)
        n_breaches = len(result.get("breaches") or [])
        intro.append(
            f"Utförarens scheman för perioden {period} granskades mot avtalets åtagande om "
            "personaltäthet och närvarande kompetens. Personalen anges i schemat med roll och "
            "kompetens, inte med namn."
        )
        figures.append({"label": "Granskad period", "value": period})
        if result.get("shifts") is not None:
            figures.append({"label": "Antal pass", "value": sv_number(int(result["shifts"]))})
        if result.get("total_hours") is not None:
            figures.append(
                {"label": "Arbetade timmar", "value": sv_number(float(result["total_hours"]))}
            )
        for section, hours in (result.get("hours_by_section") or {}).items():
            figures.append(
                {"label": f"Arbetade timmar, {section}", "value": sv_number(float(hours))}
            )
        if result.get("competent_share") is not None:
            share = float(result["competent_share"])
            required = (analysis.rules or {}).get("min_competent_hours_share")
            value = sv_percent(share)
            if required:
                value += f" (krav {sv_percent(float(required))})"
            if result.get("share_breached"):
                value += " – under kravet"
            figures.append({"label": "Andel timmar med kompetens", "value": value})
        if result.get("distinct_people") is not None and not for_committee:
            figures.append(
                {"label": "Antal personer i schemat", "value": str(result["distinct_people"])}
            )
        staff = sum(1 for b in result.get("breaches") or [] if b.get("kind") == "staff")
        figures.append(
            {
                "label": "Pass under åtagandet",
                "value": f"{n_breaches} (personal {staff}, kompetens {n_breaches - staff})"
                if n_breaches
                else "Inga",
            }
        )
        for b in (result.get("breaches") or [])[:MAX_BREACH_ROWS]:
            day = _iso(b.get("date"))
            breaches.append(
                {
                    "date": sv_date(day) if day else str(b.get("date", "")),
                    "section": str(b.get("section", "")),
                    "period": str(b.get("period", "")),
                    "kind": BREACH_KIND.get(str(b.get("kind")), str(b.get("kind", ""))),
                    "required": b.get("required", ""),
                    "present": b.get("present", ""),
                }
            )
        if n_breaches > MAX_BREACH_ROWS:
            breaches_note.append(
                f"Tabellen visar de första {MAX_BREACH_ROWS} av {n_breaches} pass under "
                "åtagandet. Alla finns i Excel-exporten av uppföljningen."
            )
        for warning in result.get("warnings") or []:
            breaches_note.append(f"Obs: {warning}")
        png = heatmap_png(result, analysis.rules)
        if png:
            heatmap = Picture(png, 160)
            caption = (
                f"Lägsta antal i tjänst per avdelning, pass och dag under perioden {period}. "
                "Rött: färre i tjänst än åtagandet. Gult: färre med kompetens än åtagandet."
            )
    else:
        period_item = data.assessments.get("bem-period")
        if period_item is not None and period_item.value:
            intro.append(
                f"Scheman för de två veckorna från och med {sv_date(period_item.value)} "
                "granskades under mötet."
            )
        else:
            intro.append(
                "Scheman för de senaste två veckorna gicks igenom under mötet. Någon "
                "schemagranskning är inte registrerad i systemet för uppföljningen."
            )
    for key, label in (
        ("personaltathet", "Personaltäthet"),
        ("narvarande_kompetens", "Närvarande kompetens"),
    ):
        noted = notes.get(key)
        if noted not in (None, ""):
            figures.append({"label": label, "value": str(noted)})
    comment = notes.get("bemanning_kommentar")
    if comment and not for_committee:
        intro.append(str(comment))
    return {
        "intro": intro,
        "figures": figures,
        "breaches": breaches,
        "breaches_note": breaches_note,
        "heatmap": heatmap,
        "heatmap_caption": caption,
    }


def _iso(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------- minutes contexts


def _section_items(data: FollowUpData, section_key: str) -> list[dict[str, Any]]:
    return [i for i in data.followup.agenda if i.get("section_key") == section_key]


def _point_sections(data: FollowUpData) -> dict[int, list[dict[str, Any]]]:
    """Put every agenda item under one of the policy's four points."""
    points: dict[int, list[dict[str, Any]]] = {1: [], 2: [], 3: [], 4: []}
    for item in data.followup.agenda:
        key = str(item.get("section_key", ""))
        title = str(item.get("section_title", "")).lower()
        if key.startswith("foreg") or title.startswith("1."):
            points[1].append(item)
        elif key.startswith("beman") or "personal" in title or title.startswith("2."):
            points[2].append(item)
        elif key.startswith("atgard") or "åtgärdsplan" in title or title.startswith("4."):
            points[4].append(item)
        else:
            points[3].append(item)
    return points


def carried_rows(data: FollowUpData) -> list[dict[str, str]]:
    rows = []
    for origin, finding, action in data.carried:
        review = data.reviews.get(action.id)
        if review is not None:
            status = REVIEW_LABELS.get(review.status, labels.ACTION_STATUS_LABELS[review.status])
            comment = review.comment
        elif action.status is ActionStatus.verifierad:
            continue  # verified at another follow-up: nothing to check off here
        else:
            status = "Ej avstämd"
            comment = ""
        items = {i["key"]: i for i in origin.agenda}
        rows.append(
            {
                "finding": finding_label(finding, items),
                "what": action.what,
                "responsible": action.responsible,
                "due": sv_date(action.due_date),
                "status": status,
                "comment": comment,
                "origin": sv_date(origin.planned_date),
            }
        )
    return rows


def avtal_context(data: FollowUpData) -> dict[str, Any]:
    f = data.followup
    points = _point_sections(data)
    ctx = base_context(data, "Minnesanteckningar")
    carried = carried_rows(data)
    intro1 = []
    if data.previous is not None:
        intro1.append(
            f"Minnesanteckningarna från {labels.KIND_LABELS[data.previous.kind].lower()} den "
            f"{sv_date(data.previous.planned_date)} gicks igenom. Synpunkterna som framkom då "
            "gicks igenom och åtgärderna stämdes av."
        )
    else:
        intro1.append("Det finns ingen tidigare uppföljning av verksamheten registrerad.")
    if carried:
        marks = Counter(r["status"] for r in carried)
        intro1.append(
            f"{count_text(len(carried), 'åtgärd', 'åtgärder').capitalize()} från tidigare "
            "uppföljningar stämdes av: "
            + sv_join(f"{n} {label.lower()}" for label, n in marks.most_common())
            + "."
        )
    elif data.previous is not None:
        intro1.append("Det fanns inga öppna åtgärder från tidigare uppföljningar att stämma av.")

    reqs = requirement_items(data)
    not_met = []
    for item in reqs:
        a = data.assessments.get(item["key"])
        if a is not None and a.result in (Result.delvis_uppfyllt, Result.ej_uppfyllt):
            not_met.append(
                {
                    "clause": item.get("clause") or DASH,
                    "text": item.get("text", ""),
                    "result": labels.RESULT_LABELS[a.result],
                    "comment": a.comment,
                }
            )
    deviations = [x for x in data.live_findings() if x.kind is FindingKind.avvikelse]
    ska = sum(1 for i in reqs if i.get("kind") == "ska_krav")
    intro3 = [
        f"Avtalets krav gicks igenom punkt för punkt ({ska} SKA-krav och "
        f"{len(reqs) - ska} BÖR-krav). Resultatet av bedömningen:"
        if reqs
        else "Inga krav ur avtalet fanns på dagordningen."
    ]
    intro4 = []
    if deviations:
        intro4.append(
            f"För {count_text(len(deviations), 'avvikelsen', 'avvikelserna')} från avtalet "
            "upprättades följande åtgärdsplan. Utföraren ansvarar för att åtgärderna genomförs och "
            "kan visa underlag för dem vid återuppföljningen."
        )
    notes = f.notes or {}
    other = [str(v) for k, v in notes.items() if k in ("ovrigt", "övrigt") and v]
    ctx |= {
        "title": f"{f.title or labels.KIND_LABELS[f.kind]} – {data.unit_names}",
        "subtitle": f"Minnesanteckningar från uppföljningsmötet den {sv_date(f.planned_date)}",
        "meta": meta_rows(data),
        "participant_rows": participant_rows(f.participants),
        "point1": {
            "intro": intro1,
            "actions": carried,
            "questions": question_rows(data, points[1]),
        },
        "point2": staffing_block(data) | {"questions": question_rows(data, points[2])},
        "point3": {
            "intro": intro3,
            "counts": result_counts(data, reqs),
            "not_met": not_met,
            "questions": question_rows(
                data, [i for i in points[3] if i.get("kind") not in ("ska_krav", "bor_krav")]
            ),
        },
        "point4": {"intro": intro4, "questions": question_rows(data, points[4])},
        "findings": findings_rows(data),
        "action_plan": action_plan_rows(data),
        "no_action_plan_text": "Inga avvikelser från avtalet konstaterades, så någon åtgärdsplan "
        "behövs inte.",
        "next_lines": next_followup_lines(data),
        "other_notes": other,
    }
    ctx |= signature_block(data)
    return ctx


def _sections(data: FollowUpData, default_header: str) -> list[dict[str, Any]]:
    order: dict[str, dict[str, Any]] = {}
    header = ITEM_HEADERS.get(data.followup.kind, default_header)
    for item in data.followup.agenda:
        key = str(item.get("section_key") or item.get("section_title") or "ovrigt")
        section = order.setdefault(
            key,
            {
                "title": item.get("section_title") or "Övrigt",
                "description": data.section_descriptions.get(key, ""),
                "item_header": header,
                "rows": [],
            },
        )
        section["rows"].append(item)
    out = []
    for section in order.values():
        if any(i.get("kind") in ("ska_krav", "bor_krav") for i in section["rows"]):
            section["item_header"] = "Krav"
        section["rows"] = question_rows(data, section["rows"])
        out.append(section)
    return out


def _summary_lines(data: FollowUpData, noun: str = "punkter") -> list[str]:
    items = assessed_items(data)
    counts = Counter(
        data.assessments[i["key"]].result for i in items if i["key"] in data.assessments
    )
    findings = data.live_findings()
    dev = sum(1 for x in findings if x.kind is FindingKind.avvikelse)
    imp = sum(1 for x in findings if x.kind is FindingKind.forbattringsomrade)
    lines = []
    if items:
        lines.append(f"Av {len(items)} bedömda {noun} var {result_sentence(counts)}.")
    lines.append(
        f"Uppföljningen ledde till {count_text(dev, 'avvikelse', 'avvikelser')} och "
        f"{count_text(imp, 'förbättringsområde', 'förbättringsområden')}."
    )
    return lines


def generic_context(data: FollowUpData) -> dict[str, Any]:
    f = data.followup
    ctx = base_context(data, "Minnesanteckningar")
    intro = [POLICY_INTRO.get(f.kind, "")]
    if f.kind is FollowUpKind.riktad and f.reason is not None:
        reason = labels.REASON_LABELS.get(f.reason, str(f.reason))
        intro.append(f"Orsaken till uppföljningen: {lower_first(reason)}.")
        if f.reason_text:
            intro.append(f.reason_text)
    ctx |= {
        "title": f"{f.title or labels.KIND_LABELS[f.kind]} – {data.unit_names}",
        "subtitle": f"Minnesanteckningar från uppföljningen den {sv_date(f.planned_date)}",
        "meta": meta_rows(data),
        "participant_rows": participant_rows(f.participants),
        "intro": [x for x in intro if x],
        "sections": _sections(data, "Fråga"),
        "summary": _summary_lines(data),
        "counts": result_counts(data, assessed_items(data)) if assessed_items(data) else [],
        "findings": findings_rows(data),
        "action_plan": action_plan_rows(data),
        "no_action_plan_text": "Inga avvikelser konstaterades, så någon åtgärdsplan behövs inte.",
        "next_lines": next_followup_lines(data),
    }
    ctx |= signature_block(data)
    return ctx


def kvalitetsrevision_context(data: FollowUpData) -> dict[str, Any]:
    f = data.followup
    ctx = base_context(data, "Revisionsrapport")
    notes = f.notes or {}
    purpose = [POLICY_INTRO[FollowUpKind.kvalitetsrevision]]
    if notes.get("syfte"):
        purpose.append(str(notes["syfte"]))
    sections = _sections(data, "Granskningspunkt")
    n_items = sum(len(s["rows"]) for s in sections)
    municipal = roles_of(f.participants, "kommun")
    contractor = roles_of(f.participants, "utforare")
    method = [
        f"Revisionen genomfördes den {sv_date(f.planned_date)} genom "
        f"{methods_text(f.methods).lower()}."
    ]
    if municipal or contractor:
        method.append(
            (f"Från förvaltningen medverkade {sv_join(municipal)}" if municipal else "")
            + (" och från verksamheten " if municipal and contractor else "")
            + (
                ("Från verksamheten medverkade " if not municipal else "") + sv_join(contractor)
                if contractor
                else ""
            )
            + "."
        )
    method.append(
        f"Revisionen omfattade {n_items} granskningspunkter inom {len(sections)} områden."
    )
    if notes.get("metod"):
        method.append(str(notes["metod"]))
    summary = _summary_lines(data, "granskningspunkter")
    if notes.get("bedomning"):
        summary.append(str(notes["bedomning"]))
    ctx |= {
        "title": f"Kvalitetsrevision – {data.unit_names}",
        "subtitle": f"Rapport från revisionen den {sv_date(f.planned_date)}",
        "meta": meta_rows(data),
        "participant_rows": participant_rows(f.participants),
        "purpose": purpose,
        "method": method,
        "sections": sections,
        "summary": summary,
        "counts": result_counts(data, assessed_items(data)),
        "findings": findings_rows(data),
        "action_plan": action_plan_rows(data),
        "no_action_plan_text": "Revisionen lämnar inga förslag utöver förbättringsområdena ovan.",
        "next_lines": next_followup_lines(data),
    }
    ctx |= signature_block(data, "Rapporten upprättad av")
    return ctx


def recheck_context(data: FollowUpData) -> dict[str, Any]:
    f = data.followup
    ctx = base_context(data, "Minnesanteckningar")
    rows = carried_rows(data)
    if data.previous is not None:
        origin = [r for r in rows if r["origin"] == sv_date(data.previous.planned_date)]
        rows = origin + [r for r in rows if r not in origin]
    intro = []
    if data.previous is not None:
        prev_devs = "avvikelser"
        intro.append(
            f"Vid {labels.KIND_LABELS[data.previous.kind].lower()} den "
            f"{sv_date(data.previous.planned_date)} konstaterades {prev_devs} från avtalet, och "
            "utföraren upprättade en åtgärdsplan."
        )
    intro.append(POLICY_INTRO[FollowUpKind.ateruppfoljning])
    intro.append(
        "Vid återuppföljningen stämdes varje åtgärd av mot det underlag utföraren visade. En "
        "åtgärd räknas som verifierad först när underlaget har granskats."
    )
    marks = Counter(r["status"] for r in rows)
    counts = [{"label": label, "count": n} for label, n in marks.most_common()]
    counts.append({"label": "Totalt", "count": len(rows)})
    verified = marks.get(REVIEW_LABELS[ActionStatus.verifierad], 0)
    if rows and verified == len(rows):
        summary = [
            f"Samtliga {len(rows)} åtgärder är verifierade. Avvikelserna är därmed avslutade."
        ]
    elif rows:
        summary = [
            f"{verified} av {len(rows)} åtgärder är verifierade. Övriga åtgärder kvarstår och "
            "stäms av vid nästa uppföljning."
        ]
    else:
        summary = ["Det fanns inga åtgärder att stämma av."]
    ctx |= {
        "title": f"Återuppföljning – {data.unit_names}",
        "subtitle": f"Minnesanteckningar från återuppföljningen den {sv_date(f.planned_date)}",
        "meta": meta_rows(data),
        "participant_rows": participant_rows(f.participants),
        "intro": intro,
        "rechecked": rows,
        "counts": counts,
        "questions": question_rows(data, f.agenda),
        "summary": summary,
        "findings": findings_rows(data),
        "action_plan": action_plan_rows(data),
        "next_lines": next_followup_lines(data),
    }
    ctx |= signature_block(data)
    return ctx


def minutes_context(data: FollowUpData) -> dict[str, Any]:
    """The template context of the minutes of any kind of follow-up."""
    kind = data.followup.kind
    if kind is FollowUpKind.avtal:
        return avtal_context(data)
    if kind is FollowUpKind.kvalitetsrevision:
        return kvalitetsrevision_context(data)
    if kind is FollowUpKind.ateruppfoljning:
        return recheck_context(data)
    return generic_context(data)


# --------------------------------------------------------------------------- committee report


class Redactor:
    """Replace the names of the people of a follow-up by their role (committee documents)."""

    def __init__(self, people: Iterable[tuple[str, str]]) -> None:
        pairs = sorted(
            ((n.strip(), r.strip() or "företrädare") for n, r in people if n and n.strip()),
            key=lambda p: -len(p[0]),
        )
        self._pairs = pairs
        self._patterns = [
            (re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE), lower_first(role))
            for name, role in pairs
        ]
        # First names and surnames alone, too (e.g. "Maria sa att ...").
        parts: dict[str, str] = {}
        for name, role in pairs:
            for word in name.split():
                if len(word) >= 3:
                    parts.setdefault(word, lower_first(role))
        # "lex Maria" and "lex Sarah" are laws, not people.
        self._parts = [
            (re.compile(r"(?<![Ll]ex )(?<!\w)" + re.escape(w) + r"(?!\w)"), r)
            for w, r in parts.items()
        ]

    def __call__(self, text: str) -> str:
        for pattern, role in self._patterns:
            text = pattern.sub(role, text)
        for pattern, role in self._parts:
            text = pattern.sub(role, text)
        return text


def redactor_for(data: FollowUpData, extra: Iterable[tuple[str, str]] = ()) -> Redactor:
    people = [(str(p.get("name", "")), str(p.get("role", ""))) for p in data.followup.participants]
    people.append((data.contractor.contact_name, data.contractor.contact_role))
    if data.author_name:
        people.append((data.author_name, "utvecklingsledare"))
    if data.justerad_by:
        people.append((data.justerad_by, "förvaltningschef"))
    return Redactor([*people, *extra])


def area_rows(data: FollowUpData) -> list[dict[str, Any]]:
    by_area: dict[str, Counter[Result]] = defaultdict(Counter)
    for item in requirement_items(data) or assessed_items(data):
        a = data.assessments.get(item["key"])
        if a is None or a.result in (Result.ej_bedomd, Result.ej_aktuellt):
            continue
        by_area[strip_number(item.get("area") or item.get("section_title") or "Övrigt")][
            a.result
        ] += 1
    rows = []
    for area, c in by_area.items():
        rows.append(
            {
                "area": area,
                "assessed": sum(c.values()),
                "met": c.get(Result.uppfyllt, 0),
                "partly": c.get(Result.delvis_uppfyllt, 0),
                "not_met": c.get(Result.ej_uppfyllt, 0),
            }
        )
    return rows


def committee_deviation_rows(data: FollowUpData, redact: Redactor) -> list[dict[str, str]]:
    """Deviations as the committee sees them: the contract's words, not the meeting's."""
    items = data.item_by_key
    rows = []
    for f in data.live_findings():
        if f.kind is not FindingKind.avvikelse:
            continue
        item = items.get(f.item_key or "")
        if f.for_committee:
            text = join_sentences(f.title, f.description)
        elif item is not None and item.get("source") == "contract":
            text = item.get("text", "")
        else:
            text = f"Avvikelse inom området {finding_area(f, items).lower()}"
        actions = data.actions.get(f.id, [])
        due = max((a.due_date for a in actions if a.due_date), default=None)
        if f.status is FindingStatus.stangd:
            status = "Åtgärdad"
        elif f.status is FindingStatus.foreslagen:
            status = "Föreslagen"
        elif actions:
            status = "Åtgärdsplan finns"
        else:
            status = "Åtgärdsplan saknas"
        rows.append(
            {
                "clause": f.clause or (item or {}).get("clause") or DASH,
                "text": redact(text),
                "due": sv_date(due),
                "status": status,
            }
        )
    return rows


def lessons_of(findings: Iterable[Finding], redact: Redactor) -> list[dict[str, str]]:
    out = []
    for f in findings:
        if not f.for_committee or f.status is FindingStatus.avfardad:
            continue
        out.append(
            {
                "title": redact(f"{labels.FINDING_KIND_LABELS[f.kind]}: {f.title}"),
                "text": redact(f.description or ""),
            }
        )
    return out


def committee_context(data: FollowUpData, report_date: date | None = None) -> dict[str, Any]:
    """Tjänsteskrivelse about one follow-up: roles only, free text only when for_committee."""
    f = data.followup
    settings = get_settings()
    redact = redactor_for(data)
    report_date = report_date or (
        f.justerad_at.date() if data.justerad and f.justerad_at else data.today
    )
    ctx = base_context(data, "Tjänsteskrivelse", report_date)
    kind_label = labels.KIND_LABELS[f.kind]
    author_role = role_of(f.participants, data.author_name, "Utvecklingsledare")
    findings = data.live_findings()
    dev = [x for x in findings if x.kind is FindingKind.avvikelse]
    imp = [x for x in findings if x.kind is FindingKind.forbattringsomrade]
    n_actions = sum(len(data.actions.get(x.id, [])) for x in findings)
    items = requirement_items(data) or assessed_items(data)
    counts = Counter(
        data.assessments[i["key"]].result for i in items if i["key"] in data.assessments
    )
    assessed = sum(v for r, v in counts.items() if r not in (Result.ej_bedomd, Result.ej_aktuellt))
    summary = [
        f"{settings.administration} genomförde den {sv_date(f.planned_date)} en "
        f"{kind_label.lower()} hos {data.contractor.name} avseende {data.unit_names}."
    ]
    if assessed:
        summary.append(f"Av {assessed} bedömda krav och punkter var {result_sentence(counts)}.")
    summary.append(
        f"Uppföljningen ledde till {count_text(len(dev), 'avvikelse', 'avvikelser')} och "
        f"{count_text(len(imp), 'förbättringsområde', 'förbättringsområden')}."
        + (
            f" Utföraren har en åtgärdsplan med {count_text(n_actions, 'åtgärd', 'åtgärder')}"
            + (
                f", och återuppföljning sker senast {sv_date(data.recheck.planned_date)}."
                if data.recheck is not None and dev
                else "."
            )
            if n_actions
            else ""
        )
    )
    municipal = roles_of(f.participants, "kommun")
    contractor_roles = roles_of(f.participants, "utforare")
    background = [POLICY_INTRO.get(f.kind, "")]
    how = (
        f"Uppföljningen genomfördes den {sv_date(f.planned_date)} genom "
        f"{methods_text(f.methods).lower()}."
    )
    if municipal or contractor_roles:
        how += (
            (f" Från förvaltningen deltog {sv_join(municipal)}" if municipal else "")
            + (
                f"{' och från' if municipal else ' Från'} utföraren {sv_join(contractor_roles)}"
                if contractor_roles
                else ""
            )
            + "."
        )
    background.append(how)
    if f.kind is FollowUpKind.riktad and f.reason is not None:
        background.append(
            f"Orsaken till uppföljningen: {lower_first(labels.REASON_LABELS.get(f.reason, ''))}."
        )
    if data.analyses:
        staffing = staffing_block(data, for_committee=True)
        figures = {k["label"]: k["value"] for k in staffing["figures"]}
        background.append(
            f"Utförarens scheman för perioden {figures.get('Granskad period', '')} granskades. "
            f"Pass under åtagandet: {figures.get('Pass under åtagandet', 'inga').lower()}. "
            + (
                f"Andel arbetade timmar utförda av personal med kompetens: "
                f"{figures['Andel timmar med kompetens']}."
                if "Andel timmar med kompetens" in figures
                else ""
            )
        )
    if dev:
        assessment = [
            f"Förvaltningen bedömer att utföraren i huvudsak uppfyller avtalets krav men att "
            f"{count_text(len(dev), 'avvikelse', 'avvikelser')} måste åtgärdas. Utföraren har "
            "upprättat en åtgärdsplan, och förvaltningen följer upp att åtgärderna genomförs."
            if assessed and counts.get(Result.uppfyllt, 0) >= assessed * 0.8
            else f"Förvaltningen bedömer att utföraren inte fullt ut uppfyller avtalets krav. "
            f"{count_text(len(dev), 'avvikelse', 'avvikelser').capitalize()} ska åtgärdas enligt "
            "åtgärdsplanen, och förvaltningen återkommer till utskottet med resultatet av "
            "återuppföljningen."
        ]
    else:
        assessment = [
            "Förvaltningen bedömer att utföraren uppfyller de krav som följdes upp. Inga "
            "avvikelser från avtalet konstaterades."
        ]
    documents = [f"Denna tjänsteskrivelse, daterad {sv_date(report_date)}"]
    documents.append(
        f"Minnesanteckningar från {kind_label.lower()} den {sv_date(f.planned_date)}"
        + (
            f", justerade den {sv_date(f.justerad_at.date())}"
            if data.justerad and f.justerad_at
            else " (ej justerade)"
        )
    )
    if data.contract is not None:
        documents.append(f"Avtal {data.contract.dnr}: {data.contract.title}")
    ctx |= {
        "title": f"Information om {kind_label.lower()} – {data.contractor.name}, {data.unit_names}",
        "subtitle": "",
        "meta": [
            {"label": "Datum", "value": sv_date(report_date)},
            {"label": "Dnr", "value": data.contract.dnr if data.contract else DASH},
            {"label": "Handläggare", "value": f"{author_role}, {settings.administration}"},
            {"label": "Till", "value": "Vård- och omsorgsutskottet"},
        ],
        "proposal": [
            "Vård- och omsorgsutskottet noterar informationen om uppföljningen och lägger den "
            "till handlingarna."
        ],
        "summary": summary,
        "background": [redact(x) for x in background if x],
        "areas": area_rows(data),
        "deviations": committee_deviation_rows(data, redact),
        "followups": [],
        "area_findings": [],
        "action_figures": [],
        "lessons": lessons_of(findings, redact),
        "assessment": assessment,
        "documents": documents,
        "send_to": [data.contractor.name, "Förvaltningschef", "Kvalitetsrådet"],
        "recorder": {"label": settings.administration, "name": "Förvaltningschef", "role": ""},
        "approver": {"label": "", "name": author_role, "role": ""},
        "justerad_text": "",
    }
    return ctx


# --------------------------------------------------------------------------- rendering


def minutes_template(followup: FollowUp) -> str:
    return MINUTES_TEMPLATES[followup.kind]


def minutes_filename(data: FollowUpData, committee: bool = False) -> str:
    return document_filename(data.followup, data.unit_names, committee)


def document_filename(followup: FollowUp, unit_names: str, committee: bool = False) -> str:
    """Minnesanteckningar-Uppföljning-av-avtal-Solgården-2026-03-03-v1.docx"""
    prefix = "Tjansteskrivelse" if committee else "Minnesanteckningar"
    return safe_filename(
        prefix,
        labels.KIND_LABELS[followup.kind],
        unit_names.replace(" och ", "-"),
        followup.planned_date.isoformat(),
        f"v{followup.doc_version}",
    )


def render_minutes(session: Session, followup: FollowUp) -> bytes:
    """Render the minutes now (whatever the status); see `minutes_document` for downloads."""
    data = load_followup_data(session, followup)
    return render_docx(minutes_template(followup), minutes_context(data))


def render_committee_report(session: Session, followup: FollowUp) -> bytes:
    data = load_followup_data(session, followup)
    return render_docx(COMMITTEE_TEMPLATE, committee_context(data))


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes
    mime: str
    stored: bool = False
    sha256: str = ""


def _stored(session: Session, followup: FollowUp, kind: str) -> StoredDocument | None:
    return session.exec(
        select(StoredDocument)
        .where(
            StoredDocument.followup_id == followup.id,
            StoredDocument.followup_version == followup.doc_version,
            StoredDocument.kind == kind,
        )
        .order_by(col(StoredDocument.created_at), col(StoredDocument.id))
    ).first()


def stored_document(session: Session, followup: FollowUp, kind: str) -> StoredDocument:
    """The document of a justerad follow-up, generated once and kept byte for byte.

    A new version of the follow-up (after a correction, justerad again) gets its own document;
    the documents of earlier versions stay. The caller commits (one unit of work).
    """
    if followup.status is not FollowUpStatus.justerad:
        raise UserError(
            "Bara en justerad uppföljning har ett lagrat dokument. Justera uppföljningen först."
        )
    existing = _stored(session, followup, kind)
    if existing is not None:
        if hashlib.sha256(existing.content).hexdigest() != existing.sha256:
            raise UserError(
                "Det lagrade dokumentet stämmer inte med sin kontrollsumma (SHA-256). Kontakta "
                "systemförvaltaren; dokumentet lämnas inte ut."
            )
        return existing
    data = load_followup_data(session, followup)
    if kind == KIND_MINUTES:
        content = render_docx(minutes_template(followup), minutes_context(data))
        filename = minutes_filename(data)
    elif kind == KIND_COMMITTEE:
        content = render_docx(COMMITTEE_TEMPLATE, committee_context(data))
        filename = minutes_filename(data, committee=True)
    else:
        raise UserError(f"Okänd dokumenttyp {kind!r}.")
    doc = StoredDocument(
        followup_id=followup.id,
        followup_version=followup.doc_version,
        kind=kind,
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        created_at=datetime.now(UTC),
    )
    session.add(doc)
    session.flush()
    return doc


def stored_minutes(session: Session, followup: FollowUp) -> StoredDocument:
    """The minutes of a justerad follow-up: generated once, then the same bytes every time."""
    return stored_document(session, followup, KIND_MINUTES)


def justera_and_store(session: Session, actor: Actor, followup_id: uuid.UUID) -> FollowUp:
    """Justera a follow-up and keep its minutes unchanged from then on (one transaction)."""
    return fu.justera(session, actor, followup_id, store=stored_minutes)


def stored_documents_of(session: Session, followup_id: uuid.UUID) -> list[StoredDocument]:
    return list(
        session.exec(
            select(StoredDocument)
            .where(StoredDocument.followup_id == followup_id)
            .order_by(col(StoredDocument.followup_version), col(StoredDocument.kind))
        )
    )


def minutes_document(session: Session, followup: FollowUp, committee: bool = False) -> Download:
    """What the download button gives: the stored document when justerad, else a fresh draft."""
    from audit_app.services.documents import DOCX_MIME

    kind = KIND_COMMITTEE if committee else KIND_MINUTES
    if followup.status is FollowUpStatus.justerad:
        doc = stored_document(session, followup, kind)
        return Download(doc.filename, doc.content, DOCX_MIME, stored=True, sha256=doc.sha256)
    data = load_followup_data(session, followup)
    if committee:
        content = render_docx(COMMITTEE_TEMPLATE, committee_context(data))
    else:
        content = render_docx(minutes_template(followup), minutes_context(data))
    name = minutes_filename(data, committee).replace(".docx", "-utkast.docx")
    return Download(name, content, DOCX_MIME)


# --------------------------------------------------------------------------- sample data


def sample_data(kind: FollowUpKind = FollowUpKind.avtal) -> FollowUpData:
    """A made-up follow-up with every part filled in: for template checks and previews."""
    contractor = Contractor(name="Omsorg & Co AB", org_nr="556000-0000")
    contract = Contract(
        dnr="VOF 2026/1",
        title="Drift av särskilt boende",
        contractor_id=contractor.id,
        valid_from=date(2025, 1, 1),
        valid_to=date(2028, 12, 31),
    )
    unit = Unit(contractor_id=contractor.id, name="Exempelgården", kind=UnitKind.sarskilt_boende)
    meeting = date(2026, 3, 3)
    agenda = [
        {
            "key": "q1",
            "section_key": "foregaende",
            "section_title": "1. Föregående uppföljning",
            "text": "Minnesanteckningarna är genomgångna.",
            "kind": "fraga",
            "answer": "ja_nej",
            "clause": "",
            "unit": "",
            "area": "",
        },
        {
            "key": "q2",
            "section_key": "bemanning",
            "section_title": "2. Aktuell personalsituation",
            "text": "Andel undersköterskor.",
            "kind": "fraga",
            "answer": "tal",
            "clause": "",
            "unit": "procent",
            "area": "",
        },
        {
            "key": "krav-1",
            "section_key": "ska-krav",
            "section_title": "3. SKA-krav",
            "text": "Utföraren ska ha ett ledningssystem.",
            "kind": "ska_krav",
            "answer": "bedomning",
            "clause": "4.1.1",
            "unit": "",
            "area": "Ledning och kvalitet",
            "source": "contract",
        },
        {
            "key": "krav-2",
            "section_key": "ska-krav",
            "section_title": "3. SKA-krav",
            "text": "Genomförandeplan inom 14 dagar.",
            "kind": "ska_krav",
            "answer": "bedomning",
            "clause": "4.3.1",
            "unit": "",
            "area": "Individens planering",
            "source": "contract",
        },
        {
            "key": "q4",
            "section_key": "atgardsplan",
            "section_title": "4. Åtgärdsplan",
            "text": "Datum för nästa halvårsuppföljning.",
            "kind": "fraga",
            "answer": "datum",
            "clause": "",
            "unit": "",
            "area": "",
        },
    ]
    followup = FollowUp(
        kind=kind,
        title=labels.KIND_LABELS[kind],
        contractor_id=contractor.id,
        contract_id=contract.id,
        planned_date=meeting,
        planned_time="09:00",
        place="Konferensrummet",
        methods=["dokumentgranskning", "intervju"],
        reason=RiktadReason.politiskt_beslut if kind is FollowUpKind.riktad else None,
        participants=[
            {"name": "Anna Exempel", "role": "Förvaltningschef", "side": "kommun"},
            {"name": "Bo Exempel", "role": "Utvecklingsledare", "side": "kommun"},
            {"name": "Cia Exempel", "role": "Verksamhetschef", "side": "utforare"},
        ],
        status=FollowUpStatus.justerad,
        agenda=agenda,
        notes={"personaltathet": "0,8 åa per plats", "bemanning_kommentar": "Inga vakanser."},
        justerad_at=datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
    )
    previous = FollowUp(
        kind=FollowUpKind.avtal,
        title="Uppföljning av avtal",
        contractor_id=contractor.id,
        planned_date=date(2025, 9, 2),
        agenda=agenda,
    )
    assessments = {
        "q1": Assessment(followup_id=followup.id, item_key="q1", value="ja"),
        "q2": Assessment(followup_id=followup.id, item_key="q2", value="82"),
        "krav-1": Assessment(followup_id=followup.id, item_key="krav-1", result=Result.uppfyllt),
        "krav-2": Assessment(
            followup_id=followup.id,
            item_key="krav-2",
            result=Result.ej_uppfyllt,
            comment="Saknas för två av tio brukare.",
        ),
        "q4": Assessment(followup_id=followup.id, item_key="q4", value="2026-09-01"),
    }
    finding = Finding(
        followup_id=followup.id,
        kind=FindingKind.avvikelse,
        item_key="krav-2",
        clause="4.3.1",
        area="3. SKA-krav",
        title="Genomförandeplan inom 14 dagar.",
        description="Saknas för två av tio brukare.",
        for_committee=True,
    )
    action = Action(
        finding_id=finding.id,
        what="Upprätta genomförandeplaner",
        responsible="Verksamhetschef",
        due_date=date(2026, 4, 30),
    )
    old_finding = Finding(
        followup_id=previous.id, kind=FindingKind.avvikelse, clause="4.1.3", title="Egenkontroll"
    )
    old_action = Action(
        finding_id=old_finding.id,
        what="Genomföra egenkontroll",
        responsible="Enhetschef",
        due_date=date(2025, 11, 30),
        status=ActionStatus.verifierad,
    )
    review = ActionReview(
        followup_id=followup.id,
        action_id=old_action.id,
        status=ActionStatus.verifierad,
        comment="Protokoll granskat.",
    )
    analysis = StaffingAnalysis(
        followup_id=followup.id,
        filename="schema.xlsx",
        file_sha256="0" * 64,
        rules={
            "sections": ["Avd A"],
            "periods": [{"name": "Dag"}, {"name": "Natt"}],
            "min_competent_hours_share": 0.75,
        },
        result={
            "from": "2026-02-16",
            "to": "2026-03-01",
            "shifts": 120,
            "total_hours": 980.5,
            "competent_hours": 760.0,
            "competent_share": 0.7751,
            "share_breached": False,
            "distinct_people": 21,
            "hours_by_section": {"Avd A": 980.5},
            "warnings": [],
            "breaches": [
                {
                    "date": "2026-02-20",
                    "section": "Avd A",
                    "period": "Natt",
                    "kind": "competent",
                    "required": 1,
                    "present": 0,
                }
            ],
        },
    )
    return FollowUpData(
        followup=followup,
        contractor=contractor,
        contract=contract,
        units=[unit],
        assessments=assessments,
        findings=[finding],
        actions={finding.id: [action]},
        carried=[(previous, old_finding, old_action)],
        reviews={old_action.id: review},
        previous=previous,
        justerad_by="Anna Exempel",
        recheck=FollowUp(
            kind=FollowUpKind.ateruppfoljning,
            contractor_id=contractor.id,
            planned_date=date(2026, 6, 3),
        ),
        analyses=[analysis],
        author_name="Bo Exempel",
        doc_version=1,
        today=date(2026, 3, 6),
    )


def _register() -> None:
    specs = [
        (
            "minnesanteckningar_avtal.docx",
            "Minnesanteckningar, uppföljning av avtal",
            "Uppföljning av avtal (policyns fyra punkter)",
            FollowUpKind.avtal,
        ),
        (
            "minnesanteckningar_uppfoljning.docx",
            "Minnesanteckningar, övriga uppföljningar",
            "Ledningssystem, särskilt riktad uppföljning och kontroll av biståndsärenden",
            FollowUpKind.ledningssystem,
        ),
        (
            "rapport_kvalitetsrevision.docx",
            "Rapport, kvalitetsrevision",
            "Kvalitetsrevision",
            FollowUpKind.kvalitetsrevision,
        ),
        (
            "minnesanteckningar_ateruppfoljning.docx",
            "Minnesanteckningar, återuppföljning",
            "Återuppföljning av åtgärder",
            FollowUpKind.ateruppfoljning,
        ),
    ]
    for filename, label, used_for, kind in specs:
        register_template(
            TemplateSpec(
                filename,
                label,
                used_for,
                lambda kind=kind: minutes_context(sample_data(kind)),  # type: ignore[misc]
            )
        )
    register_template(
        TemplateSpec(
            COMMITTEE_TEMPLATE,
            "Tjänsteskrivelse",
            "Rapport till utskottet om en uppföljning, och kvartalssammanställningen till "
            "kvalitetsrådet",
            lambda: committee_context(sample_data(FollowUpKind.avtal)),
        )
    )


_register()
