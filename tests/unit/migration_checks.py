"""Upgrade checks that run on SQLite (test_migrations) and PostgreSQL (test_postgres) alike."""

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine
from sqlmodel import Session, select
from sqlmodel.sql.sqltypes import UTCDateTime

from audit_app.db import alembic_config, migrate
from audit_app.models import (
    ChangeLog,
    Contractor,
    ContractUnit,
    StaffingCommitment,
    Unit,
    UnitKind,
)

RULES: dict[str, Any] = {
    "sections": ["Avd Lärkan", "Avd Måsen"],
    "places_per_section": 10,
    "competence": {"usk": ["undersköterska", "usk"]},
    "periods": [
        {"name": "Dag", "start": "07:00", "end": "15:00", "min_staff": 3, "min_competent": 2}
    ],
    "min_competent_hours_share": 0.75,
}

_INSERT_CONTRACT = sa.text(
    "INSERT INTO contract (version, created_at, updated_at, id, dnr, title, contractor_id, "
    "valid_from, valid_to, extension_option, staffing_rules, archived) VALUES (1, :now, :now, "
    ":id, :dnr, 'Drift', :contractor, :day, :day, '', :rules, :archived)"
).bindparams(
    sa.bindparam("now", type_=UTCDateTime()),
    sa.bindparam("id", type_=sa.Uuid()),
    sa.bindparam("contractor", type_=sa.Uuid()),
    sa.bindparam("day", type_=sa.Date()),
    sa.bindparam("rules", type_=sa.JSON()),
    sa.bindparam("archived", type_=sa.Boolean()),
)


def check_0004_moves_commitments_to_unit_ids(engine: Engine) -> None:
    """Build a database at 0003 with rules keyed by unit name, upgrade, check the rows."""
    command.upgrade(alembic_config(engine), "0003")
    contractor_id, solgarden, bjorkhagen, ekbacken = (uuid.uuid4() for _ in range(4))
    two_units, one_unit = uuid.uuid4(), uuid.uuid4()
    with Session(engine) as s:
        s.add(Contractor(id=contractor_id, name="Omsorg AB", org_nr="556782-3413"))
        for unit_id, name in (
            (solgarden, "Solgården"),
            (bjorkhagen, "Björkhagen"),
            (ekbacken, "Ekbacken"),
        ):
            s.add(
                Unit(
                    id=unit_id,
                    contractor_id=contractor_id,
                    name=name,
                    kind=UnitKind.sarskilt_boende,
                )
            )
        s.commit()
    with engine.begin() as conn:
        for cid, dnr, rules in (
            (
                two_units,
                "VOF 2026/1",
                [{"unit": "  SOLGÅRDEN ", **RULES}, {"unit": "Okända hemmet", **RULES}],
            ),
            (one_unit, "VOF 2026/2", [{"unit": "Ekbacken (gamla namnet)", **RULES}]),
        ):
            conn.execute(
                _INSERT_CONTRACT,
                {
                    "now": datetime.now(UTC),
                    "id": cid,
                    "dnr": dnr,
                    "contractor": contractor_id,
                    "day": date(2026, 1, 1),
                    "rules": rules,
                    "archived": False,
                },
            )
    with Session(engine) as s:
        s.add_all(
            [
                ContractUnit(contract_id=two_units, unit_id=solgarden),
                ContractUnit(contract_id=two_units, unit_id=bjorkhagen),
                ContractUnit(contract_id=one_unit, unit_id=ekbacken),
            ]
        )
        s.commit()

    migrate(engine)

    assert "staffing_rules" not in {c["name"] for c in sa.inspect(engine).get_columns("contract")}
    with Session(engine) as s:
        rows = {
            (row.contract_id, row.unit_id): row.rules
            for row in s.exec(select(StaffingCommitment)).all()
        }
        assert rows == {(two_units, solgarden): RULES, (one_unit, ekbacken): RULES}
        kept = s.exec(
            select(ChangeLog).where(ChangeLog.field == "bemanningsåtagande utan enhet")
        ).one()
        assert kept.entity_id == str(two_units)
        assert json.loads(kept.old or "") == {"unit": "Okända hemmet", **RULES}
