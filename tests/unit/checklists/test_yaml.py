"""Checklists as YAML: syntax errors with line and column, the writer's order, the schema."""

import pytest

from audit_app.errors import ValidationFailed
from audit_app.services import checklists
from tests.unit.checklists.fixtures import SHIPPED, small


def test_yaml_syntax_error_gives_line_and_column() -> None:
    with pytest.raises(ValidationFailed) as exc:
        checklists.load_yaml("key: a\nname: [oavslutad\nkind: avtal\n")
    assert exc.value.message.startswith("Rad ")
    assert "YAML-texten kan inte läsas" in exc.value.message


def test_dump_yaml_keeps_the_format_order_and_unicode() -> None:
    text = checklists.dump_yaml(small())
    assert text.splitlines()[:5] == [
        "# yaml-language-server: $schema=schema.json",
        "key: liten",
        "name: Liten checklista",
        "version: 1",
        "kind: avtal",
    ]
    assert "\\u" not in text and "undersköterskor" in text
    assert (
        "    items:\n"
        "      - key: a1\n"
        "        text: Finns en rutin för avvikelser?\n"
        "        kind: ska_krav\n"
        "        clause: '4.1'\n"
        "        answer: bedomning\n"
    ) in text
    assert "guidance: Stickprov på fem genomförandeplaner.\n" in text
    assert "evidence_required: true" in text
    assert "applies_to:\n          - sarskilt_boende\n" in text
    assert "    title: 3. SKA-krav i avtalet\n    role: requirements\n    items:\n" in text
    assert "role: null" not in text


def test_schema_file_is_the_generated_schema() -> None:
    assert (SHIPPED / "schema.json").read_text(encoding="utf-8") == checklists.schema_text()
    schema = checklists.json_schema()
    assert schema["required"] == ["key", "name", "kind", "sections"]
    assert schema["$defs"]["Item"]["properties"]["kind"]["$ref"].endswith("ItemKind")
    role = schema["$defs"]["Section"]["properties"]["role"]
    assert {"$ref": "#/$defs/SectionRole"} in role["anyOf"]
    assert schema["$defs"]["SectionRole"]["enum"] == [
        "previous",
        "staffing",
        "requirements",
        "findings",
        "action_plan",
    ]
    assert "include_contract_requirements" not in schema["$defs"]["Section"]["properties"]
