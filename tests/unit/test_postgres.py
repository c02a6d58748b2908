"""The same migrations, demo and services on PostgreSQL (DATABASE_URL=postgresql://...).

Needs TEST_POSTGRES_URL (CI's .ci/run starts a server and sets it). Skipped without it, unless
REQUIRE_POSTGRES=1, when the missing server is a failure.
"""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from audit_app.db import migrate
from audit_app.demo import seed_demo
from audit_app.models import Assessment, FollowUp, FollowUpStatus, Result
from audit_app.services import followups
from tests.conftest import REVISOR, add_test_users
from tests.pg import fresh_database, postgres_url
from tests.unit.migration_checks import check_0004_moves_commitments_to_unit_ids

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    with fresh_database(postgres_url()) as (_url, engine):
        yield engine


def test_migrations_demo_and_autosave_work_on_postgres(pg_engine: Engine) -> None:
    migrate(pg_engine)
    with Session(pg_engine) as session:
        summary = seed_demo(session)
        session.commit()
    assert "3 entreprenörer" in summary
    add_test_users(pg_engine)
    with Session(pg_engine) as session:
        ongoing = session.exec(
            select(FollowUp).where(FollowUp.status == FollowUpStatus.pagar)
        ).first()
        assert ongoing is not None
        key = next(i["key"] for i in ongoing.agenda if i.get("kind") == "ska_krav")
        followups.save_assessment(
            session, REVISOR, ongoing.id, key, result=Result.ej_uppfyllt, comment="Brist"
        )
        session.commit()
        saved = session.exec(
            select(Assessment).where(
                Assessment.followup_id == ongoing.id, Assessment.item_key == key
            )
        ).one()
        assert saved.result is Result.ej_uppfyllt
        # timestamps come back as aware UTC datetimes on PostgreSQL too
        assert saved.updated_at.tzinfo is not None
    migrate(pg_engine)  # running the migrations again is a no-op


def test_0004_moves_staffing_rules_to_commitments_on_postgres(pg_engine: Engine) -> None:
    check_0004_moves_commitments_to_unit_ids(pg_engine)
