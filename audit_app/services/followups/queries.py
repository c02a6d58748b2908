"""Reading follow-ups: one follow-up and what belongs to it, lists, carried actions."""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from audit_app.auth import Actor, reads
from audit_app.db import fetch, rows_of
from audit_app.domain.agenda import AgendaItem, parse_agenda
from audit_app.domain.agenda import progress as agenda_progress
from audit_app.domain.calendar import OPEN_ACTION
from audit_app.domain.calendar import is_overdue as calendar_is_overdue
from audit_app.domain.rules import HELD, PREVIOUS_KINDS, RESULT_ORDER, SEES_UNFINISHED, can_read
from audit_app.errors import NotFound
from audit_app.models import (
    Action,
    ActionReview,
    Assessment,
    Contractor,
    Finding,
    FollowUp,
    FollowUpKind,
    FollowUpNote,
    FollowUpStatus,
    FollowUpUnit,
    FollowUpVersion,
    Result,
    Unit,
)
from audit_app.services.lookups import unit_names_by


def is_overdue(action: Action, today: date | None = None) -> bool:
    """An action is overdue when its due date has passed and it is not done."""
    return calendar_is_overdue(action.due_date, action.status, today or date.today())


def get_followup(session: Session, followup_id: uuid.UUID) -> FollowUp:
    """One follow-up, for services that have checked the actor's rights themselves."""
    return fetch(session, FollowUp, followup_id, "Uppföljningen finns inte.")


NOT_AVAILABLE = (
    "Uppföljningen är inte tillgänglig för dig ännu. Läsare ser uppföljningar när de är justerade."
)


@reads
def visible_followup(session: Session, actor: Actor, followup_id: uuid.UUID) -> FollowUp:
    """One follow-up as the actor may read it: a läsare sees only justerade ones."""
    followup = get_followup(session, followup_id)
    if not can_read(actor.role, followup.status):
        raise NotFound(NOT_AVAILABLE)
    return followup


def readable_statuses(actor: Actor) -> list[FollowUpStatus] | None:
    """The statuses the actor may read (None: every status)."""
    return None if actor.role in SEES_UNFINISHED else [FollowUpStatus.justerad]


def unit_ids_of(session: Session, followup_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        session.exec(select(FollowUpUnit.unit_id).where(FollowUpUnit.followup_id == followup_id))
    )


def last_held_of_units(
    session: Session,
    unit_ids: list[uuid.UUID],
    kinds: tuple[FollowUpKind, ...] | None = None,
    on_or_before: date | None = None,
    exclude: uuid.UUID | None = None,
) -> FollowUp | None:
    """The latest follow-up of these units that has taken place (started or later), of the
    given kinds, on or before a date; never a planned one."""
    if not unit_ids:
        return None
    query = (
        select(FollowUp)
        .where(
            col(FollowUp.id).in_(
                select(FollowUpUnit.followup_id).where(col(FollowUpUnit.unit_id).in_(unit_ids))
            ),
            col(FollowUp.status).in_(HELD),
        )
        .order_by(
            col(FollowUp.planned_date).desc(), col(FollowUp.created_at).desc(), col(FollowUp.id)
        )
    )
    if kinds is not None:
        query = query.where(col(FollowUp.kind).in_(kinds))
    if on_or_before is not None:
        query = query.where(FollowUp.planned_date <= on_or_before)
    if exclude is not None:
        query = query.where(FollowUp.id != exclude)
    return session.exec(query).first()


def previous_for(
    session: Session,
    kind: FollowUpKind,
    unit_ids: list[uuid.UUID],
    day: date,
    exclude: uuid.UUID | None = None,
) -> FollowUp | None:
    """The follow-up a new one of `kind` on `day` continues (see `rules.PREVIOUS_KINDS`)."""
    return last_held_of_units(session, unit_ids, PREVIOUS_KINDS[kind], day, exclude)


def agenda_of(followup: FollowUp) -> list[AgendaItem]:
    """The follow-up's frozen agenda, typed."""
    return parse_agenda(followup.agenda)


def agenda_item(followup: FollowUp, item_key: str) -> AgendaItem:
    for item in followup.agenda:
        if item["key"] == item_key:
            return AgendaItem.model_validate(item)
    raise NotFound(f"Punkten {item_key!r} finns inte i uppföljningens checklista.")


def versions_of(session: Session, followup_id: uuid.UUID) -> list[FollowUpVersion]:
    return rows_of(
        session,
        FollowUpVersion,
        FollowUpVersion.followup_id == followup_id,
        order_by=col(FollowUpVersion.version),
    )


def assessments_of(
    session: Session, followup_id: uuid.UUID, keys: list[str] | None = None
) -> dict[str, Assessment]:
    """The answers of a follow-up by item key (of the given items only, if named)."""
    query = select(Assessment).where(Assessment.followup_id == followup_id)
    if keys is not None and len(keys) < 20:
        query = query.where(col(Assessment.item_key).in_(keys))
    return {a.item_key: a for a in session.exec(query) if keys is None or a.item_key in keys}


