"""Översikt: every unit's status grouped by contractor, filters, one unit in detail, trends."""

import uuid
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from audit_app.domain import labels
from audit_app.domain.svtext import capitalize, sv_date, sv_percent
from audit_app.models import Role, StatusLevel, UnitKind
from audit_app.services import followups, overview, registers, sanctions
from audit_app.services import signals as signals_service
from audit_app.ui import actor, db, plain
from audit_app.views import sanctions as sanction_page
from audit_app.views import signals as signal_page
from audit_app.views.common import followup_list, go_to_followup
from audit_app.views.overview_table import overview_html

PERIODS = {"3 år": 3, "5 år": 5, "Allt": None}


def render() -> None:
    me = actor()
    today = date.today()
    st.title("Översikt")
    if me.role is Role.lasare:
        st.caption("Siffrorna bygger på justerade uppföljningar.")
    with db() as session:
        contractors = {c.id: c.name for c in registers.list_contractors(session)}
    flt = _filters(contractors)
    with db() as session:
        rows = overview.unit_overview(session, me, flt, today=today)
    _metrics(rows)
    if not rows:
        st.info("Inga enheter matchar filtret.")
        return
    st.html(overview_html(rows, today))
    _unit_detail(rows, today)
    _trend(rows, contractors, today)


def _filters(contractors: dict[uuid.UUID, str]) -> overview.OverviewFilter:
    with st.container(border=True):
        c1, c2, c3 = st.columns([2, 1, 1])
        chosen = c1.multiselect(
            "Entreprenör",
            list(contractors),
            format_func=contractors.__getitem__,
            placeholder="Alla entreprenörer",
            key="overview.f.contractors",
        )
        kinds = c2.multiselect(
            "Typ av enhet",
            list(UnitKind),
            format_func=labels.UNIT_KIND_LABELS.__getitem__,
            placeholder="Alla typer",
            key="overview.f.kinds",
        )
        statuses = c3.multiselect(
            "Status",
            [StatusLevel.rod, StatusLevel.gul, StatusLevel.gron],
            format_func=labels.STATUS_LEVEL_LABELS.__getitem__,
            placeholder="Alla",
            key="overview.f.status",
        )
    return overview.OverviewFilter(list(chosen), list(kinds), list(statuses))


def _metrics(rows: list[overview.UnitRow]) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Enheter", len(rows))
    c2.metric("Röd", sum(r.status is StatusLevel.rod for r in rows))
    c3.metric("Gul", sum(r.status is StatusLevel.gul for r in rows))
    c4.metric("Försenade åtgärder", sum(r.overdue_actions for r in rows))


def _unit_detail(rows: list[overview.UnitRow], today: date) -> None:
    st.subheader("Enhet")
    options = {r.unit_id: f"{r.unit} ({r.contractor})" for r in rows}
    unit_id = st.selectbox(
        "Visa enhet",
        list(options),
        format_func=options.__getitem__,
        index=None,
        placeholder="Välj en enhet för att se dess uppföljningar",
        key="overview.unit",
    )
    if unit_id is None:
        return
    row = next(r for r in rows if r.unit_id == unit_id)
    with st.container(border=True):
        st.markdown(
            f"**{row.unit}** · {labels.UNIT_KIND_LABELS[row.unit_kind]} · {row.contractor}  \n"
            f"Status: **{labels.STATUS_LEVEL_LABELS[row.status]}**"
            + (f" – {capitalize('; '.join(row.reasons))}" if row.reasons else "")
        )
        c1, c2 = st.columns(2)
        if row.last_followup is not None:
            last = row.last_followup
            share = f", {sv_percent(row.share_met)} uppfyllt" if row.share_met is not None else ""
            if c1.button(
                f"Öppna senaste: {labels.KIND_SHORT_LABELS[last.kind]} {sv_date(last.date)}{share}",
                key="overview.open_last",
            ):
                go_to_followup(last.id)
        if row.next_planned is not None:
            nxt = row.next_planned
            if c2.button(
                f"Öppna nästa: {labels.KIND_SHORT_LABELS[nxt.kind]} {sv_date(nxt.date)}",
                key="overview.open_next",
            ):
                go_to_followup(nxt.id)
        _signals_and_sanctions(row, today)
        with db() as session:
            history = followups.with_names(
                session,
                followups.list_followups(
                    session, followups.FollowUpFilter(unit_id=unit_id, limit=12), actor=actor()
                ),
            )
        if history.followups:
            followup_list(history, ("overview.hist", "overview.hist_open"))
        else:
            st.caption("Enheten har inga uppföljningar som du kan se.")


