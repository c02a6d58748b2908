"""Workbooks and archives made byte by byte for the tests of files from outside: a small xlsx
writer (inline strings, numbers, dates and times), and the hostile files the issue names."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

MB = 1024 * 1024
Cell = str | int | float | bool | dt.date | dt.time | None

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_EPOCH = dt.date(1899, 12, 30)


def column_letters(index: int) -> str:
    """Return the letters of a 1-based column number (1 -> A, 16384 -> XFD)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, dt.datetime):
        serial = (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
        return f'<c r="{ref}" s="1"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, dt.time):
        serial = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
        return f'<c r="{ref}" s="2"><v>{serial!r}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[Cell]], dimension: str | None = "auto", far: str = "") -> str:
    """Return a worksheet; `dimension` 'auto' declares the used range, None leaves it out."""
    body = []
    width = max((len(r) for r in rows), default=0)
    for number, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{column_letters(i)}{number}", v) for i, v in enumerate(row, 1))
        body.append(f'<row r="{number}">{cells}</row>')
    if far:
        digits = "".join(ch for ch in far if ch.isdigit())
        body.append(f'<row r="{digits}"><c r="{far}" t="inlineStr"><is><t>x</t></is></c></row>')
    if dimension == "auto":
        dimension = f"A1:{column_letters(max(width, 1))}{max(len(rows), 1)}"
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"<?xml version='1.0'?><worksheet {_NS}>{head}<sheetData>{''.join(body)}</sheetData></worksheet>"


def xlsx(
    sheets: dict[str, Sequence[Sequence[Cell]]] | None = None,
    *,
    dimension: str | None = "auto",
    far: str = "",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """Return a workbook with these sheets (name -> rows); `far` adds one cell far away."""
    sheets = sheets if sheets is not None else {"Blad1": [["a"]]}
    parts: dict[str, bytes] = {}
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{_MAIN}.sheet.main+xml"/>']
    entries, rels = [], []
    for number, (name, rows) in enumerate(sheets.items(), start=1):
        parts[f"xl/worksheets/sheet{number}.xml"] = sheet_xml(rows, dimension, far).encode()
        overrides.append(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" '
            f'ContentType="{_MAIN}.worksheet+xml"/>'
        )
        entries.append(f'<sheet name="{escape(name)}" sheetId="{number}" r:id="rId{number}"/>')
        rels.append(
            f'<Relationship Id="rId{number}" Type="{_DOC}/worksheet" '
            f'Target="worksheets/sheet{number}.xml"/>'
        )
    rels.append(f'<Relationship Id="rIdS" Type="{_DOC}/styles" Target="styles.xml"/>')
    parts["[Content_Types].xml"] = (
        f'<?xml version="1.0"?><Types xmlns="{_PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(overrides)
        + "</Types>"
    ).encode()
    parts["_rels/.rels"] = (
        f'<?xml version="1.0"?><Relationships xmlns="{_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ).encode()
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0"?><workbook {_NS} {_REL_NS}><sheets>{"".join(entries)}</sheets>'
        "</workbook>"
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0"?><Relationships xmlns="{_PKG}/relationships">'
        + "".join(rels)
        + "</Relationships>"
    ).encode()
    parts["xl/styles.xml"] = (
        f'<?xml version="1.0"?><styleSheet {_NS}><cellXfs count="3"><xf numFmtId="0"/>'
        '<xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="20" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ).encode()
    parts.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


# --------------------------------------------------------------------------- raw zip archives


def deflated_zeros(size_mb: int) -> tuple[bytes, int, int]:
    """Return (raw deflate data, CRC-32, size) of `size_mb` MB of zeros, cheaply: one fully
    flushed block of 1 MB of zeros repeated (each such block stands on its own)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(b"\0" * MB) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    zeros = b"\0" * MB
    for _ in range(size_mb):
        crc = zlib.crc32(zeros, crc)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return block * size_mb + final, crc, size_mb * MB


def raw_zip(members: list[tuple[str, bytes, int, int, int]], *, shared: bool = False) -> bytes:
    """Write a zip by hand: (name, stored data, method, crc, unpacked size) per member.

    With `shared`, every central-directory entry points at the first member's data (members
    that overlap, the trick of the smallest zip bombs).
    """
    out = io.BytesIO()
    offsets = []
    for number, (name, data, method, crc, size) in enumerate(members):
        encoded = name.encode()
        offsets.append(out.tell())
        if shared and number:
            continue  # only the first member's data is in the file
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded + data)
    start = out.tell()
    for (name, data, method, crc, size), offset in zip(members, offsets, strict=True):
        encoded = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offsets[0] if shared else offset,
            )
        )
        out.write(encoded)
    end = out.tell()
    count = len(members)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, end - start, start, 0))
    return out.getvalue()


def members_of(data: bytes) -> list[tuple[str, bytes, int, int, int]]:
    """Return the members of a zip as (name, deflated data, 8, crc, size) for `raw_zip`."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            plain = archive.read(info)
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = packer.compress(plain) + packer.flush()
            found.append((info.filename, packed, 8, zlib.crc32(plain), len(plain)))
    return found


def with_bomb(office_file: bytes, member: str, size_mb: int) -> bytes:
    """Return an Office file with one more member that inflates to `size_mb` MB of zeros."""
    data, crc, size = deflated_zeros(size_mb)
    return raw_zip([*members_of(office_file), (member, data, 8, crc, size)])


# --------------------------------------------------------------------------- the files


def huge_dimension_xlsx() -> bytes:
    """The 2 KB workbook with one cell at XFD1048576 that asked calamine for about 550 GB."""
    return xlsx({"Schema": [["Datum"]]}, dimension="A1:XFD1048576", far="XFD1048576")


def far_cell_without_dimension_xlsx() -> bytes:
    """The same far cell with no declared dimension, below a schedule's header and one shift
    (a reader that finds the header in the first rows reads on to the cell): only the guard's
    memory limit stops it."""
    rows: list[list[Cell]] = [
        ["Datum", "Start", "Slut", "Befattning", "Avdelning"],
        [dt.date(2026, 11, 2), dt.time(7), dt.time(15), "Undersköterska", "A"],
    ]
    return xlsx({"Schema": rows}, dimension=None, far="XFD1048576")


def styled_cells_xlsx(rows: int = 1_000_000, columns: int = 26) -> bytes:
    """A small file declaring a sheet of empty styled cells (the 8 MB workbook's shape)."""
    return xlsx({"Schema": [["Datum"]]}, dimension=f"A1:{column_letters(columns)}{rows}")


def deep_yaml(levels: int = 900, flow: bool = False) -> str:
    """YAML nested `levels` deep (the rules file that raised RecursionError)."""
    if flow:
        return "[" * levels + "]" * levels + "\n"
    return "".join(" " * i + f"k{i}:\n" for i in range(levels)) + " " * levels + "x: 1\n"


def alias_bomb_yaml(levels: int = 9) -> str:
    """A few lines whose aliases expand to 10**levels values ("billion laughs")."""
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, levels):
        refs = ", ".join(f"*a{i - 1}" for _ in range(10))
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def as_bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()
