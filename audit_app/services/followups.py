"""Follow-ups: plan, conduct, assess, findings, actions, re-checks, locking and versions."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from audit_app.auth import CONDUCT, JUSTERA, Actor, display_name, require
from audit_app.db import fetch
from audit_app.domain.agenda import AgendaItem, parse_agenda
from audit_app.domain.agenda import progress as agenda_progress
from audit_app.domain.calendar import OPEN_ACTION, recheck_date
from audit_app.domain.calendar import is_overdue as calendar_is_overdue
from audit_app.domain.labels import (
    FINDING_KIND_LABELS,
    KIND_LABELS,
    RESULT_LABELS,
    REVIEW_MARK_LABELS,
)
from audit_app.domain.rules import (
    RESULT_ORDER,
    REVIEW_MARK_STATUS,
    justera_refusal,
    proposal_for,
)
from audit_app.errors import FieldError, Locked, NotFound, PermissionDenied, ValidationFailed
from audit_app.models import (
    Action,
    ActionReview,
    ActionStatus,
    Assessment,
    ChangeLog,
    Contract,
    Contractor,
    Evidence,
    Finding,
    FindingKind,
    FindingSource,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FollowUpUnit,
    FollowUpVersion,
    Method,
    Result,
    ReviewMark,
    RiktadReason,
    StaffingAnalysis,
    Unit,
    utcnow,
)
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.privacy import refuse_personnummer


def is_overdue(action: Action, today: date | None = None) -> bool:
    """An action is overdue when its due date has passed and it is not done."""
    return calendar_is_overdue(action.due_date, action.status, today or date.today())


# --------------------------------------------------------------------------- planning


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


def get_followup(session: Session, followup_id: uuid.UUID) -> FollowUp:
    return fetch(session, FollowUp, followup_id, "Uppföljningen finns inte.")


def unit_ids_of(session: Session, followup_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        session.exec(select(FollowUpUnit.unit_id).where(FollowUpUnit.followup_id == followup_id))
    )


def _validate_plan(session: Session, data: PlanInput) -> list[FieldError]:
    errors: list[FieldError] = []
    if session.get(Contractor, data.contractor_id) is None:
        errors.append(FieldError("contractor_id", "Entreprenör: välj en entreprenör."))
    if not data.unit_ids:
        errors.append(FieldError("unit_ids", "Enheter: välj minst en enhet."))
    for unit_id in data.unit_ids:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.contractor_id != data.contractor_id:
            errors.append(
                FieldError("unit_ids", "Enheter: välj bara enheter som drivs av entreprenören.")
            )
            break
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


def last_followup_of_unit(
    session: Session,
    unit_id: uuid.UUID,
    before: date | None = None,
    kind: FollowUpKind | None = None,
) -> FollowUp | None:
    query = (
        select(FollowUp)
        .join(FollowUpUnit, col(FollowUpUnit.followup_id) == FollowUp.id)
        .where(FollowUpUnit.unit_id == unit_id)
        .order_by(col(FollowUp.planned_date).desc())
    )
    if before is not None:
        query = query.where(FollowUp.planned_date < before)
    if kind is not None:
        query = query.where(FollowUp.kind == kind)
    return session.exec(query).first()


def prefill_from_previous(
    session: Session, unit_id: uuid.UUID, today: date | None = None
) -> PlanInput | None:
    """Build a new plan from the last follow-up of the unit ("Ny uppföljning utifrån föregående")."""
    today = today or date.today()
    previous = last_followup_of_unit(session, unit_id)
    if previous is None:
        return None
    kind = FollowUpKind.avtal if previous.kind is FollowUpKind.ateruppfoljning else previous.kind
    return PlanInput(
        kind=kind,
        contractor_id=previous.contractor_id,
        unit_ids=unit_ids_of(session, previous.id),
        contract_id=previous.contract_id,
        planned_date=max(today, previous.planned_date + timedelta(days=1)),
        planned_time=previous.planned_time,
        place=previous.place,
        methods=[Method(m) for m in previous.methods],
        reason=previous.reason,
        reason_text=previous.reason_text,
        participants=[Participant(**p) for p in previous.participants],
        checklist_version_id=previous.checklist_version_id,
        previous_id=previous.id,
    )


# --------------------------------------------------------------------------- agenda

# Builds the resolved agenda of a follow-up; set by the checklist service (see start_followup).
AgendaBuilder = Callable[[Session, FollowUp], list[dict[str, Any]]]


def _default_agenda(session: Session, followup: FollowUp) -> list[dict[str, Any]]:
    from audit_app.services.checklists_agenda import agenda_for_followup

    return agenda_for_followup(session, followup)


def start_followup(
    session: Session, actor: Actor, followup_id: uuid.UUID, builder: AgendaBuilder | None = None
) -> FollowUp:
    """Move a planned follow-up to pågår and freeze its agenda (checklist + contract items)."""
    require(actor, CONDUCT, "genomföra uppföljningar")
    followup = get_followup(session, followup_id)
    assert_editable(followup)
    if followup.status is not FollowUpStatus.planerad:
        return followup
    if not followup.agenda:
        followup.agenda = (builder or _default_agenda)(session, followup)
    if followup.previous_id is None:
        followup.previous_id = _previous_for(session, followup)
    record_changes(session, actor, followup, {"status": FollowUpStatus.pagar})
    session.flush()
    return followup


def _previous_for(session: Session, followup: FollowUp) -> uuid.UUID | None:
    for unit_id in unit_ids_of(session, followup.id):
        query = (
            select(FollowUp)
            .join(FollowUpUnit, col(FollowUpUnit.followup_id) == FollowUp.id)
            .where(
                FollowUpUnit.unit_id == unit_id,
                FollowUp.id != followup.id,
                FollowUp.planned_date <= followup.planned_date,
                col(FollowUp.status).in_([FollowUpStatus.justerad, FollowUpStatus.klar]),
            )
            .order_by(col(FollowUp.planned_date).desc())
        )
        previous = session.exec(query).first()
        if previous is not None:
            return previous.id
    return None


def agenda_of(followup: FollowUp) -> list[AgendaItem]:
    """The follow-up's frozen agenda, typed."""
    return parse_agenda(followup.agenda)


