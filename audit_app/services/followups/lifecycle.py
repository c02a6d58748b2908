"""A follow-up's life: start (agenda frozen), hand over, send back, justera (four eyes), correct."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from audit_app.auth import CONDUCT, JUSTERA, Actor, reads, require
from audit_app.domain.agenda import sections_of
from audit_app.domain.rules import (
    justera_refusal,
)
from audit_app.domain.svtext import FORSLAG, PUNKT, capitalize, count
from audit_app.domain.written import required_text
from audit_app.errors import Locked, PermissionDenied, ValidationFailed
from audit_app.models import (
    Action,
    ActionReview,
    Assessment,
    ChangeLog,
    Evidence,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FollowUpVersion,
    Result,
    StaffingAnalysis,
    utcnow,
)
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.checklists.agenda import agenda_for_followup
from audit_app.services.followups.queries import (
    actions_of,
    agenda_of,
    assessments_of,
    findings_of,
    get_followup,
    previous_for,
    progress,
    unit_ids_of,
)
from audit_app.services.followups.versions import snapshot
from audit_app.services.privacy import guard

AgendaBuilder = Callable[[Session, FollowUp], list[dict[str, Any]]]
"""Builds a follow-up's agenda when it starts (the checklist service; tests pass their own)."""


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
        followup.agenda = (builder or agenda_for_followup)(session, followup)
    if followup.kind is not FollowUpKind.ateruppfoljning:
        # The meeting this one continues, by the rule, as it stands when the meeting starts
        # (a re-check keeps the follow-up that found the avvikelse).
        previous = previous_for(
            session,
            followup.kind,
            unit_ids_of(session, followup.id),
            followup.planned_date,
            exclude=followup.id,
        )
        followup.previous_id = previous.id if previous else None
    record_changes(session, actor, followup, {"status": FollowUpStatus.pagar})
    session.flush()
    return followup


def assert_editable(followup: FollowUp) -> None:
    """Refuse writes to a follow-up that is handed over or justerad."""
    if followup.status is FollowUpStatus.justerad:
        raise Locked(
            "Uppföljningen är justerad och låst. En rättelse görs som en ny version "
            "med angiven anledning."
        )
    if followup.status is FollowUpStatus.klar:
        raise Locked("Uppföljningen är lämnad för justering. Skicka tillbaka den för att ändra.")


@dataclass
class UnassessedSection:
    title: str
    items: list[str]


@dataclass
class HandoverCheck:
    """What stands between a follow-up and its hand-over, and what will be left unassessed."""

    problems: list[str]
    unassessed: list[UnassessedSection]

    @property
    def unassessed_count(self) -> int:
        return sum(len(s.items) for s in self.unassessed)


def handover_check(session: Session, followup: FollowUp) -> HandoverCheck:
    """Undecided proposals and avvikelser without actions block; unassessed items need the
    revisor's confirmation and are listed per agenda point."""
    problems: list[str] = []
    findings = findings_of(session, followup.id)
    undecided = [f for f in findings if f.status is FindingStatus.foreslagen]
    if undecided:
        problems.append(
            f"{capitalize(count(len(undecided), FORSLAG))} är inte bekräftade, nedgraderade "
            "eller avfärdade."
            if len(undecided) > 1
            else "Ett förslag är inte bekräftat, nedgraderat eller avfärdat."
        )
    for finding in findings:
        if (
            finding.kind is FindingKind.avvikelse
            and finding.status is FindingStatus.bekraftad
            and not actions_of(session, finding.id)
        ):
            problems.append(f"Avvikelsen {finding.title!r} saknar åtgärd i åtgärdsplanen.")
    answers = assessments_of(session, followup.id)
    for item in agenda_of(followup):
        answer = answers.get(item.key)
        if answer is not None and measured_conflict(answer):
            problems.append(
                f"{item.label!r} är bedömd som uppfylld, men schemagranskningen visar att "
                "åtagandet inte är uppfyllt. Bekräfta bedömningen med en motivering eller ändra den."
            )
    unassessed = [
        UnassessedSection(section.title, [i.label for i in missing])
        for section in sections_of(agenda_of(followup))
        if (missing := [i for i in section.items if not i.is_answered(answers.get(i.key))])
    ]
    return HandoverCheck(problems, unassessed)


def measured_conflict(answer: Assessment) -> bool:
    """Judged uppfyllt although the staffing analysis shows the commitment not met, and not yet
    confirmed by the revisor with a reason."""
    return (
        answer.result is Result.uppfyllt
        and answer.measured_met is False
        and not answer.override_reason
    )


