"""A contractor's trend: avvikelser and the share uppfyllt per held follow-up, over time."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlmodel import Session

from audit_app.auth import Actor, reads
from audit_app.domain.rules import HELD
from audit_app.models import FindingKind, FollowUpKind, Result
from audit_app.services.overview.tables import (
    ASSESSMENT,
    FINDING,
    FOLLOWUP,
    FOLLOWUP_UNIT,
    UNIT,
    readable,
)
from audit_app.services.overview.units import ASSESSED, LIVE_DEVIATION

TREND_KINDS = (
    FollowUpKind.avtal,
    FollowUpKind.ateruppfoljning,
    FollowUpKind.ledningssystem,
    FollowUpKind.kvalitetsrevision,
    FollowUpKind.riktad,
)
"""Follow-ups with judged requirements (biståndsärenden are individual cases, not a trend)."""


@dataclass(frozen=True)
class TrendPoint:
    followup_id: uuid.UUID
    date: date
    kind: FollowUpKind
    deviations: int
    share_met: float | None


@reads
def contractor_trend(
    session: Session,
    actor: Actor,
    contractor_id: uuid.UUID,
    date_from: date | None = None,
    today: date | None = None,
) -> list[TrendPoint]:
    """Per held follow-up of the contractor, oldest first: avvikelser and the share uppfyllt.

    A riktad uppföljning across contractors counts with the avvikelser of this contractor's
    units only, and without a share: its one agenda was answered for all of them together."""
    today = today or date.today()
    own_units = select(UNIT.c.id).where(UNIT.c.contractor_id == contractor_id)
    across = select(FOLLOWUP_UNIT.c.followup_id).where(FOLLOWUP_UNIT.c.unit_id.in_(own_units))
    held = select(FOLLOWUP.c.id).where(
        (FOLLOWUP.c.contractor_id == contractor_id)
        | (FOLLOWUP.c.contractor_id.is_(None) & FOLLOWUP.c.id.in_(across)),
        FOLLOWUP.c.status.in_(HELD),
        FOLLOWUP.c.kind.in_(TREND_KINDS),
        FOLLOWUP.c.planned_date <= today,
    )
    if date_from is not None:
        held = held.where(FOLLOWUP.c.planned_date >= date_from)
    held = readable(held, actor)
    met = func.sum(case((ASSESSMENT.c.result == Result.uppfyllt, 1), else_=0))
    assessed = func.sum(case((ASSESSMENT.c.result.in_(ASSESSED), 1), else_=0))
    shares = (
        select(ASSESSMENT.c.followup_id.label("fid"), met.label("met"), assessed.label("n"))
        .where(ASSESSMENT.c.followup_id.in_(held))
        .group_by(ASSESSMENT.c.followup_id)
        .subquery()
    )
    deviations = (
        select(FINDING.c.followup_id.label("fid"), func.count().label("n"))
        .where(
            FINDING.c.followup_id.in_(held),
            FINDING.c.kind == FindingKind.avvikelse,
            FINDING.c.status.in_(LIVE_DEVIATION),
            # on a follow-up of several contractors, only the avvikelser of this one's units
            FINDING.c.unit_id.is_(None) | FINDING.c.unit_id.in_(own_units),
        )
        .group_by(FINDING.c.followup_id)
        .subquery()
    )
    rows = session.execute(
        select(FOLLOWUP.c.id, FOLLOWUP.c.planned_date, FOLLOWUP.c.kind, shares.c.met, shares.c.n,
               deviations.c.n, FOLLOWUP.c.contractor_id)
        .where(FOLLOWUP.c.id.in_(held))
        .outerjoin(shares, shares.c.fid == FOLLOWUP.c.id)
        .outerjoin(deviations, deviations.c.fid == FOLLOWUP.c.id)
        .order_by(FOLLOWUP.c.planned_date, FOLLOWUP.c.created_at)
    )  # fmt: skip
    return [
        TrendPoint(
            fid,
            day,
            FollowUpKind(kind),
            int(dev or 0),
            int(m) / int(n) if n and owner is not None else None,
        )
        for fid, day, kind, m, n, dev, owner in rows
    ]
