"""Agenda point 2 as the documents show it: the staffing review from the stored analysis."""

from __future__ import annotations

from datetime import date
from typing import Any

from audit_app.domain.svtext import sv_date, sv_number, sv_percent, sv_period
from audit_app.services.documents.data import FollowUpData
from audit_app.services.documents.render import Picture
from audit_app.services.staffing.picture import heatmap_png

MAX_BREACH_ROWS = 60
BREACH_KIND = {"staff": "Personal i tjänst", "competent": "Närvarande kompetens"}


def staffing_block(data: FollowUpData, for_committee: bool = False) -> dict[str, Any]:
    """Point 2: figures, breaches and the heat map of the latest analysis (or what was noted)."""
    notes = data.notes
    intro: list[str] = []
    figures: list[dict[str, str]] = []
    breaches: list[dict[str, Any]] = []
    breaches_note: list[str] = []
    heatmap: Picture | str = ""
    caption = ""
    analysis = data.analyses[-1] if data.analyses else None
    if analysis is not None:
        result = analysis.result or {}
        first = _iso(result.get("from")) or analysis.period_from
        last = _iso(result.get("to")) or analysis.period_to
        period = sv_period(first, last)
        n_breaches = len(result.get("breaches") or [])
        intro.append(
            f"Utförarens scheman för perioden {period} granskades mot avtalets åtagande om "
            "personaltäthet och närvarande kompetens. Personalen anges i schemat med roll och "
            "kompetens, inte med namn."
        )
        short = _coverage_sentence(result, first, last)
        if short:
            intro.append(short)
        figures.append({"label": "Granskad period", "value": period})
        if result.get("shifts") is not None:
            figures.append({"label": "Antal pass", "value": sv_number(int(result["shifts"]))})
        if result.get("total_hours") is not None:
            figures.append(
                {"label": "Arbetade timmar", "value": sv_number(float(result["total_hours"]))}
            )
        for section, hours in (result.get("hours_by_section") or {}).items():
            figures.append(
                {"label": f"Arbetade timmar, {section}", "value": sv_number(float(hours))}
            )
        if result.get("competent_share") is not None:
            share = float(result["competent_share"])
            required = (analysis.rules or {}).get("min_competent_hours_share")
            value = sv_percent(share)
            if required:
                value += f" (krav {sv_percent(float(required))})"
            if result.get("share_breached"):
                value += " – under kravet"
            figures.append({"label": "Andel timmar med kompetens", "value": value})
        if result.get("distinct_people") is not None and not for_committee:
            figures.append(
                {"label": "Antal personer i schemat", "value": str(result["distinct_people"])}
            )
        staff = sum(1 for b in result.get("breaches") or [] if b.get("kind") == "staff")
        figures.append(
            {
                "label": "Pass under åtagandet",
                "value": f"{n_breaches} (personal {staff}, kompetens {n_breaches - staff})"
                if n_breaches
                else "Inga",
            }
        )
        for b in (result.get("breaches") or [])[:MAX_BREACH_ROWS]:
            day = _iso(b.get("date"))
            breaches.append(
                {
                    "date": sv_date(day) if day else str(b.get("date", "")),
                    "section": str(b.get("section", "")),
                    "period": str(b.get("period", "")),
                    "kind": BREACH_KIND.get(str(b.get("kind")), str(b.get("kind", ""))),
                    "required": b.get("required", ""),
                    "present": b.get("present", ""),
                }
            )
        if n_breaches > MAX_BREACH_ROWS:
            breaches_note.append(
                f"Tabellen visar de första {MAX_BREACH_ROWS} av {n_breaches} pass under "
                "åtagandet. Alla finns i Excel-exporten av uppföljningen."
            )
        for warning in result.get("warnings") or []:
            breaches_note.append(f"Obs: {warning}")
        png = heatmap_png(result, analysis.rules)
        if png:
            heatmap = Picture(png, 160)
            caption = (
                f"Lägsta antal i tjänst per avdelning, pass och dag under perioden {period}. "
                "Rött: färre i tjänst än åtagandet. Gult: färre med kompetens än åtagandet."
            )
    else:
        period_item = data.assessments.get("bem-period")
        if period_item is not None and period_item.value:
            intro.append(
                f"Scheman för de två veckorna från och med {sv_date(period_item.value)} "
                "granskades under mötet."
            )
        else:
            intro.append(
                "Scheman för de senaste två veckorna gicks igenom under mötet. Någon "
                "schemagranskning är inte registrerad i systemet för uppföljningen."
            )
    for key, label in (
        ("personaltathet", "Personaltäthet"),
        ("narvarande_kompetens", "Närvarande kompetens"),
    ):
        noted = notes.get(key)
        if noted not in (None, ""):
            figures.append({"label": label, "value": str(noted)})
    comment = notes.get("bemanning_kommentar")
    if comment and not for_committee:
        intro.append(str(comment))
    return {
        "intro": intro,
        "figures": figures,
        "breaches": breaches,
        "breaches_note": breaches_note,
        "heatmap": heatmap,
        "heatmap_caption": caption,
    }


def _coverage_sentence(result: dict[str, Any], first: date | None, last: date | None) -> str:
    """Return what the minutes say when the schedule is shorter than the review period or a
    section has days without shifts; "" when it covers the period."""
    wanted = result.get("review_days")
    if not (first and last and wanted):
        return ""
    days = (last - first).days + 1
    gaps = [s for s, c in (result.get("coverage") or {}).items() if c.get("missing_days")]
    parts = []
    if days < int(wanted):
        parts.append(
            f"Schemat omfattar bara {days} {'dag' if days == 1 else 'dagar'}, kortare än de "
            f"{wanted} dagar som granskningen ska omfatta."
        )
    if gaps:
        names = ", ".join(gaps[:-1]) + (" och " if len(gaps) > 1 else "") + gaps[-1]
        parts.append(f"För {names} saknas pass vissa dagar under perioden.")
    return " ".join(parts)


def _iso(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
