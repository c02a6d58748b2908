"""Action plans and the review of earlier actions in agenda point 1."""

import uuid
from datetime import date
from typing import Any

from sqlmodel import Session, select

from audit_app.auth import CONDUCT, Actor, require
from audit_app.db import fetch
from audit_app.domain.calendar import recheck_date
from audit_app.domain.labels import (
    REVIEW_MARK_LABELS,
)
from audit_app.domain.rules import (
    REVIEW_MARK_STATUS,
)
from audit_app.domain.written import required_text
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import (
    Action,
    ActionReview,
    ActionStatus,
    FindingStatus,
    ReviewMark,
)
from audit_app.services.audit_log import record_changes
from audit_app.services.followups.lifecycle import assert_editable, ensure_started
from audit_app.services.followups.queries import (
    actions_of,
    get_finding,
    get_followup,
)
from audit_app.services.privacy import guard


def _check_action(what: str, responsible: str) -> None:
    guard({"what": ("Åtgärd", what), "responsible": ("Ansvarig", responsible)})
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
    guard({"comment": ("Kommentar", comment)})
    followup = get_followup(session, followup_id)
    ensure_started(session, actor, followup)
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
    if mark is ReviewMark.verifierad:
        required_text(
            "comment",
            comment,
            3,
            "Kommentar: skriv vilket underlag som visar att åtgärden är genomförd.",
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
