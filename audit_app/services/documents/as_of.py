"""The record as it stood at the end of a day: later changes undone from the change log.

Reports over a past period count what was true when the period ended, never today's state: a
record made later did not exist then, and a field changed later had the value the change log
gives as `old` of its first later change. Every write goes through `audit_log.record_changes`,
so the log holds each change with its time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, select

from audit_app.domain.svtext import LOCAL_TZ
from audit_app.models import ChangeLog

T = TypeVar("T", bound=SQLModel)

FIELDS = ("status", "planned_date", "kind", "result", "verified_at", "due_date", "doc_version")
"""The fields the reports read as they were (the ones that change after a record is made)."""
ENTITIES = ("followup", "finding", "action", "assessment")


def end_of_day(day: date) -> datetime:
    """The first moment after `day` in Swedish local time, as UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), LOCAL_TZ).astimezone(UTC)


DATE_FIELDS = ("planned_date", "verified_at", "due_date")


def _parse(field: str, value: str | None, current: Any) -> Any:
    """A logged text back into the type of the field (a date, or the enum of the value)."""
    if value is None:
        return None
    if field in DATE_FIELDS:
        return date.fromisoformat(value[:10])
    if isinstance(current, int):
        return int(value)
    if current is not None and hasattr(type(current), "__members__"):
        return type(current)(value)  # an enum
    return value


class AsOf:
    """Read records as they were at the end of `day`."""

    def __init__(self, session: Session, day: date) -> None:
        self.day = day
        self.moment = end_of_day(day)
        rows = session.exec(
            select(ChangeLog)
            .where(
                col(ChangeLog.at) >= self.moment,
                col(ChangeLog.entity).in_(ENTITIES),
                col(ChangeLog.field).in_(FIELDS),
            )
            .order_by(col(ChangeLog.at))
        )
        self._first_old: dict[tuple[str, str], str | None] = {}
        for row in rows:
            self._first_old.setdefault((row.entity_id, row.field), row.old)

    def existed(self, record: Any) -> bool:
        """Made before the end of the day."""
        made = getattr(record, "created_at", None)
        return made is None or _aware(made) < self.moment

    def value(self, record: Any, field: str) -> Any:
        """The field's value at the end of the day."""
        current = getattr(record, field)
        key = (str(record.id), field)
        if key not in self._first_old:
            return current
        return _parse(field, self._first_old[key], current)

    def copy(self, record: T, fields: tuple[str, ...] = FIELDS) -> T:
        """A detached copy of the record with the fields as they were (not in the session)."""
        changes = {f: self.value(record, f) for f in fields if hasattr(record, f)}
        return type(record).model_validate(record.model_dump() | changes)

    def all(self, records: list[T], keep: Callable[[T], bool] | None = None) -> list[T]:
        """The records that existed, as they were, that `keep` accepts."""
        out = [self.copy(r) for r in records if self.existed(r)]
        return [r for r in out if keep is None or keep(r)]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
