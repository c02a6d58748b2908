"""Indikatorer: a contract's indicators (uppföljningsplanen), a period's result, a chart per
numeric indicator against its target and the judgements of the text ones over time."""

import uuid
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from audit_app.domain.indicators import (
    DIRECTION_LABELS,
    KIND_LABELS,
    PERIOD_HELP,
    STATUS_LABELS,
    target_text,
    tertial_of,
    value_text,
)
from audit_app.domain.labels import UNIT_KIND_LABELS
from audit_app.domain.svtext import count_text, lower_first, sv_join
from audit_app.models import (
    Contract,
    Indicator,
    IndicatorDirection,
    IndicatorKind,
    IndicatorStatus,
    Role,
    UnitKind,
)
from audit_app.services import indicators as indicators_service
from audit_app.services import registers
from audit_app.ui import actor, db, flash, plain, rerun_with, show_flash, write
from audit_app.views.widgets import choice, download, table, upload_panel, uploaded

STATUS_STYLE = {
    IndicatorStatus.uppnatt: ("#2e7d32", "green"),
    IndicatorStatus.delvis: ("#e0a000", "orange"),
    IndicatorStatus.ej_uppnatt: ("#c62828", "red"),
}
"""Each status's colour in the charts and the colour of its label in text."""
STATUS_COLORS = {status: chart for status, (chart, _) in STATUS_STYLE.items()}
STATUS_MARKS = {
    status: f":{text}[{STATUS_LABELS[status]}]" for status, (_, text) in STATUS_STYLE.items()
}
NO_EXAMPLE = "__none__"


def render() -> None:
    me = actor()
    st.title("Indikatorer")
    show_flash()
    st.caption(
        "Avtalets indikatorer enligt uppföljningsplanen: vilken risk varje indikator bevakar, hur "
        "den mäts och resultatet period för period."
    )
    with db() as session:
        contracts = registers.list_contracts(session)
        contractors = {
            c.id: c.name for c in registers.list_contractors(session, include_archived=True)
        }
    if not contracts:
        st.info("Inga avtal är registrerade.")
        return
    options = {str(c.id): f"{c.dnr} – {contractors.get(c.contractor_id, '')}" for c in contracts}
    chosen = st.selectbox(
        "Avtal", list(options), format_func=options.__getitem__, key="indicators.contract"
    )
    contract = next(c for c in contracts if str(c.id) == chosen)
    with db() as session:
        cards = indicators_service.list_indicators(session, me, contract.id)
        units = [
            registers.get_unit(session, u)
            for u in registers.contract_unit_ids(session, contract.id)
        ]
    st.caption(f"{contract.title} · Enheter: {', '.join(u.name for u in units) or '–'}")
    editable = me.role in indicators_service.EDIT_INDICATORS
    recording = me.role in indicators_service.RECORD_RESULTS
    if me.role is Role.lasare or not (editable or recording):
        st.caption("Du kan läsa indikatorerna och deras resultat men inte ändra dem.")
    _metrics(cards)
    if editable:
        _add(contract, {u.kind for u in units}, cards)
    if recording and cards:
        _import(contract, cards)
    if not cards:
        st.info("Avtalet har inga indikatorer ännu.")
    for card in cards:
        _card(card, editable, recording)


def _metrics(cards: list[indicators_service.IndicatorCard]) -> None:
    latest = [c.latest for c in cards if c.latest is not None]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Indikatorer", len(cards))
    c2.metric("Uppnådda", sum(r.status is IndicatorStatus.uppnatt for r in latest))
    c3.metric("Delvis uppnådda", sum(r.status is IndicatorStatus.delvis for r in latest))
    c4.metric("Ej uppnådda", sum(r.status is IndicatorStatus.ej_uppnatt for r in latest))


# --------------------------------------------------------------------------- one indicator


