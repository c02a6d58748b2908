"""What the follow-up page shows, ready to render: the header, each agenda point's items with
their answers, proposals and evidence, point 1's carried actions, the findings and the plan.

Every function reads through `followups.visible_followup`, so a läsare gets nothing of a
follow-up that is not justerad.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from audit_app.auth import CONDUCT, Actor, display_name, display_names, reads
from audit_app.domain import labels
from audit_app.domain.agenda import AgendaItem, AgendaSection, sections_of
from audit_app.domain.calendar import is_overdue, recheck_date
from audit_app.domain.rules import mark_of
from audit_app.domain.svtext import (
    AVVIKELSE,
    FORBATTRINGSOMRADE,
    count,
    short,
    sv_date,
    sv_join,
    sv_moment,
)
from audit_app.models import (
    Action,
    ActionReview,
    Assessment,
    Finding,
    FindingKind,
    FindingSource,
    FindingStatus,
    FollowUp,
    FollowUpStatus,
    Method,
    Result,
    ReviewMark,
    SectionRole,
)
from audit_app.services import evidence, followups, registers, signals
from audit_app.services.audit_log import last_change

DECIDED = (FindingStatus.bekraftad, FindingStatus.stangd)


@dataclass
class Header:
    """The top of the page."""

    followup: FollowUp
    title: str
    meta: str
    status: str
    methods: str
    recheck: date | None
    continues: str
    editable: bool
    may_justera: bool
    justera_refusal: str | None
    sections: list[AgendaSection]


@reads
def header(session: Session, actor: Actor, followup_id: uuid.UUID) -> Header:
    """The page's header and its agenda points (sections) for this actor."""
    f = followups.visible_followup(session, actor, followup_id)
    units = followups.unit_names(session, [f.id])[f.id]
    contractors = followups.contractor_names(session, [f.id])[f.id]
    contract = registers.get_contract(session, f.contract_id) if f.contract_id else None
    who = sv_join(contractors) or "Utskottets egen kontroll"
    meta = [who, f"{sv_date(f.planned_date)} {f.planned_time}".strip()]
    if f.place:
        meta.append(f.place)
    if contract:
        meta.append(f"Avtal {contract.dnr}")
    if f.reason:
        meta.append(f"Orsak: {labels.REASON_LABELS[f.reason]}")
    status = f"Status: {labels.STATUS_LABELS[f.status]} · version {f.doc_version}"
    if f.justerad_by_id:
        status += f" · justerad av {display_name(session, f.justerad_by_id)}"
        if f.justerad_at:
            status += f" {sv_moment(f.justerad_at)}"
    if f.correction_reason and f.status is not FollowUpStatus.justerad:
        status += f" · rättelse: {f.correction_reason}"
    recheck = followups.recheck_of(session, f.id)
    previous = followups.get_followup(session, f.previous_id) if f.previous_id else None
    continues = (
        f"Fortsätter {labels.KIND_LABELS[previous.kind].lower()} {sv_date(previous.planned_date)}."
        if previous is not None
        else ""
    )
    refusal = followups.justera_refusal_for(session, actor, f)
    return Header(
        followup=f,
        title=f"{labels.KIND_LABELS[f.kind]} – {', '.join(units)}"
        if units
        else labels.KIND_LABELS[f.kind],
        meta=" · ".join(meta),
        status=status,
        methods=", ".join(labels.METHOD_LABELS[Method(m)] for m in f.methods),
        recheck=recheck.planned_date if recheck else None,
        continues=continues,
        editable=f.status in (FollowUpStatus.planerad, FollowUpStatus.pagar)
        and actor.role in CONDUCT,
        may_justera=refusal is None,
        justera_refusal=refusal,
        sections=sections_of(followups.agenda_of(f)),
    )


# --------------------------------------------------------------------------- agenda points


@dataclass
class ItemView:
    """One agenda item as the page shows it."""

    item: AgendaItem
    answer: Assessment | None
    before: Result | None  # the result at the previous follow-up
    files: list[tuple[str, str]]  # (file name, sha256)
    proposal: Finding | None  # undecided: confirm, downgrade or dismiss here
    decided: Finding | None  # confirmed from this item
    dismissed: Finding | None  # dismissed by the revisor, with the reason
    saved_by: str = ""  # "sparad 30 november 2026 kl. 14.05 av Karin Ek"
    conflict: bool = False  # uppfyllt against the staffing analysis, not yet confirmed

    @property
    def answered(self) -> bool:
        return self.item.is_answered(self.answer)


