"""The period reports as Word documents: the quarterly summary and the yearly contribution."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from audit_app.auth import Actor, reads
from audit_app.services.documents.period import load_period
from audit_app.services.documents.quarterly import period_context
from audit_app.services.documents.registry import QUARTERLY_TEMPLATE, YEARLY_TEMPLATE
from audit_app.services.documents.templates import render_template
from audit_app.services.documents.yearly import yearly_context


@reads
def render_period_report(
    session: Session,
    actor: Actor,
    date_from: date,
    date_to: date,
    dnr: str = "",
    today: date | None = None,
) -> bytes:
    """The report to kvalitetsrådet on the follow-ups held in a period (a quarter)."""
    pd = load_period(session, actor, date_from, date_to, today)
    return render_template(QUARTERLY_TEMPLATE, period_context(pd) | {"dnr": dnr})


@reads
def render_yearly_contribution(
    session: Session, actor: Actor, year: int, today: date | None = None
) -> bytes:
    """The year's contribution to the kvalitetsberättelse, as the record stood on 31 December."""
    pd = load_period(session, actor, date(year, 1, 1), date(year, 12, 31), today)
    return render_template(YEARLY_TEMPLATE, yearly_context(pd))
