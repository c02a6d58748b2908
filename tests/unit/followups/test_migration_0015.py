"""Migration 0015: existing follow-ups keep their contractor and their findings get no unit;
afterwards a follow-up may have no contractor and a finding a unit (SQLite; PostgreSQL when a
server is given)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, MetaData, Table
from sqlmodel import Session

from audit_app.db import alembic_config
from audit_app.models import Finding, FindingKind, FollowUp, FollowUpKind
from tests.pg import engine_at_revision


@pytest.fixture(params=["sqlite", "postgres"])
def engine_at_0014(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with engine_at_revision(request.param, "0014", tmp_path) as engine:
        yield engine


def test_old_rows_load_and_new_ones_need_no_contractor(engine_at_0014: Engine) -> None:
    engine = engine_at_0014
    contractor, followup, finding = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = datetime(2026, 1, 1, 10, tzinfo=UTC)

    def key(value: uuid.UUID) -> uuid.UUID | str:
        return value.hex if engine.dialect.name == "sqlite" else value  # as sa.Uuid stores it

    with engine.begin() as conn:
        tables = MetaData()
        contractors = Table("contractor", tables, autoload_with=conn)
        followups = Table("followup", tables, autoload_with=conn)
        findings = Table("finding", tables, autoload_with=conn)
        assert "unit_id" not in findings.c and not followups.c.contractor_id.nullable
        conn.execute(
            contractors.insert().values(
                version=1, created_at=now, updated_at=now, id=key(contractor), name="Omsorg AB",
                org_nr="556000-0000", contact_name="", contact_role="", contact_email="",
                archived=False,
            )
        )  # fmt: skip
        conn.execute(
            followups.insert().values(
                version=1, created_at=now, updated_at=now, id=key(followup), kind="riktad",
                title="", contractor_id=key(contractor), planned_date=date(2025, 11, 4),
                planned_time="", place="", methods=[], reason_text="", participants=[],
                status="justerad", agenda=[], doc_version=1, correction_reason="",
                committee_dnr="", committee_assessment="", contractor_comments="",
            )
        )  # fmt: skip
        conn.execute(
            findings.insert().values(
                version=1, created_at=now, updated_at=now, id=key(finding),
                followup_id=key(followup), kind="avvikelse", status="bekraftad", source="fritt",
                source_ref="", clause="", area="", title="Brist", description="",
                downgrade_reason="", reject_reason="", withdraw_reason="", for_committee=False,
            )
        )  # fmt: skip
    command.upgrade(alembic_config(engine), "0015")
    with Session(engine) as session:
        old = session.get(FollowUp, followup)
        assert old is not None and old.contractor_id == contractor
        found = session.get(Finding, finding)
        assert found is not None and found.unit_id is None and found.kind is FindingKind.avvikelse
        session.add(
            FollowUp(
                kind=FollowUpKind.bistandsarenden, contractor_id=None, planned_date=date.today()
            )
        )
        session.commit()
    with pytest.raises(RuntimeError, match="saknar entreprenör"):
        command.downgrade(alembic_config(engine), "0014")
