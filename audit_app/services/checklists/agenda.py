"""The agenda of a follow-up: its pinned checklist version plus the contract's requirements.

At agenda time a contract requirement with the same clause as a checklist item of the section
with role requirements replaces that item (the contract's text wins; the item's guidance is
kept); the other requirements are added at the end of that section.
"""

import re
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from audit_app.domain.agenda import AgendaItem, ItemSource
from audit_app.models import (
    AnswerType,
    FollowUp,
    FollowUpUnit,
    ItemKind,
    Requirement,
    RequirementKind,
    SectionRole,
    Unit,
    UnitKind,
)
from audit_app.services.checklists.format import (
    CONTRACT_KEY_PREFIX,
    Checklist,
    Item,
    Section,
    checklist_of,
)
from audit_app.services.checklists.versions import checklist_for_kind, get_version


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


def _from_item(section: Section, item: Item) -> AgendaItem:
    return AgendaItem(
        key=item.key,
        section_key=section.key,
        section_title=section.title,
        section_role=section.role,
        text=item.text,
        guidance=item.guidance,
        kind=item.kind,
        clause=item.clause,
        answer=item.answer,
        unit=item.unit,
        evidence_required=item.evidence_required,
        area=item.area or section.title,
        source=ItemSource.checklist,
        measure=item.measure,
    )


def _from_requirement(section: Section, req: Requirement, key: str) -> AgendaItem:
    return AgendaItem(
        key=key,
        section_key=section.key,
        section_title=section.title,
        section_role=section.role,
        text=req.text,
        guidance=req.hint,
        kind=ItemKind.ska_krav if req.kind is RequirementKind.ska else ItemKind.bor_krav,
        clause=req.clause,
        answer=AnswerType.bedomning,
        area=req.area or section.title,
        source=ItemSource.contract,
        requirement_id=req.id,
    )


def applies(kinds_of_item: Iterable[UnitKind | str], unit_kinds: set[UnitKind]) -> bool:
    """An item or requirement with no unit kinds applies to every unit; otherwise to its kinds."""
    listed = {UnitKind(k) for k in kinds_of_item}
    return not listed or not unit_kinds or bool(listed & unit_kinds)


def build_agenda(
    checklist_content: dict[str, Any] | Checklist,
    requirements: Iterable[Requirement] = (),
    unit_kinds: Iterable[UnitKind | str] = (),
) -> list[AgendaItem]:
    """Resolve a checklist into the flat agenda of a follow-up.

    Items whose `applies_to` misses every unit kind of the follow-up are left out (no unit kinds
    given: nothing is left out). The section with role requirements (point 3) holds exactly
    the contract's own requirements that apply to the units (not archived, in position order),
    keyed `krav-<clause>`, after the section's questions: an avvikelse must rest on the
    contract's own words, so no requirement comes from a standard list at conduct time (a
    SKA/BÖR item a checklist puts in that section is left out).
    """
    checklist = (
        checklist_content
        if isinstance(checklist_content, Checklist)
        else checklist_of(checklist_content)
    )
    kinds = {UnitKind(k) for k in unit_kinds}
    reqs = sorted(
        (r for r in requirements if not r.archived and applies(r.applies_to, kinds)),
        key=lambda r: (r.position, r.clause, r.text),
    )
    agenda: list[AgendaItem] = []
    used_keys = {i.key for _, i in checklist.items()}

    def requirement_key(req: Requirement) -> str:
        slug = _slug(req.clause)
        key = f"{CONTRACT_KEY_PREFIX}{slug}" if slug else ""
        if not key or key in used_keys:
            key = f"{CONTRACT_KEY_PREFIX}{req.id}"
        used_keys.add(key)
        return key

    for section in checklist.sections:
        takes_requirements = section.role is SectionRole.requirements
        for item in section.items:
            if not applies(item.applies_to, kinds):
                continue
            if takes_requirements and item.kind is not ItemKind.fraga:
                continue
            agenda.append(_from_item(section, item))
        if takes_requirements:
            agenda.extend(_from_requirement(section, req, requirement_key(req)) for req in reqs)
    return agenda


def agenda_for_followup(session: Session, followup: FollowUp) -> list[dict[str, Any]]:
    """Build the frozen agenda of a follow-up (as stored) and pin the checklist version used."""
    unit_kinds = list(
        session.exec(
            select(Unit.kind)
            .join(FollowUpUnit, col(FollowUpUnit.unit_id) == Unit.id)
            .where(FollowUpUnit.followup_id == followup.id)
        )
    )
    if followup.checklist_version_id is None:
        version = checklist_for_kind(session, followup.kind)
        if version is None:
            return []
        followup.checklist_version_id = version.id
    else:
        version = get_version(session, followup.checklist_version_id)
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
    return [item.as_json() for item in build_agenda(version.content, requirements, unit_kinds)]
