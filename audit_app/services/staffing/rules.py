"""Staffing rules (a contract's commitments for one unit) and their YAML exchange format.

The format is the one of the CLI's --rules file and of the contract page::

    unit: Solgården
    sections: [Avd Lärkan, Avd Måsen]
    places_per_section: 10
    competence:
      usk: [undersköterska, usk, sjuksköterska]
    periods:
      - {name: Dag, start: "07:00", end: "15:00", min_staff: 3, min_competent: 2}
    min_competent_hours_share: 0.75
    review_days: 14          # optional: how many days a schedule should cover (default 14)
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import time
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from audit_app.services.staffing.errors import RulesError
from audit_app.services.untrusted.errors import FileRejected
from audit_app.services.untrusted.limits import file_limits
from audit_app.services.untrusted.yamlsafe import load_checked

MINUTES_PER_DAY = 1440
REVIEW_DAYS = 14
"""The policy's review period: the schedules of the last two weeks."""


def _rule_clock(value: Any) -> str:
    """Return a rule time as "HH:MM"; YAML 1.1 reads unquoted 21:30 as the integer 1290."""
    if isinstance(value, bool):
        raise ValueError('ange tiden som "HH:MM", t.ex. "07:00"')
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, time):
        minutes = value.hour * 60 + value.minute
    elif isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", value)
        if not m or int(m.group(2)) > 59:
            raise ValueError(f'"{value}" är ingen tid; ange tiden som "HH:MM", t.ex. "07:00"')
        minutes = int(m.group(1)) * 60 + int(m.group(2))
    else:
        raise ValueError('ange tiden som "HH:MM", t.ex. "07:00"')
    if not 0 <= minutes <= MINUTES_PER_DAY:
        raise ValueError("tiden måste ligga mellan 00:00 och 24:00")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _clock_to_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def norm(text: str) -> str:
    """Return text as names are compared: case- and whitespace-insensitively.

    Units, sections, roles, periods and column headers are all matched this way.
    """
    return " ".join(str(text).casefold().split())


class Period(BaseModel):
    """A period of the day with its staffing commitment."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    start: str
    end: str
    min_staff: int = Field(ge=0)
    min_competent: int = Field(ge=0)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> str:
        return _rule_clock(value)

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _not_empty(self) -> Period:
        if self.start_minute % MINUTES_PER_DAY == _clock_to_minutes(self.end) % MINUTES_PER_DAY:
            raise ValueError(f"perioden {self.name} börjar och slutar på samma tid")
        if self.start == "24:00":
            raise ValueError(f"perioden {self.name} kan inte börja 24:00; skriv 00:00")
        return self

    @property
    def start_minute(self) -> int:
        """Minutes after midnight when the period starts."""
        return _clock_to_minutes(self.start)

    @property
    def length_minutes(self) -> int:
        """Length of the period; one that ends at or before its start runs past midnight."""
        return (_clock_to_minutes(self.end) - self.start_minute - 1) % MINUTES_PER_DAY + 1


class StaffingRules(BaseModel):
    """A contract's staffing commitments, exchanged as YAML (see `rules_to_yaml`)."""

    model_config = ConfigDict(extra="forbid")

    unit: str = Field(min_length=1)
    sections: list[str] = Field(min_length=1)
    places_per_section: int = Field(gt=0)
    competence: dict[str, list[str]] = Field(default_factory=dict)
    periods: list[Period] = Field(min_length=1)
    min_competent_hours_share: float = Field(ge=0, le=1)
    review_days: int = Field(default=REVIEW_DAYS, ge=1, le=366)

    @field_validator("sections", mode="after")
    @classmethod
    def _sections(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(s.split()) for s in value]
        if any(not s for s in cleaned):
            raise ValueError("en avdelning saknar namn")
        seen: set[str] = set()
        for s in cleaned:
            if norm(s) in seen:
                raise ValueError(f"avdelningen {s} står två gånger")
            seen.add(norm(s))
        return cleaned

    @model_validator(mode="after")
    def _unique_periods(self) -> StaffingRules:
        names = [norm(p.name) for p in self.periods]
        for p in self.periods:
            if names.count(norm(p.name)) > 1:
                raise ValueError(f"perioden {p.name} står två gånger i periods")
        return self

    def competent_roles(self) -> set[str]:
        """Return every role counted as competent, normalised (case-insensitive)."""
        return {norm(r) for roles in self.competence.values() for r in roles if norm(r)}


