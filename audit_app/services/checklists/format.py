"""The checklist format: pydantic `Checklist`, `Section` and `Item`, their field types and checks.

A checklist is a YAML file in `checklists/` (or an edited Excel workbook) validated by
`Checklist`; the same model reads the content of a stored `ChecklistVersion`. A section may play
a role in the policy's agenda (`role:`); versions stored before roles existed flagged the
contract section with `include_contract_requirements`, which still loads as role requirements.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from audit_app.domain.labels import SECTION_ROLE_LABELS
from audit_app.models import (
    AnswerType,
    ChecklistVersion,
    FollowUpKind,
    ItemKind,
    SectionRole,
    StaffingMeasure,
    UnitKind,
)
from audit_app.services.privacy import looks_like_personnummer

CONTRACT_KEY_PREFIX = "krav-"
MEASURE_ANSWERS = {
    StaffingMeasure.period_start: AnswerType.datum,
    StaffingMeasure.staff: AnswerType.bedomning,
    StaffingMeasure.competence: AnswerType.bedomning,
    StaffingMeasure.competent_share: AnswerType.tal,
}
"""The answer type an item answered from the staffing analysis must have."""
COMPOSED_SEPARATOR = "."
KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
CHECKLIST_KEY_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
LEGACY_FLAG = "include_contract_requirements"

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
    "krav": "requirements",
    **{text.lower(): role.value for role, text in SECTION_ROLE_LABELS.items()},
}


def choices(enum: type[Enum]) -> str:
    """'a, b eller c': the codes of an enum, for Swedish messages."""
    values = [str(m.value) for m in enum]
    return ", ".join(values[:-1]) + " eller " + values[-1]


def role_choices() -> str:
    """'previous (föregående uppföljning), ... eller action_plan (åtgärdsplan)'."""
    values = [f"{r.value} ({SECTION_ROLE_LABELS[r].lower()})" for r in SectionRole]
    return ", ".join(values[:-1]) + " eller " + values[-1]


# --------------------------------------------------------------------------- field types


def to_text(value: Any) -> Any:
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


def to_code(value: Any) -> Any:
    """Normalise an enum value: trim, lower-case and map the Swedish labels."""
    if isinstance(value, str):
        text = value.strip().lower()
        return _ALIASES.get(text, text)
    return value


def to_code_list(value: Any) -> Any:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,;\n]", value) if v.strip()]
    if isinstance(value, list):
        return [to_code(v) for v in value]
    return value


def _dedupe(values: list[UnitKind]) -> list[UnitKind]:
    return list(dict.fromkeys(values))


def _limits(min_length: int, max_length: int) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


_TO_TEXT = BeforeValidator(to_text)
_CLEAN = AfterValidator(_clean_text)

Key = Annotated[
    str,
    _TO_TEXT,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=KEY_PATTERN),
]
ChecklistKey = Annotated[
    str,
    _TO_TEXT,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=80, pattern=CHECKLIST_KEY_PATTERN
    ),
]
Title = Annotated[str, _TO_TEXT, _limits(1, 200), _CLEAN]
LongText = Annotated[str, _TO_TEXT, _limits(1, 2000), _CLEAN]
Guidance = Annotated[str, _TO_TEXT, _limits(0, 4000), _CLEAN]
Short = Annotated[str, _TO_TEXT, _limits(0, 40), _CLEAN]
AreaText = Annotated[str, _TO_TEXT, _limits(0, 120), _CLEAN]
Kinds = Annotated[list[UnitKind], BeforeValidator(to_code_list), AfterValidator(_dedupe)]
ItemKindField = Annotated[ItemKind, BeforeValidator(to_code)]
AnswerField = Annotated[AnswerType, BeforeValidator(to_code)]
FollowUpKindField = Annotated[FollowUpKind, BeforeValidator(to_code)]
RoleField = Annotated[SectionRole, BeforeValidator(to_code)]
MeasureField = Annotated[StaffingMeasure, BeforeValidator(to_code)]

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
    measure: MeasureField | None = Field(
        default=None,
        description="Besvaras ur schemagranskningen: period_start (första dagen), staff "
        "(personal i tjänst), competence (närvarande kompetens) eller competent_share (andel "
        "timmar med kompetent personal, procent). Tomt för vanliga frågor.",
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
        if self.measure is not None and self.answer is not MEASURE_ANSWERS[self.measure]:
            raise PydanticCustomError(
                "measure_answer",
                "Mätvärdet {measure} besvaras med svarstypen {answer}.",
                {"measure": self.measure.value, "answer": MEASURE_ANSWERS[self.measure].value},
            )
        if self.key.startswith(CONTRACT_KEY_PREFIX):
            raise PydanticCustomError(
                "reserved_key",
                'Id som börjar med "krav-" är reserverade för avtalets egna krav. Välj ett '
                "annat id.",
            )
        return self


class Section(BaseModel):
    """A titled group of items; it may play a role in the policy's agenda."""

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
        "till här), findings (iakttagelser sammanfattas här) eller action_plan (punkt 4, "
        "åtgärdsplan). Tomt för vanliga avsnitt.",
    )
    items: list[Item] = Field(default_factory=list, description="Frågor och krav i ordning.")

    @model_validator(mode="before")
    @classmethod
    def _legacy_flag(cls, data: Any) -> Any:
        """Versions stored before roles existed flag the contract section instead."""
        if isinstance(data, dict) and LEGACY_FLAG in data:
            data = dict(data)
            flagged = data.pop(LEGACY_FLAG)
            if flagged in (True, "ja", "Ja", "true") and not data.get("role"):
                data["role"] = SectionRole.requirements.value
        return data

    @model_validator(mode="after")
    def _has_items(self) -> "Section":
        if not self.items and self.role is not SectionRole.requirements:
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
        problems = cross_checks(self.model_dump(mode="json"))
        if problems:
            raise PydanticCustomError("cross_check", problems[0].message)
        return self

    def items(self) -> list[tuple[Section, Item]]:
        """Return every item with its section, in order."""
        return [(s, i) for s in self.sections for i in s.items]

    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    def section_with_role(self, role: SectionRole) -> Section | None:
        """Return the section playing `role` in the agenda, or None."""
        return next((s for s in self.sections if s.role is role), None)

    @property
    def composed(self) -> bool:
        return COMPOSED_SEPARATOR in self.key


