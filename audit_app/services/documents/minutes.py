"""The minutes of a follow-up as a template context, one builder per kind of follow-up.

The minutes name the participants (they are sent to the contractor). An avtalsuppföljning
follows the policy's four points, recognised by the role of each agenda section; the other
kinds list their checklist sections. Every figure in a sentence comes from `FollowUpFacts`, the
same counts as the tables beside it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from audit_app.domain import labels
from audit_app.domain.agenda import AgendaItem, sections_of
from audit_app.domain.signals import NOUNS as SIGNAL_NOUNS
from audit_app.domain.svtext import (
    ATGARD,
    AVVIKELSE,
    ENHET,
    FORBATTRINGSOMRADE,
    FORSLAG,
    FRAGA,
    GRANSKNINGSPUNKT,
    IAKTTAGELSE,
    KRAV,
    OPPEN,
    PUNKT,
    UTFORARE,
    VERIFIERAD,
    Adjective,
    Noun,
    amount,
    capitalize,
    counted_list,
    in_words,
    lower_first,
    none_of,
    part_of,
    sv_date,
    sv_join,
    tally,
)
from audit_app.models import (
    ActionStatus,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUpKind,
    FollowUpStatus,
    Result,
    SectionRole,
    Side,
)
from audit_app.services.documents.data import DASH, FollowUpData
from audit_app.services.documents.facts import (
    FollowUpFacts,
    action_plan_sentence,
    downgraded_sentence,
    facts_of,
    findings_sentence,
    not_applicable_sentence,
    not_held_sentence,
    results_sentence,
    unassessed_sentence,
)
from audit_app.services.documents.indicators import minutes_lines
from audit_app.services.documents.parts import (
    REVIEW_LABELS,
    action_plan_rows,
    carried_rows,
    finding_clause,
    finding_groups,
    findings_rows,
    meta_rows,
    methods_text,
    minutes_head,
    next_followup_lines,
    participants_block,
    policy_intro,
    question_rows,
    roles_of,
    sendlist,
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
MARK_STATES: dict[str, Adjective] = {
    REVIEW_LABELS[ActionStatus.verifierad]: VERIFIERAD,
    REVIEW_LABELS[ActionStatus.genomford]: Adjective(
        "genomförd men inte verifierad",
        "genomfört men inte verifierat",
        "genomförda men inte verifierade",
    ),
    REVIEW_LABELS[ActionStatus.ej_genomford]: Adjective(
        "inte genomförd", "inte genomfört", "inte genomförda"
    ),
    REVIEW_LABELS[ActionStatus.pagar]: Adjective(
        "fortfarande pågående", "fortfarande pågående", "fortfarande pågående"
    ),
}
"""How point 1 says each mark an earlier action got ('tre är verifierade, en kvarstår')."""
NOT_REVIEWED = "Ej avstämd"
KRAV_SKA = Noun("SKA-krav", "SKA-krav", "ett", "SKA-kravet", "SKA-kraven")
KRAV_BOR = Noun("BÖR-krav", "BÖR-krav", "ett", "BÖR-kravet", "BÖR-kraven")
AREA = Noun("område", "områden", "ett", "området", "områdena")


def _point_sections(data: FollowUpData) -> dict[int, list[AgendaItem]]:
    """Put every agenda item under one of the policy's four points, by its section's role."""
    points: dict[int, list[AgendaItem]] = {1: [], 2: [], 3: [], 4: []}
    for item in data.agenda:
        role = item.section_role
        points[POLICY_POINT.get(role, 3) if role is not None else 3].append(item)
    return points


def _clauses(findings: list[Finding], data: FollowUpData) -> str:
    items = data.item_by_key
    clauses = [finding_clause(f, items) for f in findings]
    return sv_join(dict.fromkeys(c for c in clauses if c))


def previous_lines(data: FollowUpData) -> list[str]:
    """Point 1: the previous meeting, what it found and what the contractor said afterwards."""
    prev = data.previous
    if prev is None:
        return ["Det finns ingen tidigare uppföljning av verksamheten registrerad."]
    kind = labels.KIND_LABELS[prev.kind].lower()
    lines = [f"Föregående uppföljning var {kind} den {sv_date(prev.planned_date)}."]
    found = [f for f in data.previous_findings if f.status is not FindingStatus.foreslagen]
    undecided = len(data.previous_findings) - len(found)
    deviations = [f for f in found if f.kind is FindingKind.avvikelse]
    listed = counted_list(
        [
            (len(deviations), AVVIKELSE),
            (sum(1 for f in found if f.kind is FindingKind.forbattringsomrade), FORBATTRINGSOMRADE),
            (sum(1 for f in found if f.kind is FindingKind.iakttagelse), IAKTTAGELSE),
        ]
    )
    if listed:
        where = _clauses(deviations, data)
        only_deviations = len(found) == len(deviations)
        which = (
            ""
            if only_deviations
            else f"{AVVIKELSE.definite if len(deviations) == 1 else AVVIKELSE.definite_plural} "
        )
        lines.append(
            f"Då konstaterades {listed}" + (f" ({which}mot punkt {where})" if where else "") + "."
        )
    elif not undecided:
        lines.append(f"Då konstaterades inte {none_of([AVVIKELSE, FORBATTRINGSOMRADE])}.")
    if undecided:
        lines.append(
            f"{capitalize(amount(undecided, FORSLAG))} till avvikelse eller förbättringsområde "
            f"från det mötet är ännu inte {'avgjort' if undecided == 1 else 'avgjorda'}."
        )
    if prev.minutes_sent_on is not None:
        lines.append(
            f"Minnesanteckningarna skickades till utföraren den {sv_date(prev.minutes_sent_on)}."
        )
        if prev.contractor_comments.strip():
            lines.append(
                f"Utföraren lämnade synpunkter på dem den {sv_date(prev.contractor_comments_on)}: "
                f"”{prev.contractor_comments.strip()}”"
            )
        else:
            lines.append("Några synpunkter från utföraren på dem är inte registrerade.")
    return lines


def signal_lines(data: FollowUpData) -> list[str]:
    """Point 1: the signals about the units since the previous meeting (counts and categories)."""
    since = data.signals_since
    if since is None:
        return []
    lead = "Sedan förra mötet" if since.previous is not None else "De senaste sex månaderna"
    listed = counted_list([(c.count, SIGNAL_NOUNS[c.kind]) for c in since.counted])
    if not listed:
        return [
            f"{lead} registrerades inga lex Sarah- eller lex Maria-ärenden, klagomål eller andra "
            "signaler om verksamheten."
        ]
    return [
        f"{lead} registrerades {listed} om verksamheten. Signalerna redovisas som antal och "
        "kategorier, utan uppgifter om enskilda."
    ]


def carried_lines(data: FollowUpData, rows: list[dict[str, str]]) -> list[str]:
    """Point 1: the earlier actions and the marks they got, counted from the table's rows."""
    if not rows:
        if data.previous is None:
            return []
        tense = "finns" if data.followup.status is FollowUpStatus.planerad else "fanns"
        return [f"Det {tense} inga öppna åtgärder från tidigare uppföljningar att stämma av."]
    marks = Counter(r["status"] for r in rows)
    reviewed = len(rows) - marks.get(NOT_REVIEWED, 0)
    words = in_words(len(rows), *marks.values())
    earlier = f"{capitalize(amount(len(rows), ATGARD, words=words))} från tidigare uppföljningar"
    done = data.followup.status not in (FollowUpStatus.planerad, FollowUpStatus.pagar)
    if not reviewed:
        n = len(rows)
        state = "avstämd" if n == 1 else "avstämda"
        return [
            f"{earlier} var {OPPEN.agree(ATGARD, n)} inför mötet och "
            + ("stämdes inte av." if done else f"är ännu inte {state}.")
        ]
    parts = [
        (n, MARK_STATES.get(label, Adjective(label.lower(), label.lower(), label.lower())))
        for label, n in marks.most_common()
        if label != NOT_REVIEWED
    ]
    lines = [f"{earlier} togs upp. Vid avstämningen var {tally(parts, ATGARD, words=words)}."]
    missing = marks.get(NOT_REVIEWED, 0)
    if missing:
        state = "avstämd" if missing == 1 else "avstämda"
        lines.append(
            f"{capitalize(amount(missing, ATGARD, words=words))} "
            + ("stämdes inte av." if done else f"är ännu inte {state}.")
        )
    return lines


