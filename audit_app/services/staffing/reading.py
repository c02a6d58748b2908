"""Schedule files to an Arrow table of the columns used: workbooks through fastexcel (calamine
returning typed Arrow columns), CSV through polars in any common dialect and encoding; the
header row found in each sheet, the file type told by its content.

`read_table` is a pure function of (bytes, file name, mapping) returning a `pyarrow.Table`, so
it can run in a guarded child process and hand back Arrow IPC bytes (`table_to_ipc`).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import logging
import re
import secrets
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import fastexcel
import numpy as np
import openpyxl
import polars
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine
from openpyxl.utils import get_column_letter

from audit_app.services.sheets import reader_failed
from audit_app.services.staffing.columns import (
    clean_mapping,
    detect_mapping,
    header_text,
    missing_fields,
    resolve_columns,
)
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.rules import norm
from audit_app.services.staffing.xlsx_head import xlsx_heads

HEADER_SCAN_ROWS = 50
"""The header row is looked for among the first rows of each sheet."""

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
META_KEY = b"schedule"
RAW_SUFFIX = "#raw"
"""Column of the cells the typed reader could not convert, as text (null elsewhere)."""

_EXCEL_EPOCH = datetime(1899, 12, 30)

logging.getLogger("fastexcel").setLevel(logging.ERROR)  # "falling back to string" notices


@dataclass
class SheetLayout:
    """Where the header of one sheet is and which column holds which field."""

    position: int  # 0-based position of the sheet in the workbook (0 for a CSV file)
    name: str
    header_line: int  # 1-based row of the header as the user sees it
    cells: list[str]  # the header row's texts, by column (absolute index)
    columns: dict[str, int]  # field -> column index (absolute)


@dataclass
class ScheduleLayout:
    """Where the header is and which column holds which field (for the mapping editor)."""

    filename: str
    sheet: str
    header_row: int
    headers: list[str]
    mapping: dict[str, str]
    missing: list[str]


@dataclass
class _Head:
    """The first rows of one sheet, every cell by absolute column."""

    position: int
    name: str
    rows: list[list[Any]]


def source_bytes(source: str | Path | bytes | BinaryIO, filename: str | None) -> tuple[bytes, str]:
    """Return the bytes and the file name of a path, bytes or an open file."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), filename or "schemat"
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = filename or path.name
        try:
            return path.read_bytes(), name
        except FileNotFoundError:
            raise ScheduleError([f"Filen {name} finns inte."], name) from None
        except OSError as exc:
            raise ScheduleError([f"Filen {name} kan inte läsas ({exc.strerror})."], name) from None
    data = source.read()
    name = filename or Path(str(getattr(source, "name", "schemat"))).name
    return bytes(data), name


# --------------------------------------------------------------------------- file type


def _utf16_without_bom(head: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" for text saved as UTF-16 without a byte-order mark."""
    sample = head[: len(head) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _workbook_kind(data: bytes) -> str:
    if data.startswith(OLE_MAGIC):
        return "encrypted" if ENCRYPTED_MARK in data else "xls"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                    return "xlsx"
                if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype"):
                    return "ods"
        except zipfile.BadZipFile:
            return "damaged"
        return "zip"
    head = data[:4096]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head):
        return "text"
    if b"\x00" in head:
        return "binary"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<table")):
        return "html"
    return "text"


_KIND_TEXT = {
    "xlsx": "en Excel-fil (.xlsx)",
    "xls": "en äldre Excel-fil (.xls)",
    "ods": "en OpenDocument-fil (.ods)",
    "zip": "ett zip-arkiv",
    "damaged": "en skadad zip- eller Excel-fil",
    "binary": "en binärfil",
    "html": "en webbsida (HTML)",
    "text": "en textfil (t.ex. CSV)",
}
_EXPECTED = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".csv": "text"}


