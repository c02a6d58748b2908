"""Status at a glance: open actions and every contractor's status."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from audit_app.auth import Actor, reads
from audit_app.domain.calendar import OPEN_ACTION
from audit_app.models import (
    Action,
    Contractor,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpStatus,
    Unit,
)
from audit_app.services.followups.queries import is_overdue, readable_statuses


@dataclass
class OpenAction:
    action: Action
    finding: Finding
    followup: FollowUp
    overdue: bool


@reads
def open_actions(
    session: Session,
    actor: Actor,
    contractor_id: uuid.UUID | None = None,
    today: date | None = None,
) -> list[OpenAction]:
    """Every action not yet verified that the actor may read, oldest due date first."""
    today = today or date.today()
    query = (
        select(Action, Finding, FollowUp)
        .join(Finding, col(Finding.id) == Action.finding_id)
        .join(FollowUp, col(FollowUp.id) == Finding.followup_id)
        .where(col(Action.status).in_(OPEN_ACTION))
    )
    readable = readable_statuses(actor)
    if readable is not None:
        query = query.where(col(FollowUp.status).in_(readable))
    if contractor_id is not None:
        query = query.where(FollowUp.contractor_id == contractor_id)
    rows = session.exec(query.order_by(col(Action.due_date)))
    return [OpenAction(a, f, fu, is_overdue(a, today)) for a, f, fu in rows]


@dataclass
class ContractorStatus:
    contractor: Contractor
    units: list[str]
    open_deviations: int
    open_actions: int
    overdue_actions: int
    last_followup: FollowUp | None
    next_followup: FollowUp | None


@reads
def contractor_statuses(
    session: Session, actor: Actor, today: date | None = None
) -> list[ContractorStatus]:
    """Status of every active contractor at a glance (for the förvaltningschef)."""
    today = today or date.today()
    contractors = session.exec(
        select(Contractor).where(col(Contractor.archived).is_(False)).order_by(col(Contractor.name))
    ).all()
    actions = open_actions(session, actor, today=today)
    out = []
    for c in contractors:
        mine = [oa for oa in actions if oa.followup.contractor_id == c.id]
        deviations = session.exec(
            select(Finding)
            .join(FollowUp, col(FollowUp.id) == Finding.followup_id)
            .where(
                FollowUp.contractor_id == c.id,
                Finding.kind == FindingKind.avvikelse,
                col(Finding.status).in_([FindingStatus.bekraftad, FindingStatus.foreslagen]),
            )
        ).all()
        last = session.exec(
            select(FollowUp)
            .where(FollowUp.contractor_id == c.id, FollowUp.planned_date <= today)
            .order_by(col(FollowUp.planned_date).desc())
        ).first()
        nxt = session.exec(
            select(FollowUp)
            .where(
                FollowUp.contractor_id == c.id,
                FollowUp.planned_date >= today,
                FollowUp.status == FollowUpStatus.planerad,
            )
            .order_by(col(FollowUp.planned_date))
        ).first()
        units = session.exec(
            select(Unit.name)
            .where(Unit.contractor_id == c.id, col(Unit.archived).is_(False))
            .order_by(col(Unit.name))
        ).all()
        out.append(
            ContractorStatus(
                contractor=c,
                units=list(units),
                open_deviations=len(deviations),
                open_actions=len(mine),
                overdue_actions=sum(oa.overdue for oa in mine),
                last_followup=last,
                next_followup=nxt,
            )
        )
    return out