@dataclass
class SectionView:
    key: str
    title: str
    role: SectionRole | None
    items: list[ItemView]

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.answered)


# An agenda point with more items than this is shown one area at a time (point 3 of an
# avtalsuppföljning holds 40-80 of the contract's requirements; drawing them all at once made the
# revisor wait half a second on every change of tab).
GROUP_SIZE = 15
GENERAL = "Allmänt"  # items without an area of their own (the point's own questions)


@dataclass
class ItemGroup:
    """Items shown together: an area of the contract, or a part of a long area."""

    label: str
    items: list[ItemView]

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.answered)


def item_groups(items: list[ItemView], size: int = GROUP_SIZE) -> list[ItemGroup]:
    """The items of an agenda point in the groups the page shows: all together up to `size`
    items; beyond that by area (in the agenda's order), an area of more than `size` items in
    parts ("Personal 1–15", "Personal 16–30"), items without an area of their own (the agenda
    gives them the point's title) under "Allmänt"; a point without areas in parts ("Frågor
    1–15")."""
    if len(items) <= size:
        return [ItemGroup("", items)]
    areas: dict[str, list[ItemView]] = {}
    for row in items:
        area = row.item.area.strip()
        own = area and area != row.item.section_title
        areas.setdefault(area if own else GENERAL, []).append(row)
    if list(areas) == [GENERAL]:  # a long list of questions without areas: in parts by number
        areas = {"Frågor": items}
    groups = []
    for area, rows in areas.items():
        if len(rows) <= size:
            groups.append(ItemGroup(area, rows))
            continue
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            groups.append(ItemGroup(f"{area} {start + 1}–{start + len(part)}", part))
    return groups


@reads
def section_view(
    session: Session, actor: Actor, followup_id: uuid.UUID, section_key: str
) -> SectionView:
    """One agenda point's items with answers, last time's results, evidence and proposals."""
    f = followups.visible_followup(session, actor, followup_id)
    section = next((s for s in sections_of(followups.agenda_of(f)) if s.key == section_key), None)
    if section is None:
        return SectionView(section_key, "", None, [])
    return SectionView(section.key, section.title, section.role, _views(session, f, section.items))


@reads
def item_view(session: Session, actor: Actor, followup_id: uuid.UUID, item_key: str) -> ItemView:
    """One item as `section_view` gives it (after a change to just that item)."""
    f = followups.visible_followup(session, actor, followup_id)
    return _views(session, f, [followups.agenda_item(f, item_key)])[0]


def _views(session: Session, f: FollowUp, items: list[AgendaItem]) -> list[ItemView]:
    keys = [i.key for i in items]
    answers = followups.assessments_of(session, f.id, keys)
    before = followups.assessments_of(session, f.previous_id, keys) if f.previous_id else {}
    files = evidence.evidence_of(session, f.id)
    by_item: dict[str, list[Finding]] = {}
    for finding in followups.findings_of(session, f.id):
        if finding.item_key and finding.source is FindingSource.agenda:
            by_item.setdefault(finding.item_key, []).append(finding)
    names = display_names(session, [a.updated_by_id for a in answers.values()])
    views = []
    for item in items:
        answer = answers.get(item.key)
        found = by_item.get(item.key, [])
        views.append(
            ItemView(
                item=item,
                answer=answer,
                before=before[item.key].result
                if item.key in before and before[item.key].result is not Result.ej_bedomd
                else None,
                files=[(e.filename, e.sha256) for e in files.get(item.key, [])],
                proposal=next((x for x in found if x.status is FindingStatus.foreslagen), None),
                decided=next((x for x in found if x.status in DECIDED), None),
                dismissed=next(
                    (x for x in found if x.status is FindingStatus.avfardad and x.reject_reason),
                    None,
                ),
                saved_by=_saved_by(answer, names),
                conflict=answer is not None and followups.measured_conflict(answer),
            )
        )
    return views


def _saved_by(answer: Assessment | None, names: dict[uuid.UUID, str]) -> str:
    if answer is None or (answer.version <= 1 and not answer.comment and not answer.value):
        return ""
    if answer.prefilled:
        return "ifylld från schemagranskningen"
    who = names.get(answer.updated_by_id) if answer.updated_by_id else ""
    return f"sparad {sv_moment(answer.updated_at)}" + (f" av {who}" if who else "")


