"""What the staffing pages show, decided here and rendered by the views: the panel of agenda
point 2 (units and their commitments, stored analyses with labels, key figures and tables with
Swedish headings, heat-map data) and how the review counts.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session

from audit_app.auth import display_names
from audit_app.domain.svtext import (
    WEEKDAYS_SHORT,
    percent_value,
    sv_date,
    sv_number,
    sv_short_moment,
)
from audit_app.models import FollowUp, StaffingAnalysis
from audit_app.services import followups, registers
from audit_app.services.staffing.analysis import iso_date, periods_frame, share_text
from audit_app.services.staffing.columns import FIELD_LABELS
from audit_app.services.staffing.commitments import UnitRules, unit_rules
from audit_app.services.staffing.findings import suggested_clause
from audit_app.services.staffing.store import analyses_of, saved_mapping

RULES_MARKDOWN = """\
### Så räknas bemanningen

**Import.** Schemat kan vara en Excel-fil (.xlsx, .xls), en OpenDocument-fil (.ods) eller en
CSV-fil (semikolon, komma, tabb eller lodstreck; UTF-8 med eller utan BOM, Windows-1252 eller
UTF-16). Rubrikraden
letas upp bland de första 50 raderna i varje blad; titelrader ovanför, tomma rader, upprepade
rubrikrader och summeringsrader (som "Summa pass" eller "Totalt") hoppas över. Blad utan
rubrikrad läses inte, och det sägs i en varning. Rader utan klockslag (till exempel "Ledig")
och rader med samma start- och sluttid räknas inte som pass; antalet sådana rader står i en
varning. Tomma datum- och avdelningsceller (sammanslagna celler) ärver värdet från raden ovanför.

**Kolumner.** Kolumnerna känns igen på rubriken: Datum; Start/Från och Slut/Till, eller en
kolumn Tid/Arbetstid med intervall som `07:00-15:30`; Befattning/Yrke/Roll/Titel;
Avdelning/Enhet/Avd; Rast (minuter, tom = 0); Namn/Anställd. Står datum och klockslag i
Start och Slut (`2026-11-02 07:00`) behövs ingen datumkolumn. Du kan själv ange vilken kolumn
som hör till vilket fält; ditt val gäller före det som hittades automatiskt. Klockslag får
skrivas `07:00`, `7.00`, `0700`, `06:45:00` eller som Excel-tid; datum som Excel-datum,
`2026-11-02`, `2/11/2026`, `2.11.2026` (dag först) eller `2 nov 2026`.

**Pass.** Ett pass som slutar tidigare än det börjar slutar nästa dag. Ett pass får vara högst
24 timmar. Passets timmar = slut − start − rast. Rasten minskar timmarna men inte närvaron,
eftersom schemat inte säger när rasten tas.

**Närvarande.** För varje avdelning, datum och period är *närvarande* det lägsta antalet
personer i tjänst vid något ögonblick under perioden: ett hjälppass 10:00–13:00 fyller inte
en lucka klockan 07:00. Ett pass räknas från och med starttiden till (men inte med) sluttiden,
så en överlämning 02:00 utan glapp räknas som obruten bemanning. *Kompetent* räknas på samma
sätt men bara för befattningar som står under `competence` i reglerna (stora och små bokstäver
spelar ingen roll; alla grupper under `competence` räknas). En period som går över midnatt hör
till det datum den börjar.

**Vilka perioder.** Alla perioder i reglerna granskas för varje datum från det första till det
sista passets startdatum i filen, för varje avdelning i reglerna, även dagar utan pass.

**Täckning.** Analysen visar för varje avdelning första och sista dagen med pass och hur många
dagar som saknar pass. Den varnar när schemat omfattar färre dagar än granskningsperioden
(`review_days` i reglerna, annars 14 dagar: policyn säger de senaste två veckorna) och när en
avdelning saknar pass någon dag under perioden.

**Brister.** En period har en brist av slaget *bemanning* (`staff`) när närvarande är färre än
`min_staff`, och av slaget *kompetens* (`competent`) när kompetent personal är färre än
`min_competent`; en period kan ha båda.

