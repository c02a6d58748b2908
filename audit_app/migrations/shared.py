"""What the migrations share: the forward-only rule, the columns every record starts with, indexes.

A migration is history: change this module only in ways that leave every revision's schema as
it was (tests/unit/test_migrations.py compares the migrated schema with the models).
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

FORWARD_ONLY = "Revisionsstöd migrates forward only; restore a backup instead."


def forward_only() -> None:
    """Refuse a downgrade: the way back is a backup."""
    raise NotImplementedError(FORWARD_ONLY)


def record_columns() -> list[sa.Column[Any]]:
    """Return the columns a versioned record started with in 0001 (updated_by as a name)."""
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", AutoString(length=80), nullable=True),
    ]


def tracked_columns() -> list[sa.Column[Any]]:
    """Return the columns a versioned record starts with since 0002 (updated_by as a user id)."""
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Uuid(), nullable=True),
    ]


def index(table: str, *columns: str, unique: bool = False) -> None:
    """Create the index `ix_<table>_<columns>` the models declare with index=True."""
    name = op.f(f"ix_{table}_{'_'.join(columns)}")
    op.create_index(name, table, list(columns), unique=unique)
