"""The follow-up tests' registers: one contractor, one unit (särskilt boende), one contract."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from audit_app.models import UnitKind
from audit_app.services import registers as reg
from tests.conftest import REVISOR


@pytest.fixture
def setup(session: Session) -> dict[str, Any]:
    c = reg.save_contractor(session, REVISOR, reg.ContractorInput("Omsorg AB", "556782-3413"))
    u = reg.save_unit(
        session, REVISOR, reg.UnitInput(c.id, "Solgården", UnitKind.sarskilt_boende, 20)
    )
    k = reg.save_contract(
        session,
        REVISOR,
        reg.ContractInput("VOF 2026/1", "Drift", c.id, date(2025, 1, 1), date(2029, 1, 1), [u.id]),
    )
    session.commit()
    return {"contractor": c.id, "unit": u.id, "contract": k.id}
