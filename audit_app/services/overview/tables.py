"""The tables the overview's aggregate queries read, as SQLAlchemy Core tables (typed columns).

`readable` narrows a query to the follow-ups the actor may read (a läsare: justerade only).
"""

from typing import Any

from sqlalchemy import Select, Table

from audit_app.auth import Actor
from audit_app.models import (
    Action,
    Assessment,
    CommitteeMeeting,
    Contract,
    Contractor,
    ContractUnit,
    Finding,
    FollowUp,
    FollowUpUnit,
    RevisionCommission,
    Unit,
    User,
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
COMMITTEE_MEETING = _table(CommitteeMeeting)
CONTRACT = _table(Contract)
CONTRACTOR = _table(Contractor)
CONTRACT_UNIT = _table(ContractUnit)
FINDING = _table(Finding)
FOLLOWUP = _table(FollowUp)
FOLLOWUP_UNIT = _table(FollowUpUnit)
REVISION_COMMISSION = _table(RevisionCommission)
UNIT = _table(Unit)
USER = _table(User)


def readable(query: Query, actor: Actor) -> Query:
    """The query narrowed to the follow-ups the actor may read."""
    statuses = readable_statuses(actor)
    return query if statuses is None else query.where(FOLLOWUP.c.status.in_(statuses))
