"""Answers to agenda items (autosaved one by one) and the proposals they raise."""

import uuid
from typing import Any

from sqlmodel import Session, select

from audit_app.auth import CONDUCT, Actor, require
from audit_app.db import dialect_insert
from audit_app.domain import labels
from audit_app.domain.agenda import AgendaItem
from audit_app.domain.rules import (
    proposal_for,
)
from audit_app.domain.svtext import short, sv_moment
from audit_app.domain.written import required_text
from audit_app.errors import Conflict
from audit_app.models import (
    Assessment,
    Finding,
    FindingSource,
    FindingStatus,
    FollowUp,
    FollowUpNote,
    Result,
    utcnow,
)
from audit_app.services.audit_log import last_change, record_changes
from audit_app.services.followups.lifecycle import ensure_started
from audit_app.services.followups.queries import agenda_item, get_followup
from audit_app.services.privacy import guard

UNSEEN: Any = object()
"""`seen` not given: the caller does not know what was stored (no conflict check)."""


def _row(session: Session, followup_id: uuid.UUID, item_key: str) -> Assessment:
    """The item's answer row, created if missing; two first saves never collide (upsert)."""
    found = session.exec(
        select(Assessment).where(
            Assessment.followup_id == followup_id, Assessment.item_key == item_key
        )
    ).first()
    if found is not None:
        return found
    now = utcnow()
    insert = dialect_insert(session, Assessment).values(
        id=uuid.uuid4(),
        followup_id=followup_id,
        item_key=item_key,
        result=Result.ej_bedomd,
        value="",
        comment="",
        measured="",
        prefilled=False,
        override_reason="",
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.execute(insert.on_conflict_do_nothing(index_elements=["followup_id", "item_key"]))
    return session.exec(
        select(Assessment).where(
            Assessment.followup_id == followup_id, Assessment.item_key == item_key
        )
    ).one()


def save_assessment(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    item_key: str,
    *,
    result: Result | None = None,
    value: str | None = None,
    comment: str | None = None,
    seen: Any = UNSEEN,
) -> Assessment:
    """Save one answer at once; a SKA-krav not met proposes an avvikelse.

    `seen` is the stored value of the changed field as the person saw it (None for an empty
    item): if someone else has saved that field since, nothing is saved and `Conflict` tells
    whose value is there now.
    """
    require(actor, CONDUCT, "bedöma punkter")
    guard({"value": ("Svar", value), "comment": ("Kommentar", comment)})
    followup = get_followup(session, followup_id)
    ensure_started(session, actor, followup)
    item = agenda_item(followup, item_key)
    if value is not None:
        value = item.normalise_answer(value)
    assessment = _row(session, followup_id, item_key)
    changes: dict[str, Any] = {}
    if result is not None:
        changes["result"] = result
    if value is not None:
        changes["value"] = value.strip()
    if comment is not None:
        changes["comment"] = comment.strip()
    if seen is not UNSEEN:
        _refuse_stale(session, assessment, changes, seen, item)
    if "result" in changes or "value" in changes:
        changes["prefilled"] = False
        if changes.get("result", assessment.result) is not Result.uppfyllt:
            changes["override_reason"] = ""
    record_changes(session, actor, assessment, changes)
    if result is not None:
        _propose_finding(session, actor, followup, item, result, assessment.comment)
    elif comment is not None:
        _follow_the_note(session, actor, followup, item, assessment.comment)
    session.flush()
    return assessment


def _refuse_stale(
    session: Session,
    assessment: Assessment,
    changes: dict[str, Any],
    seen: Any,
    item: AgendaItem,
) -> None:
    """Conflict when the field changed since the person saw it (someone else saved it)."""
    for field_name in changes:
        stored = getattr(assessment, field_name)
        expected = seen if seen is not None else _EMPTY[field_name]
        if stored == expected or stored == changes[field_name]:
            continue
        who, when = last_change(session, "assessment", assessment.id, field_name)
        shown = labels.RESULT_LABELS[stored] if isinstance(stored, Result) else stored
        raise Conflict(
            f"{who or 'Någon annan'} sparade {_FIELD_WORDS[field_name]} för {short(item.label, 60)!r} "
            f"{sv_moment(when) if when else 'nyss'}: {shown!r}. Ditt svar sparades inte; "
            "sidan visar nu det sparade svaret."
        )


_EMPTY: dict[str, Any] = {"result": Result.ej_bedomd, "value": "", "comment": ""}
_FIELD_WORDS = {"result": "bedömningen", "value": "svaret", "comment": "kommentaren"}


def record_measure(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    item_key: str,
    *,
    measured: str,
    met: bool | None,
    analysis_id: uuid.UUID,
    result: Result | None = None,
    value: str | None = None,
) -> Assessment:
    """What a staffing analysis says about an item; it fills the answer while no person has."""
    require(actor, CONDUCT, "bedöma punkter")
    guard({"measured": ("Schemagranskningens mått", measured), "value": ("Svar", value)})
    followup = get_followup(session, followup_id)
    ensure_started(session, actor, followup)
    agenda_item(followup, item_key)
    assessment = _row(session, followup_id, item_key)
    changes: dict[str, Any] = {
        "measured": measured,
        "measured_met": met,
        "analysis_id": analysis_id,
    }
    untouched = assessment.prefilled or (
        assessment.result is Result.ej_bedomd and not assessment.value
    )
    if untouched and (result is not None or value is not None):
        if result is not None:
            changes["result"] = result
        if value is not None:
            changes["value"] = value
        changes["prefilled"] = True
    record_changes(session, actor, assessment, changes)
    session.flush()
    return assessment


def confirm_against_measure(
    session: Session, actor: Actor, followup_id: uuid.UUID, item_key: str, reason: str
) -> Assessment:
    """Keep "uppfyllt" although the analysis shows the commitment not met, with the reason."""
    require(actor, CONDUCT, "bedöma punkter")
    followup = get_followup(session, followup_id)
    ensure_started(session, actor, followup)
    agenda_item(followup, item_key)
    assessment = _row(session, followup_id, item_key)
    reason = required_text(
        "reason", reason, 5, "Motivering: skriv varför bedömningen står fast trots analysen."
    )
    guard({"reason": ("Motivering", reason)})
    record_changes(session, actor, assessment, {"override_reason": reason})
    return assessment


def proposal_text(item: AgendaItem, note: str) -> tuple[str, str]:
    """(title, description) of a proposal: a requirement is named by its own text; a
    förbättringsområde from a question by the revisor's note (the question only if none)."""
    if item.is_requirement or not note.strip():
        return short(item.text), note.strip()
    return short(note), note.strip()


def _agenda_finding(session: Session, followup: FollowUp, item: AgendaItem) -> Finding | None:
    """The finding proposed from an agenda item's answer (at most one: it is proposed once,
    then withdrawn, dismissed or proposed again, never a second time)."""
    return session.exec(
        select(Finding).where(
            Finding.followup_id == followup.id,
            Finding.item_key == item.key,
            Finding.source == FindingSource.agenda,
        )
    ).first()


def _follow_the_note(
    session: Session, actor: Actor, followup: FollowUp, item: AgendaItem, note: str
) -> None:
    """Keep an undecided proposal's text in step with the revisor's note on the item."""
    proposal = _agenda_finding(session, followup, item)
    if proposal is not None and proposal.status is FindingStatus.foreslagen:
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
    existing = _agenda_finding(session, followup, item)
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


def save_note(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    key: str,
    value: str,
    *,
    seen: str | Any | None = UNSEEN,
) -> FollowUpNote:
    """Save one free field of the agenda; a field someone else saved since it was read is
    refused (`seen` is the value as the person saw it)."""
    require(actor, CONDUCT, "skriva i uppföljningar")
    guard({"key": ("Fältet", key), str(key): (f"Anteckningen {key!r}", value)})
    followup = get_followup(session, followup_id)
    ensure_started(session, actor, followup)
    note = session.exec(
        select(FollowUpNote).where(FollowUpNote.followup_id == followup_id, FollowUpNote.key == key)
    ).first()
    if note is None:
        now = utcnow()
        session.execute(
            dialect_insert(session, FollowUpNote)
            .values(
                id=uuid.uuid4(),
                followup_id=followup_id,
                key=key,
                value="",
                version=1,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["followup_id", "key"])
        )
        note = session.exec(
            select(FollowUpNote).where(
                FollowUpNote.followup_id == followup_id, FollowUpNote.key == key
            )
        ).one()
    if seen is not UNSEEN and note.value not in ((seen or ""), value.strip()):
        who, when = last_change(session, "followupnote", note.id, "value")
        raise Conflict(
            f"{who or 'Någon annan'} sparade fältet {sv_moment(when) if when else 'nyss'}: "
            f"{note.value!r}. Din text sparades inte; sidan visar nu det sparade."
        )
    record_changes(session, actor, note, {"value": value.strip()})
    session.flush()
    return note


def save_notes(
    session: Session, actor: Actor, followup_id: uuid.UUID, notes: dict[str, str]
) -> None:
    """Save several free fields (each its own row, so no field overwrites another)."""
    require(actor, CONDUCT, "skriva i uppföljningar")
    for key, value in notes.items():
        save_note(session, actor, followup_id, key, value)
