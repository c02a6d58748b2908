"""Agenda point 4 (or its own tab): proposals still to decide, the findings, the action plan."""

import uuid
from datetime import date

import pandas as pd
import streamlit as st

from audit_app.auth import RECORD_SANCTIONS
from audit_app.domain import labels
from audit_app.domain.svtext import sv_date
from audit_app.models import Finding, FindingKind
from audit_app.services import followup_view, followups
from audit_app.ui import actor, can, db, plain
from audit_app.views.followup.common import RESPONSIBLE_ROLES, ns, rerun_alone, run
from audit_app.views.marker import mark_run_finished


def decide_buttons(
    followup_id: uuid.UUID, finding: Finding, where: str, item_key: str | None = None
) -> None:
    """Confirm, downgrade (an avvikelse only) or dismiss a proposal, with the reason asked.

    At an item (`item_key`) only that item is drawn again afterwards; elsewhere the page."""
    fid = finding.id

    def done() -> None:
        st.rerun(scope="app" if item_key is None else "fragment")

    what = labels.FINDING_KIND_LABELS[finding.kind].lower()
    with db() as session:
        choices = followup_view.unit_choices(session, actor(), followup_id)
    unit_id = None
    if choices:  # several units: the revisor says which one the finding concerns
        unit_id = st.selectbox(
            "Gäller enhet *",
            list(choices),
            index=list(choices).index(finding.unit_id) if finding.unit_id in choices else None,
            placeholder="Välj enhet",
            format_func=choices.__getitem__,
            key=ns(followup_id, where, "unit", fid),
        )
    c1, c2, c3 = st.columns([1.2, 2, 1.2])
    if c1.button(f"Bekräfta {what}", key=ns(followup_id, where, "conf", fid), type="primary"):
        if run(
            followups.confirm_finding, fid, unit_id=unit_id, ok=f"{what.capitalize()} bekräftad."
        ):
            done()
    if finding.kind is FindingKind.avvikelse:
        with c2.popover("Nedgradera till förbättringsområde"):
            reason = st.text_input("Anledning *", key=ns(followup_id, where, "down.r", fid))
            if st.button("Nedgradera", key=ns(followup_id, where, "down", fid)) and run(
                followups.downgrade_finding,
                fid,
                reason,
                unit_id=unit_id,
                ok="Nedgraderad till förbättringsområde.",
            ):
                done()
    with c3.popover("Avfärda"):
        reason = st.text_input(
            "Varför avfärdas förslaget? *", key=ns(followup_id, where, "rej.r", fid)
        )
        if st.button("Avfärda förslaget", key=ns(followup_id, where, "rej", fid)) and run(
            followups.reject_finding, fid, reason, ok="Förslaget är avfärdat."
        ):
            done()


def render_plan(followup_id: uuid.UUID, editable: bool) -> None:
    with db() as session:
        view = followup_view.plan_view(session, actor(), followup_id)
    if view.proposals:
        st.markdown(f"##### {view.proposals_text}")
        st.caption(
            "Förslagen kommer från bedömningarna i punkt 2 och 3: ett SKA-krav som inte är "
            "uppfyllt föreslås som avvikelse, annat som förbättringsområde."
        )
        if editable and st.button("Bekräfta alla", key=ns(followup_id, "confirm.all")):
            if run(followups.confirm_all, followup_id, ok="Alla förslag är bekräftade."):
                st.rerun()
        for finding in view.proposals:
            with st.container(border=True):
                _finding_line(finding)
                if editable:
                    decide_buttons(followup_id, finding, "plan")
    _findings_table(followup_id, editable, view)
    if editable:
        _add_finding_form(followup_id, view.units)
    _action_plan(followup_id, editable, view)


def _finding_line(finding: Finding) -> None:
    clause = f"{plain(finding.clause)} " if finding.clause else ""
    st.markdown(
        f"**{labels.FINDING_KIND_LABELS[finding.kind]}** · {clause}{plain(finding.title)}  \n"
        f":gray[{plain(finding.area)}] {plain(finding.description)}"
    )


def _findings_table(followup_id: uuid.UUID, editable: bool, view: followup_view.PlanView) -> None:
    st.markdown("##### Avvikelser och förbättringsområden")
    if not view.decided:
        st.caption("Inga bekräftade avvikelser eller förbättringsområden än.")
    else:
        frame = pd.DataFrame(
            [
                {
                    **(
                        {"Enhet": view.units.get(x.unit_id, "–") if x.unit_id else "–"}
                        if view.units
                        else {}
                    ),
                    "Typ": labels.FINDING_KIND_LABELS[x.kind],
                    "Avtalspunkt": x.clause,
                    "Rubrik": x.title,
                    "Beskrivning": x.description,
                    "Status": labels.FINDING_STATUS_LABELS[x.status],
                    "Nedgraderad därför att": x.downgrade_reason,
                    "Till utskottet": x.for_committee,
                }
                for x in view.decided
            ]
        )
        config = {
            "Till utskottet": st.column_config.CheckboxColumn(
                help="Beskrivningen får citeras i tjänsteskrivelsen till utskottet."
            )
        }
        if editable:
            edited = st.data_editor(
                frame,
                hide_index=True,
                width="stretch",
                column_config=config,
                disabled=[c for c in frame.columns if c != "Till utskottet"],
                key=ns(followup_id, "findings.table", len(view.decided)),
            )
            for finding, flag in zip(view.decided, edited["Till utskottet"], strict=True):
                if bool(flag) != finding.for_committee:
                    run(followups.set_for_committee, finding.id, bool(flag), ok="Sparat.")
        else:
            st.dataframe(frame, hide_index=True, width="stretch", column_config=config)
    if view.dismissed:
        st.caption(f"{view.dismissed} förslag är avfärdade eller återkallade.")


