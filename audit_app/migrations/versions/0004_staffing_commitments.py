"""Staffing commitments keyed by unit id instead of the unit's name.

`contract.staffing_rules` (a JSON list, one entry per unit, matched by the unit's *name*)
becomes the table `staffingcommitment`: one row per (contract, unit) with the rules without
`unit`, so renaming a unit keeps its commitments.

Every stored entry is moved to the contract's unit whose name matches (case and spaces do not
matter). An entry that matches no unit goes to the contract's only unit when it has exactly one
(the unit was renamed after the rules were written). An entry that still has no unit (or names
a unit another entry already took) is not dropped silently: it is written to the change log of
the contract (field "bemanningsåtagande utan enhet", the entry as JSON in `old`) and logged as a
warning, so it can be restored by hand.
"""

import json
import logging
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

from audit_app.migrations.shared import forward_only, tracked_columns

revision = "0004"
down_revision = "0003"

UNMATCHED_FIELD = "bemanningsåtagande utan enhet"
log = logging.getLogger("alembic.runtime.migration")

commitment = sa.table(
    "staffingcommitment",
    sa.column("version", sa.Integer()),
    sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    sa.column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    sa.column("updated_by_id", sa.Uuid()),
    sa.column("id", sa.Uuid()),
    sa.column("contract_id", sa.Uuid()),
    sa.column("unit_id", sa.Uuid()),
    sa.column("rules", sa.JSON()),
)
changelog = sa.table(
    "changelog",
    sa.column("id", sa.Uuid()),
    sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()),
    sa.column("user_id", sa.Uuid()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.String()),
    sa.column("field", sa.String()),
    sa.column("old", sa.String()),
    sa.column("new", sa.String()),
)


def _norm(text: Any) -> str:
    return " ".join(str(text or "").casefold().split())


def _uuid(value: Any) -> uuid.UUID:
    """A stored id as a UUID (SQLite returns 32 hex digits, PostgreSQL a UUID)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _create_table() -> None:
    op.create_table(
        "staffingcommitment",
        *tracked_columns(),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contract_id", "unit_id"),
    )
    op.create_index("ix_staffingcommitment_unit_id", "staffingcommitment", ["unit_id"])


def _move_rules(bind: sa.engine.Connection) -> None:
    units: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {}
    for contract_id, unit_id, name in bind.execute(
        sa.text(
            "SELECT contractunit.contract_id, unit.id, unit.name FROM contractunit "
            "JOIN unit ON unit.id = contractunit.unit_id"
        )
    ):
        units.setdefault(_uuid(contract_id), []).append((_uuid(unit_id), str(name)))
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    unmatched: list[dict[str, Any]] = []
    for raw_id, dnr, stored in bind.execute(sa.text("SELECT id, dnr, staffing_rules FROM contract")):
        contract_id = _uuid(raw_id)
        own = units.get(contract_id, [])
        by_name = {_norm(name): unit_id for unit_id, name in own}
        taken: set[uuid.UUID] = set()
        entries = [e for e in (_json(stored) or []) if isinstance(e, dict)]
        # Entries that match by name first, so a stale name cannot take a matched unit.
        entries.sort(key=lambda e: _norm(e.get("unit")) not in by_name)
        for entry in entries:
            unit_id = by_name.get(_norm(entry.get("unit")))
            if unit_id is None and len(own) == 1:
                unit_id = own[0][0]
            if unit_id is None or unit_id in taken:
                log.warning(
                    "Contract %s: staffing commitment for unit %r matches no unit of the "
                    "contract; kept in the change log, not moved.",
                    dnr,
                    entry.get("unit"),
                )
                unmatched.append(
                    {
                        "id": uuid.uuid4(),
                        "at": now,
                        "user_id": None,
                        "entity": "contract",
                        "entity_id": str(contract_id),
                        "field": UNMATCHED_FIELD,
                        "old": json.dumps(entry, ensure_ascii=False),
                        "new": None,
                    }
                )
                continue
            taken.add(unit_id)
            rules = {k: v for k, v in entry.items() if k != "unit"}
            rows.append(
                {
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "updated_by_id": None,
                    "id": uuid.uuid4(),
                    "contract_id": contract_id,
                    "unit_id": unit_id,
                    "rules": rules,
                }
            )
    if rows:
        op.bulk_insert(commitment, rows)
    if unmatched:
        op.bulk_insert(changelog, unmatched)


def upgrade() -> None:
    bind = op.get_bind()
    _create_table()
    _move_rules(bind)
    with op.batch_alter_table("contract") as batch:
        batch.drop_column("staffing_rules")


def downgrade() -> None:
    forward_only()