_PYDANTIC_TEXT: dict[str, str] = {
    "missing": "saknas",
    "extra_forbidden": "är inget känt fält (stavfel?)",
    "int_parsing": "måste vara ett heltal",
    "int_type": "måste vara ett heltal",
    "int_from_float": "måste vara ett heltal",
    "float_parsing": "måste vara ett tal, t.ex. 0.75",
    "float_type": "måste vara ett tal, t.ex. 0.75",
    "string_type": "måste vara text",
    "list_type": "måste vara en lista, t.ex. [Avd A, Avd B]",
    "dict_type": "måste vara en tabell med namn: [befattningar]",
    "model_type": "måste vara en tabell med fälten name, start, end, min_staff, min_competent",
    "model_attributes_type": "måste vara en tabell med fält",
    "too_short": "får inte vara tom",
    "string_too_short": "får inte vara tomt",
    "greater_than": "måste vara större än {gt}",
    "greater_than_equal": "måste vara minst {ge}",
    "less_than_equal": "får vara högst {le}",
}


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]} nr {item + 1}" if parts else f"nr {item + 1}"]
        else:
            parts.append(str(item))
    return ", ".join(parts)


def _rules_messages(exc: ValidationError) -> list[str]:
    messages = []
    for err in exc.errors():
        kind = err["type"]
        if kind == "value_error":
            text = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            text = _PYDANTIC_TEXT.get(kind, "har ett ogiltigt värde")
            with contextlib.suppress(KeyError, IndexError):
                text = text.format(**err.get("ctx", {}))
        where = _location(tuple(err["loc"]))
        messages.append(f"Reglerna: fältet {where}: {text}." if where else f"Reglerna: {text}.")
    return messages


def load_rules(source: str | Path) -> StaffingRules:
    """Parse staffing rules from YAML text or a YAML file; raise `RulesError` in Swedish."""
    if isinstance(source, Path) or (
        "\n" not in source
        and len(source) < 1024
        and (source.endswith((".yaml", ".yml")) or Path(source).is_file())
    ):
        path = Path(source)
        try:
            with path.open("rb") as file:  # at most one byte over the cap: the check says so
                text = file.read(file_limits().yaml_bytes + 1).decode("utf-8-sig")
        except OSError:
            raise RulesError([f"Regelfilen {path.name} kan inte läsas."]) from None
        except UnicodeDecodeError:
            raise RulesError([f"Regelfilen {path.name} är inte sparad som UTF-8."]) from None
    else:
        text = source
    with yaml_problems("Reglerna"):
        data = load_checked(text, "regler", label="Reglerna")
    return rules_from_data(data)


@contextlib.contextmanager
def yaml_problems(label: str) -> Iterator[None]:
    """Turn a rejected or unreadable YAML text into a `RulesError` in Swedish
    ('<label> är inte giltig YAML på rad N.')."""
    try:
        yield
    except FileRejected as exc:
        raise RulesError([e.message for e in exc.errors]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" på rad {mark.line + 1}" if mark is not None else ""
        raise RulesError([f"{label} är inte giltig YAML{where}."]) from None


def rules_from_data(data: Any) -> StaffingRules:
    """Validate rules read from YAML (one table); raise `RulesError` in Swedish."""
    if not isinstance(data, dict):
        raise RulesError(["Reglerna måste vara en YAML-tabell med fälten unit, sections, ..."])
    try:
        return StaffingRules.model_validate(data)
    except ValidationError as exc:
        raise RulesError(_rules_messages(exc)) from None


def _yaml_scalar(value: str) -> str:
    """Return a string as a plain YAML scalar when that reads back the same, else quoted."""
    if value and not re.search(r"[\[\]{},:#&*!|>'\"%@`]", value) and value == value.strip():
        try:
            if yaml.safe_load(f"k: [{value}]") == {"k": [value]}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def rules_to_yaml(rules: StaffingRules) -> str:
    """Return the rules as YAML in the exchange format (flow lists, quoted times)."""
    lines = [
        f"unit: {_yaml_scalar(rules.unit)}",
        f"sections: [{', '.join(_yaml_scalar(s) for s in rules.sections)}]",
        f"places_per_section: {rules.places_per_section}",
    ]
    if rules.competence:
        lines.append("competence:")
        for key, roles in rules.competence.items():
            lines.append(f"  {_yaml_scalar(key)}: [{', '.join(_yaml_scalar(r) for r in roles)}]")
    else:
        lines.append("competence: {}")
    lines.append("periods:")
    for p in rules.periods:
        lines.append(
            f'  - {{name: {_yaml_scalar(p.name)}, start: "{p.start}", end: "{p.end}", '
            f"min_staff: {p.min_staff}, min_competent: {p.min_competent}}}"
        )
    lines.append(f"min_competent_hours_share: {rules.min_competent_hours_share:g}")
    if rules.review_days != REVIEW_DAYS:
        lines.append(f"review_days: {rules.review_days}")
    return "\n".join(lines) + "\n"
