"""Errors of the staffing review: one Swedish message per problem, the first few listed."""

from collections.abc import Sequence

from audit_app.errors import ValidationFailed

MAX_MESSAGES = 20
"""At most this many problems are listed; the rest are counted."""


class ScheduleError(ValidationFailed):
    """A schedule file that cannot be analysed: one Swedish message per problem."""

    def __init__(
        self, messages: Sequence[str], filename: str = "", total: int | None = None
    ) -> None:
        total = max(total or 0, len(messages))
        shown = list(messages[:MAX_MESSAGES])
        if total > len(shown):
            shown.append(f"... och {total - len(shown)} fel till")
        self.messages: list[str] = shown
        self.filename = filename
        super().__init__(shown)


class RulesError(ValidationFailed):
    """Staffing rules that cannot be used: one Swedish message per problem, naming the field."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages: list[str] = list(messages)
        super().__init__(self.messages)
