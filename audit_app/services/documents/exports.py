"""Excel exports (openpyxl): one follow-up, and the action register.

Every sheet has a styled, frozen header row with filters, sensible column widths, dates as real
dates, and print settings (landscape, fit to width, header row repeated). Text that Excel could
take for a formula (starting with =, +, -, @, tab or carriage return) is written as a text cell
with Excel's own quote prefix, so it is shown as typed and never calculated.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles import Side as BorderSide
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session

from audit_app import clock
from audit_app.auth import Actor, reads
from audit_app.domain import labels
from audit_app.models import (
    FindingStatus,
    Side,
)
from audit_app.services import followups
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.parts import (
    action_status_at,
    answer_text,
    finding_area,
    methods_text,
    strip_number,
)
from audit_app.services.documents.staffing_review import BREACH_KIND
from audit_app.services.overview.register import ActionFilter, register_rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters openpyxl refuses (XML 1.0 control characters).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = BorderSide(style="thin", color="D0D7DE")
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    title: str
    width: int | None = None  # characters; None: from the content
    wrap: bool = False


# Columns that stand in more than one sheet, alike in each.
CLAUSE = Column("Punkt", 9)
AREA = Column("Område", 24)
FINDING = Column("Avvikelse", 45, wrap=True)
ACTION = Column("Åtgärd", 50, wrap=True)
RESPONSIBLE = Column("Ansvarig", 20)
DUE = Column("Klart senast", 13)
ACTION_STATUS = Column("Status", 14)
EVIDENCE = Column("Underlag", 40, wrap=True)


def safe_cell_value(value: Any) -> Any:
    """Clean a value for a cell; text is returned as is (see `write_cell` for formulas)."""
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a value; dates as dates, and text that looks like a formula as plain text."""
    value = safe_cell_value(value)
    cell = ws.cell(row=row, column=column)
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    cell.value = value
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT if not isinstance(value, datetime) else "yyyy-mm-dd hh:mm"
    elif isinstance(value, str) and value.startswith(FORMULA_START):
        # openpyxl made it a formula ("f"); make it a string cell with Excel's quote prefix,
        # the same as typing '=... in Excel.
        cell.data_type = "s"
        cell.quotePrefix = True


def add_sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    first: bool = False,
) -> Worksheet:
    """A sheet with a header row (styled, frozen, filtered) and the rows."""
    ws: Worksheet = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    for c, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=c, value=column.title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        cell.border = Border(bottom=THIN)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            write_cell(ws, r, c, value)
    for c, column in enumerate(columns, start=1):
        letter = get_column_letter(c)
        if column.width is not None:
            width = column.width
        else:
            longest = max(
                [len(column.title)]
                + [len(_shown(values[c - 1])) for values in rows[:500] if c - 1 < len(values)]
            )
            width = min(max(longest + 2, 8), MAX_WIDTH)
        ws.column_dimensions[letter].width = width
        if column.wrap:
            for (cell,) in ws.iter_rows(min_row=2, min_col=c, max_col=c):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 2)}"
    ws.row_dimensions[1].height = 30
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    return ws


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return "2026-01-01"
    return "" if value is None else str(value)


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- one follow-up