def agenda_item(followup: FollowUp, item_key: str) -> AgendaItem:
    for item in followup.agenda:
        if item["key"] == item_key:
            return AgendaItem.model_validate(item)
    raise NotFound(f"Punkten {item_key!r} finns inte i uppföljningens checklista.")


# --------------------------------------------------------------------------- locking


def assert_editable(followup: FollowUp) -> None:
    """Refuse writes to a follow-up that is handed over or justerad."""
    if followup.status is FollowUpStatus.justerad:
        raise Locked(
            "Uppföljningen är justerad och låst. En rättelse görs som en ny version "
            "med angiven anledning."
        )
    if followup.status is FollowUpStatus.klar:
        raise Locked("Uppföljningen är lämnad för justering. Skicka tillbaka den för att ändra.")


def hand_over(session: Session, actor: Actor, followup_id: uuid.UUID) -> FollowUp:
    """Mark a follow-up as klar för justering when every proposal is decided."""
    require(actor, CONDUCT, "lämna uppföljningar för justering")
    followup = get_followup(session, followup_id)
    assert_editable(followup)
    problems: list[str] = []
    findings = findings_of(session, followup.id)
    undecided = [f for f in findings if f.status is FindingStatus.foreslagen]
    if undecided:
        problems.append(
            f"{len(undecided)} föreslagna avvikelser är inte bekräftade eller nedgraderade."
        )
    for finding in findings:
        if (
            finding.kind is FindingKind.avvikelse
            and finding.status is FindingStatus.bekraftad
            and not actions_of(session, finding.id)
        ):
            problems.append(f"Avvikelsen {finding.title!r} saknar åtgärd i åtgärdsplanen.")
    if problems:
        raise ValidationFailed(problems, intro="Uppföljningen kan inte lämnas för justering än:")
    record_changes(session, actor, followup, {"status": FollowUpStatus.klar})
    return followup


def send_back(session: Session, actor: Actor, followup_id: uuid.UUID) -> FollowUp:
    """Return a handed-over follow-up to pågår (before it is justerad)."""
    require(actor, CONDUCT | JUSTERA, "skicka tillbaka uppföljningar")
    followup = get_followup(session, followup_id)
    if followup.status is not FollowUpStatus.klar:
        raise ValidationFailed(
            ["Bara en uppföljning som är klar för justering kan skickas tillbaka."]
        )
    record_changes(session, actor, followup, {"status": FollowUpStatus.pagar})
    return followup


NOT_WRITING = {"status", "justerad_by_id", "justerad_at"}
"""Change-log fields that are not writing the record (moving it through its statuses)."""


