"""What a file is by its bytes, never by its name: magic numbers, zip member names, the
OpenDocument mimetype member."""

from __future__ import annotations

import codecs
import struct
from collections.abc import Collection

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
WORKBOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

KIND_TEXT = {
    "xlsx": "en Excel-fil (.xlsx)",
    "xlsb": "en binär Excel-fil (.xlsb)",
    "xls": "en äldre Excel-fil (.xls)",
    "ods": "ett OpenDocument-kalkylblad (.ods)",
    "docx": "ett Word-dokument (.docx)",
    "odt": "ett OpenDocument-textdokument (.odt)",
    "pptx": "en PowerPoint-presentation",
    "zip": "ett zip-arkiv",
    "encrypted": "en lösenordsskyddad Office-fil",
    "ole": "en äldre Office-fil (t.ex. .doc)",
    "pdf": "en PDF-fil",
    "html": "en webbsida (HTML)",
    "image": "en bild",
    "text": "en textfil",
    "binary": "en binärfil",
    "empty": "en tom fil",
}
"""How each kind is named in a sentence: 'Filen x.xlsx är <text>'."""

WORKBOOKS = frozenset({"xlsx", "xls", "ods"})
"""The kinds read as workbooks (calamine)."""


def magic_kind(data: bytes) -> str:
    """Return the kind told by the first bytes; every zip archive is 'zip' here."""
    if not data or data.isspace():
        return "empty"
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data:
            return "encrypted"
        return "xls" if any(mark in data for mark in WORKBOOK_STREAMS) else "ole"
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    head = data[:4096]
    if b"\x00" in head:
        return "binary"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<table")):
        return "html"
    return "text"


def zip_kind(names: Collection[str], mimetype: bytes) -> str:
    """Return the Office kind of a zip archive from its member names and mimetype member."""
    if "EncryptedPackage" in names:
        return "encrypted"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    if b"opendocument.text" in mimetype:
        return "odt"
    return "zip"


def declared_entries(data: bytes) -> int | None:
    """Return the number of members the zip's end record declares (None if there is none)."""
    tail_start = max(0, len(data) - 22 - 65_535)
    at = data.rfind(b"PK\x05\x06", tail_start)
    if at < 0 or at + 22 > len(data):
        return None
    (entries,) = struct.unpack_from("<H", data, at + 10)
    locator = at - 20
    if entries == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if data[record : record + 4] == b"PK\x06\x06":
            (entries,) = struct.unpack_from("<Q", data, record + 32)
    return int(entries)
