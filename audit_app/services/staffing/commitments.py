"""A contract's staffing commitments: stored per unit id, exchanged as YAML by unit name.

People write and read the commitments as YAML with `unit: <name>` (one document per unit, the
format of the CLI's --rules file). Saving maps each name to the unit's id; exporting writes each
unit's current name, so renaming a unit keeps its commitments.
"""

import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from sqlmodel import Session, col, select

from audit_app.auth import EDIT_REGISTERS, Actor, require
from audit_app.domain.svtext import capitalize
from audit_app.models import ContractUnit, StaffingCommitment, Unit
from audit_app.services import registers
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.privacy import guard
from audit_app.services.staffing.errors import RulesError
from audit_app.services.staffing.rules import (
    StaffingRules,
    norm,
    rules_from_data,
    rules_to_yaml,
    yaml_problems,
)
from audit_app.services.untrusted.yamlsafe import load_all_checked, size_refusal

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
- `review_days` (valfritt, annars 14): hur många dagar schemat ska omfatta; ett kortare schema,
  eller dagar utan pass på en avdelning, ger en varning i analysen.

En lista med sådana tabeller i ett enda dokument går också bra. Tom text betyder att avtalet
inte har några bemanningsåtaganden.
"""


@dataclass(frozen=True)
class UnitRules:
    """A unit and the contract's commitments for it (None when there are none)."""

    unit_id: uuid.UUID
    name: str
    rules: StaffingRules | None


@dataclass(frozen=True)
class CommitmentsEditor:
    """What the contract page shows of the commitments."""

    text: str  # the stored commitments as YAML, current unit names
    unit_names: list[str]  # the contract's units
    example: str  # an example for the contract's first unit
    file_name: str  # for the download
    token: str  # changes whenever the stored text changes (keys the editor widget)


# --------------------------------------------------------------------------- reading


def _contract_units(session: Session, contract_id: uuid.UUID) -> list[Unit]:
    return list(
        session.exec(
            select(Unit)
            .join(ContractUnit, col(ContractUnit.unit_id) == Unit.id)
            .where(ContractUnit.contract_id == contract_id)
            .order_by(col(Unit.name))
        )
    )


def _stored(
    session: Session, contract_id: uuid.UUID, *, linked_only: bool = True
) -> dict[uuid.UUID, StaffingCommitment]:
    """Return the contract's commitments by unit id; with `linked_only`, only those of units
    the contract still covers (a unit taken off the contract keeps none)."""
    query = select(StaffingCommitment).where(StaffingCommitment.contract_id == contract_id)
    if linked_only:
        query = query.join(
            ContractUnit,
            (col(ContractUnit.contract_id) == StaffingCommitment.contract_id)
            & (col(ContractUnit.unit_id) == StaffingCommitment.unit_id),
        )
    return {row.unit_id: row for row in session.exec(query)}


def _as_rules(unit: Unit, row: StaffingCommitment | None) -> StaffingRules | None:
    if row is None:
        return None
    try:
        return StaffingRules.model_validate({**row.rules, "unit": unit.name})
    except ValueError:
        return None  # stored before validation existed; the editor shows the problem


def rules_for(session: Session, contract_id: uuid.UUID, unit_id: uuid.UUID) -> StaffingRules | None:
    """Return the contract's staffing rules for the unit (with its current name), or None."""
    row = _stored(session, contract_id).get(unit_id)
    unit = session.get(Unit, unit_id)
    return _as_rules(unit, row) if unit is not None else None


def unit_rules(
    session: Session, contract_id: uuid.UUID, unit_ids: Sequence[uuid.UUID]
) -> list[UnitRules]:
    """Return each of the units with the contract's rules for it (a follow-up's units)."""
    stored = _stored(session, contract_id)
    out = []
    for unit_id in unit_ids:
        unit = registers.get_unit(session, unit_id)
        out.append(UnitRules(unit.id, unit.name, _as_rules(unit, stored.get(unit.id))))
    return out


