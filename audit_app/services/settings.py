"""What an admin sets for the municipality's documents: names, the case series, the officials.

Stored as one `Setting` row (key "dokument", the value as JSON); the municipality's and the
administration's names default to the environment (config.py) until an admin sets them.
Officials' names and titles are public and appear in the documents; contractor staff and care
recipients never come from here.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import update
from sqlmodel import Session, col, select

from audit_app.auth import CONDUCT, JUSTERA, MANAGE_USERS, Actor, require
from audit_app.config import get_settings
from audit_app.errors import Conflict, FieldError, ValidationFailed
from audit_app.models import Setting, utcnow
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.privacy import guard

KEY = "dokument"
TAKE_NUMBER = CONDUCT | JUSTERA
"""Who may take the next number of the case series (whoever prepares a tjänsteskrivelse)."""


class Official(BaseModel):
    """A municipal official named in the documents (public): name and title."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(default="", max_length=120)
    title: str = Field(default="", max_length=120)

    @field_validator("name", "title")
    @classmethod
    def _strip(cls, value: str) -> str:
        return " ".join(value.split())

    @property
    def signed(self) -> str:
        """'Lars Berg, förvaltningschef' (or what there is of it)."""
        if self.name and self.title:
            return f"{self.name}, {self.title[:1].lower()}{self.title[1:]}"
        return self.name or self.title


class DocumentSettings(BaseModel):
    """The municipality's names, the committee's, the case series and the officials."""

    model_config = ConfigDict(frozen=True)

    municipality: str = Field(default="", max_length=120)
    administration: str = Field(default="", max_length=120)
    committee: str = Field(default="Vård- och omsorgsutskottet", min_length=2, max_length=120)
    quality_council: str = Field(default="Kvalitetsrådet", min_length=2, max_length=120)
    dnr_pattern: str = Field(default="VOU {år}/{nr}", max_length=60)
    dnr_digits: int = Field(default=0, ge=0, le=8)
    dnr_next: dict[str, int] = Field(default_factory=dict)
    signatory: Official = Field(default_factory=lambda: Official(title="Förvaltningschef"))
    officials: list[Official] = Field(default_factory=list)

    @field_validator("dnr_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        value = value.strip()
        if "{nr}" not in value:
            raise ValueError("mönstret ska innehålla {nr}, t.ex. VOU {år}/{nr}")
        if re.search(r"\{(?!år\}|nr\})[^}]*\}", value):
            raise ValueError("mönstret kan bara innehålla {år} och {nr}")
        return value

    def case_number(self, year: int, number: int) -> str:
        """'VOU 2026/14' from the pattern (the number zero-padded to `dnr_digits`)."""
        nr = str(number).zfill(self.dnr_digits) if self.dnr_digits else str(number)
        return self.dnr_pattern.replace("{år}", str(year)).replace("{nr}", nr)

    def next_number(self, year: int) -> int:
        return self.dnr_next.get(str(year), 1)

    def official_title(self, name: str) -> str:
        """The title of the official with this name ('' when not among the officials)."""
        wanted = name.strip().casefold()
        for person in [self.signatory, *self.officials]:
            if person.name and person.name.casefold() == wanted:
                return person.title
        return ""

    def names(self) -> tuple[str, str]:
        """The municipality's and the administration's names (the environment's by default)."""
        env = get_settings()
        return self.municipality or env.municipality, self.administration or env.administration


FIELD_LABELS = {
    "municipality": "Kommunens namn",
    "administration": "Förvaltningens namn",
    "committee": "Utskottets namn",
    "quality_council": "Kvalitetsrådets namn",
    "dnr_pattern": "Diarienummerserie",
    "dnr_digits": "Antal siffror i numret",
    "signatory": "Undertecknare",
    "officials": "Tjänstepersoner",
}


def _row(session: Session) -> Setting | None:
    return session.exec(select(Setting).where(Setting.key == KEY)).first()


def document_settings(session: Session) -> DocumentSettings:
    """The settings in use (the defaults until an admin has saved any)."""
    row = _row(session)
    if row is None:
        return DocumentSettings()
    try:
        return DocumentSettings.model_validate(row.value)
    except ValidationError:  # pragma: no cover - only what passed validation is stored
        return DocumentSettings()


def parse_settings(values: dict[str, Any]) -> DocumentSettings:
    """Check settings as a form gives them; every problem in Swedish, per field."""
    try:
        return DocumentSettings.model_validate(values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = str(error["loc"][0]) if error["loc"] else ""
            label = FIELD_LABELS.get(where, where)
            problems.append(FieldError(where, f"{label}: {_swedish(error)}"))
        raise ValidationFailed(problems) from None


def _swedish(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "string_too_short":
        return "fyll i."
    if kind == "string_too_long":
        return f"högst {error['ctx']['max_length']} tecken."
    if kind in ("greater_than_equal", "less_than_equal", "int_parsing"):
        return "ange ett heltal mellan 0 och 8."
    if kind == "value_error":
        return str(error["ctx"]["error"]) + "."
    return str(error.get("msg", "felaktigt värde"))


def save_document_settings(
    session: Session, actor: Actor, values: DocumentSettings | dict[str, Any]
) -> DocumentSettings:
    """Save the settings (admin); the series' next numbers are kept as they are."""
    require(actor, MANAGE_USERS, "ändra kommunens inställningar för dokument")
    wanted = values if isinstance(values, DocumentSettings) else parse_settings(values)
    officials = [wanted.signatory, *wanted.officials]
    guard(
        {
            "municipality": ("Kommun", wanted.municipality),
            "administration": ("Förvaltning", wanted.administration),
            "committee": ("Utskott", wanted.committee),
            "quality_council": ("Kvalitetsråd", wanted.quality_council),
            "dnr_pattern": ("Diarienummerserie", wanted.dnr_pattern),
            "officials": ("Tjänstepersoner", [f"{o.name} {o.title}" for o in officials]),
        }
    )
    current = document_settings(session)
    wanted = wanted.model_copy(update={"dnr_next": current.dnr_next})
    row = _row(session)
    value = wanted.model_dump(mode="json")
    if row is None:
        row = Setting(key=KEY, value=value)
        record_changes(session, actor, row, {"value": value}, created=True)
    else:
        record_changes(session, actor, row, {"value": value})
    session.flush()
    return wanted


def take_case_number(session: Session, actor: Actor, year: int) -> str:
    """The next diarienummer of the series for `year`, taken (the series moves on by one)."""
    require(actor, TAKE_NUMBER, "ta diarienummer ur serien")
    row = _row(session)
    if row is None:
        row = Setting(key=KEY, value=DocumentSettings().model_dump(mode="json"))
        session.add(row)
        session.flush()
    current = DocumentSettings.model_validate(row.value)
    number = current.next_number(year)
    taken = current.model_copy(update={"dnr_next": current.dnr_next | {str(year): number + 1}})
    # Two people taking a number at once must not get the same: the row's version decides.
    done = session.execute(
        update(Setting)
        .where(col(Setting.id) == row.id, col(Setting.version) == row.version)
        .values(
            value=taken.model_dump(mode="json"),
            version=row.version + 1,
            updated_at=utcnow(),
            updated_by_id=actor.user_id,
        )
    )
    if getattr(done, "rowcount", 1) != 1:
        raise Conflict("Någon annan tog ett nummer samtidigt. Försök igen.")
    session.expire(row)
    dnr = current.case_number(year, number)
    log_event(session, actor, "setting", row.id, f"diarienummer {dnr} taget ur serien")
    return dnr
