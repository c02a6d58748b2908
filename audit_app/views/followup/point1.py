"""Agenda point 1: the previous meeting's remarks, and every action still open, each marked."""

import uuid

import streamlit as st

from audit_app.domain import labels
from audit_app.domain.svtext import sv_date
from audit_app.models import ReviewMark
from audit_app.services import followup_view, followups, signals
from audit_app.ui import actor, db, plain
from audit_app.views.followup.common import ns, run


def render_point_one(followup_id: uuid.UUID, editable: bool) -> None:
    with db() as session:
        view = followup_view.point_one(session, actor(), followup_id)
    if view.previous_title:
        st.markdown(f"**Förra mötet:** {plain(view.previous_title)}")
        if view.previous_findings:
            st.markdown("\n".join(f"- {plain(x)}" for x in view.previous_findings))
        else:
            st.caption("Förra mötet ledde inte till några avvikelser eller förbättringsområden.")
    else:
        st.caption("Det finns ingen tidigare uppföljning av samma slag för enheten.")
    if view.since is not None:
        _signals(view.since)
    if not view.carried:
        st.info("Det finns inga öppna åtgärder från tidigare uppföljningar.")
        return
    st.caption(
        "Alla åtgärder från tidigare uppföljningar som inte är verifierade. Markera var och en; "
        "bara **Verifierad** (med en anteckning om underlaget) stänger åtgärden."
    )
    marks = list(ReviewMark)
    for row in view.carried:
        action = row.action
        with st.container(border=True):
            overdue = " · ⚠️ **försenad**" if row.overdue else ""
            st.markdown(
                f"**{plain(action.what)}**  \n{plain(row.finding.title)} · ansvarig: "
                f"{plain(action.responsible)} · klart senast {row.due}{overdue}  \n"
                f":gray[Från {plain(row.origin)} · status före mötet: {row.status_before}]"
            )
            if not editable:
                if row.review is not None:
                    st.markdown(
                        f"Avstämning: **{labels.REVIEW_MARK_LABELS[row.mark or ReviewMark.kvarstar]}**"
                        f" – {plain(row.review.comment)}"
                    )
                continue
            c1, c2 = st.columns([2, 3])
            mark_key = ns(followup_id, "rev", action.id, "mark")
            note_key = ns(followup_id, "rev", action.id, "note")
            c1.radio(
                "Avstämning",
                marks,
                index=marks.index(row.mark) if row.mark else None,
                format_func=labels.REVIEW_MARK_LABELS.__getitem__,
                key=mark_key,
                horizontal=True,
                on_change=_save_review,
                args=(followup_id, action.id, mark_key, note_key),
            )
            c2.text_input(
                "Kommentar / underlag som visats",
                value=row.review.comment if row.review else "",
                key=note_key,
                on_change=_save_review,
                args=(followup_id, action.id, mark_key, note_key),
            )
            err = st.session_state.get(ns(followup_id, "rev", action.id, "err"))
            if err:
                st.error(err)


def _save_review(
    followup_id: uuid.UUID, action_id: uuid.UUID, mark_key: str, note_key: str
) -> None:
    mark = st.session_state.get(mark_key)
    if not mark:
        return
    run(
        followups.review_action,
        followup_id,
        action_id,
        mark,
        st.session_state.get(note_key, ""),
        error_key=ns(followup_id, "rev", action_id, "err"),
        ok="Avstämningen är sparad.",
    )


def _signals(since: signals.MeetingSignals) -> None:
    """Signals about the units since the previous meeting (counts and categories only)."""
    with st.container(border=True, key="point1-signals"):
        st.markdown(f"**Signaler** · {plain(since.text)}")
        st.caption(
            f"Lex Sarah, lex Maria, klagomål, synpunkter, IVO-beslut och rapporter som inte "
            f"lämnats in, registrerade för enheten eller utföraren efter "
            f"{sv_date(since.first)} till och med {sv_date(since.last)}. Se sidan Signaler."
        )
