"""Schedule cells to values: clock times, full date-times, dates, breaks and time ranges in every
notation the schedule systems export, one column at a time: each distinct cell value is parsed
once (numpy/pandas on the few distinct values), and the results spread to the rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from audit_app.services.staffing.rules import MINUTES_PER_DAY

MAX_CLOCK_MINUTES = 48 * 60
_MINUTE = pd.Timedelta(minutes=1)

_FOOTER_RE = re.compile(r"^(summa|summering|totalt?|antal|sum)\b", re.IGNORECASE)
_CLOCK_RE = (
    r"^(?:kl\.?\s*)?"
    r"(?:(?P<h>\d{1,2})[:.,](?P<m>\d{2})(?:[:.,]\d{2}(?:\.\d+)?)?|(?P<hhmm>\d{3,4})|(?P<hh>\d{1,2}))$"
)
_RANGE_RE = r"^(?P<a>.+?)\s*(?:-|–|—|till)\s*(?P<b>.+)$"
_ISO_DATE_RE = r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
_DMY_DATE_RE = r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})\b"
_COMPACT_DATE_RE = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
_BREAK_RE = r"^(?:(?P<h>\d{1,2}):(?P<m>\d{2})(?::00)?|(?P<n>\d+(?:[.,]\d+)?)\s*(?:min\w*)?)$"
_STAMP_RE = r"^(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})[ t,]+(?P<time>.+)$"
_NAMED_DATE_RE = (
    r"(?P<d>\d{1,2})\.?\s+(?P<mon>jan|feb|mar|apr|maj|may|jun|jul|aug|sep|okt|oct|nov|dec)"
    r"[a-zé]*\.?\s+(?P<y>\d{4})\b"
)
_MONTHS = {
    "jan": "1", "feb": "2", "mar": "3", "apr": "4", "maj": "5", "may": "5", "jun": "6",
    "jul": "7", "aug": "8", "sep": "9", "okt": "10", "oct": "10", "nov": "11", "dec": "12",
}  # fmt: skip
_FIRST_REAL_DAY = np.datetime64("1950-01-01", "D")
"""Earlier dates in a time cell are Excel's day zero (a time without a date)."""
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_LEAP_BUG_DAY = np.datetime64("1900-03-01", "D")
_DAY_ZERO = np.array(["1899-12-30", "1899-12-31", "1904-01-01"], dtype="datetime64[D]")


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


def _clock_from_numbers(x: np.ndarray) -> np.ndarray:
    """Return minutes after midnight of numbers: fractions of a day, Excel serials with a time,
    whole hours, hhmm and hours.minutes (7.3 is 07:30); NaN where none fits."""
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
    return got


def _serial_days(x: np.ndarray) -> np.ndarray:
    """Return the date of Excel serial numbers that are dates (1954-2119), else NaT."""
    out = np.full(len(x), np.datetime64("NaT"), dtype="datetime64[D]")
    ok = (x >= 20_000) & (x <= 80_000)
    out[ok] = _EXCEL_EPOCH + np.floor(x[ok]).astype("timedelta64[D]")
    return out


def _numbers_in_text(text: pd.Series) -> np.ndarray:
    """Return texts that are plain numbers ("15.3", "0,2917", "46328") as floats, else NaN."""
    plain = text.where(text.str.fullmatch(r"\d+(?:[.,]\d+)?").fillna(False).astype(bool))
    return pd.to_numeric(plain.str.replace(",", ".", regex=False), errors="coerce").to_numpy(
        dtype=float
    )


