"""The tjänsteskrivelse to the committee about one follow-up.

Like a real one: the case's own diarienummer, the committee's name from the settings, Förslag
till beslut, Sammanfattning, Ärendet, Bedömning (facts; the revisor may reword it before the
document is stored), Beslutsunderlag and Sändlista, signed by the municipality's officials by
name and title. Contractor staff are never named: participants are given by their role, and
free text is quoted only from findings marked `for_committee` (names replaced by roles).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from audit_app.domain import labels
from audit_app.domain.agenda import AgendaItem
from audit_app.domain.svtext import (
    ATGARD,
    AVVIKELSE,
    FORBATTRINGSOMRADE,
    FORSLAG,
    GRANSKNINGSPUNKT,
    KRAV,
    PUNKT,
    Noun,
    amount,
    capitalize,
    in_words,
    lower_first,
    number,
    short,
    sv_date,
    sv_join,
    to_local,
)
from audit_app.models import (
    Action,
    ActionStatus,
    Finding,
    FindingKind,
    FindingSource,
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
    ResultTally,
    downgraded_sentence,
    facts_of,
    findings_sentence,
    not_applicable_sentence,
    not_held_sentence,
    results_sentence,
    unassessed_sentence,
)
from audit_app.services.documents.indicators import committee_lines
from audit_app.services.documents.minutes import (
    carried_lines,
    recheck_background,
    recheck_rows,
    recheck_summary,
)
from audit_app.services.documents.parts import (
    finding_area,
    finding_clause,
    head,
    join_sentences,
    methods_text,
    policy_intro,
    roles_of,
    strip_number,
    title_of,
)
from audit_app.services.documents.redact import Redactor, redactor_for
from audit_app.services.documents.staffing_review import staffing_block


def _scope(data: FollowUpData) -> tuple[list[AgendaItem], Noun]:
    """The items the committee report counts: the contract's requirements, or else every item
    with a bedömning (a kvalitetsrevision's granskningspunkter)."""
    reqs = [i for i in data.agenda if i.is_requirement and i.is_assessment()]
    if reqs and data.followup.kind is not FollowUpKind.kvalitetsrevision:
        return reqs, KRAV
    noun = GRANSKNINGSPUNKT if data.followup.kind is FollowUpKind.kvalitetsrevision else PUNKT
    return [i for i in data.agenda if i.is_assessment()], noun


def _tally(facts: FollowUpFacts, data: FollowUpData) -> ResultTally:
    items, _noun = _scope(data)
    if items and all(i.is_requirement for i in items):
        return facts.requirements
    return facts.assessed


def area_rows(data: FollowUpData) -> list[dict[str, Any]]:
    """The scope's items per area: how many, and how each was judged (the rows add up)."""
    items, _noun = _scope(data)
    by_area: dict[str, list[Result]] = defaultdict(list)
    for item in items:
        a = data.assessments.get(item.key)
        area = strip_number(item.area or item.section_title or "") or "Övrigt"
        by_area[area].append(a.result if a is not None else Result.ej_bedomd)
    rows: list[dict[str, Any]] = []
    for area, results in by_area.items():
        rows.append(
            {
                "area": area,
                "total": len(results),
                "met": results.count(Result.uppfyllt),
                "partly": results.count(Result.delvis_uppfyllt),
                "not_met": results.count(Result.ej_uppfyllt),
                "other": results.count(Result.ej_aktuellt) + results.count(Result.ej_bedomd),
            }
        )
    if len(rows) > 1:
        rows.append(
            {
                "area": "Totalt",
                **{
                    k: sum(int(r[k]) for r in rows)
                    for k in ("total", "met", "partly", "not_met", "other")
                },
            }
        )
    return rows


def _shareable_text(f: Finding, item: AgendaItem | None, redact: Redactor) -> str:
    """What a finding says to the committee: the contract's words, the staffing figures, or
    free text the revisor marked for it (names replaced by roles); else nothing."""
    if f.for_committee:
        return redact(join_sentences(f.title, f.description))
    if item is not None:
        return item.text
    if f.source is FindingSource.bemanning:
        return redact(f.title)
    return ""


def finding_sections(data: FollowUpData, redact: Redactor) -> list[dict[str, Any]]:
    """Each decided finding under its own heading, named by its clause (or its area); findings
    that would share a heading are told apart by what they say."""
    items = data.item_by_key
    order = {
        FindingKind.avvikelse: 0,
        FindingKind.forbattringsomrade: 1,
        FindingKind.iakttagelse: 2,
    }
    live = sorted(
        (f for f in data.live_findings() if f.status is not FindingStatus.foreslagen),
        key=lambda x: order[x.kind],
    )
    entries = []
    for f in live:
        item = items.get(f.item_key or "")
        clause = finding_clause(f, items)
        kind = labels.FINDING_KIND_LABELS[f.kind]
        if clause:
            heading = (
                f"{kind} mot punkt {clause}"
                if f.kind is FindingKind.avvikelse
                else f"{kind}, punkt {clause}"
            )
        elif item is not None and item.section_role is SectionRole.findings and f.title:
            # raised at the point of findings ("Iakttagelser"), whose title says nothing of
            # the matter: the finding is named by what it says
            heading = f"{kind}: {short(f.title.rstrip('.'), 70)}"
        else:
            heading = f"{kind}, {lower_first(finding_area(f, items))}"
        unit = data.unit_name(f.unit_id) if data.several_units else ""
        if unit:  # a follow-up of several units: which unit the finding concerns
            heading += f" – {unit}"
        entries.append((f, item, heading, _shareable_text(f, item, redact)))
    repeated = {h for h, n in Counter(e[2] for e in entries).items() if n > 1}
    out = []
    number: Counter[str] = Counter()
    for f, item, heading, text in entries:
        if heading in repeated:
            number[heading] += 1
            heading += f": {short(text.rstrip('.'), 60)}" if text else f" ({number[heading]})"
        lines = []
        if item is not None and item.is_requirement:
            lines.append(f"Kravet: {item.text}")
        elif text:
            lines.append(text)
        else:
            where = (
                "revisionsrapporten"
                if data.followup.kind is FollowUpKind.kvalitetsrevision
                else "minnesanteckningarna"
            )
            lines.append(f"Beskrivningen finns i {where}.")
        a = data.assessments.get(f.item_key or "")
        if a is not None and item is not None and a.result is not Result.ej_bedomd:
            lines.append(f"Bedömning vid uppföljningen: {labels.RESULT_LABELS[a.result].lower()}.")
        if f.downgrade_reason:
            lines.append(
                "Bedömdes som förbättringsområde i stället för avvikelse: "
                f"{redact(f.downgrade_reason.strip().rstrip('.'))}."
            )
        actions = data.actions.get(f.id, [])
        for action in actions:
            status = _action_status(action)
            due = f", klart senast {sv_date(action.due_date)}" if action.due_date else ""
            lines.append(
                f"Åtgärd: {redact(action.what.strip().rstrip('.'))} (ansvarig: "
                f"{lower_first(action.responsible) or 'utföraren'}{due}; {status})."
            )
        if f.kind is FindingKind.avvikelse and not actions:
            lines.append("Åtgärd för avvikelsen är ännu inte registrerad.")
        out.append({"heading": heading, "lines": lines})
    return out


def _action_status(action: Action) -> str:
    """The action's status on the day of the tjänsteskrivelse (it is dated today, so today's
    record; the minutes keep the status at the justering)."""
    if action.status is ActionStatus.verifierad and action.verified_at is not None:
        return f"verifierad den {sv_date(action.verified_at)}"
    return labels.ACTION_STATUS_LABELS[action.status].lower()


def record_name(data: FollowUpData) -> tuple[str, str]:
    """What the justerade record of the follow-up is called, as subject and in "på …": the
    kvalitetsrevision's revisionsrapport, else the minnesanteckningar."""
    if data.followup.kind is FollowUpKind.kvalitetsrevision:
        return "Revisionsrapporten", "revisionsrapporten"
    return "Minnesanteckningarna", "minnesanteckningarna"


def dispatch_lines(data: FollowUpData, redact: Redactor) -> list[str]:
    """When the minutes went to the contractor and what the contractor said afterwards."""
    f = data.followup
    name, of = record_name(data)
    verb = "justerad" if f.kind is FollowUpKind.kvalitetsrevision else "justerade"
    if not data.justerad:
        event = "revisionen" if f.kind is FollowUpKind.kvalitetsrevision else "uppföljningen"
        return [f"{name} från {event} är ännu inte {verb}."]
    if not data.contractors:  # the committee's own check: nothing goes to a contractor
        return (
            [f"{name} justerades den {sv_date(to_local(f.justerad_at).date())}."]
            if (f.justerad_at)
            else []
        )
    if f.minutes_sent_on is None:
        return [f"{name} har ännu inte skickats till utföraren."]
    lines = [f"{name} skickades till utföraren den {sv_date(f.minutes_sent_on)}."]
    if f.contractor_comments.strip():
        lines.append(
            f"Utföraren lämnade synpunkter på {'den' if verb == 'justerad' else 'dem'} den "
            f"{sv_date(f.contractor_comments_on)}: ”{redact(f.contractor_comments.strip())}”"
        )
    else:
        lines.append(f"Några synpunkter från utföraren på {of} är inte registrerade.")
    return lines


def _deviation_actions(facts: FollowUpFacts) -> int:
    """The actions of the avvikelser (the action plan the committee is told about)."""
    ids = {x.id for x in facts.deviations}
    return sum(1 for a in facts.actions if a.finding_id in ids)


def _action_plan_sentence(data: FollowUpData, facts: FollowUpFacts) -> str:
    """'Utföraren har en åtgärdsplan med 2 åtgärder' (without the end); across contractors the
    contractors whose avvikelser have actions are named."""
    count_ = amount(_deviation_actions(facts), ATGARD)
    if len(data.contractors) <= 1:
        return f"Utföraren har en åtgärdsplan med {count_}"
    with_actions = {a.finding_id for a in facts.actions}
    units = {x.unit_id for x in facts.deviations if x.id in with_actions}
    owners = [c.name for c in data.contractors if any(u.id in units for u in data.units_of(c))]
    if len(owners) == 1:
        return f"{owners[0]} har en åtgärdsplan med {count_}"
    return f"{sv_join(owners)} har åtgärdsplaner med sammanlagt {count_}"


def assessment_lines(data: FollowUpData, facts: FollowUpFacts) -> list[str]:
    """The Bedömning as the record states it (facts only; no threshold, no judgement words)."""
    if data.followup.status is FollowUpStatus.planerad:
        return [not_held_sentence(data), "Någon bedömning finns därför ännu inte."]
    if data.followup.kind is FollowUpKind.ateruppfoljning:
        lines = recheck_summary(data, recheck_rows(data), afterwards=True)
        if facts.deviations or facts.improvements:
            lines.append(findings_sentence(facts, "Återuppföljningen"))
        else:
            lines.append("Återuppföljningen ledde inte till några nya avvikelser.")
        return lines
    t = _tally(facts, data)
    _items, noun = _scope(data)
    lines = [x for x in (results_sentence(t, noun), not_applicable_sentence(t, noun)) if x]
    unassessed = unassessed_sentence(t.unassessed, noun, data.followup.status)
    if unassessed:
        lines.append(
            unassessed
            + f" Förvaltningen uttalar sig inte om {'det' if t.unassessed == 1 else 'dem'}."
        )
    dev = facts.deviations
    against = " från avtalet" if data.followup.contract_id is not None else ""
    if dev:
        clauses = sv_join(
            dict.fromkeys(c for c in (finding_clause(x, data.item_by_key) for x in dev) if c)
        )
        lines.append(
            f"{capitalize(amount(len(dev), AVVIKELSE))}{against} konstaterades"
            + (f" (punkt {clauses})" if clauses else "")
            + "."
        )
        on_deviations = _deviation_actions(facts)
        if on_deviations:
            recheck = data.recheck
            if recheck is None:
                then = "."
            elif recheck.status is FollowUpStatus.justerad:
                then = (
                    ", och förvaltningen följde upp den vid återuppföljningen den "
                    f"{sv_date(recheck.planned_date)}."
                )
            else:
                then = (
                    ", och förvaltningen följer upp den vid återuppföljningen senast "
                    f"{sv_date(recheck.planned_date)}."
                )
            text = _action_plan_sentence(data, facts) + then
            lines.append(text)
        else:
            lines.append("Åtgärder för avvikelserna är ännu inte registrerade.")
    elif data.followup.kind is not FollowUpKind.kvalitetsrevision:
        lines.append(
            f"Ännu har inga avvikelser{against} konstaterats."
            if facts.proposed
            else f"Inga avvikelser{against} konstaterades."
        )
    if facts.improvements and data.followup.kind is FollowUpKind.kvalitetsrevision:
        lines.append(findings_sentence(facts, "Revisionen"))
    elif facts.improvements:
        n = len(facts.improvements)
        lines.append(
            f"{'Därutöver' if dev else 'Uppföljningen'} "
            f"{'konstaterades' if dev else 'ledde till'} {amount(n, FORBATTRINGSOMRADE)}."
        )
    if facts.proposed:
        n = len(facts.proposed)
        lines.append(
            f"{capitalize(amount(n, FORSLAG))} till avvikelse eller förbättringsområde är ännu "
            f"inte {'avgjort' if n == 1 else 'avgjorda'}."
        )
    downgraded = downgraded_sentence(facts)
    if downgraded:
        lines.append(downgraded)
    return lines


def sanction_paragraphs(data: FollowUpData, report_date: date) -> tuple[list[str], list[str]]:
    """The sanctions on the follow-up's contract decided within a year up to the report's date,
    and those proposed for its units, in the contract's words (never the meeting's free text):
    paragraphs for the bedömning and lines for the förslag."""
    if data.contract is None:
        return [], []
    contract_id = data.contract.id
    decided = [
        r
        for r in data.unit_sanctions.decided
        if r.sanction.contract_id == contract_id and r.sanction.decided_on <= report_date
    ]
    proposals = [
        p
        for p in data.unit_sanctions.proposals
        if p.contract_id == contract_id and p.recheck.planned_date <= report_date
    ]
    paragraphs: list[str] = []
    proposal: list[str] = []
    if decided:
        parts = []
        for r in decided:
            s = r.sanction
            amount = f" på {r.amount}" if r.amount else ""
            clause = f" med stöd av avtalets punkt {r.clause_no}" if r.clause_no else ""
            recheck = f" (avvikelsen kvarstod vid {sv_join(r.rechecks)})" if r.rechecks else ""
            parts.append(
                f"{r.kind.lower()}{amount} beslutat {sv_date(s.decided_on)} av "
                f"{lower_first(s.decided_by)}{clause}{recheck}"
            )
        paragraphs.append(
            "Sanktioner enligt avtalet under det senaste året: " + "; ".join(parts) + "."
        )
    for p in proposals:
        what = " eller ".join(labels.SANCTION_LABELS[k].lower() for k in p.kinds)
        clause = f" enligt avtalets punkt {p.finding.clause}" if p.finding.clause else ""
        paragraphs.append(
            f"Avvikelsen{clause} kvarstod vid återuppföljningen den "
            f"{sv_date(p.recheck.planned_date)}. Enligt avtalets sanktionstrappa är nästa steg "
            f"{what}."
        )
        proposal.append(
            f"Förvaltningen återkommer till utskottet med förslag om {what}{clause} "
            f"({p.contract_dnr})."
        )
    return paragraphs, proposal


def _where(data: FollowUpData) -> str:
    """'hos Trygga Händer Vård AB (Ekbacken)', 'hos A (Ekbacken) och B (Hemtjänst Syd)'; for
    the committee's own check of biståndsärenden 'inför vård- och omsorgsutskottet'."""
    if not data.contractors:
        return f"inför {lower_first(data.settings.committee)}"
    return f"hos {data.where_text()}"


def _title_where(data: FollowUpData) -> str:
    if not data.contractors:
        return data.settings.committee
    if len(data.contractors) == 1:
        return f"{data.contractors[0].name}, {data.unit_names}"
    return data.where_text()


def committee_context(data: FollowUpData, report_date: date | None = None) -> dict[str, Any]:
    """The tjänsteskrivelse about one follow-up, for the committee named in the settings."""
    f = data.followup
    settings = data.settings
    facts = facts_of(data)
    redact = redactor_for(data)
    _kommun, forvaltning = settings.names()
    justerad_on = to_local(f.justerad_at).date() if data.justerad and f.justerad_at else None
    report_date = report_date or data.today
    revision = f.kind is FollowUpKind.kvalitetsrevision
    kind_label = labels.KIND_LABELS[f.kind]
    handlaggare = data.author_name
    handlaggare_title = title_of(data, handlaggare) if handlaggare else ""
    t = _tally(facts, data)
    _items, noun = _scope(data)

    summary = [
        f"{forvaltning} genomförde den {sv_date(f.planned_date)} en {kind_label.lower()} "
        f"{_where(data)}."
    ]
    recheck = f.kind is FollowUpKind.ateruppfoljning
    if recheck:
        rows = recheck_rows(data)
        summary += carried_lines(data, rows) + recheck_summary(data, rows, afterwards=True)
        if facts.deviations or facts.improvements:
            summary.append(findings_sentence(facts, "Återuppföljningen"))
    else:
        summary += [x for x in (results_sentence(t, noun),) if x]
        summary.append(findings_sentence(facts, "Revisionen" if revision else "Uppföljningen"))
    if _deviation_actions(facts):
        summary.append(_action_plan_sentence(data, facts) + ".")
    held = f.status is not FollowUpStatus.planerad
    event = "Revisionen" if revision else "Återuppföljningen" if recheck else "Uppföljningen"
    if not held:
        summary = [
            f"{forvaltning} planerar en {kind_label.lower()} {_where(data)} den "
            f"{sv_date(f.planned_date)}.",
            not_held_sentence(data),
        ]

    municipal = roles_of(f.participants, Side.kommun)
    contractor_roles = roles_of(f.participants, Side.utforare)
    background = [
        *(recheck_background(data) if recheck else []),
        policy_intro(f.kind, settings.committee),
    ]
    how = (
        f"{event} {'genomfördes' if held else 'är planerad till'} den "
        f"{sv_date(f.planned_date)} {'genom' if held else 'med'} "
        f"{methods_text(f.methods).lower()}."
    )
    took_part = "deltog" if held else "deltar"
    if municipal and contractor_roles:
        how += (
            f" Från förvaltningen {took_part} {sv_join(municipal)} och från utföraren "
            f"{sv_join(contractor_roles)}."
        )
    elif municipal:
        how += f" Från förvaltningen {took_part} {sv_join(municipal)}."
    background.append(how)
    if f.kind is FollowUpKind.riktad and f.reason is not None:
        background.append(
            f"Orsaken till uppföljningen: {lower_first(labels.REASON_LABELS.get(f.reason, ''))}."
        )
    scope = []
    if t.total:
        others = facts.agenda_items - facts.assessed.total if revision else 0
        scope.append(
            f"{'Revisionen' if revision else 'Uppföljningen'} omfattade "
            f"{amount(t.total + others, noun, words=in_words(t.total + others))}"
            + (
                f", varav {number(others, noun, words=in_words(others))} besvarades med text, "
                "tal eller datum"
                if others
                else ""
            )
            + (
                f". Tabellen visar de {t.total} som har en bedömning, per område."
                if others
                else ". Tabellen visar dem per område."
            )
        )
    background += committee_lines(data)
    unassessed = unassessed_sentence(t.unassessed, noun, f.status)
    if unassessed:
        scope.append(unassessed)
    if not held:
        scope = []  # nothing judged yet: no table of zeros
    staffing: list[str] = []
    if data.analyses:
        block = staffing_block(data, for_committee=True)
        figures = {k["label"]: k["value"] for k in block["figures"]}
        staffing.append(
            f"Utförarens scheman för perioden {figures.get('Granskad period', DASH)} granskades "
            f"mot avtalets åtagande. Pass under åtagandet: "
            f"{lower_first(figures.get('Pass under åtagandet', 'inga'))}."
        )
        if "Andel timmar med kompetens" in figures:
            staffing.append(
                "Andel arbetade timmar utförda av personal med kompetens: "
                f"{figures['Andel timmar med kompetens']}."
            )
        staffing += [
            x for x in block["intro"] if x.startswith(("Perioden omfattar", "Schemat omfattar"))
        ]
    stored = f.committee_assessment.strip()
    assessment = (
        [p.strip() for p in stored.split("\n\n") if p.strip()]
        if stored
        else assessment_lines(data, facts)
    )
    sanctions_text, sanction_proposal = sanction_paragraphs(data, report_date)
    assessment += sanctions_text
    documents = [f"Denna tjänsteskrivelse, daterad {sv_date(report_date)}"]
    if held:
        documents.append(
            (
                f"Revisionsrapport från kvalitetsrevisionen den {sv_date(f.planned_date)}"
                + (
                    f", justerad den {sv_date(justerad_on)}"
                    if justerad_on
                    else " (ännu inte justerad)"
                )
            )
            if revision
            else (
                f"Minnesanteckningar från {kind_label.lower()} den {sv_date(f.planned_date)}"
                + (
                    f", justerade den {sv_date(justerad_on)}"
                    if justerad_on
                    else " (ännu inte justerade)"
                )
            )
        )
    if data.justerad and f.contractor_comments.strip() and f.contractor_comments_on:
        documents.append(
            f"Utförarens synpunkter på {record_name(data)[1]}, inkomna den "
            f"{sv_date(f.contractor_comments_on)}"
        )
    signatory = settings.signatory
    # The case's own number in the header; no version (that is the follow-up's, not the case's).
    ctx = head(data, "Tjänsteskrivelse", report_date) | {"dnr": f.committee_dnr, "version": ""}
    ctx |= {
        "title": (
            f"Rapport från kvalitetsrevision hos {data.contractor_names}, {data.unit_names}"
            if revision
            else f"{kind_label} – {_title_where(data)}"
        ),
        "subtitle": "",
        "meta": [
            {"label": "Datum", "value": sv_date(report_date)},
            {"label": "Diarienummer", "value": f.committee_dnr or DASH},
            {
                "label": "Handläggare",
                "value": ", ".join(x for x in (handlaggare, lower_first(handlaggare_title)) if x)
                or DASH,
            },
            {"label": "Till", "value": settings.committee},
        ],
        "proposal": [
            f"{settings.committee} tar emot rapporten från kvalitetsrevisionen och lägger den "
            "till handlingarna."
            if revision
            else f"{settings.committee} noterar informationen om uppföljningen och lägger den "
            "till handlingarna.",
            *sanction_proposal,
        ],
        "summary": [redact(x) for x in summary],
        "background": [redact(x) for x in background if x],
        "scope": scope,
        "areas": area_rows(data) if held else [],
        "area_header": "Granskningspunkter" if revision else "Krav",
        "staffing": staffing,
        "findings_heading": "Revisionens iakttagelser"
        if revision
        else "Avvikelser och förbättringsområden",
        "finding_sections": finding_sections(data, redact),
        "dispatch_heading": f"{record_name(data)[0]} och utförarens synpunkter"
        if data.contractors
        else record_name(data)[0],
        "dispatch": dispatch_lines(data, redact),
        "assessment": [redact(x) for x in assessment],
        "documents": documents,
        "send_to": [
            *(c.name for c in data.contractors),
            f"{forvaltning}, {lower_first(signatory.title) or 'förvaltningschef'}",
            settings.quality_council,
        ],
        "recorder": {"label": "", "name": signatory.name, "role": signatory.title},
        "approver": {"label": "", "name": handlaggare, "role": handlaggare_title},
        "justerad_text": "",
    }
    return ctx
