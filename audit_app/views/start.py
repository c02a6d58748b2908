"""Start page that fits the role: revisor, förvaltningschef or läsare."""

import uuid
from datetime import date

import pandas as pd
import streamlit as st

from audit_app.domain import labels
from audit_app.models import FollowUpStatus, Role
from audit_app.services import followups as fu
from audit_app.services import registers as reg
from audit_app.ui import actor, db, plain, show_flash, sv_date
from audit_app.views.common import followup_table, open_to_followup


def render() -> None:
    me = actor()
    show_flash()
    st.title(f"Välkommen, {plain(me.display_name)}")
    if me.role is Role.forvaltningschef:
        _chef()
    elif me.role is Role.lasare:
        _reader()
    else:
        _revisor(me.user_id)


def _revisor(user_id: uuid.UUID | None) -> None:
    today = date.today()
    with db() as session:
        coming = fu.list_followups(
            session,
            fu.FollowUpFilter(
                statuses=[FollowUpStatus.planerad, FollowUpStatus.pagar, FollowUpStatus.klar],
                newest_first=False,
            ),
            actor=actor(),
        )
        names = fu.unit_names(session, [f.id for f in coming])
        contractors = {c.id: c.name for c in reg.list_contractors(session)}
        actions = fu.open_actions(session, actor(), today=today)
        action_units = fu.unit_names(session, list({oa.followup.id for oa in actions}))
    mine = [f for f in coming if f.author_id == user_id or f.status is not FollowUpStatus.planerad]
    st.subheader("Mina kommande och pågående uppföljningar")
    if mine:
        followup_table(mine, names, contractors, key="start.coming")
        open_to_followup(mine, names, key="start.open")
    else:
        st.info("Du har inga planerade uppföljningar. Planera en under Uppföljningar.")
    overdue = sum(oa.overdue for oa in actions)
    st.subheader("Öppna åtgärder hos utförarna")
    c1, c2 = st.columns(2)
    c1.metric("Öppna åtgärder", len(actions))
    c2.metric("Försenade (klart-datum passerat)", overdue)
    if actions:
        rows = [
            {
                "Försenad": "⚠️ Ja" if oa.overdue else "",
                "Klart senast": oa.action.due_date,
                "Åtgärd": oa.action.what,
                "Ansvarig": oa.action.responsible,
                "Status": labels.ACTION_STATUS_LABELS[oa.action.status],
                "Avvikelse": oa.finding.title,
                "Entreprenör": contractors.get(oa.followup.contractor_id, ""),
                "Enhet": ", ".join(action_units.get(oa.followup.id, [])),
            }
            for oa in actions
        ]
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            width="stretch",
            column_config={"Klart senast": st.column_config.DateColumn(format="YYYY-MM-DD")},
        )
    st.subheader("Entreprenörer")
    _contractor_overview()


def _contractor_overview() -> None:
    with db() as session:
        statuses = fu.contractor_statuses(session, actor())
    rows = [
        {
            "Entreprenör": s.contractor.name,
            "Enheter": ", ".join(s.units),
            "Öppna avvikelser": s.open_deviations,
            "Öppna åtgärder": s.open_actions,
            "Försenade åtgärder": s.overdue_actions,
            "Senaste uppföljning": sv_date(s.last_followup.planned_date)
            if s.last_followup
            else "–",
            "Nästa uppföljning": sv_date(s.next_followup.planned_date)
            if s.next_followup
            else "Ingen planerad",
        }
        for s in statuses
    ]
    if rows:
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            width="stretch",
            column_config={
                "Entreprenör": st.column_config.TextColumn(width="medium"),
                "Enheter": st.column_config.TextColumn(width="medium"),
                "Öppna avvikelser": st.column_config.NumberColumn("Avvikelser", width="small"),
                "Öppna åtgärder": st.column_config.NumberColumn("Åtgärder", width="small"),
                "Försenade åtgärder": st.column_config.NumberColumn("Försenade", width="small"),
            },
        )
    else:
        st.info("Inga entreprenörer är registrerade än.")


def _chef() -> None:
    st.subheader("Status för alla entreprenörer")
    _contractor_overview()
    with db() as session:
        waiting = fu.list_followups(
            session, fu.FollowUpFilter(statuses=[FollowUpStatus.klar]), actor=actor()
        )
        names = fu.unit_names(session, [f.id for f in waiting])
        contractors = {c.id: c.name for c in reg.list_contractors(session)}
    st.subheader("Väntar på justering")
    if waiting:
        followup_table(waiting, names, contractors, key="start.waiting")
        open_to_followup(waiting, names, key="start.open_waiting")
    else:
        st.info("Inga uppföljningar väntar på justering.")


def _reader() -> None:
    with db() as session:
        done = fu.list_followups(
            session, fu.FollowUpFilter(statuses=[FollowUpStatus.justerad], limit=200), actor=actor()
        )
        names = fu.unit_names(session, [f.id for f in done])
        contractors = {c.id: c.name for c in reg.list_contractors(session, include_archived=True)}
    st.subheader("Justerade uppföljningar")
    if done:
        followup_table(done, names, contractors, key="start.done")
        open_to_followup(done, names, key="start.open_done")
    else:
        st.info("Det finns inga justerade uppföljningar än.")
