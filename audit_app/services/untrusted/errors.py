"""Errors about files from outside: Swedish sentences that name the file and say what to do."""

from collections.abc import Sequence

from audit_app.errors import FieldError, ValidationFailed


class FileRejected(ValidationFailed):
    """A file refused before or while it was parsed; nothing has been stored."""

    def __init__(self, filename: str, messages: Sequence[str]) -> None:
        self.filename = filename
        super().__init__([FieldError("fil", m) for m in messages])


class GuardLimit(FileRejected):
    """The guarded child went over its memory or time limit, or died; `reason` says which."""

    def __init__(self, filename: str, reason: str, message: str) -> None:
        self.reason = reason  # "memory", "time" or "crash"
        super().__init__(filename, [message])
