"""Signals about a contractor: record them (the MAS, the utredningssekreterare or the revisor),
list them, and count them for a meeting's point 1 and for a period's report.

Counts and categories only; the short note is guarded against personnummer like every free text.
"""

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, or_, select
from sqlmodel.sql.expression import SelectOfScalar

from audit_app.auth import EDIT_SIGNALS, Actor, reads, require
from audit_app.db import fetch
from audit_app.domain import labels
from audit_app.domain import signals as rules
from audit_app.domain.calendar import add_months
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import (
    Contractor,
    FollowUp,
    InvestigationStatus,
    Signal,
    SignalKind,
    Unit,
)
from audit_app.services.audit_log import create_or_update
from audit_app.services.lookups import within
from audit_app.services.privacy import MESSAGE, looks_like_personnummer

NOTE_MAX = 300
COUNT_MAX = 999


@dataclass
class SignalInput:
    contractor_id: uuid.UUID
    kind: SignalKind
    occurred_on: date
    category: str
    count: int = 1
    status: InvestigationStatus = InvestigationStatus.anmald
    unit_id: uuid.UUID | None = None  # None: the contractor as a whole
    note: str = ""

    @classmethod
    def of(cls, signal: Signal, **changes: Any) -> "SignalInput":
        """The stored signal as input, with `changes` (e.g. a new status) on top."""
        stored = cls(
            contractor_id=signal.contractor_id,
            kind=signal.kind,
            occurred_on=signal.occurred_on,
            category=signal.category,
            count=signal.count,
            status=signal.status,
            unit_id=signal.unit_id,
            note=signal.note,
        )
        return replace(stored, **changes)


@dataclass
class SignalFilter:
    contractor_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None  # a unit's signals and its contractor's general ones
    kinds: list[SignalKind] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class SignalRow:
    """One signal as pages, documents and the CLI show it."""

    signal: Signal
    contractor: str
    unit: str  # "" for the contractor as a whole
    kind: str
    category: str
    status: str


