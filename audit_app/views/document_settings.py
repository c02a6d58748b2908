"""The tab "Inställningar" of the page "Dokument och mallar": names, the case series, officials,
the logo. Everyone sees them; an admin changes them."""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

import streamlit as st

from audit_app.auth import MANAGE_TEMPLATES, MANAGE_USERS
from audit_app.errors import UserError
from audit_app.services import settings as document_settings
from audit_app.services.documents import logo
from audit_app.ui import actor, can, db, show_error, write

KEY = "docs.settings"


def render_settings() -> None:
    with db() as session:
        current = document_settings.document_settings(session)
    message = st.session_state.pop(f"{KEY}.flash", None)
    if message:
        st.success(message)
    municipality, administration = current.names()
    year = date.today().year
    st.markdown(
        "Namnen och tjänstepersonerna står i dokumenten: utskottet i tjänsteskrivelsens förslag "
        "till beslut, undertecknaren och handläggaren under den. Tjänstepersonernas namn är "
        "offentliga; utförarens personal och brukare namnges aldrig."
    )
    if not can(MANAGE_USERS):
        st.caption("Bara en administratör kan ändra inställningarna.")
        rows = [
            ("Kommun", municipality),
            ("Förvaltning", administration),
            ("Utskott", current.committee),
            ("Kvalitetsråd", current.quality_council),
            ("Nästa diarienummer", current.case_number(year, current.next_number(year))),
            ("Undertecknare", current.signatory.signed or "–"),
            ("Tjänstepersoner", ", ".join(o.signed for o in current.officials) or "–"),
        ]
        st.table({"Inställning": [r[0] for r in rows], "Värde": [r[1] for r in rows]})
    else:
        _form(current, municipality, administration, year)
    _logo()


def _form(
    current: document_settings.DocumentSettings, municipality: str, administration: str, year: int
) -> None:
    with st.form(f"{KEY}.form"):
        c1, c2 = st.columns(2)
        values: dict[str, Any] = {
            "municipality": c1.text_input("Kommunens namn", value=municipality),
            "administration": c2.text_input("Förvaltningens namn", value=administration),
            "committee": c1.text_input(
                "Utskottets namn", value=current.committee, help="Den som beslutar."
            ),
            "quality_council": c2.text_input("Kvalitetsrådets namn", value=current.quality_council),
            "dnr_pattern": c1.text_input(
                "Diarienummerserie",
                value=current.dnr_pattern,
                help="{år} blir året och {nr} löpnumret, t.ex. VOU {år}/{nr} eller {år}-{nr}.",
            ),
            "dnr_digits": c2.number_input(
                "Antal siffror i numret (0 = inga inledande nollor)",
                min_value=0,
                max_value=8,
                value=current.dnr_digits,
            ),
        }
        c1.caption(f"Nästa nummer i serien: {current.case_number(year, current.next_number(year))}")
        st.markdown("**Undertecknare av tjänsteskrivelser**")
        c3, c4 = st.columns(2)
        values["signatory"] = {
            "name": c3.text_input("Namn", value=current.signatory.name),
            "title": c4.text_input("Titel", value=current.signatory.title),
        }
        st.markdown("**Tjänstepersoner** (handläggare; den första upprättar rapporterna)")
        officials = st.data_editor(
            [{"Namn": o.name, "Titel": o.title} for o in current.officials]
            or [{"Namn": "", "Titel": ""}],
            num_rows="dynamic",
            width="stretch",
            key=f"{KEY}.officials",
        )
        values["officials"] = [
            {"name": str(row.get("Namn") or ""), "title": str(row.get("Titel") or "")}
            for row in officials
            if str(row.get("Namn") or "").strip()
        ]
        if st.form_submit_button("Spara inställningarna", type="primary"):
            write(
                lambda s: document_settings.save_document_settings(s, actor(), values),
                lambda _: _rerun_with("Inställningarna är sparade."),
            )


def _logo() -> None:
    st.markdown("**Logotyp**")
    has_logo = logo.logo_path().is_file()
    st.caption(
        "Logotypen står i sidhuvudet på alla dokument. Man kan också klistra in den direkt i "
        "en mall i Word, i sidhuvudets första cell där taggen logo står."
        + (" En logotyp är uppladdad." if has_logo else " Ingen logotyp är uppladdad.")
    )
    if has_logo:
        st.image(logo.logo_path().read_bytes(), width=160)
    if not can(MANAGE_TEMPLATES):
        return
    round_no = st.session_state.get(f"{KEY}.logo.round", 0)
    upload = st.file_uploader(
        "Ny logotyp (PNG eller JPEG)",
        type=["png", "jpg", "jpeg"],
        key=f"{KEY}.logo.{round_no}",
        max_upload_size=logo.MAX_LOGO_BYTES // 1024 // 1024,
    )
    c1, c2 = st.columns(2)
    if upload is not None and c1.button("Använd logotypen", key=f"{KEY}.logo.save"):
        try:
            logo.save_logo(actor(), upload.getvalue())
        except UserError as exc:
            show_error(exc)
        else:
            st.session_state[f"{KEY}.logo.round"] = round_no + 1
            _rerun_with("Logotypen används från nu i alla nya dokument.")
    if has_logo and c2.button("Ta bort logotypen", key=f"{KEY}.logo.remove"):
        logo.remove_logo(actor())
        _rerun_with("Dokumenten görs utan logotyp.")


def _rerun_with(message: str) -> NoReturn:
    """Rerun with a message shown at the top of the settings (not the page's flash)."""
    st.session_state[f"{KEY}.flash"] = message
    st.rerun()
