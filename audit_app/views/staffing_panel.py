"""Agenda point 2: the staffing review from the contractor's schedule export.

Upload, check the columns found, analyse against the contract's commitments and store the
figures (never names); then the results, a heat map and the breaches as proposed findings.
Locked follow-ups and readers see the stored analyses only.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from audit_app.auth import display_name
from audit_app.errors import UserError
from audit_app.models import FollowUp, StaffingAnalysis, Unit
from audit_app.services import followups as fu
from audit_app.services import registers as reg
from audit_app.services import staffing_store as ss
from audit_app.services.staffing import (
    FIELD_LABELS,
    FIELDS,
    RULES_MARKDOWN,
    ScheduleError,
    ScheduleLayout,
    StaffingRules,
    periods_frame,
    rules_to_yaml,
)
from audit_app.ui import actor, db, show_error, sv_date

NONE = ""
WEEKDAYS = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
OK_LABEL = "Åtagandet uppfyllt"
COMPETENT_LABEL = "För få med kompetens"
STAFF_LABEL = "För få i tjänst"
COLORS = {OK_LABEL: "#d6eada", COMPETENT_LABEL: "#f7d58c", STAFF_LABEL: "#e28076"}
KIND_LABELS = {"staff": "Bemanning (för få i tjänst)", "competent": "Kompetens (för få)"}
ROW_HEIGHT = 30
MAX_TEXT_DAYS = 31
"""Longer periods are drawn without the number in each cell."""


def _ns(followup_id: uuid.UUID, *parts: object) -> str:
    return "staffing." + str(followup_id)[:8] + "." + ".".join(str(p) for p in parts)


def _number(value: float, decimals: int = 1) -> str:
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text[: -decimals - 1] if decimals and text.endswith("," + "0" * decimals) else text


def _percent(share: float) -> str:
    return f"{_number(share * 100)} %"


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------- entry


def render_staffing_panel(f: FollowUp, editable: bool) -> None:
    """Render the staffing review of a follow-up inside agenda point 2."""
    with db() as session:
        analyses = ss.analyses_of(session, f.id)
        units = [session.get(Unit, uid) for uid in fu.unit_ids_of(session, f.id)]
        unit_names = [u.name for u in units if u is not None]
        contract = reg.get_contract(session, f.contract_id) if f.contract_id else None
        rules = (
            {name: ss.rules_for(session, contract.id, name) for name in unit_names}
            if contract is not None
            else {}
        )
        saved = ss.saved_mapping(session, f.contractor_id)
        clause = ss.suggested_clause(session, f)
    with st.container(border=True):
        st.markdown("**Schemagranskning** (utförarens schemaexport)")
        st.caption(
            "Appen räknar per avdelning, dag och pass hur många som var i tjänst och hur många "
            "med kompetens, och jämför med avtalets åtagande. Inga namn sparas; bara siffror, "
            "brister och antalet olika personer i filen."
        )
        with st.expander("Så räknas bemanningen"):
            st.markdown(RULES_MARKDOWN)
        message = st.session_state.pop(_ns(f.id, "msg"), None)
        if message:
            st.success(message)
        if editable:
            _upload(f, contract, unit_names, rules, saved)
        if analyses:
            _stored(f, analyses, editable, clause)
        elif not editable:
            st.caption("Ingen schemagranskning är sparad för uppföljningen.")


# --------------------------------------------------------------------------- upload


def _contract_hint(contract_id: uuid.UUID, dnr: str, unit_names: list[str]) -> None:
    st.warning(
        f"Avtalet {dnr} har inga bemanningsåtaganden för {', '.join(unit_names) or 'enheten'}. "
        "Lägg in dem på sidan **Avtal**: välj avtalet och fyll i avsnittet "
        "**Bemanningsåtaganden**. Sedan kan schemat granskas här."
    )
    page = (st.session_state.get("nav.pages") or {}).get("avtal")
    if page is not None and st.button("Öppna avtalet", key=f"staffing.open.{contract_id}"):
        st.session_state["contracts.pending"] = str(contract_id)
        st.switch_page(page)


def _upload(
    f: FollowUp,
    contract: Any,
    unit_names: list[str],
    rules: dict[str, StaffingRules | None],
    saved: dict[str, str],
) -> None:
    if contract is None:
        st.info(
            "Uppföljningen är inte kopplad till något avtal, så det finns inga "
            "bemanningsåtaganden att granska schemat mot."
        )
        return
    with_rules = {name: r for name, r in rules.items() if r is not None}
    if not with_rules:
        _contract_hint(contract.id, contract.dnr, unit_names)
        return
    names = list(with_rules)
    unit = (
        names[0]
        if len(names) == 1
        else st.selectbox("Enhet som schemat gäller", names, key=_ns(f.id, "unit"))
    )
    unit_rules = with_rules[unit]
    missing = [n for n in unit_names if n not in with_rules]
    if missing:
        st.caption(f"Avtalet har inga bemanningsåtaganden för {', '.join(missing)}.")
    with st.expander(f"Åtaganden som schemat granskas mot: {unit} (avtal {contract.dnr})"):
        st.code(rules_to_yaml(unit_rules), language="yaml")
        st.caption("Åtagandena ändras på sidan Avtal, avsnittet Bemanningsåtaganden.")
    counter_key = _ns(f.id, "upload_counter")
    counter = st.session_state.setdefault(counter_key, 0)
    upload = st.file_uploader(
        "Schemaexport (Excel, OpenDocument eller CSV)",
        type=["xlsx", "xls", "ods", "csv"],
        key=_ns(f.id, "upload", counter),
        help="Filen som den kommer från utförarens schemasystem. Titelrader, summarader och "
        "tomma rader hoppas över.",
    )
    if upload is None:
        return
    data = upload.getvalue()
    try:
        layout, used_saved = ss.layout_for(data, upload.name, saved)
    except ScheduleError as exc:
        show_error(exc)
        return
    digest = hashlib.sha256(data).hexdigest()[:10]
    chosen = _mapping_editor(f, layout, used_saved, digest)
    problems = _mapping_problems(chosen)
    for problem in problems:
        st.warning(problem)
    if st.button(
        "Analysera och spara",
        type="primary",
        disabled=bool(problems),
        key=_ns(f.id, "analyse", digest),
    ):
        try:
            with db() as session:
                analysis = ss.save_analysis(
                    session, actor(), f.id, upload.name, data, unit_rules, chosen
                )
                analysis_id, breaches = analysis.id, len(analysis.result.get("breaches") or [])
        except UserError as exc:
            show_error(exc)
            return
        st.session_state[counter_key] = counter + 1
        st.session_state[_ns(f.id, "shown")] = str(analysis_id)
        st.session_state[_ns(f.id, "msg")] = (
            f"Schemagranskningen av {upload.name} är sparad ({breaches} brister). "
            "Personaltäthet och närvarande kompetens är ifyllda ovan."
        )
        st.rerun()


def _mapping_editor(
    f: FollowUp, layout: ScheduleLayout, used_saved: bool, digest: str
) -> dict[str, str]:
    where = f", blad {layout.sheet}" if layout.sheet else ""
    st.markdown(f"**Kolumner i filen** (rubrikraden är rad {layout.header_row}{where})")
    st.caption(
        "Kontrollera att varje fält har rätt kolumn och ändra annars. Valen sparas för "
        "entreprenören när analysen sparas och används nästa gång."
        + (" Förvalda efter de val som sparades förra gången." if used_saved else "")
    )
    options = [NONE, *layout.headers]
    chosen: dict[str, str] = {}
    columns = st.columns(4)
    for index, fld in enumerate(FIELDS):
        current = layout.mapping.get(fld, NONE)
        chosen[fld] = str(
            columns[index % 4].selectbox(
                FIELD_LABELS[fld].capitalize(),
                options,
                index=options.index(current) if current in options else 0,
                format_func=lambda h: h or "– ingen –",
                key=_ns(f.id, "map", digest, fld),
            )
            or NONE
        )
    return chosen


def _mapping_problems(chosen: dict[str, str]) -> list[str]:
    problems = [
        f"Välj kolumnen för {FIELD_LABELS[fld]}."
        for fld in ("date", "role", "section")
        if not chosen.get(fld)
    ]
    if not chosen.get("range") and not (chosen.get("start") and chosen.get("end")):
        problems.append(
            "Välj kolumnerna för starttid och sluttid, eller en kolumn för arbetstid "
            "(intervall som 07:00-15:30)."
        )
    used: dict[str, list[str]] = {}
    for fld, header in chosen.items():
        if header:
            used.setdefault(header, []).append(FIELD_LABELS[fld])
    for header, fields in used.items():
        if len(fields) > 1:
            problems.append(f"Kolumnen {header!r} är vald för flera fält: {', '.join(fields)}.")
    return problems


# --------------------------------------------------------------------------- stored results


def _label(a: StaffingAnalysis) -> str:
    first = a.period_from
    last = a.period_to
    period = f"{first} – {last}" if first and last else ""
    saved = a.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if a.created_at else ""
    with db() as session:
        who = display_name(session, a.created_by_id, "okänd")
    return f"{a.filename} · {period} · sparad {saved} av {who}"


def _stored(f: FollowUp, analyses: list[StaffingAnalysis], editable: bool, clause: str) -> None:
    newest_first = list(reversed(analyses))
    by_id = {str(a.id): a for a in newest_first}
    shown_key = _ns(f.id, "shown")
    if len(newest_first) > 1:
        if st.session_state.get(shown_key) not in by_id:
            st.session_state[shown_key] = str(newest_first[0].id)
        chosen = st.selectbox(
            f"Sparade schemagranskningar ({len(newest_first)}; den senaste används i "
            "minnesanteckningarna)",
            list(by_id),
            format_func=lambda k: _label(by_id[k]),
            key=shown_key,
        )
        analysis = by_id[str(chosen)]
    else:
        analysis = newest_first[0]
        st.caption(f"Sparad schemagranskning: {_label(analysis)}")
    render_analysis(analysis)
    if editable:
        _findings_button(f, analysis, clause)


def render_analysis(analysis: StaffingAnalysis) -> None:
    """Show a stored analysis: period, key figures, heat map, breaches and the period table."""
    result = analysis.result or {}
    rules = analysis.rules or {}
    first, last = _iso(result.get("from")), _iso(result.get("to"))
    if first and last:
        days = (last - first).days + 1
        st.markdown(f"**Granskad period:** {sv_date(first)} – {sv_date(last)} ({days} dagar)")
    breaches = result.get("breaches") or []
    share = float(result.get("competent_share") or 0)
    target = result.get("min_competent_hours_share", rules.get("min_competent_hours_share"))
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("Pass", _number(float(result.get("shifts") or 0), 0))
    c2.metric("Arbetade timmar", _number(float(result.get("total_hours") or 0)))
    delta = description = None
    if target is not None:
        delta = f"{(share - float(target)) * 100:+.1f}".replace(".", ",") + " p.e."
        description = f"krav {_percent(float(target))}"
    c3.metric(
        "Kompetenta timmar",
        _percent(share),
        delta=delta,
        delta_description=description,
        help="Andel av de arbetade timmarna som utförts av personal med kompetens enligt "
        "avtalet; p.e. = procentenheter mot kravet.",
    )
    people = result.get("distinct_people")
    c4.metric(
        "Personer i schemat",
        "okänt" if people is None else str(people),
        help="Antalet olika namn i filen. Namnen sparas inte.",
    )
    periods_with_breach = len({(b["date"], b["section"], b["period"]) for b in breaches})
    c5.metric("Pass under åtagandet", str(periods_with_breach))
    by_section = result.get("hours_by_section") or {}
    if by_section:
        st.caption(
            "Timmar per avdelning: "
            + "; ".join(f"{s} {_number(float(h))}" for s, h in by_section.items())
        )
    for warning in result.get("warnings") or []:
        st.warning(warning, icon="⚠️")
    records = result.get("periods") or []
    if records:
        table = periods_frame(records)
        st.markdown("**Värmekarta:** lägsta antal i tjänst per avdelning, pass och dag")
        st.altair_chart(heatmap_chart(table), width="stretch")
    st.markdown(f"**Brister** ({len(breaches)})")
    if result.get("share_breached"):
        st.error(
            f"Andelen timmar med kompetent personal är {_percent(share)}, lägre än "
            f"åtagandet {_percent(float(target or 0))}."
        )
    if breaches:
        st.dataframe(breaches_frame(breaches), hide_index=True, width="stretch")
    elif not result.get("share_breached"):
        st.success("Inga brister mot åtagandet under perioden.")
    if records:
        with st.expander("Alla pass (tabell)"):
            st.dataframe(
                periods_table(periods_frame(records)),
                hide_index=True,
                width="stretch",
                column_config={
                    "Personal per plats": st.column_config.NumberColumn(format="%.2f"),
                },
            )
    columns = result.get("columns") or {}
    if columns:
        st.caption(
            "Kolumner som användes: "
            + "; ".join(f"{FIELD_LABELS.get(k, k)} = {v}" for k, v in columns.items())
        )


def breaches_frame(breaches: list[dict[str, Any]]) -> pd.DataFrame:
    """Return the breaches as a table with Swedish headings."""
    return pd.DataFrame(
        [
            {
                "Datum": str(b.get("date", "")),
                "Avdelning": b.get("section", ""),
                "Pass": b.get("period", ""),
                "Brist": KIND_LABELS.get(str(b.get("kind")), str(b.get("kind"))),
                "Krav": b.get("required"),
                "I tjänst": b.get("present"),
            }
            for b in breaches
        ],
        columns=["Datum", "Avdelning", "Pass", "Brist", "Krav", "I tjänst"],
    )


def periods_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return the period table with Swedish headings."""
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


