"""Registers of contractors, units and contracts with their requirements."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session, col, select
from stdnum.se import orgnr

from audit_app.auth import EDIT_REGISTERS, Actor, require
from audit_app.db import fetch
from audit_app.errors import FieldError, NotFound, ValidationFailed
from audit_app.models import (
    Contract,
    Contractor,
    ContractUnit,
    ItemKind,
    ProcurementForm,
    Requirement,
    RequirementKind,
    Unit,
    UnitKind,
)
from audit_app.services import checklists
from audit_app.services.audit_log import create_or_update, log_event, record_changes
from audit_app.services.lookups import name_problems, twin, unit_names_by
from audit_app.services.privacy import guard, looks_like_personnummer, normalise
from audit_app.services.sheets import cell_error, cell_text, find_header, read_workbook
from audit_app.services.untrusted.checks import check_upload
from audit_app.services.untrusted.guard import run_guarded
from audit_app.services.untrusted.sniff import WORKBOOKS

R = TypeVar("R", Contractor, Unit, Contract)

DNR_PATTERN = re.compile(r"^(?:[A-ZÅÄÖ]{1,8} ?)?(?:19|20)\d{2}[/-]\d{1,6}(?:\.\d{1,4})?$")


# --------------------------------------------------------------------------- validation


def normalize_org_nr(value: str) -> str:
    """Return an organisationsnummer as NNNNNN-NNNN, or raise ValueError with a Swedish reason."""
    raw = normalise(value).strip().replace(" ", "")
    digits = raw.replace("-", "")
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if not re.fullmatch(r"\d{10}", digits) or (
        "-" in raw and not re.fullmatch(r"(16)?\d{6}-\d{4}", raw)
    ):
        raise ValueError("Organisationsnumret ska ha tio siffror, till exempel 556123-4567.")
    if int(digits[2]) < 2 or looks_like_personnummer(digits):
        raise ValueError(
            "Organisationsnumret ser ut som ett personnummer (tredje siffran är 0 eller 1). "
            "Ange bolagets organisationsnummer; personnummer får inte registreras."
        )
    if not orgnr.is_valid(digits):
        raise ValueError(
            "Organisationsnumret har fel kontrollsiffra (sista siffran). Kontrollera numret "
            "mot Bolagsverket eller avtalet."
        )
    return orgnr.format(digits)


def check_dnr(value: str) -> str:
    dnr = " ".join(value.strip().upper().split())
    if not DNR_PATTERN.fullmatch(dnr):
        raise ValueError(
            "Diarienumret ska ha formen 'VOF 2026/123' eller '2026-00123' "
            "(valfritt prefix, årtal, snedstreck eller bindestreck, löpnummer)."
        )
    return dnr


# --------------------------------------------------------------------------- inputs


@dataclass
class ContractorInput:
    name: str
    org_nr: str
    contact_name: str = ""
    contact_role: str = ""
    contact_email: str = ""


@dataclass
class UnitInput:
    contractor_id: uuid.UUID
    name: str
    kind: UnitKind
    places: int = 0
    sections: list[str] = field(default_factory=list)
    address: str = ""


@dataclass
class ContractInput:
    dnr: str
    title: str
    contractor_id: uuid.UUID
    valid_from: date
    valid_to: date
    unit_ids: list[uuid.UUID] = field(default_factory=list)
    extension_option: str = ""
    extension_until: date | None = None
    procurement_form: ProcurementForm = ProcurementForm.lou  # LOU or LOV: the ladder's last step


@dataclass
class RequirementInput:
    clause: str
    text: str
    kind: RequirementKind = RequirementKind.ska
    area: str = ""
    id: uuid.UUID | None = None
    hint: str = ""  # what the revisor looks at
    applies_to: list[UnitKind] = field(default_factory=list)  # empty: every unit


# --------------------------------------------------------------------------- contractors


def _register(
    session: Session,
    model: type[R],
    order: Any,
    include_archived: bool,
    of_contractor: Any = None,
) -> list[R]:
    """A register's records in order, archived ones only if asked for; `of_contractor` is a
    condition naming one contractor's records, or None for all."""
    query = select(model).order_by(order)
    if of_contractor is not None:
        query = query.where(of_contractor)
    if not include_archived:
        query = query.where(col(model.archived).is_(False))
    return list(session.exec(query))


