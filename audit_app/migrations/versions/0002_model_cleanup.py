"""Names spelt right, users referenced by id, finding sources and reasons, indexes.

- `aterupfoljning` -> `ateruppfoljning` (follow-up kind, change log, snapshots, file names) and
  `tjanseskrivelse` -> `tjansteskrivelse` (stored document kind, file names, uploaded templates).
- Every "who" column (`updated_by`, `author`, `justerad_by`, `created_by`, `uploaded_by`,
  `changelog.username`) becomes a user id with a foreign key; names are looked up.
- Findings get `source` (agenda / bemanning / fritt) and `source_ref` instead of synthetic
  `bemanning:` item keys, and separate reject and withdraw reasons.
- Checklist sections and agenda items declare their role (previous, staffing, requirements,
  action_plan) instead of being recognised by their key.
- Indexes on followupunit.unit_id, contractunit.unit_id, followup.previous_id; one stored
  document per (follow-up, version, kind); contractor organisation number unique.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

from audit_app.migrations.shared import forward_only

revision = "0002"
down_revision = "0001"

TRACKED = [
    "action",
    "actionreview",
    "assessment",
    "contract",
    "contractor",
    "finding",
    "followup",
    "requirement",
    "unit",
]
# (table, old column, new column)
WHO_COLUMNS = [(t, "updated_by", "updated_by_id") for t in TRACKED] + [
    ("followup", "author", "author_id"),
    ("followup", "justerad_by", "justerad_by_id"),
    ("checklistversion", "created_by", "created_by_id"),
    ("followupversion", "created_by", "created_by_id"),
    ("staffinganalysis", "created_by", "created_by_id"),
    ("evidence", "uploaded_by", "uploaded_by_id"),
    ("schedulemapping", "updated_by", "updated_by_id"),
    ("changelog", "username", "user_id"),
]
RENAMED_FILES = {
    "minnesanteckningar_aterupfoljning.docx": "minnesanteckningar_ateruppfoljning.docx",
    "tjanseskrivelse.docx": "tjansteskrivelse.docx",
}
STAFFING_WITHDRAWN = "Bristen finns inte i den senaste schemagranskningen."


def _fix_words(text: str) -> str:
    return (
        text.replace("aterupfoljning", "ateruppfoljning")
        .replace("Aterupfoljning", "Ateruppfoljning")
        .replace("tjanseskrivelse", "tjansteskrivelse")
        .replace("Tjanseskrivelse", "Tjansteskrivelse")
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _role_of_section(key: str, flagged: bool, has_contract_items: bool) -> str | None:
    """The role an old section played, as the code recognised it before roles existed."""
    if flagged or has_contract_items:
        return "requirements"
    if "foregaende" in key:
        return "previous"
    if "bemanning" in key:
        return "staffing"
    if "atgard" in key:
        return "action_plan"
    return None


def _content_hash(content: dict[str, Any]) -> str:
    data = dict(content)
    data.pop("version", None)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _migrate_checklist(content: dict[str, Any]) -> dict[str, Any]:
    content = dict(content)
    if content.get("kind") == "aterupfoljning":
        content["kind"] = "ateruppfoljning"
    sections = []
    for section in content.get("sections", []):
        section = dict(section)
        flagged = bool(section.pop("include_contract_requirements", False))
        section["role"] = section.get("role") or _role_of_section(
            str(section.get("key", "")), flagged, False
        )
        sections.append(section)
    content["sections"] = sections
    return content


def _migrate_agenda(agenda: list[dict[str, Any]]) -> list[dict[str, Any]]:
    contract_sections = {i.get("section_key") for i in agenda if i.get("source") == "contract"}
    out = []
    for item in agenda:
        item = dict(item)
        if "section_role" not in item:
            key = str(item.get("section_key", ""))
            item["section_role"] = _role_of_section(key, False, key in contract_sections)
        out.append(item)
    return out


def _rename_kind_enum(bind: sa.engine.Connection) -> None:
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TYPE followupkind RENAME VALUE 'aterupfoljning' TO 'ateruppfoljning'")
    else:
        op.execute("UPDATE followup SET kind = 'ateruppfoljning' WHERE kind = 'aterupfoljning'")
        with op.batch_alter_table("followup") as batch:
            batch.alter_column(
                "kind",
                type_=sa.Enum(
                    "avtal", "ledningssystem", "kvalitetsrevision", "riktad", "bistandsarenden",
                    "ateruppfoljning", name="followupkind",
                ),  # fmt: skip
                existing_nullable=False,
            )


def _who_columns(bind: sa.engine.Connection) -> None:
    users = {name: uid for uid, name in bind.execute(sa.text('SELECT id, username FROM "user"'))}
    for table, old, new in WHO_COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(new, sa.Uuid(), nullable=True))
        names = [r[0] for r in bind.execute(sa.text(f"SELECT DISTINCT {old} FROM {table}"))]
        for name in names:
            if name in users:
                bind.execute(
                    sa.text(f"UPDATE {table} SET {new} = :uid WHERE {old} = :name"),
                    {"uid": users[name], "name": name},
                )
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(f"fk_{table}_{new}_user", "user", [new], ["id"])
            if table == "changelog":
                batch.create_index("ix_changelog_user_id", [new], unique=False)
            batch.drop_column(old)


def _findings(bind: sa.engine.Connection) -> None:
    source = sa.Enum("agenda", "bemanning", "fritt", name="findingsource")
    source.create(bind, checkfirst=True)
    with op.batch_alter_table("finding") as batch:
        batch.add_column(sa.Column("source", source, nullable=False, server_default="fritt"))
        batch.add_column(
            sa.Column("source_ref", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("reject_reason", sa.String(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("withdraw_reason", sa.String(), nullable=False, server_default="")
        )
    rows = bind.execute(
        sa.text("SELECT id, item_key, status, kind, downgrade_reason FROM finding")
    ).all()
    proposed = {
        str(r[0]).replace("-", "")
        for r in bind.execute(
            sa.text(
                "SELECT entity_id FROM changelog WHERE entity = 'finding' AND field = 'status' "
                "AND old IS NULL AND new = 'foreslagen'"
            )
        )
    }
    for fid, item_key, status, _kind, reason in rows:
        changes: dict[str, Any] = {}
        key = item_key or ""
        if key.startswith("bemanning:"):
            changes |= {"source": "bemanning", "source_ref": key[len("bemanning:") :]}
            changes["item_key"] = None
        elif key and str(fid).replace("-", "") in proposed:
            changes["source"] = "agenda"
        if status == "avfardad":
            if reason == STAFFING_WITHDRAWN:
                changes |= {"withdraw_reason": reason, "downgrade_reason": ""}
            elif reason:
                changes |= {"reject_reason": reason, "downgrade_reason": ""}
            else:
                changes["withdraw_reason"] = "Bedömningen ändrades."
        if changes:
            sets = ", ".join(f"{k} = :{k}" for k in changes)
            bind.execute(sa.text(f"UPDATE finding SET {sets} WHERE id = :id"), changes | {"id": fid})


def _json_rows(bind: sa.engine.Connection) -> None:
    for vid, content in bind.execute(sa.text("SELECT id, content FROM checklistversion")).all():
        new = _migrate_checklist(_json(content))
        bind.execute(
            sa.text("UPDATE checklistversion SET content = :c, sha256 = :h WHERE id = :id"),
            {"c": json.dumps(new, ensure_ascii=False), "h": _content_hash(new), "id": vid},
        )
    for fid, agenda in bind.execute(sa.text("SELECT id, agenda FROM followup")).all():
        new_agenda = _migrate_agenda(_json(agenda) or [])
        bind.execute(
            sa.text("UPDATE followup SET agenda = :a WHERE id = :id"),
            {"a": json.dumps(new_agenda, ensure_ascii=False), "id": fid},
        )
    for vid, snapshot in bind.execute(sa.text("SELECT id, snapshot FROM followupversion")).all():
        snap = _json(snapshot) or {}
        if snap.get("kind") == "aterupfoljning":
            snap["kind"] = "ateruppfoljning"
        snap["agenda"] = _migrate_agenda(snap.get("agenda") or [])
        bind.execute(
            sa.text("UPDATE followupversion SET snapshot = :s WHERE id = :id"),
            {"s": json.dumps(snap, ensure_ascii=False), "id": vid},
        )


def _words(bind: sa.engine.Connection) -> None:
    for column in ("old", "new", "field"):
        bind.execute(
            sa.text(
                f"UPDATE changelog SET {column} = REPLACE({column}, 'aterupfoljning', "
                f"'ateruppfoljning') WHERE {column} LIKE '%aterupfoljning%'"
            )
        )
    bind.execute(
        sa.text("UPDATE storeddocument SET kind = 'tjansteskrivelse' WHERE kind = 'tjanseskrivelse'")
    )
    for did, name in bind.execute(sa.text("SELECT id, filename FROM storeddocument")).all():
        fixed = _fix_words(name)
        if fixed != name:
            bind.execute(
                sa.text("UPDATE storeddocument SET filename = :n WHERE id = :id"),
                {"n": fixed, "id": did},
            )


def _template_files() -> None:
    """Rename templates an admin uploaded under the old names."""
    from audit_app.config import get_settings

    folder = Path(get_settings().data_dir) / "templates"
    for old, new in RENAMED_FILES.items():
        source, target = folder / old, folder / new
        if source.exists() and not target.exists():
            source.rename(target)


def upgrade() -> None:
    bind = op.get_bind()
    _rename_kind_enum(bind)
    _words(bind)
    _json_rows(bind)
    _findings(bind)
    _who_columns(bind)
    with op.batch_alter_table("contractor") as batch:
        batch.create_unique_constraint("uq_contractor_org_nr", ["org_nr"])
    with op.batch_alter_table("contractunit") as batch:
        batch.create_index("ix_contractunit_unit_id", ["unit_id"], unique=False)
    with op.batch_alter_table("followupunit") as batch:
        batch.create_index("ix_followupunit_unit_id", ["unit_id"], unique=False)
    with op.batch_alter_table("followup") as batch:
        batch.create_index("ix_followup_previous_id", ["previous_id"], unique=False)
    with op.batch_alter_table("storeddocument") as batch:
        batch.create_unique_constraint(
            "uq_storeddocument_followup_version_kind", ["followup_id", "followup_version", "kind"]
        )
    _template_files()


def downgrade() -> None:
    forward_only()
