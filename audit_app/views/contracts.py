"""Register of contracts (avtal) with their SKA/BÖR requirements."""

import uuid
from datetime import date

import pandas as pd
import streamlit as st

from audit_app.auth import EDIT_REGISTERS
from audit_app.domain import labels
from audit_app.errors import UserError
from audit_app.models import Contract, ProcurementForm, RequirementKind
from audit_app.services import registers as reg
from audit_app.ui import actor, can, db, flash, plain, show_error, show_flash, sv_date
from audit_app.views.staffing_rules import render_rules_editor

NEW = "__new__"
KIND_OPTIONS = {"SKA": RequirementKind.ska, "BÖR": RequirementKind.bor}


def render() -> None:
    st.title("Avtal")
    show_flash()
    editable = can(EDIT_REGISTERS)
    with db() as session:
        contracts = reg.list_contracts(
            session, include_archived=st.session_state.get("contracts.archived", False)
        )
        contractors = {c.id: c.name for c in reg.list_contractors(session, include_archived=True)}
        units = reg.list_units(session, include_archived=True)
        links = {c.id: reg.contract_unit_ids(session, c.id) for c in contracts}
    unit_names = {u.id: u.name for u in units}
    st.dataframe(
        pd.DataFrame(
            [
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
            ],
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
        ),
        hide_index=True,
        width="stretch",
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
        ids = list(active_contractors)
        contractor_id = st.selectbox(
            "Entreprenör *",
            ids,
            index=ids.index(current.contractor_id)
            if current and current.contractor_id in ids
            else 0,
            format_func=active_contractors.__getitem__,
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
        forms = list(ProcurementForm)
        procurement_form = st.radio(
            "Upphandlingsform *",
            forms,
            index=forms.index(current.procurement_form) if current else 0,
            format_func=labels.PROCUREMENT_LABELS.__getitem__,
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
        data = reg.ContractInput(
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
        try:
            with db() as session:
                saved = reg.save_contract(session, actor(), data, current.id if current else None)
                saved_id, saved_dnr = saved.id, saved.dnr
        except UserError as exc:
            show_error(exc)
        else:
            flash(f"Avtalet {saved_dnr} är sparat.")
            st.session_state["contracts.pending"] = str(saved_id)
            st.rerun()
    if current is not None:
        label = "Återställ avtalet" if current.archived else "Arkivera avtalet"
        if st.button(label, key=f"contracts.archive.{current.id}"):
            with db() as session:
                reg.set_archived(session, actor(), Contract, current.id, not current.archived)
            flash("Avtalet är arkiverat." if not current.archived else "Avtalet är återställt.")
            st.rerun()


def _requirements(contract: Contract, editable: bool) -> None:
    with db() as session:
        requirements = reg.list_requirements(session, contract.id)
    frame = pd.DataFrame(
        [
            {
                "id": str(r.id),
                "Avtalspunkt": r.clause,
                "Krav": r.text,
                "Typ": "SKA" if r.kind is RequirementKind.ska else "BÖR",
                "Område": r.area,
            }
            for r in requirements
        ],
        columns=["id", "Avtalspunkt", "Krav", "Typ", "Område"],
    )
    ska = sum(r.kind is RequirementKind.ska for r in requirements)
    st.caption(f"{ska} SKA-krav och {len(requirements) - ska} BÖR-krav.")
    config = {
        "id": None,
        "Avtalspunkt": st.column_config.TextColumn(
            width="small", help="Punkt i avtalet, t.ex. 4.2.1"
        ),
        "Krav": st.column_config.TextColumn(width="large", required=True),
        "Typ": st.column_config.SelectboxColumn(
            options=list(KIND_OPTIONS), required=True, default="SKA", width="small"
        ),
        "Område": st.column_config.TextColumn(width="medium"),
    }
    if not editable:
        st.dataframe(frame.drop(columns=["id"]), hide_index=True, width="stretch")
        return
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=config,
        key=f"contracts.requirements.{contract.id}.{contract.version}",
    )
    if st.button("Spara kraven", type="primary", key=f"contracts.save_requirements.{contract.id}"):
        rows = []
        for record in edited.to_dict("records"):
            kind = KIND_OPTIONS.get(str(record.get("Typ") or "SKA"), RequirementKind.ska)
            rid = record.get("id")
            rows.append(
                reg.RequirementInput(
                    clause=str(record.get("Avtalspunkt") or ""),
                    text=str(record.get("Krav") or ""),
                    kind=kind,
                    area=str(record.get("Område") or ""),
                    id=uuid.UUID(rid) if isinstance(rid, str) and rid else None,
                )
            )
        _save_requirements(contract.id, rows)
    upload_key = f"contracts.upload.{contract.id}"
    with st.expander(
        "Läs in krav från Excel", expanded=st.session_state.get(upload_key) is not None
    ):
        st.write(
            "Filen ska ha en rubrikrad med kolumnerna **Avtalspunkt**, **Krav**, **Typ** (SKA eller BÖR) "
            "och **Område**. Kraven i filen ersätter avtalets nuvarande krav."
        )
        upload = st.file_uploader("Excel-fil med krav", type=["xlsx", "xls", "ods"], key=upload_key)
        if upload is not None:
            try:
                parsed = reg.parse_requirements_excel(upload.getvalue(), upload.name)
            except UserError as exc:
                show_error(exc)
            else:
                st.success(plain(f"{len(parsed)} krav hittades i {upload.name}."))
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                "Avtalspunkt": r.clause,
                                "Krav": r.text,
                                "Typ": "SKA" if r.kind is RequirementKind.ska else "BÖR",
                                "Område": r.area,
                            }
                            for r in parsed
                        ]
                    ),
                    hide_index=True,
                    width="stretch",
                )
                if st.button(
                    "Ersätt kraven med filens krav", key=f"contracts.import.{contract.id}"
                ):
                    by_clause = {r.clause: r.id for r in requirements if r.clause}
                    for r in parsed:
                        r.id = by_clause.get(r.clause)
                    _save_requirements(contract.id, parsed)


def _save_requirements(contract_id: uuid.UUID, rows: list[reg.RequirementInput]) -> None:
    try:
        with db() as session:
            kept = reg.save_requirements(session, actor(), contract_id, rows)
            count = len(kept)
            contract = reg.get_contract(session, contract_id)
            contract.version += 1  # refresh the editor
            session.add(contract)
    except UserError as exc:
        show_error(exc)
    else:
        flash(f"{count} krav är sparade.")
        st.rerun()