# --------------------------------------------------------------------------- point 1


@dataclass
class CarriedRow:
    action: Action
    finding: Finding
    origin: str  # "uppföljning av avtal 3 mars 2026 (Solgården)"
    due: str
    status_before: str
    overdue: bool
    review: ActionReview | None
    mark: ReviewMark | None


@dataclass
class PointOne:
    """Point 1: the previous meeting's remarks, and every action still open."""

    previous_title: str
    previous_findings: list[str]
    carried: list[CarriedRow] = field(default_factory=list)
    # "Sedan förra mötet: 2 lex Sarah-rapporter, 1 klagomål." (signals about the units)
    since: signals.MeetingSignals | None = None


@reads
def point_one(session: Session, actor: Actor, followup_id: uuid.UUID) -> PointOne:
    f = followups.visible_followup(session, actor, followup_id)
    previous = followups.get_followup(session, f.previous_id) if f.previous_id else None
    remarks: list[str] = []
    title = ""
    if previous is not None:
        title = (
            f"{labels.KIND_LABELS[previous.kind]} {sv_date(previous.planned_date)}"
            f" ({labels.STATUS_LABELS[previous.status].lower()})"
        )
        for x in followups.findings_of(session, previous.id):
            if x.status in DECIDED:
                remarks.append(
                    f"{labels.FINDING_KIND_LABELS[x.kind]}: {x.clause + ' ' if x.clause else ''}"
                    f"{x.title} ({labels.FINDING_STATUS_LABELS[x.status].lower()})"
                )
    carried = followups.carried_actions(session, f)
    reviews = followups.reviews_of(session, f.id)
    names = followups.unit_names(session, list({o.id for o, _, _ in carried}))
    rows = []
    for origin, finding, action in carried:
        review = reviews.get(action.id)
        rows.append(
            CarriedRow(
                action=action,
                finding=finding,
                origin=f"{labels.KIND_LABELS[origin.kind].lower()} {sv_date(origin.planned_date)}"
                f" ({', '.join(names.get(origin.id, []))})",
                due=sv_date(action.due_date),
                status_before="–" if review else labels.ACTION_STATUS_LABELS[action.status],
                overdue=review is None
                and is_overdue(action.due_date, action.status, f.planned_date),
                review=review,
                mark=mark_of(review.status) if review else None,
            )
        )
    since = signals.meeting_signals(session, f, followups.unit_ids_of(session, f.id))
    return PointOne(title, remarks, rows, since)


# --------------------------------------------------------------------------- point 4


@dataclass
class ActionGroup:
    finding: Finding
    actions: list[Action]
    overdue: set[uuid.UUID]
    unit: str = ""  # the finding's unit, on a follow-up of several units

    @property
    def missing(self) -> bool:
        return self.finding.kind is FindingKind.avvikelse and not self.actions


@dataclass
class PlanView:
    """Point 4: proposals still to decide, the decided findings and their action plan."""

    proposals: list[Finding]
    proposals_text: str  # "2 avvikelser och ett förbättringsområde föreslås"
    decided: list[Finding]
    dismissed: int
    groups: list[ActionGroup]
    recheck: date | None
    default_due: date
    # Several units: the units a finding may concern (see `unit_choices`), and the
    # återuppföljning of each contractor with avvikelser (who, by when).
    units: dict[uuid.UUID, str] = field(default_factory=dict)
    rechecks: list[tuple[str, date]] = field(default_factory=list)