def requirement_lines(data: FollowUpData, facts: FollowUpFacts) -> list[str]:
    """Point 3: how many of the contract's requirements were on the agenda and how they were
    judged; what was not judged, and what was not met but is no avvikelse."""
    t = facts.requirements
    if not t.total and data.followup.status is FollowUpStatus.planerad and not data.agenda:
        return ["Avtalets krav förs in på dagordningen när uppföljningen startas."]
    if not t.total:
        return ["Inga krav ur avtalet fanns på dagordningen."]
    kinds = counted_list(
        [(facts.ska, KRAV_SKA), (facts.bor, KRAV_BOR)], words=in_words(facts.ska, facts.bor)
    )
    lines = [
        f"Dagordningen tog upp {amount(t.total, KRAV, words=in_words(t.total))} ur avtalet"
        + (f" ({kinds})" if facts.ska and facts.bor else "")
        + "."
    ]
    lines += [
        x
        for x in (
            results_sentence(t, KRAV),
            not_applicable_sentence(t, KRAV),
            unassessed_sentence(t.unassessed, KRAV, data.followup.status),
            downgraded_sentence(facts),
        )
        if x
    ]
    return lines


def not_met_rows(data: FollowUpData) -> list[dict[str, str]]:
    rows = []
    for item in data.agenda:
        if not (item.is_requirement and item.is_assessment()):
            continue
        a = data.assessments.get(item.key)
        if a is not None and a.result in (Result.delvis_uppfyllt, Result.ej_uppfyllt):
            rows.append(
                {
                    "clause": item.clause or DASH,
                    "text": item.text,
                    "result": labels.RESULT_LABELS[a.result],
                    "comment": a.comment,
                }
            )
    return rows


