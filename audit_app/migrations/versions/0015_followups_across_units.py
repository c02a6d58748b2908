"""Follow-ups across units: a follow-up without one contractor, findings per unit.

`followup.contractor_id` may be empty: a särskilt riktad uppföljning over units of several
contractors has none (its contractors come from its units), and the committee's kontroll av
biståndsärenden is tied to no contractor. `finding.unit_id` names the unit a finding concerns
when a follow-up covers several units. Existing rows keep their contractor, and their findings
get no unit (on a follow-up of one unit that means that unit).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.alter_column("contractor_id", existing_type=sa.Uuid(), nullable=True)
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key("fk_finding_unit_id_unit", "unit", ["unit_id"], ["id"])
        batch_op.create_index("ix_finding_unit_id", ["unit_id"], unique=False)


def downgrade() -> None:
    conn = op.get_bind()
    without = conn.execute(
        sa.text("SELECT COUNT(*) FROM followup WHERE contractor_id IS NULL")
    ).scalar()
    if without:
        raise RuntimeError(
            f"{without} uppföljningar saknar entreprenör (riktade över flera entreprenörer eller "
            "kontroll av biståndsärenden); återställ en säkerhetskopia i stället."
        )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_index("ix_finding_unit_id")
        batch_op.drop_constraint("fk_finding_unit_id_unit", type_="foreignkey")
        batch_op.drop_column("unit_id")
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.alter_column("contractor_id", existing_type=sa.Uuid(), nullable=False)