def heatmap_chart(table: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """Section x date x period heat map; breaches coloured and marked with "!"."""
    df = table.copy()
    df["Status"] = np.select(
        [df["staff_breach"], df["competent_breach"]], [STAFF_LABEL, COMPETENT_LABEL], OK_LABEL
    )
    df["Rad"] = df["section"] + " · " + df["period"]
    days = pd.to_datetime(df["date"])
    span = int((days.max() - days.min()).days) + 1 if len(df) else 0
    if span > MAX_TEXT_DAYS:
        df["Dag"] = days.dt.strftime("%Y-%m-%d")
    else:
        df["Dag"] = [f"{WEEKDAYS[d.weekday()]} {d.day}/{d.month}" for d in days]
    df["Datum"] = days.dt.strftime("%Y-%m-%d")
    breach = df["staff_breach"] | df["competent_breach"]
    df["Text"] = df["present"].astype(str) + np.where(breach, "!", "")
    rows = list(dict.fromkeys(df["Rad"]))
    day_order = list(dict.fromkeys(df.sort_values("date")["Dag"]))
    axis = (
        alt.Axis(labelAngle=-45)
        if span > MAX_TEXT_DAYS
        else alt.Axis(labelAngle=0, labelExpr="split(datum.value, ' ')", orient="top")
    )
    base = alt.Chart(df).encode(
        x=alt.X("Dag:O", sort=day_order, title=None, axis=axis),
        y=alt.Y("Rad:N", sort=rows, title=None),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "Status:N",
            scale=alt.Scale(domain=list(COLORS), range=list(COLORS.values())),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("section:N", title="Avdelning"),
            alt.Tooltip("Datum:N", title="Datum"),
            alt.Tooltip("period:N", title="Pass"),
            alt.Tooltip("present:Q", title="Lägst i tjänst"),
            alt.Tooltip("min_staff:Q", title="Krav i tjänst"),
            alt.Tooltip("competent:Q", title="Lägst med kompetens"),
            alt.Tooltip("min_competent:Q", title="Krav kompetens"),
            alt.Tooltip("staff_per_place:Q", title="Personal per plats", format=".2f"),
            alt.Tooltip("Status:N", title="Status"),
        ],
    )
    layers: list[Any] = [cells]
    if span <= MAX_TEXT_DAYS:
        layers.append(base.mark_text(fontSize=12, color="#212529").encode(text=alt.Text("Text:N")))
    return alt.layer(*layers).properties(height=alt.Step(ROW_HEIGHT))


