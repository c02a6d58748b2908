"""Planering: the year's proposals by the policy's cadence (accept or move), the year's plan as a
timeline (overdue in red), a revisor's calendar file, committee meetings and commissions."""

from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from audit_app.auth import CONDUCT, EDIT_REGISTERS, list_users
from audit_app.domain import labels
from audit_app.domain.svtext import UPPFOLJNING, count, sv_date
from audit_app.models import Role
from audit_app.services import overview, registers
from audit_app.ui import actor, can, db, rerun_with, show_flash, write
from audit_app.views.widgets import download

MONTH_LABELS = (
    "['jan','feb','mar','apr','maj','jun','jul','aug','sep','okt','nov','dec'][month(datum.value)]"
)
LATE = "Försenad"
COLOURS = {"Förslag": "#f9a825", "Planerad": "#1f5f8b", "Hållen": "#9aa5b1", LATE: "#c62828"}


def render() -> None:
    today = date.today()
    st.title("Planering")
    show_flash()
    c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
    year = c1.selectbox(
        "År", [today.year - 1, today.year, today.year + 1], index=1, key="planning.year"
    )
    _calendar_download(c2)
    with db() as session:
        proposals = overview.propose_year(session, year, today=today)
        plan = overview.year_plan(session, actor(), year, today=today)
    tab_p, tab_t, tab_r = st.tabs(["Förslag", "Tidslinje", "Sammanträden och uppdrag"])
    with tab_p:
        _proposals(proposals, year)
    with tab_t:
        _timeline(plan, proposals, year)
    with tab_r:
        _registers(year)


def _calendar_download(container: st.delta_generator.DeltaGenerator) -> None:
    with db() as session:
        revisors = {
            u.username: u.display_name
            for u in list_users(session)
            if u.role is Role.revisor and u.active
        }
    if not revisors:
        return
    me = actor()
    names = list(revisors)
    a, b = container.columns([2, 2], vertical_alignment="bottom")
    username = a.selectbox(
        "Kalenderfil för revisor",
        names,
        index=names.index(me.username) if me.username in names else 0,
        format_func=revisors.__getitem__,
        key="planning.ics.user",
    )

    def make_ics() -> bytes:  # runs outside the script run: no session state there
        with db() as s:
            return overview.revisor_calendar(s, me, username)

    download(
        b,
        "Ladda ned kalenderfil (.ics)",
        make_ics,
        f"uppfoljningar-{username}.ics",
        key="planning.ics.get",
        icon=":material/calendar_month:",
    )


def _proposals(proposals: list[overview.Proposal], year: int) -> None:
    st.caption(
        "Policyn: avtal och ledningssystem följs upp varje halvår (i samma möte), "
        "biståndsärenden vid varje sammanträde i utskottet, kvalitetsrevision på uppdrag. "
        "Ändra datumet för att flytta ett förslag."
    )
    if not proposals:
        st.success(f"Alla uppföljningar som policyn kräver {year} är planerade.")
        return
    frame = pd.DataFrame(
        [
            {
                "Planera": False,
                "Datum": p.proposed,
                "Uppföljning": p.title,
                "Enhet": p.unit,
                "Entreprenör": p.contractor,
                "Senast": p.due,
                "Försenad": "⚠️ Ja" if p.overdue else "",
                "Skäl": p.basis,
            }
            for p in proposals
        ]
    )
    config = {
        "Planera": st.column_config.CheckboxColumn(width="small"),
        "Datum": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
        "Senast": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
        "Försenad": st.column_config.TextColumn(width="small"),
    }
    if not can(CONDUCT):
        st.dataframe(
            frame.drop(columns=["Planera"]), hide_index=True, width="stretch", column_config=config
        )
        return
    edited = st.data_editor(
        frame,
        hide_index=True,
        width="stretch",
        column_config=config,
        disabled=["Uppföljning", "Enhet", "Entreprenör", "Senast", "Försenad", "Skäl"],
        key=f"planning.proposals.{year}.{len(proposals)}",
    )
    chosen = [
        (p, edited.iloc[i]) for i, p in enumerate(proposals) if bool(edited.iloc[i]["Planera"])
    ]
    if st.button(
        f"Planera {count(len(chosen), UPPFOLJNING, digits=True) if chosen else 'valda'}",
        type="primary",
        disabled=not chosen,
        key="planning.accept",
    ):
        days = [
            (proposal, pd.Timestamp(row["Datum"]).date() if row["Datum"] else proposal.proposed)
            for proposal, row in chosen
        ]
        write(
            lambda s: sum(len(overview.accept_proposal(s, actor(), p, day)) for p, day in days),
            lambda planned: rerun_with(
                f"{count(planned, UPPFOLJNING, digits=True).capitalize()} planerade."
            ),
        )


