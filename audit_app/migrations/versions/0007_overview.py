"""The overview: committee meeting dates, commissioned quality revisions, and the indexes of the
overview's aggregate queries (units status, action register, planning).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from audit_app.migrations.shared import forward_only

revision = "0007"
down_revision = "0006"


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
    forward_only()
