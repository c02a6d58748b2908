"""One follow-up: conduct it in the meeting (autosave per answer) or read it once justerad."""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from audit_app.auth import CONDUCT, JUSTERA, display_name
from audit_app.domain import calendar, labels, rules
from audit_app.domain.agenda import AgendaItem, sections_of
from audit_app.domain.svtext import sv_short_moment
from audit_app.errors import NotFound, UserError
from audit_app.models import (
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Method,
    Result,
    ReviewMark,
    Role,
    SectionRole,
)
from audit_app.services import evidence as ev
from audit_app.services import followups as fu
from audit_app.services import registers as reg
from audit_app.services.documents import stored
from audit_app.ui import actor, can, db, flash, plain, plain_label, show_error, show_flash, sv_date
from audit_app.views.documents import render_documents_panel
from audit_app.views.staffing_panel import render_staffing_panel

RESULTS = [Result.uppfyllt, Result.delvis_uppfyllt, Result.ej_uppfyllt, Result.ej_aktuellt]
KIND_BADGE = {
    "ska_krav": ":red-badge[SKA-krav]",
    "bor_krav": ":orange-badge[BÖR-krav]",
    "fraga": "",
}
RESULT_ICON = {
    Result.uppfyllt: "🟢",
    Result.delvis_uppfyllt: "🟡",
    Result.ej_uppfyllt: "🔴",
    Result.ej_aktuellt: "⚪",
    Result.ej_bedomd: "◻️",
}
RESPONSIBLE_ROLES = [
    "Verksamhetschef",
    "Enhetschef",
    "Regionchef",
    "Sjuksköterska",
    "Kvalitetsansvarig",
]


def _ns(followup_id: uuid.UUID, *parts: object) -> str:
    return "fu." + str(followup_id)[:8] + "." + ".".join(str(p) for p in parts)


def _run(
    service: Callable[..., Any],
    *args: Any,
    error_key: str | None = None,
    ok: str | None = None,
    **kwargs: Any,
) -> bool:
    """Call `service(session, actor, *args)` in its own unit of work.

    A Swedish error is shown at once, or kept under `error_key` for the next render (callbacks).
    """
    try:
        with db() as session:
            service(session, actor(), *args, **kwargs)
    except UserError as exc:
        if error_key:
            st.session_state[error_key] = exc.message
        else:
            show_error(exc)
        return False
    if error_key:
        st.session_state.pop(error_key, None)
    if ok:
        st.toast(plain(ok), icon="✅")
    return True


def render(followup_id: uuid.UUID) -> None:
    if st.button("← Alla uppföljningar", key="followup.back"):
        st.session_state.pop("followups.selected", None)
        st.query_params.pop("id", None)
        st.rerun()
    show_flash()
    try:
        with db() as session:
            f = fu.get_followup(session, followup_id)
            units = fu.unit_names(session, [f.id])[f.id]
            contractor = reg.get_contractor(session, f.contractor_id).name
            contract = reg.get_contract(session, f.contract_id) if f.contract_id else None
            recheck = fu.recheck_of(session, f.id)
            previous = fu.get_followup(session, f.previous_id) if f.previous_id else None
            justerad_by = display_name(session, f.justerad_by_id)
            may_justera = fu.may_justera(session, actor(), f)
    except NotFound as exc:
        st.error(plain(exc.message))
        return
    me = actor()
    editable = f.status in (FollowUpStatus.planerad, FollowUpStatus.pagar) and can(CONDUCT)
    st.title(f"{labels.KIND_LABELS[f.kind]} – {plain(', '.join(units))}")
    meta = [contractor, f"{sv_date(f.planned_date)} {f.planned_time}".strip()]
    if f.place:
        meta.append(f.place)
    if contract:
        meta.append(f"Avtal {contract.dnr}")
    if f.reason:
        meta.append(f"Orsak: {labels.REASON_LABELS[f.reason]}")
    st.markdown(" · ".join(plain(m) for m in meta))
    status_line = f"**Status: {labels.STATUS_LABELS[f.status]}** · version {f.doc_version}"
    if justerad_by:
        status_line += f" · justerad av {plain(justerad_by)}"
    if f.correction_reason and f.status is not FollowUpStatus.justerad:
        status_line += f" · rättelse: {plain(f.correction_reason)}"
    st.markdown(status_line)
    if f.methods:
        st.caption("Metod: " + ", ".join(labels.METHOD_LABELS[Method(m)] for m in f.methods))
    if recheck is not None:
        st.info(
            f"Återuppföljning planerad senast **{sv_date(recheck.planned_date)}** "
            "(inom tre månader från mötet, flyttad till närmast föregående arbetsdag vid behov)."
        )
    if previous is not None:
        st.caption(
            f"Fortsätter {labels.KIND_LABELS[previous.kind].lower()} {sv_date(previous.planned_date)}."
        )
    _status_bar(f, me.role, editable, may_justera)
    render_documents_panel(f.id)
    _progress(f)
    _participants(f)
    tabs = _tab_titles(f)
    # The open tab lives in the address (?flik=...), so it survives reruns and reloads, and
    # only the open tab is computed.
    handles = st.tabs([t for t, _ in tabs], key="flik", bind="query-params")
    for handle, (_title, draw) in zip(handles, tabs, strict=True):
        if handle.open is False:
            continue
        with handle:
            draw(f, editable)