def _signals_and_sanctions(row: overview.UnitRow, today: date) -> None:
    """The unit's signals of the last year and its sanctions, with the way to each page."""
    with db() as session:
        recent = signals_service.unit_recent(session, actor(), row.unit_id, today)
        found = sanctions.unit_sanctions(session, actor(), [row.unit_id], today).get(
            row.unit_id, sanctions.UnitSanctions()
        )
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.markdown(f"**Signaler** · {plain(recent)}")
    if c2.button("Visa signaler", key="overview.signals"):
        signal_page.show_unit(row.contractor_id, row.unit_id)
    lines = [f"- {plain(r.headline)} (avtalspunkt {plain(r.clause_no)})" for r in found.decided]
    lines += [f"- {plain(p.text)}" for p in found.proposals]
    if lines:
        c3, c4 = st.columns([4, 1], vertical_alignment="center")
        c3.markdown("**Sanktioner**\n" + "\n".join(lines))
        if c4.button("Visa sanktioner", key="overview.sanctions"):
            contract_id = (
                found.decided[0].sanction.contract_id
                if found.decided
                else found.proposals[0].contract_id
            )
            sanction_page.show_contract(contract_id)


def _trend(rows: list[overview.UnitRow], contractors: dict[uuid.UUID, str], today: date) -> None:
    st.subheader("Trend per entreprenör")
    shown = list(dict.fromkeys(r.contractor_id for r in rows))
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    contractor_id = c1.selectbox(
        "Entreprenör",
        shown,
        format_func=lambda c: contractors.get(c, ""),
        key="overview.trend.contractor",
    )
    period = c2.segmented_control(
        "Period", list(PERIODS), default="3 år", key="overview.trend.period"
    )
    years = PERIODS.get(period or "3 år")
    start = date(today.year - years, today.month, 1) if years else None
    with db() as session:
        points = overview.contractor_trend(session, actor(), contractor_id, start, today=today)
    if not points:
        st.caption("Inga hållna uppföljningar att visa för perioden.")
        return
    frame = pd.DataFrame(
        [
            {
                "Datum": p.date,
                "Typ": labels.KIND_SHORT_LABELS[p.kind],
                "Avvikelser": p.deviations,
                "Uppfyllt": p.share_met,
            }
            for p in points
        ]
    )
    base = alt.Chart(frame).encode(
        x=alt.X("Datum:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    )
    bars = base.mark_bar(color="#c62828", opacity=0.55, size=6).encode(
        y=alt.Y("Avvikelser:Q", title="Avvikelser per uppföljning"),
        tooltip=["Datum:T", "Typ:N", "Avvikelser:Q", alt.Tooltip("Uppfyllt:Q", format=".0%")],
    )
    line = base.mark_line(point=True, color="#1f5f8b").encode(
        y=alt.Y("Uppfyllt:Q", title="Andel uppfyllt", axis=alt.Axis(format="%")),
        tooltip=["Datum:T", "Typ:N", alt.Tooltip("Uppfyllt:Q", format=".0%")],
    )
    st.altair_chart(
        alt.layer(bars, line).resolve_scale(y="independent").properties(height=260),
        width="stretch",
    )
    st.caption(
        "Staplar: avvikelser per uppföljning. Linje: andel bedömda punkter som är uppfyllda."
    )
