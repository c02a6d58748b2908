"""Planning a follow-up of any kind, or a new one from the unit's previous follow-up."""

import uuid
from datetime import date, timedelta
from typing import Any, NoReturn

import pandas as pd
import streamlit as st

from audit_app.domain import labels
from audit_app.models import FollowUpKind, Method, RiktadReason
from audit_app.services import checklists, followups, registers
from audit_app.ui import actor, db, rerun_with, write
from audit_app.views.widgets import choice_or_none

SIDES = {"kommun": "Kommunen", "utforare": "Utföraren"}
PLAN_KINDS = [k for k in FollowUpKind]


def plan_section() -> None:
    with st.expander(
        "➕ Planera ny uppföljning", expanded=st.session_state.get("plan.open", False)
    ):
        with db() as session:
            contractors = {c.id: c.name for c in registers.list_contractors(session)}
            units = registers.list_units(session)
        if not contractors or not units:
            st.info("Lägg först in entreprenörer och enheter under Register.")
            return
        unit_names = {u.id: u.name for u in units}
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        base_unit = choice_or_none(
            c1,
            "Ny uppföljning utifrån föregående för enheten",
            unit_names,
            "(börja från tomt)",
            key="plan.base_unit",
        )
        if c2.button("Hämta uppgifter", key="plan.prefill", disabled=base_unit is None):
            with db() as session:
                prefilled = followups.prefill_from_previous(session, base_unit)  # type: ignore[arg-type]
            if prefilled is None:
                st.warning("Enheten har ingen tidigare uppföljning.")
            else:
                st.session_state["plan.prefill_data"] = prefilled
                st.session_state["plan.form_version"] = (
                    st.session_state.get("plan.form_version", 0) + 1
                )
                st.session_state["plan.open"] = True
                st.rerun()
        _plan_form(contractors, units)


def _units_across(
    contractors: dict[uuid.UUID, str],
    units: list[Any],
    pre: followups.PlanInput | None,
    version: int,
) -> list[uuid.UUID]:
    """A riktad uppföljning may cover units of several contractors: one choice per contractor
    (grouped by contractor), the chosen units together."""
    st.markdown("**Enheter \\*** – välj enheter hos en eller flera entreprenörer")
    chosen: list[uuid.UUID] = []
    preset = set(pre.unit_ids) if pre else set()
    for cid, name in contractors.items():
        opts = {u.id: u.name for u in units if u.contractor_id == cid}
        if not opts:
            continue
        chosen += st.multiselect(
            f"Enheter hos {name}",
            list(opts),
            default=[u for u in opts if u in preset],
            placeholder="Inga enheter",
            format_func=opts.__getitem__,
            key=f"plan.across.{version}.{cid}",
        )
    return chosen