def _of(model: type[Unit | Contract], contractor_id: uuid.UUID | None) -> Any:
    """The condition naming one contractor's units or contracts (None: every contractor's)."""
    return None if contractor_id is None else model.contractor_id == contractor_id


def list_contractors(session: Session, include_archived: bool = False) -> list[Contractor]:
    return _register(session, Contractor, Contractor.name, include_archived)


def get_contractor(session: Session, contractor_id: uuid.UUID) -> Contractor:
    return fetch(session, Contractor, contractor_id, "Entreprenören finns inte.")


def save_contractor(
    session: Session, actor: Actor, data: ContractorInput, contractor_id: uuid.UUID | None = None
) -> Contractor:
    """Create or update a contractor after checking every field."""
    require(actor, EDIT_REGISTERS, "ändra i registret över entreprenörer")
    guard(
        {
            "name": ("Namn", data.name),
            "org_nr": ("Organisationsnummer", data.org_nr),
            "contact_name": ("Kontaktperson", data.contact_name),
            "contact_role": ("Kontaktpersonens roll", data.contact_role),
            "contact_email": ("E-post", data.contact_email),
        }
    )
    name = " ".join(data.name.split())
    errors = name_problems(
        session,
        Contractor,
        contractor_id,
        name,
        whose="entreprenörens",
        taken="det finns redan en entreprenör",
    )
    org_nr = ""
    try:
        org_nr = normalize_org_nr(data.org_nr)
    except ValueError as exc:
        errors.append(FieldError("org_nr", f"Organisationsnummer: {exc}"))
    holder = (
        twin(session, Contractor, contractor_id, Contractor.org_nr == org_nr, archived=True)
        if org_nr
        else None
    )
    if holder is not None:
        where = " (arkiverad)" if holder.archived else ""
        errors.append(
            FieldError(
                "org_nr",
                f"Organisationsnummer: {org_nr} är redan registrerat för {holder.name}{where}.",
            )
        )
    email = data.contact_email.strip()
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors.append(FieldError("contact_email", "E-post: adressen ser inte ut som en e-post."))
    if errors:
        raise ValidationFailed(errors)
    changes: dict[str, Any] = {
        "name": name,
        "org_nr": org_nr,
        "contact_name": data.contact_name.strip(),
        "contact_role": data.contact_role.strip(),
        "contact_email": email,
    }
    return create_or_update(
        session, actor, Contractor, contractor_id, changes, "Entreprenören finns inte."
    )


def set_archived(
    session: Session,
    actor: Actor,
    model: type[Contractor | Unit | Contract],
    record_id: uuid.UUID,
    archived: bool = True,
) -> None:
    """Archive (or restore) a register record; nothing a follow-up refers to is ever deleted."""
    require(actor, EDIT_REGISTERS, "arkivera i registren")
    record = fetch(session, model, record_id, "Posten finns inte.")
    record_changes(session, actor, record, {"archived": archived})
    log_event(
        session,
        actor,
        str(model.__tablename__),
        record_id,
        "arkiverad" if archived else "återställd",
    )


# --------------------------------------------------------------------------- units


def list_units(
    session: Session, contractor_id: uuid.UUID | None = None, include_archived: bool = False
) -> list[Unit]:
    return _register(session, Unit, Unit.name, include_archived, _of(Unit, contractor_id))


def get_unit(session: Session, unit_id: uuid.UUID) -> Unit:
    return fetch(session, Unit, unit_id, "Enheten finns inte.")