# --------------------------------------------------------------------------- header parts


def _status_bar(f: FollowUp, role: Role, editable: bool, may_justera: bool) -> None:
    cols = st.columns(4)
    if f.status is FollowUpStatus.planerad and editable:
        if cols[0].button("Starta uppföljningen", type="primary", key=_ns(f.id, "start")):
            if _run(fu.start_followup, f.id):
                st.rerun()
    if f.status is FollowUpStatus.pagar and editable:
        if cols[0].button("Lämna för justering", type="primary", key=_ns(f.id, "handover")):
            if _run(fu.hand_over, f.id):
                flash("Uppföljningen är lämnad för justering.")
                st.rerun()
    if f.status is FollowUpStatus.klar:
        if may_justera and cols[0].button("Justera", type="primary", key=_ns(f.id, "justera")):
            if _run(stored.justera_and_store, f.id):
                flash("Uppföljningen är justerad och låst.")
                st.rerun()
        if not may_justera:
            cols[0].caption("Väntar på justering av förvaltningschefen eller en annan revisor.")
        if role in (CONDUCT | JUSTERA) and cols[1].button(
            "Skicka tillbaka", key=_ns(f.id, "sendback")
        ):
            if _run(fu.send_back, f.id):
                st.rerun()
    if f.status is FollowUpStatus.justerad:
        st.success("Uppföljningen är justerad och låst. Ändringar görs som en ny version.")
        if role in CONDUCT:
            with st.expander("Rätta som ny version"):
                reason = st.text_area("Anledning till rättelsen *", key=_ns(f.id, "corr.reason"))
                if st.button("Öppna ny version", key=_ns(f.id, "corr.go")):
                    if _run(fu.start_correction, f.id, reason):
                        flash(f"Version {f.doc_version + 1} är öppnad för rättelse.")
                        st.rerun()


def _progress(f: FollowUp) -> None:
    with db() as session:
        assessments = fu.assessments_of(session, f.id)
        comparison = fu.compare_with_previous(session, f)
    answered, total = fu.progress(f, assessments)
    if total:
        st.progress(answered / total, text=f"{answered} av {total} punkter bedömda")
    if comparison and (comparison.improved or comparison.worse):
        titles = {i["key"]: i["text"] for i in f.agenda}
        with st.expander(
            f"Jämfört med förra gången: {len(comparison.improved)} bättre, "
            f"{len(comparison.worse)} sämre, {comparison.same} oförändrade"
        ):
            for key in comparison.improved:
                st.markdown(f"⬆️ {plain(titles.get(key, key))}")
            for key in comparison.worse:
                st.markdown(f"⬇️ {plain(titles.get(key, key))}")


