"""The action register: every action across contractors, filtered in SQL, counted in SQL.

The page shows the first rows of a filter with its totals; the Excel export
(documents.exports.action_register_workbook) writes every row of the same filter.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlmodel import Session

from audit_app.auth import Actor, reads
from audit_app.domain.calendar import ACTION_NOT_DONE, OPEN_ACTION
from audit_app.models import (
    ActionStatus,
    FindingKind,
    FindingStatus,
    FollowUpKind,
    FollowUpStatus,
)
from audit_app.services.followups.queries import unit_names
from audit_app.services.overview.tables import (
    ACTION,
    CONTRACTOR,
    FINDING,
    FOLLOWUP,
    UNIT,
    Query,
    readable,
)

SOON_DAYS = 30
OTHER_AREA = "Övrigt"
PAGE_ROWS = 500
"""The page shows this many rows of a filter; the export has them all."""


@dataclass
class ActionFilter:
    statuses: list[ActionStatus] = field(default_factory=list)  # none: every status
    overdue: bool = False
    contractor_id: uuid.UUID | None = None
    area: str | None = None  # as stored on the finding; OTHER_AREA for findings without one
    due_soon: bool = False  # not done and due within 30 days
    date_from: date | None = None  # the follow-up that decided the action, from
    date_to: date | None = None


OPEN_FILTER = ActionFilter(statuses=list(OPEN_ACTION))


def register_filter(contractor_id: uuid.UUID | None, only_open: bool) -> ActionFilter:
    """The filter of a contractor's (or every) action, optionally only those not verified."""
    return ActionFilter(
        statuses=list(OPEN_ACTION) if only_open else [], contractor_id=contractor_id
    )


@dataclass(frozen=True)
class ActionRow:
    action_id: uuid.UUID
    what: str
    responsible: str
    due_date: date | None
    status: ActionStatus
    overdue: bool
    verified_at: date | None
    verified_note: str
    finding_kind: FindingKind
    finding_title: str
    clause: str
    area: str
    followup_id: uuid.UUID
    followup_date: date
    followup_kind: FollowUpKind
    followup_status: FollowUpStatus
    contractor: str
    units: str


@dataclass
class ActionRegister:
    rows: list[ActionRow]
    total: int
    overdue: int
    due_soon: int


def area_name(stored: str) -> str:
    """'3. SKA-krav i avtalet' -> 'SKA-krav i avtalet'; empty -> Övrigt."""
    return re.sub(r"^\s*\d+(\.\d+)*\.?\s+", "", stored or "").strip() or OTHER_AREA


FINDING_UNIT = UNIT.alias("finding_unit")
"""The unit a finding concerns (a riktad uppföljning across units has findings per unit)."""


def _owner() -> ColumnElement[uuid.UUID]:
    """The contractor an action is for: its finding's unit's, else the follow-up's."""
    return func.coalesce(FINDING_UNIT.c.contractor_id, FOLLOWUP.c.contractor_id)