**Andel kompetenta timmar** = kompetenta timmar / alla timmar i de granskade passen. Under
`min_competent_hours_share` är en brist mot avtalet.

**Personaltäthet** per period = närvarande / antal platser på avdelningen
(`places_per_section`).

**Utelämnas med varning, aldrig i tysthet.** Pass på avdelningar som inte finns i reglerna.
Pass vars datum ligger långt från övriga: passdatumen delas i grupper där det är mer än 7 dagar
mellan två passdatum i följd, och bara gruppen med flest pass granskas (till exempel faller ett
felskrivet år bort).

**Personuppgifter.** Namnkolumnen används bara för att räkna hur många olika personer som finns
i filen (stora och små bokstäver spelar ingen roll). Inga namn sparas; analysen innehåller bara
siffror och brister.
"""


OK_LABEL = "Åtagandet uppfyllt"
COMPETENT_LABEL = "För få med kompetens"
STAFF_LABEL = "För få i tjänst"
STATUS_LABELS = [OK_LABEL, COMPETENT_LABEL, STAFF_LABEL]
"""The heat map's statuses, best first."""

BREACH_KIND_LABELS = {"staff": "Bemanning (för få i tjänst)", "competent": "Kompetens (för få)"}
MAX_TEXT_DAYS = 31
"""Longer periods are drawn without the number in each cell."""


@dataclass(frozen=True)
class Metric:
    """One key figure of an analysis."""

    label: str
    value: str
    delta: str | None = None
    delta_description: str | None = None
    help: str | None = None


@dataclass
class AnalysisView:
    """A stored analysis as the panel shows it."""

    id: uuid.UUID
    label: str  # "schema.xlsx · 2026-11-02 – 2026-11-04 · sparad 2026-11-10 09:12 av Karin Ek"
    period: str  # "2 november 2026 – 4 november 2026 (3 dagar)", or ""
    metrics: list[Metric]
    hours_by_section: str  # caption, or ""
    warnings: list[str]
    breach_count: int
    share_problem: str  # the competent-hours share below the commitment, or ""
    breaches: pd.DataFrame  # Swedish headings
    periods: pd.DataFrame | None  # the per-period table (None for analyses stored without it)
    columns: str  # the columns used, or ""
    can_propose: bool  # there are breaches to make findings of
    coverage: pd.DataFrame | None = None  # days with shifts per section (None if not stored)
    coverage_note: str = ""  # "Schemat omfattar 3 av de 14 dagar som granskningen gäller."


@dataclass
class StaffingPanel:
    """Everything agenda point 2's staffing review shows for one follow-up."""

    contract_id: uuid.UUID | None
    contract_dnr: str
    units: list[UnitRules]
    saved_mapping: dict[str, str]
    clause: str
    analyses: list[AnalysisView] = field(default_factory=list)  # newest first

    def with_rules(self) -> list[UnitRules]:
        """Return the units the contract has commitments for."""
        return [u for u in self.units if u.rules is not None]

    def without_rules(self) -> list[str]:
        """Return the names of the units the contract has no commitments for."""
        return [u.name for u in self.units if u.rules is None]


@dataclass(frozen=True)
class HeatMap:
    """The heat map's data: one row per section, period and day with its status and text."""

    frame: pd.DataFrame
    rows: list[str]
    days: list[str]
    numbers: bool  # short enough to write the number in each cell


# --------------------------------------------------------------------------- the panel


def panel_for(session: Session, followup: FollowUp) -> StaffingPanel:
    """Return what the staffing review of a follow-up shows."""
    unit_ids = followups.unit_ids_of(session, followup.id)
    contract = (
        registers.get_contract(session, followup.contract_id) if followup.contract_id else None
    )
    stored = list(reversed(analyses_of(session, followup.id)))
    names = display_names(session, [a.created_by_id for a in stored])
    return StaffingPanel(
        contract_id=contract.id if contract else None,
        contract_dnr=contract.dnr if contract else "",
        units=unit_rules(session, contract.id, unit_ids) if contract else [],
        saved_mapping=saved_mapping(session, followup.contractor_id)
        if followup.contractor_id is not None
        else {},
        clause=suggested_clause(session, followup),
        analyses=[analysis_view(a, analysis_label(a, names)) for a in stored],
    )


