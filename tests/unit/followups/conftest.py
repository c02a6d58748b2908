"""The follow-up tests' registers: one contractor, one unit (särskilt boende), one contract."""

from typing import Any

import pytest
from sqlmodel import Session

from tests.unit.followups.fixtures import registers_setup


@pytest.fixture
def setup(session: Session) -> dict[str, Any]:
    return registers_setup(session)
