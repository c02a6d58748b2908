"""The quarterly (or any period's) report to kvalitetsrådet: what the follow-ups showed.

Kvalitetsrådet is a forum where results are reported and the work of improvement discussed
(the policy, seed 002); it decides nothing, so the report proposes no decision. Every figure is
counted as the record stood at the end of the period (`period.load_period`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from audit_app.domain import labels
from audit_app.domain.svtext import (
    ATGARD,
    AVVIKELSE,
    FORBATTRINGSOMRADE,
    UPPFOLJNING,
    UTFORARE,
    VERKSAMHET,
    amount,
    capitalize,
    counted_list,
    in_words,
    lower_first,
    none_of,
    sv_date,
    sv_join,
    sv_period,
)
from audit_app.services.documents.period import (
    PeriodData,
    area_findings,
    as_of_sentence,
    at_end,
    followup_rows,
    open_actions_sentence,
    per_kind,
    period_base,
    period_label,
    period_redactor,
    totals,
)
from audit_app.services.documents.redact import lessons_of
from audit_app.services.settings import Official

POLICY = (
    "Enligt kommunens policy för uppföljning ska kvalitetsrådet kvartalsvis ges information om "
    "utförda uppföljningar, för återföring av erfarenheter och förbättringar efter avvikelser "
    "till övriga enheter."
)


def author_of(pd: PeriodData) -> Official:
    """Who writes the period reports: the first official in the settings (public)."""
    return pd.settings.officials[0] if pd.settings.officials else Official()


def held_sentence(pd: PeriodData, when: str) -> str:
    """'Under kvartal 4 2025 hölls tre uppföljningar hos två utförare (tre verksamheter): en
    uppföljning av avtal och två återuppföljningar.'"""
    t = totals(pd)
    if not t["followups"]:
        return f"Under {when} hölls inga uppföljningar."
    kinds = per_kind(pd)
    words = in_words(t["followups"], t["contractors"], t["units"], *(n for n, _ in kinds))
    listed = counted_list(kinds, words=words)
    return (
        f"Under {when} hölls {amount(t['followups'], UPPFOLJNING, words=words)} hos "
        f"{amount(t['contractors'], UTFORARE, words=words)} "
        f"({amount(t['units'], VERKSAMHET, words=words)})"
        + (f": {listed}." if len(kinds) > 1 else ".")
    )


def findings_sentence(pd: PeriodData, subject: str = "Uppföljningarna") -> str:
    t = totals(pd)
    listed = counted_list([(t["deviations"], AVVIKELSE), (t["improvements"], FORBATTRINGSOMRADE)])
    if not listed:
        return f"{subject} ledde inte till {none_of([AVVIKELSE, FORBATTRINGSOMRADE])}."
    text = f"{subject} ledde till {listed}"
    if t["actions"]:
        text += f", och {amount(t['actions'], ATGARD)} beslutades i åtgärdsplaner"
    return text + "."


def period_context(pd: PeriodData, report_date: date | None = None) -> dict[str, Any]:
    """The report to kvalitetsrådet about the follow-ups held in a period."""
    report_date = report_date or pd.today
    council = pd.settings.quality_council
    label = period_label(pd.date_from, pd.date_to)
    t = totals(pd)
    redact = period_redactor(pd)
    areas = area_findings(pd)
    author = author_of(pd)
    _kommun, forvaltning = pd.settings.names()
    summary = [held_sentence(pd, label)]
    if t["followups"]:
        summary.append(findings_sentence(pd))
    summary.append(
        f"Under perioden verifierades {amount(pd.verified_in_period, ATGARD)}. "
        + open_actions_sentence(at_end(pd), len(pd.open_actions), pd.overdue_at_end)
    )
    if pd.not_held:
        n = len(pd.not_held)
        summary.append(
            f"{capitalize(amount(n, UPPFOLJNING))} som var "
            f"{'planerad' if n == 1 else 'planerade'} under perioden "
            + (
                "hölls inte före periodens slut."
                if pd.as_of >= pd.date_to
                else f"hade inte hållits {at_end(pd)}."
            )
        )
    background = [
        POLICY,
        "Rapporten omfattar de uppföljningar som hölls under perioden, oavsett om "
        "minnesanteckningarna var justerade. " + as_of_sentence(pd),
        "Personer anges med roll, inte med namn.",
    ]
    discussion = []
    if areas and areas[0]["deviations"]:
        top = areas[0]
        discussion.append(
            f"Flest avvikelser gällde området {lower_first(top['area'])} "
            f"({amount(top['deviations'], AVVIKELSE)})."
        )
    if pd.overdue_at_end:
        discussion.append(
            f"{capitalize(amount(pd.overdue_at_end, ATGARD))} hade passerat sitt datum för "
            f"klart senast utan att vara genomförda {at_end(pd)}."
        )
    documents = []
    for f in pd.followups:
        where = sv_join(pd.units.get(f.id, [])) or sv_join(pd.owners.get(f.id, []))
        documents.append(
            f"Minnesanteckningar, {labels.KIND_LABELS[f.kind].lower()}, "
            + (f"{where}, " if where else "")
            + sv_date(f.planned_date)
        )
    findings = [x for _, x in pd.all_findings()]
    return period_base(pd, "Rapport", report_date) | {
        "title": f"Uppföljningar under {label}",
        "subtitle": f"Rapport till {lower_first(council)}",
        "meta": [
            {"label": "Datum", "value": sv_date(report_date)},
            {"label": "Till", "value": council},
            {"label": "Period", "value": sv_period(pd.date_from, pd.date_to)},
            {"label": "Läget per", "value": sv_date(pd.as_of)},
            {
                "label": "Upprättad av",
                "value": ", ".join(x for x in (author.name, lower_first(author.title)) if x)
                or forvaltning,
            },
        ],
        "summary": summary,
        "background": background,
        "followups": followup_rows(pd),
        "area_findings": areas,
        "action_figures": [
            {"label": "Beslutade vid periodens uppföljningar", "value": t["actions"]},
            {"label": "Verifierade under perioden", "value": pd.verified_in_period},
            {"label": f"Öppna {at_end(pd)}", "value": len(pd.open_actions)},
            {"label": "Varav försenade", "value": pd.overdue_at_end},
        ],
        "lessons": lessons_of(findings, redact),
        "discussion": discussion,
        "documents": documents,
        "send_to": [council, f"{pd.settings.committee} för kännedom", "Berörda utförare"],
        "recorder": {"label": "Upprättad av", "name": author.name, "role": author.title},
    }
