"""One row per unit for the förvaltningschef: last and next follow-up, open avvikelser, late
actions and re-checks, the contract's indicators not reached, and a status with its reasons
(domain.cadence).

Every figure is counted in SQL, one grouped query per figure for all units at once; nothing is
loaded row by row into Python to be counted. A läsare sees figures built from justerade
follow-ups only.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import CTE, ColumnElement, and_, case, func, literal, or_, select
from sqlmodel import Session

from audit_app.auth import Actor, reads
from audit_app.domain import cadence
from audit_app.domain.calendar import ACTION_NOT_DONE, OPEN_ACTION
from audit_app.domain.rules import HELD
from audit_app.models import (
    FindingKind,
    FindingStatus,
    FollowUpKind,
    FollowUpStatus,
    Result,
    StatusLevel,
    UnitKind,
)
from audit_app.services.followups.queries import readable_statuses
from audit_app.services.indicators import misses_per_unit
from audit_app.services.overview.tables import (
    ACTION,
    ASSESSMENT,
    CONTRACTOR,
    FINDING,
    FOLLOWUP,
    FOLLOWUP_UNIT,
    UNIT,
    Query,
    readable,
)
from audit_app.services.sanctions import unit_sanctions

RECENT_DAYS = 400
"""The overview looks for a unit's last follow-ups within this window first (longer than the
six-month cadence and its grace), and searches the whole history only for the units it did not
find there: the figures then take the same time on one year of history as on ten."""
ASSESSED = (Result.uppfyllt, Result.delvis_uppfyllt, Result.ej_uppfyllt)
"""Items with a judgement; ej aktuellt and ej bedömd are left out of the share uppfyllt."""
LIVE_DEVIATION = (FindingStatus.bekraftad, FindingStatus.stangd)
CADENCE_KINDS = (FollowUpKind.avtal, FollowUpKind.ledningssystem)


@dataclass(frozen=True)
class FollowUpRef:
    id: uuid.UUID
    kind: FollowUpKind
    date: date
    status: FollowUpStatus


@dataclass
class UnitRow:
    """One unit's line in the overview."""

    unit_id: uuid.UUID
    unit: str
    unit_kind: UnitKind
    contractor_id: uuid.UUID
    contractor: str
    last_followup: FollowUpRef | None
    share_met: float | None  # of the last follow-up's assessed items; None if none assessed
    open_deviations: int
    open_actions: int
    overdue_actions: int
    overdue_rechecks: int
    missing_rechecks: int
    next_planned: FollowUpRef | None
    status: StatusLevel
    reasons: list[str] = field(default_factory=list)


@dataclass
class OverviewFilter:
    contractor_ids: list[uuid.UUID] = field(default_factory=list)
    unit_kinds: list[UnitKind] = field(default_factory=list)
    statuses: list[StatusLevel] = field(default_factory=list)


def _materialized(query: Query, name: str) -> CTE:
    """The filtered rows first, as a materialized CTE, then joined to the units.

    Without it the planners (SQLite's in particular) cannot tell a rare status from a common
    one and scan every follow-up of every unit in unit order to save a sort.
    """
    return query.cte(name).prefix_with("MATERIALIZED")


def _followups(actor: Actor, *conditions: ColumnElement[bool]) -> Query:
    """The follow-ups the actor may read that meet the conditions (as `fid`, kind, date...)."""
    query = select(
        FOLLOWUP.c.id.label("fid"),
        FOLLOWUP.c.kind,
        FOLLOWUP.c.planned_date,
        FOLLOWUP.c.status,
        FOLLOWUP.c.created_at,
    ).where(*conditions)
    return readable(query, actor)


def _of_units(unit_ids: list[uuid.UUID]) -> ColumnElement[bool]:
    return FOLLOWUP.c.id.in_(
        select(FOLLOWUP_UNIT.c.followup_id).where(FOLLOWUP_UNIT.c.unit_id.in_(unit_ids))
    )


def _per_unit(rows: CTE, *columns: Any) -> Query:
    """Columns per unit of the rows' follow-ups (`fid`), for grouping by unit."""
    return (
        select(FOLLOWUP_UNIT.c.unit_id, *columns)
        .select_from(rows)
        .join(FOLLOWUP_UNIT, FOLLOWUP_UNIT.c.followup_id == rows.c.fid)
    )


