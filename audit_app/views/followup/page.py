"""The follow-up page: header, status with the hand-over and justering dialogs, and the tabs of
the policy's agenda points (only the open tab is computed)."""

import uuid
from collections.abc import Callable

import streamlit as st

from audit_app.auth import CONDUCT, JUSTERA
from audit_app.domain.svtext import AVVIKELSE, FORBATTRINGSOMRADE, IAKTTAGELSE, count, sv_date
from audit_app.models import FindingKind, FollowUpKind, FollowUpStatus, SectionRole
from audit_app.services import followup_view, followups
from audit_app.services.documents import stored
from audit_app.ui import actor, db, flash, load, plain, show_flash
from audit_app.views.documents import render_documents_panel
from audit_app.views.followup.agenda import section_drawer
from audit_app.views.followup.common import fragment_rerun, new_page_run, ns, run
from audit_app.views.followup.plan import render_plan
from audit_app.views.followup.point1 import render_point_one
from audit_app.views.followup.versions import render_versions
from audit_app.views.marker import mark_run_finished

Draw = Callable[[uuid.UUID, bool], None]


def render(followup_id: uuid.UUID) -> None:
    new_page_run()
    if st.button("← Alla uppföljningar", key="followup.back"):
        st.session_state.pop("followups.selected", None)
        st.query_params.pop("id", None)
        st.rerun()
    show_flash()
    head = _header(followup_id)
    if head is None:
        return
    f = head.followup
    st.title(plain(head.title))
    st.markdown(plain(head.meta))
    st.markdown(f"**{plain(head.status)}**")
    if head.methods:
        st.caption("Metod: " + plain(head.methods))
    if head.recheck is not None:
        st.info(
            f"Återuppföljning planerad senast **{sv_date(head.recheck)}** "
            "(inom tre månader från mötet, flyttad till närmast föregående arbetsdag vid behov)."
        )
    if head.continues:
        st.caption(plain(head.continues))
    _status_bar(head)
    render_documents_panel(f.id)
    _agenda(f.id, head)


def _header(followup_id: uuid.UUID) -> followup_view.Header | None:
    """The top of the page as the reader may see it, or None after saying why not."""
    return load(lambda session: followup_view.header(session, actor(), followup_id))


@st.fragment
def _agenda(followup_id: uuid.UUID, initial: followup_view.Header) -> None:
    """Progress, participants and the tabs of the agenda. Choosing a tab or an area reruns only
    this part (the progress is counted again; the header, status and documents above stay as
    they are), so the revisor waits only for what is being opened."""
    alone = fragment_rerun(ns(followup_id, "drawn", "tabs"))
    head = _header(followup_id) if alone else initial
    if head is None:
        return
    _progress(followup_id)
    _participants(head.followup.participants)
    tabs = _tabs(head)
    # The open tab lives in the address (?flik=...), so it survives reruns and reloads, and
    # only the open tab is computed.
    handles = st.tabs([t for t, _ in tabs], key="flik", bind="query-params")
    for handle, (_title, draw) in zip(handles, tabs, strict=True):
        if handle.open is False:
            continue
        with handle:
            draw(followup_id, head.editable)
    if alone:
        mark_run_finished()


def _tabs(head: followup_view.Header) -> list[tuple[str, Draw]]:
    f = head.followup
    roles = {s.role for s in head.sections}
    tabs: list[tuple[str, Draw]] = []
    if SectionRole.previous not in roles and (
        f.kind in (FollowUpKind.avtal, FollowUpKind.ateruppfoljning) or f.previous_id
    ):
        tabs.append(("Föregående uppföljning", render_point_one))
    for section in head.sections:
        tabs.append((section.title or "Frågor", section_drawer(section.key, section.role)))
    if not head.sections:
        tabs.append(("Checklista", _no_agenda))
    if SectionRole.action_plan not in roles:
        tabs.append(("Iakttagelser och åtgärder", render_plan))
    tabs.append(("Versioner", render_versions))
    return tabs


def _no_agenda(followup_id: uuid.UUID, editable: bool) -> None:
    if editable:
        st.info("Checklistan läggs upp när uppföljningen startas.")
    else:
        st.info("Den här uppföljningen har ingen checklista.")


# --------------------------------------------------------------------------- status


def _status_bar(head: followup_view.Header) -> None:
    f = head.followup
    role = actor().role
    cols = st.columns(4)
    if f.status is FollowUpStatus.planerad and head.editable:
        if cols[0].button("Starta uppföljningen", type="primary", key=ns(f.id, "start")):
            if run(followups.start_followup, f.id):
                st.rerun()
    if f.status is FollowUpStatus.pagar and head.editable:
        if cols[0].button("Lämna för justering", type="primary", key=ns(f.id, "handover")):
            _handover_dialog(f.id)
    if f.status is FollowUpStatus.klar:
        if head.may_justera:
            if cols[0].button("Justera", type="primary", key=ns(f.id, "justera")):
                _justera_dialog(f.id)
        elif role in JUSTERA | CONDUCT and head.justera_refusal:
            cols[0].caption(head.justera_refusal)
        if role in CONDUCT | JUSTERA and cols[1].button(
            "Skicka tillbaka", key=ns(f.id, "sendback")
        ):
            if run(followups.send_back, f.id):
                st.rerun()
    if f.status is FollowUpStatus.justerad:
        st.success("Uppföljningen är justerad och låst. Ändringar görs som en ny version.")
        if role in CONDUCT:
            with st.expander("Rätta som ny version"):
                reason = st.text_area("Anledning till rättelsen *", key=ns(f.id, "corr.reason"))
                if st.button("Öppna ny version", key=ns(f.id, "corr.go")):
                    if run(followups.start_correction, f.id, reason):
                        flash(f"Version {f.doc_version + 1} är öppnad för rättelse.")
                        st.rerun()