def content_of(checklist: Checklist) -> dict[str, Any]:
    """Return the checklist as the JSON content stored in a ChecklistVersion."""
    return checklist.model_dump(mode="json")


def checklist_of(version: ChecklistVersion | dict[str, Any]) -> Checklist:
    """Return the validated checklist of a stored version (or of stored content)."""
    content = version.content if isinstance(version, ChecklistVersion) else version
    return Checklist.model_validate(content)


# --------------------------------------------------------------------------- cross checks


Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One validation problem: where (a pydantic-style location) and a Swedish sentence."""

    loc: Loc
    message: str
    other: Loc | None = None  # the first occurrence, for duplicates


def _role_of(section: dict[str, Any]) -> SectionRole | None:
    """The role a raw section declares (alias or legacy flag), None if none or unreadable."""
    raw = section.get("role")
    if not raw and section.get(LEGACY_FLAG) in (True, "ja", "Ja", "true"):
        raw = SectionRole.requirements.value
    try:
        return SectionRole(to_code(raw)) if raw else None
    except ValueError:
        return None  # reported as an invalid role by the model


def _once(seen: dict[Any, Loc], value: Any, loc: Loc, message: str, out: list[Problem]) -> None:
    """Remember where `value` first stands; a later one is a problem pointing back to it."""
    if value in seen:
        out.append(Problem(loc, message, seen[value]))
    else:
        seen[value] = loc


def cross_checks(data: Any) -> list[Problem]:
    """Find duplicate ids and a role played by more than one section."""
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        return problems
    seen_sections: dict[str, Loc] = {}
    seen_items: dict[str, Loc] = {}
    roles: dict[SectionRole, Loc] = {}
    for si, section in enumerate(data["sections"]):
        if not isinstance(section, dict):
            continue
        skey = to_text(section.get("key"))
        if isinstance(skey, str) and skey.strip():
            skey = skey.strip()
            message = (
                f'Avsnittets id "{skey}" används redan av ett annat avsnitt. Varje avsnitt måste '
                "ha ett eget id."
            )
            _once(seen_sections, skey, ("sections", si, "key"), message, problems)
        role = _role_of(section)
        if role is not None:
            message = (
                f"Rollen {role.value} ({SECTION_ROLE_LABELS[role].lower()}) har redan ett annat "
                "avsnitt. Varje roll får bara ett avsnitt."
            )
            _once(roles, role, ("sections", si, "role"), message, problems)
        items = section.get("items")
        if not isinstance(items, list):
            continue
        for ii, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            ikey = to_text(item.get("key"))
            if not isinstance(ikey, str) or not ikey.strip():
                continue
            ikey = ikey.strip()
            message = (
                f'Id "{ikey}" används redan av en annan fråga. Varje fråga måste ha ett eget id.'
            )
            _once(seen_items, ikey, ("sections", si, "items", ii, "key"), message, problems)
    return problems