def _first_per_unit(
    session: Session, actor: Actor, conditions: list[ColumnElement[bool]], newest: bool
) -> dict[uuid.UUID, FollowUpRef]:
    """The newest (or earliest) follow-up per unit among those meeting the conditions."""
    f = _materialized(_followups(actor, *conditions), "f")
    order = (
        (f.c.planned_date.desc(), f.c.created_at.desc())
        if newest
        else (
            f.c.planned_date,
            f.c.created_at,
        )
    )
    ranked = _per_unit(
        f,
        f.c.fid,
        f.c.kind,
        f.c.planned_date,
        f.c.status,
        func.row_number().over(partition_by=FOLLOWUP_UNIT.c.unit_id, order_by=order).label("rn"),
    ).subquery()
    rows = session.execute(
        select(
            ranked.c.unit_id, ranked.c.fid, ranked.c.kind, ranked.c.planned_date, ranked.c.status
        ).where(ranked.c.rn == 1)
    )
    return {u: FollowUpRef(i, FollowUpKind(k), d, FollowUpStatus(s)) for u, i, k, d, s in rows}


def _shares(session: Session, followup_ids: list[uuid.UUID]) -> dict[uuid.UUID, float]:
    """Share of assessed items uppfyllt per follow-up."""
    if not followup_ids:
        return {}
    met = func.sum(case((ASSESSMENT.c.result == Result.uppfyllt, 1), else_=0))
    assessed = func.sum(case((ASSESSMENT.c.result.in_(ASSESSED), 1), else_=0))
    rows = session.execute(
        select(ASSESSMENT.c.followup_id, met, assessed)
        .where(ASSESSMENT.c.followup_id.in_(followup_ids))
        .group_by(ASSESSMENT.c.followup_id)
    )
    return {fid: int(m) / int(a) for fid, m, a in rows if a}


def _last_held(
    session: Session,
    actor: Actor,
    kinds: tuple[FollowUpKind, ...],
    conditions: list[ColumnElement[bool]],
) -> dict[tuple[uuid.UUID, FollowUpKind], date]:
    """The date of the last held follow-up of each of these kinds per unit (those the actor
    may read)."""
    f = _materialized(
        _followups(actor, FOLLOWUP.c.kind.in_(kinds), FOLLOWUP.c.status.in_(HELD), *conditions),
        "f",
    )
    query = _per_unit(f, f.c.kind, func.max(f.c.planned_date)).group_by(
        FOLLOWUP_UNIT.c.unit_id, f.c.kind
    )
    return {(u, FollowUpKind(k)): d for u, k, d in session.execute(query)}


def _counted(session: Session, query: Query) -> dict[uuid.UUID, tuple[int, ...]]:
    return {row[0]: tuple(int(x or 0) for x in row[1:]) for row in session.execute(query)}


def _deviations(session: Session, actor: Actor) -> dict[uuid.UUID, tuple[int, ...]]:
    """Confirmed avvikelser not yet closed, per unit."""
    rows = (
        select(FINDING.c.followup_id.label("fid"), FINDING.c.unit_id)
        .join(FOLLOWUP, FOLLOWUP.c.id == FINDING.c.followup_id)
        .where(FINDING.c.kind == FindingKind.avvikelse, FINDING.c.status == FindingStatus.bekraftad)
    )
    d = _materialized(readable(rows, actor), "d")
    query = _per_unit(d, func.count()).where(_own_finding(d)).group_by(FOLLOWUP_UNIT.c.unit_id)
    return _counted(session, query)


def _own_finding(rows: CTE) -> ColumnElement[bool]:
    """A finding counts for the unit it concerns (one of several units of a riktad
    uppföljning), or for every unit of its follow-up when it names none."""
    return or_(rows.c.unit_id.is_(None), rows.c.unit_id == FOLLOWUP_UNIT.c.unit_id)


def _actions(session: Session, actor: Actor, today: date) -> dict[uuid.UUID, tuple[int, ...]]:
    """Open actions and overdue ones, per unit."""
    open_actions = _materialized(
        select(ACTION.c.finding_id, ACTION.c.status, ACTION.c.due_date).where(
            ACTION.c.status.in_(OPEN_ACTION)
        ),
        "oa",
    )
    rows = (
        select(
            FINDING.c.followup_id.label("fid"),
            FINDING.c.unit_id,
            open_actions.c.status,
            open_actions.c.due_date,
        )
        .select_from(open_actions)
        .join(FINDING, FINDING.c.id == open_actions.c.finding_id)
        .join(FOLLOWUP, FOLLOWUP.c.id == FINDING.c.followup_id)
        .where(FINDING.c.status != FindingStatus.avfardad)
    )
    a = _materialized(readable(rows, actor), "a")
    overdue = func.sum(
        case((and_(a.c.status.in_(ACTION_NOT_DONE), a.c.due_date < today), 1), else_=0)
    )
    query = _per_unit(a, func.count(), overdue).where(_own_finding(a))
    return _counted(session, query.group_by(FOLLOWUP_UNIT.c.unit_id))