def analysis_label(analysis: StaffingAnalysis, names: Mapping[uuid.UUID, str]) -> str:
    """Return "schema <period>.xlsx · sparad <local time> av <name>" of a stored analysis (the
    stored file name is built from the period); `names` are the users' display names."""
    saved = sv_short_moment(analysis.created_at)
    who = names.get(analysis.created_by_id, "okänd") if analysis.created_by_id else "okänd"
    return f"{analysis.filename} · sparad {saved} av {who}"


def _share_delta(share: float, target: float) -> str:
    """Return the difference to the requirement in percentage points, as the figures show it."""
    points = float(percent_value(share) - percent_value(target))
    if points == 0 and share < target:
        points = (share - target) * 100  # whole points would hide the shortfall
    text = sv_number(points, 0 if abs(points) >= 1 else 1)
    return f"{'+' if points > 0 else ''}{text} p.e."


def analysis_view(analysis: StaffingAnalysis, label: str) -> AnalysisView:
    """Return a stored analysis as the panel shows it."""
    result: dict[str, Any] = analysis.result or {}
    rules: dict[str, Any] = analysis.rules or {}
    first, last = iso_date(result.get("from")), iso_date(result.get("to"))
    period = (
        f"{sv_date(first)} – {sv_date(last)} ({(last - first).days + 1} dagar)"
        if first and last
        else ""
    )
    breaches = result.get("breaches") or []
    share = float(result.get("competent_share") or 0)
    required = result.get("min_competent_hours_share", rules.get("min_competent_hours_share"))
    target = float(required) if required is not None else None
    people = result.get("distinct_people")
    metrics = [
        Metric("Pass", sv_number(int(result.get("shifts") or 0))),
        Metric("Arbetade timmar", sv_number(float(result.get("total_hours") or 0))),
        Metric(
            "Kompetenta timmar",
            share_text(share, target),
            delta=_share_delta(share, target) if target is not None else None,
            delta_description=f"krav {share_text(target)}" if target is not None else None,
            help="Andel av de arbetade timmarna som utförts av personal med kompetens enligt "
            "avtalet; p.e. = procentenheter mot kravet.",
        ),
        Metric(
            "Personer i schemat",
            "okänt" if people is None else str(people),
            help="Antalet olika namn i filen. Namnen sparas inte.",
        ),
        Metric(
            "Pass under åtagandet",
            str(len({(b["date"], b["section"], b["period"]) for b in breaches})),
        ),
    ]
    by_section = result.get("hours_by_section") or {}
    hours = "; ".join(f"{s} {sv_number(float(h))}" for s, h in by_section.items())
    used = result.get("columns") or {}
    records = result.get("periods") or []
    return AnalysisView(
        id=analysis.id,
        label=label,
        period=period,
        metrics=metrics,
        hours_by_section=f"Timmar per avdelning: {hours}" if hours else "",
        warnings=list(result.get("warnings") or []),
        breach_count=len(breaches),
        share_problem=(
            f"Andelen timmar med kompetent personal är {share_text(share, target or 0)}, lägre "
            f"än åtagandet {share_text(target or 0)}."
            if result.get("share_breached")
            else ""
        ),
        breaches=breaches_frame(breaches),
        periods=periods_frame(records) if records else None,
        columns=(
            "Kolumner som användes: "
            + "; ".join(f"{FIELD_LABELS.get(k, k)} = {v}" for k, v in used.items())
            if used
            else ""
        ),
        can_propose=bool(breaches) or bool(result.get("share_breached")),
        coverage=coverage_frame(result.get("coverage")),
        coverage_note=coverage_note(result),
    )