@st.dialog("Lämna för justering", width="large")
def _handover_dialog(followup_id: uuid.UUID) -> None:
    with db() as session:
        check = followups.handover_check(
            session, followups.visible_followup(session, actor(), followup_id)
        )
    if check.problems:
        st.error(
            "Uppföljningen kan inte lämnas för justering än:\n\n"
            + "\n".join(f"- {plain(p)}" for p in check.problems)
        )
        return
    n = check.unassessed_count
    confirmed = True
    if n:
        st.warning(
            f"{'En punkt är' if n == 1 else f'{n} punkter är'} inte bedömda. De står som "
            "obedömda i minnesanteckningarna."
        )
        for section in check.unassessed:
            st.markdown(f"**{plain(section.title)}** ({len(section.items)})")
            st.markdown("\n".join(f"- {plain(i)}" for i in section.items[:40]))
            if len(section.items) > 40:
                st.caption(f"… och {len(section.items) - 40} till.")
        confirmed = st.checkbox(
            f"Jag bekräftar att {'punkten lämnas obedömd' if n == 1 else f'de {n} punkterna lämnas obedömda'}.",
            key=ns(followup_id, "handover.confirm"),
        )
    else:
        st.markdown("Alla punkter är bedömda.")
    st.caption("Därefter kan uppföljningen bara ändras om den skickas tillbaka.")
    if st.button(
        "Lämna för justering", type="primary", disabled=not confirmed, key=ns(followup_id, "ho.go")
    ) and run(followups.hand_over, followup_id, unassessed_confirmed=n):
        flash("Uppföljningen är lämnad för justering.")
        st.rerun()


@st.dialog("Justera uppföljningen", width="large")
def _justera_dialog(followup_id: uuid.UUID) -> None:
    with db() as session:
        f = followups.visible_followup(session, actor(), followup_id)
        summary = followups.justera_summary(session, f)
    kinds = summary.findings
    found = [
        count(kinds.get(FindingKind.avvikelse, 0), AVVIKELSE),
        count(kinds.get(FindingKind.forbattringsomrade, 0), FORBATTRINGSOMRADE),
        count(kinds.get(FindingKind.iakttagelse, 0), IAKTTAGELSE),
    ]
    st.markdown(
        f"Version {summary.version} låses, så som den är sparad nu:\n\n"
        f"- {summary.answered} av {summary.total} punkter bedömda\n"
        f"- {', '.join(found)}\n"
        f"- {summary.actions} åtgärder i åtgärdsplanen\n"
        + "".join(f"- {d}\n" for d in summary.documents)
    )
    st.caption(
        "Efter justering kan ingen ändra uppföljningen; en rättelse blir en ny version med "
        "angiven anledning, och den justerade versionen finns kvar."
    )
    if st.button("Justera och lås", type="primary", key=ns(followup_id, "justera.go")) and run(
        stored.justera_and_store, followup_id
    ):
        flash("Uppföljningen är justerad och låst.")
        st.rerun()


# --------------------------------------------------------------------------- progress


def _progress(followup_id: uuid.UUID) -> None:
    with db() as session:
        f = followups.visible_followup(session, actor(), followup_id)
        answered, total = followups.progress(f, followups.assessments_of(session, f.id))
        comparison = followups.compare_with_previous(session, f)
        titles = {i.key: i.label for i in followups.agenda_of(f)}
    if total:
        st.progress(answered / total, text=f"{answered} av {total} punkter bedömda")
    if comparison and (comparison.improved or comparison.worse):
        with st.expander(
            f"Jämfört med förra gången: {len(comparison.improved)} bättre, "
            f"{len(comparison.worse)} sämre, {comparison.same} oförändrade"
        ):
            for key in comparison.improved:
                st.markdown(f"⬆️ {plain(titles.get(key, key))}")
            for key in comparison.worse:
                st.markdown(f"⬇️ {plain(titles.get(key, key))}")


def _participants(participants: list[dict[str, str]]) -> None:
    if not participants:
        return
    with st.expander("Deltagare"):
        c1, c2 = st.columns(2)
        for column, side, title in ((c1, "kommun", "Kommunen"), (c2, "utforare", "Utföraren")):
            people = [p for p in participants if (p.get("side") == "kommun") == (side == "kommun")]
            column.markdown(
                f"**{title}**\n\n"
                + "\n".join(f"- {plain(p.get('name'))}, {plain(p.get('role'))}" for p in people)
            )
