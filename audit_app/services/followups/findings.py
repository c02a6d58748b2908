"""Findings: confirm, downgrade or reject proposals, add findings, plan the re-check."""

import uuid
from typing import Any

from sqlmodel import Session, select

from audit_app.auth import CONDUCT, Actor, require
from audit_app.domain.calendar import recheck_date
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import (
    Finding,
    FindingKind,
    FindingSource,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpUnit,
    Method,
)
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.followups.lifecycle import assert_editable, ensure_started
from audit_app.services.followups.queries import (
    agenda_item,
    findings_of,
    get_finding,
    get_followup,
    unit_ids_of,
)
from audit_app.services.privacy import guard


def confirm_finding(
    session: Session, actor: Actor, finding_id: uuid.UUID, description: str | None = None
) -> Finding:
    """Confirm a proposed finding; an avvikelse schedules the re-check at once."""
    require(actor, CONDUCT, "bekräfta avvikelser")
    guard({"description": ("Beskrivning", description)})
    finding = get_finding(session, finding_id)
    followup = get_followup(session, finding.followup_id)
    assert_editable(followup)
    changes: dict[str, Any] = {"status": FindingStatus.bekraftad}
    if description is not None:
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
    guard({"reason": ("Anledning", reason)})
    finding = get_finding(session, finding_id)
    assert_editable(get_followup(session, finding.followup_id))
    if finding.kind is not FindingKind.avvikelse or finding.status is not FindingStatus.foreslagen:
        raise ValidationFailed(
            ["Bara en föreslagen avvikelse kan nedgraderas till förbättringsområde."]
        )
    if not reason.strip():
        raise ValidationFailed(
            [
                FieldError(
                    "reason", "Anledning: skriv varför avvikelsen blir ett förbättringsområde."
                )
            ]
        )
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


def confirm_all(session: Session, actor: Actor, followup_id: uuid.UUID) -> list[Finding]:
    """Confirm every open proposal of the follow-up ("Bekräfta alla")."""
    require(actor, CONDUCT, "bekräfta avvikelser")
    followup = get_followup(session, followup_id)
    assert_editable(followup)
    proposals = [
        f for f in findings_of(session, followup.id) if f.status is FindingStatus.foreslagen
    ]
    return [confirm_finding(session, actor, f.id) for f in proposals]


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
    """Dismiss a proposal ("Avfärda"), with the revisor's reason; the answer stays as it is."""
    require(actor, CONDUCT, "avfärda förslag")
    guard({"reason": ("Anledning", reason)})
    finding = get_finding(session, finding_id)
    assert_editable(get_followup(session, finding.followup_id))
    if finding.status is not FindingStatus.foreslagen:
        raise ValidationFailed(["Bara ett förslag kan avfärdas."])
    if len(reason.strip()) < 3:
        raise ValidationFailed(
            [FieldError("reason", "Anledning: skriv varför förslaget avfärdas.")]
        )
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
    guard(
        {
            "title": ("Rubrik", title),
            "description": ("Beskrivning", description),
            "item_key": ("Punkt", item_key),
            "clause": ("Avtalspunkt", clause),
            "area": ("Område", area),
        }
    )
    followup = get_followup(session, followup_id)
    ensure_started(session, actor, followup)
    errors = []
    if not title.strip():
        errors.append(FieldError("title", "Rubrik: skriv kort vad iakttagelsen gäller."))
    if item_key:
        item = agenda_item(followup, item_key)
        clause = clause or item.clause
        area = area or item.area or item.section_title
    if errors:
        raise ValidationFailed(errors)
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
    require(actor, CONDUCT, "planera återuppföljningar")
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
