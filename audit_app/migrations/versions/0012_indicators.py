"""Indicators per contract (uppföljningsplanen, seed 004): what each watches and its result per
period, a number against a target or a judgement in words, with a status.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from audit_app.migrations.shared import forward_only, tracked_columns

revision = "0012"
down_revision = "0007"



def upgrade() -> None:
    op.create_table(
        "indicator",
        *tracked_columns(),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("risk", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("definition", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("responsible", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("occasion", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sa.Enum("tal", "text", name="indicatorkind"), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("direction", sa.Enum("hogre", "lagre", name="indicatordirection"), nullable=False),
        sa.Column("tolerance", sa.Float(), nullable=False),
        sa.Column("applies_to", sa.JSON(), nullable=False),
        sa.Column("example_key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_indicator_contract_id", "indicator", ["contract_id"])
    op.create_table(
        "indicatorresult",
        *tracked_columns(),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("indicator_id", sa.Uuid(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("uppnatt", "delvis", "ej_uppnatt", name="indicatorstatus"),
            nullable=False,
        ),
        sa.Column("entered_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(["entered_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("indicator_id", "period"),
    )
    op.create_index(
        "ix_indicatorresult_indicator_period_end",
        "indicatorresult",
        ["indicator_id", "period_end"],
    )


def downgrade() -> None:
    forward_only()
