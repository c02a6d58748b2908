"""The yearly contribution to the kvalitetsberättelse (seed 003): controls, results, actions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from audit_app.config import get_settings
from audit_app.domain import labels
from audit_app.domain.signals import counts_text
from audit_app.domain.svtext import count_text, lower_first, sv_date, sv_percent
from audit_app.models import FollowUp, FollowUpKind
from audit_app.services.documents.data import DASH
from audit_app.services.documents.parts import methods_text
from audit_app.services.documents.period import (
    PeriodData,
    area_actions,
    area_findings,
    followup_rows,
    met_of,
    open_actions_sentence,
    period_base,
    period_redactor,
    totals,
)
from audit_app.services.documents.redact import lessons_of

FREQUENCY: dict[FollowUpKind, str] = {
    FollowUpKind.avtal: "Två gånger per år och verksamhet",
    FollowUpKind.ledningssystem: "En gång per halvår",
    FollowUpKind.kvalitetsrevision: "Enligt utskottets uppdrag",
    FollowUpKind.riktad: "Vid behov",
    FollowUpKind.bistandsarenden: "Vid varje sammanträde i utskottet",
    FollowUpKind.ateruppfoljning: "Inom tre månader efter avvikelse",
}


def _controls(pd: PeriodData) -> list[dict[str, str]]:
    """The year's self-inspections per kind of follow-up: method, scope, frequency."""
    by_kind: dict[FollowUpKind, list[FollowUp]] = defaultdict(list)
    for f in pd.followups:
        by_kind[f.kind].append(f)
    rows = []
    for kind in FollowUpKind:
        done = by_kind.get(kind)
        if not done:
            continue
        units = {u for f in done for u in pd.units.get(f.id, [])}
        rows.append(
            {
                "name": labels.KIND_LABELS[kind],
                "method": methods_text(dict.fromkeys(m for f in done for m in f.methods)),
                "scope": f"{count_text(len(done), 'tillfälle', 'tillfällen')}, "
                f"{count_text(len(units), 'verksamhet', 'verksamheter')}",
                "frequency": FREQUENCY[kind],
            }
        )
    return rows


def signals_sentence(pd: PeriodData) -> str:
    """'Under 2026 registrerades dessutom 7 lex Sarah-rapporter, ... om utförarna.'"""
    year = pd.date_from.year
    text = counts_text(pd.signals)
    if not text:
        return (
            f"Under {year} registrerades inga lex Sarah- eller lex Maria-ärenden, klagomål, "
            "synpunkter, IVO-beslut eller ej inlämnade rapporter om utförarna."
        )
    return (
        f"Under {year} registrerades dessutom {text} om utförarna. Signalerna redovisas som "
        "antal och kategorier, utan uppgifter om enskilda."
    )


def yearly_context(pd: PeriodData, report_date: date | None = None) -> dict[str, Any]:
    """The yearly contribution to the kvalitetsberättelse, along the template in seed 003."""
    settings = get_settings()
    report_date = report_date or pd.today
    year = pd.date_from.year
    t = totals(pd)
    met = assessed = 0
    for f in pd.followups:
        m, a = met_of(pd, f)
        met, assessed = met + m, assessed + a
    areas = area_findings(pd)
    actions_by_area = area_actions(pd)
    redact = period_redactor(pd)
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
    deviations_intro.append(signals_sentence(pd))
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
    return period_base("Kvalitetsberättelse", report_date) | {
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
        "followups": followup_rows(pd),
        "deviations_intro": deviations_intro,
        "area_findings": areas,
        "actions_intro": actions_intro,
        "area_actions": actions_by_area,
        "lessons": lessons_of(findings, redact),
        "next_year": next_year,
        "recorder": {"label": "Upprättad av", "name": "Utvecklingsledare", "role": ""},
        "approver": {"label": "Fastställd av", "name": "Förvaltningschef", "role": ""},
        "justerad_text": "",
    }
