"""Start page that fits the role: revisor, förvaltningschef or läsare."""

import uuid
from datetime import date

import streamlit as st

from audit_app.domain import labels
from audit_app.models import FollowUpStatus, Role, StatusLevel
from audit_app.services import followups as followups_service
from audit_app.services import overview
from audit_app.ui import actor, db, plain, show_flash
from audit_app.views.common import action_columns, followup_list
from audit_app.views.widgets import table


def render() -> None:
    me = actor()
    show_flash()
    st.title(f"Välkommen, {plain(me.display_name)}")
    if me.role is Role.forvaltningschef:
        _chef()
    elif me.role is Role.utredare:
        st.info(
            "Registrera lex Sarah-rapporter, lex Maria-anmälningar, klagomål och andra signaler "
            "under **Signaler**. Du ser uppföljningarna när de är justerade."
        )
        _reader()
    elif me.role is Role.lasare:
        _reader()
    else:
        _revisor(me.user_id)


def _revisor(user_id: uuid.UUID | None) -> None:
    today = date.today()
    with db() as session:
        coming = followups_service.list_followups(
            session,
            followups_service.FollowUpFilter(
                statuses=[FollowUpStatus.planerad, FollowUpStatus.pagar, FollowUpStatus.klar],
                newest_first=False,
            ),
            actor=actor(),
        )
        mine = followups_service.with_names(
            session,
            [
                f
                for f in coming
                if f.author_id == user_id or f.status is not FollowUpStatus.planerad
            ],
        )
        register = overview.action_register(
            session, actor(), overview.OPEN_FILTER, today=today, limit=50
        )
    _followups(
        "Mina kommande och pågående uppföljningar",
        mine,
        ("start.coming", "start.open"),
        "Du har inga planerade uppföljningar. Planera en under Uppföljningar.",
    )
    st.subheader("Öppna åtgärder hos utförarna")
    c1, c2 = st.columns(2)
    c1.metric("Öppna åtgärder", register.total)
    c2.metric("Försenade (klart-datum passerat)", register.overdue)
    if register.rows:
        table(
            (
                action_columns(r, "⚠️ Ja")
                | {"Avvikelse": r.finding_title, "Entreprenör": r.contractor, "Enhet": r.units}
                for r in register.rows
            ),
            column_config={"Klart senast": st.column_config.DateColumn(format="YYYY-MM-DD")},
        )
        if register.total > len(register.rows):
            st.caption(f"De {len(register.rows)} första av {register.total}.")
        _link("atgarder", "Alla åtgärder i åtgärdsregistret")
    st.subheader("Entreprenörer")
    _contractor_overview()


def _contractor_overview() -> None:
    """One row per contractor, summed from the overview's unit rows."""
    with db() as session:
        rows = overview.unit_overview(session, actor())
    summaries = overview.contractor_summaries(rows)
    if not summaries:
        st.info("Inga entreprenörer med enheter är registrerade än.")
        return
    c1, c2, c3 = st.columns(3)
    c1.metric("Enheter med röd status", sum(r.status is StatusLevel.rod for r in rows))
    c2.metric("Enheter med gul status", sum(r.status is StatusLevel.gul for r in rows))
    c3.metric("Försenade åtgärder", sum(r.overdue_actions for r in rows))
    table(
        (
            {
                "Status": labels.STATUS_LEVEL_LABELS[s.level],
                "Entreprenör": s.contractor,
                "Enheter": s.units,
                "Röd": s.by_level.get(StatusLevel.rod, 0),
                "Gul": s.by_level.get(StatusLevel.gul, 0),
                "Öppna avvikelser": s.open_deviations,
                "Försenade åtgärder": s.overdue_actions,
                "Nästa planerade": s.next_planned,
            }
            for s in summaries
        ),
        column_config={
            "Status": st.column_config.TextColumn(width="small"),
            "Entreprenör": st.column_config.TextColumn(width="medium"),
            "Enheter": st.column_config.NumberColumn(width="small"),
            "Röd": st.column_config.NumberColumn(width="small"),
            "Gul": st.column_config.NumberColumn(width="small"),
            "Öppna avvikelser": st.column_config.NumberColumn("Avvikelser", width="small"),
            "Försenade åtgärder": st.column_config.NumberColumn("Försenade", width="small"),
            "Nästa planerade": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
        },
    )
    _link("oversikt", "Öppna översikten per enhet")


def _link(path: str, label: str) -> None:
    pages = st.session_state.get("nav.pages", {})
    if path in pages:
        st.page_link(pages[path], label=label, icon=":material/arrow_forward:")


def _chef() -> None:
    st.subheader("Status för alla entreprenörer")
    _contractor_overview()
    with db() as session:
        waiting = followups_service.with_names(
            session,
            followups_service.list_followups(
                session,
                followups_service.FollowUpFilter(statuses=[FollowUpStatus.klar]),
                actor=actor(),
            ),
        )
    _followups(
        "Väntar på justering",
        waiting,
        ("start.waiting", "start.open_waiting"),
        "Inga uppföljningar väntar på justering.",
    )


def _reader() -> None:
    with db() as session:
        done = followups_service.with_names(
            session,
            followups_service.list_followups(
                session,
                followups_service.FollowUpFilter(statuses=[FollowUpStatus.justerad], limit=200),
                actor=actor(),
            ),
        )
    _followups(
        "Justerade uppföljningar",
        done,
        ("start.done", "start.open_done"),
        "Det finns inga justerade uppföljningar än.",
    )


def _followups(
    title: str, listed: followups_service.NamedFollowUps, keys: tuple[str, str], empty: str
) -> None:
    """A titled list of follow-ups with the jump to one of them, or what it means when empty."""
    st.subheader(title)
    if listed.followups:
        followup_list(listed, keys)
    else:
        st.info(empty)
