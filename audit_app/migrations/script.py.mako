"""${message}
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
${imports if imports else ""}
from audit_app.migrations.shared import forward_only

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    forward_only()
