"""The overview's table as HTML: one row per unit under its contractor, text that wraps (no
column is cut off at 1280 px), the status as a coloured mark with its reasons in words."""

import html
import uuid
from datetime import date

from audit_app.domain import labels
from audit_app.domain.svtext import ENHET, capitalize, count, sv_date, sv_percent
from audit_app.models import StatusLevel
from audit_app.services.overview import FollowUpRef, UnitRow

COLOURS = {StatusLevel.rod: "#c62828", StatusLevel.gul: "#f9a825", StatusLevel.gron: "#2e7d32"}
DASH = "–"

STYLE = """
<style>
table.ov {border-collapse: collapse; width: 100%; font-size: 0.86rem; table-layout: fixed;}
table.ov th {text-align: left; font-weight: 600; border-bottom: 2px solid #d0d7de;
  padding: 4px 6px; vertical-align: bottom;}
table.ov td {border-bottom: 1px solid #e6e9ed; padding: 4px 6px; vertical-align: top;
  overflow-wrap: break-word; hyphens: manual;}
table.ov tr.group td {background: #f3f6f9; font-weight: 600; padding-top: 8px;}
table.ov td.num, table.ov th.num {text-align: right;}
table.ov ul {margin: 2px 0 0 0; padding-left: 1.1em;}
table.ov li {margin: 0; font-size: 0.8rem; color: #57606a;}
table.ov .dot {display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%;
  margin-right: 4px; vertical-align: -1px;}
table.ov .small {color: #57606a; font-size: 0.8rem;}
table.ov .late {color: #c62828; font-weight: 600;}
</style>
"""
SHY = "\u00ad"  # a soft hyphen: a long word in a narrow header breaks there
COLUMNS = [  # (header, width, numeric)
    ("Enhet", "15%", False),
    ("Senaste uppföljning", "13%", False),
    ("Uppfyllt", "7%", True),
    ("Öppna avvikelser", "8%", True),
    ("Försenade åtgärder", "8%", True),
    (f"Återupp{SHY}följning", "10%", False),
    ("Nästa planerade", "12%", False),
    ("Status", "27%", False),
]


def _e(text: object) -> str:
    return html.escape(str(text))


def _hyphenated(text: str) -> str:
    """Long Swedish compounds with soft hyphens where a narrow column may break them."""
    for part in ("följning", "system", "revision", "ärenden"):
        text = text.replace(part, SHY + part)
    return _e(text)


def _ref(ref: FollowUpRef | None, today: date) -> str:
    if ref is None:
        return DASH
    late = ' class="late"' if ref.date < today and ref.status.value == "planerad" else ""
    return (
        f"{_hyphenated(labels.KIND_SHORT_LABELS[ref.kind])}<br>"
        f'<span class="small"><span{late}>{_e(sv_date(ref.date))}</span></span>'
    )


def _recheck(row: UnitRow) -> str:
    parts = []
    if row.overdue_rechecks:
        parts.append(f'<span class="late">{row.overdue_rechecks} försenad</span>')
    if row.missing_rechecks:
        parts.append(f'<span class="late">{row.missing_rechecks} saknas</span>')
    return "<br>".join(parts) or DASH


def _status(row: UnitRow) -> str:
    dot = f'<span class="dot" style="background:{COLOURS[row.status]}"></span>'
    head = f"{dot}<b>{_e(labels.STATUS_LEVEL_LABELS[row.status])}</b>"
    if not row.reasons:
        return head
    return head + "<ul>" + "".join(f"<li>{_e(capitalize(r))}</li>" for r in row.reasons) + "</ul>"


def _summary(rows: list[UnitRow]) -> str:
    levels = [
        f"{sum(r.status is level for r in rows)} {labels.STATUS_LEVEL_LABELS[level].lower()}"
        for level in (StatusLevel.rod, StatusLevel.gul, StatusLevel.gron)
        if any(r.status is level for r in rows)
    ]
    return f"{count(len(rows), ENHET, digits=True)}: {', '.join(levels)}"


def overview_html(rows: list[UnitRow], today: date) -> str:
    """The table of the unit rows, a group row per contractor (rows come sorted by it)."""
    head = "".join(
        f'<th style="width:{w}"{" class=num" if numeric else ""}>{_e(name)}</th>'
        for name, w, numeric in COLUMNS
    )
    body: list[str] = []
    groups: dict[uuid.UUID, list[UnitRow]] = {}
    for r in rows:
        groups.setdefault(r.contractor_id, []).append(r)
    for members in groups.values():
        body.append(
            f'<tr class="group"><td colspan="{len(COLUMNS)}">{_e(members[0].contractor)}'
            f' <span class="small">· {_e(_summary(members))}</span></td></tr>'
        )
        for r in members:
            share = sv_percent(r.share_met) if r.share_met is not None else DASH
            overdue = f'<span class="late">{r.overdue_actions}</span>' if r.overdue_actions else "0"
            body.append(
                "<tr>"
                f'<td>{_e(r.unit)}<br><span class="small">'
                f"{_e(labels.UNIT_KIND_LABELS[r.unit_kind])}</span></td>"
                f"<td>{_ref(r.last_followup, today)}</td>"
                f'<td class="num">{_e(share)}</td>'
                f'<td class="num">{r.open_deviations}</td>'
                f'<td class="num">{overdue}</td>'
                f"<td>{_recheck(r)}</td>"
                f"<td>{_ref(r.next_planned, today)}</td>"
                f"<td>{_status(r)}</td>"
                "</tr>"
            )
    return (
        f'{STYLE}<table class="ov" data-testid="overview-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
