"""Agenda point 2: the staffing review from the contractor's schedule export.

Upload, check the columns found, analyse against the contract's commitments and store the
figures (never names); then the results, a heat map and the breaches as proposed findings.
Locked follow-ups and readers see the stored analyses only. What is shown comes from
`services.staffing.display`; this module only renders it.
"""

import hashlib
import uuid
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from audit_app.errors import UserError
from audit_app.models import FollowUp
from audit_app.services.staffing import display, findings, store
from audit_app.services.staffing.columns import FIELD_LABELS, FIELDS, mapping_problems
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.reading import ScheduleLayout
from audit_app.services.staffing.rules import rules_to_yaml
from audit_app.ui import actor, db, plain, plain_label, show_error

NONE = ""
COLORS = {
    display.OK_LABEL: "#d6eada",
    display.COMPETENT_LABEL: "#f7d58c",
    display.STAFF_LABEL: "#e28076",
}
ROW_HEIGHT = 30


def _ns(followup_id: uuid.UUID, *parts: object) -> str:
    return "staffing." + str(followup_id)[:8] + "." + ".".join(str(p) for p in parts)


# --------------------------------------------------------------------------- entry


def render_staffing_panel(f: FollowUp, editable: bool) -> None:
    """Render the staffing review of a follow-up inside agenda point 2."""
    with db() as session:
        panel = display.panel_for(session, f)
    with st.container(border=True):
        st.markdown("**Schemagranskning** (utförarens schemaexport)")
        st.caption(
            "Appen räknar per avdelning, dag och pass hur många som var i tjänst och hur många "
            "med kompetens, och jämför med avtalets åtagande. Inga namn sparas; bara siffror, "
            "brister och antalet olika personer i filen."
        )
        with st.expander("Så räknas bemanningen"):
            st.markdown(display.RULES_MARKDOWN)
        message = st.session_state.pop(_ns(f.id, "msg"), None)
        if message:
            st.success(plain(message))
        if editable:
            _upload(f, panel)
        if panel.analyses:
            _stored(f, panel, editable)
        elif not editable:
            st.caption("Ingen schemagranskning är sparad för uppföljningen.")


# --------------------------------------------------------------------------- upload


def _contract_hint(panel: display.StaffingPanel) -> None:
    names = ", ".join(u.name for u in panel.units) or "enheten"
    st.warning(
        plain(f"Avtalet {panel.contract_dnr} har inga bemanningsåtaganden för {names}. ")
        + "Lägg in dem på sidan **Avtal**: välj avtalet och fyll i avsnittet "
        "**Bemanningsåtaganden**. Sedan kan schemat granskas här."
    )
    page = (st.session_state.get("nav.pages") or {}).get("avtal")
    if page is not None and st.button("Öppna avtalet", key=f"staffing.open.{panel.contract_id}"):
        st.session_state["contracts.pending"] = str(panel.contract_id)
        st.switch_page(page)


