"""Documents: the download panel of a follow-up, and the page "Dokument och mallar".

`render_documents_panel(followup_id)` is called from the follow-up page. `render()` is a page:
period reports for everyone (kvartalssammanställning, kvalitetsberättelse, åtgärdsregister), and
the Word templates (download for everyone, upload and reset for admins).
"""

from __future__ import annotations

import uuid
from datetime import date

import streamlit as st

from audit_app.auth import MANAGE_TEMPLATES
from audit_app.errors import UserError
from audit_app.services import registers
from audit_app.services.documents import (
    exports,
    filenames,
    period,
    registry,
    reports,
    stored,
    templates,
)
from audit_app.services.documents.render import DOCX_MIME, PDF_MIME, XLSX_MIME
from audit_app.services.overview.register import register_filter
from audit_app.ui import actor, can, db, show_error

PDF_HELP = "PDF görs med LibreOffice på servern och tar några sekunder."


# --------------------------------------------------------------------------- follow-up panel


def render_documents_panel(followup_id: uuid.UUID) -> None:
    """Download buttons for one follow-up: minutes (.docx, PDF), committee report, Excel.

    A justerad follow-up serves its stored minutes (the same bytes every time); the other
    documents are made when their button is clicked, so the page stays fast.
    """
    key = f"docs.{str(followup_id)[:8]}"
    me = actor()  # download functions run outside the page's session: take the actor now
    try:
        with db() as session:
            panel = stored.documents_panel(session, actor(), followup_id)
    except UserError as exc:
        show_error(exc)
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

    c1, c2, c3, c4 = st.columns(4)
    c1.download_button(
        "Minnesanteckningar (Word)",
        data=kept.content if kept is not None else make_minutes,
        file_name=panel.minutes_name,
        mime=DOCX_MIME,
        key=f"{key}.minutes",
        icon=":material/description:",
        on_click="ignore",
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
            st.download_button(
                "Ladda ned PDF",
                data=st.session_state[pdf_key],
                file_name=panel.pdf_name,
                mime=PDF_MIME,
                key=f"{key}.pdf.get",
                icon=":material/picture_as_pdf:",
                on_click="ignore",
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
    c3.download_button(
        "Tjänsteskrivelse till utskottet",
        data=make_committee,
        file_name=panel.committee_name,
        mime=DOCX_MIME,
        key=f"{key}.committee",
        icon=":material/gavel:",
        on_click="ignore",
        help="Rapport till utskottet: roller i stället för namn, fritext bara där den är "
        "markerad för nämnden.",
    )
    c4.download_button(
        "Excel-export",
        data=make_excel,
        file_name=panel.excel_name,
        mime=XLSX_MIME,
        key=f"{key}.excel",
        icon=":material/table:",
        on_click="ignore",
    )


# --------------------------------------------------------------------------- page


def render() -> None:
    st.title("Dokument och mallar")
    tabs = st.tabs(["Sammanställningar", "Dokumentmallar"])
    with tabs[0]:
        _reports()
    with tabs[1]:
        _templates()


def _reports() -> None:
    me = actor()  # download functions run outside the page's session: take the actor now
    today = date.today()
    years = list(range(today.year, today.year - 6, -1))

    st.subheader("Kvartalssammanställning till kvalitetsrådet")
    st.caption(
        "Uppföljningar som är klara eller justerade under kvartalet, avvikelser per område och "
        "åtgärder. Roller i stället för namn; fritext bara där den är markerad för nämnden."
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

    st.download_button(
        f"Sammanställning kvartal {quarter} {year} (Word)",
        data=make_quarter,
        file_name=filenames.period_filename(first, last),
        mime=DOCX_MIME,
        key="docs.quarter.get",
        icon=":material/summarize:",
        on_click="ignore",
    )

    st.subheader("Kvalitetsberättelse – förvaltningens bidrag")
    st.caption(
        "Årets egenkontroller (namn, metod, omfattning, frekvens), resultat, avvikelser per "
        "område och åtgärder, enligt mallen för kvalitetsberättelsen."
    )
    kb_year = st.selectbox("År", years, index=1 if today.month < 4 else 0, key="docs.year.year")

    def make_year() -> bytes:
        with db() as s:
            return reports.render_yearly_contribution(s, me, int(kb_year))

    st.download_button(
        f"Kvalitetsberättelse {kb_year}, bidrag (Word)",
        data=make_year,
        file_name=filenames.yearly_filename(int(kb_year)),
        mime=DOCX_MIME,
        key="docs.year.get",
        icon=":material/menu_book:",
        on_click="ignore",
    )

    st.subheader("Åtgärdsregister")
    with db() as session:
        contractors = {c.id: c.name for c in registers.list_contractors(session)}
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    chosen = c1.selectbox(
        "Entreprenör",
        [None, *contractors],
        format_func=lambda c: "Alla entreprenörer" if c is None else contractors[c],
        key="docs.actions.contractor",
    )
    only_open = c2.checkbox("Bara öppna", value=True, key="docs.actions.open")

    def make_register() -> bytes:
        with db() as s:
            return exports.action_register_workbook(s, me, register_filter(chosen, only_open))

    st.download_button(
        "Åtgärdsregister (Excel)",
        data=make_register,
        file_name=filenames.action_register_filename(today),
        mime=XLSX_MIME,
        key="docs.actions.get",
        icon=":material/table:",
        on_click="ignore",
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
            c1.download_button(
                "Ladda ned mallen",
                data=current,
                file_name=spec.filename,
                mime=DOCX_MIME,
                key=f"docs.tpl.{spec.filename}.get",
                on_click="ignore",
                icon=":material/download:",
            )

            def make_sample(name: str = spec.filename) -> bytes:
                return templates.sample_document(name)

            c2.download_button(
                "Exempeldokument",
                data=make_sample,
                file_name=filenames.sample_filename(spec.filename),
                mime=DOCX_MIME,
                key=f"docs.tpl.{spec.filename}.sample",
                on_click="ignore",
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
