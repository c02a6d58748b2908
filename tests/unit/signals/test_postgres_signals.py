"""Migration 0013 and the signal and sanction queries on PostgreSQL (a native enum type for the
role gets the new value; the new tables equal the models). Needs TEST_POSTGRES_URL."""

from collections.abc import Iterator
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from audit_app.db import migrate
from audit_app.models import SanctionKind, SignalKind, User
from audit_app.services import overview, sanctions
from tests.conftest import CHEF, REVISOR, add_test_users
from tests.pg import fresh_database, postgres_url
from tests.unit.followups.fixtures import registers_setup
from tests.unit.signals.conftest import MAS
from tests.unit.signals.helpers import failed_recheck, requirements, signal

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    with fresh_database(postgres_url()) as (_url, engine):
        yield engine


def test_signals_and_sanctions_on_postgres(pg_engine: Engine) -> None:
    migrate(pg_engine)
    with pg_engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    add_test_users(pg_engine)
    with Session(pg_engine, expire_on_commit=False) as session:
        session.add(
            User(
                id=MAS.user_id, username="mas", display_name="MAS", role=MAS.role, password_hash="-"
            )
        )
        session.commit()
        setup = registers_setup(session)
        signal(session, setup, SignalKind.lex_sarah, date(2026, 4, 1), "tillsyn", actor=MAS)
        clauses = requirements(session, setup)
        _meeting, finding_id, _recheck = failed_recheck(session, setup)
        today = date(2026, 7, 1)
        assert [p.kinds for p in sanctions.sanction_proposals(session, REVISOR, today=today)] == [
            (SanctionKind.papekande,)
        ]
        sanctions.record_sanction(
            session,
            CHEF,
            sanctions.SanctionInput(
                setup["contract"],
                SanctionKind.vite,
                clauses["4.1"],
                date(2026, 6, 20),
                "Vård- och omsorgsutskottet",
                [finding_id],
                amount_kr=20_000,
            ),
            today=today,
        )
        session.commit()
        row = next(
            r for r in overview.unit_overview(session, CHEF, today=today) if r.unit == "Solgården"
        )
        assert "vite beslutat 20 juni" in row.reasons
