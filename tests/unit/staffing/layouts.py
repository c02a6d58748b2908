"""The known scenario written in every schedule layout the reader recognises, as xlsx and CSV.

Each layout is a header and one row of cells per shift; `write_layout` writes it as a
workbook (typed cells where the layout has them) or as CSV text in a given dialect.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from tests.unit.staffing.fixtures import Row, scenario

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
SWEDISH_MONTHS = ["jan", "feb", "mars", "april", "maj", "juni", "juli", "aug", "sep", "okt",
                  "nov", "dec"]  # fmt: skip


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _moments(row: Row) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(row.day, _clock(row.start))
    end = dt.datetime.combine(row.day, _clock(row.end))
    return start, end if end > start else end + dt.timedelta(days=1)


def _serial(moment: dt.datetime | dt.date) -> float:
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    return (moment - EXCEL_EPOCH) / dt.timedelta(days=1)


def _tail(row: Row) -> list[Any]:
    return [row.rest or None, row.role, row.section, row.name]


TAIL = ["Rast", "Befattning", "Avdelning", "Namn"]


def datetimes(row: Row, i: int, csv_text: bool) -> list[Any]:
    """Start and Slut as full date-times, no date column (shift lists)."""
    start, end = _moments(row)
    if csv_text:
        return [start.strftime("%Y-%m-%d %H:%M"), end.strftime("%Y-%m-%d %H:%M"), *_tail(row)]
    return [start, end, *_tail(row)]


def date_from_to(row: Row, i: int, csv_text: bool) -> list[Any]:
    """Datum plus Från and Till."""
    if csv_text:
        return [row.day.isoformat(), row.start, row.end, *_tail(row)]
    return [row.day, _clock(row.start), _clock(row.end), *_tail(row)]


def time_range(row: Row, i: int, csv_text: bool) -> list[Any]:
    """Datum and one Tid column with "07:00-15:30"."""
    day = row.day.isoformat() if csv_text else row.day
    return [day, f"{row.start}-{row.end}", *_tail(row)]


def _text_clock(text: str, i: int) -> str:
    hours, minutes = text.split(":")
    return [f"{hours}{minutes}", f"{int(hours)}.{minutes}", f"{text}:00"][i % 3]


def text_times(row: Row, i: int, csv_text: bool) -> list[Any]:
    """Times as text in three notations: "0645", "6.45", "06:45:00"."""
    return [row.day.isoformat(), _text_clock(row.start, i), _text_clock(row.end, i), *_tail(row)]


def _number(value: float, csv_text: bool) -> Any:
    return f"{value:.10g}".replace(".", ",") if csv_text else value


def serials(row: Row, i: int, csv_text: bool) -> list[Any]:
    """Dates as Excel serial numbers and times as fractions of a day, without any format."""
    start, end = (_clock(row.start), _clock(row.end))
    fraction = [(t.hour * 60 + t.minute) / 1440 for t in (start, end)]
    return [
        _number(_serial(row.day), csv_text),
        _number(fraction[0], csv_text),
        _number(fraction[1], csv_text),
        *_tail(row),
    ]


def swedish_dates(row: Row, i: int, csv_text: bool) -> list[Any]:
    """Dates day first: "2/11/2026", "2.11.2026", "2 nov 2026"."""
    d = row.day
    day = [f"{d.day}/{d.month}/{d.year}", f"{d.day}.{d.month}.{d.year}",
           f"{d.day} {SWEDISH_MONTHS[d.month - 1]} {d.year}"][i % 3]  # fmt: skip
    return [day, row.start, row.end, *_tail(row)]


def merged_dates(row: Row, i: int, csv_text: bool) -> list[Any]:
    """A day's date only on its first row (merged cells in the workbook)."""
    return date_from_to(row, i, csv_text)


LAYOUTS: dict[str, tuple[list[str], Callable[[Row, int, bool], list[Any]]]] = {
    "datetimes": (["Start", "Slut", *TAIL], datetimes),
    "date_from_to": (["Datum", "Från", "Till", *TAIL], date_from_to),
    "time_range": (["Datum", "Tid", *TAIL], time_range),
    "text_times": (["Datum", "Start", "Slut", *TAIL], text_times),
    "serials": (["Datum", "Start", "Slut", *TAIL], serials),
    "swedish_dates": (["Datum", "Från", "Till", *TAIL], swedish_dates),
    "merged_dates": (["Datum", "Från", "Till", *TAIL], merged_dates),
}
"""Layout name -> header and the cells of one shift."""


def _runs(rows: list[Row]) -> list[tuple[int, int]]:
    """Return (first, last) indexes of runs of rows with the same date."""
    runs, first = [], 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].day != rows[first].day:
            runs.append((first, i - 1))
            first = i
    return runs


def write_xlsx(layout: str, path: Path, rows: list[Row] | None = None) -> Path:
    """Write the scenario in a layout as a workbook with a title row above the header."""
    rows = scenario() if rows is None else rows
    header, cells = LAYOUTS[layout]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Schema Solgården"])
    ws.append(header)
    for i, row in enumerate(rows):
        ws.append(cells(row, i, False))
    first_data = 3
    for r in range(first_data, first_data + len(rows)):
        for c, value in enumerate(cells(rows[r - first_data], r - first_data, False), start=1):
            if isinstance(value, dt.datetime):
                ws.cell(r, c).number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                ws.cell(r, c).number_format = "yyyy-mm-dd"
            elif isinstance(value, dt.time):
                ws.cell(r, c).number_format = "hh:mm"
    if layout == "merged_dates":
        for first, last in _runs(rows):
            if last > first:
                ws.merge_cells(start_row=first + 3, start_column=1, end_row=last + 3, end_column=1)
    wb.save(path)
    return path


def csv_text(layout: str, delimiter: str = ";", rows: list[Row] | None = None) -> str:
    """Return the scenario in a layout as CSV text with a title line above the header."""
    rows = scenario() if rows is None else rows
    header, cells = LAYOUTS[layout]
    out = io.StringIO()
    out.write("Schema Solgården\n")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    firsts = {first for first, _ in _runs(rows)}
    for i, row in enumerate(rows):
        values = ["" if v is None else str(v) for v in cells(row, i, True)]
        if layout == "merged_dates" and i not in firsts:
            values[0] = ""
        writer.writerow(values)
    return out.getvalue()


def write_csv(layout: str, path: Path, delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    """Write the scenario in a layout as CSV in the given delimiter and encoding."""
    path.write_bytes(csv_text(layout, delimiter).encode(encoding))
    return path