def _rechecks(
    session: Session, actor: Actor, today: date
) -> dict[uuid.UUID, tuple[int, int, date | None]]:
    """Per unit: re-checks overdue, re-checks missing, the oldest meeting overdue.

    A meeting waits for its re-check while it has a confirmed avvikelse and its återuppföljning
    has not been held. For a läsare a re-check not yet justerad counts as not held, and none is
    reported missing (planned follow-ups are not theirs to see).
    """
    recheck = (
        select(FOLLOWUP.c.id, FOLLOWUP.c.previous_id, FOLLOWUP.c.status)
        .where(FOLLOWUP.c.kind == FollowUpKind.ateruppfoljning)
        .subquery()
    )
    statuses = readable_statuses(actor)
    held = HELD if statuses is None else tuple(statuses)
    with_deviation = select(FINDING.c.followup_id).where(
        FINDING.c.kind == FindingKind.avvikelse, FINDING.c.status == FindingStatus.bekraftad
    )
    waiting = (
        select(
            FOLLOWUP.c.id.label("fid"),
            FOLLOWUP.c.planned_date,
            recheck.c.id.label("recheck_id"),
        )
        .outerjoin(recheck, recheck.c.previous_id == FOLLOWUP.c.id)
        .where(
            FOLLOWUP.c.id.in_(with_deviation),
            FOLLOWUP.c.kind != FollowUpKind.ateruppfoljning,
            or_(recheck.c.id.is_(None), recheck.c.status.not_in(held)),
        )
    )
    w = _materialized(readable(waiting, actor), "w")
    cutoff = cadence.recheck_cutoff(today)
    missing = (
        func.sum(case((w.c.recheck_id.is_(None), 1), else_=0)) if statuses is None else literal(0)
    )
    is_late: ColumnElement[bool] = w.c.planned_date <= cutoff
    if statuses is None:
        is_late = and_(w.c.recheck_id.is_not(None), is_late)
    late = func.sum(case((is_late, 1), else_=0))
    oldest_late = func.min(case((is_late, w.c.planned_date), else_=None))
    covers = FOLLOWUP_UNIT.alias("recheck_unit")
    own = or_(
        w.c.recheck_id.is_(None),
        FOLLOWUP_UNIT.c.unit_id.in_(
            select(covers.c.unit_id).where(covers.c.followup_id == w.c.recheck_id)
        ),
    )
    query = _per_unit(w, late, missing, oldest_late).where(own)
    query = query.group_by(FOLLOWUP_UNIT.c.unit_id)
    return {u: (int(o or 0), int(m or 0), d) for u, o, m, d in session.execute(query)}


def _earliest(
    session: Session, actor: Actor, *conditions: ColumnElement[bool]
) -> dict[uuid.UUID, date]:
    """The earliest date per unit of the follow-ups meeting the conditions."""
    f = _materialized(_followups(actor, *conditions), "f")
    query = _per_unit(f, func.min(f.c.planned_date)).group_by(FOLLOWUP_UNIT.c.unit_id)
    return dict(session.execute(query).tuples().all())


@dataclass(frozen=True)
class _Unit:
    id: uuid.UUID
    name: str
    kind: UnitKind
    contractor_id: uuid.UUID
    contractor: str


def _units(session: Session, flt: OverviewFilter) -> list[_Unit]:
    query = (
        select(UNIT.c.id, UNIT.c.name, UNIT.c.kind, UNIT.c.contractor_id, CONTRACTOR.c.name)
        .select_from(UNIT)
        .join(CONTRACTOR, CONTRACTOR.c.id == UNIT.c.contractor_id)
        .where(UNIT.c.archived.is_(False), CONTRACTOR.c.archived.is_(False))
        .order_by(CONTRACTOR.c.name, UNIT.c.name)
    )
    if flt.contractor_ids:
        query = query.where(UNIT.c.contractor_id.in_(flt.contractor_ids))
    if flt.unit_kinds:
        query = query.where(UNIT.c.kind.in_(flt.unit_kinds))
    return [_Unit(i, n, UnitKind(k), c, cn) for i, n, k, c, cn in session.execute(query)]