def commitments_yaml(session: Session, contract_id: uuid.UUID) -> str:
    """Return the contract's commitments as YAML: one document per unit, current unit names,
    separated by `---` lines (the format `validate_rules_yaml` reads)."""
    stored = _stored(session, contract_id)
    docs = []
    for unit in _contract_units(session, contract_id):
        row = stored.get(unit.id)
        if row is None:
            continue
        rules = _as_rules(unit, row)
        if rules is not None:
            docs.append(rules_to_yaml(rules))
        else:
            raw = {"unit": unit.name, **row.rules}
            docs.append(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False))
    return "---\n".join(docs)


def example_yaml(unit_name: str = "Enhetens namn", sections: Sequence[str] = ()) -> str:
    """Return an example of one unit's commitments."""
    shown = list(sections) or ["Avd A", "Avd B"]
    return (
        f"unit: {unit_name}\n"
        f"sections: [{', '.join(shown)}]\n"
        "places_per_section: 10\n"
        "competence:\n"
        "  usk: [undersköterska, usk, sjuksköterska]\n"
        "periods:\n"
        '  - {name: Dag, start: "07:00", end: "15:00", min_staff: 3, min_competent: 2}\n'
        '  - {name: Natt, start: "21:30", end: "07:00", min_staff: 1, min_competent: 1}\n'
        "min_competent_hours_share: 0.75\n"
    )


def editor_for(session: Session, contract_id: uuid.UUID) -> CommitmentsEditor:
    """Return what the contract page's commitments editor shows."""
    contract = registers.get_contract(session, contract_id)
    units = _contract_units(session, contract_id)
    text = commitments_yaml(session, contract_id)
    slug = re.sub(r"[^0-9A-Za-z]+", "-", contract.dnr).strip("-").lower()
    return CommitmentsEditor(
        text=text,
        unit_names=[u.name for u in units],
        example=example_yaml(units[0].name, units[0].sections) if units else example_yaml(),
        file_name=f"bemanningsataganden-{slug or 'avtal'}.yaml",
        token=hashlib.sha256(text.encode()).hexdigest()[:12],
    )


def summary(rules: Sequence[StaffingRules]) -> str:
    """Return a short Swedish summary: "Solgården (2 avdelningar, 3 pass)"."""
    if not rules:
        return "inga bemanningsåtaganden"
    return ", ".join(
        f"{r.unit} ({len(r.sections)} avdelningar, {len(r.periods)} pass)" for r in rules
    )


# --------------------------------------------------------------------------- validating


def _unknown_unit(name: str, unit_names: Sequence[str]) -> str:
    names = ", ".join(unit_names) or "inga"
    return (
        f"enheten {name} finns inte i avtalet (avtalets enheter: {names}). "
        "Skriv enhetens namn som i registret."
    )


def _joined(prefix: str, text: str) -> str:
    """Prefix a message with its unit, or start it with a capital letter."""
    return prefix + text if prefix else capitalize(text)


def uploaded_text(data: bytes, filename: str) -> str:
    """The text of an uploaded commitments file; its size is checked before it is decoded (an
    upload may be up to Streamlit's cap, far over the YAML cap), and it must be UTF-8."""
    too_big = size_refusal(len(data), f"Filen {filename}")
    if too_big:
        raise RulesError([too_big])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RulesError([f"Filen {filename} är inte sparad som UTF-8."]) from None


