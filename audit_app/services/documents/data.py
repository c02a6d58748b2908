"""Everything the documents of one follow-up are made from, loaded once (nothing is changed)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from audit_app import clock
from audit_app.auth import Actor, display_names
from audit_app.domain.agenda import AgendaItem, parse_agenda
from audit_app.domain.indicators import concerns
from audit_app.domain.svtext import sv_join
from audit_app.errors import UserError
from audit_app.models import (
    Action,
    ActionReview,
    Assessment,
    ChecklistVersion,
    Contract,
    Contractor,
    Finding,
    FindingStatus,
    FollowUp,
    FollowUpStatus,
    FollowUpUnit,
    Role,
    StaffingAnalysis,
    Unit,
)
from audit_app.services import followups, sanctions, signals
from audit_app.services.indicators import Latest, latest_per_indicator
from audit_app.services.settings import DocumentSettings, document_settings

DASH = "–"
"""What a document shows for a value that is missing."""

COMMITTEE_READER = Actor("utskottet", "Utskottet", Role.lasare)
"""Documents show sanctions and proposals as the committee may read them (built on justerade
follow-ups only), whoever makes the document."""


@dataclass
class FollowUpData:
    """Everything the documents of one follow-up are made from (loaded once)."""

    followup: FollowUp
    # The contractors of the follow-up's units, by name: one, several (a riktad uppföljning
    # across contractors) or none (the committee's kontroll av biståndsärenden).
    contractors: list[Contractor]
    contract: Contract | None
    units: list[Unit]
    assessments: dict[str, Assessment]
    findings: list[Finding]
    actions: dict[uuid.UUID, list[Action]]
    carried: list[tuple[FollowUp, Finding, Action]] = field(default_factory=list)
    reviews: dict[uuid.UUID, ActionReview] = field(default_factory=dict)
    previous: FollowUp | None = None
    recheck: FollowUp | None = None
    # Every återuppföljning planned from it: one per contractor across contractors.
    rechecks: list[FollowUp] = field(default_factory=list)
    analyses: list[StaffingAnalysis] = field(default_factory=list)
    author_name: str = ""
    justerad_by: str = ""  # the display name of the one who justerade
    snapshot: dict[str, Any] | None = None
    notes: dict[str, str] = field(default_factory=dict)  # free fields of the agenda, by key
    doc_version: int = 1
    section_descriptions: dict[str, str] = field(default_factory=dict)
    # The contract's indicators that concern the follow-up's units, each with its latest result
    # for a period that ended by the meeting.
    indicators: list[Latest] = field(default_factory=list)
    today: date = field(default_factory=date.today)
    settings: DocumentSettings = field(default_factory=DocumentSettings)
    previous_findings: list[Finding] = field(default_factory=list)
    # Signals about the units since the previous meeting (point 1), and the sanctions decided
    # within a year and proposed for the units (the same query as the overview's reasons).
    signals_since: signals.MeetingSignals | None = None
    unit_sanctions: sanctions.UnitSanctions = field(default_factory=sanctions.UnitSanctions)
    agenda: list[AgendaItem] = field(init=False)

    def __post_init__(self) -> None:
        self.agenda = parse_agenda(self.followup.agenda)

    @property
    def unit_list(self) -> list[str]:
        return [u.name for u in self.units]

    @property
    def contractor_names(self) -> str:
        """'Trygga Händer Vård AB och Omsorg Nord AB' ('' for the committee's check)."""
        return sv_join([c.name for c in self.contractors])

    @property
    def several_units(self) -> bool:
        return len(self.units) > 1

    def units_of(self, contractor: Contractor) -> list[Unit]:
        return [u for u in self.units if u.contractor_id == contractor.id]

    def unit_name(self, unit_id: uuid.UUID | None) -> str:
        """The name of a finding's unit ('' when it has none)."""
        return next((u.name for u in self.units if u.id == unit_id), "")

    def where_text(self) -> str:
        """Who and what the follow-up concerns, for a sentence: 'Trygga Händer Vård AB
        (Ekbacken)', 'A (Ekbacken) och B (Hemtjänst Syd)'; '' when it concerns no contractor."""
        parts = []
        for c in self.contractors:
            names = sv_join([u.name for u in self.units_of(c)])
            parts.append(f"{c.name} ({names})" if names else c.name)
        return sv_join(parts)

    @property
    def unit_names(self) -> str:
        return sv_join(self.unit_list) or DASH

    @property
    def justerad(self) -> bool:
        return self.followup.status is FollowUpStatus.justerad

    @property
    def item_by_key(self) -> dict[str, AgendaItem]:
        return {i.key: i for i in self.agenda}

    def live_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.status is not FindingStatus.avfardad]


