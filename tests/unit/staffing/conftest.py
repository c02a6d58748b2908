"""The database fixture of the staffing tests: a contract follow-up with commitments."""

from typing import Any

import pytest
from sqlmodel import Session

from tests.unit.staffing.fixtures import followup_with_commitments


@pytest.fixture
def setup(session: Session) -> dict[str, Any]:
    """Ids of Solgården's contractor, unit, contract (with commitments) and follow-up."""
    return followup_with_commitments(session)