def _check_kind(data: bytes, filename: str) -> str:
    """Return the file's kind ("xlsx", "xls", "ods" or "text"); raise in Swedish otherwise."""
    if not data or data.isspace():
        raise ScheduleError([f"{filename}: filen är tom."], filename)
    suffix = Path(filename).suffix.lower()
    kind = _workbook_kind(data)
    if kind == "encrypted":
        raise ScheduleError(
            [
                f"{filename}: arbetsboken är lösenordsskyddad. Spara den utan lösenord "
                "(Arkiv > Info > Skydda arbetsbok) och ladda upp den igen."
            ],
            filename,
        )
    if suffix not in _EXPECTED:
        raise ScheduleError(
            [
                f"{filename}: filtypen {suffix or '(ingen)'} stöds inte; använd .xlsx, .xls, .ods "
                "eller .csv."
            ],
            filename,
        )
    if kind != _EXPECTED[suffix]:
        raise ScheduleError(
            [
                f"{filename}: filen har ändelsen {suffix} men är {_KIND_TEXT[kind]}. Spara den i "
                "rätt format eller byt ändelse och försök igen."
            ],
            filename,
        )
    return kind


def _unreadable(filename: str, exc: BaseException) -> ScheduleError:
    if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
        text = "arbetsboken är lösenordsskyddad; spara den utan lösenord och försök igen."
    else:
        text = "filen kunde inte läsas som kalkylblad; öppna den och spara den på nytt."
    return ScheduleError([f"{filename}: {text}"], filename)


# --------------------------------------------------------------------------- header rows


def _header_score(cells: Sequence[Any], mapping: Mapping[str, str]) -> int:
    """Return how many fields a row names as headers; 0 unless it has the times and either a
    date column or both start and end (which may hold full date-times)."""
    if sum(1 for c in cells if header_text(c)) < 2:
        return 0
    columns = resolve_columns(list(cells), mapping)
    wanted = [h for h in mapping.values() if h]
    present = {norm(header_text(c)) for c in cells}
    if any(norm(h) not in present for h in wanted):
        return 0
    both = "start" in columns and "end" in columns
    if not (both or ("range" in columns and "date" in columns)):
        return 0
    return len(columns)


def _find_layout(head: _Head, mapping: Mapping[str, str]) -> SheetLayout | None:
    best, best_row = 0, None
    for position, row in enumerate(head.rows[:HEADER_SCAN_ROWS]):
        score = _header_score(row, mapping)
        if score > best:
            best, best_row = score, position
    if best_row is None:
        return None
    cells = head.rows[best_row]
    return SheetLayout(
        position=head.position,
        name=head.name,
        header_line=best_row + 1,
        cells=[header_text(c) for c in cells],
        columns=resolve_columns(cells, mapping),
    )


def _no_header_message(filename: str, mapping: Mapping[str, str], sheet: str) -> str:
    where = f", blad {sheet}" if sheet else ""
    wanted = [h for h in mapping.values() if h]
    extra = f" (och de angivna rubrikerna {', '.join(repr(h) for h in wanted)})" if wanted else ""
    return (
        f"{filename}{where}: hittar ingen rubrikrad med kolumner för datum och tid{extra} bland "
        f"de första {HEADER_SCAN_ROWS} raderna. Väntade rubriker: Datum; Start/Från och "
        "Slut/Till eller Tid; Befattning; Avdelning."
    )


def _layouts(
    heads: list[_Head], filename: str, mapping: Mapping[str, str]
) -> tuple[list[SheetLayout], list[str]]:
    found, skipped = [], []
    for head in heads:
        layout = _find_layout(head, mapping)
        if layout is not None:
            found.append(layout)
        elif any(header_text(c) for row in head.rows for c in row):
            skipped.append(head.name)
    if not found:
        nonempty = [h for h in heads if any(header_text(c) for row in h.rows for c in row)]
        if not nonempty:
            raise ScheduleError([f"{filename}: filen innehåller inga rader."], filename)
        sheet = nonempty[0].name if len(heads) > 1 else ""
        raise ScheduleError([_no_header_message(filename, mapping, sheet)], filename)
    return found, skipped


# --------------------------------------------------------------------------- workbooks


def _xlsx_heads(data: bytes) -> list[_Head]:
    return [
        _Head(i, name, rows) for i, (name, rows) in enumerate(xlsx_heads(data, HEADER_SCAN_ROWS))
    ]