def writers_of(session: Session, followup: FollowUp) -> set[uuid.UUID | None]:
    """Everyone who wrote in the follow-up's current version: planned it, answered, recorded
    findings, actions, reviews, evidence or staffing analyses (from the change log)."""
    finding_ids = [f.id for f in findings_of(session, followup.id)]
    entity_ids = {str(followup.id)}
    entity_ids |= {
        str(i)
        for i in session.exec(select(Assessment.id).where(Assessment.followup_id == followup.id))
    }
    entity_ids |= {str(i) for i in finding_ids}
    entity_ids |= {
        str(i)
        for i in session.exec(
            select(ActionReview.id).where(ActionReview.followup_id == followup.id)
        )
    }
    if finding_ids:
        entity_ids |= {
            str(i)
            for i in session.exec(select(Action.id).where(col(Action.finding_id).in_(finding_ids)))
        }
    query = select(ChangeLog.user_id, ChangeLog.at, ChangeLog.field).where(
        col(ChangeLog.entity_id).in_(entity_ids)
    )
    since = _version_started(session, followup)
    writers: set[uuid.UUID | None] = set()
    if followup.doc_version == 1:
        writers.add(followup.author_id)
    for user_id, at, fld in session.exec(query):
        if fld in NOT_WRITING or (since is not None and at < since):
            continue
        writers.add(user_id)
    evidence = select(Evidence.uploaded_by_id, Evidence.uploaded_at).where(
        Evidence.followup_id == followup.id
    )
    analyses = select(StaffingAnalysis.created_by_id, StaffingAnalysis.created_at).where(
        StaffingAnalysis.followup_id == followup.id
    )
    for user_id, at in [*session.exec(evidence), *session.exec(analyses)]:
        if since is None or at >= since:
            writers.add(user_id)
    return writers


def _version_started(session: Session, followup: FollowUp) -> Any:
    """When the current correction was opened (None for version 1)."""
    if followup.doc_version == 1:
        return None
    return session.exec(
        select(ChangeLog.at)
        .where(ChangeLog.entity_id == str(followup.id), ChangeLog.field == "doc_version")
        .order_by(col(ChangeLog.at).desc())
    ).first()


def justera_refusal_for(session: Session, actor: Actor, followup: FollowUp) -> str | None:
    """Why `actor` may not justera this follow-up now, or None if they may."""
    if followup.status is not FollowUpStatus.klar:
        return "Uppföljningen måste vara klar för justering innan den justeras."
    return justera_refusal(actor.role, actor.user_id, writers_of(session, followup))


def may_justera(session: Session, actor: Actor, followup: FollowUp) -> bool:
    """The one rule pages and the service share: chef or revisor, four eyes, handed over."""
    return justera_refusal_for(session, actor, followup) is None


JusteraStep = Callable[[Session, FollowUp], Any]
"""A step run in the transaction of a justering, e.g. storing the minutes (documents package)."""


def justera(
    session: Session, actor: Actor, followup_id: uuid.UUID, *, store: JusteraStep
) -> FollowUp:
    """Justera: the förvaltningschef, or a revisor who wrote nothing in it, locks the follow-up.

    `store` keeps what must not change afterwards (the minutes); it is passed in by the caller
    so follow-ups stay below documents in the import graph.
    """
    require(actor, JUSTERA, "justera uppföljningar")
    followup = get_followup(session, followup_id)
    if followup.status is not FollowUpStatus.klar:
        raise ValidationFailed(["Uppföljningen måste vara klar för justering innan den justeras."])
    refusal = justera_refusal_for(session, actor, followup)
    if refusal:
        raise PermissionDenied(refusal)
    record_changes(
        session,
        actor,
        followup,
        {
            "status": FollowUpStatus.justerad,
            "justerad_by_id": actor.user_id,
            "justerad_at": utcnow(),
        },
    )
    session.flush()
    session.add(
        FollowUpVersion(
            followup_id=followup.id,
            version=followup.doc_version,
            snapshot=snapshot(session, followup),
            reason=followup.correction_reason,
            created_by_id=actor.user_id,
        )
    )
    log_event(session, actor, "followup", followup.id, f"justerad version {followup.doc_version}")
    session.flush()
    store(session, followup)
    return followup


def start_correction(
    session: Session, actor: Actor, followup_id: uuid.UUID, reason: str
) -> FollowUp:
    """Open a justerad follow-up as a new version; the justerad version stays readable."""
    require(actor, CONDUCT, "rätta justerade uppföljningar")
    followup = get_followup(session, followup_id)
    if followup.status is not FollowUpStatus.justerad:
        raise ValidationFailed(["Bara en justerad uppföljning rättas som ny version."])
    if len(reason.strip()) < 5:
        raise ValidationFailed(
            [FieldError("reason", "Anledning: skriv varför den justerade uppföljningen rättas.")]
        )
    record_changes(
        session,
        actor,
        followup,
        {
            "status": FollowUpStatus.pagar,
            "doc_version": followup.doc_version + 1,
            "correction_reason": reason.strip(),
            "justerad_by_id": None,
            "justerad_at": None,
        },
    )
    log_event(session, actor, "followup", followup.id, f"rättelse påbörjad: {reason.strip()}")
    session.flush()
    return followup


