"""Schedule files to tables: xlsx/xls/ods through calamine, CSV in any common dialect and
encoding, file types told by their content, and the header row found in each sheet."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from audit_app.services.staffing.columns import (
    clean_mapping,
    detect_mapping,
    header_text,
    missing_fields,
    resolve_columns,
)
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.rules import norm

HEADER_SCAN_ROWS = 50
"""The header row is looked for among the first rows of each sheet."""

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


@dataclass
class Table:
    """One sheet (or the CSV file) as read: every cell, no header taken yet."""

    sheet: str
    frame: pd.DataFrame  # header=None, every cell as read
    line_numbers: np.ndarray  # 1-based row of each frame row as the user sees it


@dataclass
class ScheduleLayout:
    """Where the header is and which column holds which field (for the mapping editor)."""

    filename: str
    sheet: str
    header_row: int
    headers: list[str]
    mapping: dict[str, str]
    missing: list[str]


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
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
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


def _load_tables(data: bytes, filename: str, mapping: Mapping[str, str]) -> list[Table]:
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
    expected = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".csv": "text"}
    if suffix not in expected:
        raise ScheduleError(
            [
                f"{filename}: filtypen {suffix or '(ingen)'} stöds inte; använd .xlsx, .xls, .ods "
                "eller .csv."
            ],
            filename,
        )
    if kind != expected[suffix]:
        raise ScheduleError(
            [
                f"{filename}: filen har ändelsen {suffix} men är {_KIND_TEXT[kind]}. Spara den i "
                "rätt format eller byt ändelse och försök igen."
            ],
            filename,
        )
    if suffix == ".csv":
        return [_read_csv(data, filename, mapping)]
    return _read_workbook(data, filename)


def _read_workbook(data: bytes, filename: str) -> list[Table]:
    try:
        sheets = pd.read_excel(io.BytesIO(data), engine="calamine", header=None, sheet_name=None)
    except Exception as exc:  # calamine raises several types for damaged files
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            text = "arbetsboken är lösenordsskyddad; spara den utan lösenord och försök igen."
        else:
            text = "filen kunde inte läsas som kalkylblad; öppna den och spara den på nytt."
        raise ScheduleError([f"{filename}: {text}"], filename) from None
    tables = []
    for name, frame in sheets.items():
        frame = frame.reset_index(drop=True)
        tables.append(Table(str(name), frame, np.arange(1, len(frame) + 1)))
    if not tables or all(t.frame.empty for t in tables):
        raise ScheduleError([f"{filename}: arbetsboken är tom."], filename)
    return tables


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")  # Excel's "Unicode text"
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_csv(data: bytes, filename: str, mapping: Mapping[str, str]) -> Table:
    text = _decode(data)
    head = text[: 1 << 16].splitlines()[:HEADER_SCAN_ROWS]
    best: tuple[int, str] = (-1, ";")
    for delimiter in (";", "\t", ","):
        rows = list(csv.reader(head, delimiter=delimiter))
        score = max((_header_score(r, mapping) for r in rows), default=0)
        if score > best[0]:
            best = (score, delimiter)
    delimiter = best[1]
    width = max((line.count(delimiter) for line in head), default=0) + 1
    for _attempt in range(10):
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=None,
                names=range(width),
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
                index_col=False,
                engine="c",
            )
            break
        except (pd.errors.ParserError, ValueError) as exc:
            wider = re.search(r"Expected \d+ fields in line \d+, saw (\d+)", str(exc))
            if wider and int(wider.group(1)) > width:
                width = int(wider.group(1))  # a later line has more fields than the head
                continue
            line = re.search(r"line (\d+)", str(exc))
            where = f" (rad {line.group(1)})" if line else ""
            raise ScheduleError(
                [
                    f"{filename}: CSV-filen kan inte läsas{where}; kontrollera citattecken och "
                    "avgränsare."
                ],
                filename,
            ) from None
    else:
        raise ScheduleError([f"{filename}: CSV-filen har för ojämnt antal fält per rad."], filename)
    return Table("", frame, np.arange(1, len(frame) + 1))


def _header_score(cells: Sequence[Any], mapping: Mapping[str, str]) -> int:
    """Return how many fields a row names as headers; 0 unless it has date and time."""
    if sum(1 for c in cells if header_text(c)) < 2:
        return 0
    columns = resolve_columns(list(cells), mapping)
    wanted = [h for h in mapping.values() if h]
    present = {norm(header_text(c)) for c in cells}
    if any(norm(h) not in present for h in wanted):
        return 0
    has_time = "range" in columns or ("start" in columns and "end" in columns)
    if "date" not in columns or not has_time:
        return 0
    return len(columns)


def _find_header(table: Table, mapping: Mapping[str, str]) -> int | None:
    best, best_row = 0, None
    head = table.frame.head(HEADER_SCAN_ROWS)
    for position, row in enumerate(head.itertuples(index=False, name=None)):
        score = _header_score(row, mapping)
        if score > best:
            best, best_row = score, position
    return best_row


def _no_header_message(filename: str, mapping: Mapping[str, str], sheet: str) -> str:
    where = f", blad {sheet}" if sheet else ""
    wanted = [h for h in mapping.values() if h]
    extra = f" (och de angivna rubrikerna {', '.join(repr(h) for h in wanted)})" if wanted else ""
    return (
        f"{filename}{where}: hittar ingen rubrikrad med kolumner för datum och tid{extra} bland "
        f"de första {HEADER_SCAN_ROWS} raderna. Väntade rubriker: Datum; Start/Från och "
        "Slut/Till eller Tid; Befattning; Avdelning."
    )


def layouts(
    data: bytes, filename: str, mapping: Mapping[str, str]
) -> tuple[list[tuple[Table, int, dict[str, int]]], list[str]]:
    """Return (table, header row, field -> column) per usable sheet, and skipped sheets."""
    tables = _load_tables(data, filename, mapping)
    found = []
    skipped = []
    for table in tables:
        row = _find_header(table, mapping)
        if row is not None:
            headers = list(table.frame.iloc[row])
            found.append((table, row, resolve_columns(headers, mapping)))
        elif not table.frame.dropna(how="all").empty:
            skipped.append(table.sheet)
    if not found:
        nonempty = [t for t in tables if not t.frame.dropna(how="all").empty]
        if not nonempty:
            raise ScheduleError([f"{filename}: filen innehåller inga rader."], filename)
        sheet = nonempty[0].sheet if len(tables) > 1 else ""
        raise ScheduleError([_no_header_message(filename, mapping, sheet)], filename)
    return found, skipped


def inspect_schedule(
    source: str | Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> ScheduleLayout:
    """Find the header row and the column of each field, for the page's mapping editor."""
    data, name = source_bytes(source, filename)
    explicit = clean_mapping(mapping)
    table, row, columns = layouts(data, name, explicit)[0][0]
    cells = list(table.frame.iloc[row])
    return ScheduleLayout(
        filename=name,
        sheet=table.sheet,
        header_row=int(table.line_numbers[row]),
        headers=[h for h in (header_text(c) for c in cells) if h],
        mapping=detect_mapping(cells, explicit),
        missing=missing_fields(columns),
    )
