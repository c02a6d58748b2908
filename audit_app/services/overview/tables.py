"""The tables the overview's aggregate queries read, as SQLAlchemy Core tables (typed columns).

`readable` narrows a query to the follow-ups the actor may read (a läsare: justerade only).
"""

from typing import Any

from sqlalchemy import Select, Table

from audit_app.auth import Actor
from audit_app.models import (
    Action,
    Assessment,
    Contractor,
    Finding,
    FollowUp,
    FollowUpUnit,
    Unit,
)
from audit_app.services.followups.queries import readable_statuses

Query = Select[*tuple[Any, ...]]
"""A Core select of any columns."""


def _table(model: type) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


ACTION = _table(Action)
ASSESSMENT = _table(Assessment)
CONTRACTOR = _table(Contractor)
FINDING = _table(Finding)
FOLLOWUP = _table(FollowUp)
FOLLOWUP_UNIT = _table(FollowUpUnit)
UNIT = _table(Unit)


def readable(query: Query, actor: Actor) -> Query:
    """The query narrowed to the follow-ups the actor may read."""
    statuses = readable_statuses(actor)
    return query if statuses is None else query.where(FOLLOWUP.c.status.in_(statuses))
