"""Answers to agenda items (autosaved one by one) and the proposals they raise."""

import uuid
from typing import Any

from sqlmodel import Session, select

from audit_app.auth import CONDUCT, Actor, require
from audit_app.domain.agenda import AgendaItem
from audit_app.domain.rules import (
    proposal_for,
)
from audit_app.domain.svtext import short
from audit_app.models import (
    Assessment,
    Finding,
    FindingSource,
    FindingStatus,
    FollowUp,
    Result,
)
from audit_app.services.audit_log import record_changes
from audit_app.services.followups.lifecycle import ensure_started
from audit_app.services.followups.queries import agenda_item, get_followup
from audit_app.services.privacy import guard


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
    guard({"value": ("Svar", value), "comment": ("Kommentar", comment)})
    followup = get_followup(session, followup_id)
    ensure_started(session, actor, followup)
    item = agenda_item(followup, item_key)
    if value is not None:
        value = item.normalise_answer(value)
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
    elif comment is not None:
        _follow_the_note(session, actor, followup, item, assessment.comment)
    session.flush()
    return assessment


def proposal_text(item: AgendaItem, note: str) -> tuple[str, str]:
    """(title, description) of a proposal: a requirement is named by its own text; a
    förbättringsområde from a question by the revisor's note (the question only if none)."""
    if item.is_requirement or not note.strip():
        return short(item.text), note.strip()
    return short(note), note.strip()


def _follow_the_note(
    session: Session, actor: Actor, followup: FollowUp, item: AgendaItem, note: str
) -> None:
    """Keep an undecided proposal's text in step with the revisor's note on the item."""
    proposal = session.exec(
        select(Finding).where(
            Finding.followup_id == followup.id,
            Finding.item_key == item.key,
            Finding.source == FindingSource.agenda,
            Finding.status == FindingStatus.foreslagen,
        )
    ).first()
    if proposal is not None:
        title, description = proposal_text(item, note)
        record_changes(session, actor, proposal, {"title": title, "description": description})


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
        # Withdrawn when the answer changed: proposed again. Dismissed by the revisor with a
        # reason: stays dismissed (the revisor has decided).
        if existing.status is FindingStatus.avfardad and not existing.reject_reason:
            title, description = proposal_text(item, comment)
            record_changes(
                session,
                actor,
                existing,
                {
                    "status": FindingStatus.foreslagen,
                    "kind": kind,
                    "withdraw_reason": "",
                    "title": title,
                    "description": description,
                },
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
        title=proposal_text(item, comment)[0],
        description=comment.strip(),
        updated_by_id=actor.user_id,
    )
    record_changes(session, actor, finding, {"status": FindingStatus.foreslagen}, created=True)


def save_notes(
    session: Session, actor: Actor, followup_id: uuid.UUID, notes: dict[str, Any]
) -> FollowUp:
    """Save free fields of the agenda (e.g. staffing figures and comments)."""
    require(actor, CONDUCT, "skriva i uppföljningar")
    guard({str(key): (f"Anteckningen {key!r}", val) for key, val in notes.items()})
    followup = get_followup(session, followup_id)
    ensure_started(session, actor, followup)
    merged = dict(followup.notes) | notes
    record_changes(session, actor, followup, {"notes": merged})
    return followup
