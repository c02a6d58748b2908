"""Documents that can be sent unedited: the committee case, the minutes' dispatch, settings.

`followup` gets the tjänsteskrivelse's own case number and the revisor's bedömning, and the
date the minutes were sent to the contractor with the comments received afterwards. The new
table `setting` holds what an admin sets in the app (the committee's name, the diarienummer
series, the officials who sign). Existing follow-ups get empty values: nothing was sent or
entered before.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from audit_app.migrations.shared import tracked_columns

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    op.create_table(
        "setting",
        *tracked_columns(),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    text = sqlmodel.sql.sqltypes.AutoString
    added = [  # (name, type, filled with "" in the existing rows)
        ("committee_dnr", text(length=40), True),
        ("committee_assessment", text(), True),
        ("minutes_sent_on", sa.Date(), False),
        ("contractor_comments", text(), True),
        ("contractor_comments_on", sa.Date(), False),
    ]
    with op.batch_alter_table("followup", schema=None) as batch_op:
        for name, type_, filled in added:
            default = "" if filled else None
            batch_op.add_column(sa.Column(name, type_, nullable=not filled, server_default=default))
    # The defaults filled the existing rows; the models set the value of new ones.
    with op.batch_alter_table("followup", schema=None) as batch_op:
        for name, _, filled in added:
            if filled:
                batch_op.alter_column(name, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_column("contractor_comments_on")
        batch_op.drop_column("contractor_comments")
        batch_op.drop_column("minutes_sent_on")
        batch_op.drop_column("committee_assessment")
        batch_op.drop_column("committee_dnr")
    op.drop_table("setting")
