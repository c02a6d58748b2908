"""Alembic environment: runs against the engine handed over by audit_app.db."""

from alembic import context
from sqlmodel import SQLModel

import audit_app.models  # noqa: F401  (registers the tables)
from audit_app.db import make_engine, sqlite_pragma

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine(
        config.get_main_option("sqlalchemy.url") or ""
    )
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy and drop tables that others reference; SQLite checks foreign
            # keys per statement, so they are switched off for the migration (outside a
            # transaction, where the pragma takes effect) and checked once at the end.
            sqlite_pragma(connection, "PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            problems = sqlite_pragma(connection, "PRAGMA foreign_key_check")
            sqlite_pragma(connection, "PRAGMA foreign_keys=ON")
            if problems:
                raise RuntimeError(f"Foreign key problems after migration: {problems[:5]}")


run_migrations_online()
