"""The overview: committee meeting dates, commissioned quality revisions, and the indexes of the
overview's aggregate queries (units status, action register, planning).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "committeemeeting",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_date"),
    )
    op.create_table(
        "revisioncommission",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("due_by", sa.Date(), nullable=False),
        sa.Column("dnr", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_revisioncommission_unit_id", "revisioncommission", ["unit_id"])
    op.create_index("ix_followup_status_planned_date", "followup", ["status", "planned_date"])
    op.create_index(
        "ix_finding_kind_status_followup", "finding", ["kind", "status", "followup_id"]
    )
    op.create_index("ix_action_status_due_date", "action", ["status", "due_date"])
    op.create_index("ix_assessment_followup_result", "assessment", ["followup_id", "result"])


def downgrade() -> None:
    raise NotImplementedError("Revisionsstöd migrates forward only; restore a backup instead.")