@reads
def unit_overview(
    session: Session,
    actor: Actor,
    flt: OverviewFilter | None = None,
    today: date | None = None,
) -> list[UnitRow]:
    """Every active unit's status, grouped by contractor (by name), as the actor may read it."""
    flt = flt or OverviewFilter()
    today = today or date.today()
    units = _units(session, flt)
    if not units:
        return []
    held = [FOLLOWUP.c.status.in_(HELD), FOLLOWUP.c.planned_date <= today]
    recent = FOLLOWUP.c.planned_date >= today - timedelta(days=RECENT_DAYS)
    last = _first_per_unit(session, actor, [*held, recent], newest=True)
    older = [u.id for u in units if u.id not in last]
    if older:
        last |= _first_per_unit(session, actor, [*held, _of_units(older)], newest=True)
    planned = [FOLLOWUP.c.status == FollowUpStatus.planerad]
    upcoming = _first_per_unit(session, actor, planned, newest=False)
    shares = _shares(session, list({ref.id for ref in last.values()}))
    on_or_before = FOLLOWUP.c.planned_date <= today
    kinds = _last_held(session, actor, CADENCE_KINDS, [on_or_before, recent])
    lacking = [u.id for u in units if any((u.id, k) not in kinds for k in CADENCE_KINDS)]
    if lacking:
        kinds |= _last_held(session, actor, CADENCE_KINDS, [on_or_before, _of_units(lacking)])
    deviations = _deviations(session, actor)
    actions = _actions(session, actor, today)
    rechecks = _rechecks(session, actor, today)
    sanctions = unit_sanctions(session, actor, [u.id for u in units], today=today)
    since = _earliest(session, actor, FOLLOWUP.c.status == FollowUpStatus.pagar)
    indicator_misses = misses_per_unit(session, actor)
    next_avtal = _earliest(
        session,
        actor,
        FOLLOWUP.c.status == FollowUpStatus.planerad,
        FOLLOWUP.c.kind == FollowUpKind.avtal,
    )
    rows = []
    for unit in units:
        ref = last.get(unit.id)
        nxt = upcoming.get(unit.id)
        open_actions, overdue_actions = actions.get(unit.id, (0, 0))
        overdue_rechecks, missing_rechecks, oldest = rechecks.get(unit.id, (0, 0, None))
        facts = cadence.UnitFacts(
            last_avtal=kinds.get((unit.id, FollowUpKind.avtal)),
            last_ledningssystem=kinds.get((unit.id, FollowUpKind.ledningssystem)),
            open_deviations=deviations.get(unit.id, (0,))[0],
            overdue_actions=overdue_actions,
            overdue_rechecks=overdue_rechecks,
            missing_rechecks=missing_rechecks,
            oldest_recheck_meeting=oldest if overdue_rechecks else None,
            in_progress_since=since.get(unit.id),
            next_planned=nxt.date if nxt else None,
            next_planned_is_recheck=nxt is not None and nxt.kind is FollowUpKind.ateruppfoljning,
            next_avtal_planned=next_avtal.get(unit.id),
            sanctions=tuple(
                (r.sanction.kind, r.sanction.decided_on) for r in sanctions[unit.id].decided
            )
            if unit.id in sanctions
            else (),
            sanction_proposals=len(sanctions[unit.id].proposals) if unit.id in sanctions else 0,
            indicator_misses=tuple(indicator_misses.get(unit.id, ())),
        )
        status = cadence.unit_status(facts, today)
        if flt.statuses and status.level not in flt.statuses:
            continue
        rows.append(
            UnitRow(
                unit_id=unit.id,
                unit=unit.name,
                unit_kind=unit.kind,
                contractor_id=unit.contractor_id,
                contractor=unit.contractor,
                last_followup=ref,
                share_met=shares.get(ref.id) if ref else None,
                open_deviations=facts.open_deviations,
                open_actions=open_actions,
                overdue_actions=overdue_actions,
                overdue_rechecks=overdue_rechecks,
                missing_rechecks=missing_rechecks,
                next_planned=nxt,
                status=status.level,
                reasons=status.texts,
            )
        )
    return rows


@dataclass
class ContractorSummary:
    contractor_id: uuid.UUID
    contractor: str
    units: int
    by_level: dict[StatusLevel, int]
    open_deviations: int
    open_actions: int
    overdue_actions: int
    next_planned: date | None

    @property
    def level(self) -> StatusLevel:
        for level in (StatusLevel.rod, StatusLevel.gul):
            if self.by_level.get(level):
                return level
        return StatusLevel.gron


def contractor_summaries(rows: list[UnitRow]) -> list[ContractorSummary]:
    """The unit rows summed per contractor (for the start pages)."""
    out: dict[uuid.UUID, ContractorSummary] = {}
    for r in rows:
        s = out.setdefault(
            r.contractor_id,
            ContractorSummary(r.contractor_id, r.contractor, 0, {}, 0, 0, 0, None),
        )
        s.units += 1
        s.by_level[r.status] = s.by_level.get(r.status, 0) + 1
        s.open_deviations += r.open_deviations
        s.open_actions += r.open_actions
        s.overdue_actions += r.overdue_actions
        if r.next_planned and (s.next_planned is None or r.next_planned.date < s.next_planned):
            s.next_planned = r.next_planned.date
    return list(out.values())
