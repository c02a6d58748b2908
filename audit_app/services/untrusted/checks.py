"""Checks before parsing, by content and declared size: nothing here unpacks more than the
first kilobytes of a sheet.

- every file: not empty, not over the size cap, of a kind the caller accepts (by its bytes);
- zip archives (xlsx, ods, docx): member count, declared unpacked size of all members,
  unpacking ratio of each member, members that overlap (a zip bomb), encryption;
- xlsx: each sheet's declared `dimension`, counted from A1 as the readers fill it: rows,
  columns and cells over all sheets;
- text (CSV): the number of lines.

What the declarations do not tell (a sheet without a dimension, ODS repeats, xls) is caught by
the memory and time limits of the guarded child that parses the file.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise

from audit_app.domain.svtext import sv_join, sv_number
from audit_app.services.untrusted.errors import FileRejected
from audit_app.services.untrusted.limits import MB, FileLimits, file_limits
from audit_app.services.untrusted.sniff import KIND_TEXT, declared_entries, magic_kind, zip_kind

SHEET_HEAD_BYTES = 64 * 1024
"""How much of a sheet's XML is unpacked to find its dimension (it comes before the cells)."""

RATIO_FLOOR = MB
"""Members smaller than this (declared) are not ratio-checked: small XML packs very well."""

_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']+)[\"']")
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
# zipfile raises ValueError too on a damaged member (e.g. "negative seek value" from a bad offset)
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    NotImplementedError,
    RuntimeError,
    EOFError,
    ValueError,
)
"""What reading a damaged or odd zip member raises."""
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb"([\w:]+)\s*=\s*\"([^\"]*)\"")
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


@dataclass(frozen=True)
class SheetExtent:
    """A sheet's declared dimension, as the number of rows and columns counted from A1."""

    sheet: str
    ref: str
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def _mb(size: int) -> str:
    return sv_number(size / MB, 0 if size >= 10 * MB else 1)


def _reject(filename: str, message: str) -> FileRejected:
    return FileRejected(filename, [f"Filen {filename} {message}"])


def check_upload(
    data: bytes,
    filename: str,
    accept: Collection[str],
    *,
    limits: FileLimits | None = None,
    max_bytes: int | None = None,
    max_unpacked: int | None = None,
) -> str:
    """Check a file before it is parsed; return its kind (see `sniff.KIND_TEXT`).

    Raise `FileRejected` in Swedish, naming the file (and the sheet), when it is empty, too
    big, not of an accepted kind, a suspicious zip archive, or declares too big sheets.
    """
    limits = limits or file_limits()
    cap = max_bytes or limits.upload_bytes
    kind = magic_kind(data)
    if kind == "empty":
        if kind in accept:
            return kind
        raise _reject(filename, "är tom.")
    if len(data) > cap:
        raise _reject(filename, f"är {_mb(len(data))} MB; högst {_mb(cap)} MB tas emot.")
    archive: zipfile.ZipFile | None = None
    if kind == "zip":
        archive = _open_zip(data, filename, limits)
        kind = zip_kind(archive.namelist(), _mimetype(archive))
    if kind == "encrypted" and kind not in accept:
        raise _reject(
            filename,
            "är lösenordsskyddad. Spara den utan lösenord (Arkiv > Info > Skydda) och försök igen.",
        )
    if kind not in accept:
        wanted = sv_join([text for k, text in KIND_TEXT.items() if k in accept], "eller")
        raise _reject(
            filename,
            f"är {KIND_TEXT[kind]}, inte {wanted}. Kontrollera att du valt rätt fil och att den "
            "är sparad i rätt format.",
        )
    if archive is not None:
        _check_members(archive, filename, len(data), limits, max_unpacked)
        if kind == "xlsx":
            check_extents(sheet_extents(archive), filename, limits)
    if kind == "text":
        lines = data.count(b"\n") + 1
        if lines > limits.sheet_rows:
            raise _reject(
                filename,
                f"har {sv_number(lines)} rader; högst {sv_number(limits.sheet_rows)} tas emot.",
            )
    return kind