def _upload(f: FollowUp, panel: display.StaffingPanel) -> None:
    if panel.contract_id is None:
        st.info(
            "Uppföljningen är inte kopplad till något avtal, så det finns inga "
            "bemanningsåtaganden att granska schemat mot."
        )
        return
    with_rules = {u.unit_id: u for u in panel.with_rules()}
    if not with_rules:
        _contract_hint(panel)
        return
    unit_ids = list(with_rules)
    chosen_unit = (
        unit_ids[0]
        if len(unit_ids) == 1
        else st.selectbox(
            "Enhet som schemat gäller",
            unit_ids,
            format_func=lambda uid: with_rules[uid].name,
            key=_ns(f.id, "unit"),
        )
    )
    unit = with_rules[chosen_unit]
    assert unit.rules is not None
    missing = panel.without_rules()
    if missing:
        st.caption(plain(f"Avtalet har inga bemanningsåtaganden för {', '.join(missing)}."))
    with st.expander(
        plain_label(f"Åtaganden som schemat granskas mot: {unit.name} (avtal {panel.contract_dnr})")
    ):
        st.code(rules_to_yaml(unit.rules), language="yaml")
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
        layout, used_saved = store.layout_for(data, upload.name, panel.saved_mapping)
    except ScheduleError as exc:
        show_error(exc)
        return
    digest = hashlib.sha256(data).hexdigest()[:10]
    chosen = _mapping_editor(f, layout, used_saved, digest)
    problems = mapping_problems(chosen)
    for problem in problems:
        st.warning(plain(problem))
    if st.button(
        "Analysera och spara",
        type="primary",
        disabled=bool(problems),
        key=_ns(f.id, "analyse", digest),
    ):
        try:
            with db() as session:
                analysis = store.save_analysis(
                    session, actor(), f.id, upload.name, data, unit.rules, chosen
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
    st.markdown(f"**Kolumner i filen** {plain(f'(rubrikraden är rad {layout.header_row}{where})')}")
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


# --------------------------------------------------------------------------- stored results


def _stored(f: FollowUp, panel: display.StaffingPanel, editable: bool) -> None:
    by_id = {str(a.id): a for a in panel.analyses}
    shown_key = _ns(f.id, "shown")
    if len(panel.analyses) > 1:
        if st.session_state.get(shown_key) not in by_id:
            st.session_state[shown_key] = str(panel.analyses[0].id)
        chosen = st.selectbox(
            f"Sparade schemagranskningar ({len(panel.analyses)}; den senaste används i "
            "minnesanteckningarna)",
            list(by_id),
            format_func=lambda k: by_id[k].label,
            key=shown_key,
        )
        view = by_id[str(chosen)]
    else:
        view = panel.analyses[0]
        st.caption(plain(f"Sparad schemagranskning: {view.label}"))
    _render_analysis(view)
    if editable and view.can_propose:
        _findings_button(f, view, panel.clause)


def _render_analysis(view: display.AnalysisView) -> None:
    """Show a stored analysis: period, key figures, heat map, breaches and the period table."""
    if view.period:
        st.markdown(f"**Granskad period:** {plain(view.period)}")
    for column, metric in zip(st.columns(len(view.metrics)), view.metrics, strict=True):
        column.metric(
            metric.label,
            metric.value,
            delta=metric.delta,
            delta_description=metric.delta_description,
            help=metric.help,
        )
    if view.hours_by_section:
        st.caption(plain(view.hours_by_section))
    for warning in view.warnings:
        st.warning(plain(warning), icon="⚠️")
    if view.periods is not None:
        st.markdown("**Värmekarta:** lägsta antal i tjänst per avdelning, pass och dag")
        st.altair_chart(heatmap_chart(view.periods), width="stretch")
    st.markdown(f"**Brister** ({view.breach_count})")
    if view.share_problem:
        st.error(plain(view.share_problem))
    if view.breach_count:
        st.dataframe(view.breaches, hide_index=True, width="stretch")
    elif not view.share_problem:
        st.success("Inga brister mot åtagandet under perioden.")
    if view.periods is not None:
        with st.expander("Alla pass (tabell)"):
            st.dataframe(
                display.periods_table(view.periods),
                hide_index=True,
                width="stretch",
                column_config={
                    "Personal per plats": st.column_config.NumberColumn(format="%.2f"),
                },
            )
    if view.coverage is not None:
        with st.expander("Täckning per avdelning"):
            if view.coverage_note:
                st.caption(view.coverage_note)
            st.dataframe(view.coverage, hide_index=True, width="stretch")
    if view.columns:
        st.caption(plain(view.columns))


def heatmap_chart(table: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """Section x date x period heat map; breaches coloured and marked with "!"."""
    data = display.heatmap(table)
    axis = (
        alt.Axis(labelAngle=0, labelExpr="split(datum.value, ' ')", orient="top")
        if data.numbers
        else alt.Axis(labelAngle=-45)
    )
    base = alt.Chart(data.frame).encode(
        x=alt.X("Dag:O", sort=data.days, title=None, axis=axis),
        y=alt.Y("Rad:N", sort=data.rows, title=None),
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
    if data.numbers:
        layers.append(base.mark_text(fontSize=12, color="#212529").encode(text=alt.Text("Text:N")))
    return alt.layer(*layers).properties(height=alt.Step(ROW_HEIGHT))


# --------------------------------------------------------------------------- findings


def _findings_button(f: FollowUp, view: display.AnalysisView, suggested: str) -> None:
    short = str(view.id)[:8]
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
                new, existed = findings.propose_findings(session, actor(), view.id, clause)
        except UserError as exc:
            show_error(exc)
            return
        st.session_state[_ns(f.id, "msg")] = (
            f"{new} nya föreslagna avvikelser ({existed} fanns redan). Bekräfta eller "
            "nedgradera dem under Iakttagelser."
        )
        st.rerun()
