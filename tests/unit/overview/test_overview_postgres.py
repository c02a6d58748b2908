"""The overview's aggregate SQL gives the same figures on PostgreSQL (TEST_POSTGRES_URL)."""

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from audit_app.db import migrate
from audit_app.models import StatusLevel
from audit_app.services import overview
from tests.conftest import CHEF, LASARE, REVISOR, add_test_users
from tests.pg import fresh_database, postgres_url
from tests.unit.overview.fixtures import TODAY, build_town

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_session() -> Iterator[Session]:
    with fresh_database(postgres_url()) as (_url, engine):
        migrate(engine)
        add_test_users(engine)
        with Session(engine, expire_on_commit=False) as session:
            yield session


def test_overview_register_and_planning_on_postgres(pg_session: Session) -> None:
    town = build_town(pg_session)
    rows = {r.unit: r for r in overview.unit_overview(pg_session, CHEF, today=TODAY)}
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
    reader = {r.unit: r for r in overview.unit_overview(pg_session, LASARE, today=TODAY)}
    assert reader["Hemtjänst Syd"].reasons == ["ingen avtalsuppföljning har hållits"]
    register = overview.action_register(
        pg_session, REVISOR, overview.ActionFilter(overdue=True), today=TODAY
    )
    assert (register.total, register.overdue) == (1, 1)
    found = {(p.unit, p.kinds) for p in overview.propose_year(pg_session, 2026, today=TODAY)}
    assert len(found) == 2
    points = overview.contractor_trend(pg_session, CHEF, town.omsorg.id, today=TODAY)
    assert [p.deviations for p in points] == [1, 0, 0]