def _participants(f: FollowUp) -> None:
    if not f.participants:
        return
    with st.expander("Deltagare"):
        kommun = [p for p in f.participants if p.get("side") == "kommun"]
        utforare = [p for p in f.participants if p.get("side") != "kommun"]
        c1, c2 = st.columns(2)
        for column, title, people in ((c1, "Kommunen", kommun), (c2, "Utföraren", utforare)):
            lines = [f"- {plain(p['name'])}, {plain(p['role'])}" for p in people]
            column.markdown(f"**{title}**\n\n" + "\n".join(lines))


def _tab_titles(f: FollowUp) -> list[tuple[str, Callable[[FollowUp, bool], None]]]:
    """Tabs in agenda order; the policy's points 1 and 4 carry the carried actions and the plan."""
    tabs: list[tuple[str, Callable[[FollowUp, bool], None]]] = []
    sections = sections_of(fu.agenda_of(f))
    roles = {s.role for s in sections}
    if SectionRole.previous not in roles and (
        f.kind in (FollowUpKind.avtal, FollowUpKind.ateruppfoljning) or f.previous_id
    ):
        tabs.append(("Föregående uppföljning", _previous_tab))
    for section in sections:
        drawer = _section_drawer(section.key, section.items, section.role)
        tabs.append((plain_label(section.title or "Frågor"), drawer))
    if not f.agenda:
        tabs.append(("Checklista", _no_agenda))
    tabs.append(("Iakttagelser", _findings_tab))
    if SectionRole.action_plan not in roles:
        tabs.append(("Åtgärdsplan", _actions_tab))
    tabs.append(("Versioner", _versions_tab))
    return tabs


def _no_agenda(f: FollowUp, editable: bool) -> None:
    if f.status is FollowUpStatus.planerad:
        st.info("Checklistan läggs upp när uppföljningen startas.")
    else:
        st.info("Den här uppföljningen har ingen checklista.")


# --------------------------------------------------------------------------- point 1


def _previous_tab(f: FollowUp, editable: bool) -> None:
    with db() as session:
        carried = fu.carried_actions(session, f)
        reviews = fu.reviews_of(session, f.id)
        names = fu.unit_names(session, list({o.id for o, _, _ in carried}))
    if not carried:
        st.info("Det finns inga öppna åtgärder från tidigare uppföljningar.")
        return
    st.caption(
        "Alla åtgärder från tidigare uppföljningar som inte är verifierade. Markera var och en; "
        "bara **Verifierad** (med en anteckning om underlaget) stänger åtgärden."
    )
    marks = list(labels.REVIEW_MARK_LABELS)
    for origin, finding, action in carried:
        review = reviews.get(action.id)
        current = rules.mark_of(review.status) if review else None
        with st.container(border=True):
            overdue = (
                " · ⚠️ **försenad**" if fu.is_overdue(action, f.planned_date) and not review else ""
            )
            st.markdown(
                f"**{plain(action.what)}**  \n{plain(finding.title)} · ansvarig: "
                f"{plain(action.responsible)} · klart senast {sv_date(action.due_date)}{overdue}  \n"
                f":gray[Från {labels.KIND_LABELS[origin.kind].lower()} {sv_date(origin.planned_date)}"
                f" ({plain(', '.join(names.get(origin.id, [])))}) · status före mötet: "
                f"{labels.ACTION_STATUS_LABELS[action.status] if not review else '–'}]"
            )
            if not editable:
                if review:
                    st.markdown(
                        f"Avstämning: **{labels.REVIEW_MARK_LABELS[current or ReviewMark.kvarstar]}** – "
                        + plain(review.comment)
                    )
                continue
            c1, c2 = st.columns([2, 3])
            mark_key = _ns(f.id, "rev", action.id, "mark")
            note_key = _ns(f.id, "rev", action.id, "note")
            c1.radio(
                "Avstämning",
                marks,
                index=marks.index(current) if current else None,
                format_func=labels.REVIEW_MARK_LABELS.__getitem__,
                key=mark_key,
                horizontal=True,
                on_change=_save_review,
                args=(f.id, action.id, mark_key, note_key),
            )
            c2.text_input(
                "Kommentar / underlag som visats",
                value=review.comment if review else "",
                key=note_key,
                on_change=_save_review,
                args=(f.id, action.id, mark_key, note_key),
            )
            err = st.session_state.get(_ns(f.id, "rev", action.id, "err"))
            if err:
                st.error(plain(err))