def _open_zip(data: bytes, filename: str, limits: FileLimits) -> zipfile.ZipFile:
    entries = declared_entries(data)
    if entries is not None and entries > limits.zip_members:
        raise _reject(
            filename,
            f"innehåller {sv_number(entries)} delfiler; högst {sv_number(limits.zip_members)} "
            "tas emot. Den är inte ett vanligt Office-dokument.",
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise _reject(
            filename,
            "är skadad (en trasig zip-fil) och kan inte läsas. Öppna den i programmet den "
            "skapades i, spara den på nytt och försök igen.",
        ) from None


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    try:
        info = archive.getinfo("mimetype")
    except KeyError:
        return b""
    if info.file_size > 200:
        return b""
    try:
        with archive.open(info) as member:
            return member.read(200)
    except _UNREADABLE:
        return b""


def _check_members(
    archive: zipfile.ZipFile,
    filename: str,
    size: int,
    limits: FileLimits,
    max_unpacked: int | None,
) -> None:
    infos = archive.infolist()
    if len(infos) > limits.zip_members:
        raise _reject(
            filename,
            f"innehåller {sv_number(len(infos))} delfiler; högst "
            f"{sv_number(limits.zip_members)} tas emot.",
        )
    cap = max_unpacked or limits.zip_unpacked_bytes
    total = packed = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _reject(
                filename,
                "är lösenordsskyddad. Spara den utan lösenord och försök igen.",
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _reject(
                filename,
                f"använder en ovanlig komprimering (delfilen {info.filename}). Spara den på "
                "nytt i Office och försök igen.",
            )
        total += info.file_size
        packed += info.compress_size
        if info.header_offset + info.compress_size > size:
            raise _reject(filename, "är skadad (en delfil slutar efter filens slut).")
        if info.file_size > RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.zip_ratio:
                raise _reject(
                    filename,
                    f"ser ut som en zip-bomb: delfilen {info.filename} packas upp till "
                    f"{_mb(info.file_size)} MB, {sv_number(ratio, 0)} gånger sin packade storlek "
                    f"(högst {sv_number(limits.zip_ratio, 0)} gånger). Den läses inte.",
                )
    if packed > size or _overlapping(infos):
        raise _reject(
            filename,
            "ser ut som en zip-bomb: delfilerna överlappar varandra. Den läses inte.",
        )
    if total > cap:
        raise _reject(
            filename,
            f"packas upp till {_mb(total)} MB; högst {_mb(cap)} MB tas emot. Ta bort onödiga "
            "blad och bilder, eller dela upp filen.",
        )


def _overlapping(infos: list[zipfile.ZipInfo]) -> bool:
    """Tell whether two members' data share bytes (each needs its 30-byte header + data)."""
    spans = sorted((i.header_offset, i.header_offset + 30 + i.compress_size) for i in infos)
    return any(end > following for (_, end), (following, _) in pairwise(spans))


# --------------------------------------------------------------------------- xlsx dimensions


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def parse_ref(ref: str) -> tuple[int, int] | None:
    """Return (rows, columns) from A1 to the last cell of a range like 'A1:XFD1048576'."""
    last = ref.strip().split(":")[-1]
    match = _CELL.match(last)
    if match is None:
        return None
    return int(match.group(2)), _column_number(match.group(1))


def _attrs(element: bytes) -> dict[str, str]:
    return {
        k.decode("ascii", "replace").split(":")[-1]: v.decode("utf-8", "replace")
        for k, v in _ATTR.findall(element)
    }


def _small_member(archive: zipfile.ZipFile, name: str, cap: int = 4 * MB) -> bytes:
    try:
        info = archive.getinfo(name)
        if info.file_size > cap:
            return b""
        with archive.open(info) as member:
            return member.read(cap)
    except (KeyError, *_UNREADABLE):
        return b""


def _sheet_members(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Return (sheet name, member path) of each worksheet, in the workbook's order."""
    targets: dict[str, str] = {}
    for element in _RELATION.findall(_small_member(archive, "xl/_rels/workbook.xml.rels")):
        attrs = _attrs(element)
        target = attrs.get("Target", "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attrs.get("Id", "")] = path
    found = []
    for element in _SHEET.findall(_small_member(archive, "xl/workbook.xml")):
        attrs = _attrs(element)
        member = targets.get(attrs.get("id", ""))
        if member:
            found.append((attrs.get("name", member), member))
    names = set(archive.namelist())
    known = {path for _, path in found}
    found = [(sheet, path) for sheet, path in found if path in names]
    found += [
        (name, name)
        for name in sorted(names)
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and name not in known
    ]
    return found


def sheet_extents(archive: zipfile.ZipFile) -> list[SheetExtent]:
    """Return the declared dimension of every worksheet that has one (its head only is read)."""
    extents = []
    for sheet, path in _sheet_members(archive):
        try:
            with archive.open(path) as member:
                head = member.read(SHEET_HEAD_BYTES)
        except (KeyError, *_UNREADABLE):
            continue  # a damaged member: the reader in the guarded child says so
        match = _DIMENSION.search(head)
        if match is None:
            continue
        ref = match.group(1).decode("ascii", "replace")
        size = parse_ref(ref)
        if size is not None:
            extents.append(SheetExtent(sheet, ref, *size))
    return extents


def check_extents(extents: list[SheetExtent], filename: str, limits: FileLimits) -> None:
    """Refuse sheets whose declared dimension is over the row, column or cell caps."""
    advice = (
        "Ta bort tomma rader och kolumner under och till höger om tabellen (markera dem, "
        "högerklicka, Ta bort) och spara filen på nytt."
    )
    for extent in extents:
        where = f'Filen {filename}, blad "{extent.sheet}"'
        size = (
            f"området {extent.ref} ({sv_number(extent.rows)} rader och "
            f"{sv_number(extent.columns)} kolumner)"
        )
        if extent.rows > limits.sheet_rows or extent.columns > limits.sheet_columns:
            raise FileRejected(
                filename,
                [
                    f"{where}: bladet anger {size}; högst {sv_number(limits.sheet_rows)} rader "
                    f"och {sv_number(limits.sheet_columns)} kolumner läses. {advice}"
                ],
            )
    total = sum(e.cells for e in extents)
    if total > limits.sheet_cells:
        biggest = max(extents, key=lambda e: e.cells)
        raise FileRejected(
            filename,
            [
                f"Filen {filename}: bladen anger tillsammans {sv_number(total)} celler (störst: "
                f'"{biggest.sheet}", {biggest.ref}); högst {sv_number(limits.sheet_cells)} '
                f"läses. {advice}"
            ],
        )
