"""The contract's staffing commitments (bemanningsåtaganden) on the contract page, as YAML.

Format: one YAML document per unit of the contract, in exactly the exchange format of the
staffing review (the CLI's --rules file), documents separated by a line `---`. A single
document that is a list of such tables is read too; it is written back as documents.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from audit_app.errors import UserError
from audit_app.models import Contract, Unit
from audit_app.services import registers as reg
from audit_app.services import staffing_store as ss
from audit_app.ui import actor, db, flash, show_error

FORMAT_MARKDOWN = """\
Ett YAML-dokument per enhet i avtalet, åtskilda av en rad med `---` (samma format som
regelfilen till kommandot `audit-app schedule analyse --rules`). Fälten:

- `unit`: enhetens namn, som i registret.
- `sections`: avdelningarna, med samma namn som i utförarens schema.
- `places_per_section`: antal platser per avdelning (för personaltäthet per plats).
- `competence`: grupper med de befattningar som räknas som kompetent personal
  (stora och små bokstäver spelar ingen roll).
- `periods`: passen med `name`, `start` och `end` (skriv tiden inom citattecken, `"07:00"`;
  ett pass som slutar före starttiden går över midnatt), `min_staff` (minsta antal i tjänst)
  och `min_competent` (minsta antal med kompetens i tjänst).
- `min_competent_hours_share`: lägsta andel av timmarna med kompetent personal, t.ex. `0.75`.

En lista med sådana tabeller i ett enda dokument går också bra. Tom text betyder att avtalet
inte har några bemanningsåtaganden.
"""


def _example(unit: Unit | None) -> str:
    name = unit.name if unit is not None else "Enhetens namn"
    sections = (unit.sections if unit is not None else []) or ["Avd A", "Avd B"]
    return (
        f"unit: {name}\n"
        f"sections: [{', '.join(sections)}]\n"
        "places_per_section: 10\n"
        "competence:\n"
        "  usk: [undersköterska, usk, sjuksköterska]\n"
        "periods:\n"
        '  - {name: Dag, start: "07:00", end: "15:00", min_staff: 3, min_competent: 2}\n'
        '  - {name: Natt, start: "21:30", end: "07:00", min_staff: 1, min_competent: 1}\n'
        "min_competent_hours_share: 0.75\n"
    )


def _file_name(contract: Contract) -> str:
    slug = re.sub(r"[^0-9A-Za-z]+", "-", contract.dnr).strip("-").lower()
    return f"bemanningsataganden-{slug or 'avtal'}.yaml"


def _summary(rules: list[dict[str, Any]]) -> str:
    if not rules:
        return "inga bemanningsåtaganden"
    parts = [
        f"{r['unit']} ({len(r['sections'])} avdelningar, {len(r['periods'])} pass)" for r in rules
    ]
    return ", ".join(parts)


def render_rules_editor(contract: Contract, editable: bool) -> None:
    """Show, edit, validate, save, download and upload the contract's staffing commitments."""
    with db() as session:
        units = [session.get(Unit, uid) for uid in reg.contract_unit_ids(session, contract.id)]
    known = [u for u in units if u is not None]
    text = ss.rules_list_to_yaml(contract.staffing_rules or [])
    st.subheader("Bemanningsåtaganden")
    st.caption(
        "Avtalets åtaganden om personaltäthet och närvarande kompetens per avdelning och pass. "
        "Schemagranskningen i uppföljningarna (punkt 2) räknar mot dem."
    )
    with st.expander("Format och exempel"):
        st.markdown(FORMAT_MARKDOWN)
        st.code(_example(known[0] if known else None), language="yaml")
    if text:
        st.download_button(
            "Ladda ner som YAML",
            data=text.encode("utf-8"),
            file_name=_file_name(contract),
            mime="application/x-yaml",
            key=f"contracts.staffing.download.{contract.id}",
        )
    if not editable:
        if text:
            st.code(text, language="yaml")
        else:
            st.info("Avtalet har inga bemanningsåtaganden.")
        return
    if not text:
        st.info(
            "Avtalet har inga bemanningsåtaganden än. Skriv in dem nedan (se exemplet under "
            "Format och exempel) eller läs in en YAML-fil."
        )
    edited = st.text_area(
        "Åtaganden (YAML)",
        value=text,
        height=320,
        key=f"contracts.staffing.text.{contract.id}.{contract.version}",
        placeholder=_example(known[0] if known else None),
    )
    c1, c2, _ = st.columns([1, 1, 3])
    if c1.button("Kontrollera", key=f"contracts.staffing.check.{contract.id}"):
        try:
            rules = ss.validate_rules_yaml(edited, [u.name for u in known])
        except UserError as exc:
            show_error(exc)
        else:
            st.success(f"Åtagandena går att använda: {_summary(rules)}.")
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
        _import(contract, [u.name for u in known])


def _import(contract: Contract, unit_names: list[str]) -> None:
    st.write("Åtagandena i filen ersätter avtalets nuvarande bemanningsåtaganden.")
    upload = st.file_uploader(
        "YAML-fil", type=["yaml", "yml"], key=f"contracts.staffing.upload.{contract.id}"
    )
    if upload is None:
        return
    try:
        content = upload.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        st.error(f"{upload.name} är inte sparad som UTF-8.")
        return
    try:
        rules = ss.validate_rules_yaml(content, unit_names)
    except UserError as exc:
        show_error(exc)
        return
    st.success(f"{upload.name}: {_summary(rules)}.")
    if st.button("Ersätt åtagandena med filens", key=f"contracts.staffing.import.{contract.id}"):
        _save(contract.id, content)


def _save(contract_id: Any, text: str) -> None:
    try:
        with db() as session:
            rules = ss.save_rules_yaml(session, actor(), contract_id, text)
    except UserError as exc:
        show_error(exc)
        return
    flash(f"Bemanningsåtagandena är sparade: {_summary(rules)}.")
    st.rerun()