def coverage_note(result: Mapping[str, Any]) -> str:
    """Return the sentence on the days the schedule covers against the review period, or ""."""
    first, last = iso_date(result.get("from")), iso_date(result.get("to"))
    wanted = result.get("review_days")
    if not (first and last and wanted):
        return ""
    days = (last - first).days + 1
    if days >= int(wanted):
        return f"Schemat omfattar {days} dagar; granskningsperioden är {wanted} dagar."
    return (
        f"Schemat omfattar bara {days} {'dag' if days == 1 else 'dagar'}, kortare än "
        f"granskningsperioden {wanted} dagar."
    )


def coverage_frame(coverage: Mapping[str, Any] | None) -> pd.DataFrame | None:
    """Return the days with shifts per section as a table with Swedish headings."""
    if not coverage:
        return None
    return pd.DataFrame(
        [
            {
                "Avdelning": section,
                "Första dag med pass": c.get("from") or "–",
                "Sista dag med pass": c.get("to") or "–",
                "Dagar med pass": int(c.get("days_with_shifts") or 0),
                "Dagar utan pass": len(c.get("missing_days") or []),
            }
            for section, c in coverage.items()
        ]
    )


# --------------------------------------------------------------------------- tables


def breaches_frame(breaches: list[dict[str, Any]]) -> pd.DataFrame:
    """Return the breaches as a table with Swedish headings."""
    return pd.DataFrame(
        [
            {
                "Datum": str(b.get("date", "")),
                "Avdelning": b.get("section", ""),
                "Pass": b.get("period", ""),
                "Brist": BREACH_KIND_LABELS.get(str(b.get("kind")), str(b.get("kind"))),
                "Krav": b.get("required"),
                "I tjänst": b.get("present"),
            }
            for b in breaches
        ],
        columns=["Datum", "Avdelning", "Pass", "Brist", "Krav", "I tjänst"],
    )


def periods_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return the per-period table with Swedish headings."""
    return pd.DataFrame(
        {
            "Avdelning": table["section"],
            "Datum": table["date"].dt.strftime("%Y-%m-%d"),
            "Pass": table["period"],
            "Från": table["start"].dt.strftime("%H:%M"),
            "Till": table["end"].dt.strftime("%H:%M"),
            "Lägst i tjänst": table["present"],
            "Krav i tjänst": table["min_staff"],
            "Lägst med kompetens": table["competent"],
            "Krav kompetens": table["min_competent"],
            "Personal per plats": table["staff_per_place"],
            "Brist": np.select(
                [
                    table["staff_breach"] & table["competent_breach"],
                    table["staff_breach"],
                    table["competent_breach"],
                ],
                ["Bemanning och kompetens", "Bemanning", "Kompetens"],
                "",
            ),
        }
    )


def heatmap(table: pd.DataFrame) -> HeatMap:
    """Return the heat map of a per-period table: status, row and day labels, cell text."""
    df = table.copy()
    df["Status"] = np.select(
        [df["staff_breach"], df["competent_breach"]], [STAFF_LABEL, COMPETENT_LABEL], OK_LABEL
    )
    df["Rad"] = df["section"].astype(str) + " · " + df["period"].astype(str)
    days = pd.to_datetime(df["date"])
    span = int((days.max() - days.min()).days) + 1 if len(df) else 0
    numbers = span <= MAX_TEXT_DAYS
    if numbers:
        df["Dag"] = [f"{WEEKDAYS_SHORT[d.weekday()]} {d.day}/{d.month}" for d in days]
    else:
        df["Dag"] = days.dt.strftime("%Y-%m-%d")
    df["Datum"] = days.dt.strftime("%Y-%m-%d")
    breach = df["staff_breach"] | df["competent_breach"]
    df["Text"] = df["present"].astype(str) + np.where(breach, "!", "")
    return HeatMap(
        frame=df,
        rows=list(dict.fromkeys(df["Rad"])),
        days=list(dict.fromkeys(df.sort_values("date")["Dag"])),
        numbers=numbers,
    )
