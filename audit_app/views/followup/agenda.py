"""An agenda point: its items with answers (autosaved), what was proposed from them (decided in
place), the staffing figures and evidence."""

import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from audit_app.domain import labels
from audit_app.models import AnswerType, FindingKind, Result, SectionRole
from audit_app.services import evidence, followup_view, followups
from audit_app.ui import actor, db, plain
from audit_app.views.followup.common import (
    KIND_BADGE,
    RESULT_ICON,
    RESULTS,
    ns,
    rerun_alone,
    run,
)
from audit_app.views.followup.plan import decide_buttons, render_plan
from audit_app.views.followup.point1 import render_point_one
from audit_app.views.marker import mark_run_finished
from audit_app.views.staffing_panel import render_staffing_panel

ANSWER_FIELDS = {"res": "result", "com": "comment", "val": "value"}
STAFFING_NOTES = [
    ("personaltathet", "Personaltäthet", "T.ex. 0,8 personal per boende dag, 0,1 natt"),
    ("narvarande_kompetens", "Närvarande kompetens", "T.ex. andel undersköterskor per pass"),
    ("bemanning_kommentar", "Kommentar om bemanningen", ""),
]


def section_drawer(section_key: str, role: SectionRole | None) -> Callable[[uuid.UUID, bool], None]:
    def draw(followup_id: uuid.UUID, editable: bool) -> None:
        if role is SectionRole.previous:
            render_point_one(followup_id, editable)
            st.markdown("##### Frågor")
        if role is SectionRole.staffing:
            _staffing(followup_id, editable)
        if role is SectionRole.action_plan:
            render_plan(followup_id, editable)
            st.markdown("##### Frågor")
        _section(followup_id, editable, section_key)

    return draw


def _section(followup_id: uuid.UUID, editable: bool, section_key: str) -> None:
    with db() as session:
        view = followup_view.section_view(session, actor(), followup_id, section_key)
    st.caption(f"{view.answered} av {len(view.items)} bedömda i avsnittet")
    groups = followup_view.item_groups(view.items)
    group = groups[0]
    if len(groups) > 1:
        by_label = {g.label: g for g in groups}
        first_open = next((g for g in groups if g.answered < len(g.items)), groups[0])
        chosen = st.segmented_control(
            "Område",
            list(by_label),
            default=first_open.label,
            required=True,
            key=ns(followup_id, section_key, "group"),
        )
        group = by_label.get(str(chosen), first_open)
        st.caption(f"{group.answered} av {len(group.items)} bedömda i området")
    only_open = st.toggle("Visa bara ej bedömda", key=ns(followup_id, section_key, "open"))
    for row in group.items:
        if only_open and row.answered:
            continue
        _item(followup_id, editable, row)
    if editable and view.items:
        _evidence_upload(followup_id, section_key, view.items)


def _item(followup_id: uuid.UUID, editable: bool, row: followup_view.ItemView) -> None:
    _item_fragment(followup_id, editable, row.item.key, row)


