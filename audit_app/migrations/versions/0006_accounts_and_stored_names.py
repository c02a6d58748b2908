"""accounts (lock-out, demo, identity provider) and no staff names in stored analyses

Adds to `user`: failed_logins, locked_until (lock-out after 5 failed log-ins), demo (an account
whose password is public), external_id (a user of the municipality's identity provider).

Rewrites stored staffing analyses as they are stored from now on: the file name becomes
"schema <first day>–<last day>.<suffix>" (the uploaded name could name a person), text quoted
from the file in warnings (sheet names, Avdelning cells) becomes "…" unless it is one of the
rules' own sections or unit, and the change log's "schemagranskning sparad: <file>" follows.
"""

import json
import re
from pathlib import PurePath
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"

_QUOTED = re.compile(r'"([^"]*)"|\'([^\']*)\'|«([^»]*)»|“([^”]*)”')
_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _warning(text: str, known: set[str]) -> str:
    def hide(match: re.Match[str]) -> str:
        inner = next(g for g in match.groups() if g is not None)
        return match.group(0) if _norm(inner) in known else '"…"'

    return _QUOTED.sub(hide, text)


def _name(first: Any, last: Any, original: str) -> str:
    suffix = PurePath(original or "").suffix.lower()
    suffix = suffix if suffix in _SUFFIXES else ""
    if not first or not last:
        return f"schema{suffix}"
    first, last = str(first)[:10], str(last)[:10]
    return f"schema {first}{suffix}" if first == last else f"schema {first}–{last}{suffix}"


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else (value or {})


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column(
                "external_id", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True
            )
        )
        batch_op.create_unique_constraint("uq_user_external_id", ["external_id"])

    conn = op.get_bind()
    analysis = sa.table(
        "staffinganalysis",
        sa.column("id", sa.Uuid()),
        sa.column("followup_id", sa.Uuid()),
        sa.column("filename", sa.String()),
        sa.column("period_from", sa.Date()),
        sa.column("period_to", sa.Date()),
        sa.column("rules", sa.JSON()),
        sa.column("result", sa.JSON()),
    )
    changelog = sa.table(
        "changelog",
        sa.column("id", sa.Uuid()),
        sa.column("entity_id", sa.String()),
        sa.column("field", sa.String()),
    )
    for row in conn.execute(sa.select(analysis)).mappings().all():
        rules, result = _json(row["rules"]), _json(row["result"])
        known = {_norm(s) for s in [*rules.get("sections", []), rules.get("unit", "")] if s}
        new_result = dict(result)
        new_result["warnings"] = [_warning(w, known) for w in result.get("warnings") or []]
        name = _name(row["period_from"], row["period_to"], row["filename"])
        conn.execute(
            sa.update(analysis)
            .where(analysis.c.id == row["id"])
            .values(filename=name, result=new_result)
        )
        old = f"schemagranskning sparad: {row['filename']}"
        conn.execute(
            sa.update(changelog)
            .where(
                changelog.c.entity_id == str(row["followup_id"]),
                changelog.c.field == old[:80],
            )
            .values(field=f"schemagranskning sparad: {name}"[:80])
        )


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint("uq_user_external_id", type_="unique")
        batch_op.drop_column("external_id")
        batch_op.drop_column("demo")
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