def _card(card: indicators_service.IndicatorCard, editable: bool, recording: bool) -> None:
    i = card.indicator
    with st.container(border=True):
        st.subheader(i.name)
        latest = card.latest
        if latest is not None:
            shown = value_text(latest.value, i.unit)
            st.markdown(
                f"Senaste resultat **{plain(latest.period)}**"
                + (f": {shown}" if shown else "")
                + f" – {STATUS_MARKS[latest.status]}"
            )
        else:
            st.markdown("Inget resultat registrerat ännu.")
        if i.risk:
            st.caption(plain(i.risk))
        left, right = st.columns([3, 2])
        with left:
            if i.kind is IndicatorKind.tal:
                if card.results:
                    st.altair_chart(numeric_chart(card), width="stretch")
            elif card.results:
                st.altair_chart(judgement_chart(card), width="stretch")
        with right:
            st.markdown(_about(i))
        if card.results:
            _results_table(card)
        if recording:
            _result_form(i)
        if editable:
            with st.expander("Ändra indikatorn"):
                data = _indicator_form(f"indicators.edit.{i.id}", i)
                if data is not None:
                    _save(i.contract_id, data, i.id)
                if st.button("Arkivera indikatorn", key=f"indicators.archive.{i.id}"):
                    with db() as session:
                        indicators_service.archive_indicator(session, actor(), i.id)
                    flash(f"Indikatorn {i.name} är arkiverad; resultaten finns kvar.")
                    st.rerun()


def _about(i: Indicator) -> str:
    rows = [
        ("Definition", i.definition),
        ("Mätmetod", i.method),
        ("Ansvar och stöd", i.responsible),
        ("Mättillfälle", i.occasion),
        (
            "Gäller för",
            sv_join(lower_first(UNIT_KIND_LABELS[UnitKind(k)]) for k in i.applies_to)
            or "alla enheter i avtalet",
        ),
    ]
    if i.kind is IndicatorKind.tal:
        goal = target_text(i.target, i.unit, i.direction)
        if i.tolerance:
            goal += f" (delvis uppnått inom {value_text(i.tolerance, i.unit)} från målet)"
        rows.append(("Mål", goal))
    else:
        rows.append(("Mål", "Bedömning i text (aktgranskning eller granskning)"))
    return "  \n".join(f"**{label}:** {plain(text)}" for label, text in rows if text)


def numeric_chart(card: indicators_service.IndicatorCard) -> alt.LayerChart | alt.FacetChart:
    """The values period by period, coloured by status, against the target (dashed line) with
    the indicator's delvis band shaded."""
    i = card.indicator
    frame = pd.DataFrame(
        [
            {
                "Period": r.period,
                "Värde": r.value,
                "Visas": value_text(r.value, i.unit),
                "Status": STATUS_LABELS[r.status],
            }
            for r in card.results
            if r.value is not None
        ]
    )
    periods = list(frame["Period"]) if len(frame) else []
    labels = list(STATUS_LABELS.values())
    colors = [STATUS_COLORS[s] for s in STATUS_LABELS]
    x = alt.X("Period:N", sort=periods, title=None, axis=alt.Axis(labelAngle=0))
    y_title = i.unit or "Värde"
    base = alt.Chart(frame).encode(x=x)
    line = base.mark_line(color="#1f4e79").encode(
        y=alt.Y("Värde:Q", title=y_title, scale=alt.Scale(zero=False))
    )
    points = base.mark_point(filled=True, size=110, opacity=1).encode(
        y="Värde:Q",
        color=alt.Color(
            "Status:N",
            scale=alt.Scale(domain=labels, range=colors),
            legend=alt.Legend(orient="bottom", title=None),
        ),
        tooltip=[alt.Tooltip("Period:N"), alt.Tooltip("Visas:N", title="Värde"), "Status:N"],
    )
    layers: list[alt.Chart] = []
    if i.target is not None:
        target = pd.DataFrame(
            {"Mål": [i.target], "Text": [f"Mål {target_text(i.target, i.unit, i.direction)}"]}
        )
        rule = alt.Chart(target).mark_rule(color="#555555", strokeDash=[6, 4]).encode(y="Mål:Q")
        label = (
            alt.Chart(target)
            .mark_text(align="left", dx=4, dy=-7, color="#555555")
            .encode(y="Mål:Q", text="Text:N", x=alt.value(0))
        )
        layers = [rule, label]
        if i.tolerance:
            edge = (
                i.target - i.tolerance
                if i.direction is IndicatorDirection.hogre
                else (i.target + i.tolerance)
            )
            band = pd.DataFrame({"Från": [min(edge, i.target)], "Till": [max(edge, i.target)]})
            layers.insert(
                0,
                alt.Chart(band)
                .mark_rect(color=STATUS_COLORS[IndicatorStatus.delvis], opacity=0.12)
                .encode(y="Från:Q", y2="Till:Q"),
            )
    return alt.layer(*layers, line, points).properties(height=230)


