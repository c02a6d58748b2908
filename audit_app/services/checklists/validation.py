"""Checking raw checklist data: every problem at once, in Swedish, with where it is."""

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import AnswerType, FollowUpKind, ItemKind, StaffingMeasure, UnitKind
from audit_app.services.checklists.format import (
    Checklist,
    Loc,
    Problem,
    choices,
    cross_checks,
    role_choices,
    to_text,
)

# Error types raised by model validators, and the field they concern.
_CUSTOM_FIELD = {
    "unit_required": "unit",
    "unit_not_allowed": "unit",
    "reserved_key": "key",
    "section_empty": "items",
    "measure_answer": "measure",
}

_ENUM_MESSAGES = {
    "kind": '"{value}" är ingen giltig typ. Välj ' + choices(ItemKind) + ".",
    "answer": '"{value}" är ingen giltig svarstyp. Välj ' + choices(AnswerType) + ".",
    "applies_to": '"{value}" är ingen giltig enhetstyp. Välj ' + choices(UnitKind) + ".",
    "role": '"{value}" är ingen giltig roll. Lämna tomt eller välj ' + role_choices() + ".",
    "measure": '"{value}" är inget giltigt mätvärde. Lämna tomt eller välj '
    + choices(StaffingMeasure)
    + ".",
}
_TOP_KIND_MESSAGE = '"{value}" är ingen giltig uppföljningstyp. Välj ' + choices(FollowUpKind) + "."

_EMPTY_MESSAGES = {
    "key": "Id saknas. Ange ett kort, stabilt id, t.ex. sb-ledning-01.",
    "text": "Texten är tom. Skriv frågan eller kravet.",
    "title": "Rubriken är tom. Skriv avsnittets rubrik.",
    "name": "Namnet är tomt. Ange checklistans namn.",
}


def _message(err: ErrorDetails) -> Problem:
    """Translate one pydantic error into a Swedish problem with a precise location."""
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind in _CUSTOM_FIELD:
        loc = (*loc, _CUSTOM_FIELD[kind])
    names = [p for p in loc if isinstance(p, str)]
    name = names[-1] if names else ""
    shown = value if isinstance(value, str | int | float) else ""
    if kind == "missing":
        body = _EMPTY_MESSAGES.get(name, f'Fältet "{name}" saknas.')
    elif kind == "extra_forbidden":
        body = f'Okänt fält "{name}". Ta bort det eller rätta stavningen.'
    elif kind == "enum":
        if name == "kind" and len(loc) == 1:
            body = _TOP_KIND_MESSAGE.format(value=shown)
        else:
            body = _ENUM_MESSAGES.get(name, '"{value}" är inget giltigt värde.').format(value=shown)
    elif kind == "too_short" and loc == ("sections",):
        body = "Checklistan har inga avsnitt. Lägg till minst ett avsnitt med frågor."
    elif kind in ("string_too_short", "too_short"):
        body = _EMPTY_MESSAGES.get(name, "Värdet får inte vara tomt.")
    elif kind in ("string_too_long", "too_long"):
        body = (
            f"Texten är för lång ({len(str(value))} tecken). Korta den till högst "
            f"{ctx.get('max_length')} tecken."
        )
    elif kind == "string_pattern_mismatch":
        body = (
            f'"{shown}" är inget giltigt id. Använd små bokstäver a–z, siffror, bindestreck och '
            'understreck, utan mellanslag och å, ä, ö (t.ex. "sb-ledning-01").'
        )
    elif kind in ("bool_parsing", "bool_type"):
        body = f'"{shown}" är inget giltigt värde. Ange ja eller nej.'
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        body = f'"{shown}" är inget heltal. Ange versionen som ett heltal, t.ex. 2.'
    elif kind == "greater_than_equal":
        body = "Versionen måste vara 1 eller högre."
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        body = "Här ska det stå en uppsättning fält (t.ex. key: och text:), inte ett enskilt värde."
    elif kind == "list_type":
        body = "Här ska det stå en lista."
    elif kind == "string_type":
        body = "Här ska det stå text."
    else:
        body = err["msg"]
    return Problem(loc, body)


def check(data: Any) -> tuple[Checklist | None, list[Problem]]:
    """Validate raw checklist data; return the checklist or every problem found."""
    if not isinstance(data, dict):
        return None, [Problem((), "Checklistan ska vara en uppsättning fält (key:, name:, ...).")]
    problems = cross_checks(data)
    try:
        return Checklist.model_validate(data), problems
    except ValidationError as exc:
        errors = exc.errors()
        found = [_message(e) for e in errors if e["type"] != "cross_check"]
        if not problems and not found:  # a cross check only the typed values revealed
            found = [Problem((), e["msg"]) for e in errors]
        return None, problems + found


def _yaml_where(data: Any, loc: Loc) -> str:
    """Describe a location in YAML terms: the item's key and the field."""

    def key_of(node: Any, fallback: str) -> str:
        if isinstance(node, dict):
            key = to_text(node.get("key"))
            if isinstance(key, str) and key.strip():
                return f'"{key.strip()}"'
        return fallback

    parts: list[str] = []
    rest = list(loc)
    if len(rest) >= 2 and rest[0] == "sections" and isinstance(rest[1], int):
        si = rest[1]
        sections = data.get("sections") if isinstance(data, dict) else None
        section = sections[si] if isinstance(sections, list) and si < len(sections) else None
        if len(rest) >= 4 and rest[2] == "items" and isinstance(rest[3], int):
            ii = rest[3]
            items = section.get("items") if isinstance(section, dict) else None
            item = items[ii] if isinstance(items, list) and ii < len(items) else None
            where = key_of(section, f"nr {si + 1}")
            parts.append(f"Fråga {key_of(item, f'nr {ii + 1}')} i avsnitt {where}")
            rest = rest[4:]
        else:
            parts.append(f"Avsnitt {key_of(section, f'nr {si + 1}')}")
            rest = rest[2:]
    names = [p for p in rest if isinstance(p, str)]
    if names:
        parts.append(f'fält "{names[0]}"')
    text = ", ".join(parts) if parts else "Checklistan"
    return text[0].upper() + text[1:]


def validate_checklist(data: Any) -> Checklist:
    """Return the checklist, or raise ValidationFailed listing every problem in Swedish."""
    checklist, problems = check(data)
    if checklist is not None and not problems:
        return checklist
    errors = []
    for p in problems:
        text = f"{_yaml_where(data, p.loc)}: {p.message}"
        if p.other is not None:
            text += f" (första gången: {_yaml_where(data, p.other)})"
        errors.append(FieldError(".".join(str(x) for x in p.loc), text))
    raise ValidationFailed(errors)