def save_unit(
    session: Session, actor: Actor, data: UnitInput, unit_id: uuid.UUID | None = None
) -> Unit:
    """Create or update a unit (verksamhet) of a contractor."""
    require(actor, EDIT_REGISTERS, "ändra i registret över enheter")
    guard(
        {
            "name": ("Namn", data.name),
            "sections": ("Avdelningar", data.sections),
            "address": ("Adress", data.address),
        }
    )
    errors: list[FieldError] = []
    name = " ".join(data.name.split())
    if session.get(Contractor, data.contractor_id) is None:
        errors.append(FieldError("contractor_id", "Entreprenör: välj en entreprenör."))
    errors += name_problems(
        session, Unit, unit_id, name, whose="enhetens", taken="det finns redan en enhet"
    )
    if data.places < 0 or data.places > 2000:
        errors.append(FieldError("places", "Antal platser: ange ett tal mellan 0 och 2000."))
    sections = [" ".join(s.split()) for s in data.sections if s.strip()]
    if len({s.lower() for s in sections}) != len(sections):
        errors.append(FieldError("sections", "Avdelningar: samma avdelning står flera gånger."))
    if errors:
        raise ValidationFailed(errors)
    changes: dict[str, Any] = {
        "contractor_id": data.contractor_id,
        "name": name,
        "kind": data.kind,
        "places": data.places,
        "sections": sections,
        "address": data.address.strip(),
    }
    return create_or_update(session, actor, Unit, unit_id, changes, "Enheten finns inte.")


# --------------------------------------------------------------------------- contracts


def list_contracts(
    session: Session, contractor_id: uuid.UUID | None = None, include_archived: bool = False
) -> list[Contract]:
    return _register(
        session, Contract, Contract.dnr, include_archived, _of(Contract, contractor_id)
    )


def get_contract(session: Session, contract_id: uuid.UUID) -> Contract:
    return fetch(session, Contract, contract_id, "Avtalet finns inte.")


def contract_unit_ids(session: Session, contract_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        session.exec(select(ContractUnit.unit_id).where(ContractUnit.contract_id == contract_id))
    )


@dataclass
class ContractSummary:
    """A contract as the register lists it: its units and its own requirements."""

    contract: Contract
    contractor: str
    units: list[str]
    requirements: list[Requirement]


def contract_register(session: Session, include_archived: bool = False) -> list[ContractSummary]:
    """Every contract with its contractor, units and requirements (few queries, any size)."""
    contracts = list_contracts(session, include_archived=include_archived)
    ids = [c.id for c in contracts]
    contractors = {c.id: c.name for c in session.exec(select(Contractor))}
    units = unit_names_by(session, ContractUnit.contract_id, ContractUnit.unit_id, ids)
    requirements: dict[uuid.UUID, list[Requirement]] = {i: [] for i in ids}
    if ids:
        for req in session.exec(
            select(Requirement)
            .where(col(Requirement.contract_id).in_(ids), col(Requirement.archived).is_(False))
            .order_by(col(Requirement.position))
        ):
            requirements[req.contract_id].append(req)
    return [
        ContractSummary(c, contractors.get(c.contractor_id, ""), units[c.id], requirements[c.id])
        for c in contracts
    ]


def foreign_units(
    session: Session, contractor_id: uuid.UUID, unit_ids: list[uuid.UUID]
) -> list[FieldError]:
    """The one rule that a contract or a follow-up covers only units the contractor runs."""
    for unit_id in unit_ids:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.contractor_id != contractor_id:
            return [
                FieldError("unit_ids", "Enheter: välj bara enheter som drivs av entreprenören.")
            ]
    return []