def versions_of(session: Session, followup_id: uuid.UUID) -> list[FollowUpVersion]:
    return list(
        session.exec(
            select(FollowUpVersion)
            .where(FollowUpVersion.followup_id == followup_id)
            .order_by(col(FollowUpVersion.version))
        )
    )


# --------------------------------------------------------------------------- assessments


def assessments_of(session: Session, followup_id: uuid.UUID) -> dict[str, Assessment]:
    rows = session.exec(select(Assessment).where(Assessment.followup_id == followup_id))
    return {a.item_key: a for a in rows}


def _ensure_started(session: Session, actor: Actor, followup: FollowUp) -> None:
    assert_editable(followup)
    if followup.status is FollowUpStatus.planerad:
        start_followup(session, actor, followup.id)


def save_assessment(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    item_key: str,
    *,
    result: Result | None = None,
    value: str | None = None,
    comment: str | None = None,
) -> Assessment:
    """Save one answer at once; a SKA-krav not met proposes an avvikelse."""
    require(actor, CONDUCT, "bedöma punkter")
    followup = get_followup(session, followup_id)
    _ensure_started(session, actor, followup)
    item = agenda_item(followup, item_key)
    if value is not None:
        refuse_personnummer(value, f"Svaret på {item.key!r}")
        value = item.normalise_answer(value)
    if comment is not None:
        refuse_personnummer(comment, "Kommentar")
    assessment = session.exec(
        select(Assessment).where(
            Assessment.followup_id == followup_id, Assessment.item_key == item_key
        )
    ).first()
    created = assessment is None
    if assessment is None:
        assessment = Assessment(
            followup_id=followup_id, item_key=item_key, updated_by_id=actor.user_id
        )
    changes: dict[str, Any] = {}
    if result is not None:
        changes["result"] = result
    if value is not None:
        changes["value"] = value.strip()
    if comment is not None:
        changes["comment"] = comment.strip()
    record_changes(session, actor, assessment, changes, created=created)
    if result is not None:
        _propose_finding(session, actor, followup, item, result, assessment.comment)
    session.flush()
    return assessment


def _propose_finding(
    session: Session,
    actor: Actor,
    followup: FollowUp,
    item: AgendaItem,
    result: Result,
    comment: str,
) -> None:
    existing = session.exec(
        select(Finding).where(
            Finding.followup_id == followup.id,
            Finding.item_key == item.key,
            Finding.source == FindingSource.agenda,
        )
    ).first()
    kind = proposal_for(item, result)
    if kind is None:
        if existing is not None and existing.status is FindingStatus.foreslagen:
            record_changes(
                session,
                actor,
                existing,
                {"status": FindingStatus.avfardad, "withdraw_reason": "Bedömningen ändrades."},
            )
        return
    if existing is not None:
        if existing.status is FindingStatus.avfardad:
            record_changes(
                session,
                actor,
                existing,
                {"status": FindingStatus.foreslagen, "kind": kind, "withdraw_reason": ""},
            )
        return
    finding = Finding(
        followup_id=followup.id,
        kind=kind,
        status=FindingStatus.foreslagen,
        source=FindingSource.agenda,
        item_key=item.key,
        clause=item.clause,
        area=item.area or item.section_title,
        title=_short(item.text),
        description=comment,
        updated_by_id=actor.user_id,
    )
    record_changes(session, actor, finding, {"status": FindingStatus.foreslagen}, created=True)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def progress(followup: FollowUp, assessments: dict[str, Assessment]) -> tuple[int, int]:
    """Return (answered, total) over the agenda items."""
    return agenda_progress(agenda_of(followup), assessments)


def save_notes(
    session: Session, actor: Actor, followup_id: uuid.UUID, notes: dict[str, Any]
) -> FollowUp:
    """Save free fields of the agenda (e.g. staffing figures and comments)."""
    require(actor, CONDUCT, "skriva i uppföljningar")
    followup = get_followup(session, followup_id)
    _ensure_started(session, actor, followup)
    for key, val in notes.items():
        if isinstance(val, str):
            refuse_personnummer(val, key)
    merged = dict(followup.notes) | notes
    record_changes(session, actor, followup, {"notes": merged})
    return followup


