"""Checklists: the YAML format, the Excel round trip, versions, diffs and the resolved agenda.

A checklist is a YAML file in `checklists/` (validated by `Checklist`), stored in the database as
immutable `ChecklistVersion` rows. A follow-up pins one version, so editing a checklist never
changes a follow-up that already uses it.

Merging of the standard SKA-krav lists: a checklist of kind `avtal` with a checklist-level
`applies_to` and no section flagged `include_contract_requirements` is a *requirement list*
(e.g. `ska_krav_sarskilt_boende`). Whenever an agenda checklist (one with a flagged section, e.g.
`avtalsuppfoljning`) or a requirement list gets a new version, a *composed* checklist is stored
under the key `<agenda>.<unit kind>` (e.g. `avtalsuppfoljning.sarskilt_boende`): the agenda with
the list's items appended to the flagged section (each item's `area` set to its list section).
`checklist_for_kind(session, "avtal", unit_kind)` returns the composed version when there is one,
so the pinned version alone reproduces the agenda. Keys with a dot are reserved for composed
checklists and cannot be imported. At agenda time a contract requirement with the same clause as
a checklist item of the flagged section replaces that item (the contract's text wins; the
item's guidance is kept).
"""

import difflib
import hashlib
import io
import json
import logging
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from audit_app.auth import EDIT_CHECKLISTS, Actor, require
from audit_app.config import PROJECT_ROOT, get_settings
from audit_app.domain.labels import UNIT_KIND_LABELS
from audit_app.errors import FieldError, NotFound, UserError, ValidationFailed
from audit_app.models import (
    AnswerType,
    ChecklistVersion,
    FollowUpKind,
    ItemKind,
    Requirement,
    RequirementKind,
    SectionRole,
    UnitKind,
)
from audit_app.services.audit_log import log_event
from audit_app.services.privacy import looks_like_personnummer
from audit_app.services.sheets import cell_error, cell_text, read_workbook

log = logging.getLogger(__name__)

SCHEMA_FILE = PROJECT_ROOT / "checklists" / "schema.json"
CONTRACT_KEY_PREFIX = "krav-"
COMPOSED_SEPARATOR = "."

# --------------------------------------------------------------------------- enums and labels


# The checklist used by default for each kind of follow-up (see `checklist_for_kind`).
DEFAULT_KEYS = {
    FollowUpKind.avtal: "avtalsuppfoljning",
    FollowUpKind.ledningssystem: "ledningssystem",
    FollowUpKind.kvalitetsrevision: "kvalitetsrevision",
    FollowUpKind.riktad: "riktad_uppfoljning",
    FollowUpKind.bistandsarenden: "bistandsarenden",
}

# Lenient spellings accepted on input (the Swedish labels people type in Excel).
_ALIASES: dict[str, str] = {
    "ska-krav": "ska_krav",
    "bör-krav": "bor_krav",
    "bör_krav": "bor_krav",
    "bor-krav": "bor_krav",
    "fråga": "fraga",
    "bedömning": "bedomning",
    "ja/nej": "ja_nej",
    "ja-nej": "ja_nej",
    "särskilt boende": "sarskilt_boende",
    "särskilt_boende": "sarskilt_boende",
    "hemtjänst": "hemtjanst",
    "lss bostad": "lss_bostad",
    "daglig verksamhet": "daglig_verksamhet",
    "föregående": "previous",
    "föregående uppföljning": "previous",
    "bemanning": "staffing",
    "avtalets krav": "requirements",
    "krav": "requirements",
    "iakttagelser": "findings",
    "åtgärdsplan": "action_plan",
}


def _choices(enum: type[Enum]) -> str:
    values = [str(m.value) for m in enum]
    return ", ".join(values[:-1]) + " eller " + values[-1]


# --------------------------------------------------------------------------- field types


