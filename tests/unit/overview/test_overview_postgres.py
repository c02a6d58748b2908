"""The overview's aggregate SQL gives the same figures on PostgreSQL (TEST_POSTGRES_URL)."""

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlmodel import Session

from audit_app.db import make_engine, migrate
from audit_app.models import StatusLevel
from audit_app.services import overview as ov
from tests.conftest import CHEF, LASARE, REVISOR, add_test_users
from tests.unit.overview.fixtures import TODAY, build_town

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_session() -> Iterator[Session]:
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 men TEST_POSTGRES_URL är inte satt")
        pytest.skip("TEST_POSTGRES_URL är inte satt (ingen PostgreSQL-server för testet)")
    admin = make_engine(base)
    name = f"audit_test_{uuid.uuid4().hex[:8]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(base.rsplit("/", 1)[0] + f"/{name}")
    try:
        migrate(engine)
        add_test_users(engine)
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_overview_register_and_planning_on_postgres(pg_session: Session) -> None:
    town = build_town(pg_session)
    rows = {r.unit: r for r in ov.unit_overview(pg_session, CHEF, today=TODAY)}
    sol = rows["Solgården"]
    assert sol.share_met == 2 / 3
    assert sol.reasons == [
        "1 åtgärd försenad",
        "1 återuppföljning försenad (senast 10 juni)",
        "ingen avtalsuppföljning på 7 månader",
        "1 öppen avvikelse",
        "ingen uppföljning av ledningssystem har hållits",
    ]
    assert rows["Hemtjänst Syd"].reasons == ["pågått sedan 29 september"]
    assert rows["Klövervägen"].status is StatusLevel.gron
    reader = {r.unit: r for r in ov.unit_overview(pg_session, LASARE, today=TODAY)}
    assert reader["Hemtjänst Syd"].reasons == ["ingen avtalsuppföljning har hållits"]
    register = ov.action_register(pg_session, REVISOR, ov.ActionFilter(overdue=True), today=TODAY)
    assert (register.total, register.overdue) == (1, 1)
    found = {(p.unit, p.kinds) for p in ov.propose_year(pg_session, 2026, today=TODAY)}
    assert len(found) == 2
    points = ov.contractor_trend(pg_session, CHEF, town.omsorg.id, today=TODAY)
    assert [p.deviations for p in points] == [1, 0, 0]
