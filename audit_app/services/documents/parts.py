"""Pieces every document of a follow-up shares: answers, counts, findings, participants, signature."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import zip_longest
from typing import Any

from audit_app.domain import labels
from audit_app.domain.agenda import AgendaItem, parse_agenda
from audit_app.domain.svtext import (
    PUNKT,
    amount,
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
from audit_app.services.documents.facts import FollowUpFacts
from audit_app.services.documents.logo import logo_picture


def policy_intro(kind: FollowUpKind, committee: str) -> str:
    """What the policy (seed 002) says this kind of follow-up is for; the committee by name."""
    body = lower_first(committee)
    texts = {
        FollowUpKind.avtal: (
            "Enligt kommunens policy för uppföljning följs entreprenadavtalet upp varje halvår, "
            "i samband med uppföljningen av utförarens ledningssystem. Uppföljningen omfattar "
            "genomgång av föregående minnesanteckningar, aktuell personalsituation, avtalets "
            "SKA-krav och eventuella avvikelser samt en åtgärdsplan för avvikelserna."
        ),
        FollowUpKind.ledningssystem: (
            "Genomgång av verksamhetens ledningssystem görs en gång per halvår enligt kommunens "
            "policy för uppföljning. Ledningssystemet granskas utifrån fem kriterier: att det "
            "finns processer och rutiner för att säkra kvaliteten, att riskanalyser görs, att "
            "egenkontroller görs, att klagomål, synpunkter och rapporter om missförhållanden "
            "används för att säkra kvaliteten samt resultatet vid senaste kvalitetsrevision och "
            "vidtagna åtgärder."
        ),
        FollowUpKind.kvalitetsrevision: (
            f"Interna kvalitetsrevisioner görs på uppdrag av {body}, som fastställer inriktning "
            "och omfattning. Syftet är att följa upp att kommunens rutiner för att säkra "
            "kvaliteten fungerar ute i verksamheten och att ge förslag på förbättringsområden."
        ),
        FollowUpKind.riktad: (
            "En särskilt riktad uppföljning kan avse en hel grupp av verksamheter eller en "
            "särskild aspekt inom en eller flera verksamheter."
        ),
        FollowUpKind.bistandsarenden: (
            f"{committee} kontrollerar vid varje sammanträde tre biståndsärenden som handlagts "
            "enligt delegationsordningen. Kontrollen omfattar bakgrundsfakta, bedömning och "
            "beslut. Beviljade insatser följs upp utifrån fyra frågor: om den enskilde har fått "
            "de insatser som beslutades, om rätt insatser beviljades i rätt omfattning i rätt "
            "tid, om insatserna har haft avsedd effekt och om den enskilde är nöjd med "
            "utförandet. Ärendena anges med ärendereferens, aldrig med personnummer."
        ),
        FollowUpKind.ateruppfoljning: (
            "Enligt kommunens policy för uppföljning upprättas en åtgärdsplan för varje "
            "avvikelse från avtalet och en ny uppföljning sker inom tre månader."
        ),
    }
    return texts[kind]


REVIEW_LABELS: dict[ActionStatus, str] = labels.ACTION_STATUS_LABELS | {
    ActionStatus.genomford: "Genomförd, ej verifierad",
    ActionStatus.pagar: labels.REVIEW_MARK_LABELS[ReviewMark.kvarstar],
}
"""How the minutes state an action's mark at point 1: an action still under way is said to
remain (kvarstår), and a genomförd one not yet verified (the contractor's word, no evidence)."""
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
        if unit.casefold() == "antal":  # "9", not "9 antal"
            unit = ""
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


def question_rows(data: FollowUpData, items: Iterable[AgendaItem]) -> list[dict[str, str]]:
    rows = []
    for item in items:
        a = data.assessments.get(item.key)
        answer, comment = answer_text(item, a), answer_comment(a)
        if len(answer) > LONG_ANSWER and not item.is_assessment():
            # prose answered in words goes in the wide column, so no word breaks in the narrow
            answer, comment = "Se kommentar", join_sentences(answer, comment)
        rows.append({"text": item.label, "answer": answer, "comment": comment})
    return rows


LONG_ANSWER = 30
"""A written answer longer than this fills the comment column (the answer column is narrow)."""


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


FINDING_ORDER = {
    FindingKind.avvikelse: 0,
    FindingKind.forbattringsomrade: 1,
    FindingKind.iakttagelse: 2,
}


def findings_rows(
    data: FollowUpData, findings: Sequence[Finding] | None = None, *, named: bool = True
) -> list[dict[str, str]]:
    """The findings' rows (avvikelser first); on a follow-up of several units each names its
    unit in "where" unless `named` is False (the rows stand under the unit's heading)."""
    items = data.item_by_key
    rows = []
    live = data.live_findings() if findings is None else findings
    for f in sorted(live, key=lambda x: FINDING_ORDER[x.kind]):
        kind = labels.FINDING_KIND_LABELS[f.kind]
        if f.status is FindingStatus.foreslagen:
            kind += " (föreslagen)"
        where = finding_clause(f, items) or finding_area(f, items)
        unit = data.unit_name(f.unit_id)
        if named and data.several_units and unit:
            where = f"{unit}: {where}"
        text = f.title
        assessment = data.assessments.get(f.item_key or "")
        same = assessment is not None and assessment.comment.strip() == f.description.strip()
        if f.description and not same:
            text = join_sentences(text, f.description)
        if f.downgrade_reason:
            text += f" (Förbättringsområde i stället för avvikelse: {f.downgrade_reason})"
        rows.append({"kind": kind, "where": where, "text": text})
    return rows


def finding_groups(data: FollowUpData) -> list[dict[str, Any]]:
    """The findings per unit of a follow-up of several units, each group headed by the unit and
    its contractor ('Ekbacken (Trygga Händer Vård AB)'); one group without a heading otherwise.
    Findings without a unit (recorded before the follow-up got more units) come last."""
    live = data.live_findings()
    if not live:
        return []
    if not data.several_units:
        return [{"unit": "", "rows": findings_rows(data, live)}]
    owners = {c.id: c.name for c in data.contractors}
    groups = []
    for unit in data.units:
        mine = [f for f in live if f.unit_id == unit.id]
        if mine:
            owner = owners.get(unit.contractor_id, "")
            groups.append(
                {
                    "unit": f"{unit.name} ({owner})" if owner else unit.name,
                    "rows": findings_rows(data, mine, named=False),
                }
            )
    rest = [f for f in live if f.unit_id not in {u.id for u in data.units}]
    if rest:
        groups.append({"unit": "Gemensamt för enheterna", "rows": findings_rows(data, rest)})
    return groups


def action_plan_rows(data: FollowUpData) -> list[dict[str, str]]:
    items = data.item_by_key
    rows = []
    for f in data.live_findings():
        unit = data.unit_name(f.unit_id) if data.several_units else ""
        for a in data.actions.get(f.id, []):
            rows.append(
                {
                    "finding": f"{unit}: {finding_label(f, items)}"
                    if unit
                    else finding_label(f, items),
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
                "who_when": ", ".join(
                    x for x in (action.responsible, sv_date(action.due_date)) if x
                ),
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
    rechecks = data.rechecks or ([data.recheck] if data.recheck is not None else [])
    if len(data.contractors) > 1 and rechecks and deviations:  # one per contractor
        owners = {c.id: c.name for c in data.contractors}
        for recheck in rechecks:
            units = sv_join(
                dict.fromkeys(
                    data.unit_name(f.unit_id)
                    for f in deviations
                    if f.recheck_followup_id == recheck.id and data.unit_name(f.unit_id)
                )
            )
            owner = owners.get(recheck.contractor_id, "") if recheck.contractor_id else ""
            who = f" hos {owner}" + (f" ({units})" if units else "") if owner else ""
            lines.append(
                f"Återuppföljning av avvikelserna{who} sker senast "
                f"{sv_date(recheck.planned_date)}"
                + (
                    "."
                    if len(rechecks) > 1
                    else ", inom tre månader enligt kommunens policy för uppföljning."
                )
            )
        if len(rechecks) > 1:
            lines.append("Återuppföljningarna sker inom tre månader enligt kommunens policy.")
    elif rechecks and deviations:
        lines.append(
            f"Återuppföljning av avvikelserna sker senast {sv_date(rechecks[0].planned_date)}, "
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


def participants_block(data: FollowUpData) -> dict[str, Any]:
    """Who was there: a table of the two sides, or, at the committee's check where no
    contractor takes part, a list of the municipality's participants."""
    parts = data.followup.participants
    if data.contractors or roles_of(parts, Side.utforare):
        return {"participant_rows": participant_rows(parts), "participant_list": []}
    return {"participant_rows": [], "participant_list": participant_lines(parts, Side.kommun)}


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


DRAFT_MINUTES = "UTKAST – ej justerat"
"""The header's mark on minutes that are not justerade (a tjänsteskrivelse is signed, and has
no such mark)."""


def head(
    data: FollowUpData, doc_type: str, datum: date | None = None, *, draft_text: str = ""
) -> dict[str, Any]:
    """The fields of every template's header and footer, for a document of one follow-up."""
    kommun, forvaltning = data.settings.names()
    return {
        "kommun": kommun,
        "forvaltning": forvaltning,
        "doc_type": doc_type,
        "datum": sv_date(datum or data.followup.planned_date),
        "dnr": data.contract.dnr if data.contract else "",
        "version": data.doc_version,
        "draft_text": draft_text,
        "logo": logo_picture(),
    }


def minutes_head(data: FollowUpData, doc_type: str = "Minnesanteckningar") -> dict[str, Any]:
    """The header of the minutes: marked as a draft until justerade."""
    return head(data, doc_type, draft_text="" if data.justerad else DRAFT_MINUTES)


def scope_text(data: FollowUpData, facts: FollowUpFacts) -> str:
    """'45 punkter på dagordningen, varav 7 inte bedömda' (the items left without an answer)."""
    total = amount(facts.agenda_items, PUNKT, words=False)
    if not facts.unanswered:
        return f"{total} på dagordningen, samtliga besvarade"
    return f"{total} på dagordningen, varav {facts.unanswered} utan bedömning eller svar"


def meta_rows(data: FollowUpData, facts: FollowUpFacts | None = None) -> list[dict[str, str]]:
    f = data.followup
    rows = []
    if len(data.contractors) > 1:  # the units per contractor
        for contractor in data.contractors:
            mine = [u.name for u in data.units_of(contractor)]
            rows.append({"label": "Utförare", "value": contractor.name})
            rows.append(
                {"label": "Verksamheter" if len(mine) > 1 else "Verksamhet", "value": sv_join(mine)}
            )
    elif data.contractors:
        rows.append({"label": "Utförare", "value": data.contractors[0].name})
        rows.append({"label": "Verksamhet", "value": data.unit_names})
    else:  # the committee's own check: no contractor, no unit
        rows.append({"label": "Kontroll för", "value": data.settings.committee})
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
    if facts is not None and facts.agenda_items:
        rows.append({"label": "Omfattning", "value": scope_text(data, facts)})
    if data.justerad and f.justerad_at is not None:
        status = f"Justerad {sv_date(f.justerad_at)}"
    else:
        status = labels.STATUS_LABELS[f.status] + " – utkast, ej justerat"
    rows.append({"label": "Status", "value": f"{status} (version {data.doc_version})"})
    return rows


def title_of(data: FollowUpData, name: str) -> str:
    """The title of a municipal official: from the settings, else the follow-up's participants."""
    return data.settings.official_title(name) or role_of(data.followup.participants, name, "")


def signature_block(data: FollowUpData, left_label: str = "Vid anteckningarna") -> dict[str, Any]:
    f = data.followup
    parts = f.participants
    recorder_name = data.author_name or next(
        (str(p["name"]) for p in parts if p.get("side") == Side.kommun), ""
    )
    if data.justerad_by:
        approver_name = data.justerad_by
    else:
        chef = next(
            (
                p
                for p in parts
                if p.get("side") == Side.kommun and "chef" in str(p.get("role", "")).lower()
            ),
            None,
        )
        approver_name = str(chef["name"]) if chef else data.settings.signatory.name
    approver_role = title_of(data, approver_name) if approver_name else ""
    justerad_text = ""
    if data.justerad and f.justerad_at is not None:
        justerad_text = (
            f"Justerad i Revisionsstöd den {sv_date(f.justerad_at)} av {data.justerad_by}."
        )
        if f.correction_reason:
            justerad_text += f" Version {data.doc_version}, rättelse: {f.correction_reason}"
    return {
        "recorder": {
            "label": left_label,
            "name": recorder_name,
            "role": title_of(data, recorder_name),
        },
        "approver": {"label": "Justeras", "name": approver_name, "role": approver_role},
        "justerad_text": justerad_text,
    }


def sendlist(data: FollowUpData) -> list[str]:
    """Who the minutes go to: the contractor (by the roles at the meeting), every contractor
    with its units when they are several, or the committee for its own check; the
    administration's participants, and the file of the contract."""
    _kommun, forvaltning = data.settings.names()
    lines = []
    theirs = roles_of(data.followup.participants, Side.utforare)
    if len(data.contractors) == 1:
        lines.append(f"{data.contractors[0].name}" + (f" ({sv_join(theirs)})" if theirs else ""))
    for contractor in data.contractors if len(data.contractors) > 1 else []:
        lines.append(f"{contractor.name} ({sv_join([u.name for u in data.units_of(contractor)])})")
    if not data.contractors:  # the committee's own check goes to the committee
        lines.append(data.settings.committee)
    ours = roles_of(data.followup.participants, Side.kommun)
    if ours:
        lines.append(f"{forvaltning} ({sv_join(ours)})")
    if data.contract is not None:
        lines.append(f"Akten för avtalet, dnr {data.contract.dnr}")
    return lines
