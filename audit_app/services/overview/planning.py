"""Planning the year by the policy's cadence: proposals per unit, accepted or moved by a revisor.

- avtalsuppföljning and ledningssystem every six months per unit, one meeting when both are
  due close together (policy 002 holds them together);
- kontroll av biståndsärenden at every committee meeting entered for the year, one unit per
  meeting in turn (the unit checked longest ago);
- kvalitetsrevision when the committee has commissioned one (RevisionCommission).

Proposals are computed, not stored: once accepted (planned through
`followups.plan_followup`) the planned follow-up covers its slot and the proposal is gone.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

import sqlalchemy
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from audit_app.auth import CONDUCT, EDIT_REGISTERS, SYSTEM, Actor, display_names, reads, require
from audit_app.db import fetch, rows_of
from audit_app.domain import cadence, labels
from audit_app.domain.calendar import add_months, previous_working_day
from audit_app.domain.svtext import sv_date
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import (
    CommitteeMeeting,
    Contract,
    Contractor,
    ContractUnit,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FollowUpUnit,
    RevisionCommission,
    Unit,
)
from audit_app.services.audit_log import log_event
from audit_app.services.followups.planning import PlanInput, plan_followup
from audit_app.services.followups.queries import contractor_names, unit_names
from audit_app.services.overview.tables import FOLLOWUP, FOLLOWUP_UNIT, readable
from audit_app.services.overview.units import (
    CADENCE_KINDS,
    RECENT_DAYS,
    _last_held,
    _of_units,
)
from audit_app.services.privacy import guard

T = TypeVar("T", bound=SQLModel)

PLANNED_KINDS = (*CADENCE_KINDS, FollowUpKind.bistandsarenden, FollowUpKind.kvalitetsrevision)
COMBINED_LABEL = "Uppföljning av avtal och ledningssystem"
NO_CONTRACTOR = "Utskottets kontroll"
"""What the plan shows as contractor of the committee's check of biståndsärenden (none)."""


# --------------------------------------------------------------------------- registers


def _touching_year(session: Session, model: type[T], begins: Any, ends: Any, year: int) -> list[T]:
    """The records whose span from `begins` to `ends` touches the year, by `ends`."""
    return rows_of(
        session,
        model,
        col(ends) >= date(year, 1, 1),
        col(begins) <= date(year, 12, 31),
        order_by=col(ends),
    )


def committee_meetings(session: Session, year: int) -> list[CommitteeMeeting]:
    """The committee's meeting dates entered for a year, in order."""
    day = CommitteeMeeting.meeting_date
    return _touching_year(session, CommitteeMeeting, day, day, year)


def add_committee_meeting(
    session: Session, actor: Actor, meeting_date: date, note: str = ""
) -> CommitteeMeeting:
    """Enter a meeting date of the committee (biståndsärenden are checked at each)."""
    require(actor, EDIT_REGISTERS, "lägga in utskottets sammanträden")
    guard({"note": ("Anteckning", note)})
    taken = session.exec(
        select(CommitteeMeeting).where(CommitteeMeeting.meeting_date == meeting_date)
    ).first()
    if taken is not None:
        raise ValidationFailed(
            [FieldError("meeting_date", f"Datum: {sv_date(meeting_date)} finns redan.")]
        )
    meeting = CommitteeMeeting(
        meeting_date=meeting_date, note=note.strip()[:200], created_by_id=actor.user_id
    )
    session.add(meeting)
    session.flush()
    log_event(session, actor, "committeemeeting", meeting.id, "sammanträde inlagt")
    return meeting


def remove_committee_meeting(session: Session, actor: Actor, meeting_id: uuid.UUID) -> None:
    """Take a meeting date away (planned follow-ups stay as they are)."""
    require(actor, EDIT_REGISTERS, "ta bort utskottets sammanträden")
    meeting = fetch(session, CommitteeMeeting, meeting_id, "Sammanträdet finns inte.")
    session.delete(meeting)
    log_event(session, actor, "committeemeeting", meeting_id, "sammanträde borttaget")
    session.flush()


def commissions(session: Session, year: int) -> list[RevisionCommission]:
    """The commissioned quality revisions due in a year."""
    return _touching_year(
        session, RevisionCommission, RevisionCommission.decided_on, RevisionCommission.due_by, year
    )