def _to_text(value: Any) -> Any:
    """Accept numbers and dates where text is expected (YAML and Excel produce them)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _clean_text(value: str) -> str:
    for ch in value:
        if ch in "\n\t":
            continue
        if unicodedata.category(ch) in ("Cc", "Cs", "Co") or ch in "\ufffe\uffff\u2028\u2029":
            raise PydanticCustomError(
                "bad_character",
                "Texten innehåller ett tecken som inte kan sparas (U+{code}). Ta bort det.",
                {"code": f"{ord(ch):04X}"},
            )
    if looks_like_personnummer(value):
        raise PydanticCustomError(
            "personnummer",
            "Texten innehåller något som ser ut som ett personnummer. Personnummer får inte "
            "finnas i en checklista.",
        )
    return value


def _to_code(value: Any) -> Any:
    """Normalise an enum value: trim, lower-case and map the Swedish labels."""
    if isinstance(value, str):
        text = value.strip().lower()
        return _ALIASES.get(text, text)
    return value


def _to_code_list(value: Any) -> Any:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,;\n]", value) if v.strip()]
    if isinstance(value, list):
        return [_to_code(v) for v in value]
    return value


def _dedupe(values: list[UnitKind]) -> list[UnitKind]:
    return list(dict.fromkeys(values))


_ROLE_VALUES = {r.value for r in SectionRole}
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
CHECKLIST_KEY_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

Key = Annotated[
    str,
    BeforeValidator(_to_text),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=KEY_PATTERN),
]
ChecklistKey = Annotated[
    str,
    BeforeValidator(_to_text),
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=80, pattern=CHECKLIST_KEY_PATTERN
    ),
]


_TO_TEXT = BeforeValidator(_to_text)
_CLEAN = AfterValidator(_clean_text)


def _limits(min_length: int, max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


Title = Annotated[str, _TO_TEXT, _limits(1, 200), _CLEAN]
LongText = Annotated[str, _TO_TEXT, _limits(1, 2000), _CLEAN]
Guidance = Annotated[str, _TO_TEXT, _limits(0, 4000), _CLEAN]
Short = Annotated[str, _TO_TEXT, _limits(0, 40), _CLEAN]
AreaText = Annotated[str, _TO_TEXT, _limits(0, 120), _CLEAN]
Kinds = Annotated[list[UnitKind], BeforeValidator(_to_code_list), AfterValidator(_dedupe)]
ItemKindField = Annotated[ItemKind, BeforeValidator(_to_code)]
AnswerField = Annotated[AnswerType, BeforeValidator(_to_code)]
FollowUpKindField = Annotated[FollowUpKind, BeforeValidator(_to_code)]
RoleField = Annotated[SectionRole, BeforeValidator(_to_code)]

_CONFIG = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --------------------------------------------------------------------------- the format


class Item(BaseModel):
    """One question or requirement of a checklist."""

    model_config = ConfigDict(
        **_CONFIG, title="Fråga", json_schema_extra={"description": "En fråga eller ett krav."}
    )

    key: Key = Field(
        description="Stabilt id, unikt i checklistan (a–z, 0–9, - och _).",
        json_schema_extra={"pattern": KEY_PATTERN},
    )
    text: LongText = Field(description="Frågan eller kravet som det läses upp.")
    guidance: Guidance = Field(
        default="", description="Vägledning: vad granskaren tittar på, vilka underlag som begärs."
    )
    kind: ItemKindField = Field(
        default=ItemKind.fraga, description="ska_krav, bor_krav eller fraga."
    )
    clause: Short = Field(default="", description="Avtalspunkt, t.ex. 4.2.1.")
    answer: AnswerField = Field(
        default=AnswerType.bedomning,
        description="Svarstyp: bedomning (uppfyllt/delvis/ej/ej aktuellt), ja_nej, tal, text "
        "eller datum.",
    )
    unit: Short = Field(default="", description="Enhet för svarstypen tal, t.ex. procent.")
    evidence_required: bool = Field(default=False, description="Om underlag måste bifogas.")
    applies_to: Kinds = Field(
        default_factory=list,
        description="Enhetstyper frågan gäller för; tom lista betyder alla.",
    )
    area: AreaText = Field(
        default="", description="Område i rapporter; tomt betyder avsnittets rubrik."
    )

    @model_validator(mode="after")
    def _unit_matches_answer(self) -> "Item":
        if self.answer is AnswerType.tal and not self.unit:
            raise PydanticCustomError(
                "unit_required",
                'Ange en enhet för svarstypen tal, t.ex. "procent", "timmar" eller "antal".',
            )
        if self.answer is not AnswerType.tal and self.unit:
            raise PydanticCustomError(
                "unit_not_allowed",
                "Enhet anges bara för svarstypen tal. Töm fältet eller byt svarstyp till tal.",
            )
        if self.key.startswith(CONTRACT_KEY_PREFIX):
            raise PydanticCustomError(
                "reserved_key",
                'Id som börjar med "krav-" är reserverade för avtalets egna krav. Välj ett '
                "annat id.",
            )
        return self


class Section(BaseModel):
    """A titled group of items; one section may receive the contract's own requirements."""

    model_config = ConfigDict(
        **_CONFIG,
        title="Avsnitt",
        json_schema_extra={"description": "Ett avsnitt med rubrik och frågor i ordning."},
    )

    key: Key = Field(
        description="Stabilt id för avsnittet.", json_schema_extra={"pattern": KEY_PATTERN}
    )
    title: Title = Field(description="Rubrik, t.ex. 3. SKA-krav i avtalet.")
    description: Guidance = Field(default="", description="Inledande text till avsnittet.")
    role: RoleField | None = Field(
        default=None,
        description="Avsnittets roll i policyns dagordning: previous (punkt 1, föregående "
        "uppföljning), staffing (punkt 2, bemanning), requirements (punkt 3, avtalets krav läggs "
        "till här), findings eller action_plan (punkt 4, åtgärdsplan). Tomt för vanliga avsnitt.",
    )
    items: list[Item] = Field(default_factory=list, description="Frågor och krav i ordning.")

    @model_validator(mode="before")
    @classmethod
    def _legacy_flag(cls, data: Any) -> Any:
        """Versions stored before roles existed flag the contract section instead."""
        if isinstance(data, dict) and "include_contract_requirements" in data:
            data = dict(data)
            flagged = data.pop("include_contract_requirements")
            if flagged in (True, "ja", "Ja", "true") and not data.get("role"):
                data["role"] = SectionRole.requirements.value
        return data

    @property
    def include_contract_requirements(self) -> bool:
        """The section the contract's own requirements go into (role requirements)."""
        return self.role is SectionRole.requirements

    @model_validator(mode="after")
    def _has_items(self) -> "Section":
        if not self.items and not self.include_contract_requirements:
            raise PydanticCustomError(
                "section_empty",
                "Avsnittet har inga frågor. Lägg till minst en fråga eller ta bort avsnittet.",
            )
        return self


class Checklist(BaseModel):
    """A checklist as written in YAML (and stored as the content of a ChecklistVersion)."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        title="Checklista",
        json_schema_extra={
            "description": "Checklista för uppföljning i Revisionsstöd (checklists/*.yaml)."
        },
    )

    key: ChecklistKey = Field(
        description="Checklistans id, samma som filnamnet utan .yaml.",
        json_schema_extra={"pattern": CHECKLIST_KEY_PATTERN},
    )
    name: Title = Field(description="Namn som visas för användarna.")
    version: int = Field(default=1, ge=1, description="Versionsnummer (sätts vid import).")
    kind: FollowUpKindField = Field(description="Uppföljningstyp checklistan används för.")
    description: Guidance = Field(default="", description="Syfte och källor.")
    applies_to: Kinds = Field(
        default_factory=list,
        description="Enhetstyper checklistan gäller för (kravlistor); tom lista betyder alla.",
    )
    sections: list[Section] = Field(min_length=1, description="Avsnitt i ordning.")

    @model_validator(mode="after")
    def _unique(self) -> "Checklist":
        problems = _cross_checks(self.model_dump(mode="json"))
        if problems:
            raise PydanticCustomError("cross_check", problems[0].message)
        return self

    def items(self) -> list[tuple["Section", Item]]:
        """Return every item with its section, in order."""
        return [(s, i) for s in self.sections for i in s.items]

    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    @property
    def composed(self) -> bool:
        return COMPOSED_SEPARATOR in self.key


# --------------------------------------------------------------------------- validation


Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One validation problem: where (a pydantic-style location) and a Swedish sentence."""

    loc: Loc
    message: str
    other: Loc | None = None  # the first occurrence, for duplicates


# Error types raised by model validators, and the field they concern.
_CUSTOM_FIELD = {
    "unit_required": "unit",
    "unit_not_allowed": "unit",
    "reserved_key": "key",
    "section_empty": "items",
}

_ENUM_MESSAGES = {
    "kind": '"{value}" är ingen giltig typ. Välj ' + _choices(ItemKind) + ".",
    "answer": '"{value}" är ingen giltig svarstyp. Välj ' + _choices(AnswerType) + ".",
    "applies_to": '"{value}" är ingen giltig enhetstyp. Välj ' + _choices(UnitKind) + ".",
    "role": '"{value}" är ingen giltig roll. Lämna tomt eller välj ' + _choices(SectionRole) + ".",
}
_TOP_KIND_MESSAGE = (
    '"{value}" är ingen giltig uppföljningstyp. Välj ' + _choices(FollowUpKind) + "."
)

_EMPTY_MESSAGES = {
    "key": "Id saknas. Ange ett kort, stabilt id, t.ex. sb-ledning-01.",
    "text": "Texten är tom. Skriv frågan eller kravet.",
    "title": "Rubriken är tom. Skriv avsnittets rubrik.",
    "name": "Namnet är tomt. Ange checklistans namn.",
}