@reads
def followup_workbook(session: Session, actor: Actor, followup_id: uuid.UUID) -> bytes:
    """Assessments, findings, action plan, earlier actions and staffing breaches of one follow-up."""
    data = load_followup_data(session, followups.visible_followup(session, actor, followup_id))
    f = data.followup
    wb = Workbook()
    info = [
        ("Uppföljning", labels.KIND_LABELS[f.kind]),
        ("Rubrik", f.title),
        ("Utförare", data.contractor_names or "–"),
        ("Verksamhet", data.unit_names),
        ("Avtal", f"{data.contract.title} ({data.contract.dnr})" if data.contract else ""),
        ("Datum", f.planned_date),
        ("Tid", f.planned_time),
        ("Plats", f.place),
        ("Metod", methods_text(f.methods)),
        ("Status", labels.STATUS_LABELS[f.status]),
        ("Version", data.doc_version),
        ("Justerad", f.justerad_at.date() if f.justerad_at else None),
        ("Justerad av", data.justerad_by),
    ]
    for p in f.participants:
        side = labels.label_of(Side, p.get("side"))
        info.append((f"Deltagare, {side.lower()}", f"{p.get('name', '')}, {p.get('role', '')}"))
    add_sheet(
        wb, "Uppföljning", [Column("Uppgift", 24), Column("Värde", 70, wrap=True)], info, True
    )

    rows: list[list[Any]] = []
    for item in data.agenda:
        assessment = data.assessments.get(item.key)
        rows.append(
            [
                strip_number(item.section_title),
                item.clause,
                labels.ITEM_KIND_LABELS[item.kind],
                strip_number(item.area),
                item.text,
                answer_text(item, assessment),
                assessment.comment if assessment else "",
            ]
        )
    add_sheet(
        wb,
        "Bedömningar",
        [
            Column("Avsnitt", 28),
            CLAUSE,
            Column("Typ", 10),
            AREA,
            Column("Krav eller fråga", 60, wrap=True),
            Column("Bedömning / svar", 16),
            Column("Kommentar", 50, wrap=True),
        ],
        rows,
    )

    items = data.item_by_key
    rows = [
        [
            labels.FINDING_KIND_LABELS[x.kind],
            labels.FINDING_STATUS_LABELS[x.status],
            data.unit_name(x.unit_id) or data.unit_names,
            x.clause,
            finding_area(x, items),
            x.title,
            x.description,
            x.downgrade_reason,
            "Ja" if x.for_committee else "Nej",
        ]
        for x in data.findings
        if x.status is not FindingStatus.avfardad
    ]
    add_sheet(
        wb,
        "Avvikelser",
        [
            Column("Typ", 18),
            Column("Status", 12),
            Column("Enhet", 22),
            CLAUSE,
            AREA,
            Column("Rubrik", 45, wrap=True),
            Column("Beskrivning", 55, wrap=True),
            Column("Anledning till nedgradering", 35, wrap=True),
            Column("Till nämnden", 12),
        ],
        rows,
    )

    rows = []
    for x in data.live_findings():
        for a in data.actions.get(x.id, []):
            rows.append(
                [
                    x.clause,
                    x.title,
                    a.what,
                    a.responsible,
                    a.due_date,
                    labels.ACTION_STATUS_LABELS[action_status_at(data, a)],
                    a.verified_at,
                    a.verified_note,
                ]
            )
    add_sheet(
        wb,
        "Åtgärdsplan",
        [
            CLAUSE,
            FINDING,
            ACTION,
            RESPONSIBLE,
            DUE,
            ACTION_STATUS,
            Column("Verifierad", 13),
            EVIDENCE,
        ],
        rows,
    )

    rows = []
    for origin, x, a in data.carried:
        review = data.reviews.get(a.id)
        rows.append(
            [
                origin.planned_date,
                x.clause,
                x.title,
                a.what,
                a.responsible,
                a.due_date,
                labels.ACTION_STATUS_LABELS[review.status] if review else "Ej avstämd",
                review.comment if review else "",
            ]
        )
    add_sheet(
        wb,
        "Tidigare åtgärder",
        [
            Column("Beslutad", 12),
            CLAUSE,
            Column("Avvikelse", 40, wrap=True),
            Column("Åtgärd", 45, wrap=True),
            RESPONSIBLE,
            DUE,
            Column("Status nu", 16),
            Column("Kommentar", 40, wrap=True),
        ],
        rows,
    )

    if data.analyses:
        result = data.analyses[-1].result or {}
        rows = [
            [
                _date(b.get("date")),
                b.get("section", ""),
                b.get("period", ""),
                BREACH_KIND.get(str(b.get("kind")), str(b.get("kind", ""))),
                b.get("required"),
                b.get("present"),
            ]
            for b in result.get("breaches") or []
        ]
        add_sheet(
            wb,
            "Bemanning",
            [
                Column("Datum", 12),
                Column("Avdelning", 20),
                Column("Pass", 12),
                Column("Avser", 22),
                Column("Krav", 8),
                Column("I tjänst", 10),
            ],
            rows,
        )
    return _save(wb)


def _date(value: Any) -> date | str:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value or "")


# --------------------------------------------------------------------------- action register


@reads
def action_register_workbook(
    session: Session,
    actor: Actor,
    flt: ActionFilter | None = None,
    today: date | None = None,
) -> bytes:
    """Every action of the register's filter (overview.register), one row each."""
    today = today or clock.today()
    rows = [
        [
            r.contractor,
            r.units,
            r.followup_date,
            labels.KIND_LABELS[r.followup_kind],
            labels.STATUS_LABELS[r.followup_status],
            labels.FINDING_KIND_LABELS[r.finding_kind],
            r.clause,
            r.area,
            r.finding_title,
            r.what,
            r.responsible,
            r.due_date,
            labels.ACTION_STATUS_LABELS[r.status],
            "Ja" if r.overdue else "Nej",
            r.verified_at,
            r.verified_note,
        ]
        for r in register_rows(session, actor, flt or ActionFilter(), today, limit=None)
    ]
    wb = Workbook()
    add_sheet(
        wb,
        "Åtgärdsregister",
        [
            Column("Utförare", 26),
            Column("Verksamhet", 24),
            Column("Uppföljning", 12),
            Column("Typ", 22),
            Column("Status uppföljning", 14),
            Column("Typ av iakttagelse", 18),
            CLAUSE,
            AREA,
            FINDING,
            ACTION,
            Column("Ansvarig", 18),
            DUE,
            ACTION_STATUS,
            Column("Försenad", 10),
            Column("Verifierad", 12),
            EVIDENCE,
        ],
        rows,
        first=True,
    )
    return _save(wb)
