"""The first rows of every sheet of an .xlsx read straight from its XML, without loading the
sheets: finding the header row costs no full parse of a large workbook."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import iterparse

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if not char.isalpha():
            break
        index = index * 26 + ord(char.upper()) - 64
    return index - 1


def _xml_rows(stream: IO[bytes], limit: int) -> Iterator[tuple[int, list[tuple[int, str, str]]]]:
    """Yield (0-based row, [(column, type, value)]) of a worksheet's first `limit` rows."""
    row_number, column = -1, -1
    cells: list[tuple[int, str, str]] = []
    kind, value = "", ""
    for event, element in iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{_MAIN_NS}row":
                given = element.get("r")
                row_number = int(given) - 1 if given else row_number + 1
                if row_number >= limit:
                    return
                cells, column = [], -1
            elif tag == f"{_MAIN_NS}c":
                ref = element.get("r")
                column = _column_index(ref) if ref else column + 1
                kind, value = element.get("t", "n"), ""
            continue
        if tag in (f"{_MAIN_NS}v", f"{_MAIN_NS}t"):
            value += element.text or ""
        elif tag == f"{_MAIN_NS}c":
            cells.append((column, kind, value))
        elif tag == f"{_MAIN_NS}row":
            yield row_number, cells
        element.clear()


def _shared_strings(zf: zipfile.ZipFile, wanted: int) -> list[str]:
    """Return the workbook's shared strings up to index `wanted` (they can be many)."""
    out: list[str] = []
    if wanted < 0 or "xl/sharedStrings.xml" not in zf.namelist():
        return out
    text, in_phonetic = "", False
    with zf.open("xl/sharedStrings.xml") as stream:
        for event, element in iterparse(stream, events=("start", "end")):
            tag = element.tag
            if tag == f"{_MAIN_NS}rPh":
                in_phonetic = event == "start"
            elif event == "end" and tag == f"{_MAIN_NS}t" and not in_phonetic:
                text += element.text or ""
            elif event == "end" and tag == f"{_MAIN_NS}si":
                out.append(text)
                text = ""
                element.clear()
                if len(out) > wanted:
                    break
    return out


def _xlsx_sheets(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Return (name, part path) of every worksheet in workbook order."""
    rels = {}
    with zf.open("xl/_rels/workbook.xml.rels") as stream:
        for _, element in iterparse(stream):
            if element.tag == f"{_PKG_REL_NS}Relationship":
                target = element.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                rels[element.get("Id")] = (path, element.get("Type", ""))
    sheets = []
    with zf.open("xl/workbook.xml") as stream:
        for _, element in iterparse(stream):
            if element.tag == f"{_MAIN_NS}sheet":
                path, kind = rels[element.get(f"{_REL_NS}id")]
                if not kind.endswith("/worksheet"):
                    raise ValueError("not a worksheet")  # chart sheets: let calamine decide
                sheets.append((element.get("name", ""), path))
    return sheets


def xlsx_heads(data: bytes, limit: int) -> list[tuple[str, list[list[Any]]]]:
    """Return (sheet name, first `limit` rows, every cell by absolute column) of each sheet;
    raise KeyError, ValueError or SyntaxError when the package is not as expected."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        raw: list[tuple[str, dict[int, list[tuple[int, str, str]]]]] = []
        wanted = -1
        for name, path in _xlsx_sheets(zf):
            with zf.open(path) as stream:
                rows = dict(_xml_rows(stream, limit))
            raw.append((name, rows))
            for cells in rows.values():
                wanted = max([wanted, *(int(v) for _, k, v in cells if k == "s" and v)])
        strings = _shared_strings(zf, wanted)
    heads = []
    for name, rows in raw:
        table: list[list[Any]] = []
        for number in range(max(rows, default=-1) + 1):
            cells = rows.get(number, [])
            width = max((c for c, _, _ in cells), default=-1) + 1
            row: list[Any] = [None] * width
            for column, kind, value in cells:
                row[column] = _xml_value(kind, value, strings)
            table.append(row)
        heads.append((name, table))
    return heads


def _xml_value(kind: str, value: str, strings: list[str]) -> Any:
    if kind == "s":
        return strings[int(value)] if value and int(value) < len(strings) else None
    if kind in ("str", "inlineStr", "e", "d"):
        return value
    try:
        return float(value) if value else None
    except ValueError:
        return value
