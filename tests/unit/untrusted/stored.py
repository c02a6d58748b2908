"""Everything a database holds, to compare before and after a hostile file."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, inspect


def everything(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table, sorted, keyed by table."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            rows = conn.exec_driver_sql(f'SELECT * FROM "{table}"').fetchall()
            out[table] = sorted((tuple(r) for r in rows), key=repr)
    return out