def _cross_checks(data: Any) -> list[Problem]:
    """Find duplicate ids and a second section flagged for contract requirements."""
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return problems
    seen_sections: dict[str, Loc] = {}
    seen_items: dict[str, Loc] = {}
    roles: dict[str, Loc] = {}
    for si, section in enumerate(data["sections"]):
        if not isinstance(section, dict):
            continue
        skey = _to_text(section.get("key"))
        if isinstance(skey, str) and skey.strip():
            skey = skey.strip()
            if skey in seen_sections:
                problems.append(
                    Problem(
                        ("sections", si, "key"),
                        f'Avsnittets id "{skey}" används redan av ett annat avsnitt. Varje '
                        "avsnitt måste ha ett eget id.",
                        seen_sections[skey],
                    )
                )
            else:
                seen_sections[skey] = ("sections", si, "key")
        role = section.get("role")
        if section.get("include_contract_requirements") is True:
            role = SectionRole.requirements.value
        if role is not None and str(getattr(role, "value", role)) in _ROLE_VALUES:
            role = str(getattr(role, "value", role))
            if role in roles:
                problems.append(
                    Problem(
                        ("sections", si, "role"),
                        f"Bara ett avsnitt kan ha rollen {role}"
                        + (" (ta emot avtalets krav)." if role == "requirements" else "."),
                        roles[role],
                    )
                )
            else:
                roles[role] = ("sections", si, "role")
        items = section.get("items")
        if not isinstance(items, list):
            continue
        for ii, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            ikey = _to_text(item.get("key"))
            if not isinstance(ikey, str) or not ikey.strip():
                continue
            ikey = ikey.strip()
            loc: Loc = ("sections", si, "items", ii, "key")
            if ikey in seen_items:
                problems.append(
                    Problem(
                        loc,
                        f'Id "{ikey}" används redan av en annan fråga. Varje fråga måste ha ett '
                        "eget id.",
                        seen_items[ikey],
                    )
                )
            else:
                seen_items[ikey] = loc
    return problems


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
    problems = _cross_checks(data)
    try:
        return Checklist.model_validate(data), problems
    except ValidationError as exc:
        found = [_message(e) for e in exc.errors() if e["type"] != "cross_check"]
        return None, problems + found


def _yaml_where(data: Any, loc: Loc) -> str:
    """Describe a location in YAML terms: the item's key and the field."""

    def key_of(node: Any, fallback: str) -> str:
        if isinstance(node, dict):
            key = _to_text(node.get("key"))
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


# --------------------------------------------------------------------------- YAML


def load_yaml(path_or_text: str | Path) -> Checklist:
    """Load and validate a checklist from a YAML file path or from YAML text."""
    if isinstance(path_or_text, Path):
        text = path_or_text.read_text(encoding="utf-8")
    elif "\n" not in path_or_text and path_or_text.endswith((".yaml", ".yml")):
        text = Path(path_or_text).read_text(encoding="utf-8")
    else:
        text = path_or_text
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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


def _plain(checklist: Checklist) -> dict[str, Any]:
    """Return the checklist as a dict in the format's key order, without empty optional fields."""
    data = checklist.model_dump(mode="json")
    out: dict[str, Any] = {
        "key": data["key"],
        "name": data["name"],
        "version": data["version"],
        "kind": data["kind"],
    }
    if data["description"]:
        out["description"] = data["description"]
    if data["applies_to"]:
        out["applies_to"] = data["applies_to"]
    sections = []
    for s in data["sections"]:
        sec: dict[str, Any] = {"key": s["key"], "title": s["title"]}
        if s["description"]:
            sec["description"] = s["description"]
        if s.get("role"):
            sec["role"] = s["role"]
        items = []
        for i in s["items"]:
            item: dict[str, Any] = {"key": i["key"], "text": i["text"]}
            if i["guidance"]:
                item["guidance"] = i["guidance"]
            item["kind"] = i["kind"]
            if i["clause"]:
                item["clause"] = i["clause"]
            item["answer"] = i["answer"]
            if i["unit"]:
                item["unit"] = i["unit"]
            if i["evidence_required"]:
                item["evidence_required"] = True
            if i["applies_to"]:
                item["applies_to"] = i["applies_to"]
            if i["area"]:
                item["area"] = i["area"]
            items.append(item)
        sec["items"] = items
        sections.append(sec)
    out["sections"] = sections
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


# --------------------------------------------------------------------------- JSON Schema


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of the checklist format (published as checklists/schema.json)."""
    schema = Checklist.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- Excel

SHEET_ITEMS = "Frågor"
SHEET_SECTIONS = "Avsnitt"
SHEET_ABOUT = "Om checklistan"
SHEET_HELP = "Anvisningar"

# field, header, width, required
ITEM_COLUMNS: list[tuple[str, str, int, bool]] = [
    ("section", "Avsnitt", 16, True),
    ("key", "Id", 18, True),
    ("text", "Text", 60, True),
    ("guidance", "Vägledning", 60, False),
    ("kind", "Typ", 11, True),
    ("answer", "Svarstyp", 12, True),
    ("unit", "Enhet", 10, False),
    ("clause", "Avtalspunkt", 12, False),
    ("evidence_required", "Underlag krävs", 15, False),
    ("applies_to", "Gäller för", 26, False),
    ("area", "Område", 24, False),
]
SECTION_COLUMNS: list[tuple[str, str, int, bool]] = [
    ("key", "Id", 16, True),
    ("title", "Rubrik", 50, True),
    ("description", "Beskrivning", 70, False),
    ("role", "Roll i dagordningen", 24, False),
]
ABOUT_ROWS: list[tuple[str, str]] = [
    ("key", "Id"),
    ("name", "Namn"),
    ("version", "Version"),
    ("kind", "Uppföljningstyp"),
    ("applies_to", "Gäller för"),
    ("description", "Beskrivning"),
]
ABOUT_HEADERS = ("Uppgift", "Värde")
_ITEM_HEADER = {f: h for f, h, _, _ in ITEM_COLUMNS}
_SECTION_HEADER = {f: h for f, h, _, _ in SECTION_COLUMNS}
_ABOUT_LABEL = dict(ABOUT_ROWS)
_ROWS_WITH_VALIDATION = 500

_HELP_TEXT = [
    "Så redigerar du checklistan i Excel",
    "",
    "1. Bladet Frågor har en rad per fråga eller krav. Ändra texter, lägg till rader eller ta "
    "bort rader.",
    "2. Id ska vara unikt och stabilt: ändra inte id på en befintlig fråga, då räknas den som "
    "borttagen och en ny läggs till. Använd små bokstäver a–z, siffror, - och _.",
    "3. Avsnitt anger id för ett avsnitt på bladet Avsnitt. Nya avsnitt läggs till där; "
    "ordningen på bladen är ordningen i checklistan.",
    "4. Typ: ska_krav (avtalets SKA-krav), bor_krav (BÖR-krav) eller fraga.",
    "5. Svarstyp: bedomning (uppfyllt / delvis uppfyllt / ej uppfyllt / ej aktuellt), ja_nej, "
    "tal (ange då Enhet, t.ex. procent), text eller datum.",
    "6. Underlag krävs: ja eller nej. Gäller för: tomt för alla, annars t.ex. "
    "sarskilt_boende, hemtjanst, lss_bostad, daglig_verksamhet (kommaseparerat).",
    "7. Skriv aldrig personnummer i checklistan.",
    "8. Spara filen som .xlsx och ladda upp den på sidan Checklistor. Du ser skillnaderna och "
    "eventuella fel innan något sparas; varje uppladdning blir en ny version.",
]

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _set(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a cell; text is always stored as text (never as a formula)."""
    if value == "" or value is None:
        return
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.alignment = _WRAP