def all_met_text(facts: FollowUpFacts, data: FollowUpData | None = None) -> str:
    """The line shown instead of the table of requirements not met: true only when it is."""
    t = facts.requirements
    if data is not None and data.followup.status is FollowUpStatus.planerad and not t.total:
        return ""
    if t.judged and t.met == t.judged:
        return "Inget bedömt krav var delvis eller ej uppfyllt."
    if not t.judged:
        return "Inget krav bedömdes."
    return ""


def avtal_context(data: FollowUpData) -> dict[str, Any]:
    """Minutes of an avtalsuppföljning along the policy's four points."""
    f = data.followup
    facts = facts_of(data)
    points = _point_sections(data)
    carried = carried_rows(data)
    notes = data.notes
    other = [str(v) for k, v in notes.items() if k in ("ovrigt", "övrigt") and v]
    point_questions = {n: [i for i in points[n] if not i.is_requirement] for n in points}
    ctx = minutes_head(data)
    ctx |= {
        "title": f"{f.title or labels.KIND_LABELS[f.kind]} – {data.unit_names}",
        "subtitle": f"Minnesanteckningar från uppföljningsmötet den {sv_date(f.planned_date)}",
        "meta": meta_rows(data, facts),
        **participants_block(data),
        "point1": {
            "intro": previous_lines(data) + carried_lines(data, carried) + signal_lines(data),
            "actions": carried,
            "questions": question_rows(data, point_questions[1]),
            "unassessed": _unassessed_questions(data, point_questions[1]),
        },
        "point2": staffing_block(data)
        | {
            "questions": question_rows(data, point_questions[2]),
            "unassessed": _unassessed_questions(data, point_questions[2]),
        },
        "point3": {
            # the indicators first: the requirements' lines lead into their table
            "intro": [*minutes_lines(data), *requirement_lines(data, facts)],
            "counts": facts.requirements.rows() if facts.requirements.total else [],
            "not_met": not_met_rows(data),
            "all_met": all_met_text(facts, data),
            "questions": question_rows(data, point_questions[3]),
            "unassessed": _unassessed_questions(data, point_questions[3]),
        },
        "point4": {
            "intro": [not_held_sentence(data)]
            if f.status is FollowUpStatus.planerad
            else [findings_sentence(facts), action_plan_sentence(facts)],
            "questions": question_rows(data, point_questions[4]),
            "unassessed": _unassessed_questions(data, point_questions[4]),
        },
        "findings": findings_rows(data),
        "action_plan": action_plan_rows(data),
        "no_action_plan_text": "",
        "next_lines": next_followup_lines(data),
        "other_notes": other,
        "sendlist": sendlist(data),
    }
    ctx |= signature_block(data)
    return ctx