def _timeline(plan: list[overview.PlanItem], proposals: list[overview.Proposal], year: int) -> None:
    rows = [
        {
            "Datum": item.date,
            "Typ": labels.KIND_SHORT_LABELS[item.kind],
            "Läge": LATE
            if item.overdue
            else ("Planerad" if item.status.value == "planerad" else "Hållen"),
            "Enhet": item.units,
            "Entreprenör": item.contractor,
            "Revisor": item.author,
        }
        for item in plan
    ] + [
        {
            "Datum": p.proposed,
            "Typ": labels.KIND_SHORT_LABELS[p.kinds[0]],
            "Läge": "Förslag",
            "Enhet": p.unit,
            "Entreprenör": p.contractor,
            "Revisor": "",
        }
        for p in proposals
    ]
    if not rows:
        st.info(f"Inga uppföljningar {year}.")
        return
    frame = pd.DataFrame(rows)
    chart = (
        alt.Chart(frame)
        .mark_tick(thickness=3, size=18)
        .encode(
            x=alt.X(
                "Datum:T",
                title=None,
                scale=alt.Scale(domain=[f"{year}-01-01", f"{year}-12-31"]),
                axis=alt.Axis(tickCount="month", labelExpr=MONTH_LABELS),
            ),
            y=alt.Y("Typ:N", title=None),
            color=alt.Color(
                "Läge:N",
                scale=alt.Scale(domain=list(COLOURS), range=list(COLOURS.values())),
                legend=alt.Legend(orient="top", title=None),
            ),
            tooltip=["Datum:T", "Typ:N", "Läge:N", "Enhet:N", "Entreprenör:N", "Revisor:N"],
        )
        .properties(height=240)
    )
    today_rule = (
        alt.Chart(pd.DataFrame({"Datum": [date.today()]}))
        .mark_rule(color="#57606a", strokeDash=[4, 3])
        .encode(x="Datum:T")
    )
    st.altair_chart(chart + today_rule, width="stretch")
    late = [item for item in plan if item.overdue]
    if late:
        st.error(
            f"{count(len(late), UPPFOLJNING, digits=True).capitalize()} har passerat sitt datum "
            "utan att ha startat."
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Datum": i.date,
                        "Uppföljning": labels.KIND_LABELS[i.kind],
                        "Enhet": i.units,
                        "Entreprenör": i.contractor,
                        "Revisor": i.author,
                    }
                    for i in late
                ]
            ).style.map(lambda _: "color: #c62828", subset=["Datum"]),
            hide_index=True,
            width="stretch",
            column_config={"Datum": st.column_config.DateColumn(format="YYYY-MM-DD")},
        )


def _registers(year: int) -> None:
    editable = can(EDIT_REGISTERS)
    c1, c2 = st.columns(2)
    with c1:
        st.markdown(f"**Utskottets sammanträden {year}**")
        with db() as session:
            meetings = overview.committee_meetings(session, year)
        if meetings:
            st.markdown("\n".join(f"- {sv_date(m.meeting_date)} {m.note}" for m in meetings))
        else:
            st.caption("Inga sammanträden inlagda för året.")
        if editable:
            with st.form("planning.meeting", clear_on_submit=True):
                day = st.date_input("Datum", value=None, format="YYYY-MM-DD")
                note = st.text_input("Anteckning", placeholder="t.ex. § 12")
                if st.form_submit_button("Lägg till sammanträde") and day:
                    write(
                        lambda s: overview.add_committee_meeting(s, actor(), day, note),
                        lambda _: rerun_with(f"Sammanträdet {sv_date(day)} är inlagt."),
                    )
    with c2:
        st.markdown(f"**Uppdrag om kvalitetsrevision {year}**")
        with db() as session:
            orders = overview.commissions(session, year)
            units = {u.id: u.name for u in registers.list_units(session)}
        if orders:
            st.markdown(
                "\n".join(
                    f"- {units.get(o.unit_id, '')}: senast {sv_date(o.due_by)}"
                    + (f" (dnr {o.dnr})" if o.dnr else "")
                    for o in orders
                )
            )
        else:
            st.caption("Inga uppdrag inlagda för året.")
        if editable and units:
            with st.form("planning.commission", clear_on_submit=True):
                unit_id = st.selectbox("Enhet", list(units), format_func=units.__getitem__)
                a, b = st.columns(2)
                decided = a.date_input("Beslutat", value=date.today(), format="YYYY-MM-DD")
                due = b.date_input(
                    "Genomförd senast",
                    value=date.today() + timedelta(days=120),
                    format="YYYY-MM-DD",
                )
                dnr = st.text_input("Diarienummer")
                scope = st.text_area("Inriktning och omfattning", height=80)
                if st.form_submit_button("Lägg till uppdrag"):
                    write(
                        lambda s: overview.add_commission(
                            s, actor(), unit_id, decided, due, dnr, scope
                        ),
                        lambda _: rerun_with("Uppdraget är inlagt."),
                    )