def _fastexcel_heads(reader: fastexcel.ExcelReader) -> list[_Head]:
    heads = []
    for position, name in enumerate(reader.sheet_names):
        sheet = reader.load_sheet(
            position, header_row=None, skip_rows=0, n_rows=HEADER_SCAN_ROWS, dtypes="string"
        )
        batch = sheet.to_arrow()
        columns = [c.absolute_index for c in sheet.selected_columns]
        width = max(columns, default=-1) + 1
        rows: list[list[Any]] = [[None] * width for _ in range(batch.num_rows)]
        for index, column in zip(columns, batch.columns, strict=True):
            for row, value in zip(rows, column.to_pylist(), strict=True):
                row[index] = value
        heads.append(_Head(position, name, rows))
    return heads


_DETAIL_RE = re.compile(r"^got '(?P<kind>\w+)\((?P<body>.*)\)'$", re.DOTALL)


def _raw_value(detail: str) -> str:
    """Return a cell the typed reader refused, as text, from its error detail."""
    found = _DETAIL_RE.search(detail[detail.find("got '") :])
    if not found:
        return detail
    kind, body = found["kind"], found["body"]
    if kind in ("String", "DateTimeIso", "DurationIso"):
        return body[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if kind == "DateTime":
        serial = re.search(r"value: ([-\d.e]+)", body)
        if serial:
            moment = _EXCEL_EPOCH + timedelta(days=float(serial.group(1)))
            if float(serial.group(1)) < 1:
                return moment.strftime("%H:%M:%S")
            return moment.strftime("%Y-%m-%d %H:%M:%S")
    return body


def _fastexcel_body(
    reader: fastexcel.ExcelReader, layout: SheetLayout
) -> tuple[dict[str, pa.Array], int]:
    fields = sorted(layout.columns.items(), key=lambda x: x[1])
    letters = ",".join(get_column_letter(1 + index) for _, index in fields)
    sheet = reader.load_sheet(
        layout.position,
        header_row=None,
        skip_rows=layout.header_line,
        use_columns=letters,
        whitespace_as_null=True,
    )
    batch, errors = sheet.to_arrow_with_errors()
    by_index = {c.absolute_index: i for i, c in enumerate(sheet.selected_columns)}
    out: dict[str, pa.Array] = {}
    for fld, index in fields:
        out[fld] = batch.column(by_index[index]) if index in by_index else None
    raw: dict[str, dict[int, str]] = {}
    in_range = {c.absolute_index: c.index for c in sheet.selected_columns}
    field_of = {in_range[i]: f for f, i in fields if i in in_range}
    for error in errors.errors if errors is not None else []:
        row, column = error.offset_position
        if column in field_of:
            raw.setdefault(field_of[column], {})[row] = _raw_value(error.detail)
    for fld, cells in raw.items():
        values: list[str | None] = [None] * batch.num_rows
        for row, text in cells.items():
            values[row] = text
        out[fld + RAW_SUFFIX] = pa.array(values, pa.string())
    return out, batch.num_rows


def _python_column(values: list[Any]) -> pa.Array:
    """Return cells read by a fallback reader as one Arrow column (text when types mix)."""
    kinds = {type(v) for v in values if v is not None and v != ""}
    if kinds <= {float, int} and kinds:
        return pa.array([float(v) if v not in (None, "") else None for v in values], pa.float64())
    if kinds == {datetime}:
        return pa.array([v or None for v in values], pa.timestamp("ms"))
    return pa.array([_python_text(v) for v in values], pa.string())


def _python_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, timedelta):
        minutes = round(value.total_seconds() / 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return str(value)


def _fallback_rows(data: bytes, kind: str) -> tuple[list[tuple[str, list[list[Any]]]], str]:
    """Return every sheet's rows through python-calamine, or openpyxl for xlsx."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            (name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in book.sheet_names
        ]
        return sheets, "calamine"
    except BaseException as exc:  # calamine raises several types, or panics, on damaged files
        if kind != "xlsx" or not reader_failed(exc):
            raise
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book], (
        "openpyxl"
    )


def _fallback(
    data: bytes, kind: str, filename: str, mapping: Mapping[str, str]
) -> tuple[list[SheetLayout], list[str], list[tuple[SheetLayout, dict[str, pa.Array], int]], str]:
    try:
        sheets, engine = _fallback_rows(data, kind)
    except BaseException as exc:  # both readers failed: the file is damaged
        if not reader_failed(exc):
            raise
        raise _unreadable(filename, exc) from None
    heads = [_Head(i, name, rows[:HEADER_SCAN_ROWS]) for i, (name, rows) in enumerate(sheets)]
    if not heads or all(not any(r) for h in heads for r in h.rows):
        raise ScheduleError([f"{filename}: arbetsboken är tom."], filename)
    found, skipped = _layouts(heads, filename, mapping)
    bodies = []
    for layout in found:
        rows = sheets[layout.position][1][layout.header_line :]
        columns = {
            fld: _python_column([r[index] if index < len(r) else None for r in rows])
            for fld, index in layout.columns.items()
        }
        bodies.append((layout, columns, len(rows)))
    return found, skipped, bodies, engine


# --------------------------------------------------------------------------- CSV


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "UTF-16"  # Excel's "Unicode text"
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        return data.decode(utf16, errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    return data.decode("cp1252", errors="replace"), "Windows-1252"


_DELIMITERS = (";", "\t", ",", "|")


def _csv_head(text: str, mapping: Mapping[str, str]) -> tuple[str, list[list[Any]]]:
    lines = text[: 1 << 16].split("\n")[:HEADER_SCAN_ROWS]
    # a carriage return left inside a line (an old Mac line end, a damaged file) would stop
    # the csv module ("new-line character seen in unquoted field"): it separates nothing here
    lines = [line.rstrip("\r").replace("\r", " ") for line in lines]
    best: tuple[int, str, list[list[Any]]] = (-1, ";", [])
    for delimiter in _DELIMITERS:
        try:
            rows: list[list[Any]] = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue  # not readable with this delimiter; the others are tried
        score = max((_header_score(r, mapping) for r in rows), default=0)
        if score > best[0]:
            best = (score, delimiter, rows)
    return best[1], best[2]


def _csv_body(
    text: str, delimiter: str, layout: SheetLayout, filename: str
) -> tuple[dict[str, pa.Array], int]:
    fields = sorted(layout.columns.items(), key=lambda x: x[1])
    # From the header line on, so that the first line read has every column of the header.
    body = text.split("\n", layout.header_line - 1)[-1].encode("utf-8")
    options: dict[str, Any] = {
        "separator": delimiter,
        "has_header": False,
        "infer_schema": False,
        "truncate_ragged_lines": True,
        "raise_if_empty": False,
    }
    try:
        names = polars.read_csv(body, n_rows=1, **options).columns
        if fields and fields[-1][1] >= len(names):
            # the header found in the first lines (split at line ends) is not the line polars
            # reads there: a quote opened before it runs over the line end
            raise polars.exceptions.ComputeError("the header line has fewer columns")
        wanted = [names[index] for _, index in fields]
        frame = polars.read_csv(
            body,
            columns=wanted,
            schema_overrides=dict.fromkeys(wanted, polars.Categorical),  # encoded while read
            **options,
        )
    except polars.exceptions.PolarsError:  # a quote that is never closed, or the like
        raise ScheduleError(
            [f"{filename}: CSV-filen kan inte läsas; kontrollera citattecken och avgränsare."],
            filename,
        ) from None
    table = frame.to_arrow().slice(1).select(wanted).rename_columns([f for f, _ in fields])
    return {fld: table.column(fld) for fld, _ in fields}, table.num_rows


# --------------------------------------------------------------------------- the table


def _as_text(array: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Return a column as text the cell parsers read back the same (for mixed sheets)."""
    if pa.types.is_timestamp(array.type):
        return pc.strftime(array, format="%Y-%m-%d %H:%M:%S")
    if pa.types.is_duration(array.type):
        minutes = pc.divide(array.cast(pa.int64()), 60_000)
        return pc.binary_join_element_wise(
            pc.divide(minutes, 60).cast(pa.string()),
            pc.utf8_lpad(pc.remainder(minutes, 60).cast(pa.string()), 2, "0"),
            ":",
        )
    return array.cast(pa.string())


def _combine(
    bodies: list[tuple[SheetLayout, dict[str, pa.Array], int]],
) -> pa.Table:
    names = sorted({n for _, cols, _ in bodies for n in cols})
    types: dict[str, set[pa.DataType]] = {n: set() for n in names}
    for _, cols, _ in bodies:
        for n, array in cols.items():
            if array is not None and not pa.types.is_null(array.type):
                types[n].add(array.type)
    parts = []
    for layout, cols, rows in bodies:
        arrays: dict[str, Any] = {
            "sheet": pa.array(np.full(rows, layout.position, dtype=np.int16)),
            "line": pa.array(
                np.arange(layout.header_line + 1, layout.header_line + 1 + rows, dtype=np.int32)
            ),
        }
        for n in names:
            array = cols.get(n)
            wanted = next(iter(types[n])) if len(types[n]) == 1 else pa.string()
            if array is None or pa.types.is_null(array.type):
                arrays[n] = pa.nulls(rows, wanted)
            elif array.type != wanted:
                arrays[n] = _as_text(array)
            else:
                arrays[n] = array
        parts.append(pa.table(arrays))
    table = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
    # Each field as one dictionary-encoded array: few distinct values, small to hand over.
    for n in names:
        column = table.column(n).combine_chunks()
        if n.startswith("name"):
            column = _pseudonyms(column)
        elif pa.types.is_dictionary(column.type):  # read as categorical (CSV)
            column = pa.DictionaryArray.from_arrays(
                column.indices.cast(pa.int32()), column.dictionary
            )
        elif not n.endswith(RAW_SUFFIX) and not pa.types.is_null(column.type):
            column = pc.dictionary_encode(column)
        table = table.set_column(table.schema.get_field_index(n), n, column)
    return table


def _pseudonyms(column: pa.Array) -> pa.Array:
    """Return a name column with every name replaced by a keyed hash of it as compared
    (`norm`), so that people can be counted but no name leaves the reader."""
    if pa.types.is_null(column.type):
        return column
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    encoded = pc.dictionary_encode(column.cast(pa.string()))
    key = secrets.token_bytes(16)  # per reading: the hashes cannot be matched across files
    hashed = [
        hashlib.blake2b(norm(v).encode(), key=key, digest_size=8).hexdigest()
        if v is not None and norm(v)
        else None
        for v in encoded.dictionary.to_pylist()
    ]
    return pa.DictionaryArray.from_arrays(encoded.indices, pa.array(hashed, pa.string()))


def _layout_meta(layout: SheetLayout) -> dict[str, Any]:
    return {
        "position": layout.position,
        "name": layout.name,
        "header_line": layout.header_line,
        "cells": layout.cells,
        "columns": layout.columns,
    }


def read_table(data: bytes, filename: str, mapping: Mapping[str, str] | None = None) -> pa.Table:
    """Read the columns used of every sheet with a header row into one Arrow table.

    Columns: `sheet` (position), `line` (row as the user sees it), one per field found
    (dictionary-encoded, values typed as read) and `<field>#raw` with the cells the typed
    reader could not convert. Names are replaced by keyed hashes: they can be counted, and
    no name leaves this function. The
    schema's metadata (`table_meta`) holds each sheet's header, the sheets skipped and notes
    such as a fallback reader. Raise `ScheduleError` in Swedish.
    """
    explicit = clean_mapping(mapping)
    kind = _check_kind(data, filename)
    notes: list[str] = []
    meta: dict[str, Any] = {"filename": filename, "kind": kind}
    if kind == "text":
        text, encoding = _decode(data)
        delimiter, rows = _csv_head(text, explicit)
        found, skipped = _layouts([_Head(0, "", rows)], filename, explicit)
        bodies = [(found[0], *_csv_body(text, delimiter, found[0], filename))]
        meta |= {"encoding": encoding, "delimiter": delimiter}
    else:
        try:
            reader = fastexcel.read_excel(data)
            try:
                heads = _xlsx_heads(data) if kind == "xlsx" else _fastexcel_heads(reader)
            except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile):
                heads = _fastexcel_heads(reader)
            if not heads or all(not any(r) for h in heads for r in h.rows):
                raise ScheduleError([f"{filename}: arbetsboken är tom."], filename)
            found, skipped = _layouts(heads, filename, explicit)
            bodies = [
                (layout, *_fastexcel_body(reader, layout))
                for layout in found
                if not missing_fields(layout.columns)
            ]
        except ScheduleError:
            raise
        except BaseException as exc:  # fastexcel could not read it: try the slower readers
            if not reader_failed(exc):
                raise
            found, skipped, bodies, engine = _fallback(data, kind, filename, explicit)
            notes.append(
                f"Filen lästes med reservläsaren {engine} eftersom den snabba läsaren inte "
                "klarade den; resultatet är detsamma men inläsningen tar längre tid."
            )
    bodies = [b for b in bodies if not missing_fields(b[0].columns)]
    table = (
        _combine(bodies)
        if bodies
        else pa.table({"sheet": pa.array([], pa.int16()), "line": pa.array([], pa.int32())})
    )
    meta |= {"sheets": [_layout_meta(x) for x in found], "skipped": skipped, "notes": notes}
    return table.replace_schema_metadata({META_KEY: json.dumps(meta, ensure_ascii=False)})