def add_commission(
    session: Session,
    actor: Actor,
    unit_id: uuid.UUID,
    decided_on: date,
    due_by: date,
    dnr: str = "",
    scope: str = "",
) -> RevisionCommission:
    """Record the committee's commission of a kvalitetsrevision of a unit."""
    require(actor, EDIT_REGISTERS, "lägga in uppdrag om kvalitetsrevision")
    guard({"dnr": ("Diarienummer", dnr), "scope": ("Omfattning", scope)})
    errors = []
    if session.get(Unit, unit_id) is None:
        errors.append(FieldError("unit_id", "Enhet: välj en enhet."))
    if due_by < decided_on:
        errors.append(FieldError("due_by", "Senast: datumet ligger före beslutet."))
    if errors:
        raise ValidationFailed(errors)
    commission = RevisionCommission(
        unit_id=unit_id,
        decided_on=decided_on,
        due_by=due_by,
        dnr=dnr.strip()[:40],
        scope=scope.strip()[:500],
        created_by_id=actor.user_id,
    )
    session.add(commission)
    session.flush()
    log_event(session, actor, "revisioncommission", commission.id, "uppdrag inlagt")
    return commission


# --------------------------------------------------------------------------- proposals


@dataclass(frozen=True)
class Proposal:
    """A follow-up (or one meeting of two) the cadence asks for."""

    key: str
    unit_id: uuid.UUID | None  # None: the committee's check of biståndsärenden (no unit)
    unit: str
    contractor_id: uuid.UUID | None
    contractor: str
    kinds: tuple[FollowUpKind, ...]
    due: date
    proposed: date
    overdue: bool
    basis: str

    @property
    def title(self) -> str:
        if self.kinds == CADENCE_KINDS:
            return COMBINED_LABEL
        return labels.KIND_LABELS[self.kinds[0]]


@dataclass
class _UnitInfo:
    unit: Unit
    contractor: str
    anchor: dict[FollowUpKind, date] = field(default_factory=dict)
    existing: dict[FollowUpKind, list[date]] = field(default_factory=lambda: defaultdict(list))


def _anchors(
    session: Session, first: date, unit_ids: list[uuid.UUID]
) -> dict[tuple[uuid.UUID, FollowUpKind], date]:
    """The last held follow-up of each kind per unit before the year: looked for in the last
    400 days, in the whole history only for units without an avtal or ledningssystem there.
    A biståndsärende checked longer ago than that counts as never (for the rotation)."""
    before = FOLLOWUP.c.planned_date < first
    recent = FOLLOWUP.c.planned_date >= first - timedelta(days=RECENT_DAYS)
    found = _last_held(session, SYSTEM, PLANNED_KINDS, [before, recent])
    lacking = [u for u in unit_ids if any((u, k) not in found for k in CADENCE_KINDS)]
    if lacking:
        older = _last_held(session, SYSTEM, PLANNED_KINDS, [before, _of_units(lacking)])
        found |= {
            key: day for key, day in older.items() if key[1] in CADENCE_KINDS and key not in found
        }
    return found


def _unit_infos(session: Session, year: int) -> dict[uuid.UUID, _UnitInfo]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    infos = {
        u.id: _UnitInfo(u, name)
        for u, name in session.exec(
            select(Unit, Contractor.name)
            .join(Contractor, col(Contractor.id) == Unit.contractor_id)
            .where(col(Unit.archived).is_(False), col(Contractor.archived).is_(False))
            .order_by(col(Contractor.name), col(Unit.name))
        )
    }
    for (unit_id, kind), day in _anchors(session, first, list(infos)).items():
        if unit_id in infos:
            infos[unit_id].anchor[kind] = day
    existing = session.execute(
        sqlalchemy.select(FOLLOWUP_UNIT.c.unit_id, FOLLOWUP.c.kind, FOLLOWUP.c.planned_date)
        .join(FOLLOWUP, FOLLOWUP.c.id == FOLLOWUP_UNIT.c.followup_id)
        .where(
            FOLLOWUP.c.kind.in_(PLANNED_KINDS),
            FOLLOWUP.c.planned_date >= first,
            FOLLOWUP.c.planned_date <= last,
        )
    )
    for unit_id, kind, day in existing:
        if unit_id in infos:
            infos[unit_id].existing[FollowUpKind(kind)].append(day)
    return infos