def _unassessed_questions(data: FollowUpData, items: list[AgendaItem]) -> list[str]:
    """'Två frågor ovan besvarades inte.' under the questions of one point."""
    missing = sum(1 for i in items if not i.is_answered(data.assessments.get(i.key)))
    if not missing:
        return []
    done = data.followup.status not in (FollowUpStatus.planerad, FollowUpStatus.pagar)
    if done:
        verb = "besvarades inte"
    else:
        verb = "är ännu inte besvarad" if missing == 1 else "är ännu inte besvarade"
    return [f"{capitalize(amount(missing, FRAGA))} ovan {verb}."]


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


def _summary_lines(
    data: FollowUpData, facts: FollowUpFacts, noun: Any = PUNKT, subject: str = "Uppföljningen"
) -> list[str]:
    if data.followup.status is FollowUpStatus.planerad:
        return [not_held_sentence(data)]
    t = facts.assessed
    lines = [
        x
        for x in (
            results_sentence(t, noun),
            not_applicable_sentence(t, noun),
            unassessed_sentence(t.unassessed, noun, data.followup.status),
            findings_sentence(facts, subject),
            downgraded_sentence(facts),
        )
        if x
    ]
    return lines


def unit_findings_lines(data: FollowUpData) -> list[str]:
    """The scope of a riktad uppföljning over several units, per contractor: 'Uppföljningen
    omfattade två enheter hos två utförare: Ekbacken (Trygga Händer Vård AB) och Hemtjänst Syd
    (Omsorg Nord AB).'"""
    n, owners = len(data.units), len(data.contractors)
    words = in_words(n, owners)
    if owners > 1:
        return [
            f"Uppföljningen omfattade {amount(n, ENHET, words=words)} hos "
            f"{amount(owners, UTFORARE, words=words)}: {data.where_text()}. Dagordningen var "
            "gemensam; avvikelser och förbättringsområden redovisas per enhet."
        ]
    return [
        f"Uppföljningen omfattade {amount(n, ENHET, words=words)} hos {data.contractor_names}: "
        f"{data.unit_names}. Dagordningen var gemensam; avvikelser och förbättringsområden "
        "redovisas per enhet."
    ]


def per_unit_lines(data: FollowUpData) -> list[str]:
    """What was found at each unit, counted from the findings recorded for it."""
    if data.followup.status is FollowUpStatus.planerad:
        return []
    decided = [f for f in data.live_findings() if f.status is not FindingStatus.foreslagen]
    lines = []
    for unit in data.units:
        mine = [f for f in decided if f.unit_id == unit.id]
        listed = counted_list(
            [
                (sum(1 for f in mine if f.kind is FindingKind.avvikelse), AVVIKELSE),
                (
                    sum(1 for f in mine if f.kind is FindingKind.forbattringsomrade),
                    FORBATTRINGSOMRADE,
                ),
                (sum(1 for f in mine if f.kind is FindingKind.iakttagelse), IAKTTAGELSE),
            ]
        )
        lines.append(
            f"Vid {unit.name} konstaterades {listed}."
            if listed
            else f"Vid {unit.name} konstaterades inte {none_of([AVVIKELSE, FORBATTRINGSOMRADE])}."
        )
    return lines


