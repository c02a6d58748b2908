"""Findings: confirm, downgrade or reject proposals, add findings, plan the re-check."""

import uuid
from typing import Any

from sqlmodel import Session

from audit_app.auth import CONDUCT, Actor, require
from audit_app.domain import labels
from audit_app.domain.calendar import recheck_date
from audit_app.domain.written import required_text
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import (
    Contractor,
    Finding,
    FindingKind,
    FindingSource,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpUnit,
    Method,
    Side,
    Unit,
)
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.followups.lifecycle import assert_editable, ensure_started
from audit_app.services.followups.queries import (
    agenda_item,
    findings_of,
    get_finding,
    get_followup,
    rechecks_of,
    unit_ids_of,
)
from audit_app.services.privacy import guard


def finding_unit(
    session: Session,
    followup: FollowUp,
    unit_id: uuid.UUID | None,
    kind: FindingKind,
    current: uuid.UUID | None = None,
) -> uuid.UUID | None:
    """The unit a finding concerns: one of the follow-up's units; it must be chosen when the
    follow-up covers several (a riktad uppföljning across units has findings per unit)."""
    units = unit_ids_of(session, followup.id)
    chosen = unit_id or current
    if chosen is not None and chosen not in units:
        raise ValidationFailed([FieldError("unit_id", "Enhet: välj en av uppföljningens enheter.")])
    if chosen is None and len(units) > 1:
        what = labels.FINDING_KIND_LABELS[kind].lower()
        raise ValidationFailed(
            [
                FieldError(
                    "unit_id",
                    f"Enhet: uppföljningen omfattar flera enheter; välj vilken enhet {what} "
                    "gäller.",
                )
            ]
        )
    return chosen


def confirm_finding(
    session: Session,
    actor: Actor,
    finding_id: uuid.UUID,
    description: str | None = None,
    unit_id: uuid.UUID | None = None,
) -> Finding:
    """Confirm a proposed finding (on a follow-up of several units, for the unit chosen); an
    avvikelse schedules the re-check at once."""
    require(actor, CONDUCT, "bekräfta avvikelser")
    guard({"description": ("Beskrivning", description)})
    finding = get_finding(session, finding_id)
    followup = get_followup(session, finding.followup_id)
    assert_editable(followup)
    changes: dict[str, Any] = {
        "status": FindingStatus.bekraftad,
        "unit_id": finding_unit(session, followup, unit_id, finding.kind, finding.unit_id),
    }
    if description is not None:
        changes["description"] = description.strip()
    record_changes(session, actor, finding, changes)
    if finding.kind is FindingKind.avvikelse:
        ensure_recheck(session, actor, followup, finding)
    session.flush()
    return finding


def downgrade_finding(
    session: Session,
    actor: Actor,
    finding_id: uuid.UUID,
    reason: str,
    unit_id: uuid.UUID | None = None,
) -> Finding:
    """Downgrade a proposed avvikelse to a förbättringsområde, with the reason (and, on a
    follow-up of several units, the unit it concerns)."""
    require(actor, CONDUCT, "nedgradera avvikelser")
    guard({"reason": ("Anledning", reason)})
    finding = get_finding(session, finding_id)
    followup = get_followup(session, finding.followup_id)
    assert_editable(followup)
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
    unit = finding_unit(session, followup, unit_id, FindingKind.forbattringsomrade, finding.unit_id)
    record_changes(
        session,
        actor,
        finding,
        {
            "kind": FindingKind.forbattringsomrade,
            "status": FindingStatus.bekraftad,
            "downgrade_reason": reason.strip(),
            "unit_id": unit,
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
    if len(unit_ids_of(session, followup.id)) > 1 and any(f.unit_id is None for f in proposals):
        raise ValidationFailed(
            [
                FieldError(
                    "unit_id",
                    "Uppföljningen omfattar flera enheter: bekräfta varje förslag för sig och "
                    "välj vilken enhet det gäller.",
                )
            ]
        )
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
    reason = required_text("reason", reason, 3, "Anledning: skriv varför förslaget avfärdas.")
    record_changes(
        session, actor, finding, {"status": FindingStatus.avfardad, "reject_reason": reason}
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
    unit_id: uuid.UUID | None = None,
) -> Finding:
    """Add a finding freely (confirmed at once), for the unit chosen when the follow-up covers
    several; an avvikelse schedules the re-check."""
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
    try:
        unit = finding_unit(session, followup, unit_id, kind)
    except ValidationFailed as exc:
        errors += exc.errors
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
            "unit_id": unit,
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
    """Plan the återuppföljning of a follow-up with deviations (once), within three months.

    A riktad uppföljning gets one per contractor, covering the units its avvikelser concern
    (across contractors each answers for its own units); any other follow-up gets one for all
    its units."""
    require(actor, CONDUCT, "planera återuppföljningar")
    units = unit_ids_of(session, followup.id)
    contractor_id, scope = followup.contractor_id, units
    per_unit = (
        followup.kind is FollowUpKind.riktad and finding is not None and finding.unit_id is not None
    )
    across = per_unit and followup.contractor_id is None
    if per_unit:
        assert finding is not None and finding.unit_id is not None
        unit = session.get(Unit, finding.unit_id)
        contractor_id = unit.contractor_id if unit is not None else None
        scope = [finding.unit_id]
    recheck = next(
        (r for r in rechecks_of(session, followup.id) if r.contractor_id == contractor_id), None
    )
    if recheck is None:
        title = f"Återuppföljning av {followup.title.lower() if followup.title else 'uppföljning'}"
        if across and contractor_id is not None:
            contractor = session.get(Contractor, contractor_id)
            title += f" – {contractor.name}" if contractor else ""
        recheck = FollowUp(
            kind=FollowUpKind.ateruppfoljning,
            title=title[:200],
            contractor_id=contractor_id,
            contract_id=followup.contract_id,
            planned_date=recheck_date(followup.planned_date),
            planned_time=followup.planned_time,
            place=followup.place,
            methods=[Method.dokumentgranskning.value],
            # across contractors, the contractor's own people are not known by contractor: the
            # municipality's participants only
            participants=[p for p in followup.participants if p.get("side") == Side.kommun]
            if across
            else followup.participants,
            previous_id=followup.id,
            author_id=actor.user_id,
            updated_by_id=actor.user_id,
        )
        session.add(recheck)
        session.flush()
        log_event(session, actor, "followup", recheck.id, "återuppföljning planerad")
    have = set(unit_ids_of(session, recheck.id))
    for unit_id in scope:
        if unit_id not in have:
            session.add(FollowUpUnit(followup_id=recheck.id, unit_id=unit_id))
    if finding is not None and finding.recheck_followup_id != recheck.id:
        finding.recheck_followup_id = recheck.id
        session.add(finding)
    session.flush()
    return recheck
