"""The staffing heat map as a PNG for the minutes: section x period rows, one column per day.

Drawn with Pillow (already installed with Streamlit) so a document needs no chart library and
renders in a few milliseconds. Input is the stored analysis: the per-period table when it is
there (`result["periods"]`), otherwise the breaches alone on the days and periods of the rules.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from audit_app.domain.svtext import WEEKDAYS_SHORT
from audit_app.services.staffing.analysis import iso_date

OK = (214, 234, 218)
COMPETENT = (247, 213, 140)
STAFF = (226, 128, 118)
UNKNOWN = (238, 238, 238)
INK = (33, 37, 41)
GRID = (255, 255, 255)
MUTED = (110, 117, 125)
MAX_DAYS = 62

_FONT_FILES = [
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "C:/Windows/Fonts/arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
]


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in _FONT_FILES:
        path = Path(name.replace("Regular", "Bold") if bold else name)
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


@dataclass
class Cell:
    """What one square of the heat map shows."""

    present: int | None = None
    competent: int | None = None
    staff_breach: bool = False
    competent_breach: bool = False


def heatmap_cells(
    result: Mapping[str, Any], rules: Mapping[str, Any] | None = None
) -> tuple[list[tuple[str, str]], list[date], dict[tuple[str, str, date], Cell]]:
    """Rows (section, period), days and cells of an analysis; empty when nothing to draw."""
    rules = rules or {}
    cells: dict[tuple[str, str, date], Cell] = {}
    rows: list[tuple[str, str]] = []
    periods_table: Sequence[Mapping[str, Any]] = result.get("periods") or []
    for rec in periods_table:
        day = iso_date(rec.get("date"))
        if day is None:
            continue
        row = (str(rec.get("section", "")), str(rec.get("period", "")))
        if row not in rows:
            rows.append(row)
        cells[(row[0], row[1], day)] = Cell(
            present=_int(rec.get("present")),
            competent=_int(rec.get("competent")),
            staff_breach=bool(rec.get("staff_breach")),
            competent_breach=bool(rec.get("competent_breach")),
        )
    if not rows:
        sections = list(rules.get("sections") or []) or list(result.get("hours_by_section") or {})
        periods = [str(p.get("name")) for p in rules.get("periods") or [] if p.get("name")]
        for b in result.get("breaches") or []:
            if b.get("section") not in sections:
                sections.append(str(b.get("section")))
            if b.get("period") not in periods:
                periods.append(str(b.get("period")))
        rows = [(s, p) for s in sections for p in periods]
    for b in result.get("breaches") or []:
        day = iso_date(b.get("date"))
        if day is None:
            continue
        key = (str(b.get("section")), str(b.get("period")), day)
        cell = cells.setdefault(key, Cell())
        if b.get("kind") == "staff":
            cell.staff_breach = True
            cell.present = cell.present if cell.present is not None else _int(b.get("present"))
        else:
            cell.competent_breach = True
            if cell.competent is None:
                cell.competent = _int(b.get("present"))
    first = iso_date(result.get("from")) or min((k[2] for k in cells), default=None)
    last = iso_date(result.get("to")) or max((k[2] for k in cells), default=None)
    if first is None or last is None or not rows:
        return [], [], {}
    days = [first + timedelta(days=i) for i in range(min((last - first).days + 1, MAX_DAYS))]
    return rows, days, cells


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _color(cell: Cell | None, detailed: bool) -> tuple[int, int, int]:
    if cell is None:
        return OK if not detailed else UNKNOWN
    if cell.staff_breach:
        return STAFF
    if cell.competent_breach:
        return COMPETENT
    return OK


def heatmap_png(result: Mapping[str, Any], rules: Mapping[str, Any] | None = None) -> bytes | None:
    """Draw the heat map; None when the analysis has no days or rows."""
    rows, days, cells = heatmap_cells(result, rules)
    if not rows or not days:
        return None
    detailed = bool(result.get("periods"))
    s = 3  # drawn large, shown at 160 mm: sharp in print
    label_font, small, bold = _font(11 * s), _font(9 * s), _font(11 * s, bold=True)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))

    def width(text: str, font: Any) -> int:
        box = probe.textbbox((0, 0), text, font=font)
        return int(box[2] - box[0])

    sections = list(dict.fromkeys(r[0] for r in rows))
    label_w = max(width(f"{p}", label_font) for _, p in rows) + 14 * s
    section_w = max(width(sec, bold) for sec in sections) + 14 * s
    cell_w = max(26 * s, (1500 - label_w - section_w) // max(len(days), 1))
    cell_h = 20 * s
    head_h = 30 * s
    legend_h = 30 * s
    gap = 6 * s
    img_w = section_w + label_w + cell_w * len(days) + 4 * s
    img_h = head_h + cell_h * len(rows) + gap * (len(sections) - 1) + legend_h + 4 * s
    img = Image.new("RGB", (img_w, img_h), "white")
    draw = ImageDraw.Draw(img)
    x0 = section_w + label_w
    for i, day in enumerate(days):
        cx = x0 + i * cell_w + cell_w // 2
        weekend = day.weekday() >= 5
        color = MUTED if weekend else INK
        draw.text((cx, 4 * s), WEEKDAYS_SHORT[day.weekday()], font=small, fill=color, anchor="ma")
        draw.text((cx, 15 * s), f"{day.day}/{day.month}", font=small, fill=color, anchor="ma")
    y = head_h
    for index, section in enumerate(sections):
        section_rows = [r for r in rows if r[0] == section]
        top = y
        for _, period in section_rows:
            draw.text(
                (section_w + label_w - 8 * s, y + cell_h // 2),
                period,
                font=label_font,
                fill=INK,
                anchor="rm",
            )
            for i, day in enumerate(days):
                cell = cells.get((section, period, day))
                x = x0 + i * cell_w
                draw.rectangle(
                    (x, y, x + cell_w - 1, y + cell_h - 1),
                    fill=_color(cell, detailed),
                    outline=GRID,
                    width=s,
                )
                if cell is not None and cell.present is not None and detailed:
                    mark = str(cell.present)
                    draw.text(
                        (x + cell_w // 2, y + cell_h // 2),
                        mark,
                        font=small,
                        fill=INK,
                        anchor="mm",
                    )
                elif cell is not None and (cell.staff_breach or cell.competent_breach):
                    draw.text(
                        (x + cell_w // 2, y + cell_h // 2), "!", font=bold, fill=INK, anchor="mm"
                    )
            y += cell_h
        draw.text((0, (top + y) // 2), section, font=bold, fill=INK, anchor="lm")
        if index < len(sections) - 1:
            y += gap
    y += 10 * s
    x = 0
    legend = [
        (OK, "Åtagandet uppfyllt"),
        (COMPETENT, "För få med kompetens"),
        (STAFF, "För få i tjänst"),
    ]
    for color, text in legend:
        draw.rectangle((x, y, x + 14 * s, y + 12 * s), fill=color)
        draw.text((x + 18 * s, y + 6 * s), text, font=small, fill=INK, anchor="lm")
        x += 18 * s + width(text, small) + 18 * s
    if detailed:
        draw.text(
            (x, y + 6 * s), "Siffran: lägsta antal i tjänst", font=small, fill=MUTED, anchor="lm"
        )
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=6)
    return out.getvalue()
