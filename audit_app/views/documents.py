"""Documents: the download panel of a follow-up, and the page "Dokument och mallar".

`render_documents_panel(followup_id)` is called from the follow-up page. `render()` is a page:
period reports for everyone (kvartalssammanställning, kvalitetsberättelse, åtgärdsregister), and
the Word templates (download for everyone, upload and reset for admins).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import NoReturn

import streamlit as st

from audit_app.auth import MANAGE_TEMPLATES
from audit_app.errors import UserError
from audit_app.services import registers
from audit_app.services.documents import (
    case,
    exports,
    filenames,
    period,
    registry,
    reports,
    stored,
    templates,
)
from audit_app.services.overview.register import register_filter
from audit_app.ui import actor, can, db, load, show_error, write
from audit_app.ui import sv_date as ui_date
from audit_app.views.document_settings import render_settings
from audit_app.views.widgets import choice_or_none, download

PDF_HELP = "PDF görs med LibreOffice på servern och tar några sekunder."


# --------------------------------------------------------------------------- follow-up panel


def render_documents_panel(followup_id: uuid.UUID) -> None:
    """Download buttons for one follow-up: minutes (.docx, PDF), committee report, Excel.

    A justerad follow-up serves its stored minutes (the same bytes every time); the other
    documents are made when their button is clicked, so the page stays fast.
    """
    key = f"docs.{str(followup_id)[:8]}"
    me = actor()  # download functions run outside the page's session: take the actor now
    panel = load(lambda session: stored.documents_panel(session, actor(), followup_id))
    if panel is None:
        return
    st.markdown("**Dokument**")
    kept = panel.stored
    if kept is not None:
        st.caption(
            f"Justerad version {panel.version}: minnesanteckningarna är låsta och lämnas ut exakt "
            f"som de skapades ({kept.created_at:%Y-%m-%d %H:%M} UTC, SHA-256 "
            f"{kept.sha256[:16]}…)."
        )
    else:
        st.caption("Utkast: dokumenten skapas av det som är sparat just nu och märks UTKAST.")

    def make_minutes() -> bytes:
        with db() as s:
            return stored.minutes_document(s, me, followup_id).content

    def make_committee() -> bytes:
        with db() as s:
            return stored.minutes_document(s, me, followup_id, committee=True).content

    def make_excel() -> bytes:
        with db() as s:
            return exports.followup_workbook(s, me, followup_id)

    c1, c2, c3, c4 = st.columns([3, 2, 3, 2])
    download(
        c1,
        "Minnesanteckningar (Word)",
        kept.content if kept is not None else make_minutes,
        panel.minutes_name,
        key=f"{key}.minutes",
        icon=":material/description:",
        type="primary" if panel.locked else "secondary",
    )
    reason = panel.pdf_unavailable
    pdf_key = f"{key}.pdf.{panel.version}.{'locked' if panel.locked else 'draft'}"
    with c2:
        if reason is not None:
            st.button(
                "Minnesanteckningar (PDF)",
                disabled=True,
                help=reason,
                key=f"{key}.pdf.off",
                icon=":material/picture_as_pdf:",
            )
            st.caption(reason)
        elif pdf_key in st.session_state:
            download(
                st,
                "Ladda ned PDF",
                st.session_state[pdf_key],
                panel.pdf_name,
                key=f"{key}.pdf.get",
                icon=":material/picture_as_pdf:",
            )
        elif st.button(
            "Skapa PDF", key=f"{key}.pdf.make", icon=":material/picture_as_pdf:", help=PDF_HELP
        ):
            try:
                with st.spinner("Skapar PDF …"), db() as s:
                    st.session_state[pdf_key] = stored.minutes_pdf(s, actor(), followup_id)
            except UserError as exc:
                show_error(exc)
            else:
                st.rerun()
    download(
        c3,
        "Tjänsteskrivelse (Word)",
        make_committee,
        panel.committee_name,
        key=f"{key}.committee",
        icon=":material/gavel:",
        help="Tjänsteskrivelsen till utskottet: roller i stället för namn för utförarens "
        "personal, fritext bara där den är markerad för nämnden. Lagrad när den är lagrad nedan, "
        "annars gjord av uppgifterna just nu.",
    )
    download(
        c4,
        "Excel-export",
        make_excel,
        panel.excel_name,
        key=f"{key}.excel",
        icon=":material/table:",
    )
    _case_panel(followup_id, key)


# --------------------------------------------------------------------------- after the justering


def _case_panel(followup_id: uuid.UUID, key: str) -> None:
    """The minutes sent to the contractor, the contractor's comments, and the tjänsteskrivelse's
    case (diarienummer, bedömning, storing): written once the minutes are justerade."""
    view = load(lambda session: case.committee_case(session, actor(), followup_id))
    if view is None:
        return
    message = st.session_state.pop(f"{key}.case.flash", None)
    if message:
        st.success(message)
    if not view.justerad:
        st.caption(
            "När minnesanteckningarna är justerade registreras här när de skickades till "
            "utföraren och utförarens synpunkter, och tjänsteskrivelsen till utskottet förbereds."
        )
        return
    may_write = can(case.RECORD)
    left, right = st.columns(2, gap="large")
    with left:
        _dispatch(followup_id, key, view, may_write)
    with right:
        _committee(followup_id, key, view, may_write)


def _saved(key: str, message: str) -> NoReturn:
    st.session_state[f"{key}.case.flash"] = message
    st.rerun()


def _dispatch(followup_id: uuid.UUID, key: str, view: case.CommitteeCase, may_write: bool) -> None:
    st.markdown("**Till utföraren**")
    if view.minutes_sent_on:
        st.caption(f"Minnesanteckningarna skickades {ui_date(view.minutes_sent_on)}.")
    if view.comments:
        st.caption(f"Utförarens synpunkter, inkomna {ui_date(view.comments_on)}: {view.comments}")
    elif view.minutes_sent_on:
        st.caption("Inga synpunkter från utföraren är registrerade.")
    if not may_write:
        if not view.minutes_sent_on:
            st.caption("Minnesanteckningarna är inte registrerade som skickade.")
        return
    with st.form(f"{key}.sent"):
        sent = st.date_input(
            "Skickade till utföraren",
            value=view.minutes_sent_on or view.justerad_on or date.today(),
            format="YYYY-MM-DD",
        )
        if st.form_submit_button("Spara datum", icon=":material/send:"):
            write(
                lambda s: case.record_minutes_sent(s, actor(), followup_id, sent),
                lambda _: _saved(
                    key, f"Minnesanteckningarna registrerade som skickade {ui_date(sent)}."
                ),
            )
    if not view.minutes_sent_on:
        return
    with st.form(f"{key}.comments"):
        received = st.date_input(
            "Synpunkterna inkom",
            value=view.comments_on or date.today(),
            format="YYYY-MM-DD",
        )
        text = st.text_area(
            "Utförarens synpunkter på minnesanteckningarna",
            value=view.comments,
            help="Tom text tar bort synpunkterna. Namn ersätts med roller i tjänsteskrivelsen.",
        )
        if st.form_submit_button("Spara synpunkter", icon=":material/rate_review:"):
            write(
                lambda s: case.record_contractor_comments(s, actor(), followup_id, received, text),
                lambda _: _saved(key, "Utförarens synpunkter är sparade."),
            )


def _committee(followup_id: uuid.UUID, key: str, view: case.CommitteeCase, may_write: bool) -> None:
    st.markdown("**Tjänsteskrivelse till utskottet**")
    kept = view.stored
    if kept is not None:
        st.caption(
            f"Lagrad {kept.created_at:%Y-%m-%d} med diarienummer {view.dnr} (SHA-256 "
            f"{kept.sha256[:16]}…). Den lämnas ut exakt som den lagrades."
        )
        return
    st.caption(
        f"Diarienummer: {view.dnr or 'inte angivet'}. Bedömningen "
        + ("är skriven av handläggaren." if view.assessment_is_own else "är gjord av uppgifterna.")
    )
    if not may_write:
        return
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    with c1, st.form(f"{key}.dnr"):
        dnr = st.text_input("Ärendets diarienummer", value=view.dnr, max_chars=case.MAX_DNR)
        if st.form_submit_button("Spara diarienummer"):
            write(
                lambda s: case.save_committee_case(s, actor(), followup_id, dnr=dnr),
                lambda _: _saved(key, "Diarienumret är sparat."),
            )
    if not view.dnr and c2.button(
        f"Ta nästa nummer ({view.dnr_series_example})",
        key=f"{key}.dnr.take",
        help="Nästa nummer i kommunens diarienummerserie (inställningar).",
    ):
        write(
            lambda s: case.take_committee_dnr(s, actor(), followup_id),
            lambda taken: _saved(key, f"Ärendet har fått diarienummer {taken}."),
        )
    with st.form(f"{key}.assessment"):
        text = st.text_area(
            "Bedömning",
            value=view.assessment,
            height=180,
            help="Texten under rubriken Bedömning. Den är gjord av uppgifterna i uppföljningen; "
            "skriv om den vid behov. En tom rad skiljer stycken.",
        )
        c3, c4 = st.columns(2)
        save = c3.form_submit_button("Spara bedömning", icon=":material/edit_note:")
        reset = c4.form_submit_button(
            "Återställ texten", help="Använd texten som görs av uppgifterna i uppföljningen."
        )
        if save or reset:
            write(
                lambda s: case.save_committee_case(
                    s, actor(), followup_id, assessment="" if reset else text
                ),
                lambda _: _saved(key, "Bedömningen är sparad."),
            )
    if st.button(
        "Lagra tjänsteskrivelsen",
        key=f"{key}.store",
        type="primary",
        disabled=not view.dnr,
        help="Gör tjänsteskrivelsen med dagens datum och spara den oförändrad. Därefter kan "
        "diarienummer och bedömning inte ändras."
        if view.dnr
        else "Ange ärendets diarienummer först.",
        icon=":material/lock:",
    ):
        write(
            lambda s: case.store_committee_report(s, actor(), followup_id),
            lambda _: _saved(key, "Tjänsteskrivelsen är lagrad."),
        )


# --------------------------------------------------------------------------- page


def render() -> None:
    st.title("Dokument och mallar")
    tabs = st.tabs(["Sammanställningar", "Dokumentmallar", "Inställningar"])
    with tabs[0]:
        _reports()
    with tabs[1]:
        _templates()
    with tabs[2]:
        render_settings()


def _reports() -> None:
    me = actor()  # download functions run outside the page's session: take the actor now
    today = date.today()
    years = list(range(today.year, today.year - 6, -1))

    st.subheader("Kvartalsrapport till kvalitetsrådet")
    st.caption(
        "Uppföljningar som hölls under kvartalet, avvikelser per område och åtgärder, med läget "
        "vid kvartalets slut. Ingen beslutspunkt: kvalitetsrådet tar del av och diskuterar. "
        "Roller i stället för namn; fritext bara där den är markerad för nämnden."
    )
    c1, c2, c3 = st.columns([1, 1, 2])
    year = c1.selectbox("År", years, key="docs.quarter.year")
    quarter = c2.selectbox(
        "Kvartal",
        [1, 2, 3, 4],
        index=(today.month - 1) // 3,
        format_func=lambda q: f"Kvartal {q}",
        key="docs.quarter.q",
    )
    dnr = c3.text_input("Dnr (valfritt)", key="docs.quarter.dnr")
    first, last = period.quarter_bounds(int(year), int(quarter))

    def make_quarter() -> bytes:
        with db() as s:
            return reports.render_period_report(s, me, first, last, dnr=dnr.strip())

    download(
        st,
        f"Rapport kvartal {quarter} {year} (Word)",
        make_quarter,
        filenames.period_filename(first, last),
        key="docs.quarter.get",
        icon=":material/summarize:",
    )

    st.subheader("Kvalitetsberättelse – förvaltningens bidrag")
    st.caption(
        "Årets uppföljningar (namn, metod, omfattning, frekvens), resultat, avvikelser per "
        "område och hur de stod vid årets slut, åtgärder, enligt kommunens mall för "
        "kvalitetsberättelsen. Alla siffror avser läget den 31 december."
    )
    kb_year = st.selectbox("År", years, index=1 if today.month < 4 else 0, key="docs.year.year")

    def make_year() -> bytes:
        with db() as s:
            return reports.render_yearly_contribution(s, me, int(kb_year))

    download(
        st,
        f"Kvalitetsberättelse {kb_year}, bidrag (Word)",
        make_year,
        filenames.yearly_filename(int(kb_year)),
        key="docs.year.get",
        icon=":material/menu_book:",
    )

    st.subheader("Åtgärdsregister")
    with db() as session:
        contractors = {c.id: c.name for c in registers.list_contractors(session)}
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    chosen = choice_or_none(
        c1, "Entreprenör", contractors, "Alla entreprenörer", key="docs.actions.contractor"
    )
    only_open = c2.checkbox("Bara öppna", value=True, key="docs.actions.open")

    def make_register() -> bytes:
        with db() as s:
            return exports.action_register_workbook(s, me, register_filter(chosen, only_open))

    download(
        st,
        "Åtgärdsregister (Excel)",
        make_register,
        filenames.action_register_filename(today),
        key="docs.actions.get",
        icon=":material/table:",
    )


def _templates() -> None:
    may_upload = can(MANAGE_TEMPLATES)
    st.markdown(
        "Dokumenten skapas från Word-mallar. Ladda ned en mall, ändra rubriker, logotyp eller "
        "typsnitt i Word och ladda upp den igen; ändringen syns i alla nya dokument. Behåll "
        "taggarna inom `{{ }}` och `{% %}`. En mall som inte går att använda tas inte emot, "
        "och den tidigare mallen används då fortfarande."
        + ("" if may_upload else " Bara en administratör kan ladda upp mallar.")
    )
    message = st.session_state.pop("docs.templates.flash", None)
    if message:
        st.success(message)
    for spec in registry.template_specs():
        uploaded = templates.is_uploaded(spec.filename)
        with st.container(border=True):
            st.markdown(f"**{spec.label}** · `{spec.filename}`")
            st.caption(
                f"Används för: {spec.used_for}. "
                + ("Kommunens uppladdade mall används." if uploaded else "Standardmallen används.")
            )
            try:
                current = templates.template_bytes(spec.filename)
            except UserError as exc:
                show_error(exc)
                continue
            c1, c2, c3 = st.columns([1, 1, 2])
            download(
                c1,
                "Ladda ned mallen",
                current,
                spec.filename,
                key=f"docs.tpl.{spec.filename}.get",
                icon=":material/download:",
            )

            def make_sample(name: str = spec.filename) -> bytes:
                return templates.sample_document(name)

            download(
                c2,
                "Exempeldokument",
                make_sample,
                filenames.sample_filename(spec.filename),
                key=f"docs.tpl.{spec.filename}.sample",
                help="Mallen ifylld med påhittade uppgifter.",
            )
            if not may_upload:
                continue
            with c3:
                round_no = st.session_state.get(f"docs.tpl.{spec.filename}.round", 0)
                upload = st.file_uploader(
                    "Ny mall (.docx)",
                    type=["docx"],
                    key=f"docs.tpl.{spec.filename}.upload.{round_no}",
                    label_visibility="collapsed",
                    max_upload_size=templates.MAX_TEMPLATE_BYTES // 1024 // 1024,
                )
                if upload is not None and st.button(
                    "Ladda upp och använd", key=f"docs.tpl.{spec.filename}.save", type="primary"
                ):
                    try:
                        templates.save_template(actor(), spec.filename, upload.getvalue())
                    except UserError as exc:
                        show_error(exc)
                    else:
                        st.session_state[f"docs.tpl.{spec.filename}.round"] = round_no + 1
                        st.session_state["docs.templates.flash"] = (
                            f"Mallen {spec.filename} är uppladdad och används från nu."
                        )
                        st.rerun()
                if uploaded and st.button(
                    "Återställ standardmallen", key=f"docs.tpl.{spec.filename}.reset"
                ):
                    try:
                        templates.reset_template(actor(), spec.filename)
                    except UserError as exc:
                        show_error(exc)
                    else:
                        st.session_state["docs.templates.flash"] = (
                            f"Standardmallen för {spec.filename} används igen."
                        )
                        st.rerun()
