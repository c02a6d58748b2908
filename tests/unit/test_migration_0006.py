"""Migration 0006 on existing rows (SQLite and PostgreSQL): users get the new account columns,
stored staffing analyses lose the uploaded file name and text quoted from the file."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from audit_app.db import alembic_config, make_engine, migrate
from tests.pg import fresh_database, postgres_url

NOW = "2026-11-10 09:05:00.000000"


def _hex(value: uuid.UUID) -> str:
    return value.hex


def check_0006(engine: Engine) -> None:
    """Build a database at 0004 with a user and a stored analysis, upgrade, check the rows."""
    command.upgrade(alembic_config(engine), "0004")
    sqlite = engine.dialect.name == "sqlite"
    ident = _hex if sqlite else str
    user, contractor, followup, analysis = (uuid.uuid4() for _ in range(4))
    result = {
        "warnings": [
            'Bladet "Anna Berg" har ingen rubrikrad med datum och tid och lästes inte.',
            '2 pass på avdelningen "Avd Lärkan", som inte finns i reglerna, utelämnades.',
            "1 pass på avdelningen 'Per Ek', som inte finns i reglerna, utelämnades.",
        ],
        "breaches": [],
    }
    rules = {"unit": "Solgården", "sections": ["Avd Lärkan"]}
    with engine.begin() as conn:
        conn.execute(
            text(
                'INSERT INTO "user" (id, username, display_name, role, password_hash, active, '
                "created_at) VALUES (:id, 'karin', 'Karin Ek', 'revisor', '-', :t, :now)"
            ),
            {"id": ident(user), "now": NOW, "t": True},
        )
        conn.execute(
            text(
                "INSERT INTO contractor (version, created_at, updated_at, id, name, org_nr, "
                "contact_name, contact_role, contact_email, archived) VALUES (1, :now, :now, "
                ":id, 'Omsorg AB', '556782-3413', '', '', '', :f)"
            ),
            {"id": ident(contractor), "now": NOW, "f": False},
        )
        conn.execute(
            text(
                "INSERT INTO followup (version, created_at, updated_at, id, kind, title, "
                "contractor_id, planned_date, planned_time, place, methods, reason_text, "
                "participants, status, agenda, notes, doc_version, correction_reason) VALUES "
                "(1, :now, :now, :id, 'avtal', 'Avtal', :c, '2026-11-10', '', '', '[]', '', "
                "'[]', 'pagar', '[]', '{}', 1, '')"
            ),
            {"id": ident(followup), "c": ident(contractor), "now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO staffinganalysis (id, followup_id, filename, file_sha256, "
                "period_from, period_to, rules, result, created_at) VALUES (:id, :f, "
                "'schema Anna Berg v45.xlsx', :sha, '2026-11-02', '2026-11-15', :rules, :result, "
                ":now)"
            ),
            {
                "id": ident(analysis),
                "f": ident(followup),
                "sha": "0" * 64,
                "rules": json.dumps(rules),
                "result": json.dumps(result),
                "now": NOW,
            },
        )
        conn.execute(
            text(
                "INSERT INTO changelog (id, at, entity, entity_id, field) VALUES (:id, :now, "
                "'followup', :e, 'schemagranskning sparad: schema Anna Berg v45.xlsx')"
            ),
            {"id": ident(uuid.uuid4()), "now": NOW, "e": str(followup)},
        )
    migrate(engine)
    with engine.connect() as conn:
        row = conn.execute(
            text('SELECT failed_logins, locked_until, demo, external_id FROM "user"')
        ).one()
        assert tuple(row) == (0, None, False, None)
        name, stored = conn.execute(text("SELECT filename, result FROM staffinganalysis")).one()
        logged = conn.execute(text("SELECT field FROM changelog")).scalar_one()
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert name == "schema 2026-11-02–2026-11-15.xlsx"
    assert stored["warnings"] == [
        'Bladet "…" har ingen rubrikrad med datum och tid och lästes inte.',
        '2 pass på avdelningen "Avd Lärkan", som inte finns i reglerna, utelämnades.',
        '1 pass på avdelningen "…", som inte finns i reglerna, utelämnades.',
    ]
    assert logged == "schemagranskning sparad: schema 2026-11-02–2026-11-15.xlsx"


def test_0006_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    check_0006(engine)
    engine.dispose()


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    with fresh_database(postgres_url()) as (_url, engine):
        yield engine


@pytest.mark.postgres
def test_0006_on_postgres(pg_engine: Engine) -> None:
    check_0006(pg_engine)