def _unit_proposal(
    info: _UnitInfo,
    key: str,
    kinds: tuple[FollowUpKind, ...],
    due: date,
    proposed: date,
    today: date,
    basis: str,
) -> Proposal:
    """A proposal for the unit of `info`, overdue once its due day has passed."""
    return Proposal(
        key=key,
        unit_id=info.unit.id,
        unit=info.unit.name,
        contractor_id=info.unit.contractor_id,
        contractor=info.contractor,
        kinds=kinds,
        due=due,
        proposed=proposed,
        overdue=due < today,
        basis=basis,
    )


def _basis(slot: cadence.Slot, name: str) -> str:
    if slot.after is None:
        return f"ingen tidigare {name}"
    return f"sex månader efter {sv_date(slot.after)}"


def _cadence_proposals(info: _UnitInfo, year: int, today: date) -> list[Proposal]:
    avtal_slots = cadence.cadence_slots(
        info.anchor.get(FollowUpKind.avtal), info.existing.get(FollowUpKind.avtal, []), year, today
    )
    # A unit whose ledningssystem was never reviewed has it reviewed at its next avtalsuppföljning.
    slots = {
        FollowUpKind.avtal: avtal_slots,
        FollowUpKind.ledningssystem: cadence.cadence_slots(
            info.anchor.get(FollowUpKind.ledningssystem),
            info.existing.get(FollowUpKind.ledningssystem, []),
            year,
            today,
            first_due=avtal_slots[0].due if avtal_slots else None,
        ),
    }
    out = []
    pairs = cadence.pair_slots(slots[FollowUpKind.avtal], slots[FollowUpKind.ledningssystem])
    for avtal, ledning, day in pairs:
        kinds = tuple(
            k for k, s in ((FollowUpKind.avtal, avtal), (FollowUpKind.ledningssystem, ledning)) if s
        )
        due = min(s.due for s in (avtal, ledning) if s is not None)
        first = avtal or ledning
        assert first is not None
        basis = _basis(first, "avtalsuppföljning" if avtal else "uppföljning av ledningssystem")
        if avtal and ledning:
            basis += "; avtal och ledningssystem i samma möte"
        key = f"{info.unit.id}:{'+'.join(k.value for k in kinds)}:{due.isoformat()}"
        out.append(_unit_proposal(info, key, kinds, due, day, today, basis))
    return out


def _committee_proposals(session: Session, year: int, today: date) -> list[Proposal]:
    """One kontroll av biståndsärenden at every committee meeting that has none planned: the
    committee's own check of three cases, tied to no contractor or unit."""
    planned = set(
        session.exec(
            select(col(FollowUp.planned_date)).where(
                FollowUp.kind == FollowUpKind.bistandsarenden,
                col(FollowUp.planned_date) >= date(year, 1, 1),
                col(FollowUp.planned_date) <= date(year, 12, 31),
            )
        )
    )
    return [
        Proposal(
            key=f"bistandsarenden:{meeting.meeting_date.isoformat()}",
            unit_id=None,
            unit="",
            contractor_id=None,
            contractor=NO_CONTRACTOR,
            kinds=(FollowUpKind.bistandsarenden,),
            due=meeting.meeting_date,
            proposed=meeting.meeting_date,
            overdue=meeting.meeting_date < today,
            basis=f"utskottets sammanträde {sv_date(meeting.meeting_date)}",
        )
        for meeting in committee_meetings(session, year)
        if meeting.meeting_date not in planned
    ]


def _commission_proposals(
    session: Session, infos: dict[uuid.UUID, _UnitInfo], year: int, today: date
) -> list[Proposal]:
    out = []
    for c in commissions(session, year):
        info = infos.get(c.unit_id)
        if info is None:
            continue
        done = session.exec(
            select(func.count())
            .select_from(FollowUp)
            .join(FollowUpUnit, col(FollowUpUnit.followup_id) == FollowUp.id)
            .where(
                FollowUpUnit.unit_id == c.unit_id,
                FollowUp.kind == FollowUpKind.kvalitetsrevision,
                FollowUp.planned_date >= c.decided_on,
            )
        ).one()
        if done:
            continue
        day = min(previous_working_day(add_months(c.decided_on, 2)), c.due_by)
        day = cadence.proposed_day(day, today)
        dnr = f"dnr {c.dnr}, " if c.dnr else ""
        basis = f"uppdrag från utskottet ({dnr}senast {sv_date(c.due_by)})"
        key = f"{c.unit_id}:kvalitetsrevision:{c.id}"
        kinds = (FollowUpKind.kvalitetsrevision,)
        out.append(_unit_proposal(info, key, kinds, c.due_by, day, today, basis))
    return out


