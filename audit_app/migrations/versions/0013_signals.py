"""Signals and sanctions: signals about a contractor (lex Sarah, lex Maria, klagomål,
synpunkter, IVO-beslut, reports not delivered; counts and categories only), the sanctions ladder
on a contract with what each sanction rests on, the contract's procurement form (LOU/LOV), and
the role of MAS / utredningssekreterare.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from audit_app.migrations.shared import forward_only, tracked_columns

revision = "0013"
down_revision = "0012"

_AUTO = sqlmodel.sql.sqltypes.AutoString



def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # A native enum type there; SQLite stores the role as text.
        op.execute("ALTER TYPE role ADD VALUE IF NOT EXISTS 'utredare'")
    procurement = sa.Enum("lou", "lov", name="procurementform")
    procurement.create(bind, checkfirst=True)
    with op.batch_alter_table("contract") as batch:
        batch.add_column(
            sa.Column("procurement_form", procurement, nullable=False, server_default="lou")
        )
    with op.batch_alter_table("contract") as batch:
        batch.alter_column("procurement_form", server_default=None)
    op.create_table(
        "signal",
        *tracked_columns(),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contractor_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "lex_sarah",
                "lex_maria",
                "klagomal",
                "synpunkt",
                "ivo_beslut",
                "ej_inlamnad",
                name="signalkind",
            ),
            nullable=False,
        ),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("category", _AUTO(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("anmald", "under_utredning", "avslutad", name="investigationstatus"),
            nullable=False,
        ),
        sa.Column("note", _AUTO(length=300), nullable=False),
        sa.ForeignKeyConstraint(["contractor_id"], ["contractor.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_signal_contractor_id", "signal", ["contractor_id"])
    op.create_index("ix_signal_occurred_on", "signal", ["occurred_on"])
    op.create_index("ix_signal_unit_occurred", "signal", ["unit_id", "occurred_on"])
    op.create_table(
        "sanction",
        *tracked_columns(),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "papekande",
                "vite",
                "prisavdrag",
                "havning",
                "aterkallat_godkannande",
                name="sanctionkind",
            ),
            nullable=False,
        ),
        sa.Column("requirement_id", sa.Uuid(), nullable=False),
        sa.Column("amount_kr", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", _AUTO(length=120), nullable=False),
        sa.Column("recheck_ids", sa.JSON(), nullable=False),
        sa.Column("note", _AUTO(length=500), nullable=False),
        sa.ForeignKeyConstraint(["contract_id"], ["contract.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["requirement_id"], ["requirement.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sanction_contract_id", "sanction", ["contract_id"])
    op.create_index("ix_sanction_unit_id", "sanction", ["unit_id"])
    op.create_index("ix_sanction_decided_on", "sanction", ["decided_on"])
    op.create_table(
        "sanctionfinding",
        sa.Column("sanction_id", sa.Uuid(), nullable=False),
        sa.Column("finding_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["sanction_id"], ["sanction.id"]),
        sa.ForeignKeyConstraint(["finding_id"], ["finding.id"]),
        sa.PrimaryKeyConstraint("sanction_id", "finding_id"),
    )
    op.create_index("ix_sanctionfinding_finding_id", "sanctionfinding", ["finding_id"])


def downgrade() -> None:
    forward_only()