# --------------------------------------------------------------------------- findings


def findings_of(session: Session, followup_id: uuid.UUID) -> list[Finding]:
    return list(
        session.exec(
            select(Finding)
            .where(Finding.followup_id == followup_id)
            .order_by(col(Finding.created_at))
        )
    )


def get_finding(session: Session, finding_id: uuid.UUID) -> Finding:
    return fetch(session, Finding, finding_id, "Iakttagelsen finns inte.")


def confirm_finding(
    session: Session, actor: Actor, finding_id: uuid.UUID, description: str | None = None
) -> Finding:
    """Confirm a proposed finding; an avvikelse schedules the re-check at once."""
    require(actor, CONDUCT, "bekräfta avvikelser")
    finding = get_finding(session, finding_id)
    followup = get_followup(session, finding.followup_id)
    assert_editable(followup)
    changes: dict[str, Any] = {"status": FindingStatus.bekraftad}
    if description is not None:
        refuse_personnummer(description, "Beskrivning")
        changes["description"] = description.strip()
    record_changes(session, actor, finding, changes)
    if finding.kind is FindingKind.avvikelse:
        ensure_recheck(session, actor, followup, finding)
    session.flush()
    return finding


def downgrade_finding(
    session: Session, actor: Actor, finding_id: uuid.UUID, reason: str
) -> Finding:
    """Downgrade a proposed avvikelse to a förbättringsområde, with the reason."""
    require(actor, CONDUCT, "nedgradera avvikelser")
    finding = get_finding(session, finding_id)
    assert_editable(get_followup(session, finding.followup_id))
    if not reason.strip():
        raise ValidationFailed(
            [
                FieldError(
                    "reason", "Anledning: skriv varför avvikelsen blir ett förbättringsområde."
                )
            ]
        )
    refuse_personnummer(reason, "Anledning")
    record_changes(
        session,
        actor,
        finding,
        {
            "kind": FindingKind.forbattringsomrade,
            "status": FindingStatus.bekraftad,
            "downgrade_reason": reason.strip(),
        },
    )
    return finding


def set_for_committee(
    session: Session, actor: Actor, finding_id: uuid.UUID, value: bool
) -> Finding:
    """Mark whether the finding's free text may be quoted in the report to the committee."""
    require(actor, CONDUCT, "ändra iakttagelser")
    finding = get_finding(session, finding_id)
    assert_editable(get_followup(session, finding.followup_id))
    record_changes(session, actor, finding, {"for_committee": value})
    return finding


def reject_finding(session: Session, actor: Actor, finding_id: uuid.UUID, reason: str) -> Finding:
    """Reject a proposal (e.g. the result was corrected); the reason is kept."""
    require(actor, CONDUCT, "avfärda förslag")
    finding = get_finding(session, finding_id)
    assert_editable(get_followup(session, finding.followup_id))
    record_changes(
        session,
        actor,
        finding,
        {"status": FindingStatus.avfardad, "reject_reason": reason.strip()},
    )
    return finding


def add_finding(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    kind: FindingKind,
    title: str,
    description: str = "",
    item_key: str | None = None,
    clause: str = "",
    area: str = "",
    for_committee: bool = False,
) -> Finding:
    """Add a finding freely (confirmed at once); an avvikelse schedules the re-check."""
    require(actor, CONDUCT, "lägga till iakttagelser")
    followup = get_followup(session, followup_id)
    _ensure_started(session, actor, followup)
    errors = []
    if not title.strip():
        errors.append(FieldError("title", "Rubrik: skriv kort vad iakttagelsen gäller."))
    if item_key:
        item = agenda_item(followup, item_key)
        clause = clause or item.clause
        area = area or item.area or item.section_title
    if errors:
        raise ValidationFailed(errors)
    refuse_personnummer(title, "Rubrik")
    refuse_personnummer(description, "Beskrivning")
    finding = Finding(
        followup_id=followup.id, kind=kind, source=FindingSource.fritt, updated_by_id=actor.user_id
    )
    record_changes(
        session,
        actor,
        finding,
        {
            "status": FindingStatus.bekraftad,
            "title": title.strip(),
            "description": description.strip(),
            "item_key": item_key,
            "clause": clause,
            "area": area,
            "for_committee": for_committee,
        },
        created=True,
    )
    session.flush()
    if kind is FindingKind.avvikelse:
        ensure_recheck(session, actor, followup, finding)
    return finding