def propose_year(session: Session, year: int, today: date | None = None) -> list[Proposal]:
    """The year's follow-ups the cadence asks for that nothing planned or held covers yet."""
    today = today or date.today()
    infos = _unit_infos(session, year)
    out: list[Proposal] = []
    for info in infos.values():
        out += _cadence_proposals(info, year, today)
    out += _committee_proposals(session, year, today)
    out += _commission_proposals(session, infos, year, today)
    return sorted(out, key=lambda p: (p.proposed, p.contractor, p.unit))


def current_contract(session: Session, unit_id: uuid.UUID, day: date) -> uuid.UUID | None:
    """The unit's contract in force on a day (the latest starting one if several)."""
    contracts = session.exec(
        select(Contract)
        .join(ContractUnit, col(ContractUnit.contract_id) == Contract.id)
        .where(
            ContractUnit.unit_id == unit_id,
            col(Contract.archived).is_(False),
            Contract.valid_from <= day,
        )
        .order_by(col(Contract.valid_from).desc())
    ).all()
    for c in contracts:
        if (c.extension_until or c.valid_to) >= day:
            return c.id
    return None


def accept_proposal(
    session: Session,
    actor: Actor,
    proposal: Proposal,
    planned_date: date | None = None,
    planned_time: str = "09:00",
) -> list[FollowUp]:
    """Plan the proposal's follow-ups (on its day, or the day the revisor moved it to)."""
    require(actor, CONDUCT, "planera uppföljningar")
    day = planned_date or proposal.proposed
    if proposal.unit_id is None:  # the committee's check: no contractor, unit or contract
        return [
            plan_followup(
                session,
                actor,
                PlanInput(
                    kind=kind, contractor_id=None, planned_date=day, planned_time=planned_time
                ),
            )
            for kind in proposal.kinds
        ]
    contract_id = current_contract(session, proposal.unit_id, day)
    if FollowUpKind.avtal in proposal.kinds and contract_id is None:
        raise ValidationFailed(
            [
                FieldError(
                    "contract_id",
                    f"Avtal: {proposal.unit} har inget gällande avtal {sv_date(day)}. "
                    "Lägg in avtalet under Register först.",
                )
            ]
        )
    return [
        plan_followup(
            session,
            actor,
            PlanInput(
                kind=kind,
                contractor_id=proposal.contractor_id,
                planned_date=day,
                unit_ids=[proposal.unit_id],
                contract_id=None if kind is FollowUpKind.bistandsarenden else contract_id,
                planned_time=planned_time,
            ),
        )
        for kind in proposal.kinds
    ]


# --------------------------------------------------------------------------- the year's plan


@dataclass(frozen=True)
class PlanItem:
    followup_id: uuid.UUID
    date: date
    kind: FollowUpKind
    status: FollowUpStatus
    contractor: str
    units: str
    author: str
    overdue: bool  # planned, its day has passed and it has not started


@reads
def year_plan(
    session: Session,
    actor: Actor,
    year: int,
    author_id: uuid.UUID | None = None,
    today: date | None = None,
) -> list[PlanItem]:
    """Every follow-up of the year the actor may read (planned and held), by date."""
    today = today or date.today()
    query = (
        sqlalchemy.select(
            FOLLOWUP.c.id,
            FOLLOWUP.c.planned_date,
            FOLLOWUP.c.kind,
            FOLLOWUP.c.status,
            FOLLOWUP.c.author_id,
        )
        .where(
            FOLLOWUP.c.planned_date >= date(year, 1, 1),
            FOLLOWUP.c.planned_date <= date(year, 12, 31),
        )
        .order_by(FOLLOWUP.c.planned_date, FOLLOWUP.c.created_at)
    )
    if author_id is not None:
        query = query.where(FOLLOWUP.c.author_id == author_id)
    rows = session.execute(readable(query, actor)).all()
    names = unit_names(session, [r[0] for r in rows])
    owners = contractor_names(session, [r[0] for r in rows])
    authors = display_names(session, [r[4] for r in rows])
    return [
        PlanItem(
            followup_id=fid,
            date=day,
            kind=FollowUpKind(kind),
            status=FollowUpStatus(status),
            contractor=", ".join(owners.get(fid, [])) or NO_CONTRACTOR,
            units=", ".join(names.get(fid, [])),
            author=authors.get(author, "") if author else "",
            overdue=FollowUpStatus(status) is FollowUpStatus.planerad and day < today,
        )
        for fid, day, kind, status, author in rows
    ]
