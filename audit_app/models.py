"""SQLModel tables and enums of the domain; nothing else lives here."""

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from audit_app import clock


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (the app's clock)."""
    return clock.now()


# --------------------------------------------------------------------------- enums


class Role(str, Enum):
    admin = "admin"
    revisor = "revisor"
    forvaltningschef = "forvaltningschef"
    lasare = "lasare"
    # MAS or utredningssekreterare: records signals (lex Sarah, lex Maria, klagomål), else reads.
    utredare = "utredare"


class UnitKind(str, Enum):
    sarskilt_boende = "sarskilt_boende"
    hemtjanst = "hemtjanst"
    lss_bostad = "lss_bostad"
    daglig_verksamhet = "daglig_verksamhet"


class RequirementKind(str, Enum):
    ska = "ska"
    bor = "bor"


class ProcurementForm(str, Enum):
    """How the contract came about: its last sanction is hävning (LOU) or återkallat
    godkännande (LOV)."""

    lou = "lou"
    lov = "lov"


class FollowUpKind(str, Enum):
    avtal = "avtal"
    ledningssystem = "ledningssystem"
    kvalitetsrevision = "kvalitetsrevision"
    riktad = "riktad"
    bistandsarenden = "bistandsarenden"
    ateruppfoljning = "ateruppfoljning"


class FollowUpStatus(str, Enum):
    planerad = "planerad"
    pagar = "pagar"
    klar = "klar"  # klar för justering
    justerad = "justerad"


class Method(str, Enum):
    dokumentgranskning = "dokumentgranskning"
    intervju = "intervju"
    observation = "observation"
    anmalt_besok = "anmalt_besok"
    oanmalt_besok = "oanmalt_besok"


class RiktadReason(str, Enum):
    politiskt_beslut = "politiskt_beslut"
    ledningsgrupp = "ledningsgrupp"
    onskemal = "onskemal"
    infor_upphandling = "infor_upphandling"
    infor_forlangning = "infor_forlangning"
    kvalitetsrevision = "kvalitetsrevision"


class Result(str, Enum):
    uppfyllt = "uppfyllt"
    delvis_uppfyllt = "delvis_uppfyllt"
    ej_uppfyllt = "ej_uppfyllt"
    ej_aktuellt = "ej_aktuellt"
    ej_bedomd = "ej_bedomd"


class FindingKind(str, Enum):
    avvikelse = "avvikelse"
    forbattringsomrade = "forbattringsomrade"
    iakttagelse = "iakttagelse"


class FindingStatus(str, Enum):
    foreslagen = "foreslagen"  # proposed by a rule, not yet confirmed by the revisor
    bekraftad = "bekraftad"
    avfardad = "avfardad"  # proposal rejected
    stangd = "stangd"  # every action verified


class ActionStatus(str, Enum):
    oppen = "oppen"
    pagar = "pagar"
    genomford = "genomford"  # the contractor says it is done
    verifierad = "verifierad"  # checked at a later follow-up: closed
    ej_genomford = "ej_genomford"


class ReviewMark(str, Enum):
    """The mark an earlier action gets in agenda point 1; "kvarstar" keeps it open."""

    genomford = "genomford"
    verifierad = "verifierad"
    ej_genomford = "ej_genomford"
    kvarstar = "kvarstar"


class Side(str, Enum):
    """Which side of the meeting a participant is on."""

    kommun = "kommun"
    utforare = "utforare"


class FindingSource(str, Enum):
    """Where a finding came from: an agenda item, the staffing review, or written freely."""

    agenda = "agenda"
    bemanning = "bemanning"
    fritt = "fritt"


class ItemKind(str, Enum):
    ska_krav = "ska_krav"
    bor_krav = "bor_krav"
    fraga = "fraga"


class AnswerType(str, Enum):
    bedomning = "bedomning"
    ja_nej = "ja_nej"
    tal = "tal"
    text = "text"
    datum = "datum"


class SectionRole(str, Enum):
    """What a checklist section is in the policy's agenda (declared in the YAML, `role:`)."""

    previous = "previous"  # point 1: the previous meeting's actions and remarks
    staffing = "staffing"  # point 2: current staffing, from the schedules
    requirements = "requirements"  # point 3: the contract's own requirements
    findings = "findings"  # a section where findings are summarised
    action_plan = "action_plan"  # point 4: action plan and the next follow-up


class StaffingMeasure(str, Enum):
    """What a staffing item of the agenda is answered from, in the latest schedule analysis."""

    period_start = "period_start"  # first day of the schedule period reviewed
    staff = "staff"  # staff on duty met the commitment on every shift
    competence = "competence"  # competence present met the commitment (shifts and share)
    competent_share = "competent_share"  # share of hours worked by competent staff, in percent


# --------------------------------------------------------------------------- mixins


class Tracked(SQLModel):
    """Columns every record people edit carries.

    `version` is the optimistic lock: every UPDATE says `WHERE version = <the version read>`
    (SQLAlchemy's version_id_col), so a save based on a stale copy fails with StaleDataError
    instead of overwriting someone else's change; `audit_log.record_changes` raises it by one.
    """

    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- tables


class User(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=80)
    display_name: str = Field(max_length=120)
    role: Role
    password_hash: str
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # Failed log-ins in a row; at 5 the account is locked until `locked_until` (15 minutes).
    failed_logins: int = 0
    locked_until: datetime | None = None
    # A demo account: its password is public ("demo"); the log-in page says so.
    demo: bool = False
    # The identity of a user who signs in through the municipality's identity provider
    # (st.login, OIDC): "<issuer>|<subject>". None for local accounts.
    external_id: str | None = Field(default=None, unique=True, max_length=300)


class Contractor(Tracked, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(index=True, max_length=200)
    org_nr: str = Field(max_length=11, unique=True)
    contact_name: str = Field(default="", max_length=120)
    contact_role: str = Field(default="", max_length=120)
    contact_email: str = Field(default="", max_length=200)
    archived: bool = False


class Unit(Tracked, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    contractor_id: uuid.UUID = Field(foreign_key="contractor.id", index=True)
    name: str = Field(index=True, max_length=200)
    kind: UnitKind
    places: int = 0
    sections: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    address: str = Field(default="", max_length=200)
    archived: bool = False


class Contract(Tracked, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    dnr: str = Field(index=True, unique=True, max_length=40)
    title: str = Field(max_length=200)
    contractor_id: uuid.UUID = Field(foreign_key="contractor.id", index=True)
    valid_from: date
    valid_to: date
    extension_option: str = Field(default="", max_length=300)
    extension_until: date | None = None
    archived: bool = False
    # LOU (upphandlat) or LOV (valfrihetssystem): decides the ladder's last step.
    procurement_form: ProcurementForm = ProcurementForm.lou


class ContractUnit(SQLModel, table=True):
    __table_args__ = (Index("ix_contractunit_unit_id", "unit_id"),)
    contract_id: uuid.UUID = Field(foreign_key="contract.id", primary_key=True)
    unit_id: uuid.UUID = Field(foreign_key="unit.id", primary_key=True)


class Requirement(Tracked, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contract.id", index=True)
    position: int = 0
    clause: str = Field(default="", max_length=40)
    text: str
    kind: RequirementKind = RequirementKind.ska
    area: str = Field(default="", max_length=120)
    # What the revisor looks at to judge it (from a standard list, or written for the contract).
    hint: str = ""
    # Unit kinds the requirement concerns; empty means every unit of the contract.
    applies_to: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    archived: bool = False


class ChecklistVersion(SQLModel, table=True):
    """One immutable version of a checklist; `content` is the validated checklist as JSON."""

    __table_args__ = (UniqueConstraint("key", "version"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    key: str = Field(index=True, max_length=80)
    version: int
    name: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    sha256: str = Field(max_length=64)
    source: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")


class FollowUp(Tracked, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: FollowUpKind
    title: str = Field(default="", max_length=200)
    # The contractor when the follow-up concerns exactly one (every contractor-bound kind, and a
    # riktad uppföljning of one contractor's units); None for a riktad uppföljning across
    # contractors and for the committee's kontroll av biståndsärenden. The contractors of a
    # follow-up always come from its units (`followups.contractors_of`).
    contractor_id: uuid.UUID | None = Field(default=None, foreign_key="contractor.id", index=True)
    contract_id: uuid.UUID | None = Field(default=None, foreign_key="contract.id", index=True)
    planned_date: date = Field(index=True)
    planned_time: str = Field(default="", max_length=5)
    place: str = Field(default="", max_length=200)
    methods: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reason: RiktadReason | None = None
    reason_text: str = ""
    # [{"name", "role", "side": "kommun"|"utforare"}]
    participants: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    status: FollowUpStatus = Field(default=FollowUpStatus.planerad, index=True)
    checklist_version_id: uuid.UUID | None = Field(default=None, foreign_key="checklistversion.id")
    # The resolved agenda (checklist items plus contract requirements), frozen when started.
    agenda: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    previous_id: uuid.UUID | None = Field(default=None, foreign_key="followup.id", index=True)
    # The version people see: 1 until a justerad follow-up is corrected, then 2, 3, ...
    # (`version` from Tracked counts every saved change, for optimistic locking.)
    doc_version: int = 1
    author_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    justerad_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")
    justerad_at: datetime | None = None
    correction_reason: str = ""
    # The case of the tjänsteskrivelse to the committee: its own diarienummer, and the
    # bedömning as the revisor worded it (empty: the text made from the record).
    committee_dnr: str = Field(default="", max_length=40)
    committee_assessment: str = ""
    # The minutes sent to the contractor, and the contractor's comments received afterwards.
    minutes_sent_on: date | None = None
    contractor_comments: str = ""
    contractor_comments_on: date | None = None


class FollowUpUnit(SQLModel, table=True):
    __table_args__ = (Index("ix_followupunit_unit_id", "unit_id"),)
    followup_id: uuid.UUID = Field(foreign_key="followup.id", primary_key=True)
    unit_id: uuid.UUID = Field(foreign_key="unit.id", primary_key=True)


class FollowUpVersion(SQLModel, table=True):
    """A readable snapshot of a follow-up as it was justerad (one per version)."""

    __table_args__ = (UniqueConstraint("followup_id", "version"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    followup_id: uuid.UUID = Field(foreign_key="followup.id", index=True)
    version: int
    snapshot: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    reason: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")


class Assessment(Tracked, table=True):
    __table_args__ = (UniqueConstraint("followup_id", "item_key"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    followup_id: uuid.UUID = Field(foreign_key="followup.id", index=True)
    item_key: str = Field(max_length=120)
    result: Result = Result.ej_bedomd
    value: str = ""  # answer of items that are not a bedömning (ja_nej, tal, text, datum)
    comment: str = ""
    # What the latest staffing analysis says about this item (items with a `measure`):
    measured: str = ""  # e.g. "68 % av timmarna med undersköterska; åtagandet är 75 %"
    measured_met: bool | None = None
    analysis_id: uuid.UUID | None = Field(default=None, foreign_key="staffinganalysis.id")
    prefilled: bool = False  # the answer came from the analysis, not yet changed by a person
    # Why the revisor judges "uppfyllt" although the analysis shows the commitment not met.
    override_reason: str = ""


class Evidence(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    followup_id: uuid.UUID = Field(foreign_key="followup.id", index=True)
    item_key: str = Field(max_length=120)
    filename: str = Field(max_length=255)
    stored_path: str = Field(max_length=500)
    sha256: str = Field(max_length=64)
    size: int
    uploaded_at: datetime = Field(default_factory=utcnow)
    uploaded_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")


class Finding(Tracked, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    followup_id: uuid.UUID = Field(foreign_key="followup.id", index=True)
    kind: FindingKind
    status: FindingStatus = FindingStatus.bekraftad
    source: FindingSource = FindingSource.fritt
    # The agenda item a finding of source "agenda" comes from (or a free finding refers to).
    item_key: str | None = Field(default=None, max_length=120)
    # What a finding of source "bemanning" stands for: <kind>:<section>:<period> or "andel".
    source_ref: str = Field(default="", max_length=200)
    clause: str = Field(default="", max_length=40)
    area: str = Field(default="", max_length=120)
    title: str = Field(default="", max_length=300)
    description: str = ""
    downgrade_reason: str = ""  # an avvikelse made a förbättringsområde by the revisor
    reject_reason: str = ""  # a proposal dismissed by the revisor ("Avfärda")
    withdraw_reason: str = ""  # a proposal withdrawn by the product (the answer changed)
    for_committee: bool = False  # free text that may be quoted in the committee report
    # The unit the finding concerns: chosen when the follow-up covers several units (a riktad
    # uppföljning across units); None on a follow-up of one unit means that unit.
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="unit.id", index=True)
    recheck_followup_id: uuid.UUID | None = Field(default=None, foreign_key="followup.id")


class Action(Tracked, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    finding_id: uuid.UUID = Field(foreign_key="finding.id", index=True)
    what: str
    responsible: str = Field(default="", max_length=120)  # a role at the contractor
    due_date: date | None = None
    status: ActionStatus = Field(default=ActionStatus.oppen, index=True)
    verified_in_id: uuid.UUID | None = Field(default=None, foreign_key="followup.id")
    verified_note: str = ""
    verified_at: date | None = None


class ActionReview(Tracked, table=True):
    """The mark an open action got at a later follow-up (agenda point 1)."""

    __table_args__ = (UniqueConstraint("followup_id", "action_id"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    followup_id: uuid.UUID = Field(foreign_key="followup.id", index=True)
    action_id: uuid.UUID = Field(foreign_key="action.id", index=True)
    status: ActionStatus
    comment: str = ""


class ChangeLog(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", index=True)
    entity: str = Field(max_length=40, index=True)
    entity_id: str = Field(max_length=40, index=True)
    field: str = Field(max_length=80)
    old: str | None = None
    new: str | None = None


class StoredDocument(SQLModel, table=True):
    """A generated document kept unchanged (minutes of a justerad follow-up)."""

    __table_args__ = (UniqueConstraint("followup_id", "followup_version", "kind"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    followup_id: uuid.UUID = Field(foreign_key="followup.id", index=True)
    followup_version: int
    kind: str = Field(max_length=40)
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class StaffingAnalysis(SQLModel, table=True):
    """A staffing review of a follow-up: figures and breaches only, never a name."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    followup_id: uuid.UUID = Field(foreign_key="followup.id", index=True)
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="unit.id")
    filename: str = Field(max_length=255)
    file_sha256: str = Field(max_length=64)
    period_from: date | None = None
    period_to: date | None = None
    rules: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")


class StaffingCommitment(Tracked, table=True):
    """A contract's staffing commitment for one of its units.

    `rules` is the unit's part of the YAML exchange format without `unit` (the row's unit is
    the unit), so renaming a unit keeps its commitments.
    """

    __table_args__ = (
        UniqueConstraint("contract_id", "unit_id"),
        Index("ix_staffingcommitment_unit_id", "unit_id"),
    )
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contract.id")
    unit_id: uuid.UUID = Field(foreign_key="unit.id")
    rules: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ScheduleMapping(SQLModel, table=True):
    """The column mapping of a contractor's schedule exports, reused next time."""

    contractor_id: uuid.UUID = Field(foreign_key="contractor.id", primary_key=True)
    mapping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")


class LoginSession(SQLModel, table=True):
    """A logged-in browser: survives reloads until logged out or idle too long.

    The browser keeps `<id>.<secret>` in a cookie; only the secret's SHA-256 is stored, so a
    copy of the database cannot be used to log in.
    """

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", index=True)
    secret_sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None


class Setting(Tracked, table=True):
    """A setting an admin edits in the app (e.g. the committee's name), its value as JSON."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    key: str = Field(max_length=80, unique=True)
    value: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class FollowUpNote(Tracked, table=True):
    """A free field of a follow-up's agenda (e.g. staffing figures), saved field by field."""

    __table_args__ = (UniqueConstraint("followup_id", "key"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    followup_id: uuid.UUID = Field(foreign_key="followup.id", index=True)
    key: str = Field(max_length=80)
    value: str = ""


class StatusLevel(str, Enum):
    """A unit's status at a glance in the overview: grön, gul or röd (worst reason decides)."""

    gron = "gron"
    gul = "gul"
    rod = "rod"


class CommitteeMeeting(SQLModel, table=True):
    """A meeting date of the committee (vård- och omsorgsutskottet), entered per year: the
    biståndsärenden are checked at every meeting (policy 002)."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    meeting_date: date = Field(unique=True)
    note: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")


class RevisionCommission(SQLModel, table=True):
    """The committee's commission of a kvalitetsrevision of a unit (policy 002: internal
    quality revisions are made on the committee's commission, which sets direction and scope)."""

    __table_args__ = (Index("ix_revisioncommission_unit_id", "unit_id"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    unit_id: uuid.UUID = Field(foreign_key="unit.id")
    decided_on: date
    due_by: date
    dnr: str = Field(default="", max_length=40)
    scope: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")


# Indexes of the overview's aggregate queries (units status, action register, planning).
Index("ix_followup_status_planned_date", FollowUp.status, FollowUp.planned_date)  # type: ignore[arg-type]
Index("ix_finding_kind_status_followup", Finding.kind, Finding.status, Finding.followup_id)  # type: ignore[arg-type]
Index("ix_action_status_due_date", Action.status, Action.due_date)  # type: ignore[arg-type]
Index("ix_assessment_followup_result", Assessment.followup_id, Assessment.result)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- signals, sanctions


class SignalKind(str, Enum):
    """A signal about a contractor from outside the follow-ups (counts and categories only)."""

    lex_sarah = "lex_sarah"
    lex_maria = "lex_maria"
    klagomal = "klagomal"
    synpunkt = "synpunkt"
    ivo_beslut = "ivo_beslut"
    ej_inlamnad = "ej_inlamnad"  # a report the contractor has not delivered


class InvestigationStatus(str, Enum):
    anmald = "anmald"
    under_utredning = "under_utredning"
    avslutad = "avslutad"


class SanctionKind(str, Enum):
    """The contract's sanctions ladder: påpekande, vite or prisavdrag, hävning (LOU) or
    återkallat godkännande (LOV)."""

    papekande = "papekande"
    vite = "vite"
    prisavdrag = "prisavdrag"
    havning = "havning"
    aterkallat_godkannande = "aterkallat_godkannande"


class Signal(Tracked, table=True):
    """Signals about a contractor (or one of its units): how many, which category, how far the
    investigation has come. Never anything about a care recipient or a member of staff."""

    __table_args__ = (Index("ix_signal_unit_occurred", "unit_id", "occurred_on"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    contractor_id: uuid.UUID = Field(foreign_key="contractor.id", index=True)
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="unit.id")
    kind: SignalKind
    occurred_on: date = Field(index=True)
    category: str = Field(max_length=40)
    count: int = 1
    status: InvestigationStatus = InvestigationStatus.anmald
    note: str = Field(default="", max_length=300)


class Sanction(Tracked, table=True):
    """A sanction decided on a contract, with what it rests on: the avvikelser (links in
    SanctionFinding), the återuppföljningar that found them still open, the contract's clause."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contract.id", index=True)
    unit_id: uuid.UUID | None = Field(default=None, foreign_key="unit.id", index=True)
    kind: SanctionKind
    requirement_id: uuid.UUID = Field(foreign_key="requirement.id")
    amount_kr: int | None = None
    decided_on: date = Field(index=True)
    decided_by: str = Field(max_length=120)  # a role or body, never a person's name
    recheck_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = Field(default="", max_length=500)


class SanctionFinding(SQLModel, table=True):
    """An avvikelse a sanction rests on."""

    __table_args__ = (Index("ix_sanctionfinding_finding_id", "finding_id"),)
    sanction_id: uuid.UUID = Field(foreign_key="sanction.id", primary_key=True)
    finding_id: uuid.UUID = Field(foreign_key="finding.id", primary_key=True)


# --------------------------------------------------------------------------- indicators


class IndicatorKind(str, Enum):
    """How an indicator is measured: a number against a target, or a judgement in words (an
    aktgranskning or review, seed 004)."""

    tal = "tal"
    text = "text"


class IndicatorDirection(str, Enum):
    """Which way a numeric indicator is better."""

    hogre = "hogre"  # higher is better (share with a genomförandeplan)
    lagre = "lagre"  # lower is better (staff per brukare in 14 days)


class IndicatorStatus(str, Enum):
    uppnatt = "uppnatt"
    delvis = "delvis"
    ej_uppnatt = "ej_uppnatt"


class Indicator(Tracked, table=True):
    """An indicator the municipality follows a contract with (uppföljningsplanen, seed 004)."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    contract_id: uuid.UUID = Field(foreign_key="contract.id", index=True)
    position: int = 0
    name: str = Field(max_length=200)
    risk: str = ""  # "En risk i ... är att ..."
    definition: str = ""
    method: str = ""  # mätmetod
    responsible: str = ""  # ansvar och stöd
    occasion: str = Field(default="", max_length=200)  # mättillfälle: when or how often
    kind: IndicatorKind = IndicatorKind.tal
    unit: str = Field(default="", max_length=20)  # e.g. "%"
    target: float | None = None  # None for text indicators
    direction: IndicatorDirection = IndicatorDirection.hogre
    # How far from the target a value still counts as "delvis" (same unit; 0: no band).
    tolerance: float = 0.0
    # Unit kinds of the contract the indicator concerns; empty means every unit.
    applies_to: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    example_key: str = Field(default="", max_length=80)  # the shipped example it started from
    archived: bool = False


class IndicatorResult(Tracked, table=True):
    """An indicator's result for one period: a value (tal) or a judgement in words (text)."""

    __table_args__ = (UniqueConstraint("indicator_id", "period"),)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    indicator_id: uuid.UUID = Field(foreign_key="indicator.id")
    period: str = Field(max_length=60)  # "2026 T1", "2026", "2026-01-01–2026-06-30"
    period_end: date  # the period's last day, for ordering
    value: float | None = None
    text: str = ""  # the judgement (text indicators) or a comment (tal)
    status: IndicatorStatus
    entered_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id")


# The latest result per indicator (overview, documents): by indicator, then period end.
Index(
    "ix_indicatorresult_indicator_period_end",
    IndicatorResult.indicator_id,  # type: ignore[arg-type]
    IndicatorResult.period_end,  # type: ignore[arg-type]
)