def generic_context(data: FollowUpData) -> dict[str, Any]:
    """Minutes of a ledningssystem, riktad or biståndsärenden follow-up, section by section."""
    f = data.followup
    facts = facts_of(data)
    intro = [policy_intro(f.kind, data.settings.committee)]
    if f.kind is FollowUpKind.riktad and f.reason is not None:
        reason = labels.REASON_LABELS.get(f.reason, str(f.reason))
        intro.append(f"Orsaken till uppföljningen: {lower_first(reason)}.")
        if f.reason_text:
            intro.append(f.reason_text)
    if f.kind is FollowUpKind.riktad and data.several_units:
        intro += unit_findings_lines(data)
    ctx = minutes_head(data)
    title = f.title or labels.KIND_LABELS[f.kind]
    ctx |= {
        "title": f"{title} – {data.unit_names}" if data.units else title,
        "subtitle": f"Minnesanteckningar från {'kontrollen' if not data.units else 'uppföljningen'}"
        f" den {sv_date(f.planned_date)}",
        "meta": meta_rows(data, facts),
        **participants_block(data),
        "intro": [x for x in intro if x],
        "sections": _sections(data, "Fråga"),
        "summary": _summary_lines(data, facts)
        + (per_unit_lines(data) if data.several_units and f.kind is FollowUpKind.riktad else []),
        "counts": facts.assessed.rows() if facts.assessed.total else [],
        "findings": findings_rows(data),
        "finding_groups": finding_groups(data),
        "action_plan": action_plan_rows(data),
        "no_action_plan_text": ""
        if f.status is FollowUpStatus.planerad
        else action_plan_sentence(facts, from_contract=False),
        "next_lines": next_followup_lines(data),
        "sendlist": sendlist(data),
    }
    ctx |= signature_block(data)
    return ctx


def kvalitetsrevision_context(data: FollowUpData) -> dict[str, Any]:
    """The report of a kvalitetsrevision: purpose, method, observations per area, assessment."""
    f = data.followup
    facts = facts_of(data)
    notes = data.notes
    purpose = [policy_intro(FollowUpKind.kvalitetsrevision, data.settings.committee)]
    if notes.get("syfte"):
        purpose.append(str(notes["syfte"]))
    sections = _sections(data, "Granskningspunkt")
    municipal = roles_of(f.participants, Side.kommun)
    contractor = roles_of(f.participants, Side.utforare)
    method = [
        f"Revisionen genomfördes den {sv_date(f.planned_date)} genom "
        f"{methods_text(f.methods).lower()}."
    ]
    if municipal and contractor:
        method.append(
            f"Från förvaltningen medverkade {sv_join(municipal)} och från verksamheten "
            f"{sv_join(contractor)}."
        )
    elif municipal:
        method.append(f"Från förvaltningen medverkade {sv_join(municipal)}.")
    elif contractor:
        method.append(f"Från verksamheten medverkade {sv_join(contractor)}.")
    n_items = facts.agenda_items
    method.append(
        f"Revisionen omfattade {amount(n_items, GRANSKNINGSPUNKT, words=in_words(n_items))} "
        f"inom {amount(len(sections), AREA)}."
    )
    others = n_items - facts.assessed.total
    if others:
        method.append(
            f"{capitalize(amount(others, GRANSKNINGSPUNKT, words=in_words(others)))} "
            "besvarades med text, tal eller datum och ingår inte i bedömningen nedan."
        )
    if notes.get("metod"):
        method.append(str(notes["metod"]))
    summary = _summary_lines(data, facts, GRANSKNINGSPUNKT, "Revisionen")
    if notes.get("bedomning"):
        summary.append(str(notes["bedomning"]))
    ctx = minutes_head(data, "Revisionsrapport")
    ctx |= {
        "title": f"Kvalitetsrevision – {data.unit_names}",
        "subtitle": f"Rapport från revisionen den {sv_date(f.planned_date)}",
        "meta": meta_rows(data, facts),
        **participants_block(data),
        "purpose": purpose,
        "method": method,
        "sections": sections,
        "summary": summary,
        "counts": facts.assessed.rows(),
        "findings": findings_rows(data),
        "no_findings_text": "Revisionen har inte identifierat några förbättringsområden.",
        "action_plan": action_plan_rows(data),
        "no_action_plan_text": "Revisionen lämnar inga förslag utöver förbättringsområdena ovan."
        if facts.improvements
        else "Revisionen lämnar inga förslag till åtgärder.",
        "next_lines": next_followup_lines(data),
        "sendlist": sendlist(data),
    }
    ctx |= signature_block(data, "Rapporten upprättad av")
    return ctx


def recheck_rows(data: FollowUpData) -> list[dict[str, str]]:
    """The actions an återuppföljning checks off, those of the meeting it follows up first."""
    rows = carried_rows(data)
    if data.previous is not None:
        origin = [r for r in rows if r["origin"] == sv_date(data.previous.planned_date)]
        rows = origin + [r for r in rows if r not in origin]
    return rows