def _save_review(
    followup_id: uuid.UUID, action_id: uuid.UUID, mark_key: str, note_key: str
) -> None:
    mark = st.session_state.get(mark_key)
    note = st.session_state.get(note_key, "")
    if not mark:
        return
    _run(
        fu.review_action,
        followup_id,
        action_id,
        mark,
        note,
        error_key=_ns(followup_id, "rev", action_id, "err"),
        ok="Avstämningen är sparad.",
    )


# --------------------------------------------------------------------------- checklist sections


def _section_drawer(
    section_key: str, items: list[AgendaItem], role: SectionRole | None
) -> Callable[[FollowUp, bool], None]:
    def draw(f: FollowUp, editable: bool) -> None:
        if role is SectionRole.previous:
            st.markdown("##### Åtgärder från tidigare uppföljningar")
            _previous_tab(f, editable)
            st.markdown("##### Frågor")
        if role is SectionRole.action_plan:
            st.markdown("##### Åtgärdsplan")
            _actions_tab(f, editable)
            st.markdown("##### Frågor")
        _section(f, editable, section_key, items, role)

    return draw


def _section(
    f: FollowUp,
    editable: bool,
    section_key: str,
    items: list[AgendaItem],
    role: SectionRole | None,
) -> None:
    with db() as session:
        assessments = fu.assessments_of(session, f.id)
        previous = fu.assessments_of(session, f.previous_id) if f.previous_id else {}
        evidence = ev.evidence_of(session, f.id)
    if role is SectionRole.staffing:
        _staffing_block(f, editable)
    answered = sum(1 for i in items if i.is_answered(assessments.get(i.key)))
    st.caption(f"{answered} av {len(items)} bedömda i avsnittet")
    only_open = st.toggle("Visa bara ej bedömda", key=_ns(f.id, section_key, "open"))
    for item in items:
        a = assessments.get(item.key)
        if only_open and item.is_answered(a):
            continue
        _item(f, editable, item, a, previous.get(item.key), evidence.get(item.key, []))
    if editable:
        _evidence_upload(f, section_key, items)


def _item(
    f: FollowUp, editable: bool, item: AgendaItem, a: Any, before: Any, files: list[Any]
) -> None:
    key = item.key
    with st.container(border=True):
        clause = f"**{plain(item.clause)}** " if item.clause else ""
        badge = KIND_BADGE.get(item.kind.value, "")
        st.markdown(f"{clause}{plain(item.text)} {badge}")
        if item.guidance:
            st.caption(plain(item.guidance))
        if before is not None and before.result is not Result.ej_bedomd:
            st.caption(
                f"Förra gången: {RESULT_ICON[before.result]} {labels.RESULT_LABELS[before.result]}"
            )
        if not editable:
            if item.is_assessment():
                result = a.result if a else Result.ej_bedomd
                st.markdown(f"{RESULT_ICON[result]} **{labels.RESULT_LABELS[result]}**")
            elif a and a.value:
                st.markdown(f"Svar: **{plain(a.value)}** {plain(item.unit)}")
            if a and a.comment:
                st.markdown(f"_{plain(a.comment)}_")
        else:
            if item.is_assessment():
                current = a.result if a and a.result is not Result.ej_bedomd else None
                st.radio(
                    "Bedömning",
                    RESULTS,
                    index=RESULTS.index(current) if current else None,
                    format_func=lambda r: f"{RESULT_ICON[r]} {labels.RESULT_LABELS[r]}",
                    key=_ns(f.id, "res", key),
                    horizontal=True,
                    on_change=_save_answer,
                    args=(f.id, key, "res"),
                    label_visibility="collapsed",
                )
            else:
                _value_widget(f, item, a)
            st.text_input(
                "Kommentar",
                value=a.comment if a else "",
                key=_ns(f.id, "com", key),
                on_change=_save_answer,
                args=(f.id, key, "com"),
                placeholder="Kommentar och vad som granskades",
                label_visibility="collapsed",
            )
            err = st.session_state.get(_ns(f.id, "err", key))
            if err:
                st.error(plain(err))
        if item.evidence_required and not files:
            st.caption("📎 Underlag krävs för den här punkten.")
        for file in files:
            st.caption(f"📎 {plain(file.filename)} · sha256 {file.sha256[:12]}…")