def hand_over(
    session: Session, actor: Actor, followup_id: uuid.UUID, *, unassessed_confirmed: int = 0
) -> FollowUp:
    """Mark a follow-up klar för justering: every proposal decided, every avvikelse with an
    action, and the number of unassessed items confirmed by the revisor."""
    require(actor, CONDUCT, "lämna uppföljningar för justering")
    followup = get_followup(session, followup_id)
    assert_editable(followup)
    check = handover_check(session, followup)
    problems = list(check.problems)
    if check.unassessed_count and unassessed_confirmed != check.unassessed_count:
        problems.append(
            f"{capitalize(count(check.unassessed_count, PUNKT))} är inte bedömda. Bedöm dem "
            "eller bekräfta att de lämnas obedömda."
            if check.unassessed_count > 1
            else "En punkt är inte bedömd. Bedöm den eller bekräfta att den lämnas obedömd."
        )
    if problems:
        raise ValidationFailed(problems, intro="Uppföljningen kan inte lämnas för justering än:")
    record_changes(session, actor, followup, {"status": FollowUpStatus.klar})
    if check.unassessed_count:
        log_event(
            session,
            actor,
            "followup",
            followup.id,
            f"lämnad med {check.unassessed_count} obedömda punkter",
        )
    return followup


@dataclass
class JusteraSummary:
    """What a justering locks, shown before the chef confirms."""

    version: int
    answered: int
    total: int
    findings: dict[FindingKind, int]
    actions: int
    documents: list[str]


def justera_summary(session: Session, followup: FollowUp) -> JusteraSummary:
    answered, total = progress(followup, assessments_of(session, followup.id))
    kinds: dict[FindingKind, int] = {}
    actions = 0
    for finding in findings_of(session, followup.id):
        if finding.status in (FindingStatus.bekraftad, FindingStatus.stangd):
            kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
            actions += len(actions_of(session, finding.id))
    return JusteraSummary(
        followup.doc_version,
        answered,
        total,
        kinds,
        actions,
        ["Minnesanteckningar (Word), sparade oförändrade med kontrollsumma"],
    )


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


@reads
def justera_refusal_for(session: Session, actor: Actor, followup: FollowUp) -> str | None:
    """Why `actor` may not justera this follow-up now, or None if they may."""
    if followup.status is not FollowUpStatus.klar:
        return "Uppföljningen måste vara klar för justering innan den justeras."
    return justera_refusal(actor.role, actor.user_id, writers_of(session, followup))


@reads
def may_justera(session: Session, actor: Actor, followup: FollowUp) -> bool:
    """The one rule pages and the service share: chef or revisor, four eyes, handed over."""
    return justera_refusal_for(session, actor, followup) is None


JusteraStep = Callable[[Session, FollowUp], Any]
"""A step run in the transaction of a justering, e.g. storing the minutes (documents package)."""


def justera(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    *,
    store: JusteraStep,
    at: datetime | None = None,
) -> FollowUp:
    """Justera: the förvaltningschef, or a revisor who wrote nothing in it, locks the follow-up.

    `store` keeps what must not change afterwards (the minutes); it is passed in by the caller
    so follow-ups stay below documents in the import graph. `at` is when it was justerad, now
    unless given (the demo's history passes the days after each meeting; no page does).
    """
    justerad_at = at or utcnow()
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
            "justerad_at": justerad_at,
        },
    )
    session.flush()
    session.add(
        FollowUpVersion(
            followup_id=followup.id,
            version=followup.doc_version,
            snapshot=snapshot(session, followup),
            reason=followup.correction_reason,
            created_at=justerad_at,
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
    guard({"reason": ("Anledning till rättelsen", reason)})
    followup = get_followup(session, followup_id)
    if followup.status is not FollowUpStatus.justerad:
        raise ValidationFailed(["Bara en justerad uppföljning rättas som ny version."])
    reason = required_text(
        "reason", reason, 5, "Anledning: skriv varför den justerade uppföljningen rättas."
    )
    record_changes(
        session,
        actor,
        followup,
        {
            "status": FollowUpStatus.pagar,
            "doc_version": followup.doc_version + 1,
            "correction_reason": reason,
            "justerad_by_id": None,
            "justerad_at": None,
        },
    )
    log_event(session, actor, "followup", followup.id, f"rättelse påbörjad: {reason}")
    session.flush()
    return followup


def ensure_started(session: Session, actor: Actor, followup: FollowUp) -> None:
    """Start a planned follow-up at its first answer; refuse a locked one."""
    require(actor, CONDUCT, "genomföra uppföljningar")
    assert_editable(followup)
    if followup.status is FollowUpStatus.planerad:
        start_followup(session, actor, followup.id)
