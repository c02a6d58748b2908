"""Small queries the registers, indicators and signals share: a record that already holds a
value (or a name), the unit names of linked records, the conditions of a date range."""

import uuid
from datetime import date
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from audit_app.errors import FieldError
from audit_app.models import Contract, Contractor, Indicator, Unit

T = TypeVar("T", Contractor, Unit, Contract, Indicator)
Named = TypeVar("Named", Contractor, Unit, Indicator)


def twin(
    session: Session, model: type[T], own_id: uuid.UUID | None, *where: Any, archived: bool = False
) -> T | None:
    """The record of `model` meeting the conditions that is not `own_id` (the one being edited),
    or None; archived records count only with `archived=True` (a number unique for all time)."""
    query = select(model).where(*where)
    if own_id is not None:
        query = query.where(col(model.id) != own_id)
    if not archived:
        query = query.where(col(model.archived).is_(False))
    return session.exec(query).first()


def name_problems(
    session: Session,
    model: type[Named],
    own_id: uuid.UUID | None,
    name: str,
    *scope: Any,
    whose: str,
    taken: str,
    longest: int | None = None,
) -> list[FieldError]:
    """The problem with a record's (cleaned) name, if any: none given ("ange {whose} namn"),
    longer than `longest`, or held by another live record of `model` within `scope` (then
    "Namn: {taken} 'name'.")."""
    if not name:
        return [FieldError("name", f"Namn: ange {whose} namn.")]
    if longest is not None and len(name) > longest:
        return [FieldError("name", f"Namn: högst {longest} tecken.")]
    if twin(session, model, own_id, *scope, model.name == name) is not None:
        return [FieldError("name", f"Namn: {taken} {name!r}.")]
    return []


def unit_names_by(
    session: Session, owner: Any, unit_id: Any, owner_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    """The names of the units linked to each owner id, by name (one query): `owner` and `unit_id`
    are the link table's columns, e.g. `ContractUnit.contract_id` and `ContractUnit.unit_id`."""
    result: dict[uuid.UUID, list[str]] = {i: [] for i in owner_ids}
    if not owner_ids:
        return result
    rows = session.exec(
        select(owner, Unit.name)
        .join(Unit, col(Unit.id) == unit_id)
        .where(col(owner).in_(owner_ids))
        .order_by(col(Unit.name))
    )
    for owner_id, name in rows:
        result[owner_id].append(name)
    return result


def within(column: Any, date_from: date | None, date_to: date | None) -> list[Any]:
    """The conditions keeping `column` within the range; an open end adds none."""
    conditions = []
    if date_from is not None:
        conditions.append(col(column) >= date_from)
    if date_to is not None:
        conditions.append(col(column) <= date_to)
    return conditions
