"""The quarterly (or any period's) summary of follow-ups, a tjänsteskrivelse for kvalitetsrådet."""

from __future__ import annotations

from datetime import date
from typing import Any

from audit_app.config import get_settings
from audit_app.domain import labels
from audit_app.domain.svtext import capitalize, count_text, lower_first, sv_date, sv_join, sv_period
from audit_app.services.documents.data import DASH
from audit_app.services.documents.period import (
    PeriodData,
    area_findings,
    followup_rows,
    open_actions_sentence,
    period_base,
    period_label,
    period_redactor,
    totals,
)
from audit_app.services.documents.redact import lessons_of


def period_context(
    pd: PeriodData, report_date: date | None = None, dnr: str = "", to: str = "Kvalitetsrådet"
) -> dict[str, Any]:
    """The quarterly (or any period's) summary as a tjänsteskrivelse for kvalitetsrådet."""
    settings = get_settings()
    report_date = report_date or pd.today
    label = period_label(pd.date_from, pd.date_to)
    t = totals(pd)
    redact = period_redactor(pd)
    areas = area_findings(pd)
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
            f"{capitalize(count_text(pd.not_done, 'planerad uppföljning', 'planerade uppföljningar'))}"
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
            f"{capitalize(count_text(pd.overdue_at_end, 'åtgärd', 'åtgärder'))} är försenade. "
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
    return period_base("Tjänsteskrivelse", report_date) | {
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
        "followups": followup_rows(pd),
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
