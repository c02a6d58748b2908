"""Schedule cells to values: clock times, dates, breaks and time ranges in every notation the
schedule systems export, one column at a time (numpy/pandas, no loop per row)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from audit_app.services.staffing.rules import MINUTES_PER_DAY

MAX_CLOCK_MINUTES = 48 * 60

_FOOTER_RE = re.compile(r"^(summa|summering|totalt?|antal|sum)\b", re.IGNORECASE)
_CLOCK_RE = (
    r"^(?:kl\.?\s*)?(?:\d{4}-\d{1,2}-\d{1,2}[ t])?"
    r"(?:(?P<h>\d{1,2})[:.,](?P<m>\d{2})(?:[:.,]\d{2}(?:\.\d+)?)?|(?P<hhmm>\d{3,4})|(?P<hh>\d{1,2}))$"
)
_RANGE_RE = r"^(?P<a>.+?)\s*(?:-|–|—|till)\s*(?P<b>.+)$"
_ISO_DATE_RE = r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
_DMY_DATE_RE = r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b"
_COMPACT_DATE_RE = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
_BREAK_RE = r"^(?:(?P<h>\d{1,2}):(?P<m>\d{2})|(?P<n>\d+(?:[.,]\d+)?)\s*(?:min\w*)?)$"
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


# Cell kinds: 0 blank, 1 text, 2 number, 3 time of day, 4 date/datetime, 5 duration, 6 other.
_TYPE_CODES: dict[type, int] = {
    str: 1,
    int: 2,
    float: 2,
    np.float64: 2,
    np.int64: 2,
    time: 3,
    datetime: 4,
    pd.Timestamp: 4,
    date: 4,
    timedelta: 5,
    pd.Timedelta: 5,
}


def kinds(values: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """Return the kind code of each cell and text cells stripped ('' for other cells)."""
    series = pd.Series(values, dtype=object)
    codes = series.map(type).map(_TYPE_CODES).fillna(6).to_numpy(dtype=np.int8)
    number = np.flatnonzero(codes == 2)
    if len(number):
        nums = pd.to_numeric(series.iloc[number], errors="coerce").to_numpy(dtype=float)
        codes[number[np.isnan(nums)]] = 0
    text = np.full(len(codes), "", dtype=object)
    is_text = np.flatnonzero(codes == 1)
    if len(is_text):
        stripped = series.iloc[is_text].astype("string").str.strip().fillna("")
        text[is_text] = stripped.to_numpy(dtype=object)
        codes[is_text[stripped.to_numpy(dtype=object) == ""]] = 0
    return codes, pd.Series(text, dtype="string")


def cell_text(values: np.ndarray) -> pd.Series:
    """Return cells as stripped text ('' when blank); whole numbers lose their '.0'."""
    series = pd.Series(values, dtype=object)
    floats = np.flatnonzero(series.map(type).isin([float]).to_numpy() & series.notna().to_numpy())
    if len(floats):
        series.iloc[floats] = series.iloc[floats].map(
            lambda v: str(int(v)) if v.is_integer() else v
        )
    return series.astype("string").str.strip().fillna("")


def clock_from_text(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return minutes after midnight from clock texts and a mask of texts that are clocks."""
    parts = text.str.casefold().str.extract(_CLOCK_RE)
    h = pd.to_numeric(parts["h"]).to_numpy(dtype=float)
    m = pd.to_numeric(parts["m"]).to_numpy(dtype=float)
    hhmm = pd.to_numeric(parts["hhmm"]).to_numpy(dtype=float)
    hh = pd.to_numeric(parts["hh"]).to_numpy(dtype=float)
    hours = np.where(~np.isnan(h), h, np.where(~np.isnan(hhmm), hhmm // 100, hh))
    mins = np.where(~np.isnan(h), m, np.where(~np.isnan(hhmm), hhmm % 100, 0.0))
    ok = ~np.isnan(hours) & (mins < 60)
    return np.where(ok, hours * 60 + mins, np.nan), ok


def clock_minutes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return minutes after midnight, a blank mask and an unreadable mask for a time column.

    Cells without any digit (such as "Ledig") are reported as blank-like via NaN and neither
    mask; the caller treats them as rows without a shift.
    """
    n = len(values)
    codes, text = kinds(values)
    minutes = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    series = pd.Series(values, dtype=object)

    sel = codes == 1
    if sel.any():
        sub = text[sel]
        got, ok = clock_from_text(sub)
        has_digit = sub.str.contains(r"\d").to_numpy()
        minutes[sel] = got
        bad[np.flatnonzero(sel)[~ok & has_digit]] = True
    sel = codes == 3
    if sel.any():
        td = pd.to_timedelta(series[sel].astype(str), errors="coerce")
        minutes[sel] = np.round(td / pd.Timedelta(minutes=1))
    sel = codes == 4
    if sel.any():
        stamps = pd.to_datetime(series[sel], errors="coerce")
        day = stamps.dt.normalize()
        minutes[sel] = np.round((stamps - day) / pd.Timedelta(minutes=1))
    sel = codes == 5
    if sel.any():
        td = pd.to_timedelta(series[sel], errors="coerce")
        minutes[sel] = np.round(td / pd.Timedelta(minutes=1))
    sel = codes == 2
    if sel.any():
        x = pd.to_numeric(series[sel], errors="coerce").to_numpy(dtype=float)
        frac = x - np.floor(x)
        integral = frac == 0
        got = np.full(len(x), np.nan)
        day_part = (x >= 0) & (x < 1) & ~integral
        got[day_part] = np.round(x[day_part] * MINUTES_PER_DAY)
        serial = x > 10_000
        got[serial] = np.round(frac[serial] * MINUTES_PER_DAY)
        hours_only = integral & (x >= 0) & (x <= 48)
        got[hours_only] = x[hours_only] * 60
        hhmm = integral & (x >= 100) & (x <= 4800) & (x % 100 < 60)
        got[hhmm] = (x[hhmm] // 100) * 60 + x[hhmm] % 100
        dotted = (x >= 1) & (x < 49) & ~integral
        mm = np.round(frac * 100)
        dotted &= mm < 60
        got[dotted] = np.floor(x[dotted]) * 60 + mm[dotted]
        minutes[sel] = got
        bad[np.flatnonzero(sel)[np.isnan(got)]] = True
    bad[codes == 6] = True
    bad |= (minutes > MAX_CLOCK_MINUTES) | (minutes < 0)
    minutes[bad] = np.nan
    return minutes, codes == 0, bad


def dates(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return dates (datetime64[D]), a blank mask and an unreadable mask for a date column."""
    n = len(values)
    codes, text = kinds(values)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    series = pd.Series(values, dtype=object)
    sel = codes == 4
    if sel.any():
        out[sel] = pd.to_datetime(series[sel], errors="coerce").to_numpy().astype("datetime64[D]")
    sel = codes == 2
    if sel.any():
        x = pd.to_numeric(series[sel], errors="coerce").to_numpy(dtype=float)
        ok = (x >= 20_000) & (x <= 80_000)
        got = np.full(len(x), np.datetime64("NaT"), dtype="datetime64[D]")
        got[ok] = _EXCEL_EPOCH + np.floor(x[ok]).astype("timedelta64[D]")
        out[sel] = got
    sel = codes == 1
    if sel.any():
        sub = text[sel]
        parts = sub.str.extract(_ISO_DATE_RE)
        for pattern in (_DMY_DATE_RE, _COMPACT_DATE_RE):
            missing = parts["y"].isna()
            if not missing.any():
                break
            parts.loc[missing] = sub[missing].str.extract(pattern)[["y", "m", "d"]]
        out[sel] = _ymd(
            pd.to_numeric(parts["y"]).to_numpy(dtype=float),
            pd.to_numeric(parts["m"]).to_numpy(dtype=float),
            pd.to_numeric(parts["d"]).to_numpy(dtype=float),
        )
    blank = codes == 0
    bad = np.isnat(out) & ~blank
    return out, blank, bad


def _ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Return datetime64[D] from year, month, day (NaT where missing or impossible)."""
    year = np.where(year < 100, year + 2000, year)
    ok = ~(np.isnan(year) | np.isnan(month) | np.isnan(day))
    ok &= (year >= 1900) & (year <= 2200) & (month >= 1) & (month <= 12) & (day >= 1)
    ok &= day <= 31
    out = np.full(len(year), np.datetime64("NaT"), dtype="datetime64[D]")
    months = ((year[ok] - 1970) * 12 + month[ok] - 1).astype(np.int64).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (day[ok] - 1).astype(np.int64)
    valid = days.astype("datetime64[M]") == months
    out[np.flatnonzero(ok)[valid]] = days[valid]
    return out


def break_minutes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return break minutes (0 when blank) and an unreadable mask."""
    n = len(values)
    codes, text = kinds(values)
    out = np.zeros(n)
    series = pd.Series(values, dtype=object)
    sel = codes == 2
    if sel.any():
        out[sel] = pd.to_numeric(series[sel], errors="coerce").to_numpy(dtype=float)
    sel = codes == 1
    if sel.any():
        parts = text[sel].str.casefold().str.extract(_BREAK_RE)
        hm = pd.to_numeric(parts["h"]) * 60 + pd.to_numeric(parts["m"])
        plain = pd.to_numeric(parts["n"].str.replace(",", ".", regex=False))
        out[sel] = hm.fillna(plain).to_numpy(dtype=float)
    sel = codes == 3
    if sel.any():
        td = pd.to_timedelta(series[sel].astype(str), errors="coerce")
        out[sel] = np.round(td / pd.Timedelta(minutes=1))
    sel = codes == 5
    if sel.any():
        out[sel] = pd.to_timedelta(series[sel], errors="coerce") / pd.Timedelta(minutes=1)
    bad = np.isnan(out) | (out < 0) | (codes == 4) | (codes == 6)
    out[bad] = 0
    return out, bad


def per_distinct(
    parse: Callable[[np.ndarray], tuple[np.ndarray, ...]], values: pd.Series
) -> tuple[np.ndarray, ...]:
    """Run a column parser once per distinct cell value and spread the results to all rows.

    Schedules repeat a few times, dates and ranges over thousands of rows, so this turns a
    per-cell regex into a hash lookup. Blank cells (NaN/None) share the last slot.
    """
    codes, uniques = pd.factorize(values)
    distinct = np.empty(len(uniques) + 1, dtype=object)
    distinct[:-1] = np.asarray(uniques, dtype=object)
    distinct[-1] = np.nan
    return tuple(np.asarray(part)[codes] for part in parse(distinct))


def range_parts(values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return start and end minutes, kind codes, has-digit and text of time-range cells."""
    codes, text = kinds(values)
    parts = text.str.extract(_RANGE_RE)
    start, a_ok = clock_from_text(parts["a"].fillna("").str.strip())
    end, b_ok = clock_from_text(parts["b"].fillna("").str.strip())
    digits = text.str.contains(r"\d").to_numpy(dtype=bool)
    ok = a_ok & b_ok
    return start, end, codes, digits, ok, text.str.casefold().to_numpy(dtype=object)


def footer_parts(values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return whether each cell is text starting with "Summa", "Totalt" or the like."""
    codes, text = kinds(values)
    matched = text.str.match(_FOOTER_RE, flags=re.IGNORECASE).fillna(False)
    return ((codes == 1) & matched.to_numpy(dtype=bool),)
