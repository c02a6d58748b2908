"""Errors a user sees: Swedish sentences that say what to do."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one field (or one cell: sheet, row, column)."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class UserError(Exception):
    """Base class of errors whose message is shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(UserError):
    """Input that cannot be saved; carries every problem found, not only the first."""

    def __init__(self, errors: list[FieldError] | list[str], intro: str | None = None) -> None:
        self.errors: list[FieldError] = [
            e if isinstance(e, FieldError) else FieldError("", e) for e in errors
        ]
        lines = [e.message for e in self.errors]
        text = "\n".join(lines) if intro is None else intro + "\n" + "\n".join(lines)
        super().__init__(text)

    def for_field(self, field: str) -> list[str]:
        return [e.message for e in self.errors if e.field == field]


class PermissionDenied(UserError):
    """The user's role may not do this; raised by the services, not only hidden in the UI."""


class NotFound(UserError):
    """The record asked for does not exist (or is archived)."""


class Locked(UserError):
    """The follow-up is justerad and read-only; a correction needs a new version."""


class Conflict(UserError):
    """Someone else saved the record in between; reload and try again."""