def _value_widget(f: FollowUp, item: AgendaItem, a: Any) -> None:
    key = item.key
    answer = item.answer.value
    wkey = _ns(f.id, "val", key)
    if answer == "ja_nej":
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
            args=(f.id, key, "val"),
        )
    else:
        unit = item.unit
        label = {
            "tal": f"Svar (tal{', ' + plain(unit) if unit else ''})",
            "datum": "Svar (datum ÅÅÅÅ-MM-DD)",
        }.get(str(answer), "Svar")
        st.text_input(
            label,
            value=a.value if a else "",
            key=wkey,
            on_change=_save_answer,
            args=(f.id, key, "val"),
        )


ANSWER_FIELDS = {"res": "result", "com": "comment", "val": "value"}


def _save_answer(followup_id: uuid.UUID, item_key: str, part: str) -> None:
    """Save one widget of an item (result, comment or value) the moment it changes."""
    raw = st.session_state.get(_ns(followup_id, part, item_key))
    if part == "res":
        value: Any = raw if isinstance(raw, Result) else Result.ej_bedomd
    else:
        value = str(raw or "")
    _run(
        fu.save_assessment,
        followup_id,
        item_key,
        error_key=_ns(followup_id, "err", item_key),
        **{ANSWER_FIELDS[part]: value},
    )


def _evidence_upload(f: FollowUp, section_key: str, items: list[AgendaItem]) -> None:
    with st.expander("📎 Ladda upp underlag"):
        options = {i.key: i.label[:90] for i in items}
        chosen = st.selectbox(
            "Punkt",
            list(options),
            format_func=options.__getitem__,
            key=_ns(f.id, section_key, "ev.item"),
        )
        upload = st.file_uploader("Fil", key=_ns(f.id, section_key, "ev.file"))
        if upload is not None and st.button(
            "Spara underlag", key=_ns(f.id, section_key, "ev.save")
        ):
            data = upload.getvalue()
            name = upload.name
            if _run(
                ev.store_evidence,
                f.id,
                chosen,
                name,
                data,
                ok=f"Underlaget {name} är sparat.",
            ):
                st.rerun()


def _staffing_block(f: FollowUp, editable: bool) -> None:
    """Agenda point 2: staffing figures (filled from the schedules by the staffing review)."""
    notes = f.notes or {}
    fields = [
        ("personaltathet", "Personaltäthet", "T.ex. 0,8 personal per boende dag, 0,1 natt"),
        ("narvarande_kompetens", "Närvarande kompetens", "T.ex. andel undersköterskor per pass"),
        ("bemanning_kommentar", "Kommentar om bemanningen", ""),
    ]
    with st.container(border=True):
        st.markdown("**Aktuell bemanning** (scheman för de senaste två veckorna)")
        if not editable:
            for key, label, _ in fields:
                if notes.get(key):
                    st.markdown(f"{label}: {plain(notes[key])}")
        else:
            with st.form(_ns(f.id, "staffing.form")):
                values = {
                    key: st.text_input(label, value=notes.get(key, ""), placeholder=hint)
                    for key, label, hint in fields
                }
                if st.form_submit_button("Spara bemanning"):
                    _run(
                        fu.save_notes,
                        f.id,
                        values,
                        ok="Bemanningen är sparad.",
                    )
    render_staffing_panel(f, editable)  # stored analyses are shown read-only too


# --------------------------------------------------------------------------- findings


