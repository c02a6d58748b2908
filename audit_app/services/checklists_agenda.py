"""Resolve the agenda of a follow-up: its pinned checklist version plus the contract's requirements."""

from typing import Any

from sqlmodel import Session, col, select

from audit_app.models import FollowUp, FollowUpUnit, Requirement, Unit
from audit_app.services import checklists


def agenda_for_followup(session: Session, followup: FollowUp) -> list[dict[str, Any]]:
    """Build the frozen agenda items of a follow-up and pin the checklist version used."""
    unit_kinds = list(
        session.exec(
            select(Unit.kind)
            .join(FollowUpUnit, col(FollowUpUnit.unit_id) == Unit.id)
            .where(FollowUpUnit.followup_id == followup.id)
        )
    )
    if followup.checklist_version_id is None:
        version = checklists.checklist_for_kind(
            session, followup.kind, unit_kinds[0] if unit_kinds else None
        )
        if version is None:
            return []
        followup.checklist_version_id = version.id
    else:
        version = checklists.get_version(session, followup.checklist_version_id)
    requirements: list[Requirement] = []
    if followup.contract_id is not None:
        requirements = list(
            session.exec(
                select(Requirement)
                .where(
                    Requirement.contract_id == followup.contract_id,
                    col(Requirement.archived).is_(False),
                )
                .order_by(col(Requirement.position))
            )
        )
    return checklists.build_agenda(version.content, requirements, unit_kinds)