def _header(ws: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    for index, (title, width) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"


def _dropdown(ws: Worksheet, formula: str, cells: str, message: str) -> None:
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="Ogiltigt värde",
        error=message,
        promptTitle="Välj i listan",
        prompt=message,
    )
    ws.add_data_validation(dv)
    dv.add(cells)


def _column_letter(columns: Sequence[tuple[str, str, int, bool]], field_name: str) -> str:
    from openpyxl.utils import get_column_letter

    index = [c[0] for c in columns].index(field_name) + 1
    return get_column_letter(index)


def to_excel(checklist: Checklist) -> bytes:
    """Export the checklist as an .xlsx workbook people can edit and import again."""
    wb = Workbook()
    items_ws = wb.active
    assert items_ws is not None
    items_ws.title = SHEET_ITEMS
    _header(items_ws, [(h, w) for _, h, w, _ in ITEM_COLUMNS])
    row = 2
    for section, item in checklist.items():
        values = {
            "section": section.key,
            "key": item.key,
            "text": item.text,
            "guidance": item.guidance,
            "kind": item.kind.value,
            "answer": item.answer.value,
            "unit": item.unit,
            "clause": item.clause,
            "evidence_required": "ja" if item.evidence_required else "nej",
            "applies_to": ", ".join(k.value for k in item.applies_to),
            "area": item.area,
        }
        for column, (name, _, _, _) in enumerate(ITEM_COLUMNS, start=1):
            _set(items_ws, row, column, values[name])
        row += 1
    items_ws.auto_filter.ref = f"A1:{_column_letter(ITEM_COLUMNS, 'area')}{max(row - 1, 1)}"
    last = _ROWS_WITH_VALIDATION + max(row, 2)
    for name, choices in (("kind", ItemKind), ("answer", AnswerType)):
        letter = _column_letter(ITEM_COLUMNS, name)
        values_csv = ",".join(str(m.value) for m in choices)
        _dropdown(
            items_ws, f'"{values_csv}"', f"{letter}2:{letter}{last}", f"Välj {_choices(choices)}."
        )
    letter = _column_letter(ITEM_COLUMNS, "evidence_required")
    _dropdown(items_ws, '"ja,nej"', f"{letter}2:{letter}{last}", "Välj ja eller nej.")
    letter = _column_letter(ITEM_COLUMNS, "section")
    _dropdown(
        items_ws,
        f"={SHEET_SECTIONS}!$A$2:$A${len(checklist.sections) + 100}",
        f"{letter}2:{letter}{last}",
        "Välj ett avsnitts id från bladet Avsnitt.",
    )

    sections_ws = wb.create_sheet(SHEET_SECTIONS)
    _header(sections_ws, [(h, w) for _, h, w, _ in SECTION_COLUMNS])
    for r, section in enumerate(checklist.sections, start=2):
        _set(sections_ws, r, 1, section.key)
        _set(sections_ws, r, 2, section.title)
        _set(sections_ws, r, 3, section.description)
        _set(sections_ws, r, 4, section.role.value if section.role else "")
    letter = _column_letter(SECTION_COLUMNS, "role")
    roles_csv = ",".join(r.value for r in SectionRole)
    _dropdown(
        sections_ws,
        f'"{roles_csv}"',
        f"{letter}2:{letter}200",
        f"Lämna tomt, eller välj {_choices(SectionRole)}.",
    )

    about_ws = wb.create_sheet(SHEET_ABOUT)
    _header(about_ws, [(ABOUT_HEADERS[0], 18), (ABOUT_HEADERS[1], 90)])
    about = {
        "key": checklist.key,
        "name": checklist.name,
        "version": checklist.version,
        "kind": checklist.kind.value,
        "applies_to": ", ".join(k.value for k in checklist.applies_to),
        "description": checklist.description,
    }
    for r, (name, label) in enumerate(ABOUT_ROWS, start=2):
        _set(about_ws, r, 1, label)
        _set(about_ws, r, 2, about[name])
    kinds_csv = ",".join(k.value for k in FollowUpKind)
    kind_row = [n for n, _ in ABOUT_ROWS].index("kind") + 2
    _dropdown(about_ws, f'"{kinds_csv}"', f"B{kind_row}", f"Välj {_choices(FollowUpKind)}.")

    help_ws = wb.create_sheet(SHEET_HELP)
    help_ws.column_dimensions["A"].width = 110
    for r, line in enumerate(_HELP_TEXT, start=1):
        _set(help_ws, r, 1, line)
    help_ws["A1"].font = Font(bold=True, size=13)

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _bool_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in ("", "nej", "n", "false", "falskt", "0"):
        return False
    if text in ("ja", "j", "x", "true", "sant", "1"):
        return True
    return text


def _int_cell(value: Any) -> Any:
    text = cell_text(value)
    return int(text) if text.isdigit() else text


def _read_table(
    sheet_name: str,
    rows: list[list[Any]],
    columns: list[tuple[str, str, int, bool]],
    errors: list[FieldError],
) -> list[tuple[int, dict[str, Any]]]:
    """Read a sheet with a header row into (Excel row, {field: cell}) pairs."""
    header_index = next((i for i, r in enumerate(rows[:10]) if any(cell_text(v) for v in r)), None)
    if header_index is None:
        names = ", ".join(f'"{h}"' for _, h, _, req in columns if req)
        errors.append(
            FieldError(
                sheet_name, f'Blad "{sheet_name}": bladet är tomt. Rubrikraden ({names}) saknas.'
            )
        )
        return []
    by_header = {h.lower(): f for f, h, _, _ in columns}
    position: dict[str, int] = {}
    for index, value in enumerate(rows[header_index]):
        title = cell_text(value)
        if not title:
            continue
        name = by_header.get(title.lower())
        if name is None:
            allowed = ", ".join(h for _, h, _, _ in columns)
            errors.append(
                cell_error(
                    sheet_name,
                    header_index + 1,
                    title,
                    f"okänd kolumn. Ta bort kolumnen eller använd en av rubrikerna: {allowed}.",
                )
            )
        elif name in position:
            errors.append(
                cell_error(sheet_name, header_index + 1, title, "kolumnen finns två gånger.")
            )
        else:
            position[name] = index
    for name, title, _, required in columns:
        if required and name not in position:
            errors.append(
                FieldError(
                    f"{sheet_name}!{header_index + 1}!{title}",
                    f'Blad "{sheet_name}", rad {header_index + 1}: kolumnen "{title}" saknas. '
                    "Lägg tillbaka den (exportera checklistan på nytt om du är osäker).",
                )
            )
    table = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        cells = {n: (row[p] if p < len(row) else None) for n, p in position.items()}
        if all(cell_text(v) == "" for v in cells.values()):
            continue
        table.append((index + 1, cells))
    return table


