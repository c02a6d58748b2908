"""The contract's staffing commitments (bemanningsåtaganden) on the contract page, as YAML.

Format: one YAML document per unit of the contract, in exactly the exchange format of the
staffing review (the CLI's --rules file), documents separated by a line `---`. A single
document that is a list of such tables is read too; it is written back as documents.
"""

import uuid

import streamlit as st

from audit_app.errors import UserError
from audit_app.models import Contract
from audit_app.services.staffing import commitments
from audit_app.services.staffing.rules import StaffingRules
from audit_app.ui import actor, db, plain, rerun_with, show_error, write
from audit_app.views.widgets import uploaded


def render_rules_editor(contract: Contract, editable: bool) -> None:
    """Show, edit, validate, save, download and upload the contract's staffing commitments."""
    with db() as session:
        editor = commitments.editor_for(session, contract.id)
    st.subheader("Bemanningsåtaganden")
    st.caption(
        "Avtalets åtaganden om personaltäthet och närvarande kompetens per avdelning och pass. "
        "Schemagranskningen i uppföljningarna (punkt 2) räknar mot dem."
    )
    with st.expander("Format och exempel"):
        st.markdown(commitments.FORMAT_MARKDOWN)
        st.code(editor.example, language="yaml")
    if editor.text:
        st.download_button(
            "Ladda ner som YAML",
            data=editor.text.encode("utf-8"),
            file_name=editor.file_name,
            mime="application/x-yaml",
            key=f"contracts.staffing.download.{contract.id}",
        )
    if not editable:
        if editor.text:
            st.code(editor.text, language="yaml")
        else:
            st.info("Avtalet har inga bemanningsåtaganden.")
        return
    if not editor.text:
        st.info(
            "Avtalet har inga bemanningsåtaganden än. Skriv in dem nedan (se exemplet under "
            "Format och exempel) eller läs in en YAML-fil."
        )
    edited = st.text_area(
        "Åtaganden (YAML)",
        value=editor.text,
        height=320,
        key=f"contracts.staffing.text.{contract.id}.{editor.token}",
        placeholder=editor.example,
    )
    c1, c2, _ = st.columns([1, 1, 3])
    if c1.button("Kontrollera", key=f"contracts.staffing.check.{contract.id}"):
        try:
            rules = commitments.validate_rules_yaml(edited, editor.unit_names)
        except UserError as exc:
            show_error(exc)
        else:
            st.success(plain(f"Åtagandena går att använda: {commitments.summary(rules)}."))
    if c2.button("Spara åtagandena", type="primary", key=f"contracts.staffing.save.{contract.id}"):
        _save(contract.id, edited)
    # Lazy: the uploader exists only while the expander is open, so the page has one file
    # uploader (the requirements') until the user asks for this one.
    importer = st.expander(
        "Läs in åtaganden från en YAML-fil",
        key=f"contracts.staffing.importer.{contract.id}",
        on_change="rerun",
    )
    if not importer.open:
        return
    with importer:
        _import(contract.id, editor.unit_names)


def _import(contract_id: uuid.UUID, unit_names: list[str]) -> None:
    st.write("Åtagandena i filen ersätter avtalets nuvarande bemanningsåtaganden.")

    def read_rules(data: bytes, name: str) -> tuple[str, list[StaffingRules]]:
        content = commitments.uploaded_text(data, name)
        return content, commitments.validate_rules_yaml(content, unit_names)

    read = uploaded(
        "YAML-fil", f"contracts.staffing.upload.{contract_id}", read_rules, ["yaml", "yml"]
    )
    if read is None:
        return
    upload, (content, rules) = read
    st.success(plain(f"{upload.name}: {commitments.summary(rules)}."))
    if st.button("Ersätt åtagandena med filens", key=f"contracts.staffing.import.{contract_id}"):
        _save(contract_id, content)


def _save(contract_id: uuid.UUID, text: str) -> None:
    write(
        lambda s: commitments.save_rules_yaml(s, actor(), contract_id, text),
        lambda rules: rerun_with(f"Bemanningsåtagandena är sparade: {commitments.summary(rules)}."),
    )
