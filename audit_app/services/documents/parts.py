"""Pieces every document of a follow-up shares: answers, counts, findings, participants, signature."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import zip_longest
from typing import Any

from audit_app.config import get_settings
from audit_app.domain import labels
from audit_app.domain.agenda import AgendaItem, parse_agenda
from audit_app.domain.svtext import (
    lower_first,
    short,
    sv_date,
    sv_datetime,
    sv_join,
    sv_number,
    sv_percent,
)
from audit_app.models import (
    Action,
    ActionStatus,
    AnswerType,
    Assessment,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    Method,
    Result,
    ReviewMark,
    SectionRole,
    Side,
)
from audit_app.services.documents.data import DASH, FollowUpData

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
REVIEW_LABELS: dict[ActionStatus, str] = labels.ACTION_STATUS_LABELS | {
    ActionStatus.genomford: "Genomförd, ej verifierad",
    ActionStatus.pagar: labels.REVIEW_MARK_LABELS[ReviewMark.kvarstar],
}
"""How the minutes state an action's mark at point 1: an action still under way is said to
remain (kvarstår), and a genomförd one not yet verified (the contractor's word, no evidence)."""
COUNTED_RESULTS = [
    Result.uppfyllt,
    Result.delvis_uppfyllt,
    Result.ej_uppfyllt,
    Result.ej_aktuellt,
    Result.ej_bedomd,
]
NOT_JUDGED = (Result.ej_bedomd, Result.ej_aktuellt)


# --------------------------------------------------------------------------- text


def strip_number(title: str) -> str:
    """'3. SKA-krav i avtalet' -> 'SKA-krav i avtalet'."""
    return re.sub(r"^\s*\d+(\.\d+)*\.?\s+", "", title or "").strip()


def methods_text(methods: Iterable[str]) -> str:
    """'Dokumentgranskning och intervju'."""
    names = [labels.label_of(Method, m) for m in methods]
    return sv_join([names[0]] + [lower_first(x) for x in names[1:]]) if names else DASH


def join_sentences(first: str, second: str) -> str:
    """'Rubrik' + 'Text.' -> 'Rubrik. Text.' (no doubled full stop)."""
    first, second = first.strip(), second.strip()
    if not first or not second:
        return first or second
    return f"{first}{'' if first[-1] in '.!?:…' else '.'} {second}"


def answer_text(item: AgendaItem, assessment: Assessment | None) -> str:
    """The answer as the documents show it: Uppfyllt, Ja, 82 %, 3 mars 2026."""
    if assessment is None:
        return labels.RESULT_LABELS[Result.ej_bedomd] if item.is_assessment() else DASH
    if item.is_assessment():
        return labels.RESULT_LABELS[assessment.result]
    value = (assessment.value or "").strip()
    if not value:
        return DASH
    if item.answer is AnswerType.ja_nej:
        return {"ja": "Ja", "nej": "Nej"}.get(value.lower(), value)
    if item.answer is AnswerType.datum:
        return sv_date(value)
    if item.answer is AnswerType.tal:
        unit = item.unit.strip()
        percent = unit in ("procent", "%")
        try:
            number = float(value.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
        except ValueError:
            return f"{value}\u00a0%" if percent else f"{value} {unit}".strip()
        if percent:  # a share is written in whole percent, like every share in the app
            return sv_percent(number / 100)
        shown = sv_number(number, 2 if abs(number) < 10 and not number.is_integer() else 1)
        return f"{shown} {unit}".strip()
    return value


# --------------------------------------------------------------------------- agenda


def items_by_key(followup: FollowUp) -> dict[str, AgendaItem]:
    """The typed agenda items of a follow-up by key."""
    return {i.key: i for i in parse_agenda(followup.agenda)}


def assessed_items(data: FollowUpData) -> list[AgendaItem]:
    return [i for i in data.agenda if i.is_assessment()]


def requirement_items(data: FollowUpData) -> list[AgendaItem]:
    return [i for i in data.agenda if i.is_requirement and i.is_assessment()]


def result_counts(
    data: FollowUpData, items: Sequence[AgendaItem], all_results: bool = False
) -> list[dict[str, Any]]:
    counts = Counter(
        (data.assessments[i.key].result if i.key in data.assessments else Result.ej_bedomd)
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


def question_rows(data: FollowUpData, items: Iterable[AgendaItem]) -> list[dict[str, str]]:
    rows = []
    for item in items:
        a = data.assessments.get(item.key)
        rows.append(
            {"text": item.label, "answer": answer_text(item, a), "comment": answer_comment(a)}
        )
    return rows


def answer_comment(a: Assessment | None) -> str:
    """The revisor's comment, with what the staffing review measured and, where the revisor
    kept "uppfyllt" against it, the reason: both stand in the minutes."""
    if a is None:
        return ""
    parts = []
    if a.measured:
        parts.append(f"Schemagranskningen: {a.measured.strip()}")
    if a.override_reason:
        parts.append(f"Bedömningen står fast trots schemagranskningen: {a.override_reason}")
    if (a.comment or "").strip():
        parts.append(a.comment.strip())
    return " ".join(parts)


# --------------------------------------------------------------------------- findings and actions


def finding_area(finding: Finding, items: Mapping[str, AgendaItem]) -> str:
    item = items.get(finding.item_key or "")
    area = (item.area if item else "") or finding.area
    return strip_number(area) or "Övrigt"


def finding_clause(finding: Finding, items: Mapping[str, AgendaItem]) -> str:
    """The contract clause of a finding, or of the agenda item it comes from."""
    item = items.get(finding.item_key or "")
    return finding.clause or (item.clause if item else "")


def finding_label(finding: Finding, items: Mapping[str, AgendaItem]) -> str:
    """How an action plan names its finding: '4.3.1 Genomförandeplan ...' or the title."""
    clause = finding_clause(finding, items)
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
        where = finding_clause(f, items) or finding_area(f, items)
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


def carried_rows(data: FollowUpData) -> list[dict[str, str]]:
    """The earlier actions checked off at this follow-up (agenda point 1)."""
    rows = []
    agendas: dict[Any, dict[str, AgendaItem]] = {}
    for origin, finding, action in data.carried:
        review = data.reviews.get(action.id)
        if review is not None:
            status = REVIEW_LABELS[review.status]
            comment = review.comment
        elif action.status is ActionStatus.verifierad:
            continue  # verified at another follow-up: nothing to check off here
        else:
            status = "Ej avstämd"
            comment = ""
        if origin.id not in agendas:
            agendas[origin.id] = items_by_key(origin)
        rows.append(
            {
                "finding": finding_label(finding, agendas[origin.id]),
                "what": action.what,
                "responsible": action.responsible,
                "due": sv_date(action.due_date),
                "status": status,
                "comment": comment,
                "origin": sv_date(origin.planned_date),
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
    for item in data.agenda:
        if item.answer is not AnswerType.datum or item.section_role is SectionRole.staffing:
            continue
        if item.key == "atg-ateruppfoljning":  # the re-check date, said in the line above
            continue
        if "nästa" in item.text.lower():
            a = data.assessments.get(item.key)
            if a is not None and a.value:
                lines.append(f"Nästa uppföljning: {sv_date(a.value)}.")
    return lines


# --------------------------------------------------------------------------- participants


def participant_lines(participants: Sequence[dict[str, Any]], side: Side) -> list[str]:
    out = []
    for p in participants:
        if p.get("side") != side:
            continue
        name, role = str(p.get("name", "")).strip(), str(p.get("role", "")).strip()
        out.append(f"{name}, {lower_first(role)}" if role else name)
    return out


def participant_rows(participants: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    kommun = participant_lines(participants, Side.kommun)
    utforare = participant_lines(participants, Side.utforare)
    return [
        {"kommun": k or "", "utforare": u or ""}
        for k, u in zip_longest(kommun, utforare, fillvalue="")
    ]


def roles_of(participants: Sequence[dict[str, Any]], side: Side) -> list[str]:
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


# --------------------------------------------------------------------------- head and foot


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
        status = f"Justerad {sv_date(f.justerad_at)}"
    else:
        status = labels.STATUS_LABELS[f.status] + " – utkast, ej justerat"
    rows.append({"label": "Status", "value": f"{status} (version {data.doc_version})"})
    return rows


def signature_block(data: FollowUpData, left_label: str = "Vid anteckningarna") -> dict[str, Any]:
    f = data.followup
    parts = f.participants
    recorder_name = data.author_name or next(
        (str(p["name"]) for p in parts if p.get("side") == Side.kommun), ""
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
                if p.get("side") == Side.kommun and "chef" in str(p.get("role", "")).lower()
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
