"""Planning a follow-up of any kind, or a new one from the unit's previous follow-up."""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from audit_app.auth import CONDUCT, Actor, require
from audit_app.domain.labels import (
    KIND_LABELS,
)
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import (
    Contract,
    Contractor,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FollowUpUnit,
    Method,
    RiktadReason,
)
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.followups.lifecycle import assert_editable
from audit_app.services.followups.queries import (
    get_followup,
    last_held_of_units,
    previous_for,
    unit_ids_of,
)
from audit_app.services.privacy import guard
from audit_app.services.registers import foreign_units


@dataclass
class Participant:
    name: str
    role: str
    side: str  # "kommun" or "utforare"

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name.strip(), "role": self.role.strip(), "side": self.side}


@dataclass
class PlanInput:
    kind: FollowUpKind
    contractor_id: uuid.UUID
    planned_date: date
    unit_ids: list[uuid.UUID] = field(default_factory=list)
    contract_id: uuid.UUID | None = None
    planned_time: str = ""
    place: str = ""
    methods: list[Method] = field(default_factory=list)
    reason: RiktadReason | None = None
    reason_text: str = ""
    participants: list[Participant] = field(default_factory=list)
    checklist_version_id: uuid.UUID | None = None
    previous_id: uuid.UUID | None = None
    title: str = ""


def guard_plan(data: PlanInput) -> None:
    """Refuse a plan whose free text holds a personnummer."""
    guard(
        {
            "title": ("Rubrik", data.title),
            "planned_time": ("Tid", data.planned_time),
            "place": ("Plats", data.place),
            "reason_text": ("Beskriv orsaken", data.reason_text),
            "participants": ("Deltagare", [p.as_dict() for p in data.participants]),
        }
    )


def _validate_plan(session: Session, data: PlanInput) -> list[FieldError]:
    errors: list[FieldError] = []
    if session.get(Contractor, data.contractor_id) is None:
        errors.append(FieldError("contractor_id", "Entreprenör: välj en entreprenör."))
    if not data.unit_ids:
        errors.append(FieldError("unit_ids", "Enheter: välj minst en enhet."))
    errors += foreign_units(session, data.contractor_id, data.unit_ids)
    if data.kind in (FollowUpKind.avtal, FollowUpKind.ateruppfoljning) and data.contract_id is None:
        errors.append(FieldError("contract_id", "Avtal: välj det avtal som följs upp."))
    if data.contract_id is not None:
        contract = session.get(Contract, data.contract_id)
        if contract is None or contract.contractor_id != data.contractor_id:
            errors.append(FieldError("contract_id", "Avtal: välj ett avtal med entreprenören."))
    if data.kind is FollowUpKind.riktad and data.reason is None:
        errors.append(
            FieldError("reason", "Orsak: ange varför den särskilt riktade uppföljningen görs.")
        )
    if data.planned_time:
        try:
            hh, mm = data.planned_time.split(":")
            if not (0 <= int(hh) < 24 and 0 <= int(mm) < 60 and len(mm) == 2):
                raise ValueError
        except ValueError:
            errors.append(FieldError("planned_time", "Tid: skriv tiden som 09:30."))
    for number, p in enumerate(data.participants, start=1):
        if not p.name.strip():
            errors.append(FieldError("participants", f"Deltagare {number}: namnet saknas."))
        if p.side not in ("kommun", "utforare"):
            errors.append(
                FieldError("participants", f"Deltagare {number}: välj kommun eller utförare.")
            )
    return errors


def plan_followup(session: Session, actor: Actor, data: PlanInput) -> FollowUp:
    """Plan a follow-up of any kind; nothing is saved if a field is wrong."""
    require(actor, CONDUCT, "planera uppföljningar")
    guard_plan(data)
    errors = _validate_plan(session, data)
    if errors:
        raise ValidationFailed(errors)
    title = data.title.strip() or KIND_LABELS[data.kind]
    followup = FollowUp(
        kind=data.kind,
        title=title,
        contractor_id=data.contractor_id,
        contract_id=data.contract_id,
        planned_date=data.planned_date,
        planned_time=data.planned_time,
        place=data.place.strip(),
        methods=[m.value for m in data.methods],
        reason=data.reason,
        reason_text=data.reason_text.strip(),
        participants=[p.as_dict() for p in data.participants],
        checklist_version_id=data.checklist_version_id,
        previous_id=data.previous_id,
        author_id=actor.user_id,
        updated_by_id=actor.user_id,
    )
    session.add(followup)
    session.flush()
    for unit_id in data.unit_ids:
        session.add(FollowUpUnit(followup_id=followup.id, unit_id=unit_id))
    log_event(session, actor, "followup", followup.id, "planerad")
    session.flush()
    return followup


def update_plan(
    session: Session, actor: Actor, followup_id: uuid.UUID, data: PlanInput
) -> FollowUp:
    """Change the plan of a follow-up that has not been handed over."""
    require(actor, CONDUCT, "ändra uppföljningar")
    guard_plan(data)
    followup = get_followup(session, followup_id)
    assert_editable(followup)
    errors = _validate_plan(session, data)
    if errors:
        raise ValidationFailed(errors)
    changes: dict[str, Any] = {
        "contract_id": data.contract_id,
        "planned_date": data.planned_date,
        "planned_time": data.planned_time,
        "place": data.place.strip(),
        "methods": [m.value for m in data.methods],
        "reason": data.reason,
        "reason_text": data.reason_text.strip(),
        "participants": [p.as_dict() for p in data.participants],
    }
    if followup.status is FollowUpStatus.planerad:
        changes["checklist_version_id"] = data.checklist_version_id
    record_changes(session, actor, followup, changes)
    current = set(unit_ids_of(session, followup.id))
    for unit_id in current - set(data.unit_ids):
        link = session.get(FollowUpUnit, (followup.id, unit_id))
        if link is not None:
            session.delete(link)
    for unit_id in set(data.unit_ids) - current:
        session.add(FollowUpUnit(followup_id=followup.id, unit_id=unit_id))
    session.flush()
    return followup


def prefill_from_previous(
    session: Session, unit_id: uuid.UUID, today: date | None = None
) -> PlanInput | None:
    """Build a new plan from the unit's last held follow-up ("Ny uppföljning utifrån
    föregående"): never a planned or future one; a re-check continues as an avtalsuppföljning."""
    today = today or date.today()
    base = last_held_of_units(session, [unit_id], on_or_before=today)
    if base is None:
        return None
    kind = FollowUpKind.avtal if base.kind is FollowUpKind.ateruppfoljning else base.kind
    previous = previous_for(session, kind, [unit_id], today) or base
    return PlanInput(
        kind=kind,
        contractor_id=previous.contractor_id,
        unit_ids=unit_ids_of(session, previous.id),
        contract_id=previous.contract_id,
        planned_date=max(today, base.planned_date + timedelta(days=1)),
        planned_time=previous.planned_time,
        place=previous.place,
        methods=[Method(m) for m in previous.methods],
        reason=previous.reason,
        reason_text=previous.reason_text,
        participants=[Participant(**p) for p in previous.participants],
        checklist_version_id=previous.checklist_version_id,
        previous_id=previous.id,
    )
