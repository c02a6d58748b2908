"""Conducting a follow-up without losing anything: notes field by field, staffing measures on
answers, the contract's requirements with their hints and unit kinds.

- `followupnote` replaces the JSON `followup.notes` (each field its own row, so two people
  saving different fields never lose each other's), rows copied over.
- `assessment` gets what the latest staffing analysis says (measured, measured_met,
  analysis_id, prefilled) and the revisor's reason for judging otherwise (override_reason).
- `requirement` gets `hint` and `applies_to` (unit kinds).
"""

import json
import uuid

import sqlalchemy as sa
import sqlmodel
from alembic import op

from audit_app.migrations.shared import forward_only, tracked_columns

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "followupnote",
        *tracked_columns(),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("followup_id", sa.Uuid(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["followup_id"], ["followup.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("followup_id", "key"),
    )
    with op.batch_alter_table("followupnote") as batch:
        batch.create_index("ix_followupnote_followup_id", ["followup_id"], unique=False)
    notes = sa.table(
        "followupnote",
        sa.column("version", sa.Integer),
        sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime),
        sa.column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime),
        sa.column("updated_by_id", sa.Uuid),
        sa.column("id", sa.Uuid),
        sa.column("followup_id", sa.Uuid),
        sa.column("key", sa.String),
        sa.column("value", sa.String),
    )
    followups = sa.table(
        "followup",
        sa.column("id", sa.Uuid),
        sa.column("notes", sa.JSON),
        sa.column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime),
        sa.column("updated_by_id", sa.Uuid),
    )
    rows = []
    for fid, raw, at, who in bind.execute(
        sa.select(
            followups.c.id, followups.c.notes, followups.c.updated_at, followups.c.updated_by_id
        )
    ):
        data = json.loads(raw) if isinstance(raw, str) else (raw or {})
        for key, value in data.items():
            if value in (None, ""):
                continue
            rows.append(
                {
                    "version": 1, "created_at": at, "updated_at": at, "updated_by_id": who,
                    "id": uuid.uuid4(), "followup_id": fid, "key": str(key)[:80],
                    "value": str(value),
                }
            )  # fmt: skip
    if rows:
        op.bulk_insert(notes, rows)
    with op.batch_alter_table("followup") as batch:
        batch.drop_column("notes")

    with op.batch_alter_table("assessment") as batch:
        batch.add_column(sa.Column("measured", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("measured_met", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("analysis_id", sa.Uuid(), nullable=True))
        batch.add_column(
            sa.Column("prefilled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("override_reason", sa.String(), nullable=False, server_default="")
        )
        batch.create_foreign_key(
            "fk_assessment_analysis_id_staffinganalysis",
            "staffinganalysis",
            ["analysis_id"],
            ["id"],
        )
    with op.batch_alter_table("requirement") as batch:
        batch.add_column(sa.Column("hint", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("applies_to", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    forward_only()
