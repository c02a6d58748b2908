"""Everything a database holds, to compare before and after a hostile file."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, inspect


def everything(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table, sorted, keyed by table.

    On SQLite the rows are read outside any transaction: a unit of work begins with BEGIN
    IMMEDIATE (the write lock), so reading through the engine while the caller's session holds
    its transaction would wait for that session, which waits for us. A plain read in WAL mode
    sees the last commit and takes no lock.
    """
    if engine.dialect.name == "sqlite":
        return _sqlite_rows(engine)
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            rows = conn.exec_driver_sql(f'SELECT * FROM "{table}"').fetchall()
            out[table] = sorted((tuple(r) for r in rows), key=repr)
    return out


def _sqlite_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    raw = engine.raw_connection()
    try:
        database: Any = raw.driver_connection
        tables = [
            r[0]
            for r in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            t: sorted((tuple(r) for r in database.execute(f'SELECT * FROM "{t}"')), key=repr)
            for t in sorted(tables)
        }
    finally:
        raw.close()