@st.fragment
def _item_fragment(
    followup_id: uuid.UUID, editable: bool, item_key: str, initial: followup_view.ItemView
) -> None:
    """One item; answering, commenting or deciding its proposal reruns only this item, so the
    revisor never waits for the whole agenda point to be drawn again."""
    alone = rerun_alone(ns(followup_id, "drawn", item_key))
    if alone:
        with db() as session:
            row = followup_view.item_view(session, actor(), followup_id, item_key)
    else:
        row = initial
    item, a = row.item, row.answer
    key = item.key
    with st.container(border=True):
        clause = f"**{plain(item.clause)}** " if item.clause else ""
        st.markdown(f"{clause}{plain(item.text)} {KIND_BADGE[item.kind]}")
        notes = [plain(item.guidance)] if item.guidance else []
        if row.before is not None:
            notes.append(
                f"Förra gången: {RESULT_ICON[row.before]} {labels.RESULT_LABELS[row.before]}"
            )
        if a is not None and a.measured:
            notes.append(f"📊 {plain(a.measured)}")
        if notes:
            st.caption("  \n".join(notes))
        if not editable:
            _read_only(row)
        else:
            if item.is_assessment():
                current = a.result if a and a.result is not Result.ej_bedomd else None
                st.radio(
                    "Bedömning",
                    RESULTS,
                    index=RESULTS.index(current) if current else None,
                    format_func=lambda r: f"{RESULT_ICON[r]} {labels.RESULT_LABELS[r]}",
                    key=ns(followup_id, "res", key),
                    horizontal=True,
                    on_change=_save_answer,
                    args=(followup_id, key, "res", a.result if a else None),
                    label_visibility="collapsed",
                )
            else:
                _value_widget(followup_id, row)
            st.text_input(
                "Kommentar",
                value=a.comment if a else "",
                key=ns(followup_id, "com", key),
                on_change=_save_answer,
                args=(followup_id, key, "com", a.comment if a else None),
                placeholder="Kommentar och vad som granskades",
                label_visibility="collapsed",
            )
            err = st.session_state.get(ns(followup_id, "err", key))
            if err:
                st.error(err)
            if row.conflict:
                _confirm_against_analysis(followup_id, key)
        _proposal(followup_id, editable, row)
        footer = []
        if item.evidence_required and not row.files:
            footer.append("📎 Underlag krävs för den här punkten.")
        footer += [f"📎 {plain(name)} · sha256 {sha[:12]}…" for name, sha in row.files]
        if row.saved_by:
            footer.append(plain(row.saved_by))
        if footer:
            st.caption("  \n".join(footer))
    if alone:
        mark_run_finished()  # the page's own run leaves one marker; a rerun alone its own


def _read_only(row: followup_view.ItemView) -> None:
    a = row.answer
    if row.item.is_assessment():
        result = a.result if a else Result.ej_bedomd
        st.markdown(f"{RESULT_ICON[result]} **{labels.RESULT_LABELS[result]}**")
    elif a and a.value:
        st.markdown(f"Svar: **{plain(row.item.shown_answer(a.value))}** {plain(row.item.unit)}")
    if a and a.comment:
        st.markdown(f"_{plain(a.comment)}_")
    if a and a.override_reason:
        st.caption(f"Bedömningen står fast trots schemagranskningen: {plain(a.override_reason)}")


def _proposal(followup_id: uuid.UUID, editable: bool, row: followup_view.ItemView) -> None:
    """What the answer raised: a proposal to decide here, or the decision."""
    if row.proposal is not None:
        finding = row.proposal
        color = "red" if finding.kind is FindingKind.avvikelse else "orange"
        st.markdown(
            f":{color}[**{followup_view.proposal_label(finding, row.item)}**] – bekräfta, "
            "nedgradera eller avfärda här, eller samlat i åtgärdsplanen."
        )
        if editable:
            decide_buttons(followup_id, finding, f"item.{row.item.key}", item_key=row.item.key)
    elif row.decided is not None:
        what = labels.FINDING_KIND_LABELS[row.decided.kind]
        note = ""
        if row.decided.downgrade_reason:
            note = f" (nedgraderad: {plain(row.decided.downgrade_reason)})"
        st.caption(f"✔ Bekräftad {what.lower()}{note} – åtgärder skrivs i åtgärdsplanen.")
    elif row.dismissed is not None:
        st.caption(f"Förslaget avfärdades: {plain(row.dismissed.reject_reason)}")


def _confirm_against_analysis(followup_id: uuid.UUID, item_key: str) -> None:
    st.warning(
        "Bedömningen är **uppfyllt**, men schemagranskningen visar att åtagandet inte är "
        "uppfyllt. Ändra bedömningen, eller bekräfta den med en motivering (den står i "
        "minnesanteckningarna)."
    )
    with st.form(ns(followup_id, "override", item_key)):
        reason = st.text_input("Motivering *", placeholder="Varför bedömningen står fast")
        if st.form_submit_button("Bekräfta uppfyllt") and run(
            followups.confirm_against_measure,
            followup_id,
            item_key,
            reason,
            ok="Bedömningen är bekräftad.",
        ):
            st.rerun(scope="fragment")


