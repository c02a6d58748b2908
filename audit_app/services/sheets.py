"""Reading spreadsheets people upload, with Swedish errors that name file, sheet, row and column."""

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineWorkbook

from audit_app.errors import FieldError, ValidationFailed

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def cell_ref(sheet: str, row: int, column: str) -> str:
    """Say where a cell is the way a person finds it in Excel: sheet, row, column header."""
    return f'Blad "{sheet}", rad {row}, kolumn "{column}"'


def cell_error(sheet: str, row: int, column: str, message: str) -> FieldError:
    return FieldError(f"{sheet}!{row}!{column}", f"{cell_ref(sheet, row, column)}: {message}")


def sniff_workbook(data: bytes, filename: str) -> str:
    """Return 'xlsx', 'xls' or 'ods', or raise a Swedish error about what the file really is."""
    if not data:
        raise ValidationFailed([f"Filen {filename!r} är tom."])
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data[:200_000] or ENCRYPTED_MARK in data:
            raise ValidationFailed(
                [
                    f"Filen {filename!r} är lösenordsskyddad. Spara den utan lösenord i Excel "
                    "(Arkiv > Info > Skydda arbetsbok > Kryptera med lösenord: töm fältet) "
                    "och ladda upp den igen."
                ]
            )
        return "xls"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names and b"spreadsheet" in zf.read("mimetype"):
                    return "ods"
        except zipfile.BadZipFile:
            pass
    raise ValidationFailed(
        [
            f"Filen {filename!r} är ingen Excel-fil (.xlsx, .xls eller .ods). Kontrollera att du "
            "valt rätt fil och att den är sparad i Excel-format."
        ]
    )


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]


def read_workbook(data: bytes, filename: str) -> dict[str, Sheet]:
    """Read every sheet of an Excel/ODS file into lists of cell values (calamine)."""
    sniff_workbook(data, filename)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {
            name: Sheet(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in wb.sheet_names
        }
    except Exception as exc:  # calamine raises several types for damaged files
        raise ValidationFailed(
            [
                f"Filen {filename!r} kunde inte läsas som Excel-fil ({type(exc).__name__}). "
                "Öppna den i Excel, spara den på nytt som .xlsx och försök igen."
            ]
        ) from exc


def cell_text(value: Any) -> str:
    """Return a cell as trimmed text ('' for empty); whole floats lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_header(
    rows: list[list[Any]], required: list[str], max_scan: int = 30
) -> tuple[int, dict[str, int]] | None:
    """Find the first row holding all `required` headers (case-insensitive); return index, map."""
    wanted = {h.lower(): h for h in required}
    for index, row in enumerate(rows[:max_scan]):
        names = {cell_text(v).lower(): i for i, v in enumerate(row) if cell_text(v)}
        if all(w in names for w in wanted):
            return index, {cell_text(v): i for i, v in enumerate(row) if cell_text(v)}
    return None
