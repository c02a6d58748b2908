"""The yearly contribution to the kvalitetsberättelse, along the municipality's template (seed 003).

It fills the template's sections the record can fill: the follow-ups of the year (name, method,
scope, frequency, as the template asks of controls), their results, the avvikelser by area and
how they stood at year end, the actions, and the counts of lex Sarah, lex Maria and klagomål
once those are registered. Every figure is counted as the record stood on 31 December of the
year (`period.load_period` reads the dated records and the change log), never from today.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from audit_app.domain import labels
from audit_app.domain.agenda import parse_agenda, sections_of
from audit_app.domain.signals import NOUNS
from audit_app.domain.svtext import (
    ATGARD,
    AVVIKELSE,
    BEDOMD,
    FORBATTRINGSOMRADE,
    FORSENAD,
    OPPEN,
    TILLFALLE,
    UPPFOLJNING,
    UPPFYLLD,
    VERIFIERAD,
    VERKSAMHET,
    Adjective,
    Noun,
    amount,
    capitalize,
    counted_list,
    in_words,
    lower_first,
    number,
    part_of,
    sv_date,
    sv_join,
    sv_percent,
)
from audit_app.models import FollowUp, FollowUpKind, Result
from audit_app.services.documents.data import DASH
from audit_app.services.documents.parts import methods_text, strip_number
from audit_app.services.documents.period import (
    PeriodData,
    area_actions,
    area_outcomes,
    at_end,
    followup_rows,
    met_of,
    open_actions_sentence,
    period_base,
    period_redactor,
    totals,
)
from audit_app.services.documents.quarterly import author_of, findings_sentence, held_sentence
from audit_app.services.documents.redact import lessons_of

FREQUENCY: dict[FollowUpKind, str] = {
    FollowUpKind.avtal: "Två gånger per år och verksamhet",
    FollowUpKind.ledningssystem: "En gång per halvår",
    FollowUpKind.kvalitetsrevision: "På uppdrag av utskottet",
    FollowUpKind.riktad: "Vid behov",
    FollowUpKind.bistandsarenden: "Vid varje sammanträde i utskottet",
    FollowUpKind.ateruppfoljning: "Inom tre månader efter avvikelse",
}
"""How often the policy (seed 002) has each kind done."""
CRITERIA = Noun(
    "krav eller kriterium", "krav och kriterier", "ett", "kravet", "kraven och kriterierna"
)
ATGARDAD = Adjective("åtgärdad", "åtgärdat", "åtgärdade")
OTHER_SECTIONS = (
    "processer och rutiner, riskanalys, samverkan, personalens medverkan och kvalitet i "
    "erbjudna tjänster"
)


def _controls(pd: PeriodData) -> list[dict[str, str]]:
    """The year's follow-ups per kind: method, scope and frequency, as the template asks."""
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
                # the committee's check of biståndsärenden concerns cases, not units
                "scope": f"{amount(len(done), TILLFALLE, words=False)}, "
                + (
                    amount(len(units), VERKSAMHET, words=False)
                    if units
                    else "utskottets egen kontroll"
                ),
                "frequency": FREQUENCY[kind],
            }
        )
    return rows


def criteria_rows(pd: PeriodData) -> list[dict[str, Any]]:
    """The year's ledningssystem follow-ups per criterion (checklist section): how each was
    judged; the template's sections on routines, risk analysis and egenkontroller."""
    by_section: dict[str, Counter[Result]] = defaultdict(Counter)
    for f in pd.followups:
        if f.kind is not FollowUpKind.ledningssystem:
            continue
        answers = pd.assessments.get(f.id, {})
        for section in sections_of(parse_agenda(f.agenda)):
            title = strip_number(section.title) or "Övrigt"
            for item in section.items:
                if item.is_assessment():
                    a = answers.get(item.key)
                    by_section[title][a.result if a else Result.ej_bedomd] += 1
    return [
        {
            "criterion": title,
            "met": c[Result.uppfyllt],
            "partly": c[Result.delvis_uppfyllt],
            "not_met": c[Result.ej_uppfyllt],
            "other": c[Result.ej_aktuellt] + c[Result.ej_bedomd],
        }
        for title, c in by_section.items()
    ]


def reporting_lines(pd: PeriodData) -> list[str]:
    """Lex Sarah, lex Maria and the other signals about the contractors registered in the year
    (counts and categories, as of the report's day)."""
    return [signals_sentence(pd)]


def complaints_lines() -> list[str]:
    """Klagomål och synpunkter per type (the template's table): not registered here yet."""
    return [
        "Klagomål och synpunkter om utförarna räknas bland signalerna ovan. Förvaltningens "
        "synpunktshantering sammanställer dem per typ."
    ]


