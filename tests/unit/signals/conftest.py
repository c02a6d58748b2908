"""Registers for the signal and sanction tests: one contractor, one unit, one LOU contract; and
the MAS (role utredare) stored as a user."""

import uuid
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.models import Role, User
from tests.unit.followups.fixtures import registers_setup

MAS = Actor("mas", "Eva Sjöberg", Role.utredare, uuid.uuid5(uuid.NAMESPACE_URL, "test-user:mas"))


@pytest.fixture(autouse=True)
def mas_user(engine: Engine) -> Actor:
    with Session(engine) as s:
        s.add(
            User(
                id=MAS.user_id,
                username="test-mas",
                display_name=MAS.display_name,
                role=MAS.role,
                password_hash="-",
            )
        )
        s.commit()
    return MAS


@pytest.fixture
def setup(session: Session) -> dict[str, Any]:
    return registers_setup(session)