def save_contract(
    session: Session, actor: Actor, data: ContractInput, contract_id: uuid.UUID | None = None
) -> Contract:
    """Create or update a contract and the units it covers."""
    require(actor, EDIT_REGISTERS, "ändra i registret över avtal")
    guard(
        {
            "dnr": ("Diarienummer", data.dnr),
            "title": ("Benämning", data.title),
            "extension_option": ("Förlängningsoption", data.extension_option),
        }
    )
    errors: list[FieldError] = []
    dnr = ""
    try:
        dnr = check_dnr(data.dnr)
        if twin(session, Contract, contract_id, Contract.dnr == dnr, archived=True) is not None:
            errors.append(FieldError("dnr", f"Diarienummer: avtalet {dnr} finns redan."))
    except ValueError as exc:
        errors.append(FieldError("dnr", f"Diarienummer: {exc}"))
    title = " ".join(data.title.split())
    if not title:
        errors.append(FieldError("title", "Benämning: ange vad avtalet gäller."))
    if session.get(Contractor, data.contractor_id) is None:
        errors.append(FieldError("contractor_id", "Entreprenör: välj en entreprenör."))
    if data.valid_to < data.valid_from:
        errors.append(
            FieldError("valid_to", "Giltigt till: slutdatum kan inte ligga före startdatum.")
        )
    if data.extension_until is not None and data.extension_until <= data.valid_to:
        errors.append(
            FieldError(
                "extension_until",
                "Förlängning till: datumet måste ligga efter avtalets slutdatum.",
            )
        )
    errors += foreign_units(session, data.contractor_id, data.unit_ids)
    if errors:
        raise ValidationFailed(errors)
    changes: dict[str, Any] = {
        "dnr": dnr,
        "title": title,
        "contractor_id": data.contractor_id,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
        "extension_option": data.extension_option.strip(),
        "extension_until": data.extension_until,
        "procurement_form": data.procurement_form,
    }
    contract = create_or_update(
        session, actor, Contract, contract_id, changes, "Avtalet finns inte."
    )
    current = set(contract_unit_ids(session, contract.id))
    wanted = set(data.unit_ids)
    for unit_id in current - wanted:
        link = session.get(ContractUnit, (contract.id, unit_id))
        if link is not None:
            session.delete(link)
    for unit_id in wanted - current:
        session.add(ContractUnit(contract_id=contract.id, unit_id=unit_id))
    if current != wanted:
        log_event(session, actor, "contract", contract.id, "enheter ändrade")
    session.flush()
    return contract


# --------------------------------------------------------------------------- requirements


def list_requirements(
    session: Session, contract_id: uuid.UUID, include_archived: bool = False
) -> list[Requirement]:
    query = select(Requirement).where(Requirement.contract_id == contract_id)
    if not include_archived:
        query = query.where(col(Requirement.archived).is_(False))
    return list(session.exec(query.order_by(col(Requirement.position))))


def parse_kind(value: str) -> RequirementKind | None:
    text = value.strip().lower().replace("-krav", "").replace("krav", "").strip()
    return {"ska": RequirementKind.ska, "bör": RequirementKind.bor, "bor": RequirementKind.bor}.get(
        text
    )


def validate_requirements(rows: list[RequirementInput], where: str = "Rad") -> list[FieldError]:
    """Check requirement rows; messages name the row and the column."""
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        if not row.text.strip():
            errors.append(
                FieldError(f"{number}.text", f'{where} {number}, kolumn "Krav": kravtexten är tom.')
            )
        clause = " ".join(row.clause.split()).lower()
        if clause:
            if clause in seen:
                errors.append(
                    FieldError(
                        f"{number}.clause",
                        f'{where} {number}, kolumn "Avtalspunkt": {clause} står redan på rad '
                        f"{seen[clause]}.",
                    )
                )
            seen[clause] = number
    return errors


def save_requirements(
    session: Session, actor: Actor, contract_id: uuid.UUID, rows: list[RequirementInput]
) -> list[Requirement]:
    """Replace the contract's requirement list: update kept rows, add new, archive removed."""
    require(actor, EDIT_REGISTERS, "ändra avtalets krav")
    guard(
        {
            f"{number}.{name}": (f'Rad {number}, kolumn "{label}"', getattr(row, name))
            for number, row in enumerate(rows, start=1)
            for name, label in (
                ("clause", "Avtalspunkt"),
                ("text", "Krav"),
                ("area", "Område"),
                ("hint", "Stöd för bedömningen"),
            )
        }
    )
    get_contract(session, contract_id)
    rows = [r for r in rows if r.text.strip() or r.clause.strip()]
    errors = validate_requirements(rows)
    if errors:
        raise ValidationFailed(errors)
    existing = {r.id: r for r in list_requirements(session, contract_id)}
    kept: list[Requirement] = []
    for position, row in enumerate(rows):
        changes: dict[str, Any] = {
            "position": position,
            "clause": row.clause.strip(),
            "text": row.text.strip(),
            "kind": row.kind,
            "area": row.area.strip(),
            "hint": row.hint.strip(),
            "applies_to": [UnitKind(k).value for k in row.applies_to],
        }
        if row.id is not None and row.id in existing:
            requirement = existing.pop(row.id)
            record_changes(session, actor, requirement, changes)
        else:
            requirement = Requirement(contract_id=contract_id, **changes)
            record_changes(session, actor, requirement, changes, created=True)
        kept.append(requirement)
    for requirement in existing.values():
        record_changes(session, actor, requirement, {"archived": True})
    session.flush()
    return kept


