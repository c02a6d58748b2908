"""Register of contractors (entreprenörer) and their units (enheter)."""

import uuid

import pandas as pd
import streamlit as st

from audit_app.auth import EDIT_REGISTERS
from audit_app.domain import labels
from audit_app.models import Contractor, Unit, UnitKind
from audit_app.services import registers
from audit_app.ui import actor, can, db, rerun_with, show_flash, write

NEW = "__new__"


def render() -> None:
    st.title("Entreprenörer och enheter")
    show_flash()
    editable = can(EDIT_REGISTERS)
    show_archived = st.toggle("Visa arkiverade", key="contractors.show_archived")
    with db() as session:
        contractors = registers.list_contractors(session, include_archived=show_archived)
        units = registers.list_units(session, include_archived=show_archived)
    by_contractor: dict[uuid.UUID, list[Unit]] = {}
    for u in units:
        by_contractor.setdefault(u.contractor_id, []).append(u)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Entreprenör": c.name,
                    "Organisationsnummer": c.org_nr,
                    "Kontaktperson": f"{c.contact_name} ({c.contact_role})"
                    if c.contact_role
                    else c.contact_name,
                    "Enheter": ", ".join(u.name for u in by_contractor.get(c.id, [])),
                    "Arkiverad": "Ja" if c.archived else "",
                }
                for c in contractors
            ],
            columns=["Entreprenör", "Organisationsnummer", "Kontaktperson", "Enheter", "Arkiverad"],
        ),
        hide_index=True,
        width="stretch",
    )
    if not editable:
        st.caption("Du har läsbehörighet. Kontakta en revisor eller administratör för ändringar.")
        _unit_table(units, contractors)
        return
    tab_c, tab_u = st.tabs(["Entreprenör", "Enheter"])
    with tab_c:
        _contractor_form(contractors)
    with tab_u:
        _unit_section(contractors, units)


def _contractor_form(contractors: list[Contractor]) -> None:
    options = {NEW: "➕ Ny entreprenör"} | {str(c.id): c.name for c in contractors}
    chosen = st.selectbox(
        "Välj entreprenör att ändra",
        list(options),
        format_func=options.__getitem__,
        key="contractors.chosen",
    )
    current = next((c for c in contractors if str(c.id) == chosen), None)
    with st.form(f"contractors.form.{chosen}", clear_on_submit=False):
        name = st.text_input("Namn *", value=current.name if current else "")
        org_nr = st.text_input(
            "Organisationsnummer *",
            value=current.org_nr if current else "",
            help="Tio siffror, t.ex. 556123-4567.",
        )
        c1, c2 = st.columns(2)
        contact = c1.text_input("Kontaktperson", value=current.contact_name if current else "")
        role = c2.text_input("Kontaktpersonens roll", value=current.contact_role if current else "")
        email = st.text_input("E-post", value=current.contact_email if current else "")
        submitted = st.form_submit_button("Spara entreprenör", type="primary")
    if submitted:
        data = registers.ContractorInput(name, org_nr, contact, role, email)
        write(
            lambda s: (
                registers.save_contractor(s, actor(), data, current.id if current else None).name
            ),
            lambda name: rerun_with(f"Entreprenören {name} är sparad."),
        )
    if current is not None:
        _archive_button(Contractor, current.id, current.archived, "contractors")


def _archive_button(model: type, record_id: uuid.UUID, archived: bool, ns: str) -> None:
    label = "Återställ från arkivet" if archived else "Arkivera"
    if st.button(
        label, key=f"{ns}.archive.{record_id}", help="Arkiverade poster finns kvar för historiken."
    ):
        write(
            lambda s: registers.set_archived(s, actor(), model, record_id, not archived),
            lambda _: rerun_with("Arkiverad." if not archived else "Återställd."),
        )


def _unit_table(units: list[Unit], contractors: list[Contractor]) -> None:
    names = {c.id: c.name for c in contractors}
    st.subheader("Enheter")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Enhet": u.name,
                    "Typ": labels.UNIT_KIND_LABELS[u.kind],
                    "Entreprenör": names.get(u.contractor_id, ""),
                    "Platser": str(u.places) if u.places else "–",
                    "Avdelningar": ", ".join(u.sections),
                    "Arkiverad": "Ja" if u.archived else "",
                }
                for u in units
            ],
            columns=["Enhet", "Typ", "Entreprenör", "Platser", "Avdelningar", "Arkiverad"],
        ),
        hide_index=True,
        width="stretch",
    )


def _unit_section(contractors: list[Contractor], units: list[Unit]) -> None:
    _unit_table(units, contractors)
    if not contractors:
        st.info("Lägg först in en entreprenör.")
        return
    options = {NEW: "➕ Ny enhet"} | {str(u.id): u.name for u in units}
    chosen = st.selectbox(
        "Välj enhet att ändra", list(options), format_func=options.__getitem__, key="units.chosen"
    )
    current = next((u for u in units if str(u.id) == chosen), None)
    contractor_names = {c.id: c.name for c in contractors}
    kinds = list(UnitKind)
    with st.form(f"units.form.{chosen}"):
        contractor_id = st.selectbox(
            "Entreprenör *",
            list(contractor_names),
            index=list(contractor_names).index(current.contractor_id)
            if current and current.contractor_id in contractor_names
            else 0,
            format_func=contractor_names.__getitem__,
        )
        name = st.text_input("Enhetens namn *", value=current.name if current else "")
        c1, c2 = st.columns(2)
        kind = c1.selectbox(
            "Typ av verksamhet *",
            kinds,
            index=kinds.index(current.kind) if current else 0,
            format_func=labels.UNIT_KIND_LABELS.__getitem__,
        )
        places = c2.number_input(
            "Antal platser", min_value=0, max_value=2000, value=current.places if current else 0
        )
        sections = st.text_area(
            "Avdelningar (en per rad)",
            value="\n".join(current.sections) if current else "",
            height=100,
        )
        address = st.text_input("Adress", value=current.address if current else "")
        submitted = st.form_submit_button("Spara enhet", type="primary")
    if submitted:
        data = registers.UnitInput(
            contractor_id, name, kind, int(places), sections.splitlines(), address
        )
        write(
            lambda s: registers.save_unit(s, actor(), data, current.id if current else None).name,
            lambda name: rerun_with(f"Enheten {name} är sparad."),
        )
    if current is not None:
        _archive_button(Unit, current.id, current.archived, "units")
