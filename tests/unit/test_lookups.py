"""Shared lookups: a record already holding a value, unit names per linked record, date ranges."""

import uuid
from datetime import date

import pytest
from sqlmodel import Session

from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import Contractor, ContractUnit, Signal, UnitKind
from audit_app.services import registers
from audit_app.services.lookups import name_problems, twin, unit_names_by, within
from tests.conftest import REVISOR


def _contractor(session: Session, name: str, org_nr: str) -> Contractor:
    return registers.save_contractor(session, REVISOR, registers.ContractorInput(name, org_nr))


def test_twin_is_another_live_record_with_the_value(session: Session) -> None:
    first = _contractor(session, "Omsorg AB", "556782-3413")
    assert twin(session, Contractor, None, Contractor.name == "Omsorg AB") == first
    assert twin(session, Contractor, first.id, Contractor.name == "Omsorg AB") is None
    assert twin(session, Contractor, None, Contractor.name == "Annan AB") is None
    registers.set_archived(session, REVISOR, Contractor, first.id)
    assert twin(session, Contractor, None, Contractor.name == "Omsorg AB") is None
    found = twin(session, Contractor, None, Contractor.name == "Omsorg AB", archived=True)
    assert found == first


def test_unit_names_by_owner_in_name_order(session: Session) -> None:
    c = _contractor(session, "Omsorg AB", "556782-3413")
    units = [
        registers.save_unit(session, REVISOR, registers.UnitInput(c.id, name, UnitKind.hemtjanst))
        for name in ("Björken", "Aspen")
    ]
    data = registers.ContractInput(
        "SN 2024/12", "Hemtjänst", c.id, date(2024, 1, 1), date(2027, 12, 31), [u.id for u in units]
    )
    contract = registers.save_contract(session, REVISOR, data)
    other = uuid.uuid4()
    link = (ContractUnit.contract_id, ContractUnit.unit_id)
    assert unit_names_by(session, *link, [contract.id, other]) == {
        contract.id: ["Aspen", "Björken"],
        other: [],
    }
    assert unit_names_by(session, *link, []) == {}


def test_within_adds_a_condition_per_given_end() -> None:
    assert within(Signal.occurred_on, None, None) == []
    assert len(within(Signal.occurred_on, date(2025, 1, 1), None)) == 1
    both = within(Signal.occurred_on, date(2025, 1, 1), date(2025, 12, 31))
    assert [str(c) for c in both] == [
        "signal.occurred_on >= :occurred_on_1",
        "signal.occurred_on <= :occurred_on_1",
    ]


def test_name_problems_in_order_missing_long_taken(session: Session) -> None:
    first = _contractor(session, "Omsorg AB", "556782-3413")
    words = {"whose": "entreprenörens", "taken": "det finns redan en entreprenör"}
    assert name_problems(session, Contractor, None, "", **words) == [
        FieldError("name", "Namn: ange entreprenörens namn.")
    ]
    assert name_problems(session, Contractor, None, "Omsorg AB", longest=5, **words) == [
        FieldError("name", "Namn: högst 5 tecken.")
    ]
    assert name_problems(session, Contractor, None, "Omsorg AB", **words) == [
        FieldError("name", "Namn: det finns redan en entreprenör 'Omsorg AB'.")
    ]
    assert name_problems(session, Contractor, first.id, "Omsorg AB", **words) == []
    other = Contractor.org_nr == "559104-8276"
    assert name_problems(session, Contractor, None, "Omsorg AB", other, **words) == []


def test_twin_finds_the_other_holder_when_the_edited_record_holds_the_value_too(
    session: Session,
) -> None:
    first = _contractor(session, "Omsorg AB", "556782-3413")
    second = _contractor(session, "Annan AB", "559104-8276")
    second.name = "Omsorg AB"  # two records already share a name (e.g. one restored from archive)
    session.add(second)
    session.flush()
    assert twin(session, Contractor, first.id, Contractor.name == "Omsorg AB") == second


def test_an_org_nr_held_by_an_archived_contractor_is_refused_in_swedish(session: Session) -> None:
    old = _contractor(session, "Gamla Omsorg AB", "556782-3413")
    registers.set_archived(session, REVISOR, Contractor, old.id)
    with pytest.raises(ValidationFailed) as refused:
        _contractor(session, "Nya Omsorg AB", "556782-3413")
    assert "556782-3413 är redan registrerat för Gamla Omsorg AB (arkiverad)" in str(refused.value)
