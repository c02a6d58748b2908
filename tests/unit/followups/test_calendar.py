"""The policy's calendar: the three-month re-check on a Swedish working day."""

from datetime import date

import pytest

from audit_app.domain import calendar


@pytest.mark.parametrize(
    ("meeting", "recheck"),
    [
        (date(2026, 9, 24), date(2026, 12, 23)),  # 2026-12-24 is julafton
        (date(2026, 8, 22), date(2026, 11, 20)),  # 2026-11-22 is a Sunday
        (date(2026, 3, 19), date(2026, 6, 18)),  # 2026-06-19 is midsommarafton
        (date(2026, 9, 30), date(2026, 12, 30)),  # 2026-12-31 is nyårsafton
        (date(2026, 11, 30), date(2027, 2, 26)),  # 28 Feb 2027 is a Sunday, the 27th a Saturday
        (date(2026, 1, 14), date(2026, 4, 14)),
    ],
)
def test_recheck_is_three_months_moved_back_to_a_swedish_working_day(
    meeting: date, recheck: date
) -> None:
    assert calendar.recheck_date(meeting) == recheck
    assert calendar.is_working_day(recheck)