@reads
def plan_view(
    session: Session, actor: Actor, followup_id: uuid.UUID, today: date | None = None
) -> PlanView:
    f = followups.visible_followup(session, actor, followup_id)
    today = today or date.today()
    findings = followups.findings_of(session, f.id)
    proposals = [x for x in findings if x.status is FindingStatus.foreslagen]
    decided = [x for x in findings if x.status in DECIDED]
    units = unit_choices(session, actor, followup_id)
    groups = []
    for x in decided:
        if x.kind is FindingKind.iakttagelse:
            continue
        actions = followups.actions_of(session, x.id)
        groups.append(
            ActionGroup(
                x,
                actions,
                {a.id for a in actions if is_overdue(a.due_date, a.status, today)},
                units.get(x.unit_id, "") if x.unit_id else "",
            )
        )
    rechecks = followups.rechecks_of(session, f.id)
    recheck = rechecks[0] if rechecks else None
    owners = followups.contractor_names(session, [r.id for r in rechecks])
    return PlanView(
        proposals=proposals,
        proposals_text=proposals_sentence(proposals),
        decided=decided,
        dismissed=sum(1 for x in findings if x.status is FindingStatus.avfardad),
        groups=groups,
        recheck=recheck.planned_date if recheck else None,
        default_due=recheck.planned_date if recheck else recheck_date(f.planned_date),
        units=units,
        rechecks=[(sv_join(owners[r.id]) or "utskottet", r.planned_date) for r in rechecks],
    )


@reads
def unit_choices(session: Session, actor: Actor, followup_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """The units a finding of the follow-up may concern, named with their contractor when
    they are several ('Ekbacken (Trygga Händer Vård AB)'); empty for a follow-up of one unit
    or none (no choice to make)."""
    f = followups.visible_followup(session, actor, followup_id)
    unit_ids = followups.unit_ids_of(session, f.id)
    if len(unit_ids) < 2:
        return {}
    units = [registers.get_unit(session, u) for u in unit_ids]
    owners = {
        u.contractor_id: registers.get_contractor(session, u.contractor_id).name for u in units
    }
    several = len(owners) > 1
    return {
        u.id: f"{u.name} ({owners[u.contractor_id]})" if several else u.name
        for u in sorted(units, key=lambda u: (owners[u.contractor_id], u.name))
    }


@reads
def staffing_proposals(session: Session, actor: Actor, followup_id: uuid.UUID) -> list[Finding]:
    """Proposals made from the staffing review, decided in point 2 where they arise."""
    f = followups.visible_followup(session, actor, followup_id)
    return [
        x
        for x in followups.findings_of(session, f.id)
        if x.source is FindingSource.bemanning and x.status is FindingStatus.foreslagen
    ]


@reads
def action_group(
    session: Session,
    actor: Actor,
    followup_id: uuid.UUID,
    finding_id: uuid.UUID,
    today: date | None = None,
) -> ActionGroup:
    """One finding's actions (after an action was added to it)."""
    followups.visible_followup(session, actor, followup_id)
    finding = followups.get_finding(session, finding_id)
    actions = followups.actions_of(session, finding.id)
    today = today or date.today()
    units = unit_choices(session, actor, followup_id) if finding.unit_id else {}
    return ActionGroup(
        finding,
        actions,
        {a.id for a in actions if is_overdue(a.due_date, a.status, today)},
        units.get(finding.unit_id, "") if finding.unit_id else "",
    )


def proposals_sentence(proposals: list[Finding]) -> str:
    """'2 avvikelser och ett förbättringsområde föreslås' (or '' when none)."""
    deviations = sum(1 for x in proposals if x.kind is FindingKind.avvikelse)
    improvements = sum(1 for x in proposals if x.kind is FindingKind.forbattringsomrade)
    parts = []
    if deviations:
        parts.append(count(deviations, AVVIKELSE))
    if improvements:
        parts.append(count(improvements, FORBATTRINGSOMRADE))
    text = sv_join(parts)
    return f"{text[:1].upper()}{text[1:]} föreslås" if text else ""


def proposal_label(finding: Finding, item: AgendaItem | None) -> str:
    """'Föreslås som avvikelse: SKA-krav ej uppfyllt' shown under the item."""
    what = labels.FINDING_KIND_LABELS[finding.kind].lower()
    why = ""
    if item is not None and item.is_requirement:
        why = f" – {labels.ITEM_KIND_LABELS[item.kind]} ej (helt) uppfyllt"
    return f"Föreslås som {what}{why}"


def saved_caption(session: Session, entity: str, entity_id: uuid.UUID, field_name: str) -> str:
    """'sparad 30 november 2026 kl. 14.05 av Karin Ek' for one field, from the change log."""
    who, when = last_change(session, entity, entity_id, field_name)
    if when is None:
        return ""
    return f"sparad {sv_moment(when)}" + (f" av {who}" if who else "")


def short_label(item: AgendaItem, limit: int = 90) -> str:
    return short(item.label, limit)
