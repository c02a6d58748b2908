"""The tjänsteskrivelse to the committee about one follow-up: roles, never names.

It quotes free text only from findings marked `for_committee`; names of participants that still
slip into such text are replaced by their role.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from audit_app.config import get_settings
from audit_app.domain import labels
from audit_app.domain.agenda import ItemSource
from audit_app.domain.svtext import (
    capitalize,
    count_text,
    lower_first,
    sv_date,
    sv_join,
    to_local,
)
from audit_app.models import FindingKind, FindingStatus, FollowUpKind, Result, Side
from audit_app.services.documents.data import DASH, FollowUpData
from audit_app.services.documents.indicators import committee_lines
from audit_app.services.documents.parts import (
    NOT_JUDGED,
    POLICY_INTRO,
    assessed_items,
    base_context,
    finding_area,
    finding_clause,
    join_sentences,
    methods_text,
    requirement_items,
    result_sentence,
    role_of,
    roles_of,
    strip_number,
)
from audit_app.services.documents.redact import Redactor, lessons_of, redactor_for
from audit_app.services.documents.staffing_review import staffing_block


def area_rows(data: FollowUpData) -> list[dict[str, Any]]:
    """Results per area of the requirements (or of every assessed item without requirements)."""
    by_area: dict[str, Counter[Result]] = defaultdict(Counter)
    for item in requirement_items(data) or assessed_items(data):
        a = data.assessments.get(item.key)
        if a is None or a.result in NOT_JUDGED:
            continue
        by_area[strip_number(item.area or item.section_title or "Övrigt")][a.result] += 1
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
        elif item is not None and item.source is ItemSource.contract:
            text = item.text
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
                "clause": finding_clause(f, items) or DASH,
                "text": redact(text),
                "due": sv_date(due),
                "status": status,
            }
        )
    return rows


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


def committee_context(data: FollowUpData, report_date: date | None = None) -> dict[str, Any]:
    """Tjänsteskrivelse about one follow-up: roles only, free text only when for_committee."""
    f = data.followup
    settings = get_settings()
    redact = redactor_for(data)
    justerad_on = to_local(f.justerad_at).date() if data.justerad and f.justerad_at else None
    report_date = report_date or justerad_on or data.today
    ctx = base_context(data, "Tjänsteskrivelse", report_date)
    kind_label = labels.KIND_LABELS[f.kind]
    author_role = role_of(f.participants, data.author_name, "Utvecklingsledare")
    findings = data.live_findings()
    dev = [x for x in findings if x.kind is FindingKind.avvikelse]
    imp = [x for x in findings if x.kind is FindingKind.forbattringsomrade]
    n_actions = sum(len(data.actions.get(x.id, [])) for x in findings)
    items = requirement_items(data) or assessed_items(data)
    counts = Counter(data.assessments[i.key].result for i in items if i.key in data.assessments)
    assessed = sum(v for r, v in counts.items() if r not in NOT_JUDGED)
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
    municipal = roles_of(f.participants, Side.kommun)
    contractor_roles = roles_of(f.participants, Side.utforare)
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
    background += committee_lines(data)
    if dev:
        assessment = [
            f"Förvaltningen bedömer att utföraren i huvudsak uppfyller avtalets krav men att "
            f"{count_text(len(dev), 'avvikelse', 'avvikelser')} måste åtgärdas. Utföraren har "
            "upprättat en åtgärdsplan, och förvaltningen följer upp att åtgärderna genomförs."
            if assessed and counts.get(Result.uppfyllt, 0) >= assessed * 0.8
            else f"Förvaltningen bedömer att utföraren inte fullt ut uppfyller avtalets krav. "
            f"{capitalize(count_text(len(dev), 'avvikelse', 'avvikelser'))} ska åtgärdas enligt "
            "åtgärdsplanen, och förvaltningen återkommer till utskottet med resultatet av "
            "återuppföljningen."
        ]
    else:
        assessment = [
            "Förvaltningen bedömer att utföraren uppfyller de krav som följdes upp. Inga "
            "avvikelser från avtalet konstaterades."
        ]
    sanctions_text, sanction_proposal = sanction_paragraphs(data, report_date)
    assessment += sanctions_text
    documents = [f"Denna tjänsteskrivelse, daterad {sv_date(report_date)}"]
    documents.append(
        f"Minnesanteckningar från {kind_label.lower()} den {sv_date(f.planned_date)}"
        + (f", justerade den {sv_date(justerad_on)}" if justerad_on else " (ej justerade)")
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
            "till handlingarna.",
            *sanction_proposal,
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