REQUIREMENT_COLUMNS = ["Avtalspunkt", "Krav", "Typ", "Område"]
OPTIONAL_COLUMNS = ["Vägledning", "Gäller för"]


def contract_unit_kinds(session: Session, contract_id: uuid.UUID) -> set[UnitKind]:
    """Return the kinds of the units a contract covers (särskilt boende, hemtjänst, ...)."""
    ids = contract_unit_ids(session, contract_id)
    if not ids:
        return set()
    found = session.exec(select(Unit.kind).where(col(Unit.id).in_(ids))).all()
    return {UnitKind(kind) for kind in found}


def standard_lists_for(session: Session, contract_id: uuid.UUID) -> list[checklists.Checklist]:
    """Return the standard lists that fit the contract's unit kinds (all when it has no unit)."""
    kinds = contract_unit_kinds(session, contract_id)
    return [
        c for c in checklists.requirement_lists(session) if checklists.applies(c.applies_to, kinds)
    ]


def copy_standard_requirements(
    session: Session, actor: Actor, contract_id: uuid.UUID, list_key: str
) -> int:
    """Start a contract's requirements from a shipped standard list ("utgå från
    standardlistan"): its items that concern the contract's unit kinds are copied as the
    contract's own requirements (then edited like any other); clauses the contract already has
    are left as they are. An item without unit kinds of its own concerns the list's unit kinds.
    Return how many were added."""
    require(actor, EDIT_REGISTERS, "ändra avtalets krav")
    contract = get_contract(session, contract_id)
    standard = next((c for c in checklists.requirement_lists(session) if c.key == list_key), None)
    if standard is None:
        raise NotFound(f"Standardlistan {list_key!r} finns inte.")
    kinds = contract_unit_kinds(session, contract.id)
    current = list_requirements(session, contract.id)
    have = {" ".join(r.clause.split()).lower() for r in current if r.clause}
    rows = [
        RequirementInput(
            r.clause, r.text, r.kind, r.area, r.id, r.hint, [UnitKind(k) for k in r.applies_to]
        )
        for r in current
    ]
    added = 0
    for section, item in standard.items():
        concerns = list(item.applies_to or standard.applies_to)
        if item.kind is ItemKind.fraga or not checklists.applies(concerns, kinds):
            continue
        if item.clause and " ".join(item.clause.split()).lower() in have:
            continue
        rows.append(
            RequirementInput(
                clause=item.clause,
                text=item.text,
                kind=RequirementKind.ska if item.kind is ItemKind.ska_krav else RequirementKind.bor,
                area=item.area or section.title,
                hint=item.guidance,
                applies_to=concerns,
            )
        )
        added += 1
    save_requirements(session, actor, contract.id, rows)
    log_event(session, actor, "contract", contract.id, f"krav från {list_key}: {added} tillagda")
    return added


def parse_requirements_excel(data: bytes, filename: str) -> list[RequirementInput]:
    """Read requirements from an uploaded workbook: checked first, then read in a guarded child.

    Columns Avtalspunkt, Krav, Typ, Område (and Vägledning, Gäller för when given); raise
    `ValidationFailed` (Swedish) naming the file.
    """
    check_upload(data, filename, WORKBOOKS)
    rows = run_guarded(_requirement_rows, data, filename, filename=filename)
    return [
        RequirementInput(
            clause=str(row["clause"]),
            text=str(row["text"]),
            kind=RequirementKind(row["kind"]),
            area=str(row["area"]),
            hint=str(row["hint"]),
            applies_to=[UnitKind(k) for k in row["applies_to"]],
        )
        for row in rows
    ]


