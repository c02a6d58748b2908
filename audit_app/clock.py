"""The app's clock: the current UTC time, which the demo can set to tell its history.

Every timestamp the app records (created_at, the change log, justerad_at) comes from `now()`.
The demo municipality is generated through the real services; it sets the clock to each
meeting's day (`set_now`) so its records are dated as they would have been, and the reports
that read the record as it stood on a day (the yearly contribution) see a true history.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Stockholm")
_SET: ContextVar[datetime | None] = ContextVar("audit_app_clock", default=None)
_TICK = timedelta(milliseconds=1)


def now() -> datetime:
    """The current time as an aware UTC datetime.

    A set clock advances a millisecond per reading, so records made one after the other keep
    their order when sorted by time.
    """
    moment = _SET.get()
    if moment is None:
        return datetime.now(UTC)
    _SET.set(moment + _TICK)
    return moment


def set_now(moment: datetime | None) -> None:
    """Set the clock to `moment` (aware) until it is set again; None: the real time."""
    if moment is not None and moment.tzinfo is None:
        raise ValueError("the clock takes an aware datetime")
    _SET.set(moment.astimezone(UTC) if moment is not None else None)


@contextmanager
def scope() -> Iterator[None]:
    """Restore the clock as it was when the block ends, however `set_now` was used inside."""
    token = _SET.set(_SET.get())
    try:
        yield
    finally:
        _SET.reset(token)


def today() -> date:
    """Today's date in Sweden (the clock's day, in local time)."""
    return now().astimezone(LOCAL_TZ).date()
