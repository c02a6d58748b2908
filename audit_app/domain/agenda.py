"""The agenda of a follow-up: typed items resolved from a checklist version and the contract.

`FollowUp.agenda` stores the items as JSON (frozen when the follow-up starts); every reader goes
through `AgendaItem` so the shape is checked in one place.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, model_validator

from audit_app.errors import ValidationFailed
from audit_app.models import AnswerType, ItemKind, Result, SectionRole, StaffingMeasure


class ItemSource(str, Enum):
    checklist = "checklist"  # a question or requirement of the checklist version
    contract = "contract"  # one of the contract's own requirements


class AnswerLike(Protocol):
    """What `is_answered` needs of a stored answer (an `Assessment`)."""

    result: Result
    value: str


_TEXT_FIELDS = {"section_key", "section_title", "text", "guidance", "clause", "unit", "area"}


class AgendaItem(BaseModel):
    """One item of a follow-up's agenda, with its section and where it came from."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    key: str
    section_key: str = ""
    section_title: str = ""
    section_role: SectionRole | None = None
    text: str = ""
    guidance: str = ""
    kind: ItemKind = ItemKind.fraga
    clause: str = ""
    answer: AnswerType = AnswerType.bedomning
    unit: str = ""
    evidence_required: bool = False
    area: str = ""
    source: ItemSource = ItemSource.checklist
    requirement_id: uuid.UUID | None = None
    measure: StaffingMeasure | None = None  # answered from the staffing analysis

    @model_validator(mode="before")
    @classmethod
    def _no_none_text(cls, data: Any) -> Any:
        """Stored agendas may hold null for an empty text field."""
        if isinstance(data, dict):
            data = {k: ("" if v is None and k in _TEXT_FIELDS else v) for k, v in data.items()}
        return data

    def is_assessment(self) -> bool:
        """Answered with a bedömning (uppfyllt ... ej aktuellt), not a value."""
        return self.answer is AnswerType.bedomning

    def is_answered(self, answer: AnswerLike | None) -> bool:
        """A bedömning other than ej bedömd, or a non-empty value."""
        if answer is None:
            return False
        if self.is_assessment():
            return answer.result is not Result.ej_bedomd
        return bool(answer.value)

    @property
    def is_requirement(self) -> bool:
        return self.kind in (ItemKind.ska_krav, ItemKind.bor_krav)

    @property
    def label(self) -> str:
        """'4.2.1 Verksamhetschefen ska ...' (clause first when there is one)."""
        return f"{self.clause} {self.text}".strip() if self.clause else self.text

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def shown_answer(self, value: str) -> str:
        """A stored answer as the revisor writes it: numbers are stored with a decimal point
        (to be read back as numbers) and shown with a decimal comma."""
        if self.answer is AnswerType.tal:
            return (value or "").replace(".", ",")
        return value or ""

    def normalise_answer(self, value: str) -> str:
        """Check and normalise the answer of a non-bedömning item; raise ValidationFailed."""
        text = (value or "").strip()
        label = f"Svaret på {self.key!r}"
        if not text:
            return ""
        if self.answer is AnswerType.ja_nej:
            lowered = text.lower()
            if lowered not in ("ja", "nej"):
                raise ValidationFailed([f"{label} ska vara ja eller nej."])
            return lowered
        if self.answer is AnswerType.tal:
            normalised = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
            try:
                float(normalised)
            except ValueError:
                raise ValidationFailed(
                    [f"{label} ska vara ett tal, t.ex. 12 eller 0,75 ({self.unit})."]
                ) from None
            return normalised
        if self.answer is AnswerType.datum:
            try:
                return date.fromisoformat(text).isoformat()
            except ValueError:
                raise ValidationFailed([f"{label} ska vara ett datum, t.ex. 2026-11-22."]) from None
        return text


@dataclass
class AgendaSection:
    """A run of items of one checklist section, in agenda order."""

    key: str
    title: str
    role: SectionRole | None
    items: list[AgendaItem] = field(default_factory=list)


def parse_agenda(stored: Iterable[dict[str, Any]]) -> list[AgendaItem]:
    """The typed items of a stored agenda."""
    return [AgendaItem.model_validate(item) for item in stored]


def sections_of(items: Sequence[AgendaItem]) -> list[AgendaSection]:
    """Group the agenda into its sections, in order."""
    out: list[AgendaSection] = []
    for item in items:
        if not out or out[-1].key != item.section_key:
            out.append(AgendaSection(item.section_key, item.section_title, item.section_role))
        out[-1].items.append(item)
    return out


def section_with_role(items: Sequence[AgendaItem], role: SectionRole) -> AgendaSection | None:
    """The first section playing `role` in the policy's agenda, or None."""
    return next((s for s in sections_of(items) if s.role is role), None)


def find_item(items: Sequence[AgendaItem], key: str) -> AgendaItem | None:
    return next((i for i in items if i.key == key), None)


def progress(items: Sequence[AgendaItem], answers: dict[str, Any]) -> tuple[int, int]:
    """(answered, total) over the agenda items."""
    answered = sum(1 for i in items if i.is_answered(answers.get(i.key)))
    return answered, len(items)