# --------------------------------------------------------------------------- findings


def _findings_button(f: FollowUp, analysis: StaffingAnalysis, suggested: str) -> None:
    result = analysis.result or {}
    if not result.get("breaches") and not result.get("share_breached"):
        return
    short = str(analysis.id)[:8]
    st.markdown("**Avvikelser**")
    st.caption(
        "Bristerna blir föreslagna avvikelser, en per avdelning, pass och slag av brist "
        "(med datumen), och en för andelen kompetenta timmar. Bekräfta eller nedgradera dem "
        "under Iakttagelser. Görs det igen skapas inga dubbletter."
    )
    c1, c2 = st.columns([1, 2], vertical_alignment="bottom")
    clause = c1.text_input(
        "Avtalspunkt",
        value=suggested,
        key=_ns(f.id, "clause", short),
        help="Punkten i avtalet som avvikelserna hänvisar till. Förvald är avtalets krav om "
        "bemanning eller personaltäthet.",
        placeholder="T.ex. 5.1.1",
    )
    if c2.button("Gör avvikelser av bristerna", key=_ns(f.id, "findings", short)):
        try:
            with db() as session:
                before = {x.id for x in fu.findings_of(session, f.id)}
                found = ss.breaches_to_findings(session, actor(), analysis.id, clause)
                new = sum(1 for x in found if x.id not in before)
        except UserError as exc:
            show_error(exc)
            return
        st.session_state[_ns(f.id, "msg")] = (
            f"{new} nya föreslagna avvikelser ({len(found) - new} fanns redan). Bekräfta eller "
            "nedgradera dem under Iakttagelser."
        )
        st.rerun()