def progress(followup: FollowUp, assessments: dict[str, Assessment]) -> tuple[int, int]:
    """Return (answered, total) over the agenda items."""
    return agenda_progress(agenda_of(followup), assessments)


def findings_of(session: Session, followup_id: uuid.UUID) -> list[Finding]:
    return rows_of(
        session, Finding, Finding.followup_id == followup_id, order_by=col(Finding.created_at)
    )


def get_finding(session: Session, finding_id: uuid.UUID) -> Finding:
    return fetch(session, Finding, finding_id, "Iakttagelsen finns inte.")


def recheck_of(session: Session, followup_id: uuid.UUID) -> FollowUp | None:
    """The (first) återuppföljning of a follow-up; see `rechecks_of` for one across
    contractors, which has one per contractor."""
    found = rechecks_of(session, followup_id)
    return found[0] if found else None


def rechecks_of(session: Session, followup_id: uuid.UUID) -> list[FollowUp]:
    """The återuppföljningar of a follow-up: one, or one per contractor of a riktad uppföljning
    across contractors (earliest first)."""
    return list(
        session.exec(
            select(FollowUp)
            .where(
                FollowUp.previous_id == followup_id,
                FollowUp.kind == FollowUpKind.ateruppfoljning,
            )
            .order_by(col(FollowUp.planned_date), col(FollowUp.created_at), col(FollowUp.id))
        )
    )


def actions_of(session: Session, finding_id: uuid.UUID) -> list[Action]:
    return rows_of(
        session, Action, Action.finding_id == finding_id, order_by=col(Action.created_at)
    )


def actions_of_followup(session: Session, followup_id: uuid.UUID) -> list[tuple[Finding, Action]]:
    rows = session.exec(
        select(Finding, Action)
        .join(Action, col(Action.finding_id) == Finding.id)
        .where(Finding.followup_id == followup_id)
        .order_by(col(Finding.created_at), col(Action.created_at))
    )
    return [(f, a) for f, a in rows]


def carried_actions(session: Session, followup: FollowUp) -> list[tuple[FollowUp, Finding, Action]]:
    """Every action of an earlier follow-up of the same units still open, or reviewed here."""
    unit_ids = unit_ids_of(session, followup.id)
    if not unit_ids:
        return []
    earlier = select(FollowUpUnit.followup_id).where(col(FollowUpUnit.unit_id).in_(unit_ids))
    reviewed_here = select(ActionReview.action_id).where(ActionReview.followup_id == followup.id)
    rows = session.exec(
        select(FollowUp, Finding, Action)
        .join(Finding, col(Finding.followup_id) == FollowUp.id)
        .join(Action, col(Action.finding_id) == Finding.id)
        .where(
            col(FollowUp.id).in_(earlier),
            FollowUp.id != followup.id,
            FollowUp.planned_date <= followup.planned_date,
            (col(Action.status).in_(OPEN_ACTION)) | (col(Action.id).in_(reviewed_here)),
            # an action follows its finding's unit: only those of these units come along
            col(Finding.unit_id).is_(None) | col(Finding.unit_id).in_(unit_ids),
        )
        .order_by(col(FollowUp.planned_date), col(Finding.created_at), col(Action.created_at))
    )
    return [(fu, f, a) for fu, f, a in rows]


def reviews_of(session: Session, followup_id: uuid.UUID) -> dict[uuid.UUID, ActionReview]:
    rows = session.exec(select(ActionReview).where(ActionReview.followup_id == followup_id))
    return {r.action_id: r for r in rows}


@dataclass
class Comparison:
    previous: dict[str, Result]
    improved: list[str]
    worse: list[str]
    same: int


def compare_with_previous(session: Session, followup: FollowUp) -> Comparison | None:
    """Compare each item's result with the follow-up this one continues."""
    if followup.previous_id is None:
        return None
    before = assessments_of(session, followup.previous_id)
    now = assessments_of(session, followup.id)
    previous: dict[str, Result] = {
        k: a.result for k, a in before.items() if a.result is not Result.ej_bedomd
    }
    improved, worse, same = [], [], 0
    for key, a in now.items():
        old = previous.get(key)
        if old not in RESULT_ORDER or a.result not in RESULT_ORDER:
            continue
        assert old is not None
        if RESULT_ORDER[a.result] > RESULT_ORDER[old]:
            improved.append(key)
        elif RESULT_ORDER[a.result] < RESULT_ORDER[old]:
            worse.append(key)
        else:
            same += 1
    return Comparison(previous, improved, worse, same)