def ensure_recheck(
    session: Session, actor: Actor, followup: FollowUp, finding: Finding | None = None
) -> FollowUp:
    """Plan the återuppföljning of a follow-up with deviations (once), within three months."""
    recheck = session.exec(
        select(FollowUp).where(
            FollowUp.previous_id == followup.id, FollowUp.kind == FollowUpKind.ateruppfoljning
        )
    ).first()
    if recheck is None:
        recheck = FollowUp(
            kind=FollowUpKind.ateruppfoljning,
            title=f"Återuppföljning av {followup.title.lower() if followup.title else 'uppföljning'}",
            contractor_id=followup.contractor_id,
            contract_id=followup.contract_id,
            planned_date=recheck_date(followup.planned_date),
            planned_time=followup.planned_time,
            place=followup.place,
            methods=[Method.dokumentgranskning.value],
            participants=followup.participants,
            previous_id=followup.id,
            author_id=actor.user_id,
            updated_by_id=actor.user_id,
        )
        session.add(recheck)
        session.flush()
        for unit_id in unit_ids_of(session, followup.id):
            session.add(FollowUpUnit(followup_id=recheck.id, unit_id=unit_id))
        log_event(session, actor, "followup", recheck.id, "återuppföljning planerad")
    if finding is not None and finding.recheck_followup_id != recheck.id:
        finding.recheck_followup_id = recheck.id
        session.add(finding)
    session.flush()
    return recheck


def recheck_of(session: Session, followup_id: uuid.UUID) -> FollowUp | None:
    return session.exec(
        select(FollowUp).where(
            FollowUp.previous_id == followup_id, FollowUp.kind == FollowUpKind.ateruppfoljning
        )
    ).first()


# --------------------------------------------------------------------------- actions


def actions_of(session: Session, finding_id: uuid.UUID) -> list[Action]:
    return list(
        session.exec(
            select(Action).where(Action.finding_id == finding_id).order_by(col(Action.created_at))
        )
    )


def actions_of_followup(session: Session, followup_id: uuid.UUID) -> list[tuple[Finding, Action]]:
    rows = session.exec(
        select(Finding, Action)
        .join(Action, col(Action.finding_id) == Finding.id)
        .where(Finding.followup_id == followup_id)
        .order_by(col(Finding.created_at), col(Action.created_at))
    )
    return [(f, a) for f, a in rows]


def _check_action(what: str, responsible: str) -> None:
    errors = []
    if not what.strip():
        errors.append(FieldError("what", "Åtgärd: skriv vad utföraren ska göra."))
    if not responsible.strip():
        errors.append(
            FieldError(
                "responsible", "Ansvarig: ange en roll hos utföraren, t.ex. verksamhetschef."
            )
        )
    if errors:
        raise ValidationFailed(errors)
    refuse_personnummer(what, "Åtgärd")


def add_action(
    session: Session,
    actor: Actor,
    finding_id: uuid.UUID,
    what: str,
    responsible: str,
    due_date: date | None = None,
    status: ActionStatus = ActionStatus.oppen,
) -> Action:
    """Add an action to the action plan of a finding (due by the re-check unless given)."""
    require(actor, CONDUCT, "skriva åtgärdsplaner")
    finding = get_finding(session, finding_id)
    followup = get_followup(session, finding.followup_id)
    assert_editable(followup)
    _check_action(what, responsible)
    if due_date is None:
        due_date = recheck_date(followup.planned_date)
    if due_date < followup.planned_date:
        raise ValidationFailed(
            [FieldError("due_date", "Klart senast: datumet kan inte ligga före mötet.")]
        )
    action = Action(finding_id=finding.id, what=what, updated_by_id=actor.user_id)
    record_changes(
        session,
        actor,
        action,
        {
            "what": what.strip(),
            "responsible": responsible.strip(),
            "due_date": due_date,
            "status": status,
        },
        created=True,
    )
    session.flush()
    return action