def judgement_chart(card: indicators_service.IndicatorCard) -> alt.LayerChart | alt.FacetChart:
    """The judgements as a timeline: one mark per period coloured by status, its status below."""
    frame = pd.DataFrame(
        [
            {"Period": r.period, "Status": STATUS_LABELS[r.status], "Bedömning": r.text}
            for r in card.results
        ]
    )
    labels = list(STATUS_LABELS.values())
    colors = [STATUS_COLORS[s] for s in STATUS_LABELS]
    base = alt.Chart(frame).encode(
        x=alt.X(
            "Period:N",
            sort=list(frame["Period"]),
            title=None,
            axis=alt.Axis(labelAngle=0, orient="top", domain=False, ticks=False),
        ),
        tooltip=["Period:N", "Status:N", "Bedömning:N"],
    )
    marks = base.mark_square(size=260, opacity=1).encode(
        color=alt.Color("Status:N", scale=alt.Scale(domain=labels, range=colors), legend=None)
    )
    words = base.mark_text(dy=20, fontSize=11, color="#444444").encode(text="Status:N")
    return alt.layer(marks, words).properties(height=60)


def _results_table(card: indicators_service.IndicatorCard) -> None:
    """Measured values as a table; judgements as a list in words, newest first."""
    i = card.indicator
    if i.kind is IndicatorKind.text:
        st.markdown(
            "  \n".join(
                f"**{plain(r.period)}** – {STATUS_MARKS[r.status]}: {plain(r.text)}"
                for r in reversed(card.results)
            )
        )
        return
    table(
        (
            {
                "Period": r.period,
                "Värde": value_text(r.value, i.unit),
                "Status": STATUS_LABELS[r.status],
                "Kommentar": r.text,
            }
            for r in reversed(card.results)
        ),
        key=f"indicators.table.{i.id}",
    )


def _result_form(i: Indicator) -> None:
    numeric = i.kind is IndicatorKind.tal
    with st.form(f"indicators.result.{i.id}", border=False):
        st.markdown("**Registrera resultat**")
        c1, c2 = st.columns([1, 2])
        key = f"indicators.result.{i.id}"
        period = c1.text_input(
            "Period", value=tertial_of(date.today()), help=PERIOD_HELP, key=f"{key}.period"
        )
        value: float | None = None
        status: IndicatorStatus | None = None
        if numeric:
            value = c2.number_input(
                f"Värde ({i.unit})" if i.unit else "Värde",
                value=None,
                step=1.0,
                format="%g",
                key=f"{key}.value",
            )
            text = st.text_input("Kommentar (frivillig)", key=f"{key}.text")
        else:
            status = c2.selectbox(
                "Status",
                list(IndicatorStatus),
                index=None,
                format_func=STATUS_LABELS.__getitem__,
                placeholder="Välj status",
                key=f"{key}.status",
            )
            text = st.text_area(
                "Bedömning", height=80, placeholder="Vad granskningen visade", key=f"{key}.text"
            )
        submitted = st.form_submit_button("Spara resultat", type="primary")
    if not submitted:
        return
    write(
        lambda s: indicators_service.record_result(
            s, actor(), i.id, indicators_service.ResultInput(period, value, text, status)
        ),
        lambda saved: rerun_with(
            f"Resultatet för {i.name} {saved.period} är sparat: "
            f"{STATUS_LABELS[saved.status].lower()}."
        ),
    )


# --------------------------------------------------------------------------- adding, editing


def _add(contract: Contract, kinds: set, cards: list[indicators_service.IndicatorCard]) -> None:
    used = {c.indicator.example_key for c in cards if c.indicator.example_key}
    fitting = [e for e in indicators_service.examples() if e.fits(kinds) and e.key not in used]
    with st.expander("Lägg till indikator", expanded=not cards):
        st.markdown("**Utgå från exempel** ur uppföljningsplanen")
        if fitting:
            options = {e.key: e.name for e in fitting}
            c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
            key = c1.selectbox(
                "Exempel",
                list(options),
                format_func=options.__getitem__,
                key=f"indicators.example.{contract.id}",
            )
            if c2.button("Lägg till exemplet", key=f"indicators.add_example.{contract.id}"):
                write(
                    lambda s: (
                        indicators_service.add_from_example(s, actor(), contract.id, key).name
                    ),
                    lambda name: rerun_with(
                        f"Indikatorn {name} är tillagd. Ändra den gärna för avtalet."
                    ),
                )
            chosen = next(e for e in fitting if e.key == key)
            st.caption(plain(chosen.definition))
        else:
            st.caption("Alla exempel som passar avtalets enheter är redan tillagda.")
        st.markdown("**Ny indikator**")
        data = _indicator_form(f"indicators.new.{contract.id}", None)
        if data is not None:
            _save(contract.id, data, None)