@dataclass
class FollowUpFilter:
    contractor_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    kinds: list[FollowUpKind] = field(default_factory=list)
    statuses: list[FollowUpStatus] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    author_id: uuid.UUID | None = None
    limit: int | None = None
    newest_first: bool = True


def list_followups(
    session: Session, flt: FollowUpFilter | None = None, *, actor: Actor
) -> list[FollowUp]:
    """The follow-ups matching the filter that the actor may read."""
    flt = flt or FollowUpFilter()
    query = select(FollowUp)
    readable = readable_statuses(actor)
    if readable is not None:
        query = query.where(col(FollowUp.status).in_(readable))
    if flt.contractor_id is not None:
        query = query.where(of_contractor(flt.contractor_id))
    if flt.unit_id is not None:
        query = query.where(
            col(FollowUp.id).in_(
                select(FollowUpUnit.followup_id).where(FollowUpUnit.unit_id == flt.unit_id)
            )
        )
    if flt.kinds:
        query = query.where(col(FollowUp.kind).in_(flt.kinds))
    if flt.statuses:
        query = query.where(col(FollowUp.status).in_(flt.statuses))
    if flt.date_from is not None:
        query = query.where(FollowUp.planned_date >= flt.date_from)
    if flt.date_to is not None:
        query = query.where(FollowUp.planned_date <= flt.date_to)
    if flt.author_id is not None:
        query = query.where(FollowUp.author_id == flt.author_id)
    order = col(FollowUp.planned_date).desc() if flt.newest_first else col(FollowUp.planned_date)
    query = query.order_by(order, col(FollowUp.planned_time), col(FollowUp.created_at))
    if flt.limit:
        query = query.limit(flt.limit)
    return list(session.exec(query))


def of_contractor(contractor_id: uuid.UUID) -> Any:
    """Where-clause: the follow-up is the contractor's, or covers one of its units (a riktad
    uppföljning across contractors has no contractor of its own)."""
    own_units = select(Unit.id).where(Unit.contractor_id == contractor_id)
    return (col(FollowUp.contractor_id) == contractor_id) | col(FollowUp.id).in_(
        select(FollowUpUnit.followup_id).where(col(FollowUpUnit.unit_id).in_(own_units))
    )


def contractors_of(
    session: Session, followup_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Map follow-up ids to their contractors, from their units (ordered by contractor name);
    a follow-up without units gets its own contractor, if it has one."""
    result: dict[uuid.UUID, list[uuid.UUID]] = {i: [] for i in followup_ids}
    if not followup_ids:
        return result
    rows = session.exec(
        select(FollowUpUnit.followup_id, Unit.contractor_id)
        .join(Unit, col(Unit.id) == FollowUpUnit.unit_id)
        .join(Contractor, col(Contractor.id) == Unit.contractor_id)
        .where(col(FollowUpUnit.followup_id).in_(followup_ids))
        .order_by(col(Contractor.name), col(Contractor.id))
    )
    for fid, contractor_id in rows:
        if contractor_id not in result[fid]:
            result[fid].append(contractor_id)
    empty = [i for i, found in result.items() if not found]
    if empty:
        own = session.exec(
            select(FollowUp.id, FollowUp.contractor_id).where(col(FollowUp.id).in_(empty))
        )
        for fid, own_id in own:
            if own_id is not None:
                result[fid].append(own_id)
    return result


def contractor_names(session: Session, followup_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Map follow-up ids to the names of their contractors (from their units); empty for the
    committee's kontroll av biståndsärenden."""
    ids = contractors_of(session, followup_ids)
    wanted = {c for found in ids.values() for c in found}
    names = (
        dict(
            session.exec(
                select(Contractor.id, Contractor.name).where(col(Contractor.id).in_(wanted))
            ).all()
        )
        if wanted
        else {}
    )
    return {fid: [names[c] for c in found if c in names] for fid, found in ids.items()}


def notes_of(session: Session, followup_id: uuid.UUID) -> dict[str, str]:
    """The free fields of a follow-up's agenda (e.g. staffing figures), by key."""
    rows = session.exec(select(FollowUpNote).where(FollowUpNote.followup_id == followup_id))
    return {n.key: n.value for n in rows if n.value}


def unit_names(session: Session, followup_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Map follow-up ids to the names of their units (one query)."""
    return unit_names_by(session, FollowUpUnit.followup_id, FollowUpUnit.unit_id, followup_ids)


@dataclass(frozen=True)
class NamedFollowUps:
    """Follow-ups with the names of their units and contractors, read in the same session."""

    followups: list[FollowUp]
    units: dict[uuid.UUID, list[str]]
    contractors: dict[uuid.UUID, list[str]]


def with_names(session: Session, followups: list[FollowUp]) -> NamedFollowUps:
    """Return `followups` with their units' and contractors' names (two queries)."""
    ids = [f.id for f in followups]
    return NamedFollowUps(followups, unit_names(session, ids), contractor_names(session, ids))