def load_followup_data(
    session: Session, followup: FollowUp, today: date | None = None
) -> FollowUpData:
    """Read a follow-up and all it refers to; nothing is changed."""
    contract = session.get(Contract, followup.contract_id) if followup.contract_id else None
    units = list(
        session.exec(
            select(Unit)
            .join(FollowUpUnit, col(FollowUpUnit.unit_id) == Unit.id)
            .where(FollowUpUnit.followup_id == followup.id)
            .order_by(col(Unit.name))
        )
    )
    owner_ids = followups.contractors_of(session, [followup.id])[followup.id]
    contractors = [c for c in (session.get(Contractor, i) for i in owner_ids) if c is not None]
    if followup.contractor_id is not None and not contractors:  # pragma: no cover - foreign key
        raise UserError("Entreprenören för uppföljningen finns inte.")
    # Units in the order the documents present them: per contractor (as in the meta block and
    # the sändlista), by name within each, so a title reads in the same order.
    order = {c.id: i for i, c in enumerate(contractors)}
    units.sort(key=lambda u: (order.get(u.contractor_id, len(order)), u.name))
    actions: dict[uuid.UUID, list[Action]] = defaultdict(list)
    for finding, action in followups.actions_of_followup(session, followup.id):
        actions[finding.id].append(action)
    names = display_names(session, [followup.author_id, followup.justerad_by_id])
    author_name = names.get(followup.author_id, "") if followup.author_id else ""
    justerad_by = names.get(followup.justerad_by_id, "") if followup.justerad_by_id else ""
    snapshot = None
    if followup.status is FollowUpStatus.justerad:
        for version in followups.versions_of(session, followup.id):
            if version.version == followup.doc_version:
                snapshot = version.snapshot
    descriptions: dict[str, str] = {}
    if followup.checklist_version_id is not None:
        cv = session.get(ChecklistVersion, followup.checklist_version_id)
        if cv is not None:
            for section in cv.content.get("sections", []):
                descriptions[str(section.get("key"))] = str(section.get("description") or "")
    analyses = list(
        session.exec(
            select(StaffingAnalysis)
            .where(StaffingAnalysis.followup_id == followup.id)
            .order_by(col(StaffingAnalysis.created_at))
        )
    )
    previous = session.get(FollowUp, followup.previous_id) if followup.previous_id else None
    previous_findings = (
        [
            f
            for f in followups.findings_of(session, previous.id)
            if f.status is not FindingStatus.avfardad
        ]
        if previous is not None
        else []
    )
    unit_ids = [u.id for u in units]
    day = today or clock.today()
    merged = sanctions.UnitSanctions()
    for part in sanctions.unit_sanctions(session, COMMITTEE_READER, unit_ids, day).values():
        merged.decided += [r for r in part.decided if r not in merged.decided]
        merged.proposals += [p for p in part.proposals if p not in merged.proposals]
    merged.decided.sort(key=lambda r: r.sanction.decided_on)
    indicators: list[Latest] = []
    if contract is not None:
        latest = latest_per_indicator(session, [contract.id], as_of=followup.planned_date)
        kinds = {u.kind.value for u in units}
        indicators = [x for x in latest[contract.id] if concerns(x.indicator.applies_to, kinds)]
    return FollowUpData(
        followup=followup,
        contractors=contractors,
        contract=contract,
        units=units,
        assessments=followups.assessments_of(session, followup.id),
        findings=followups.findings_of(session, followup.id),
        actions=dict(actions),
        carried=followups.carried_actions(session, followup),
        reviews=followups.reviews_of(session, followup.id),
        previous=previous,
        recheck=followups.recheck_of(session, followup.id),
        rechecks=followups.rechecks_of(session, followup.id),
        analyses=analyses,
        author_name=author_name,
        justerad_by=justerad_by,
        snapshot=snapshot,
        notes=followups.notes_of(session, followup.id),
        doc_version=followup.doc_version,
        section_descriptions=descriptions,
        indicators=indicators,
        today=day,
        settings=document_settings(session),
        previous_findings=previous_findings,
        signals_since=signals.meeting_signals(session, followup, unit_ids),
        unit_sanctions=merged,
    )
