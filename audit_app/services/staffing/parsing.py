"""Tables to shifts: the rows under the header become shifts without names, with every
unreadable cell reported by file, sheet, row and column."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
from openpyxl.utils import get_column_letter

from audit_app.domain.svtext import count_text, sv_number
from audit_app.services.staffing.cells import (
    Column,
    blank_parts,
    break_minutes,
    categorical,
    cell_text,
    clock_minutes,
    dates,
    encode,
    footer_parts,
    per_distinct,
    range_parts,
    text_codes,
)
from audit_app.services.staffing.columns import (
    FIELD_LABELS,
    clean_mapping,
    detect_mapping,
    missing_fields,
    synonym_hint,
)
from audit_app.services.staffing.errors import MAX_MESSAGES, ScheduleError
from audit_app.services.staffing.reading import (
    RAW_SUFFIX,
    SheetLayout,
    read_table,
    sheet_layouts,
    source_bytes,
    table_meta,
)
from audit_app.services.staffing.rules import MINUTES_PER_DAY, norm


@dataclass
class Schedule:
    """Shifts read from a schedule file, without names.

    `shifts` has one row per shift: row (as in the file), sheet, date, start, end (datetime64),
    break_minutes, hours, role, section.
    """

    filename: str
    shifts: pd.DataFrame
    mapping: dict[str, str]
    header_row: int
    distinct_people: int | None
    warnings: list[str] = field(default_factory=list)


class _Problems:
    """Collect cell problems as arrays; format only the first few at the end."""

    def __init__(self, filename: str, sheet: str) -> None:
        self.filename = filename
        self.sheet = sheet
        self.groups: list[tuple[np.ndarray, int, str, np.ndarray, str]] = []

    def add(
        self, mask: np.ndarray, lines: np.ndarray, col: int, header: str, values: Any, text: str
    ) -> None:
        if mask.any():
            vals = np.asarray(values, dtype=object)
            self.groups.append((lines[mask], col, header, vals[mask], text))

    def messages(self) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        where = f"{self.filename}, blad {self.sheet}" if self.sheet else self.filename
        for lines, col, header, values, text in self.groups:
            order = np.argsort(lines, kind="stable")[: MAX_MESSAGES + 1]
            for i in order:
                message = text.format(value=_show_value(values[i]))
                out.append(
                    (
                        int(lines[i]),
                        col,
                        f"{where}: rad {lines[i]}, kolumn {get_column_letter(1 + col)} ({header}): "
                        f"{message}",
                    )
                )
        return out

    def count(self) -> int:
        return sum(len(g[0]) for g in self.groups)


def _show_value(value: Any) -> str:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value).strip()
    return text if len(text) <= 40 else text[:37] + "..."


def _subset_text(mask: np.ndarray, make: Any) -> np.ndarray:
    """Return an object array with `make(i)` at the masked positions only (message values)."""
    out = np.full(len(mask), "", dtype=object)
    for i in np.flatnonzero(mask)[: MAX_MESSAGES + 1]:
        out[i] = make(i)
    return out


_NO_DAY = np.datetime64("NaT", "D")


def _parse_sheet(
    part: pa.Table, layout: SheetLayout, filename: str, sheet_label: str
) -> tuple[pd.DataFrame, _Problems, dict[str, int], set[str]]:
    """Parse the rows under one sheet's header into shifts; return shifts, problems, counters,
    names."""
    columns = layout.columns
    lines = part.column("line").to_numpy()
    problems = _Problems(filename, sheet_label)
    counts = {"absence": 0, "same_time": 0, "no_role": 0, "no_date": 0}
    n = part.num_rows
    if n == 0:
        return pd.DataFrame(), problems, counts, set()
    read: dict[str, Column] = {}

    def col(fld: str) -> Column:
        if fld not in read:
            raw = fld + RAW_SUFFIX
            read[fld] = encode(
                part.column(fld), part.column(raw) if raw in part.column_names else None
            )
        return read[fld]

    def header(fld: str) -> str:
        return layout.cells[columns[fld]]

    def add(
        mask: np.ndarray, fld: str, values: Column | Callable[[], np.ndarray] | None, text: str
    ) -> None:
        """Record the masked rows' problem; `values` (the cells, or a function making the
        message values) is only looked at when there is a problem."""
        if mask.any():
            if isinstance(values, Column):
                cells = values.cells()
            else:
                cells = values() if values is not None else np.full(n, "", dtype=object)
            problems.add(mask, lines, columns[fld], header(fld), cells, text)

    # Per row: how many cells are filled, and whether the first filled one says "Summa ...".
    nonblank = np.zeros(n, dtype=np.int16)
    first = np.full(n, -1, dtype=np.int16)
    for fld, index in sorted(columns.items(), key=lambda x: x[1]):
        (blank,) = per_distinct(blank_parts, col(fld))
        filled = ~np.asarray(blank, dtype=bool)
        nonblank += filled
        first[(first < 0) & filled] = index
    footer = np.zeros(n, dtype=bool)
    for fld, index in columns.items():
        rows = first == index
        if rows.any():
            (matched,) = per_distinct(footer_parts, col(fld))
            footer |= rows & np.asarray(matched, dtype=bool)

    start_day = end_day = np.full(n, _NO_DAY)
    if "range" in columns:
        rng = col("range")
        folded_range = norm(header("range"))
        start_min, end_min, rng_codes, digits, ok, repeat = per_distinct(
            lambda v: range_parts(v, folded_range), rng
        )
        start_min, end_min = np.asarray(start_min, float), np.asarray(end_min, float)
        time_blank = rng_codes == 0
        no_clock = (rng_codes == 1) & ~np.asarray(digits, dtype=bool)
        skip = time_blank | footer | np.asarray(repeat, dtype=bool) | no_clock | (nonblank == 0)
        bad = ~skip & ~np.asarray(ok, dtype=bool)
        add(bad, "range", rng, 'arbetstiden "{value}" går inte att läsa; skriv t.ex. 07:00-15:30.')
        start_min[bad] = np.nan
        end_min[bad] = np.nan
        start_fld = end_fld = "range"
    else:
        s_vals, e_vals = col("start"), col("end")
        start_min, start_day, s_blank, s_bad = per_distinct(clock_minutes, s_vals)
        end_min, end_day, e_blank, e_bad = per_distinct(clock_minutes, e_vals)
        start_min, end_min = np.asarray(start_min, float), np.asarray(end_min, float)
        start_day = np.asarray(start_day, "datetime64[D]")
        end_day = np.asarray(end_day, "datetime64[D]")
        folded_header = norm(header("start"))
        (repeat,) = per_distinct(
            lambda v: ((cell_text(v).str.casefold() == folded_header).to_numpy(dtype=bool),),
            s_vals,
        )
        repeat = np.asarray(repeat, dtype=bool)
        s_none = np.isnan(start_min) & ~s_bad  # blank, or text without digits ("Ledig")
        e_none = np.isnan(end_min) & ~e_bad
        time_blank = s_blank & e_blank
        no_clock = s_none & e_none & ~time_blank
        skip = time_blank | footer | repeat | no_clock | (nonblank == 0)
        for values, bad, fld in ((s_vals, s_bad, "start"), (e_vals, e_bad, "end")):
            add(bad & ~skip, fld, values, 'tiden "{value}" går inte att läsa; skriv t.ex. 07:00.')
        add(s_none & ~e_none & ~skip, "start", None, "starttid saknas.")
        add(e_none & ~s_none & ~skip, "end", None, "sluttid saknas.")
        start_fld, end_fld = "start", "end"
    counts["absence"] = int(((no_clock | (time_blank & (nonblank >= 2))) & ~footer & ~repeat).sum())
    keep = ~skip

    # The date: from a start that is a full date-time, else from the date column, where a
    # blank cell inherits the value above (merged cells).
    stamped = ~np.isnat(start_day)
    if "date" in columns:
        date_vals = col("date")
        day, d_blank, d_bad = per_distinct(dates, date_vals)
        day = np.asarray(day, "datetime64[D]")
        given = np.where(keep & ~d_blank & ~np.isnat(day), np.arange(n), -1)
        above = np.maximum.accumulate(given)
        day = np.where(d_blank, np.where(above >= 0, day[np.maximum(above, 0)], _NO_DAY), day)
        add(
            d_bad & keep & ~stamped,
            "date",
            date_vals,
            'datumet "{value}" går inte att läsa; skriv t.ex. 2026-11-02.',
        )
        add(d_blank & np.isnat(day) & keep & ~stamped, "date", None, "datum saknas.")
        day = np.where(stamped, start_day, day)
    else:
        day = start_day
        undated = keep & ~stamped & ~np.isnan(start_min)
        if undated.all() or not stamped.any():
            counts["no_date"] = 1
            keep &= False
        else:
            add(undated, "start", None, "datum saknas (starttiden har inget datum).")

    section = text_codes(col("section"))
    given_section = np.where(keep & (section.codes >= 0), np.arange(n), -1)
    above = np.maximum.accumulate(given_section)
    section_codes = np.where(above >= 0, section.codes[np.maximum(above, 0)], -1)
    add((section_codes < 0) & keep, "section", None, "avdelning saknas.")
    role = text_codes(col("role"))
    counts["no_role"] = int(((role.codes < 0) & keep).sum())

    if "break" in columns:
        brk, brk_bad = per_distinct(break_minutes, col("break"))
        brk = np.asarray(brk, dtype=float)
        add(
            np.asarray(brk_bad, dtype=bool) & keep,
            "break",
            col("break"),
            'rasten "{value}" går inte att läsa; ange minuter, t.ex. 30.',
        )
    else:
        brk = np.zeros(n)

    # Shift length: an end with its own date is taken as it is; an end without one that is at
    # or before the start ends the next day.
    late = (start_min >= MINUTES_PER_DAY) & keep
    add(late, start_fld, None, "starttiden måste vara före 24:00.")
    dated_end = ~np.isnat(end_day) & stamped
    if dated_end.any():
        days_later = (end_day[dated_end] - start_day[dated_end]).astype(np.int64)
        end_min[dated_end] += days_later * MINUTES_PER_DAY
    same = (start_min == end_min) & keep
    counts["same_time"] = int(same.sum())
    keep &= ~same & ~late
    end_min = np.where(~dated_end & (end_min < start_min), end_min + MINUTES_PER_DAY, end_min)
    length = end_min - start_min
    too_long = (length > MINUTES_PER_DAY) & keep
    add(
        too_long,
        end_fld,
        lambda: _subset_text(too_long, lambda i: sv_number(float(length[i]) / 60)),
        "passet är {value} timmar långt; ett pass får vara högst 24 timmar.",
    )
    backwards = (length < 0) & keep
    add(backwards, end_fld, None, "passet slutar innan det börjar.")
    long_break = (brk > length) & keep & ~too_long & ~backwards
    add(
        long_break,
        "break" if "break" in columns else end_fld,
        lambda: _subset_text(long_break, lambda i: sv_number(float(brk[i]))),
        "rasten ({value} min) är längre än passet.",
    )

    names: set[str] = set()
    if "name" in columns:
        person = text_codes(col("name"))
        present = np.unique(person.codes[keep & (person.codes >= 0)])
        names = {norm(p) for p in person.values[present]}

    ok = keep & ~np.isnan(start_min) & ~np.isnan(end_min) & ~np.isnat(day)
    day_ok = day[ok]
    shifts = pd.DataFrame(
        {
            "row": lines[ok].astype("int64"),
            "sheet": categorical(np.zeros(int(ok.sum()), np.int64), [layout.name]),
            "date": day_ok.astype("datetime64[s]"),
            "start": (day_ok + start_min[ok].astype("timedelta64[m]")).astype("datetime64[s]"),
            "end": (day_ok + end_min[ok].astype("timedelta64[m]")).astype("datetime64[s]"),
            "break_minutes": brk[ok],
            "hours": (length[ok] - brk[ok]) / 60,
            "role": categorical(role.codes[ok], role.values),
            "section": categorical(section_codes[ok], section.values),
        }
    )
    return shifts, problems, counts, names


def read_schedule(
    source: str | Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Schedule:
    """Read a schedule export (.xlsx, .xls, .ods, .csv) into shifts without names.

    `mapping` (field -> header, see `FIELDS`) overrides the detected columns; an empty header
    removes a field. Raise `ScheduleError` with one Swedish message per problem.
    """
    data, name = source_bytes(source, filename)
    return schedule_from_table(read_table(data, name, clean_mapping(mapping)), mapping)


def schedule_from_table(table: pa.Table, mapping: Mapping[str, str] | None = None) -> Schedule:
    """Turn the table `read_table` returned (perhaps in a child process) into shifts."""
    meta = table_meta(table)
    name = str(meta["filename"])
    explicit = clean_mapping(mapping)
    found = sheet_layouts(table)
    first = found[0]

    messages: list[tuple[int, int, int, str]] = []
    missing_messages: list[str] = []
    for fld, header in explicit.items():
        if header and not any(norm(header) in {norm(c) for c in x.cells} for x in found):
            missing_messages.append(
                f"{name}: kolumnen {header!r} som angetts för {FIELD_LABELS[fld]} finns inte i "
                "filen."
            )
    frames = []
    counts = {"absence": 0, "same_time": 0, "no_role": 0}
    names: set[str] = set()
    multi = len(found) > 1
    total_problems = 0
    sheets = table.column("sheet").to_numpy()
    for layout in found:
        label = layout.name if multi else ""
        where = f"{name}, blad {layout.name}" if multi else name
        missing = missing_fields(layout.columns)
        if missing:
            for fld in missing:
                missing_messages.append(
                    f"{where}: kolumn för {FIELD_LABELS[fld]} saknas (rubrikraden är rad "
                    f"{layout.header_line}). {synonym_hint(fld)}"
                )
            continue
        rows = np.flatnonzero(sheets == layout.position)
        part = table.slice(int(rows[0]), len(rows)) if len(rows) else table.slice(0, 0)
        shifts, problems, sheet_counts, sheet_names = _parse_sheet(part, layout, name, label)
        if sheet_counts.pop("no_date"):
            missing_messages.append(
                f"{where}: kolumn för datum saknas, och start- och sluttiderna har inget datum "
                f"(rubrikraden är rad {layout.header_line}). {synonym_hint('date')}"
            )
            continue
        total_problems += problems.count()
        messages.extend((layout.position, line, c, m) for line, c, m in problems.messages())
        frames.append(shifts)
        names |= sheet_names
        for key, value in sheet_counts.items():
            counts[key] += value
    if missing_messages:
        raise ScheduleError(missing_messages, name)
    if total_problems:
        messages.sort(key=lambda x: (x[0], x[1], x[2]))
        texts = [m for *_, m in messages[:MAX_MESSAGES]]
        raise ScheduleError(texts, name, total=total_problems)
    frames = [f for f in frames if not f.empty]
    shifts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if shifts.empty:
        raise ScheduleError([f"{name}: filen innehåller inga pass under rubrikraden."], name)

    warnings = [
        f'Bladet "{sheet}" har ingen rubrikrad med datum och tid och lästes inte.'
        for sheet in meta["skipped"]
    ]
    warnings.extend(meta["notes"])
    if counts["absence"]:
        warnings.append(
            f"{count_text(counts['absence'], 'rad', 'rader')} utan klockslag (t.ex. ledighet) räknades inte som pass."
        )
    if counts["same_time"]:
        warnings.append(
            f"{count_text(counts['same_time'], 'rad', 'rader')} med samma start- och sluttid räknades inte som pass."
        )
    if counts["no_role"]:
        warnings.append(
            f"{counts['no_role']} pass saknar befattning och räknas inte som kompetent personal."
        )
    has_names = all("name" in x.columns for x in found)
    if not has_names:
        warnings.append("Filen har ingen kolumn med namn; antalet personer kunde inte räknas.")
    return Schedule(
        filename=name,
        shifts=shifts,
        mapping=detect_mapping(first.cells, explicit),
        header_row=first.header_line,
        distinct_people=len(names) if has_names else None,
        warnings=warnings,
    )