def clock_from_text(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return minutes after midnight from clock texts, a mask of texts that are clocks, and the
    date of texts that are full date-times ("2026-11-02 07:00", "2/11/2026 7.00"), else NaT."""
    folded = text.str.casefold()
    stamp = folded.str.extract(_STAMP_RE)
    has_day = stamp["date"].notna().to_numpy()
    day = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[D]")
    wrong_day = np.zeros(len(text), dtype=bool)
    if has_day.any():
        day[has_day] = _text_dates(stamp["date"][has_day].reset_index(drop=True))
        zero = stamp["date"].str.startswith(("1899-12-3", "1900-01-0", "1904-01-01"))
        wrong_day = has_day & np.isnat(day) & ~zero.fillna(False).to_numpy(dtype=bool)
        day[day < _FIRST_REAL_DAY] = np.datetime64("NaT")  # 1899-12-30 07:00: a time cell
    clock = folded.where(~has_day, stamp["time"]).fillna("").str.strip()
    parts = clock.str.extract(_CLOCK_RE)
    h = pd.to_numeric(parts["h"]).to_numpy(dtype=float)
    m = pd.to_numeric(parts["m"]).to_numpy(dtype=float)
    hhmm = pd.to_numeric(parts["hhmm"]).to_numpy(dtype=float)
    hh = pd.to_numeric(parts["hh"]).to_numpy(dtype=float)
    hours = np.where(~np.isnan(h), h, np.where(~np.isnan(hhmm), hhmm // 100, hh))
    mins = np.where(~np.isnan(h), m, np.where(~np.isnan(hhmm), hhmm % 100, 0.0))
    ok = ~np.isnan(hours) & (mins < 60) & ~wrong_day
    minutes = np.where(ok, hours * 60 + mins, np.nan)
    rest = np.flatnonzero(~ok & ~has_day)
    if len(rest):
        numbers = _numbers_in_text(clock.iloc[rest].reset_index(drop=True))
        got = _clock_from_numbers(numbers)
        minutes[rest] = got
        ok[rest] = ~np.isnan(got)
        day[rest] = _serial_days(numbers)
    return minutes, ok, day


def _time_minutes(times: pd.Series) -> np.ndarray:
    """Whole minutes after midnight of time-of-day cells (NaN where unreadable)."""
    return np.round(pd.to_timedelta(times.astype(str), errors="coerce") / _MINUTE)


def clock_minutes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return minutes after midnight, the date of full date-times (else NaT), a blank mask and
    an unreadable mask for a time column.

    Cells without any digit (such as "Ledig") are reported as blank-like via NaN and neither
    mask; the caller treats them as rows without a shift.
    """
    n = len(values)
    codes, text = kinds(values)
    minutes = np.full(n, np.nan)
    day = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    bad = np.zeros(n, dtype=bool)
    series = pd.Series(values, dtype=object)

    sel = codes == 1
    if sel.any():
        sub = text[sel].reset_index(drop=True)
        got, ok, got_day = clock_from_text(sub)
        has_digit = sub.str.contains(r"\d").to_numpy()
        minutes[sel] = got
        day[sel] = got_day
        bad[np.flatnonzero(sel)[~ok & has_digit]] = True
    sel = codes == 3
    if sel.any():
        minutes[sel] = _time_minutes(series[sel])
    sel = codes == 4
    if sel.any():
        stamps = pd.to_datetime(series[sel], errors="coerce")
        midnight = stamps.dt.normalize()
        minutes[sel] = np.round((stamps - midnight) / _MINUTE)
        day[sel] = midnight.to_numpy().astype("datetime64[D]")
    sel = codes == 5
    if sel.any():
        td = pd.to_timedelta(series[sel], errors="coerce")
        minutes[sel] = np.round(td / _MINUTE)
    sel = codes == 2
    if sel.any():
        x = pd.to_numeric(series[sel], errors="coerce").to_numpy(dtype=float)
        got = _clock_from_numbers(x)
        minutes[sel] = got
        day[sel] = _serial_days(x)
        bad[np.flatnonzero(sel)[np.isnan(got)]] = True
    bad[codes == 6] = True
    bad |= (minutes > MAX_CLOCK_MINUTES) | (minutes < 0)
    minutes[bad] = np.nan
    day[bad] = np.datetime64("NaT")
    return minutes, day, codes == 0, bad


def _text_dates(sub: pd.Series) -> np.ndarray:
    """Return datetime64[D] of date texts: ISO, day first with / or ., 20261102, "2 nov 2026",
    or an Excel serial number written as text; NaT where none fits."""
    sub = sub.str.casefold()
    parts = sub.str.extract(_ISO_DATE_RE)
    for pattern in (_DMY_DATE_RE, _COMPACT_DATE_RE):
        missing = parts["y"].isna()
        if not missing.any():
            break
        parts.loc[missing] = sub[missing].str.extract(pattern)[["y", "m", "d"]]
    missing = parts["y"].isna()
    if missing.any():
        named = sub[missing].str.extract(_NAMED_DATE_RE)
        month = named["mon"].str[:3].map(_MONTHS)
        parts.loc[missing, "y"] = named["y"]
        parts.loc[missing, "m"] = month
        parts.loc[missing, "d"] = named["d"]
    out = _ymd(
        pd.to_numeric(parts["y"]).to_numpy(dtype=float),
        pd.to_numeric(parts["m"]).to_numpy(dtype=float),
        pd.to_numeric(parts["d"]).to_numpy(dtype=float),
    )
    rest = np.flatnonzero(np.isnat(out))
    if len(rest):
        out[rest] = _serial_days(_numbers_in_text(sub.iloc[rest].reset_index(drop=True)))
    return out


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
        out[sel] = _serial_days(pd.to_numeric(series[sel], errors="coerce").to_numpy(dtype=float))
    sel = codes == 1
    if sel.any():
        out[sel] = _text_dates(text[sel].reset_index(drop=True))
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
        out[sel] = _time_minutes(series[sel])
    sel = codes == 5
    if sel.any():
        out[sel] = pd.to_timedelta(series[sel], errors="coerce") / _MINUTE
    bad = np.isnan(out) | (out < 0) | (codes == 4) | (codes == 6)
    out[bad] = 0
    return out, bad


@dataclass(frozen=True)
class Column:
    """A column as read: per row an index into `values` (-1 for an empty cell), and the
    distinct cell values as Python objects (str, float, datetime, time, timedelta)."""

    codes: np.ndarray
    values: np.ndarray

    def cells(self) -> np.ndarray:
        """Return the cell of every row as a Python object (NaN when empty)."""
        return np.append(self.values, np.nan)[self.codes]


def _python_values(dictionary: pa.Array) -> np.ndarray:
    """Return distinct Arrow values as Python objects; timestamps on Excel's day zero become
    times, and other dates before 1950 (numbers read as dates) the Excel serial number."""
    if pa.types.is_timestamp(dictionary.type):
        stamps = dictionary.cast(pa.timestamp("ms")).to_numpy(zero_copy_only=False)
        days = stamps.astype("datetime64[D]")
        out = np.empty(len(stamps), dtype=object)
        out[:] = stamps.astype("datetime64[ms]").astype(object)
        epoch = np.isin(days, _DAY_ZERO)
        for i in np.flatnonzero(epoch):
            out[i] = out[i].time()
        early = ~epoch & (days < _FIRST_REAL_DAY)
        base = np.where(days < _LEAP_BUG_DAY, _EXCEL_EPOCH + 1, _EXCEL_EPOCH)
        serial = (stamps - base.astype("datetime64[ms]")) / np.timedelta64(1, "D")
        for i in np.flatnonzero(early):
            out[i] = float(serial[i])
        return out
    out = np.empty(len(dictionary), dtype=object)
    out[:] = dictionary.to_pylist()
    return out


def encode(
    array: pa.Array | pa.ChunkedArray, raw: pa.Array | pa.ChunkedArray | None = None
) -> Column:
    """Return a column read as Arrow as a `Column`; `raw` holds, as text, the cells the typed
    reader could not convert (null elsewhere) and wins where it has a value."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_null(array.type):
        codes = np.full(len(array), -1, dtype=np.int32)
        values = np.empty(0, dtype=object)
    else:
        encoded = array if pa.types.is_dictionary(array.type) else pc.dictionary_encode(array)
        codes = encoded.indices.fill_null(-1).to_numpy()
        values = _python_values(encoded.dictionary)
    if raw is not None:
        if isinstance(raw, pa.ChunkedArray):
            raw = raw.combine_chunks()
        if pa.types.is_dictionary(raw.type):
            raw = raw.dictionary_decode()
        rows = np.flatnonzero(raw.is_valid().to_numpy(zero_copy_only=False))
        if len(rows):
            patch = pc.dictionary_encode(raw.take(pa.array(rows)))
            codes = codes.copy()  # Arrow's buffer is read-only
            codes[rows] = len(values) + patch.indices.to_numpy()
            values = np.concatenate(
                [values, np.asarray(patch.dictionary.to_pylist(), dtype=object)]
            )
    return Column(codes, values)


def text_codes(column: Column) -> Column:
    """Return a column as stripped text: per row an index into the distinct non-empty texts
    (-1 where the cell is empty), without making a string per row."""
    texts = cell_text(column.values).to_numpy(dtype=object)
    codes, uniques = pd.factorize(texts)
    blank = texts == ""
    codes[blank] = -1
    keep = np.asarray(uniques, dtype=object) != ""
    renumber = np.cumsum(keep) - 1
    mapped = np.where(codes >= 0, renumber[np.maximum(codes, 0)], -1)
    rows = np.append(mapped, -1)[column.codes]
    return Column(rows, np.asarray(uniques, dtype=object)[keep])


def categorical(codes: np.ndarray, categories: Sequence[Any] | np.ndarray) -> pd.Categorical:
    """Return a categorical column from codes (-1 for missing) and distinct values."""
    dtype = pd.CategoricalDtype(pd.Index(list(categories), dtype=object))
    return pd.Categorical.from_codes(codes, dtype=dtype)


def per_distinct(
    parse: Callable[[np.ndarray], tuple[np.ndarray, ...]], column: Column
) -> tuple[np.ndarray, ...]:
    """Run a column parser once per distinct cell value and spread the results to all rows.

    Schedules repeat a few times, dates and ranges over thousands of rows, so this turns a
    per-cell regex into a hash lookup. Empty cells share the last slot.
    """
    distinct = np.empty(len(column.values) + 1, dtype=object)
    distinct[:-1] = column.values
    distinct[-1] = np.nan
    return tuple(np.asarray(part)[column.codes] for part in parse(distinct))


def range_parts(values: np.ndarray, header: str = "") -> tuple[np.ndarray, ...]:
    """Return start and end minutes, kind codes, has-digit, readable, and whether the cell
    repeats the column's header (normalised, a page break) of time-range cells."""
    codes, text = kinds(values)
    parts = text.str.extract(_RANGE_RE)
    start, a_ok, _ = clock_from_text(parts["a"].fillna("").str.strip())
    end, b_ok, _ = clock_from_text(parts["b"].fillna("").str.strip())
    digits = text.str.contains(r"\d").to_numpy(dtype=bool)
    ok = a_ok & b_ok
    repeat = (text.str.casefold() == header).to_numpy(dtype=bool) & (codes == 1)
    return start, end, codes, digits, ok, repeat


def blank_parts(values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return whether each cell is empty (blank, or only spaces)."""
    return (kinds(values)[0] == 0,)


def footer_parts(values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return whether each cell is text starting with "Summa", "Totalt" or the like."""
    codes, text = kinds(values)
    matched = text.str.match(_FOOTER_RE, flags=re.IGNORECASE).fillna(False)
    return ((codes == 1) & matched.to_numpy(dtype=bool),)
