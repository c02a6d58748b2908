"""Reading spreadsheets people upload, with Swedish errors that name file, sheet, row and column."""

import io
import logging
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineWorkbook

from audit_app.errors import FieldError, ValidationFailed
from audit_app.services.untrusted.checks import check_upload
from audit_app.services.untrusted.sniff import WORKBOOKS

log = logging.getLogger(__name__)


def cell_ref(sheet: str, row: int, column: str) -> str:
    """Say where a cell is the way a person finds it in Excel: sheet, row, column header."""
    return f'Blad "{sheet}", rad {row}, kolumn "{column}"'


def cell_error(sheet: str, row: int, column: str, message: str) -> FieldError:
    return FieldError(f"{sheet}!{row}!{column}", f"{cell_ref(sheet, row, column)}: {message}")


def sniff_workbook(data: bytes, filename: str) -> str:
    """Return 'xlsx', 'xls' or 'ods', or raise a Swedish error about what the file really is.

    The same checks as before any upload is parsed: size, kind by content, zip members and
    declared sheet dimensions (`untrusted.checks`).
    """
    return check_upload(data, filename, WORKBOOKS)


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]


def reader_failed(exc: BaseException) -> bool:
    """Whether an exception from a reading library means the file could not be read: any
    Exception, or a panic in a Rust reader (calamine, fastexcel), which pyo3 raises as a
    PanicException derived from BaseException. Interrupts and exits are not failures."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def read_workbook(data: bytes, filename: str) -> dict[str, Sheet]:
    """Read every sheet of an Excel/ODS file into lists of cell values (calamine)."""
    sniff_workbook(data, filename)
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {
            name: Sheet(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in wb.sheet_names
        }
    except BaseException as exc:  # calamine raises several types, or panics, on damaged files
        if not reader_failed(exc):
            raise
        log.info("calamine could not read %s: %r", filename, exc)
        raise ValidationFailed(
            [
                f"Filen {filename!r} kunde inte läsas som Excel-fil. "
                "Öppna den i Excel, spara den på nytt som .xlsx och försök igen."
            ]
        ) from None


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
