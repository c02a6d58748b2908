"""Follow-ups: the list with filters, planning, and one follow-up (conduct or read)."""

import uuid
from datetime import date, timedelta

import streamlit as st

from audit_app.auth import CONDUCT
from audit_app.domain import labels
from audit_app.services import followups, registers
from audit_app.ui import actor, can, db, show_flash
from audit_app.views import followup
from audit_app.views.common import followup_list
from audit_app.views.plan import plan_section as _plan_section
from audit_app.views.widgets import choices

ALL = "__all__"


def render() -> None:
    show_flash()
    selected = st.session_state.get("followups.selected")
    if selected is None and st.query_params.get("id"):
        selected = st.query_params["id"]  # a reload keeps the open follow-up in the address
        st.session_state["followups.selected"] = selected
    if selected is not None:
        try:
            uuid.UUID(str(selected))
        except ValueError:
            st.session_state.pop("followups.selected", None)
            st.query_params.pop("id", None)
            st.rerun()
        st.query_params["id"] = str(selected)
        followup.render(uuid.UUID(str(selected)))
        return
    st.title("Uppföljningar")
    if can(CONDUCT):
        _plan_section()
    _list()


def _list() -> None:
    with db() as session:
        contractors = {
            c.id: c.name for c in registers.list_contractors(session, include_archived=True)
        }
        units = registers.list_units(session, include_archived=True)
    with st.container(border=True):
        c1, c2, c3 = st.columns(3)
        contractor = c1.selectbox(
            "Entreprenör",
            [ALL, *contractors],
            format_func=lambda k: "Alla" if k == ALL else contractors[k],
            key="followups.f.contractor",
        )
        unit_opts = {
            u.id: u.name for u in units if contractor == ALL or u.contractor_id == contractor
        }
        unit = c2.selectbox(
            "Enhet",
            [ALL, *unit_opts],
            format_func=lambda k: "Alla" if k == ALL else unit_opts[k],
            key="followups.f.unit",
        )
        kinds = choices(
            c3, "Typ", labels.KIND_LABELS, placeholder="Alla typer", key="followups.f.kinds"
        )
        c4, c5, c6 = st.columns(3)
        statuses = choices(
            c4, "Status", labels.STATUS_LABELS, placeholder="Alla", key="followups.f.status"
        )
        date_from = c5.date_input(
            "Från",
            value=date.today() - timedelta(days=730),
            format="YYYY-MM-DD",
            key="followups.f.from",
        )
        date_to = c6.date_input(
            "Till",
            value=date.today() + timedelta(days=365),
            format="YYYY-MM-DD",
            key="followups.f.to",
        )
    flt = followups.FollowUpFilter(
        contractor_id=None if contractor == ALL else uuid.UUID(str(contractor)),
        unit_id=None if unit == ALL else uuid.UUID(str(unit)),
        kinds=kinds,
        statuses=statuses,
        date_from=date_from,
        date_to=date_to,
    )
    with db() as session:
        listed = followups.with_names(
            session, followups.list_followups(session, flt, actor=actor())
        )
    st.caption(f"{len(listed.followups)} uppföljningar")
    if listed.followups:
        followup_list(listed, ("followups.table", "followups.open"))
    else:
        st.info("Inga uppföljningar matchar filtret.")