_SHEET_ORDER = [SHEET_ITEMS, SHEET_SECTIONS, SHEET_ABOUT]
_COLUMN_ORDER = [h for _, h, _, _ in ITEM_COLUMNS + SECTION_COLUMNS] + list(ABOUT_HEADERS)


def _reading_order(error: FieldError) -> tuple[int, int, int]:
    """Sort errors as a person reads the workbook: sheet, row, column."""
    sheet, _, rest = error.field.partition("!")
    row, _, column = rest.partition("!")
    sheet_no = _SHEET_ORDER.index(sheet) if sheet in _SHEET_ORDER else len(_SHEET_ORDER)
    column_no = _COLUMN_ORDER.index(column) if column in _COLUMN_ORDER else len(_COLUMN_ORDER)
    return sheet_no, int(row) if row.isdigit() else 0, column_no


def _find_sheet(sheets: dict[str, Any], name: str) -> Any:
    if name in sheets:
        return sheets[name]
    for actual, sheet in sheets.items():
        if actual.strip().lower() == name.lower():
            return sheet
    return None


def read_excel(data: bytes, filename: str) -> Checklist:
    """Import a checklist from an exported (and edited) workbook; report every error at once."""
    sheets = read_workbook(data, filename)
    errors: list[FieldError] = []
    found = {n: _find_sheet(sheets, n) for n in (SHEET_ITEMS, SHEET_SECTIONS, SHEET_ABOUT)}
    for name, sheet in found.items():
        if sheet is None:
            errors.append(
                FieldError(
                    name,
                    f'Blad "{name}" saknas i filen {filename!r}. Exportera checklistan på nytt '
                    "och gör ändringarna i den filen.",
                )
            )
    if errors:
        raise ValidationFailed(errors)

    # Om checklistan: label/value rows.
    raw: dict[str, Any] = {}
    about_row: dict[str, int] = {}
    by_label = {label.lower(): name for name, label in ABOUT_ROWS}
    about_rows = found[SHEET_ABOUT].rows
    for index, row in enumerate(about_rows):
        label = cell_text(row[0]) if row else ""
        if not label or label.lower() == ABOUT_HEADERS[0].lower():
            continue
        field_name = by_label.get(label.lower())
        if field_name is None:
            allowed = ", ".join(label for _, label in ABOUT_ROWS)
            errors.append(
                cell_error(
                    SHEET_ABOUT,
                    index + 1,
                    ABOUT_HEADERS[0],
                    f'okänd uppgift "{label}". Använd en av: {allowed}.',
                )
            )
            continue
        value = row[1] if len(row) > 1 else None
        raw[field_name] = _int_cell(value) if field_name == "version" else cell_text(value)
        about_row[field_name] = index + 1
    for name in ("key", "name", "kind"):
        if name not in about_row:
            errors.append(
                FieldError(
                    SHEET_ABOUT,
                    f'Blad "{SHEET_ABOUT}": raden "{_ABOUT_LABEL[name]}" saknas. Lägg till den '
                    f'med "{_ABOUT_LABEL[name]}" i kolumnen "{ABOUT_HEADERS[0]}".',
                )
            )
    if raw.get("version") == "":
        raw.pop("version")
    if raw.get("applies_to") == "":
        raw.pop("applies_to")

    # Avsnitt.
    sections: list[dict[str, Any]] = []
    section_row: list[int] = []
    section_index: dict[str, int] = {}
    for row_no, cells in _read_table(
        SHEET_SECTIONS, found[SHEET_SECTIONS].rows, SECTION_COLUMNS, errors
    ):
        section: dict[str, Any] = {
            "key": cell_text(cells.get("key")),
            "title": cell_text(cells.get("title")),
            "description": cell_text(cells.get("description")),
            "role": cell_text(cells.get("role")) or None,
            "items": [],
        }
        section_index.setdefault(section["key"], len(sections))
        sections.append(section)
        section_row.append(row_no)
    raw["sections"] = sections

    # Frågor.
    item_row: dict[tuple[int, int], int] = {}
    known = ", ".join(f'"{k}"' for k in section_index if k)
    for row_no, cells in _read_table(SHEET_ITEMS, found[SHEET_ITEMS].rows, ITEM_COLUMNS, errors):
        section_key = cell_text(cells.get("section"))
        if section_key not in section_index:
            problem = (
                f'Avsnittet "{section_key}" finns inte på bladet "{SHEET_SECTIONS}".'
                if section_key
                else "Ange avsnittets id."
            )
            errors.append(
                cell_error(
                    SHEET_ITEMS,
                    row_no,
                    _ITEM_HEADER["section"],
                    f"{problem} Välj ett av: {known or 'inga avsnitt finns'}.",
                )
            )
            continue
        item: dict[str, Any] = {
            name: _bool_cell(value) if name == "evidence_required" else cell_text(value)
            for name, value in cells.items()
            if name != "section"
        }
        si = section_index[section_key]
        item_row[(si, len(sections[si]["items"]))] = row_no
        sections[si]["items"].append(item)

    def cell_of(loc: Loc) -> tuple[str, int | None, str]:
        if loc and loc[0] == "sections":
            if len(loc) >= 2 and isinstance(loc[1], int):
                si = loc[1]
                if len(loc) >= 4 and loc[2] == "items" and isinstance(loc[3], int):
                    column = _ITEM_HEADER.get(str(loc[4]), "Id") if len(loc) > 4 else "Id"
                    return SHEET_ITEMS, item_row.get((si, loc[3])), column
                name = str(loc[2]) if len(loc) > 2 else "key"
                column = _SECTION_HEADER.get(name, "Id")
                return SHEET_SECTIONS, section_row[si] if si < len(section_row) else None, column
            return SHEET_SECTIONS, None, "Id"
        name = str(loc[0]) if loc else "key"
        return SHEET_ABOUT, about_row.get(name), ABOUT_HEADERS[1]

    checklist, problems = check(raw)
    for p in problems:
        sheet, at_row, column = cell_of(p.loc)
        message = p.message
        if p.other is not None:
            _, other_row, _ = cell_of(p.other)
            if other_row is not None:
                message = message.rstrip(".") + f" (första gången på rad {other_row})."
        if at_row is None:
            if p.loc and p.loc[0] in _ABOUT_LABEL and sheet == SHEET_ABOUT:
                continue  # the missing row is already reported above
            errors.append(FieldError(sheet, f'Blad "{sheet}": {message}'))
        else:
            errors.append(cell_error(sheet, at_row, column, message))
    if errors:
        raise ValidationFailed(
            sorted(errors, key=_reading_order),
            intro=f"Filen {filename!r} har {len(errors)} fel. Inget har sparats.",
        )
    assert checklist is not None
    return checklist