def _indicator_form(
    key: str, current: Indicator | None
) -> indicators_service.IndicatorInput | None:
    """The indicator's fields; the input when the form was submitted, else None."""
    with st.form(key, border=False):
        name = st.text_input("Namn *", value=current.name if current else "")
        risk = st.text_area(
            "Risk",
            value=current.risk if current else "",
            placeholder="En risk i ... är att ...",
            height=70,
        )
        definition = st.text_area(
            "Definition", value=current.definition if current else "", height=70
        )
        c1, c2 = st.columns(2)
        method = c1.text_input("Mätmetod", value=current.method if current else "")
        responsible = c2.text_input("Ansvar och stöd", value=current.responsible if current else "")
        occasion = c1.text_input(
            "Mättillfälle",
            value=current.occasion if current else "",
            placeholder="T.ex. varje tertial, oktober",
        )
        kind = choice(c2, "Typ", KIND_LABELS, current=current.kind if current else None)
        c3, c4, c5, c6 = st.columns(4)
        target = c3.number_input(
            "Mål (mätvärde)",
            value=current.target if current else None,
            step=1.0,
            format="%g",
        )
        unit = c4.text_input("Enhet", value=current.unit if current else "%")
        direction = choice(
            c5, "Riktning", DIRECTION_LABELS, current=current.direction if current else None
        )
        tolerance = c6.number_input(
            "Delvis-gräns",
            value=current.tolerance if current else 0.0,
            min_value=0.0,
            step=1.0,
            format="%g",
            help="Hur långt från målet ett värde räknas som delvis uppnått (i indikatorns "
            "enhet). 0 betyder uppnått eller ej uppnått.",
        )
        applies_to = st.multiselect(
            "Gäller för",
            list(UnitKind),
            default=[UnitKind(k) for k in current.applies_to] if current else [],
            format_func=UNIT_KIND_LABELS.__getitem__,
            placeholder="Alla enheter i avtalet",
        )
        submitted = st.form_submit_button(
            "Spara indikatorn" if current else "Lägg till indikatorn", type="primary"
        )
    if not submitted:
        return None
    return indicators_service.IndicatorInput(
        name=name,
        risk=risk,
        definition=definition,
        method=method,
        responsible=responsible,
        occasion=occasion,
        kind=kind,
        unit=unit,
        target=target,
        direction=direction,
        tolerance=tolerance or 0.0,
        applies_to=list(applies_to),
    )


def _save(
    contract_id: uuid.UUID, data: indicators_service.IndicatorInput, indicator_id: uuid.UUID | None
) -> None:
    write(
        lambda s: (
            indicators_service.save_indicator(s, actor(), contract_id, data, indicator_id).name
        ),
        lambda name: rerun_with(f"Indikatorn {name} är sparad."),
    )


def _import(contract: Contract, cards: list[indicators_service.IndicatorCard]) -> None:
    upload_key = f"indicators.upload.{contract.id}"
    with upload_panel("Läs in resultat från Excel", upload_key):
        st.write(
            "Filen ska ha en rubrikrad med kolumnerna **Indikator**, **Period**, **Värde**, "
            "**Status** och **Bedömning**. Ladda ned mallen: den har en rad per indikator."
        )
        me = actor()

        def make_workbook() -> bytes:  # runs outside the script run: no session state there
            with db() as s:
                return indicators_service.results_workbook(s, me, contract.id)

        download(
            st,
            "Ladda ned Excel-mall",
            make_workbook,
            f"indikatorer-{contract.dnr.replace('/', '-').replace(' ', '-')}.xlsx",
            key=f"indicators.template.{contract.id}",
            icon=":material/table:",
        )
        read = uploaded(
            "Excel-fil med resultat",
            upload_key,
            lambda data, name: indicators_service.parse_results(
                data, name, [c.indicator for c in cards]
            ),
        )
        if read is None:
            return
        upload, rows = read
        st.success(f"{count_text(len(rows), 'resultat', 'resultat')} hittades i {upload.name}.")
        if st.button("Spara resultaten från filen", key=f"indicators.import.{contract.id}"):
            write(
                lambda s: indicators_service.import_results(
                    s, actor(), contract.id, upload.getvalue(), upload.name
                ),
                lambda saved: rerun_with(
                    f"{count_text(saved, 'resultat', 'resultat')} är sparade."
                ),
            )