def update_action(
    session: Session,
    actor: Actor,
    action_id: uuid.UUID,
    *,
    what: str | None = None,
    responsible: str | None = None,
    due_date: date | None = None,
    status: ActionStatus | None = None,
) -> Action:
    """Edit an action of the follow-up's own action plan (not yet justerad)."""
    require(actor, CONDUCT, "ändra åtgärder")
    action = fetch(session, Action, action_id, "Åtgärden finns inte.")
    finding = get_finding(session, action.finding_id)
    assert_editable(get_followup(session, finding.followup_id))
    if status is ActionStatus.verifierad:
        raise ValidationFailed(
            ["En åtgärd verifieras vid en senare uppföljning, med en anteckning om underlaget."]
        )
    changes: dict[str, Any] = {}
    if what is not None:
        changes["what"] = what.strip()
    if responsible is not None:
        changes["responsible"] = responsible.strip()
    if due_date is not None:
        changes["due_date"] = due_date
    if status is not None:
        changes["status"] = status
    _check_action(changes.get("what", action.what), changes.get("responsible", action.responsible))
    record_changes(session, actor, action, changes)
    return action


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
        )
        .order_by(col(FollowUp.planned_date), col(Finding.created_at), col(Action.created_at))
    )
    return [(fu, f, a) for fu, f, a in rows]


def reviews_of(session: Session, followup_id: uuid.UUID) -> dict[uuid.UUID, ActionReview]:
    rows = session.exec(select(ActionReview).where(ActionReview.followup_id == followup_id))
    return {r.action_id: r for r in rows}


def review_action(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    action_id: uuid.UUID,
    mark: ReviewMark | str,
    comment: str = "",
) -> Action:
    """Mark an earlier action at this follow-up; only 'verifierad' (with evidence) closes it."""
    require(actor, CONDUCT, "stämma av åtgärder")
    followup = get_followup(session, followup_id)
    _ensure_started(session, actor, followup)
    action = fetch(session, Action, action_id, "Åtgärden finns inte.")
    finding = get_finding(session, action.finding_id)
    origin = get_followup(session, finding.followup_id)
    if origin.id == followup.id or origin.planned_date > followup.planned_date:
        raise ValidationFailed(
            ["En åtgärd stäms av vid en senare uppföljning än den där den beslutades."]
        )
    try:
        mark = ReviewMark(mark)
    except ValueError:
        raise ValidationFailed(
            [f"Status: välj {', '.join(REVIEW_MARK_LABELS.values())}."]
        ) from None
    refuse_personnummer(comment, "Kommentar")
    if mark is ReviewMark.verifierad and len(comment.strip()) < 3:
        raise ValidationFailed(
            [
                FieldError(
                    "comment",
                    "Kommentar: skriv vilket underlag som visar att åtgärden är genomförd.",
                )
            ]
        )
    status = REVIEW_MARK_STATUS[mark]
    review = session.exec(
        select(ActionReview).where(
            ActionReview.followup_id == followup.id, ActionReview.action_id == action.id
        )
    ).first()
    if review is None:
        review = ActionReview(followup_id=followup.id, action_id=action.id, status=status)
        record_changes(
            session, actor, review, {"status": status, "comment": comment.strip()}, created=True
        )
    else:
        record_changes(session, actor, review, {"status": status, "comment": comment.strip()})
    changes: dict[str, Any] = {"status": status}
    if status is ActionStatus.verifierad:
        changes |= {
            "verified_in_id": followup.id,
            "verified_note": comment.strip(),
            "verified_at": followup.planned_date,
        }
    elif action.verified_in_id == followup.id:
        changes |= {"verified_in_id": None, "verified_note": "", "verified_at": None}
    record_changes(session, actor, action, changes)
    session.flush()
    remaining = [
        a for a in actions_of(session, finding.id) if a.status is not ActionStatus.verifierad
    ]
    if not remaining and finding.status is FindingStatus.bekraftad:
        record_changes(session, actor, finding, {"status": FindingStatus.stangd})
    elif remaining and finding.status is FindingStatus.stangd:
        record_changes(session, actor, finding, {"status": FindingStatus.bekraftad})
    return action


# --------------------------------------------------------------------------- comparison


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


# --------------------------------------------------------------------------- lists


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


def list_followups(session: Session, flt: FollowUpFilter | None = None) -> list[FollowUp]:
    flt = flt or FollowUpFilter()
    query = select(FollowUp)
    if flt.contractor_id is not None:
        query = query.where(FollowUp.contractor_id == flt.contractor_id)
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
    query = query.order_by(order)
    if flt.limit:
        query = query.limit(flt.limit)
    return list(session.exec(query))


