"""Register of contracts (avtal) with their SKA/BÖR requirements."""

import uuid
from datetime import date
from typing import Any, NoReturn

import pandas as pd
import streamlit as st

from audit_app.auth import EDIT_REGISTERS
from audit_app.domain import labels
from audit_app.errors import UserError
from audit_app.models import Contract, ProcurementForm, Requirement, RequirementKind, UnitKind
from audit_app.services import checklists, registers
from audit_app.ui import (
    actor,
    can,
    db,
    flash,
    plain,
    rerun_with,
    show_error,
    show_flash,
    sv_date,
    write,
)
from audit_app.views.staffing_rules import render_rules_editor
from audit_app.views.widgets import choice, table, upload_panel, uploaded

NEW = "__new__"
KIND_OPTIONS = {word: kind for kind, word in labels.REQUIREMENT_KIND_LABELS.items()}
COLUMNS = ["id", "Avtalspunkt", "Krav", "Typ", "Område", "Vägledning", "Gäller för"]
EDITOR_ROUND = "contracts.editor_round"


def render() -> None:
    st.title("Avtal")
    show_flash()
    editable = can(EDIT_REGISTERS)
    with db() as session:
        contracts = registers.list_contracts(
            session, include_archived=st.session_state.get("contracts.archived", False)
        )
        contractors = {
            c.id: c.name for c in registers.list_contractors(session, include_archived=True)
        }
        units = registers.list_units(session, include_archived=True)
        links = {c.id: registers.contract_unit_ids(session, c.id) for c in contracts}
    unit_names = {u.id: u.name for u in units}
    table(
        (
            {
                "Dnr": c.dnr,
                "Avtal": c.title,
                "Entreprenör": contractors.get(c.contractor_id, ""),
                "Enheter": ", ".join(unit_names.get(u, "") for u in links.get(c.id, [])),
                "Giltigt från": c.valid_from,
                "Giltigt till": c.valid_to,
                "Förlängning": c.extension_option,
                "Arkiverat": "Ja" if c.archived else "",
            }
            for c in contracts
        ),
        columns=[
            "Dnr",
            "Avtal",
            "Entreprenör",
            "Enheter",
            "Giltigt från",
            "Giltigt till",
            "Förlängning",
            "Arkiverat",
        ],
        column_config={
            "Giltigt från": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Giltigt till": st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )
    st.toggle("Visa arkiverade", key="contracts.archived")
    options = ({NEW: "➕ Nytt avtal"} if editable else {}) | {
        str(c.id): f"{c.dnr} – {c.title}" for c in contracts
    }
    if not options:
        st.info("Inga avtal är registrerade.")
        return
    pending = st.session_state.pop("contracts.pending", None)
    if pending in options:
        st.session_state["contracts.chosen"] = pending
    chosen = st.selectbox(
        "Välj avtal", list(options), format_func=options.__getitem__, key="contracts.chosen"
    )
    current = next((c for c in contracts if str(c.id) == chosen), None)
    if editable:
        _contract_form(current, contractors, units, links)
    elif current is not None:
        _contract_summary(current, contractors, unit_names, links)
    if current is not None:
        st.subheader("Krav i avtalet")
        _requirements(current, editable)
        render_rules_editor(current, editable)


def _contract_summary(c: Contract, contractors: dict, unit_names: dict, links: dict) -> None:
    st.markdown(
        f"**{plain(c.dnr)}** · {plain(c.title)}  \n"
        f"Entreprenör: {plain(contractors.get(c.contractor_id, ''))}  \n"
        f"Giltigt {sv_date(c.valid_from)} – {sv_date(c.valid_to)}"
        + (f"  \nFörlängning: {plain(c.extension_option)}" if c.extension_option else "")
        + f"  \nEnheter: {plain(', '.join(unit_names.get(u, '') for u in links.get(c.id, [])))}"
    )


def _contract_form(current: Contract | None, contractors: dict, units: list, links: dict) -> None:
    active_contractors = {k: v for k, v in contractors.items()}
    if not active_contractors:
        st.info("Lägg först in en entreprenör under Entreprenörer och enheter.")
        return
    key = str(current.id) if current else NEW
    with st.form(f"contracts.form.{key}"):
        c1, c2 = st.columns([1, 2])
        dnr = c1.text_input(
            "Diarienummer *", value=current.dnr if current else "", help="T.ex. VOF 2026/123"
        )
        title = c2.text_input("Benämning *", value=current.title if current else "")
        contractor_id = choice(
            st,
            "Entreprenör *",
            active_contractors,
            current=current.contractor_id if current else None,
        )
        c3, c4 = st.columns(2)
        valid_from = c3.date_input(
            "Giltigt från *",
            value=current.valid_from if current else date.today(),
            format="YYYY-MM-DD",
        )
        valid_to = c4.date_input(
            "Giltigt till *",
            value=current.valid_to if current else date(date.today().year + 3, 12, 31),
            format="YYYY-MM-DD",
        )
        procurement_form = choice(
            st,
            "Upphandlingsform *",
            labels.PROCUREMENT_LABELS,
            current=current.procurement_form if current else None,
            widget="radio",
            horizontal=True,
            help="Avgör sanktionstrappans sista steg: hävning (LOU) eller återkallat "
            "godkännande (LOV).",
        )
        c5, c6 = st.columns(2)
        extension = c5.text_input(
            "Förlängningsoption", value=current.extension_option if current else ""
        )
        extension_until = c6.date_input(
            "Längst förlängning till",
            value=current.extension_until if current else None,
            format="YYYY-MM-DD",
        )
        unit_options = {
            u.id: u.name
            for u in units
            if not u.archived or (current and u.id in links.get(current.id, []))
        }
        chosen_units = st.multiselect(
            "Enheter som avtalet gäller",
            list(unit_options),
            default=[u for u in links.get(current.id, []) if u in unit_options] if current else [],
            placeholder="Välj enheter",
            format_func=unit_options.__getitem__,
        )
        submitted = st.form_submit_button("Spara avtal", type="primary")
    if submitted:
        data = registers.ContractInput(
            dnr=dnr,
            title=title,
            contractor_id=contractor_id,
            valid_from=valid_from,
            valid_to=valid_to,
            unit_ids=list(chosen_units),
            extension_option=extension,
            extension_until=extension_until,
            procurement_form=procurement_form or ProcurementForm.lou,
        )
        write(
            lambda s: registers.save_contract(s, actor(), data, current.id if current else None),
            _contract_saved,
        )
    if current is not None:
        label = "Återställ avtalet" if current.archived else "Arkivera avtalet"
        if st.button(label, key=f"contracts.archive.{current.id}"):
            with db() as session:
                registers.set_archived(session, actor(), Contract, current.id, not current.archived)
            flash("Avtalet är arkiverat." if not current.archived else "Avtalet är återställt.")
            st.rerun()


def _requirements(contract: Contract, editable: bool) -> None:
    with db() as session:
        requirements = registers.list_requirements(session, contract.id)
        standard = registers.standard_lists_for(session, contract.id) if editable else []
    ska = sum(r.kind is RequirementKind.ska for r in requirements)
    st.caption(f"{ska} SKA-krav och {len(requirements) - ska} BÖR-krav.")
    if editable:
        _standard_lists(contract, standard, empty=not requirements)
    if not editable:
        table((_requirement_row(r, readable=True) for r in requirements), columns=COLUMNS[1:])
        return
    edited = st.data_editor(
        pd.DataFrame(
            [{"id": str(r.id)} | _requirement_row(r) for r in requirements], columns=COLUMNS
        ),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=_editor_columns(),
        key=editor_key(contract.id),
    )
    if st.button("Spara kraven", type="primary", key=f"contracts.save_requirements.{contract.id}"):
        _save_requirements(contract.id, rows_from_editor(edited.to_dict("records")))
    _excel_import(contract, requirements)


def _requirement_row(
    r: Requirement | registers.RequirementInput, readable: bool = False
) -> dict[str, object]:
    """A requirement's columns in the editor, or `readable` in a table ("Gäller för" in words)."""
    return {
        "Avtalspunkt": r.clause,
        "Krav": r.text,
        "Typ": labels.REQUIREMENT_KIND_LABELS[r.kind],
        "Område": r.area,
        "Vägledning": r.hint,
        "Gäller för": _kinds_text(r.applies_to) if readable else list(r.applies_to),
    }


def _editor_columns() -> dict[str, Any]:
    return {
        "id": None,
        "Avtalspunkt": st.column_config.TextColumn(
            width=100,
            pinned=True,
            help="Punkt i avtalet, t.ex. 4.2.1. Varje avtalspunkt får stå en gång.",
        ),
        "Krav": st.column_config.TextColumn(width="large", required=True),
        "Typ": st.column_config.SelectboxColumn(
            options=list(KIND_OPTIONS), required=True, default="SKA", width=60
        ),
        "Område": st.column_config.TextColumn(width=150),
        "Vägledning": st.column_config.TextColumn(
            width="large", help="Vad revisorn tittar på och vilka underlag som begärs."
        ),
        "Gäller för": st.column_config.MultiselectColumn(
            width=170,
            options=[k.value for k in UnitKind],
            format_func=lambda code: labels.UNIT_KIND_LABELS[UnitKind(code)],
            help="Enhetstyper kravet gäller för; tomt betyder alla avtalets enheter.",
        ),
    }


def editor_key(contract_id: uuid.UUID) -> str:
    """Return the requirement editor's key, new after each save so it shows what is stored."""
    return f"contracts.requirements.{contract_id}.{st.session_state.get(EDITOR_ROUND, 0)}"


def _refresh_editor() -> None:
    st.session_state[EDITOR_ROUND] = st.session_state.get(EDITOR_ROUND, 0) + 1


def _unit_kinds(value: Any) -> list[UnitKind]:
    """Return the unit kinds of an editor cell (a list, an array, or empty)."""
    if value is None or isinstance(value, float):  # an added row's empty cell
        return []
    return [UnitKind(v) for v in value if v]


def rows_from_editor(records: list[dict[Any, Any]]) -> list[registers.RequirementInput]:
    """Return the editor's rows as the service takes them."""
    rows = []
    for record in records:
        rid = record.get("id")
        rows.append(
            registers.RequirementInput(
                clause=_cell(record.get("Avtalspunkt")),
                text=_cell(record.get("Krav")),
                kind=KIND_OPTIONS.get(_cell(record.get("Typ")) or "SKA", RequirementKind.ska),
                area=_cell(record.get("Område")),
                id=uuid.UUID(rid) if isinstance(rid, str) and rid else None,
                hint=_cell(record.get("Vägledning")),
                applies_to=_unit_kinds(record.get("Gäller för")),
            )
        )
    return rows


def _cell(value: Any) -> str:
    """Return a text cell as a string (an added row's empty cell is None or NaN)."""
    if value is None or isinstance(value, float):
        return ""
    return str(value)


def _kinds_text(values: Any) -> str:
    kinds = _unit_kinds(values)
    return ", ".join(labels.UNIT_KIND_LABELS[k] for k in kinds) or "Alla enheter"


def _kinds_phrase(kinds: list[UnitKind]) -> str:
    """Return unit kinds as words inside a sentence: 'särskilt boende', 'LSS bostad'."""
    words = [labels.UNIT_KIND_LABELS[k] for k in kinds]
    words = [w if w[1:2].isupper() else w[0].lower() + w[1:] for w in words]
    return " och ".join(words) or "alla enheter"


def _standard_lists(contract: Contract, lists: list[checklists.Checklist], empty: bool) -> None:
    """Offer the standard lists that fit the contract's units as a starting point."""
    if not lists:
        return
    with st.expander("Utgå från en standardlista", expanded=empty):
        st.write(
            "Kommunens standardkrav kopieras till avtalet med avtalspunkt, text, typ, område, "
            "vägledning och enhetstyp. Därefter är de avtalets egna krav: ändra dem så att de "
            "stämmer med avtalets text. Avtalspunkter som avtalet redan har hoppas över."
        )
        for standard in lists:
            phrase = _kinds_phrase(list(standard.applies_to))
            label = f"Utgå från standardlistan för {phrase}"
            if st.button(label, key=f"contracts.standard.{contract.id}.{standard.key}"):
                _copy_standard(contract, standard.key, phrase)
            st.caption(plain(f"{standard.name}: {standard.item_count()} krav."))


def _copy_standard(contract: Contract, list_key: str, phrase: str) -> None:
    try:
        with db() as session:
            added = registers.copy_standard_requirements(session, actor(), contract.id, list_key)
    except UserError as exc:
        show_error(exc)
        return
    if added:
        flash(
            f"{added} krav från standardlistan för {phrase} har lagts till i avtalet "
            f"{contract.dnr}. De är nu avtalets egna krav: ändra dem här så att de stämmer med "
            "avtalets text."
        )
    else:
        flash(
            f"Inga krav lades till: avtalet {contract.dnr} har redan varje avtalspunkt i "
            f"standardlistan för {phrase}."
        )
    _refresh_editor()
    st.rerun()


def _excel_import(contract: Contract, requirements: list[Requirement]) -> None:
    upload_key = f"contracts.upload.{contract.id}"
    with upload_panel("Läs in krav från Excel", upload_key):
        st.write(
            "Filen ska ha en rubrikrad med kolumnerna **Avtalspunkt**, **Krav**, **Typ** (SKA "
            "eller BÖR) och **Område**, och kan ha **Vägledning** och **Gäller för** (t.ex. "
            "särskilt boende). Kraven i filen ersätter avtalets nuvarande krav."
        )
        read = uploaded("Excel-fil med krav", upload_key, registers.parse_requirements_excel)
        if read is None:
            return
        upload, parsed = read
        st.success(plain(f"{len(parsed)} krav hittades i {upload.name}."))
        table(_requirement_row(r, readable=True) for r in parsed)
        if st.button("Ersätt kraven med filens krav", key=f"contracts.import.{contract.id}"):
            by_clause = {r.clause: r.id for r in requirements if r.clause}
            for r in parsed:
                r.id = by_clause.get(r.clause)
            _save_requirements(contract.id, parsed)


def _contract_saved(saved: Contract) -> NoReturn:
    st.session_state["contracts.pending"] = str(saved.id)
    rerun_with(f"Avtalet {saved.dnr} är sparat.")


def _save_requirements(contract_id: uuid.UUID, rows: list[registers.RequirementInput]) -> None:
    write(
        lambda s: len(registers.save_requirements(s, actor(), contract_id, rows)),
        _requirements_saved,
    )


def _requirements_saved(count: int) -> NoReturn:
    _refresh_editor()
    rerun_with(f"{count} krav är sparade.")