def validate_rules_yaml(text: str, unit_names: Sequence[str] | None = None) -> list[StaffingRules]:
    """Read a contract's staffing commitments from YAML; raise `RulesError` in Swedish.

    The text is one YAML document per unit in the exchange format (documents separated by a
    line `---`), or one document that is a list of such tables. Empty text means no
    commitments. With `unit_names`, every `unit` must be one of them (the contract's units) and
    is spelt as there.
    """
    with yaml_problems("Åtagandena"):
        docs = [
            d
            for d in load_all_checked(text or "", "åtaganden", label="Åtagandena")
            if d is not None
        ]
    entries: list[Any] = []
    for doc in docs:
        entries.extend(doc if isinstance(doc, list) else [doc])
    messages: list[str] = []
    out: list[StaffingRules] = []
    seen: dict[str, int] = {}
    known = {norm(u): u for u in unit_names} if unit_names is not None else None
    for number, entry in enumerate(entries, start=1):
        label = str(entry.get("unit", "")).strip() if isinstance(entry, dict) else ""
        prefix = "" if len(entries) == 1 else f"Enhet nr {number}{f' ({label})' if label else ''}: "
        if not isinstance(entry, dict):
            messages.append(
                _joined(
                    prefix,
                    "varje enhet ska vara en YAML-tabell med fälten unit, sections, "
                    "places_per_section, competence, periods och min_competent_hours_share.",
                )
            )
            continue
        try:
            rules = rules_from_data(entry)
        except RulesError as exc:
            messages.extend(prefix + m for m in exc.messages)
            continue
        key = norm(rules.unit)
        if key in seen:
            messages.append(
                _joined(
                    prefix,
                    f"enheten {rules.unit} har redan åtaganden i enhet nr {seen[key]}; "
                    "ange varje enhet en gång.",
                )
            )
            continue
        seen[key] = number
        if known is not None and key not in known:
            messages.append(_joined(prefix, _unknown_unit(rules.unit, unit_names or [])))
            continue
        if known is not None:
            rules = rules.model_copy(update={"unit": known[key]})
        out.append(rules)
    if messages:
        raise RulesError(messages)
    return out


# --------------------------------------------------------------------------- saving


def save_rules(
    session: Session, actor: Actor, contract_id: uuid.UUID, rules: Sequence[StaffingRules]
) -> list[StaffingRules]:
    """Store the commitments as the contract's (replacing earlier ones), one row per unit.

    Each `rules.unit` must name one of the contract's units; it is stored by the unit's id.
    """
    require(actor, EDIT_REGISTERS, "ändra avtalets bemanningsåtaganden")
    guard({"rules": ("Bemanningsåtagandena", [r.model_dump(mode="json") for r in rules])})
    registers.get_contract(session, contract_id)
    units = _contract_units(session, contract_id)
    by_name = {norm(u.name): u for u in units}
    unknown = [r.unit for r in rules if norm(r.unit) not in by_name]
    if unknown:
        names = [u.name for u in units]
        raise RulesError([capitalize(_unknown_unit(name, names)) for name in unknown])
    stored = _stored(session, contract_id, linked_only=False)
    saved = []
    changed = False
    for entry in rules:
        unit = by_name[norm(entry.unit)]
        data = entry.model_dump(mode="json", exclude={"unit"})
        row = stored.pop(unit.id, None)
        if row is None:
            row = StaffingCommitment(
                contract_id=contract_id, unit_id=unit.id, updated_by_id=actor.user_id
            )
            changed |= bool(record_changes(session, actor, row, {"rules": data}, created=True))
        else:
            changed |= bool(record_changes(session, actor, row, {"rules": data}))
        saved.append(entry.model_copy(update={"unit": unit.name}))
    for row in stored.values():
        log_event(session, actor, "staffingcommitment", row.id, "borttaget")
        session.delete(row)
        changed = True
    if changed:
        log_event(session, actor, "contract", contract_id, "bemanningsåtaganden ändrade")
    session.flush()
    return saved


def save_rules_yaml(
    session: Session, actor: Actor, contract_id: uuid.UUID, text: str
) -> list[StaffingRules]:
    """Validate YAML against the contract's units and store it as the contract's commitments."""
    require(actor, EDIT_REGISTERS, "ändra avtalets bemanningsåtaganden")
    guard({"text": ("Bemanningsåtagandena", text)})
    names = [u.name for u in _contract_units(session, contract_id)]
    return save_rules(session, actor, contract_id, validate_rules_yaml(text, names))