def _check(session: Session, data: SignalInput, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    if session.get(Contractor, data.contractor_id) is None:
        errors.append(FieldError("contractor_id", "Entreprenör: välj en entreprenör."))
    if data.unit_id is not None:
        unit = session.get(Unit, data.unit_id)
        if unit is None or unit.contractor_id != data.contractor_id:
            errors.append(FieldError("unit_id", "Enhet: välj en enhet som drivs av entreprenören."))
    if looks_like_personnummer(data.category):
        errors.append(FieldError("category", MESSAGE.format(label="Kategori")))
    elif data.category not in rules.CATEGORIES[data.kind]:
        errors.append(
            FieldError(
                "category",
                f"Kategori: välj en av kategorierna för "
                f"{labels.SIGNAL_KIND_LABELS[data.kind].lower()}.",
            )
        )
    if not 1 <= data.count <= COUNT_MAX:
        errors.append(FieldError("count", f"Antal: ange ett heltal från 1 till {COUNT_MAX}."))
    if data.occurred_on > today:
        errors.append(FieldError("occurred_on", "Datum: datumet kan inte ligga i framtiden."))
    note = data.note.strip()
    if len(note) > NOTE_MAX:
        errors.append(FieldError("note", f"Kort text: högst {NOTE_MAX} tecken."))
    if looks_like_personnummer(note):
        errors.append(FieldError("note", MESSAGE.format(label="Kort text")))
    return errors


def save_signal(
    session: Session,
    actor: Actor,
    data: SignalInput,
    signal_id: uuid.UUID | None = None,
    today: date | None = None,
) -> Signal:
    """Record a signal (or change one, e.g. its investigation's status) after checking it."""
    require(actor, EDIT_SIGNALS, "registrera signaler (lex Sarah, lex Maria, klagomål)")
    errors = _check(session, data, today or date.today())
    if errors:
        raise ValidationFailed(errors)
    changes = {
        "contractor_id": data.contractor_id,
        "unit_id": data.unit_id,
        "kind": data.kind,
        "occurred_on": data.occurred_on,
        "category": data.category,
        "count": data.count,
        "status": data.status,
        "note": " ".join(data.note.split()),
    }
    return create_or_update(session, actor, Signal, signal_id, changes, "Signalen finns inte.")


def _query(flt: SignalFilter) -> SelectOfScalar[Signal]:
    query = select(Signal)
    if flt.unit_id is not None:
        unit_or_whole = or_(
            col(Signal.unit_id) == flt.unit_id,
            col(Signal.unit_id).is_(None),
        )
        query = query.where(unit_or_whole)
    if flt.contractor_id is not None:
        query = query.where(Signal.contractor_id == flt.contractor_id)
    if flt.kinds:
        query = query.where(col(Signal.kind).in_(flt.kinds))
    return query.where(*within(Signal.occurred_on, flt.date_from, flt.date_to))


@reads
def list_signals(
    session: Session, actor: Actor, flt: SignalFilter | None = None
) -> list[SignalRow]:
    """Signals newest first, with their labels (every role reads them: figures only)."""
    flt = flt or SignalFilter()
    if flt.unit_id is not None and flt.contractor_id is None:
        unit = session.get(Unit, flt.unit_id)
        flt.contractor_id = unit.contractor_id if unit else None
    rows = session.exec(
        _query(flt).order_by(col(Signal.occurred_on).desc(), col(Signal.created_at).desc())
    ).all()
    contractors = dict(session.exec(select(Contractor.id, Contractor.name)).all())
    units = dict(session.exec(select(Unit.id, Unit.name)).all())
    return [
        SignalRow(
            signal=s,
            contractor=contractors.get(s.contractor_id, ""),
            unit=units.get(s.unit_id, "") if s.unit_id else "",
            kind=labels.SIGNAL_KIND_LABELS[s.kind],
            category=rules.category_label(s.kind, s.category),
            status=labels.INVESTIGATION_LABELS[s.status],
        )
        for s in rows
    ]


def counted_between(
    session: Session,
    first: date,
    last: date,
    *,
    contractor_id: uuid.UUID | None = None,
    unit_ids: list[uuid.UUID] | None = None,
    contractor_ids: list[uuid.UUID] | None = None,
) -> list[rules.Counted]:
    """Signals after `first` up to and including `last`, summed per kind; for units, their
    own and their contractor's (or contractors') general ones."""
    query = select(Signal.kind, Signal.count).where(
        Signal.occurred_on > first, Signal.occurred_on <= last
    )
    if contractor_id is not None:
        query = query.where(Signal.contractor_id == contractor_id)
    if contractor_ids is not None:
        query = query.where(col(Signal.contractor_id).in_(contractor_ids))
    if unit_ids is not None:
        query = query.where(or_(col(Signal.unit_id).in_(unit_ids), col(Signal.unit_id).is_(None)))
    return rules.counts_by_kind((SignalKind(k), int(n)) for k, n in session.exec(query).all())


@dataclass(frozen=True)
class MeetingSignals:
    """What point 1 says about signals: counted since the previous meeting that was held."""

    first: date
    last: date
    previous: date | None
    counted: list[rules.Counted]
    text: str  # "Sedan förra mötet: 2 lex Sarah-rapporter, 1 klagomål."


def meeting_signals(
    session: Session, followup: FollowUp, unit_ids: list[uuid.UUID]
) -> MeetingSignals:
    """The signals of a follow-up's units between its previous held meeting and this one."""
    previous = session.get(FollowUp, followup.previous_id) if followup.previous_id else None
    before = previous.planned_date if previous is not None else None
    first, last = rules.window(followup.planned_date, before)
    owners = None
    if followup.contractor_id is None:  # across contractors, or the committee's own check
        owners = list({u.contractor_id for u in (session.get(Unit, i) for i in unit_ids) if u})
    counted = counted_between(
        session,
        first,
        last,
        contractor_id=followup.contractor_id,
        unit_ids=unit_ids,
        contractor_ids=owners,
    )
    return MeetingSignals(first, last, before, counted, rules.since_text(counted, before))


@reads
def unit_recent(
    session: Session, actor: Actor, unit_id: uuid.UUID, today: date | None = None
) -> str:
    """'Senaste tolv månaderna: 2 lex Sarah-rapporter och 3 klagomål.' for a unit's view (its
    own signals and its contractor's general ones)."""
    today = today or date.today()
    unit = fetch(session, Unit, unit_id, "Enheten finns inte.")
    counted = counted_between(
        session,
        add_months(today, -12),
        today,
        contractor_id=unit.contractor_id,
        unit_ids=[unit_id],
    )
    return f"Senaste tolv månaderna: {rules.counts_text(counted) or 'inga signaler'}."
