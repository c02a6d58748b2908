"""The minutes of a follow-up as a template context, one builder per kind of follow-up.

The minutes name the participants (they are sent to the contractor). An avtalsuppföljning
follows the policy's four points, recognised by the role of each agenda section; the other
kinds list their checklist sections.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from audit_app.domain import labels
from audit_app.domain.agenda import AgendaItem, sections_of
from audit_app.domain.svtext import capitalize, count_text, lower_first, sv_date, sv_join
from audit_app.models import (
    ActionStatus,
    FindingKind,
    FollowUpKind,
    ItemKind,
    Result,
    SectionRole,
    Side,
)
from audit_app.services.documents.data import DASH, FollowUpData
from audit_app.services.documents.indicators import minutes_lines
from audit_app.services.documents.parts import (
    POLICY_INTRO,
    REVIEW_LABELS,
    action_plan_rows,
    assessed_items,
    base_context,
    carried_rows,
    findings_rows,
    meta_rows,
    methods_text,
    next_followup_lines,
    participant_rows,
    question_rows,
    requirement_items,
    result_counts,
    result_sentence,
    roles_of,
    signature_block,
)
from audit_app.services.documents.staffing_review import staffing_block

ITEM_HEADERS: dict[FollowUpKind, str] = {
    FollowUpKind.ledningssystem: "Kriterium",
    FollowUpKind.bistandsarenden: "Kontrollfråga",
}
"""The heading of the item column where a kind's checklist items are not questions."""
POLICY_POINT: dict[SectionRole, int] = {
    SectionRole.previous: 1,
    SectionRole.staffing: 2,
    SectionRole.action_plan: 4,
}
"""The point of the policy's agenda a section plays; every other section is point 3."""


def _point_sections(data: FollowUpData) -> dict[int, list[AgendaItem]]:
    """Put every agenda item under one of the policy's four points, by its section's role."""
    points: dict[int, list[AgendaItem]] = {1: [], 2: [], 3: [], 4: []}
    for item in data.agenda:
        role = item.section_role
        points[POLICY_POINT.get(role, 3) if role is not None else 3].append(item)
    return points


def avtal_context(data: FollowUpData) -> dict[str, Any]:
    """Minutes of an avtalsuppföljning along the policy's four points."""
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
            f"{capitalize(count_text(len(carried), 'åtgärd', 'åtgärder'))} från tidigare "
            "uppföljningar stämdes av: "
            + sv_join(f"{n} {label.lower()}" for label, n in marks.most_common())
            + "."
        )
    elif data.previous is not None:
        intro1.append("Det fanns inga öppna åtgärder från tidigare uppföljningar att stämma av.")
    if data.signals_since is not None:
        intro1.append(
            data.signals_since.text
            + " Signalerna (lex Sarah, lex Maria, klagomål, synpunkter, IVO-beslut och rapporter "
            "som inte lämnats in) redovisas som antal och kategorier."
        )

    reqs = requirement_items(data)
    not_met = []
    for item in reqs:
        a = data.assessments.get(item.key)
        if a is not None and a.result in (Result.delvis_uppfyllt, Result.ej_uppfyllt):
            not_met.append(
                {
                    "clause": item.clause or DASH,
                    "text": item.text,
                    "result": labels.RESULT_LABELS[a.result],
                    "comment": a.comment,
                }
            )
    deviations = [x for x in data.live_findings() if x.kind is FindingKind.avvikelse]
    ska = sum(1 for i in reqs if i.kind is ItemKind.ska_krav)
    # The indicators first: the requirements' line leads into the table of results after it.
    intro3 = [
        *minutes_lines(data),
        f"Avtalets krav gicks igenom punkt för punkt ({ska} SKA-krav och "
        f"{len(reqs) - ska} BÖR-krav). Resultatet av bedömningen:"
        if reqs
        else "Inga krav ur avtalet fanns på dagordningen.",
    ]
    intro4 = []
    if deviations:
        intro4.append(
            f"För {count_text(len(deviations), 'avvikelsen', 'avvikelserna')} från avtalet "
            "upprättades följande åtgärdsplan. Utföraren ansvarar för att åtgärderna genomförs och "
            "kan visa underlag för dem vid återuppföljningen."
        )
    notes = data.notes
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
            "questions": question_rows(data, [i for i in points[3] if not i.is_requirement]),
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
    """The agenda's sections, each with its questions, answers and comments."""
    header = ITEM_HEADERS.get(data.followup.kind, default_header)
    return [
        {
            "title": section.title or "Övrigt",
            "description": data.section_descriptions.get(section.key, ""),
            "item_header": "Krav" if any(i.is_requirement for i in section.items) else header,
            "rows": question_rows(data, section.items),
        }
        for section in sections_of(data.agenda)
    ]


def _summary_lines(data: FollowUpData, noun: str = "punkter") -> list[str]:
    items = assessed_items(data)
    counts = Counter(data.assessments[i.key].result for i in items if i.key in data.assessments)
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
    """Minutes of a ledningssystem, riktad or biståndsärenden follow-up, section by section."""
    f = data.followup
    ctx = base_context(data, "Minnesanteckningar")
    intro = [POLICY_INTRO.get(f.kind, "")]
    if f.kind is FollowUpKind.riktad and f.reason is not None:
        reason = labels.REASON_LABELS.get(f.reason, str(f.reason))
        intro.append(f"Orsaken till uppföljningen: {lower_first(reason)}.")
        if f.reason_text:
            intro.append(f.reason_text)
    assessed = assessed_items(data)
    ctx |= {
        "title": f"{f.title or labels.KIND_LABELS[f.kind]} – {data.unit_names}",
        "subtitle": f"Minnesanteckningar från uppföljningen den {sv_date(f.planned_date)}",
        "meta": meta_rows(data),
        "participant_rows": participant_rows(f.participants),
        "intro": [x for x in intro if x],
        "sections": _sections(data, "Fråga"),
        "summary": _summary_lines(data),
        "counts": result_counts(data, assessed) if assessed else [],
        "findings": findings_rows(data),
        "action_plan": action_plan_rows(data),
        "no_action_plan_text": "Inga avvikelser konstaterades, så någon åtgärdsplan behövs inte.",
        "next_lines": next_followup_lines(data),
    }
    ctx |= signature_block(data)
    return ctx


def kvalitetsrevision_context(data: FollowUpData) -> dict[str, Any]:
    """The report of a kvalitetsrevision: purpose, method, observations per area, assessment."""
    f = data.followup
    ctx = base_context(data, "Revisionsrapport")
    notes = data.notes
    purpose = [POLICY_INTRO[FollowUpKind.kvalitetsrevision]]
    if notes.get("syfte"):
        purpose.append(str(notes["syfte"]))
    sections = _sections(data, "Granskningspunkt")
    n_items = sum(len(s["rows"]) for s in sections)
    municipal = roles_of(f.participants, Side.kommun)
    contractor = roles_of(f.participants, Side.utforare)
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
    """Minutes of an återuppföljning: every action of the action plan checked off."""
    f = data.followup
    ctx = base_context(data, "Minnesanteckningar")
    rows = carried_rows(data)
    if data.previous is not None:
        origin = [r for r in rows if r["origin"] == sv_date(data.previous.planned_date)]
        rows = origin + [r for r in rows if r not in origin]
    intro = []
    if data.previous is not None:
        intro.append(
            f"Vid {labels.KIND_LABELS[data.previous.kind].lower()} den "
            f"{sv_date(data.previous.planned_date)} konstaterades avvikelser från avtalet, och "
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
        "questions": question_rows(data, data.agenda),
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
