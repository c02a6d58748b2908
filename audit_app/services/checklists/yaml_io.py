"""Checklists as YAML: loading with Swedish errors, readable dumping, and the JSON Schema."""

import json
from pathlib import Path
from typing import Any

import yaml

from audit_app.config import PROJECT_ROOT
from audit_app.errors import ValidationFailed
from audit_app.services.checklists.format import Checklist
from audit_app.services.checklists.validation import validate_checklist
from audit_app.services.untrusted.yamlsafe import LOADER, check_yaml

SCHEMA_FILE = PROJECT_ROOT / "checklists" / "schema.json"


def load_yaml(path_or_text: str | Path) -> Checklist:
    """Load and validate a checklist from a YAML file path or from YAML text."""
    label = "YAML-texten"
    if isinstance(path_or_text, Path) or (
        "\n" not in path_or_text and path_or_text.endswith((".yaml", ".yml"))
    ):
        path = Path(path_or_text)
        text = path.read_text(encoding="utf-8")
        label = f"Filen {path.name}"
    else:
        text = path_or_text
    check_yaml(text, label, label=label)
    try:
        data = yaml.load(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"Rad {mark.line + 1}, kolumn {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValidationFailed(
            [
                f"{where}YAML-texten kan inte läsas ({problem}). Kontrollera indrag, kolon "
                "och citattecken."
            ]
        ) from exc
    return validate_checklist(data)


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent list items under their key


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


# The format's key order; a key ending in "?" is left out when empty.
_CHECKLIST_KEYS = ["key", "name", "version", "kind", "description?", "applies_to?"]
_SECTION_KEYS = ["key", "title", "description?", "role?"]
_ITEM_KEYS = [
    "key",
    "text",
    "guidance?",
    "kind",
    "clause?",
    "answer",
    "unit?",
    "evidence_required?",
    "applies_to?",
    "area?",
    "measure?",
]


def _kept(data: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    """The fields named by `keys`, in that order, without the empty optional ones."""
    out: dict[str, Any] = {}
    for key in keys:
        name = key.removesuffix("?")
        if data.get(name) or name == key:
            out[name] = data[name]
    return out


def _plain(checklist: Checklist) -> dict[str, Any]:
    """Return the checklist as a dict in the format's key order, without empty optional fields."""
    data = checklist.model_dump(mode="json")
    out = _kept(data, _CHECKLIST_KEYS)
    out["sections"] = [
        _kept(s, _SECTION_KEYS) | {"items": [_kept(i, _ITEM_KEYS) for i in s["items"]]}
        for s in data["sections"]
    ]
    return out


def dump_yaml(checklist: Checklist) -> str:
    """Return readable YAML of the checklist (the format's key order, Unicode kept)."""
    body = yaml.dump(
        _plain(checklist),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return "# yaml-language-server: $schema=schema.json\n" + body


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the checklist format (published as checklists/schema.json)."""
    schema = Checklist.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    """Return the JSON Schema as the text of checklists/schema.json."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