def recheck_background(data: FollowUpData) -> list[str]:
    """'Vid uppföljning av avtal den 29 januari 2024 konstaterades två avvikelser ...'"""
    prev = data.previous
    if prev is None:
        return []
    deviations = [
        x
        for x in data.previous_findings
        if x.kind is FindingKind.avvikelse and x.status is not FindingStatus.foreslagen
    ]
    where = _clauses(deviations, data)
    kind = labels.KIND_LABELS[prev.kind].lower()
    if not deviations:
        return [f"Återuppföljningen gäller {kind} den {sv_date(prev.planned_date)}."]
    ids = {x.id for x in deviations}
    planned = any(finding.id in ids for _origin, finding, _action in data.carried)
    return [
        f"Vid {kind} den {sv_date(prev.planned_date)} konstaterades "
        f"{amount(len(deviations), AVVIKELSE)} från avtalet"
        + (f" (punkt {where})" if where else "")
        + (", och utföraren upprättade en åtgärdsplan." if planned else ".")
    ]


def recheck_summary(
    data: FollowUpData, rows: list[dict[str, str]], *, afterwards: bool = False
) -> list[str]:
    """How many of the actions checked off are verified, and whether the avvikelser are
    therefore closed (counted from the rows of the table). `afterwards`: told later (the
    tjänsteskrivelse), in the past tense of the återuppföljning."""
    if data.followup.status is FollowUpStatus.planerad:
        return [not_held_sentence(data)]
    if not rows:
        return ["Det fanns inga åtgärder att stämma av."]
    prev = data.previous
    verified = sum(1 for r in rows if r["status"] == REVIEW_LABELS[ActionStatus.verifierad])
    verb = "var" if afterwards else "är"
    summary = [capitalize(part_of(verified, len(rows), ATGARD, VERIFIERAD, verb=verb)) + "."]
    deviations = [
        x
        for x in data.previous_findings
        if x.kind is FindingKind.avvikelse and x.status is not FindingStatus.foreslagen
    ]
    closed = bool(deviations) and all(x.status is FindingStatus.stangd for x in deviations)
    if verified == len(rows) and closed and prev is not None:
        summary.append(
            f"{capitalize(AVVIKELSE.definite if len(deviations) == 1 else AVVIKELSE.definite_plural)}"
            f" från den {sv_date(prev.planned_date)} {verb} därmed "
            f"{'åtgärdad' if len(deviations) == 1 else 'åtgärdade'}."
        )
    elif verified < len(rows):
        summary.append(
            f"Åtgärder som inte {verb} verifierade "
            f"{'följs upp' if afterwards else 'stäms av'} vid nästa uppföljning."
        )
    return summary


def recheck_context(data: FollowUpData) -> dict[str, Any]:
    """Minutes of an återuppföljning: every action of the action plan checked off."""
    f = data.followup
    facts = facts_of(data)
    rows = recheck_rows(data)
    intro = recheck_background(data)
    intro.append(policy_intro(FollowUpKind.ateruppfoljning, data.settings.committee))
    intro.append(
        "Vid återuppföljningen stäms varje åtgärd av mot det underlag utföraren visar. En "
        "åtgärd räknas som verifierad först när underlaget har granskats."
    )
    marks = Counter(r["status"] for r in rows)
    counts = [{"label": label, "count": n} for label, n in marks.most_common()]
    counts.append({"label": "Totalt", "count": len(rows)})
    summary = recheck_summary(data, rows)
    if facts.deviations or facts.improvements:
        summary.append(findings_sentence(facts, "Återuppföljningen"))
    ctx = minutes_head(data)
    ctx |= {
        "title": f"Återuppföljning – {data.unit_names}",
        "subtitle": f"Minnesanteckningar från återuppföljningen den {sv_date(f.planned_date)}",
        "meta": meta_rows(data, facts),
        **participants_block(data),
        "intro": intro,
        "rechecked": rows,
        "counts": counts,
        "questions": question_rows(data, data.agenda),
        "summary": summary,
        "findings": findings_rows(data),
        "action_plan": action_plan_rows(data),
        "next_lines": next_followup_lines(data),
        "sendlist": sendlist(data),
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