def _filtered(query: Query, actor: Actor, flt: ActionFilter, today: date) -> Query:
    query = (
        query.join(FINDING, FINDING.c.id == ACTION.c.finding_id)
        .join(FOLLOWUP, FOLLOWUP.c.id == FINDING.c.followup_id)
        .outerjoin(FINDING_UNIT, FINDING_UNIT.c.id == FINDING.c.unit_id)
        .where(FINDING.c.status != FindingStatus.avfardad)
    )
    query = readable(query, actor)
    if flt.statuses:
        query = query.where(ACTION.c.status.in_(flt.statuses))
    if flt.overdue:
        query = query.where(ACTION.c.status.in_(ACTION_NOT_DONE), ACTION.c.due_date < today)
    if flt.due_soon:
        query = query.where(
            ACTION.c.status.in_(ACTION_NOT_DONE),
            ACTION.c.due_date >= today,
            ACTION.c.due_date <= today + timedelta(days=SOON_DAYS),
        )
    if flt.contractor_id is not None:
        query = query.where(_owner() == flt.contractor_id)
    if flt.area is not None:
        query = query.where(
            FINDING.c.area.in_(["", flt.area])
            if flt.area == OTHER_AREA
            else (FINDING.c.area == flt.area)
        )
    if flt.date_from is not None:
        query = query.where(FOLLOWUP.c.planned_date >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(FOLLOWUP.c.planned_date <= flt.date_to)
    return query


def _chunked_unit_names(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = {}
    for start in range(0, len(ids), 1000):
        out |= unit_names(session, ids[start : start + 1000])
    return out


@reads
def register_rows(
    session: Session, actor: Actor, flt: ActionFilter, today: date, limit: int | None
) -> list[ActionRow]:
    """The filter's actions, earliest due date first (then by decision date)."""
    query = select(
        ACTION.c.id,
        ACTION.c.what,
        ACTION.c.responsible,
        ACTION.c.due_date,
        ACTION.c.status,
        ACTION.c.verified_at,
        ACTION.c.verified_note,
        FINDING.c.kind,
        FINDING.c.title,
        FINDING.c.clause,
        FINDING.c.area,
        FOLLOWUP.c.id,
        FOLLOWUP.c.planned_date,
        FOLLOWUP.c.kind,
        FOLLOWUP.c.status,
        CONTRACTOR.c.name,
        FINDING_UNIT.c.name,
    ).select_from(ACTION)
    query = _filtered(query, actor, flt, today).outerjoin(CONTRACTOR, CONTRACTOR.c.id == _owner())
    query = query.order_by(
        ACTION.c.due_date.is_(None),
        ACTION.c.due_date,
        FOLLOWUP.c.planned_date,
        ACTION.c.created_at,
    )
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    names = _chunked_unit_names(session, list({r[11] for r in rows}))
    return [
        ActionRow(
            action_id=r[0],
            what=r[1],
            responsible=r[2],
            due_date=r[3],
            status=ActionStatus(r[4]),
            overdue=r[3] is not None and r[3] < today and ActionStatus(r[4]) in ACTION_NOT_DONE,
            verified_at=r[5],
            verified_note=r[6],
            finding_kind=FindingKind(r[7]),
            finding_title=r[8],
            clause=r[9],
            area=area_name(r[10]),
            followup_id=r[11],
            followup_date=r[12],
            followup_kind=FollowUpKind(r[13]),
            followup_status=FollowUpStatus(r[14]),
            contractor=r[15] or "–",
            units=r[16] or ", ".join(names.get(r[11], [])),
        )
        for r in rows
    ]


@reads
def action_register(
    session: Session,
    actor: Actor,
    flt: ActionFilter | None = None,
    today: date | None = None,
    limit: int | None = PAGE_ROWS,
) -> ActionRegister:
    """The actions of the filter (the first `limit`), with the filter's totals."""
    flt = flt or ActionFilter()
    today = today or date.today()
    not_done = ACTION.c.status.in_(ACTION_NOT_DONE)
    late = func.sum(case((and_(not_done, ACTION.c.due_date < today), 1), else_=0))
    soon = func.sum(
        case(
            (
                and_(
                    not_done,
                    ACTION.c.due_date >= today,
                    ACTION.c.due_date <= today + timedelta(days=SOON_DAYS),
                ),
                1,
            ),
            else_=0,
        )
    )
    totals = session.execute(
        _filtered(select(func.count(), late, soon).select_from(ACTION), actor, flt, today)
    ).one()
    return ActionRegister(
        rows=register_rows(session, actor, flt, today, limit),
        total=int(totals[0] or 0),
        overdue=int(totals[1] or 0),
        due_soon=int(totals[2] or 0),
    )


@reads
def action_areas(session: Session, actor: Actor) -> list[str]:
    """The areas (as stored) of findings that have actions, for the filter; Övrigt last."""
    query = readable(
        select(FINDING.c.area)
        .distinct()
        .join(ACTION, ACTION.c.finding_id == FINDING.c.id)
        .join(FOLLOWUP, FOLLOWUP.c.id == FINDING.c.followup_id),
        actor,
    )
    stored = {a for (a,) in session.execute(query)}
    named = sorted((a for a in stored if a), key=area_name)
    return named + ([OTHER_AREA] if "" in stored else [])
