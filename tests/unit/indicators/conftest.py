"""A contract with a care home and a home-care area, to hang indicators on."""

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session

from audit_app.models import Contract, Unit, UnitKind
from audit_app.services import registers as reg
from tests.conftest import REVISOR


@dataclass
class Place:
    contract: Contract
    boende: Unit
    hemtjanst: Unit


@pytest.fixture
def place(session: Session) -> Place:
    contractor = reg.save_contractor(
        session, REVISOR, reg.ContractorInput("Omsorg AB", "556782-3413")
    )
    boende = reg.save_unit(
        session, REVISOR, reg.UnitInput(contractor.id, "Solgården", UnitKind.sarskilt_boende, 20)
    )
    hemtjanst = reg.save_unit(
        session, REVISOR, reg.UnitInput(contractor.id, "Hemtjänst Syd", UnitKind.hemtjanst)
    )
    contract = reg.save_contract(
        session,
        REVISOR,
        reg.ContractInput(
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
