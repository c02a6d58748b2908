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
from audit_app.domain.svtext import sv_join
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
    Unit,
)
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.followups.lifecycle import assert_editable
from audit_app.services.followups.queries import (
    findings_of,
    get_followup,
    last_held_of_units,
    previous_for,
    unit_ids_of,
)
from audit_app.services.privacy import guard


@dataclass
class Participant:
    name: str
    role: str
    side: str  # "kommun" or "utforare"

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name.strip(), "role": self.role.strip(), "side": self.side}


@dataclass
class PlanInput:
    """A plan as the form gives it. `contractor_id` is None for a kontroll av biståndsärenden
    (the committee's own check, no contractor or unit) and may be None for a riktad
    uppföljning, whose contractors come from the units chosen (of one or several contractors).
    """

    kind: FollowUpKind
    contractor_id: uuid.UUID | None
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


COMMITTEE_KINDS = (FollowUpKind.bistandsarenden,)
"""Kinds that are the committee's own check: no contractor, no unit."""
ACROSS_CONTRACTORS = (FollowUpKind.riktad,)
"""Kinds that may cover units of several contractors; every other kind has one contractor."""


def stored_contractor(session: Session, data: PlanInput) -> uuid.UUID | None:
    """The contractor a plan is stored with: none for the committee's check; for a riktad
    uppföljning the one contractor of its units, or none when they are several."""
    if data.kind in COMMITTEE_KINDS:
        return None
    if data.kind in ACROSS_CONTRACTORS:
        owners = {u.contractor_id for u in (session.get(Unit, i) for i in data.unit_ids) if u}
        return owners.pop() if len(owners) == 1 else None
    return data.contractor_id


def _validate_scope(session: Session, data: PlanInput) -> list[FieldError]:
    """Who and what the follow-up covers: the contractor, the units, the contract."""
    errors: list[FieldError] = []
    kind = KIND_LABELS[data.kind].lower()
    if data.kind in COMMITTEE_KINDS:
        if data.contractor_id is not None or data.unit_ids or data.contract_id is not None:
            errors.append(
                FieldError(
                    "unit_ids",
                    "Kontroll av biståndsärenden är utskottets egen kontroll av tre ärenden "
                    "och gäller ingen entreprenör, enhet eller avtal. Välj inga.",
                )
            )
        return errors
    if not data.unit_ids:
        errors.append(FieldError("unit_ids", "Enheter: välj minst en enhet."))
    units = [session.get(Unit, i) for i in data.unit_ids]
    if any(u is None for u in units):
        errors.append(FieldError("unit_ids", "Enheter: en av de valda enheterna finns inte."))
    owners = {u.contractor_id for u in units if u is not None}
    if data.kind in ACROSS_CONTRACTORS:
        if data.contractor_id is not None and session.get(Contractor, data.contractor_id) is None:
            errors.append(FieldError("contractor_id", "Entreprenör: välj en entreprenör."))
        if data.contract_id is not None:
            contract = session.get(Contract, data.contract_id)
            if len(owners) > 1:
                errors.append(
                    FieldError(
                        "contract_id",
                        "Avtal: en uppföljning över flera entreprenörer följer inte upp ett "
                        "avtal. Välj inget avtal.",
                    )
                )
            elif contract is None or contract.contractor_id not in owners:
                errors.append(
                    FieldError("contract_id", "Avtal: välj ett avtal med enheternas entreprenör.")
                )
        return errors
    if data.contractor_id is None or session.get(Contractor, data.contractor_id) is None:
        errors.append(FieldError("contractor_id", "Entreprenör: välj en entreprenör."))
        return errors
    if owners - {data.contractor_id}:
        name = session.get(Contractor, data.contractor_id)
        errors.append(
            FieldError(
                "unit_ids",
                f"Enheter: en {kind} gäller en entreprenör; välj bara enheter som drivs av "
                f"{name.name if name else 'entreprenören'}. Bara en särskilt riktad "
                "uppföljning kan omfatta enheter hos flera entreprenörer.",
            )
        )
    if data.kind in (FollowUpKind.avtal, FollowUpKind.ateruppfoljning) and data.contract_id is None:
        errors.append(FieldError("contract_id", "Avtal: välj det avtal som följs upp."))
    if data.contract_id is not None:
        contract = session.get(Contract, data.contract_id)
        if contract is None or contract.contractor_id != data.contractor_id:
            errors.append(FieldError("contract_id", "Avtal: välj ett avtal med entreprenören."))
    return errors


def _validate_plan(session: Session, data: PlanInput) -> list[FieldError]:
    errors = _validate_scope(session, data)
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
        contractor_id=stored_contractor(session, data),
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
    if followup.kind in ACROSS_CONTRACTORS:
        changes["contractor_id"] = stored_contractor(session, data)
    current = set(unit_ids_of(session, followup.id))
    _keep_findings_on_their_unit(session, actor, followup, current, set(data.unit_ids))
    record_changes(session, actor, followup, changes)
    for unit_id in current - set(data.unit_ids):
        link = session.get(FollowUpUnit, (followup.id, unit_id))
        if link is not None:
            session.delete(link)
    for unit_id in set(data.unit_ids) - current:
        session.add(FollowUpUnit(followup_id=followup.id, unit_id=unit_id))
    session.flush()
    return followup


def _keep_findings_on_their_unit(
    session: Session,
    actor: Actor,
    followup: FollowUp,
    current: set[uuid.UUID],
    wanted: set[uuid.UUID],
) -> None:
    """A unit with findings cannot be taken away; when a follow-up of one unit gets more,
    its findings so far are about that first unit, and say so."""
    findings = findings_of(session, followup.id)
    names = {u.id: u.name for u in (session.get(Unit, i) for i in current) if u}
    kept = [f for f in findings if f.unit_id is not None and f.unit_id not in wanted]
    if kept:
        gone = {f.unit_id for f in kept}
        raise ValidationFailed(
            [
                FieldError(
                    "unit_ids",
                    f"Enheter: {sv_join(sorted(names.get(u, '') for u in gone if u))} har "
                    "iakttagelser i uppföljningen och kan inte tas bort.",
                )
            ]
        )
    (only,) = current if len(current) == 1 else (None,)
    if only in wanted and len(wanted) > 1:
        for f in findings:
            if f.unit_id is None:
                record_changes(session, actor, f, {"unit_id": only})


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
