"""Migration 0014: existing follow-ups get an empty committee case and no dispatch; the settings
table works; on SQLite and, when a server is given, on PostgreSQL."""

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
from audit_app.models import FollowUp, FollowUpStatus
from audit_app.services import settings as document_settings
from tests.conftest import ADMIN, add_test_users
from tests.pg import engine_at_revision


@pytest.fixture(params=["sqlite", "postgres"])
def engine_at_0013(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with engine_at_revision(request.param, "0013", tmp_path) as engine:
        yield engine


def test_existing_follow_ups_get_an_empty_case_and_no_dispatch(engine_at_0013: Engine) -> None:
    engine = engine_at_0013
    contractor, followup = uuid.uuid4(), uuid.uuid4()
    now = datetime(2026, 1, 1, 10, tzinfo=UTC)

    def key(value: uuid.UUID) -> uuid.UUID | str:
        return value.hex if engine.dialect.name == "sqlite" else value  # as sa.Uuid stores it

    with engine.begin() as conn:
        tables = MetaData()
        contractors = Table("contractor", tables, autoload_with=conn)
        followups = Table("followup", tables, autoload_with=conn)
        assert "committee_dnr" not in followups.c
        conn.execute(
            contractors.insert().values(
                version=1, created_at=now, updated_at=now, id=key(contractor), name="Omsorg AB",
                org_nr="556000-0000", contact_name="", contact_role="", contact_email="",
                archived=False,
            )
        )  # fmt: skip
        conn.execute(
            followups.insert().values(
                version=1, created_at=now, updated_at=now, id=key(followup), kind="avtal",
                title="", contractor_id=key(contractor), planned_date=date(2025, 11, 4), planned_time="",
                place="", methods=[], reason_text="", participants=[], status="justerad",
                agenda=[], doc_version=1, correction_reason="",
            )
        )  # fmt: skip
    command.upgrade(alembic_config(engine), "head")
    add_test_users(engine)
    with Session(engine) as session:
        old = session.get(FollowUp, followup)
        assert old is not None and old.status is FollowUpStatus.justerad
        assert (old.committee_dnr, old.committee_assessment, old.contractor_comments) == ("",) * 3
        assert old.minutes_sent_on is None and old.contractor_comments_on is None
        saved = document_settings.save_document_settings(
            session, ADMIN, {"committee": "Socialnämnden"}
        )
        session.commit()
        assert document_settings.document_settings(session) == saved
    command.downgrade(alembic_config(engine), "0013")
    with engine.connect() as conn:
        assert "committee_dnr" not in Table("followup", MetaData(), autoload_with=conn).c