def signals_sentence(pd: PeriodData) -> str:
    """'Under 2026 registrerades 7 lex Sarah-rapporter, ... om utförarna.'"""
    year = pd.date_from.year
    text = counted_list([(c.count, NOUNS[c.kind]) for c in pd.signals])
    if not text:
        return (
            f"Under {year} registrerades inga lex Sarah- eller lex Maria-ärenden, klagomål, "
            "synpunkter, IVO-beslut eller ej inlämnade rapporter om utförarna."
        )
    return (
        f"Under {year} registrerades {text} om utförarna. Signalerna redovisas som "
        "antal och kategorier, utan uppgifter om enskilda."
    )


def yearly_context(pd: PeriodData, report_date: date | None = None) -> dict[str, Any]:
    """The yearly contribution to the kvalitetsberättelse, along the template in seed 003."""
    report_date = report_date or pd.today
    year = pd.date_from.year
    _kommun, forvaltning = pd.settings.names()
    t = totals(pd)
    met = judged = 0
    for f in pd.followups:
        m, a = met_of(pd, f)
        met, judged = met + m, judged + a
    outcomes = area_outcomes(pd)
    actions_by_area = area_actions(pd)
    redact = period_redactor(pd)
    author = author_of(pd)
    signatory = pd.settings.signatory
    year_end = sv_date(pd.as_of)
    intro = [
        "Enligt SOSFS 2011:9 ska den som bedriver socialtjänst ha ett ledningssystem för att "
        "systematiskt och fortlöpande utveckla och säkra verksamhetens kvalitet. Arbetet ska "
        "dokumenteras, liksom de förbättrande åtgärder som avvikelser har gett upphov till.",
        f"Detta är {lower_first(forvaltning)}s bidrag till kvalitetsberättelsen {year}: "
        "uppföljningen av verksamhet som bedrivs på entreprenad. Det följer kommunens mall för "
        "kvalitetsberättelsen i de avsnitt som uppföljningen kan belysa. Avsnitten om "
        f"{OTHER_SECTIONS} skriver verksamheterna i sina egna kvalitetsberättelser.",
        f"Alla siffror avser läget den {year_end}, enligt uppföljningarnas dokumentation och "
        "ändringsloggen. Personer anges med roll, inte med namn.",
    ]
    controls_intro = [
        "Mallens avsnitt om egenkontroller efterfrågar namn, metod, omfattning och frekvens. "
        "För förvaltningen motsvaras det av uppföljningarna av utförarna enligt kommunens "
        "policy för uppföljning. Utförarnas egna egenkontroller granskas vid uppföljningen av "
        "deras ledningssystem."
    ]
    end = at_end(pd, "årets")
    results_intro = [held_sentence(pd, str(year))]
    justerade = pd.justerade
    if t["followups"] and justerade < t["followups"]:
        results_intro.append(
            f"{capitalize(end)} var "
            f"{amount(justerade, UPPFOLJNING, words=in_words(justerade))} "
            f"av dem {'justerad' if justerade == 1 else 'justerade'}."
        )
    if judged:
        results_intro.append(
            capitalize(part_of(met, judged, CRITERIA, UPPFYLLD, verb="var", attribute=BEDOMD))
            + f" ({sv_percent(met / judged)})."
        )
    criteria = criteria_rows(pd)
    deviations_intro = [findings_sentence(pd)]
    if t["deviations"]:
        closed = sum(r["closed"] for r in outcomes)
        deviations_intro.append(
            capitalize(part_of(closed, t["deviations"], AVVIKELSE, ATGARDAD, verb="var"))
            + f" {end} (en avvikelse är åtgärdad när alla dess åtgärder är verifierade)."
        )
        deviations_intro.append(
            "Avvikelserna avser vad som brustit i verksamheten, inte vilka personer som var "
            "inblandade."
        )
    actions_intro = []
    decided_verified = sum(int(r["verified"]) for r in actions_by_area)
    decided_open = sum(int(r["open"]) for r in actions_by_area)
    if t["actions"]:
        decided_late = sum(int(r["overdue"]) for r in actions_by_area)
        words = in_words(t["actions"], decided_verified, decided_open, decided_late)
        actions_intro.append(
            f"För årets avvikelser och förbättringsområden beslutades "
            f"{amount(t['actions'], ATGARD, words=words)} i åtgärdsplaner. Varje åtgärd har en "
            "ansvarig roll hos utföraren och ett datum, och stängs först när den har verifierats "
            "vid en senare uppföljning."
        )
        state = capitalize(part_of(decided_verified, t["actions"], ATGARD, VERIFIERAD, verb="var"))
        if not decided_verified:
            n = t["actions"]
            state = (
                f"Den var inte verifierad {end}"
                + (", och den var försenad" if decided_late else "")
                + "."
                if n == 1
                else f"Ingen av dem var verifierad {end}"
                + (
                    f", och {number(decided_late, ATGARD, words=words)} "
                    "var "
                    f"{FORSENAD.agree(ATGARD, decided_late)}"
                    if decided_late
                    else ""
                )
                + "."
            )
        elif decided_open:
            late = (
                (
                    f", varav {number(decided_late, ATGARD, words=words)} "
                    f"{FORSENAD.agree(ATGARD, decided_late)}"
                )
                if decided_late and decided_open > 1
                else ", och den var försenad"
                if decided_late
                else ""
            )
            state += (
                f" {end} och {number(decided_open, ATGARD, words=words)} "
                f"{OPPEN.agree(ATGARD, decided_open)}{late}."
            )
        else:
            state += f" {end}."
        actions_intro.append(f"{state} Tabellen visar dem per område.")
    earlier = len(pd.open_actions) != decided_open or pd.verified_in_period != decided_verified
    verified = amount(pd.verified_in_period, ATGARD)
    if earlier or not t["actions"]:  # else the sentence before says it all
        actions_intro.append(
            (
                f"Räknat med åtgärder som beslutades tidigare år verifierades {verified} under "
                "året. "
                if t["actions"]
                else f"Under året verifierades {verified}. "
            )
            + open_actions_sentence(end, len(pd.open_actions), pd.overdue_at_end)
        )
    next_year = [_planned_sentence(pd.planned_after, end)]
    if pd.open_actions:
        next_year.append(
            "Öppna åtgärder förs in i dagordningen för nästa uppföljning av respektive verksamhet."
        )
    findings = [x for _, x in pd.all_findings()]
    improvements = t["improvements"]
    return period_base(pd, "Kvalitetsberättelse", report_date) | {
        "title": f"Kvalitetsberättelse {year}",
        "subtitle": "Uppföljning av verksamhet på entreprenad – förvaltningens bidrag",
        "meta": [
            {"label": "År", "value": str(year)},
            {"label": "Läget per", "value": year_end},
            {
                "label": "Upprättad av",
                "value": ", ".join(x for x in (author.name, lower_first(author.title)) if x)
                or forvaltning,
            },
            {"label": "Datum", "value": sv_date(report_date)},
        ],
        "intro": intro,
        "controls_intro": controls_intro,
        "controls": _controls(pd)
        or [{"name": DASH, "method": DASH, "scope": "Inga uppföljningar", "frequency": DASH}],
        "results_intro": results_intro,
        "followups": followup_rows(pd),
        "criteria": criteria,
        "deviations_intro": deviations_intro,
        "area_outcomes": outcomes,
        "improvements_text": (
            f"Därutöver konstaterades {amount(improvements, FORBATTRINGSOMRADE)}."
            if improvements and t["deviations"]
            else ""
        ),
        "reporting": reporting_lines(pd),
        "complaints": complaints_lines(),
        "actions_intro": actions_intro,
        "area_actions": actions_by_area,
        "lessons": lessons_of(findings, redact),
        "next_year": next_year,
        "recorder": {"label": "Upprättad av", "name": author.name, "role": author.title},
        "approver": {"label": "Fastställd av", "name": signatory.name, "role": signatory.title},
        "justerad_text": "",
    }


def _planned_sentence(planned: list[FollowUp], end: str = "vid årets slut") -> str:
    """'Vid årets slut var tolv uppföljningar planerade under de kommande tolv månaderna: ...'
    (as of 31 December, or of the report's day while the year runs)."""
    end = capitalize(end)
    if not planned:
        return f"{end} fanns inga uppföljningar planerade under de kommande tolv månaderna."
    kinds = Counter(f.kind for f in planned)
    n = len(planned)
    words = in_words(n, *kinds.values())
    state = "planerad" if n == 1 else "planerade"
    when = "under de kommande tolv månaderna"
    if len(kinds) == 1:
        (kind,) = kinds
        return f"{end} var {amount(n, labels.KIND_NOUNS[kind], words=words)} {state} {when}."
    listed = sv_join(
        amount(kinds[k], labels.KIND_NOUNS[k], words=words) for k in FollowUpKind if kinds[k]
    )
    return f"{end} var {amount(n, UPPFOLJNING, words=words)} {state} {when}: {listed}."
