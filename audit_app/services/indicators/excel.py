"""Indicator results from Excel: a workbook to fill in per contract, and its import.

Every error names the file, the sheet, the row and the column the way a person finds the cell
in Excel (services.sheets), all of them at once, and nothing is saved while one remains.
"""

import io
import re
import uuid
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlmodel import Session

from audit_app.auth import Actor, reads, require
from audit_app.db import fetch
from audit_app.domain.indicators import PERIOD_HELP, target_text
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import Contract, Indicator, IndicatorKind, IndicatorStatus
from audit_app.services.indicators.queries import list_indicators
from audit_app.services.indicators.store import (
    RECORD_RESULTS,
    ResultInput,
    check_result,
    record_results,
)
from audit_app.services.sheets import cell_error, cell_text, find_header, read_workbook
from audit_app.services.untrusted.checks import check_upload
from audit_app.services.untrusted.guard import run_guarded
from audit_app.services.untrusted.sniff import WORKBOOKS

SHEET = "Resultat"
COLUMNS = ["Indikator", "Period", "Värde", "Status", "Bedömning"]
REQUIRED = ["Indikator", "Period"]
_COLUMN_OF_FIELD = {"period": "Period", "value": "Värde", "status": "Status", "text": "Bedömning"}
_STATUS_WORDS: dict[str, IndicatorStatus] = {
    "uppnått": IndicatorStatus.uppnatt,
    "uppnatt": IndicatorStatus.uppnatt,
    "delvis": IndicatorStatus.delvis,
    "delvis uppnått": IndicatorStatus.delvis,
    "delvis uppnatt": IndicatorStatus.delvis,
    "ej uppnått": IndicatorStatus.ej_uppnatt,
    "ej uppnatt": IndicatorStatus.ej_uppnatt,
    "ej_uppnatt": IndicatorStatus.ej_uppnatt,
    "inte uppnått": IndicatorStatus.ej_uppnatt,
    "ej": IndicatorStatus.ej_uppnatt,
}
_NUMBER = re.compile(r"^[-−]?\d+(?:[.,]\d+)?$")


def parse_status(text: str) -> IndicatorStatus | None:
    return _STATUS_WORDS.get(" ".join(text.lower().split()))