def _add_finding_form(followup_id: uuid.UUID, choices: dict[uuid.UUID, str]) -> None:
    with db() as session:
        items = {"": "(ingen punkt)"} | {
            i.key: followup_view.short_label(i, 80)
            for i in followups.agenda_of(followups.visible_followup(session, actor(), followup_id))
        }
    with (
        st.expander("Lägg till iakttagelse"),
        st.form(ns(followup_id, "addfinding"), clear_on_submit=True),
    ):
        kind = st.selectbox(
            "Typ", list(FindingKind), format_func=labels.FINDING_KIND_LABELS.__getitem__
        )
        unit_id = (
            st.selectbox(
                "Gäller enhet *",
                list(choices),
                index=None,
                placeholder="Välj enhet",
                format_func=choices.__getitem__,
            )
            if choices
            else None
        )
        title = st.text_input("Rubrik *")
        description = st.text_area("Beskrivning", height=80)
        item_key = st.selectbox("Gäller punkt", list(items), format_func=items.__getitem__)
        for_committee = st.checkbox("Får citeras i rapporten till utskottet")
        if st.form_submit_button("Lägg till") and run(
            followups.add_finding,
            followup_id,
            kind or FindingKind.iakttagelse,
            title,
            description,
            item_key=item_key or None,
            for_committee=for_committee,
            unit_id=unit_id,
            ok="Iakttagelsen är tillagd.",
        ):
            st.rerun()


def _action_plan(followup_id: uuid.UUID, editable: bool, view: followup_view.PlanView) -> None:
    st.markdown("##### Åtgärdsplan")
    if view.units and view.rechecks:  # several units: whose re-check it is
        for who, day in view.rechecks:
            st.markdown(f"Återuppföljning hos {plain(who)}: **senast {sv_date(day)}**")
    elif view.recheck is not None:
        st.markdown(f"Återuppföljning av avvikelserna: **senast {sv_date(view.recheck)}**")
    if not view.groups:
        st.info("Inga bekräftade avvikelser eller förbättringsområden: ingen åtgärdsplan behövs.")
        return
    for group in view.groups:
        _group_fragment(followup_id, editable, group.finding.id, view.default_due, group)


@st.fragment
def _group_fragment(
    followup_id: uuid.UUID,
    editable: bool,
    finding_id: uuid.UUID,
    default_due: date,
    initial: followup_view.ActionGroup,
) -> None:
    """One finding's actions; adding one redraws only this group."""
    group = initial
    alone = rerun_alone(ns(followup_id, "drawn.act", finding_id))
    if alone:
        with db() as session:
            group = followup_view.action_group(session, actor(), followup_id, finding_id)
    finding = group.finding
    with st.container(border=True):
        clause = f"{plain(finding.clause)} " if finding.clause else ""
        unit = f"{plain(group.unit)} · " if group.unit else ""
        st.markdown(
            f"**{unit}{labels.FINDING_KIND_LABELS[finding.kind]}: {clause}{plain(finding.title)}**"
            + ("  \n:red[Avvikelsen saknar åtgärd.]" if group.missing else "")
        )
        if group.actions:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Åtgärd": a.what,
                            "Ansvarig": a.responsible,
                            "Klart senast": a.due_date,
                            "Status": labels.ACTION_STATUS_LABELS[a.status],
                            "Försenad": "⚠️" if a.id in group.overdue else "",
                        }
                        for a in group.actions
                    ]
                ),
                hide_index=True,
                width="stretch",
                column_config={"Klart senast": st.column_config.DateColumn(format="YYYY-MM-DD")},
            )
        if editable:
            _action_form(followup_id, finding.id, default_due)
        _sanction_link(finding)
    if alone:
        mark_run_finished()


def _sanction_link(finding: Finding) -> None:
    """From a confirmed avvikelse to recording a sanction on it (the contract's ladder)."""
    page = st.session_state.get("nav.pages", {}).get("sanktioner")
    if page is None or finding.kind is not FindingKind.avvikelse or not can(RECORD_SANCTIONS):
        return
    st.page_link(
        page,
        label="Registrera sanktion på avvikelsen",
        icon=":material/gavel:",
        query_params={"avvikelse": str(finding.id)},
    )


def _action_form(followup_id: uuid.UUID, finding_id: uuid.UUID, default_due: date) -> None:
    key = ns(followup_id, "act", finding_id)
    with st.form(key):
        c1, c2, c3 = st.columns([3, 2, 1.4])
        c1.text_input("Åtgärd *", placeholder="Vad ska utföraren göra?", key=f"{key}.what")
        c2.selectbox(
            "Ansvarig (roll hos utföraren) *",
            RESPONSIBLE_ROLES,
            accept_new_options=True,
            key=f"{key}.who",
        )
        c3.date_input("Klart senast", value=default_due, format="YYYY-MM-DD", key=f"{key}.due")
        err = st.session_state.get(f"{key}.err")
        if err:
            st.error(err)
        st.form_submit_button(
            "Lägg till åtgärd", on_click=_add_action, args=(key, finding_id, default_due)
        )


def _add_action(key: str, finding_id: uuid.UUID, default_due: date) -> None:
    """Save the action before the group is drawn again (one rerun, the new row in its table);
    the form is emptied only when the action is saved, so an error keeps what was typed."""
    state = st.session_state
    if run(
        followups.add_action,
        finding_id,
        str(state.get(f"{key}.what") or ""),
        str(state.get(f"{key}.who") or ""),
        state.get(f"{key}.due") or default_due,
        error_key=f"{key}.err",
        ok="Åtgärden är tillagd.",
    ):
        state[f"{key}.what"] = ""
        state[f"{key}.due"] = default_due
