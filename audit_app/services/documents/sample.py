"""Made-up data with every part of every document filled in: template checks and examples."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from audit_app.domain import labels
from audit_app.models import (
    Action,
    ActionReview,
    ActionStatus,
    Assessment,
    Contract,
    Contractor,
    Finding,
    FindingKind,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Result,
    RiktadReason,
    StaffingAnalysis,
    Unit,
    UnitKind,
)
from audit_app.services.documents.committee import committee_context
from audit_app.services.documents.data import FollowUpData
from audit_app.services.documents.minutes import minutes_context
from audit_app.services.documents.period import PeriodData
from audit_app.services.documents.quarterly import period_context
from audit_app.services.documents.yearly import yearly_context
from audit_app.services.settings import DocumentSettings, Official


def sample_data(kind: FollowUpKind = FollowUpKind.avtal) -> FollowUpData:
    """A made-up follow-up with every part filled in: for template checks and previews."""
    contractor = Contractor(name="Omsorg & Co AB", org_nr="556000-0000")
    contract = Contract(
        dnr="VOF 2026/1",
        title="Drift av särskilt boende",
        contractor_id=contractor.id,
        valid_from=date(2025, 1, 1),
        valid_to=date(2028, 12, 31),
    )
    unit = Unit(contractor_id=contractor.id, name="Exempelgården", kind=UnitKind.sarskilt_boende)
    meeting = date(2026, 3, 3)
    agenda = [
        {
            "key": "q1",
            "section_key": "foregaende",
            "section_role": "previous",
            "section_title": "1. Föregående uppföljning",
            "text": "Minnesanteckningarna är genomgångna.",
            "kind": "fraga",
            "answer": "ja_nej",
            "clause": "",
            "unit": "",
            "area": "",
        },
        {
            "key": "q2",
            "section_key": "bemanning",
            "section_role": "staffing",
            "section_title": "2. Aktuell personalsituation",
            "text": "Andel undersköterskor.",
            "kind": "fraga",
            "answer": "tal",
            "clause": "",
            "unit": "procent",
            "area": "",
        },
        {
            "key": "krav-1",
            "section_key": "ska-krav",
            "section_role": "requirements",
            "section_title": "3. SKA-krav",
            "text": "Utföraren ska ha ett ledningssystem.",
            "kind": "ska_krav",
            "answer": "bedomning",
            "clause": "4.1.1",
            "unit": "",
            "area": "Ledning och kvalitet",
            "source": "contract",
        },
        {
            "key": "krav-2",
            "section_key": "ska-krav",
            "section_role": "requirements",
            "section_title": "3. SKA-krav",
            "text": "Genomförandeplan inom 14 dagar.",
            "kind": "ska_krav",
            "answer": "bedomning",
            "clause": "4.3.1",
            "unit": "",
            "area": "Individens planering",
            "source": "contract",
        },
        {
            "key": "q4",
            "section_key": "atgardsplan",
            "section_role": "action_plan",
            "section_title": "4. Åtgärdsplan",
            "text": "Datum för nästa halvårsuppföljning.",
            "kind": "fraga",
            "answer": "datum",
            "clause": "",
            "unit": "",
            "area": "",
        },
    ]
    followup = FollowUp(
        kind=kind,
        title=labels.KIND_LABELS[kind],
        contractor_id=contractor.id,
        contract_id=contract.id,
        planned_date=meeting,
        planned_time="09:00",
        place="Konferensrummet",
        methods=["dokumentgranskning", "intervju"],
        reason=RiktadReason.politiskt_beslut if kind is FollowUpKind.riktad else None,
        participants=[
            {"name": "Anna Exempel", "role": "Förvaltningschef", "side": "kommun"},
            {"name": "Bo Exempel", "role": "Utvecklingsledare", "side": "kommun"},
            {"name": "Cia Exempel", "role": "Verksamhetschef", "side": "utforare"},
        ],
        status=FollowUpStatus.justerad,
        agenda=agenda,
        justerad_at=datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
        committee_dnr="VOU 2026/14",
        minutes_sent_on=date(2026, 3, 6),
        contractor_comments="Genomförandeplanerna är nu upprättade för alla brukare.",
        contractor_comments_on=date(2026, 3, 20),
    )
    previous = FollowUp(
        kind=FollowUpKind.avtal,
        title="Uppföljning av avtal",
        contractor_id=contractor.id,
        planned_date=date(2025, 9, 2),
        agenda=agenda,
    )
    assessments = {
        "q1": Assessment(followup_id=followup.id, item_key="q1", value="ja"),
        "q2": Assessment(followup_id=followup.id, item_key="q2", value="82"),
        "krav-1": Assessment(followup_id=followup.id, item_key="krav-1", result=Result.uppfyllt),
        "krav-2": Assessment(
            followup_id=followup.id,
            item_key="krav-2",
            result=Result.ej_uppfyllt,
            comment="Saknas för två av tio brukare.",
        ),
        "q4": Assessment(followup_id=followup.id, item_key="q4", value="2026-09-01"),
    }
    finding = Finding(
        followup_id=followup.id,
        kind=FindingKind.avvikelse,
        item_key="krav-2",
        clause="4.3.1",
        area="3. SKA-krav",
        title="Genomförandeplan inom 14 dagar.",
        description="Saknas för två av tio brukare.",
        for_committee=True,
    )
    action = Action(
        finding_id=finding.id,
        what="Upprätta genomförandeplaner",
        responsible="Verksamhetschef",
        due_date=date(2026, 4, 30),
    )
    old_finding = Finding(
        followup_id=previous.id, kind=FindingKind.avvikelse, clause="4.1.3", title="Egenkontroll"
    )
    old_action = Action(
        finding_id=old_finding.id,
        what="Genomföra egenkontroll",
        responsible="Enhetschef",
        due_date=date(2025, 11, 30),
        status=ActionStatus.verifierad,
    )
    review = ActionReview(
        followup_id=followup.id,
        action_id=old_action.id,
        status=ActionStatus.verifierad,
        comment="Protokoll granskat.",
    )
    analysis = StaffingAnalysis(
        followup_id=followup.id,
        filename="schema.xlsx",
        file_sha256="0" * 64,
        rules={
            "sections": ["Avd A"],
            "periods": [{"name": "Dag"}, {"name": "Natt"}],
            "min_competent_hours_share": 0.75,
        },
        result={
            "from": "2026-02-16",
            "to": "2026-03-01",
            "shifts": 120,
            "total_hours": 980.5,
            "competent_hours": 760.0,
            "competent_share": 0.7751,
            "share_breached": False,
            "distinct_people": 21,
            "hours_by_section": {"Avd A": 980.5},
            "warnings": [],
            "breaches": [
                {
                    "date": "2026-02-20",
                    "section": "Avd A",
                    "period": "Natt",
                    "kind": "competent",
                    "required": 1,
                    "present": 0,
                }
            ],
        },
    )
    return FollowUpData(
        followup=followup,
        contractors=[contractor],
        contract=contract,
        units=[unit],
        assessments=assessments,
        findings=[finding],
        actions={finding.id: [action]},
        carried=[(previous, old_finding, old_action)],
        reviews={old_action.id: review},
        previous=previous,
        justerad_by="Anna Exempel",
        recheck=FollowUp(
            kind=FollowUpKind.ateruppfoljning,
            contractor_id=contractor.id,
            planned_date=date(2026, 6, 3),
        ),
        analyses=[analysis],
        author_name="Bo Exempel",
        notes={"personaltathet": "0,8 åa per plats", "bemanning_kommentar": "Inga vakanser."},
        doc_version=1,
        today=date(2026, 3, 6),
        settings=DocumentSettings(
            signatory=Official(name="Anna Exempel", title="Förvaltningschef"),
            officials=[Official(name="Bo Exempel", title="Utvecklingsledare")],
        ),
    )


def sample_period(first: date = date(2026, 1, 1), last: date = date(2026, 3, 31)) -> PeriodData:
    """A made-up period with the sample follow-up (and a ledningssystem one)."""
    data = sample_data(FollowUpKind.avtal)
    other = sample_data(FollowUpKind.ledningssystem)
    f, g = data.followup, other.followup
    g.planned_date = date(2026, 2, 10)
    actions = [a for group in data.actions.values() for a in group]
    return PeriodData(
        date_from=first,
        date_to=last,
        as_of=last,
        followups=[g, f],
        contractors={c.id: c.name for c in data.contractors},
        units={f.id: [u.name for u in data.units], g.id: [u.name for u in other.units]},
        owners={
            f.id: [c.name for c in data.contractors],
            g.id: [c.name for c in other.contractors],
        },
        assessments={f.id: data.assessments, g.id: other.assessments},
        findings={f.id: data.findings},
        actions=data.actions,
        open_actions=actions,
        verified_in_period=1,
        planned_after=[FollowUp(**(f.model_dump() | {"planned_date": date(2026, 9, 1)}))],
        today=date(2026, 4, 2),
        settings=data.settings,
    )


def minutes_sample(kind: FollowUpKind) -> dict[str, Any]:
    return minutes_context(sample_data(kind))


def committee_sample() -> dict[str, Any]:
    """Every block of the tjänsteskrivelse filled."""
    return committee_context(sample_data(FollowUpKind.avtal))


def quarterly_sample() -> dict[str, Any]:
    return period_context(sample_period())


def yearly_sample() -> dict[str, Any]:
    return yearly_context(sample_period(date(2025, 1, 1), date(2025, 12, 31)))