def _value_widget(followup_id: uuid.UUID, row: followup_view.ItemView) -> None:
    item, a = row.item, row.answer
    wkey = ns(followup_id, "val", item.key)
    seen = a.value if a else None
    if item.answer is AnswerType.ja_nej:
        options = ["ja", "nej"]
        current = a.value if a and a.value in options else None
        st.radio(
            "Svar",
            options,
            index=options.index(current) if current else None,
            format_func=str.capitalize,
            key=wkey,
            horizontal=True,
            on_change=_save_answer,
            args=(followup_id, item.key, "val", seen),
        )
        return
    label = {
        AnswerType.tal: f"Svar (tal{', ' + item.unit if item.unit else ''})",
        AnswerType.datum: "Svar (datum ÅÅÅÅ-MM-DD)",
    }.get(item.answer, "Svar")
    st.text_input(
        label,
        value=item.shown_answer(a.value) if a else "",
        key=wkey,
        on_change=_save_answer,
        args=(followup_id, item.key, "val", seen),
    )


def _save_answer(followup_id: uuid.UUID, item_key: str, part: str, seen: Any) -> None:
    """Save one widget of an item (result, comment or value) the moment it changes; if someone
    else saved it since the page was drawn, show theirs and keep nothing of ours."""
    widget = ns(followup_id, part, item_key)
    raw = st.session_state.get(widget)
    value: Any = (
        (raw if isinstance(raw, Result) else Result.ej_bedomd) if part == "res" else str(raw or "")
    )
    run(
        followups.save_assessment,
        followup_id,
        item_key,
        error_key=ns(followup_id, "err", item_key),
        widget=widget,
        seen=seen,
        **{ANSWER_FIELDS[part]: value},
    )


def _evidence_upload(
    followup_id: uuid.UUID, section_key: str, items: list[followup_view.ItemView]
) -> None:
    with st.expander("📎 Ladda upp underlag"):
        options = {r.item.key: followup_view.short_label(r.item) for r in items}
        chosen = st.selectbox(
            "Punkt",
            list(options),
            format_func=options.__getitem__,
            key=ns(followup_id, section_key, "ev.item"),
        )
        upload = st.file_uploader("Fil", key=ns(followup_id, section_key, "ev.file"))
        if upload is not None and st.button(
            "Spara underlag", key=ns(followup_id, section_key, "ev.save")
        ):
            if run(
                evidence.store_evidence,
                followup_id,
                chosen,
                upload.name,
                upload.getvalue(),
                ok="Underlaget är sparat.",
            ):
                st.rerun()


def _staffing(followup_id: uuid.UUID, editable: bool) -> None:
    """Agenda point 2: staffing figures (filled from the schedules, saved field by field)."""
    with db() as session:
        f = followups.visible_followup(session, actor(), followup_id)
        notes = followups.notes_of(session, f.id)
    with st.container(border=True):
        st.markdown("**Aktuell bemanning** (scheman för de senaste två veckorna)")
        for key, label, hint in STAFFING_NOTES:
            if not editable:
                if notes.get(key):
                    st.markdown(f"{label}: {plain(notes[key])}")
                continue
            st.text_input(
                label,
                value=notes.get(key, ""),
                placeholder=hint,
                key=ns(followup_id, "note", key),
                on_change=_save_note,
                args=(followup_id, key, notes.get(key)),
            )
            err = st.session_state.get(ns(followup_id, "note.err", key))
            if err:
                st.error(err)
    render_staffing_panel(f, editable)  # stored analyses are shown read-only too
    with db() as session:
        proposals = followup_view.staffing_proposals(session, actor(), followup_id)
    if proposals:
        st.markdown(f"##### {followup_view.proposals_sentence(proposals)} ur schemagranskningen")
        for finding in proposals:
            with st.container(border=True):
                st.markdown(
                    f"**{labels.FINDING_KIND_LABELS[finding.kind]}** · "
                    f"{plain(finding.clause)} {plain(finding.title)}  \n{plain(finding.description)}"
                )
                if editable:
                    decide_buttons(followup_id, finding, "staffing")


def _save_note(followup_id: uuid.UUID, key: str, seen: str | None) -> None:
    widget = ns(followup_id, "note", key)
    run(
        followups.save_note,
        followup_id,
        key,
        str(st.session_state.get(widget) or ""),
        seen=seen,
        error_key=ns(followup_id, "note.err", key),
        widget=widget,
    )