def read_upload(data: bytes, filename: str) -> Checklist:
    """Read an uploaded checklist: YAML (.yaml/.yml) or a workbook (anything else)."""
    if filename.lower().endswith((".yaml", ".yml")):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                [f"Filen {filename!r} är inte sparad som UTF-8-text. Spara den som UTF-8."]
            ) from exc
        return load_yaml(text if "\n" in text else text + "\n")
    return read_excel(data, filename)


# --------------------------------------------------------------------------- versions


class ChecklistUnchanged(UserError):
    """The imported checklist equals the newest stored version: nothing to save."""

    def __init__(self, key: str, version: int) -> None:
        super().__init__(
            f"Checklistan {key!r} är oförändrad jämfört med version {version}. "
            "Ingen ny version sparades."
        )
        self.version = version


def content_of(checklist: Checklist) -> dict[str, Any]:
    return checklist.model_dump(mode="json")


def content_hash(content: dict[str, Any] | Checklist) -> str:
    """Hash the content without its version number (so equal content means no new version)."""
    data = content_of(content) if isinstance(content, Checklist) else dict(content)
    data.pop("version", None)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def checklist_of(version: ChecklistVersion | dict[str, Any]) -> Checklist:
    """Return the validated checklist of a stored version (or of stored content)."""
    content = version.content if isinstance(version, ChecklistVersion) else version
    return Checklist.model_validate(content)


def latest(session: Session, key: str) -> ChecklistVersion | None:
    """Return the newest version of a checklist, or None."""
    return session.exec(
        select(ChecklistVersion)
        .where(ChecklistVersion.key == key)
        .order_by(col(ChecklistVersion.version).desc())
    ).first()


def list_versions(session: Session, key: str) -> list[ChecklistVersion]:
    """Return every version of a checklist, newest first."""
    return list(
        session.exec(
            select(ChecklistVersion)
            .where(ChecklistVersion.key == key)
            .order_by(col(ChecklistVersion.version).desc())
        )
    )


def get_version(session: Session, version_id: uuid.UUID | str) -> ChecklistVersion:
    """Return one stored version by id (what a follow-up pins)."""
    found = session.get(ChecklistVersion, uuid.UUID(str(version_id)))
    if found is None:
        raise NotFound("Checklistversionen finns inte.")
    return found


def list_latest(session: Session, *, include_composed: bool = True) -> list[ChecklistVersion]:
    """Return the newest version of every checklist, ordered by name."""
    newest: dict[str, ChecklistVersion] = {}
    for cv in session.exec(select(ChecklistVersion).order_by(col(ChecklistVersion.version))):
        newest[cv.key] = cv
    found = [cv for cv in newest.values() if include_composed or COMPOSED_SEPARATOR not in cv.key]
    return sorted(found, key=lambda cv: (cv.name.lower(), cv.key))