def _findings_tab(f: FollowUp, editable: bool) -> None:
    with db() as session:
        findings = fu.findings_of(session, f.id)
    proposals = [x for x in findings if x.status is FindingStatus.foreslagen]
    confirmed = [x for x in findings if x.status in (FindingStatus.bekraftad, FindingStatus.stangd)]
    rejected = [x for x in findings if x.status is FindingStatus.avfardad]
    if proposals:
        st.subheader(f"Föreslagna avvikelser ({len(proposals)})")
        st.caption(
            "Ett SKA-krav som inte är uppfyllt föreslås som avvikelse. Bekräfta eller nedgradera."
        )
    for finding in proposals:
        with st.container(border=True):
            st.markdown(
                f"**{labels.FINDING_KIND_LABELS[finding.kind]}** · {plain(finding.clause)} "
                f"{plain(finding.title)}  \n:gray[{plain(finding.area)}] {plain(finding.description)}"
            )
            if not editable:
                continue
            c1, c2 = st.columns([1, 2])
            fid = finding.id
            if c1.button(
                "Bekräfta" + (" avvikelse" if finding.kind is FindingKind.avvikelse else ""),
                key=_ns(f.id, "conf", fid),
                type="primary",
            ) and _run(fu.confirm_finding, fid, ok="Bekräftad."):
                st.rerun()
            with c2.popover("Nedgradera till förbättringsområde"):
                reason = st.text_input("Anledning *", key=_ns(f.id, "down.reason", fid))
                if st.button("Nedgradera", key=_ns(f.id, "down", fid)) and _run(
                    fu.downgrade_finding, fid, reason, ok="Nedgraderad till förbättringsområde."
                ):
                    st.rerun()
    st.subheader("Avvikelser och förbättringsområden")
    if confirmed:
        frame = pd.DataFrame(
            [
                {
                    "Typ": labels.FINDING_KIND_LABELS[x.kind],
                    "Avtalspunkt": x.clause,
                    "Rubrik": x.title,
                    "Beskrivning": x.description,
                    "Status": labels.FINDING_STATUS_LABELS[x.status],
                    "Nedgraderad därför att": x.downgrade_reason,
                    "Till utskottet": x.for_committee,
                }
                for x in confirmed
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
                key=_ns(f.id, "findings.table", len(confirmed)),
            )
            for finding, flag in zip(confirmed, edited["Till utskottet"], strict=True):
                if bool(flag) != finding.for_committee:
                    _run(fu.set_for_committee, finding.id, bool(flag), ok="Sparat.")
        else:
            st.dataframe(frame, hide_index=True, width="stretch", column_config=config)
    else:
        st.caption("Inga bekräftade iakttagelser än.")
    if rejected:
        st.caption(f"{len(rejected)} förslag är avfärdade (resultatet ändrades).")
    if editable:
        _add_finding_form(f)


def _add_finding_form(f: FollowUp) -> None:
    with st.expander("Lägg till iakttagelse"):
        items = {"": "(ingen punkt)"} | {
            i["key"]: (f"{i['clause']} " if i.get("clause") else "") + i["text"][:80]
            for i in f.agenda
        }
        with st.form(_ns(f.id, "addfinding"), clear_on_submit=True):
            kind = st.selectbox(
                "Typ",
                list(FindingKind),
                format_func=labels.FINDING_KIND_LABELS.__getitem__,
            )
            title = st.text_input("Rubrik *")
            description = st.text_area("Beskrivning", height=80)
            item_key = st.selectbox("Gäller punkt", list(items), format_func=items.__getitem__)
            for_committee = st.checkbox("Får citeras i rapporten till utskottet")
            if st.form_submit_button("Lägg till"):
                if _run(
                    fu.add_finding,
                    f.id,
                    kind or FindingKind.iakttagelse,
                    title,
                    description,
                    item_key=item_key or None,
                    for_committee=for_committee,
                    ok="Iakttagelsen är tillagd.",
                ):
                    st.rerun()


# --------------------------------------------------------------------------- action plan


def _actions_tab(f: FollowUp, editable: bool) -> None:
    with db() as session:
        findings = [
            x
            for x in fu.findings_of(session, f.id)
            if x.status in (FindingStatus.bekraftad, FindingStatus.stangd)
            and x.kind in (FindingKind.avvikelse, FindingKind.forbattringsomrade)
        ]
        actions = {x.id: fu.actions_of(session, x.id) for x in findings}
        recheck = fu.recheck_of(session, f.id)
    if recheck is not None:
        st.markdown(
            f"Nästa uppföljning (återuppföljning): **senast {sv_date(recheck.planned_date)}**"
        )
    if not findings:
        st.info("Inga bekräftade avvikelser eller förbättringsområden: ingen åtgärdsplan behövs.")
        return
    today = date.today()
    for finding in findings:
        with st.container(border=True):
            missing = finding.kind is FindingKind.avvikelse and not actions[finding.id]
            st.markdown(
                f"**{labels.FINDING_KIND_LABELS[finding.kind]}: {plain(finding.clause)} "
                f"{plain(finding.title)}**"
                + ("  \n:red[Avvikelsen saknar åtgärd.]" if missing else "")
            )
            rows = actions[finding.id]
            if rows:
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                "Åtgärd": a.what,
                                "Ansvarig": a.responsible,
                                "Klart senast": a.due_date,
                                "Status": labels.ACTION_STATUS_LABELS[a.status],
                                "Försenad": "⚠️" if fu.is_overdue(a, today) else "",
                            }
                            for a in rows
                        ]
                    ),
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "Klart senast": st.column_config.DateColumn(format="YYYY-MM-DD")
                    },
                )
            if editable:
                _action_form(
                    f,
                    finding.id,
                    recheck.planned_date if recheck else calendar.recheck_date(f.planned_date),
                )


