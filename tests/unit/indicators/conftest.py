"""A contract with a care home and a home-care area, to hang indicators on."""

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session

from audit_app.models import Contract, Unit, UnitKind
from audit_app.services import registers
from tests.conftest import REVISOR


@dataclass
class Place:
    contract: Contract
    boende: Unit
    hemtjanst: Unit


@pytest.fixture
def place(session: Session) -> Place:
    contractor = registers.save_contractor(
        session, REVISOR, registers.ContractorInput("Omsorg AB", "556782-3413")
    )
    boende = registers.save_unit(
        session,
        REVISOR,
        registers.UnitInput(contractor.id, "Solgården", UnitKind.sarskilt_boende, 20),
    )
    hemtjanst = registers.save_unit(
        session, REVISOR, registers.UnitInput(contractor.id, "Hemtjänst Syd", UnitKind.hemtjanst)
    )
    contract = registers.save_contract(
        session,
        REVISOR,
        registers.ContractInput(
            "VOF 2024/118",
            "Drift av boende och hemtjänst",
            contractor.id,
            date(2024, 1, 1),
            date(2028, 12, 31),
            [boende.id, hemtjanst.id],
        ),
    )
    session.commit()
    return Place(contract, boende, hemtjanst)
