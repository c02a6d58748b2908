"""Login sessions: a remembered log-in survives a reload (a cookie token, stored as a hash)."""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from audit_app.migrations.shared import forward_only, index

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table('loginsession',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('secret_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ended_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    index('loginsession', 'user_id')


def downgrade() -> None:
    forward_only()