def _action_form(f: FollowUp, finding_id: uuid.UUID, default_due: date) -> None:
    with st.form(_ns(f.id, "act", finding_id), clear_on_submit=True):
        c1, c2, c3 = st.columns([3, 2, 1.4])
        what = c1.text_input("Åtgärd *", placeholder="Vad ska utföraren göra?")
        responsible = c2.selectbox(
            "Ansvarig (roll hos utföraren) *", RESPONSIBLE_ROLES, accept_new_options=True
        )
        due = c3.date_input("Klart senast", value=default_due, format="YYYY-MM-DD")
        if st.form_submit_button("Lägg till åtgärd"):
            if _run(
                fu.add_action,
                finding_id,
                what,
                responsible or "",
                due,
                ok="Åtgärden är tillagd.",
            ):
                st.rerun()


# --------------------------------------------------------------------------- versions


def _versions_tab(f: FollowUp, editable: bool) -> None:
    with db() as session:
        versions = fu.versions_of(session, f.id)
    if not versions:
        st.info("Uppföljningen har ingen justerad version än.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Version": v.version,
                    "Justerad": sv_short_moment(v.created_at),
                    "Av": v.snapshot.get("justerad_by") or "",
                    "Anledning till rättelse": v.reason,
                }
                for v in versions
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    if len(versions) >= 2:
        numbers = [v.version for v in versions]
        c1, c2 = st.columns(2)
        a = c1.selectbox("Jämför version", numbers, index=len(numbers) - 2, key=_ns(f.id, "v.a"))
        b = c2.selectbox("med version", numbers, index=len(numbers) - 1, key=_ns(f.id, "v.b"))
        old = next(v for v in versions if v.version == a)
        new = next(v for v in versions if v.version == b)
        lines = fu.snapshot_diff(old.snapshot, new.snapshot)
        st.markdown(
            "\n".join(f"- {plain(line)}" for line in lines) if lines else "Inga skillnader."
        )
    chosen = st.selectbox(
        "Visa version",
        [v.version for v in versions],
        index=len(versions) - 1,
        key=_ns(f.id, "v.show"),
    )
    snap = next(v for v in versions if v.version == chosen).snapshot
    titles = {i["key"]: i for i in snap.get("agenda", [])}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Punkt": (titles.get(k, {}).get("clause") or "")
                    + " "
                    + titles.get(k, {}).get("text", k),
                    "Bedömning": labels.RESULT_LABELS[Result(v["result"])],
                    "Svar": v["value"],
                    "Kommentar": v["comment"],
                }
                for k, v in snap["assessments"].items()
            ]
        ),
        hide_index=True,
        width="stretch",
    )