def _store(
    session: Session, actor: Actor, checklist: Checklist, source: str, previous: int
) -> ChecklistVersion:
    version = previous + 1
    content = content_of(checklist.model_copy(update={"version": version}))
    cv = ChecklistVersion(
        key=checklist.key,
        version=version,
        name=checklist.name,
        kind=checklist.kind.value,
        content=content,
        sha256=content_hash(content),
        source=source[:300],
        created_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():
            session.add(cv)
            session.flush()
    except IntegrityError as exc:
        from audit_app.errors import Conflict

        raise Conflict(
            f"Någon annan sparade en ny version av checklistan {checklist.key!r} samtidigt. "
            "Ladda om sidan och försök igen."
        ) from exc
    log_event(session, actor, "checklistversion", cv.id, f"version {version} sparad"[:80])
    return cv


def import_version(
    session: Session, actor: Actor, checklist: Checklist, source: str
) -> ChecklistVersion:
    """Store the checklist as a new version of its key; existing versions never change."""
    require(actor, EDIT_CHECKLISTS, "spara checklistor")
    if checklist.composed:
        raise ValidationFailed(
            [
                f"Checklistan {checklist.key!r} sätts samman automatiskt och kan inte laddas upp. "
                "Ändra grundlistan (t.ex. avtalsuppfoljning eller en ska_krav-lista) i stället."
            ]
        )
    current = latest(session, checklist.key)
    if current is not None and current.sha256 == content_hash(checklist):
        raise ChecklistUnchanged(checklist.key, current.version)
    cv = _store(session, actor, checklist, source, current.version if current else 0)
    refresh_composed(session, actor)
    return cv


@dataclass
class SyncResult:
    """What `sync_shipped` did: versions stored, files skipped with their errors."""

    created: list[ChecklistVersion] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def sync_shipped(session: Session, actor: Actor, directory: Path | None = None) -> SyncResult:
    """Store a new version of every shipped YAML checklist whose content is new (idempotent).

    A file is stored only when its content equals no stored version of its key, so an unchanged
    file never overwrites a version imported in the app; an updated file (a new release) does
    become the newest version, with the earlier ones kept in the history.
    """
    require(actor, EDIT_CHECKLISTS, "läsa in checklistor")
    folder = directory or get_settings().checklist_dir
    result = SyncResult()
    newest: dict[str, int] = {}
    seen: dict[str, set[str]] = {}
    rows = session.exec(
        select(ChecklistVersion.key, ChecklistVersion.version, ChecklistVersion.sha256)
    )
    for key, version, sha in rows:
        newest[key] = max(version, newest.get(key, 0))
        seen.setdefault(key, set()).add(sha)
    for path in sorted(folder.glob("*.yaml")):
        try:
            checklist = load_yaml(path)
        except ValidationFailed as exc:
            result.errors.extend(f"{path.name}: {e.message}" for e in exc.errors)
            log.warning("Shipped checklist %s is invalid: %s", path, exc.message)
            continue
        if checklist.key != path.stem or checklist.composed:
            result.errors.append(
                f"{path.name}: id {checklist.key!r} ska vara samma som filnamnet ({path.stem!r})."
            )
            continue
        if content_hash(checklist) in seen.get(checklist.key, set()):
            continue
        result.created.append(
            _store(
                session,
                actor,
                checklist,
                f"medföljande fil {path.name}",
                newest.get(checklist.key, 0),
            )
        )
    if result.created or not any(COMPOSED_SEPARATOR in k for k in newest):
        result.created.extend(refresh_composed(session, actor))
    return result


def _is_requirement_list(checklist: Checklist) -> bool:
    return bool(checklist.applies_to) and not any(
        s.include_contract_requirements for s in checklist.sections
    )


def compose(base: Checklist, lists: Sequence[Checklist], unit_kind: UnitKind) -> Checklist:
    """Merge requirement lists into the base's contract section, for one unit kind."""
    sections = []
    for section in base.sections:
        if section.include_contract_requirements:
            extra = [
                item.model_copy(update={"area": item.area or s.title})
                for lst in lists
                for s in lst.sections
                for item in s.items
                if not item.applies_to or unit_kind in item.applies_to
            ]
            section = section.model_copy(update={"items": [*section.items, *extra]})
        sections.append(section)
    names = ", ".join(f"{lst.key} version {lst.version}" for lst in lists)
    note = (
        f"Sammansatt automatiskt av {base.key} version {base.version} och {names} för "
        f"{UNIT_KIND_LABELS[unit_kind].lower()}."
    )
    description = f"{note}\n\n{base.description}".strip()[:4000]
    return Checklist.model_validate(
        {
            **content_of(base),
            "key": f"{base.key}{COMPOSED_SEPARATOR}{unit_kind.value}",
            "name": f"{base.name} – {UNIT_KIND_LABELS[unit_kind].lower()}"[:200],
            "description": description,
            "applies_to": [unit_kind.value],
            "sections": [s.model_dump(mode="json") for s in sections],
        }
    )


def refresh_composed(session: Session, actor: Actor) -> list[ChecklistVersion]:
    """Store new composed versions where an agenda or a requirement list changed."""
    newest = list_latest(session, include_composed=False)
    parsed = {cv.key: (cv, checklist_of(cv)) for cv in newest}
    bases = [
        c
        for _, c in parsed.values()
        if not _is_requirement_list(c) and any(s.include_contract_requirements for s in c.sections)
    ]
    lists = [c for _, c in parsed.values() if _is_requirement_list(c)]
    created = []
    for base in bases:
        for unit_kind in UnitKind:
            matching = [
                lst for lst in lists if lst.kind is base.kind and unit_kind in lst.applies_to
            ]
            if not matching:
                continue
            try:
                composed = compose(base, matching, unit_kind)
            except ValidationError as exc:
                log.warning("Cannot compose %s for %s: %s", base.key, unit_kind.value, exc)
                continue
            current = latest(session, composed.key)
            if current is not None and current.sha256 == content_hash(composed):
                continue
            source = "Sammansatt av " + " + ".join(
                f"{c.key} v{c.version}" for c in (base, *matching)
            )
            created.append(
                _store(session, actor, composed, source, current.version if current else 0)
            )
    return created


def checklist_for_kind(
    session: Session,
    followup_kind: FollowUpKind | str,
    unit_kind: UnitKind | str | None = None,
) -> ChecklistVersion | None:
    """Return the version to pin when planning a follow-up of this kind (None if there is none).

    For `avtal` and a unit kind with a standard SKA-krav list, this is the composed
    `avtalsuppfoljning.<unit kind>`; otherwise the newest version of the kind's default key,
    or of any checklist of that kind.
    """
    kind = FollowUpKind(followup_kind)
    key = DEFAULT_KEYS.get(kind)
    if key is not None:
        if unit_kind is not None:
            composed = latest(session, f"{key}{COMPOSED_SEPARATOR}{UnitKind(unit_kind).value}")
            if composed is not None:
                return composed
        found = latest(session, key)
        if found is not None:
            return found
    candidates = [
        cv for cv in list_latest(session, include_composed=False) if cv.kind == kind.value
    ]
    return sorted(candidates, key=lambda cv: cv.key)[0] if candidates else None


def checklists_for_kind(
    session: Session, followup_kind: FollowUpKind | str
) -> list[ChecklistVersion]:
    """Return the newest version of every checklist usable for this kind of follow-up."""
    kind = FollowUpKind(followup_kind).value
    return [cv for cv in list_latest(session) if cv.kind == kind]


# --------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class ItemChange:
    """How one item differs between two versions."""

    key: str
    section: str
    old_text: str
    new_text: str
    details: tuple[str, ...] = ()


@dataclass
class ChecklistDiff:
    """Differences between two versions of a checklist."""

    added: list[ItemChange] = field(default_factory=list)
    removed: list[ItemChange] = field(default_factory=list)
    reworded: list[ItemChange] = field(default_factory=list)
    moved: list[ItemChange] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    meta: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.reworded
            or self.moved
            or self.changed
            or self.sections
            or self.meta
        )

    def summary(self) -> str:
        """Return a one-line Swedish summary, e.g. '2 nya, 1 borttagen, 3 omformulerade'."""
        parts = []
        for count, one, many in (
            (len(self.added), "ny", "nya"),
            (len(self.removed), "borttagen", "borttagna"),
            (len(self.reworded), "omformulerad", "omformulerade"),
            (len(self.moved), "flyttad", "flyttade"),
            (len(self.changed), "ändrad i övrigt", "ändrade i övrigt"),
        ):
            if count:
                parts.append(f"{count} {one if count == 1 else many}")
        if self.sections:
            count = len(self.sections)
            parts.append(f"{count} {'ändring' if count == 1 else 'ändringar'} av avsnitt")
        if self.meta:
            count = len(self.meta)
            word = "ändring" if count == 1 else "ändringar"
            parts.append(f"{count} {word} av uppgifter om checklistan")
        return ", ".join(parts) if parts else "inga skillnader"


_COMPARED = [
    ("kind", "typ"),
    ("answer", "svarstyp"),
    ("unit", "enhet"),
    ("clause", "avtalspunkt"),
    ("guidance", "vägledning"),
    ("evidence_required", "underlag krävs"),
    ("applies_to", "gäller för"),
    ("area", "område"),
]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "alla"
    if isinstance(value, str) and len(value) > 60:
        return f'"{value[:57]}…"'
    return f'"{value}"' if isinstance(value, str) else str(value)