def _requirement_rows(data: bytes, filename: str) -> list[dict[str, Any]]:
    """Read the requirements as plain rows (runs in the guarded child)."""
    return [
        {
            "clause": r.clause,
            "text": r.text,
            "kind": r.kind.value,
            "area": r.area,
            "hint": r.hint,
            "applies_to": [k.value for k in r.applies_to],
        }
        for r in read_requirements_excel(data, filename)
    ]


def read_requirements_excel(data: bytes, filename: str) -> list[RequirementInput]:
    """Read requirements from an Excel sheet with columns Avtalspunkt, Krav, Typ, Område."""
    sheets = read_workbook(data, filename)
    for sheet in sheets.values():
        found = find_header(sheet.rows, ["Krav"])
        if found is None:
            continue
        header_index, columns = found
        lower = {k.lower(): v for k, v in columns.items()}
        missing = [c for c in REQUIREMENT_COLUMNS if c.lower() not in lower]
        if missing:
            raise ValidationFailed(
                [
                    f'Blad "{sheet.name}", rad {header_index + 1}: kolumnen "{m}" saknas. '
                    f"Rubrikraden ska innehålla {', '.join(REQUIREMENT_COLUMNS)}."
                    for m in missing
                ],
                intro=f"Filen {filename!r} kunde inte läsas in:",
            )
        rows: list[RequirementInput] = []
        errors: list[FieldError] = []
        seen: dict[str, int] = {}
        for index in range(header_index + 1, len(sheet.rows)):
            raw = sheet.rows[index]

            values = {
                c: cell_text(raw[lower[c.lower()]]) if lower[c.lower()] < len(raw) else ""
                for c in REQUIREMENT_COLUMNS + OPTIONAL_COLUMNS
                if c.lower() in lower
            }
            if not any(values.values()):
                continue
            excel_row = index + 1
            if not values["Krav"]:
                errors.append(cell_error(sheet.name, excel_row, "Krav", "kravtexten är tom."))
            kind = parse_kind(values["Typ"]) if values["Typ"] else RequirementKind.ska
            if kind is None:
                errors.append(
                    cell_error(
                        sheet.name,
                        excel_row,
                        "Typ",
                        f'"{values["Typ"]}" är ingen giltig typ. Skriv SKA eller BÖR.',
                    )
                )
            clause = values["Avtalspunkt"]
            if clause and clause in seen:
                errors.append(
                    cell_error(
                        sheet.name,
                        excel_row,
                        "Avtalspunkt",
                        f"{clause} står redan på rad {seen[clause]}.",
                    )
                )
            if clause:
                seen.setdefault(clause, excel_row)
            unit_kinds: list[UnitKind] = []
            for code in checklists.to_code_list(values.get("Gäller för", "")) or []:
                try:
                    unit_kinds.append(UnitKind(code))
                except ValueError:
                    errors.append(
                        cell_error(
                            sheet.name,
                            excel_row,
                            "Gäller för",
                            f'"{code}" är ingen enhetstyp. Skriv t.ex. särskilt boende, '
                            "hemtjänst, LSS bostad eller daglig verksamhet.",
                        )
                    )
            rows.append(
                RequirementInput(
                    clause=clause,
                    text=values["Krav"],
                    kind=kind or RequirementKind.ska,
                    area=values["Område"],
                    hint=values.get("Vägledning", ""),
                    applies_to=unit_kinds,
                )
            )
        if errors:
            raise ValidationFailed(errors, intro=f"Filen {filename!r} kunde inte läsas in:")
        if not rows:
            raise ValidationFailed([f'Blad "{sheet.name}": det finns inga krav under rubrikraden.'])
        return rows
    raise ValidationFailed(
        [
            f"Filen {filename!r}: hittade ingen rubrikrad med kolumnerna "
            f"{', '.join(REQUIREMENT_COLUMNS)} på något blad."
        ]
    )
