"""Calendar rules of the policy: Swedish working days, the three-month re-check, overdue."""

from datetime import date, timedelta
from functools import cache

import holidays
from dateutil.relativedelta import relativedelta

from audit_app.models import ActionStatus

RECHECK_MONTHS = 3
"""An avvikelse is re-checked within three months of the meeting that found it (policy 002)."""

# An action still waiting for the contractor; genomförd (reported done) waits for verification.
ACTION_NOT_DONE = (ActionStatus.oppen, ActionStatus.pagar, ActionStatus.ej_genomford)
OPEN_ACTION = (*ACTION_NOT_DONE, ActionStatus.genomford)
"""Every action not yet verified: carried into the next meeting's point 1."""


@cache
def _swedish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Sweden(years=year, categories=("public", "de_facto"))


def is_working_day(day: date) -> bool:
    """A Swedish working day: Monday-Friday and neither a public nor a de facto holiday."""
    return day.weekday() < 5 and day not in _swedish_holidays(day.year)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the last day of a shorter month (31 May + 1 -> 30 June)."""
    return day + relativedelta(months=months)


def previous_working_day(day: date) -> date:
    """The day itself if it is a working day, else the nearest working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the nearest working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def recheck_date(meeting: date) -> date:
    """Latest re-check date: three months after the meeting, moved back to a working day."""
    return previous_working_day(add_months(meeting, RECHECK_MONTHS))


def is_action_open(status: ActionStatus) -> bool:
    """Not yet verified (carried to the next meeting)."""
    return status in OPEN_ACTION


def is_overdue(due_date: date | None, status: ActionStatus, today: date) -> bool:
    """Past its due date and not done (a reported genomförd action is not overdue)."""
    return due_date is not None and due_date < today and status in ACTION_NOT_DONE