def diff(old: Checklist | dict[str, Any], new: Checklist | dict[str, Any]) -> ChecklistDiff:
    """Compare two checklists: items added, removed, reworded, moved or otherwise changed."""
    a = old if isinstance(old, Checklist) else checklist_of(old)
    b = new if isinstance(new, Checklist) else checklist_of(new)
    result = ChecklistDiff()
    for name, label in (
        ("name", "Namn"),
        ("kind", "Uppföljningstyp"),
        ("description", "Beskrivning"),
        ("applies_to", "Gäller för"),
    ):
        before, after = getattr(a, name), getattr(b, name)
        if before != after:
            if isinstance(before, Enum):
                before, after = before.value, after.value
            if name == "applies_to":
                before, after = [k.value for k in before], [k.value for k in after]
            result.meta.append(f"{label}: {_shown(before)} → {_shown(after)}")
    old_sections = {s.key: s for s in a.sections}
    new_sections = {s.key: s for s in b.sections}
    for key, s in new_sections.items():
        if key not in old_sections:
            result.sections.append(f'Nytt avsnitt "{s.title}"')
        elif old_sections[key].title != s.title:
            result.sections.append(f'Avsnittet "{old_sections[key].title}" heter nu "{s.title}"')
        elif old_sections[key].description != s.description:
            result.sections.append(f'Avsnittet "{s.title}" har ny beskrivning')
        if key in old_sections and (
            old_sections[key].include_contract_requirements != s.include_contract_requirements
        ):
            result.sections.append(
                f'Avsnittet "{s.title}": avtalets krav läggs '
                f"{'nu' if s.include_contract_requirements else 'inte längre'} till"
            )
    for key, s in old_sections.items():
        if key not in new_sections:
            result.sections.append(f'Avsnittet "{s.title}" är borttaget')
    old_order = [s.key for s in a.sections if s.key in new_sections]
    new_order = [s.key for s in b.sections if s.key in old_sections]
    if old_order != new_order:
        result.sections.append("Avsnitten har ny ordning")

    old_items = {i.key: (s, i) for s, i in a.items()}
    new_items = {i.key: (s, i) for s, i in b.items()}
    for key, (s, i) in new_items.items():
        if key not in old_items:
            result.added.append(ItemChange(key, s.title, "", i.text))
    for key, (s, i) in old_items.items():
        if key not in new_items:
            result.removed.append(ItemChange(key, s.title, i.text, ""))
    in_place: set[str] = set()
    for key in old_sections.keys() & new_sections.keys():
        same_old = [
            i.key
            for i in old_sections[key].items
            if i.key in new_items and new_items[i.key][0].key == key
        ]
        same_new = [
            i.key
            for i in new_sections[key].items
            if i.key in old_items and old_items[i.key][0].key == key
        ]
        matcher = difflib.SequenceMatcher(a=same_old, b=same_new, autojunk=False)
        for block in matcher.get_matching_blocks():
            in_place.update(same_new[block.b : block.b + block.size])
    for _, ni in b.items():
        key = ni.key
        if key not in old_items:
            continue
        (os_, oi), ns = old_items[key], new_items[key][0]
        if oi.text != ni.text:
            result.reworded.append(ItemChange(key, ns.title, oi.text, ni.text))
        if os_.key != ns.key:
            result.moved.append(
                ItemChange(
                    key, ns.title, oi.text, ni.text, (f'från "{os_.title}" till "{ns.title}"',)
                )
            )
        elif key not in in_place:
            result.moved.append(
                ItemChange(key, ns.title, oi.text, ni.text, ("ny plats i avsnittet",))
            )
        details = []
        for name, label in _COMPARED:
            before, after = getattr(oi, name), getattr(ni, name)
            if before != after:
                if isinstance(before, Enum):
                    before, after = before.value, after.value
                if name == "applies_to":
                    before, after = [k.value for k in before], [k.value for k in after]
                details.append(f"{label}: {_shown(before)} → {_shown(after)}")
        if details:
            result.changed.append(ItemChange(key, ns.title, oi.text, ni.text, tuple(details)))
    return result


# --------------------------------------------------------------------------- agenda


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


def _item_dict(section: Section, item: Item) -> dict[str, Any]:
    return {
        "key": item.key,
        "section_key": section.key,
        "section_title": section.title,
        "section_role": section.role.value if section.role else None,
        "text": item.text,
        "guidance": item.guidance,
        "kind": item.kind.value,
        "clause": item.clause,
        "answer": item.answer.value,
        "unit": item.unit,
        "evidence_required": item.evidence_required,
        "area": item.area or section.title,
        "source": "checklist",
        "requirement_id": None,
    }


def _requirement_dict(
    section: Section, req: Requirement, key: str, replaces: Item | None
) -> dict[str, Any]:
    kind = ItemKind.ska_krav if req.kind is RequirementKind.ska else ItemKind.bor_krav
    return {
        "key": key,
        "section_key": section.key,
        "section_title": section.title,
        "section_role": section.role.value if section.role else None,
        "text": req.text,
        "guidance": replaces.guidance if replaces else "",
        "kind": kind.value,
        "clause": req.clause,
        "answer": AnswerType.bedomning.value,
        "unit": "",
        "evidence_required": replaces.evidence_required if replaces else False,
        "area": req.area or (replaces.area if replaces and replaces.area else section.title),
        "source": "contract",
        "requirement_id": str(req.id),
    }


def build_agenda(
    checklist_content: dict[str, Any] | Checklist,
    requirements: Iterable[Requirement] = (),
    unit_kinds: Iterable[UnitKind | str] = (),
) -> list[dict[str, Any]]:
    """Resolve a checklist into the flat agenda of a follow-up.

    Items whose `applies_to` misses every unit kind of the follow-up are left out (no unit kinds
    given: nothing is left out). The contract's requirements (not archived, in position order)
    go into the section flagged `include_contract_requirements`, keyed `krav-<clause>` (or
    `krav-<id>` without a unique clause); a requirement with the same clause as an item of that
    section takes the item's place.
    """
    checklist = (
        checklist_content
        if isinstance(checklist_content, Checklist)
        else checklist_of(checklist_content)
    )
    kinds = {UnitKind(k) for k in unit_kinds}
    reqs = sorted(
        (r for r in requirements if not r.archived), key=lambda r: (r.position, r.clause, r.text)
    )
    agenda: list[dict[str, Any]] = []
    used_keys = {i.key for _, i in checklist.items()}

    def requirement_key(req: Requirement) -> str:
        slug = _slug(req.clause)
        key = f"{CONTRACT_KEY_PREFIX}{slug}" if slug else ""
        if not key or key in used_keys:
            key = f"{CONTRACT_KEY_PREFIX}{req.id}"
        used_keys.add(key)
        return key

    for section in checklist.sections:
        by_clause: dict[str, Requirement] = {}
        if section.include_contract_requirements:
            for req in reqs:
                if req.clause.strip():
                    by_clause.setdefault(req.clause.strip().lower(), req)
        placed: set[uuid.UUID] = set()
        for item in section.items:
            if item.applies_to and kinds and not kinds.intersection(item.applies_to):
                continue
            match = by_clause.get(item.clause.strip().lower()) if item.clause.strip() else None
            if match is not None and match.id not in placed:
                placed.add(match.id)
                agenda.append(_requirement_dict(section, match, requirement_key(match), item))
            else:
                agenda.append(_item_dict(section, item))
        if section.include_contract_requirements:
            for req in reqs:
                if req.id not in placed:
                    agenda.append(_requirement_dict(section, req, requirement_key(req), None))
    return agenda


def validate_answer(item: dict[str, Any], value: str) -> str:
    """Check and normalise the answer of a non-bedömning agenda item; refuse personnummer."""
    text = (value or "").strip()
    answer = item.get("answer", AnswerType.bedomning.value)
    label = f"Svaret på {item.get('key', 'frågan')!r}"
    if not text:
        return ""
    if looks_like_personnummer(text):
        raise ValidationFailed(
            [
                f"{label} innehåller något som ser ut som ett personnummer. Personnummer får inte "
                "sparas; använd ärendets referens (t.ex. ärendenummer eller 'Ärende A')."
            ]
        )
    if answer == AnswerType.ja_nej.value:
        lowered = text.lower()
        if lowered not in ("ja", "nej"):
            raise ValidationFailed([f"{label} ska vara ja eller nej."])
        return lowered
    if answer == AnswerType.tal.value:
        normalised = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            float(normalised)
        except ValueError:
            raise ValidationFailed(
                [f"{label} ska vara ett tal, t.ex. 12 eller 0,75 ({item.get('unit', '')})."]
            ) from None
        return normalised
    if answer == AnswerType.datum.value:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationFailed([f"{label} ska vara ett datum, t.ex. 2026-11-22."]) from None
    return text