def unit_names(session: Session, followup_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Map follow-up ids to the names of their units (one query)."""
    result: dict[uuid.UUID, list[str]] = {i: [] for i in followup_ids}
    if not followup_ids:
        return result
    rows = session.exec(
        select(FollowUpUnit.followup_id, Unit.name)
        .join(Unit, col(Unit.id) == FollowUpUnit.unit_id)
        .where(col(FollowUpUnit.followup_id).in_(followup_ids))
        .order_by(col(Unit.name))
    )
    for fid, name in rows:
        result[fid].append(name)
    return result


@dataclass
class OpenAction:
    action: Action
    finding: Finding
    followup: FollowUp
    overdue: bool


def open_actions(
    session: Session, contractor_id: uuid.UUID | None = None, today: date | None = None
) -> list[OpenAction]:
    """Every action not yet verified, oldest due date first, flagged when overdue."""
    today = today or date.today()
    query = (
        select(Action, Finding, FollowUp)
        .join(Finding, col(Finding.id) == Action.finding_id)
        .join(FollowUp, col(FollowUp.id) == Finding.followup_id)
        .where(col(Action.status).in_(OPEN_ACTION))
    )
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


def contractor_statuses(session: Session, today: date | None = None) -> list[ContractorStatus]:
    """Status of every active contractor at a glance (for the förvaltningschef)."""
    today = today or date.today()
    contractors = session.exec(
        select(Contractor).where(col(Contractor.archived).is_(False)).order_by(col(Contractor.name))
    ).all()
    actions = open_actions(session, today=today)
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


# --------------------------------------------------------------------------- snapshot


def snapshot(session: Session, followup: FollowUp) -> dict[str, Any]:
    """The whole follow-up as plain data: what a justerad version keeps readable."""
    assessments = assessments_of(session, followup.id)
    findings = findings_of(session, followup.id)
    return {
        "id": str(followup.id),
        "version": followup.doc_version,
        "kind": followup.kind.value,
        "title": followup.title,
        "planned_date": followup.planned_date.isoformat(),
        "planned_time": followup.planned_time,
        "place": followup.place,
        "methods": list(followup.methods),
        "reason": followup.reason.value if followup.reason else None,
        "participants": list(followup.participants),
        "units": unit_names(session, [followup.id])[followup.id],
        "notes": dict(followup.notes),
        "agenda": list(followup.agenda),
        "assessments": {
            k: {"result": a.result.value, "value": a.value, "comment": a.comment}
            for k, a in assessments.items()
        },
        "findings": [
            {
                "id": str(f.id),
                "kind": f.kind.value,
                "status": f.status.value,
                "item_key": f.item_key,
                "clause": f.clause,
                "title": f.title,
                "description": f.description,
                "downgrade_reason": f.downgrade_reason,
                "actions": [
                    {
                        "id": str(a.id),
                        "what": a.what,
                        "responsible": a.responsible,
                        "due_date": a.due_date.isoformat() if a.due_date else None,
                        "status": a.status.value,
                    }
                    for a in actions_of(session, f.id)
                ],
            }
            for f in findings
        ],
        "reviews": {
            str(k): {"status": r.status.value, "comment": r.comment}
            for k, r in reviews_of(session, followup.id).items()
        },
        "justerad_by": display_name(session, followup.justerad_by_id),
        "correction_reason": followup.correction_reason,
    }


def snapshot_diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Say in Swedish what changed between two versions of a follow-up."""
    lines: list[str] = []
    titles = {
        i["key"]: i.get("text", i["key"]) for i in new.get("agenda", []) + old.get("agenda", [])
    }
    for key in sorted(set(old["assessments"]) | set(new["assessments"])):
        a, b = old["assessments"].get(key), new["assessments"].get(key)
        if a == b:
            continue
        name = _short(titles.get(key, key), 70)
        if a is None or b is None:
            lines.append(f"Bedömning av {name!r} {'tillagd' if a is None else 'borttagen'}.")
            continue
        if a["result"] != b["result"]:
            lines.append(
                f"{name!r}: {RESULT_LABELS[Result(a['result'])]} → {RESULT_LABELS[Result(b['result'])]}."
            )
        if a["comment"] != b["comment"] or a["value"] != b["value"]:
            lines.append(f"{name!r}: kommentaren eller svaret är ändrat.")
    old_f = {f["id"]: f for f in old["findings"]}
    new_f = {f["id"]: f for f in new["findings"]}
    for fid in new_f.keys() - old_f.keys():
        lines.append(
            f"Ny {FINDING_KIND_LABELS[FindingKind(new_f[fid]['kind'])].lower()}: {new_f[fid]['title']!r}."
        )
    for fid in old_f.keys() - new_f.keys():
        lines.append(f"Borttagen iakttagelse: {old_f[fid]['title']!r}.")
    for fid in old_f.keys() & new_f.keys():
        if old_f[fid] != new_f[fid]:
            lines.append(f"Ändrad iakttagelse eller åtgärd: {new_f[fid]['title']!r}.")
    return lines