def table_meta(table: pa.Table) -> dict[str, Any]:
    """Return what `read_table` put in the table's metadata."""
    meta: dict[str, Any] = json.loads((table.schema.metadata or {})[META_KEY])
    return meta


def sheet_layouts(table: pa.Table) -> list[SheetLayout]:
    """Return the layout of every sheet with a header row, as `read_table` found them."""
    return [
        SheetLayout(
            position=int(s["position"]),
            name=str(s["name"]),
            header_line=int(s["header_line"]),
            cells=list(s["cells"]),
            columns={str(k): int(v) for k, v in s["columns"].items()},
        )
        for s in table_meta(table)["sheets"]
    ]


def table_to_ipc(table: pa.Table) -> bytes:
    """Return the table as Arrow IPC stream bytes (to hand it across a process boundary)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def table_from_ipc(data: bytes) -> pa.Table:
    """Return the table written by `table_to_ipc`."""
    with pa.ipc.open_stream(pa.py_buffer(data)) as stream:
        return stream.read_all()


def read_table_ipc(data: bytes, filename: str, mapping: Mapping[str, str] | None = None) -> bytes:
    """Return `read_table` as Arrow IPC bytes: the function a guarded child process runs."""
    return table_to_ipc(read_table(data, filename, mapping))


def _heads_only(data: bytes, filename: str, mapping: Mapping[str, str]) -> list[SheetLayout]:
    kind = _check_kind(data, filename)
    if kind == "text":
        text, _ = _decode(data)
        _, rows = _csv_head(text, mapping)
        return _layouts([_Head(0, "", rows)], filename, mapping)[0]
    try:
        if kind == "xlsx":
            try:
                return _layouts(_xlsx_heads(data), filename, mapping)[0]
            except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile):
                pass
        heads = _fastexcel_heads(fastexcel.read_excel(data))
    except ScheduleError:
        raise
    except BaseException as exc:  # fastexcel could not read it (or panicked)
        if not reader_failed(exc):
            raise
        return _fallback(data, kind, filename, mapping)[0]
    if not heads or all(not any(r) for h in heads for r in h.rows):
        raise ScheduleError([f"{filename}: arbetsboken är tom."], filename)
    return _layouts(heads, filename, mapping)[0]


def inspect_schedule(
    source: str | Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> ScheduleLayout:
    """Find the header row and the column of each field, for the page's mapping editor."""
    data, name = source_bytes(source, filename)
    explicit = clean_mapping(mapping)
    layout = _heads_only(data, name, explicit)[0]
    return ScheduleLayout(
        filename=name,
        sheet=layout.name,
        header_row=layout.header_line,
        headers=[h for h in layout.cells if h],
        mapping=detect_mapping(layout.cells, explicit),
        missing=missing_fields(layout.columns),
    )