def _plan_form(contractors: dict[uuid.UUID, str], units: list[Any]) -> None:
    pre: followups.PlanInput | None = st.session_state.get("plan.prefill_data")
    version = st.session_state.get("plan.form_version", 0)
    kind = st.selectbox(
        "Typ av uppföljning *",
        PLAN_KINDS,
        index=PLAN_KINDS.index(pre.kind) if pre else 0,
        format_func=labels.KIND_LABELS.__getitem__,
        key=f"plan.kind.{version}",
    )
    ids = list(contractors)
    committee = kind is FollowUpKind.bistandsarenden
    across = kind is FollowUpKind.riktad
    contractor_id: uuid.UUID | None = None
    if committee:
        st.caption(
            "Kontroll av biståndsärenden är utskottets egen kontroll av tre ärenden vid "
            "sammanträdet: den gäller ingen entreprenör eller enhet."
        )
    elif not across:
        contractor_id = st.selectbox(
            "Entreprenör *",
            ids,
            index=ids.index(pre.contractor_id) if pre and pre.contractor_id in ids else 0,
            format_func=contractors.__getitem__,
            key=f"plan.contractor.{version}",
        )
    with db() as session:
        contracts = (
            []
            if committee
            else registers.list_contracts(session, contractor_id=contractor_id)
            if contractor_id
            else registers.list_contracts(session)
        )
        versions = checklists.checklists_for_kind(session, kind)
        default_cl = checklists.checklist_for_kind(session, kind)
    own_units = [u for u in units if u.contractor_id == contractor_id]
    with st.form(f"plan.form.{version}.{kind.value}.{contractor_id}"):
        chosen_units: list[uuid.UUID] = []
        if across:
            chosen_units = _units_across(contractors, units, pre, version)
        elif not committee:
            unit_opts = {u.id: u.name for u in own_units}
            chosen_units = st.multiselect(
                "Enheter *",
                list(unit_opts),
                default=[u for u in (pre.unit_ids if pre else []) if u in unit_opts]
                or list(unit_opts)[:1],
                placeholder="Välj enheter",
                format_func=unit_opts.__getitem__,
            )
        contract_opts: dict[uuid.UUID | None, str] = {None: "(inget avtal)"} | {
            c.id: f"{c.dnr} – {c.title}" for c in contracts
        }
        default_contract = (
            pre.contract_id
            if pre and pre.contract_id in contract_opts
            else (contracts[0].id if contracts else None)
        )
        contract_id = (
            None
            if committee
            else st.selectbox(
                "Avtal",
                list(contract_opts),
                index=list(contract_opts).index(default_contract if not across else None),
                format_func=contract_opts.__getitem__,
                help="En uppföljning över flera entreprenörer följer inte upp ett avtal."
                if across
                else None,
            )
        )
        c1, c2 = st.columns(2)
        planned_date = c1.date_input(
            "Datum *",
            value=pre.planned_date if pre else date.today() + timedelta(days=7),
            format="YYYY-MM-DD",
        )
        planned_time = c2.text_input(
            "Tid", value=pre.planned_time if pre else "09:00", placeholder="09:00"
        )
        place = st.text_input("Plats", value=pre.place if pre else "")
        methods = st.multiselect(
            "Metod",
            list(Method),
            default=pre.methods if pre else [Method.dokumentgranskning, Method.intervju],
            placeholder="Välj metod",
            format_func=labels.METHOD_LABELS.__getitem__,
        )
        reason = None
        reason_text = ""
        if kind is FollowUpKind.riktad:
            reason = st.selectbox(
                "Orsak *",
                list(RiktadReason),
                index=None,
                placeholder="Välj orsak",
                format_func=labels.REASON_LABELS.__getitem__,
            )
            reason_text = st.text_input("Beskriv orsaken", value=pre.reason_text if pre else "")
        cl_opts: dict[uuid.UUID | None, str] = {None: "(ingen checklista)"} | {
            v.id: f"{v.name} (version {v.version})" for v in versions
        }
        default_id = (
            pre.checklist_version_id
            if pre and pre.checklist_version_id in cl_opts
            else (default_cl.id if default_cl and default_cl.id in cl_opts else None)
        )
        checklist_id = st.selectbox(
            "Checklista (versionen låses när uppföljningen startar)",
            list(cl_opts),
            index=list(cl_opts).index(default_id),
            format_func=cl_opts.__getitem__,
        )
        st.markdown("**Deltagare**")
        people = (
            [p.as_dict() for p in pre.participants]
            if pre
            else [{"name": actor().display_name, "role": "Utvecklingsledare", "side": "kommun"}]
        )
        edited = st.data_editor(
            pd.DataFrame(people, columns=["name", "role", "side"]),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Namn", required=True),
                "role": st.column_config.TextColumn("Roll"),
                "side": st.column_config.SelectboxColumn(
                    "Part",
                    options=list(SIDES),
                    format_func=lambda side: SIDES.get(str(side), str(side)),
                    default="utforare",
                    required=True,
                ),
            },
            key=f"plan.people.{version}",
        )
        submitted = st.form_submit_button("Planera uppföljningen", type="primary")
    if submitted:
        participants = [
            followups.Participant(
                str(r.get("name") or ""), str(r.get("role") or ""), str(r.get("side") or "utforare")
            )
            for r in edited.to_dict("records")
            if str(r.get("name") or "").strip() or str(r.get("role") or "").strip()
        ]
        data = followups.PlanInput(
            kind=kind,
            contractor_id=contractor_id,
            unit_ids=list(chosen_units),
            contract_id=contract_id,
            planned_date=planned_date,
            planned_time=planned_time.strip(),
            place=place,
            methods=list(methods),
            reason=reason,
            reason_text=reason_text,
            participants=participants,
            checklist_version_id=checklist_id,
            previous_id=pre.previous_id if pre else None,
        )
        write(lambda s: followups.plan_followup(s, actor(), data).id, _planned)


def _planned(created_id: uuid.UUID) -> NoReturn:
    st.session_state.pop("plan.prefill_data", None)
    st.session_state["plan.open"] = False
    st.session_state["followups.selected"] = created_id
    rerun_with("Uppföljningen är planerad.")
