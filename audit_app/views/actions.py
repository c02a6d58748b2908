"""Åtgärdsregister: every action across contractors, filtered, with an Excel export."""

import uuid
from datetime import date

import streamlit as st

from audit_app.domain import labels
from audit_app.domain.calendar import OPEN_ACTION
from audit_app.services import overview, registers
from audit_app.services.documents import exports, filenames
from audit_app.ui import actor, db
from audit_app.views.common import action_columns, go_to_followup
from audit_app.views.widgets import choice_or_none, choices, download, table


def render() -> None:
    today = date.today()
    st.title("Åtgärdsregister")
    with db() as session:
        contractors = {
            c.id: c.name for c in registers.list_contractors(session, include_archived=True)
        }
        areas = overview.action_areas(session, actor())
    flt = _filters(contractors, areas)
    with db() as session:
        register = overview.action_register(session, actor(), flt, today=today)
    c1, c2, c3 = st.columns(3)
    c1.metric("Åtgärder", register.total)
    c2.metric("Försenade", register.overdue)
    c3.metric("Klart inom 30 dagar", register.due_soon)
    if not register.rows:
        st.info("Inga åtgärder matchar filtret.")
        return
    if register.total > len(register.rows):
        st.caption(
            f"Visar de {len(register.rows)} första av {register.total} (tidigast klart-datum "
            "först). Excel-filen har alla."
        )
    event = table(
        (
            action_columns(r, "⚠️")
            | {
                "Entreprenör": r.contractor,
                "Enhet": r.units,
                "Område": r.area,
                "Beslutad": r.followup_date,
            }
            for r in register.rows
        ),
        key="actions.table",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "Försenad": st.column_config.TextColumn("", width=32),
            "Klart senast": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
            "Åtgärd": st.column_config.TextColumn(width="medium"),
            "Ansvarig": st.column_config.TextColumn(width="small"),
            "Status": st.column_config.TextColumn(width="small"),
            "Entreprenör": st.column_config.TextColumn(width="small"),
            "Enhet": st.column_config.TextColumn(width="small"),
            "Område": st.column_config.TextColumn(width="small"),
            "Beslutad": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
        },
    )
    selected = event.selection.rows if event else []
    c1, c2 = st.columns([1, 1], vertical_alignment="bottom")
    if selected:
        row = register.rows[selected[0]]
        if c1.button(
            f"Öppna uppföljningen där åtgärden beslutades ({row.followup_date.isoformat()})",
            key="actions.open",
        ):
            go_to_followup(row.followup_id)
    else:
        c1.caption("Markera en rad för att öppna uppföljningen där åtgärden beslutades.")

    me = actor()

    def make_workbook() -> bytes:  # runs outside the script run: no session state there
        with db() as s:
            return exports.action_register_workbook(s, me, flt, today=today)

    download(
        c2,
        "Exportera till Excel",
        make_workbook,
        filenames.action_register_filename(today),
        key="actions.export",
        icon=":material/table:",
    )


def _filters(contractors: dict[uuid.UUID, str], areas: list[str]) -> overview.ActionFilter:
    with st.container(border=True):
        c1, c2, c3 = st.columns([2, 2, 2])
        statuses = choices(
            c1,
            "Status",
            labels.ACTION_STATUS_LABELS,
            default=list(OPEN_ACTION),
            placeholder="Alla",
            key="actions.f.status",
        )
        contractor = choice_or_none(
            c2, "Entreprenör", contractors, "Alla", key="actions.f.contractor"
        )
        area = choice_or_none(
            c3, "Område", {a: overview.area_name(a) for a in areas}, "Alla", key="actions.f.area"
        )
        c4, c5 = st.columns(2)
        overdue = c4.toggle("Bara försenade", key="actions.f.overdue")
        soon = c5.toggle("Klart inom 30 dagar", key="actions.f.soon")
    return overview.ActionFilter(
        statuses=statuses, overdue=overdue, contractor_id=contractor, area=area, due_soon=soon
    )