def parse_number(value: Any) -> float | None:
    """A cell as a number: 78, 78,5, "78 %" or 0.78 formatted as percent in Excel is read as
    written in the cell (calamine gives the stored value); None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = cell_text(value).replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not _NUMBER.match(text):
        return None
    return float(text.replace(",", ".").replace("−", "-"))


@reads
def results_workbook(session: Session, actor: Actor, contract_id: uuid.UUID) -> bytes:
    """A workbook to fill in: one row per indicator of the contract, period left empty."""
    contract = fetch(session, Contract, contract_id, "Avtalet finns inte.")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for card in list_indicators(session, actor, contract.id):
        ind = card.indicator
        ws.append([ind.name, "", "", "", ""])
    for letter, width in zip("ABCDE", (46, 14, 10, 16, 70), strict=True):
        ws.column_dimensions[letter].width = width
    help_sheet = wb.create_sheet("Anvisningar")
    lines = [
        f"Resultat för indikatorerna i avtal {contract.dnr}",
        "",
        "En rad per indikator och period. Indikator: namnet som det står i avtalet.",
        f"Period: {PERIOD_HELP}",
        "Mätvärden: skriv talet i kolumnen Värde; status räknas fram ur värdet och målet.",
        "Bedömningar i text: skriv bedömningen i kolumnen Bedömning och välj Status: "
        "uppnått, delvis eller ej uppnått.",
        "Skriv inga personuppgifter: inga namn och inga personnummer.",
        "",
        "Indikatorer och mål:",
    ]
    for card in list_indicators(session, actor, contract.id):
        ind = card.indicator
        goal = target_text(ind.target, ind.unit, ind.direction) or "bedömning i text"
        lines.append(f"– {ind.name}: {goal}")
    for line in lines:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    for row in help_sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parse_results(
    data: bytes, filename: str, indicators: list[Indicator]
) -> list[tuple[Indicator, ResultInput, int]]:
    """Read results from a workbook: (indicator, result, Excel row) per row; every problem is
    reported at once with its sheet, row and column.

    The file comes from outside: it is checked by content and declared size first, then read
    in a guarded child process (`untrusted.guard`), which hands back plain rows only.
    """
    check_upload(data, filename, WORKBOOKS)
    plain = [Indicator.model_validate(i.model_dump()) for i in indicators]  # no session state
    found = run_guarded(_results_in_child, data, filename, plain, filename=filename)
    return [
        (
            indicators[position],
            ResultInput(
                period=fields["period"],
                value=fields["value"],
                text=fields["text"],
                status=IndicatorStatus(fields["status"]) if fields["status"] else None,
                period_end=fields["period_end"],
            ),
            row,
        )
        for position, fields, row in found
    ]


def _results_in_child(
    data: bytes, filename: str, indicators: list[Indicator]
) -> list[tuple[int, dict[str, Any], int]]:
    """Read the results as plain values (runs in the guarded child)."""
    position = {id(indicator): n for n, indicator in enumerate(indicators)}
    return [
        (
            position[id(indicator)],
            {
                "period": result.period,
                "value": result.value,
                "text": result.text,
                "status": result.status.value if result.status else None,
                "period_end": result.period_end,
            },
            row,
        )
        for indicator, result, row in read_results(data, filename, indicators)
    ]


def read_results(
    data: bytes, filename: str, indicators: list[Indicator]
) -> list[tuple[Indicator, ResultInput, int]]:
    """Read results from a workbook in this process (`parse_results` runs it guarded)."""
    sheets = read_workbook(data, filename)
    intro_error = f"Filen {filename!r} kunde inte läsas in:"
    for sheet in sheets.values():
        found = find_header(sheet.rows, REQUIRED)
        if found is None:
            continue
        header_index, positions = found
        lower = {k.lower(): v for k, v in positions.items()}
        missing = [c for c in ("Värde", "Status", "Bedömning") if c.lower() not in lower]
        if len(missing) == 3:
            raise ValidationFailed(
                [
                    f'Blad "{sheet.name}", rad {header_index + 1}: kolumnerna "Värde", "Status" '
                    'och "Bedömning" saknas; minst "Värde" eller "Status" och "Bedömning" behövs.'
                ],
                intro=intro_error,
            )
        by_name = {" ".join(i.name.lower().split()): i for i in indicators}
        known = ", ".join(f'"{i.name}"' for i in indicators) or "avtalet har inga indikatorer"
        errors: list[FieldError] = []
        rows: list[tuple[Indicator, ResultInput, int]] = []
        seen: dict[tuple[uuid.UUID, str], int] = {}
        for index in range(header_index + 1, len(sheet.rows)):
            raw = sheet.rows[index]

            def cell(column: str, raw: list[Any] = raw, lower: dict[str, int] = lower) -> Any:
                at = lower.get(column.lower())
                return raw[at] if at is not None and at < len(raw) else None

            values = {c: cell_text(cell(c)) for c in COLUMNS}
            if not any(values[c] for c in ("Period", "Värde", "Status", "Bedömning")):
                continue  # a row of the template not filled in
            row = index + 1
            name = values["Indikator"]
            indicator = by_name.get(" ".join(name.lower().split()))
            if indicator is None:
                problem = (
                    f'"{name}" är ingen indikator i avtalet.' if name else "ange indikatorns namn."
                )
                errors.append(
                    cell_error(sheet.name, row, "Indikator", f"{problem} Välj en av: {known}.")
                )
                continue
            result = ResultInput(period=values["Period"], text=values["Bedömning"])
            if indicator.kind is IndicatorKind.tal and values["Värde"]:
                result.value = parse_number(cell("Värde"))
                if result.value is None:
                    errors.append(
                        cell_error(
                            sheet.name,
                            row,
                            "Värde",
                            f'"{values["Värde"]}" är inget tal. Skriv t.ex. 78 eller 12,5.',
                        )
                    )
                    continue
            if indicator.kind is IndicatorKind.text and values["Status"]:
                result.status = parse_status(values["Status"])
                if result.status is None:
                    errors.append(
                        cell_error(
                            sheet.name,
                            row,
                            "Status",
                            f'"{values["Status"]}" är ingen status. Skriv uppnått, delvis '
                            "eller ej uppnått.",
                        )
                    )
                    continue
            problems, fields = check_result(indicator, result)
            for p in problems:
                message = p.message.split(": ", 1)[-1]
                errors.append(cell_error(sheet.name, row, _COLUMN_OF_FIELD[p.field], message))
            if fields is None:
                continue
            key = (indicator.id, fields["period"])
            if key in seen:
                errors.append(
                    cell_error(
                        sheet.name,
                        row,
                        "Period",
                        f"{indicator.name} {fields['period']} står redan på rad {seen[key]}.",
                    )
                )
                continue
            seen[key] = row
            rows.append((indicator, result, row))
        if errors:
            raise ValidationFailed(
                errors, intro=f"Filen {filename!r} har {len(errors)} fel. Inget har sparats."
            )
        if not rows:
            raise ValidationFailed(
                [f'Blad "{sheet.name}": det finns inga resultat under rubrikraden.']
            )
        return rows
    raise ValidationFailed(
        [
            f"Filen {filename!r}: hittade ingen rubrikrad med kolumnerna "
            f"{', '.join(COLUMNS)} på något blad."
        ]
    )


def import_results(
    session: Session, actor: Actor, contract_id: uuid.UUID, data: bytes, filename: str
) -> int:
    """Record every result of the workbook for the contract's indicators, or none of them."""
    require(actor, RECORD_RESULTS, "registrera resultat för indikatorer")
    fetch(session, Contract, contract_id, "Avtalet finns inte.")
    indicators = [c.indicator for c in list_indicators(session, actor, contract_id)]
    rows = parse_results(data, filename, indicators)
    return len(record_results(session, actor, [(i, r) for i, r, _row in rows]))
