"""Every table to JSON lines and back, exactly as the database holds it.

- SQLite: the online backup API copies the live database (WAL, writers running) to a snapshot
  file in one step; rows are read from the snapshot as SQLite's own values (text, integer,
  real, blob as {"$base64": ...}) and written back the same way, so a restore is byte for byte.
- PostgreSQL: one REPEATABLE READ, READ ONLY transaction sees every table at the same moment;
  `row_to_json` writes each row in PostgreSQL's own text of its values and
  `json_populate_recordset` reads them back into the same column types.

Rows keep their order (SQLite: rowid; PostgreSQL: physical order), so queries that leave ties
unordered list them as before the restore.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, create_engine, inspect

Row = dict[str, Any]

VERSION_TABLE = "alembic_version"
BATCH = 500


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_order(conn: Connection) -> list[str]:
    """Return the tables in an order where every referenced table comes first."""
    metadata = MetaData()
    metadata.reflect(bind=conn)
    return [t.name for t in metadata.sorted_tables if t.name != VERSION_TABLE]


def self_references(conn: Connection, table: str) -> list[tuple[str, str]]:
    """Return (column, referred column) of each foreign key from the table to itself."""
    pairs: list[tuple[str, str]] = []
    for fk in inspect(conn).get_foreign_keys(table):
        if fk["referred_table"] == table:
            pairs.extend(zip(fk["constrained_columns"], fk["referred_columns"], strict=True))
    return pairs


def schema_version(conn: Connection) -> str:
    """Return the Alembic revision of a database ('' if it has none)."""
    return MigrationContext.configure(conn).get_current_revision() or ""


def first_table_with_rows(engine: Engine) -> str | None:
    """Return a table (other than Alembic's) that holds a row, or None if all are empty."""
    with engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            if table == VERSION_TABLE:
                continue
            if conn.exec_driver_sql(f"SELECT 1 FROM {quoted(table)} LIMIT 1").first():
                return table
    return None


# --------------------------------------------------------------------------- snapshots


@dataclass
class Snapshot:
    """One consistent view of the database: its dialect, schema version and tables."""

    dialect: str
    schema_version: str
    tables: list[str]
    rows: Callable[[str], Iterator[bytes]]  # table -> JSON lines (UTF-8, with newline)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode("ascii")}
    return value


@contextmanager
def snapshot(engine: Engine) -> Iterator[Snapshot]:
    """Yield a consistent snapshot of the database while the app keeps running."""
    if engine.dialect.name == "sqlite":
        with _sqlite_snapshot(engine) as snap:
            yield snap
    elif engine.dialect.name == "postgresql":
        with _postgres_snapshot(engine) as snap:
            yield snap
    else:  # pragma: no cover - the app runs on SQLite and PostgreSQL only
        raise NotImplementedError(engine.dialect.name)


@contextmanager
def _sqlite_snapshot(engine: Engine) -> Iterator[Snapshot]:
    with tempfile.TemporaryDirectory(prefix="audit-backup-") as folder:
        copy_path = Path(folder) / "snapshot.db"
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(copy_path)
            try:
                raw.driver_connection.backup(target)  # type: ignore[union-attr]
            finally:
                target.close()
        finally:
            raw.close()
        copy_engine = create_engine(f"sqlite:///{copy_path}")
        try:
            with copy_engine.connect() as conn:
                tables = table_order(conn)
                version = schema_version(conn)
            database = sqlite3.connect(copy_path)
            try:

                def rows(table: str) -> Iterator[bytes]:
                    cursor = database.execute(f"SELECT * FROM {quoted(table)} ORDER BY rowid")
                    names = [d[0] for d in cursor.description]
                    for values in cursor:
                        row = {n: _sqlite_value(v) for n, v in zip(names, values, strict=True)}
                        yield (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")

                yield Snapshot("sqlite", version, tables, rows)
            finally:
                database.close()
        finally:
            copy_engine.dispose()


@contextmanager
def _postgres_snapshot(engine: Engine) -> Iterator[Snapshot]:
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            tables = table_order(conn)
            version = schema_version(conn)

            def rows(table: str) -> Iterator[bytes]:
                # In the table's physical order: restored in the same order, a query whose
                # ORDER BY leaves ties lists them as before.
                result = conn.execution_options(stream_results=True).exec_driver_sql(
                    f"SELECT row_to_json(t)::text FROM {quoted(table)} AS t ORDER BY t.ctid"
                )
                for (text,) in result:
                    yield (text + "\n").encode("utf-8")

            yield Snapshot("postgresql", version, tables, rows)


# --------------------------------------------------------------------------- loading


def _sqlite_decoded(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$base64"}:
        return base64.b64decode(value["$base64"])
    return value


def load(
    engine: Engine,
    tables: list[str],
    rows_of: Callable[[str], Iterable[Row]],
) -> dict[str, int]:
    """Insert every table's rows in one transaction; return the rows inserted per table."""
    if engine.dialect.name == "sqlite":
        return _load_sqlite(engine, tables, rows_of)
    return _load_postgres(engine, tables, rows_of)


def _load_sqlite(
    engine: Engine, tables: list[str], rows_of: Callable[[str], Iterable[Row]]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    raw = engine.raw_connection()
    database: Any = raw.driver_connection
    try:
        database.execute("BEGIN IMMEDIATE")
        database.execute("PRAGMA defer_foreign_keys = ON")  # checked at commit
        for table in tables:
            counts[table] = 0
            batch: list[Row] = []
            for row in rows_of(table):
                batch.append(row)
                if len(batch) >= BATCH:
                    counts[table] += _insert_sqlite(database, table, batch)
                    batch = []
            counts[table] += _insert_sqlite(database, table, batch)
        database.commit()
    except BaseException:
        database.rollback()
        raise
    finally:
        raw.close()
    return counts


def _insert_sqlite(database: Any, table: str, rows: list[Row]) -> int:
    if not rows:
        return 0
    columns = list(rows[0])
    names = ", ".join(quoted(c) for c in columns)
    marks = ", ".join("?" for _ in columns)
    database.executemany(
        f"INSERT INTO {quoted(table)} ({names}) VALUES ({marks})",
        [tuple(_sqlite_decoded(r.get(c)) for c in columns) for r in rows],
    )
    return len(rows)


def _load_postgres(
    engine: Engine, tables: list[str], rows_of: Callable[[str], Iterable[Row]]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        for table in tables:
            rows = list(rows_of(table))
            counts[table] = len(rows)
            # Foreign keys are checked at the end of each statement: a table that refers to
            # itself goes in one statement, so its rows keep their order.
            size = len(rows) if self_references(conn, table) else BATCH
            for start in range(0, len(rows), max(size, 1)):
                conn.exec_driver_sql(
                    f"INSERT INTO {quoted(table)} SELECT * FROM "
                    f"json_populate_recordset(NULL::{quoted(table)}, %s::json)",
                    (json.dumps(rows[start : start + size], ensure_ascii=False),),
                )
    return counts
