"""The overview tests' municipality (fixtures.py), figures hand-computed for 20 October 2026."""

import pytest
from sqlmodel import Session

from tests.unit.overview.fixtures import Town, build_town


@pytest.fixture
def town(session: Session) -> Town:
    return build_town(session)
