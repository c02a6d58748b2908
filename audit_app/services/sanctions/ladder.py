"""The sanctions ladder on a contract: record a decided sanction with what it rests on, list
them, and propose the next step for avvikelser an återuppföljning found still open.

The overview's reasons and the committee report read the same function, `unit_sanctions`, so
the förvaltningschef and the committee see the same sanctions and proposals.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from audit_app.auth import RECORD_SANCTIONS, Actor, reads, require
from audit_app.db import fetch
from audit_app.domain import labels
from audit_app.domain import sanctions as ladder
from audit_app.domain.svtext import lower_first, sv_date, sv_number
from audit_app.errors import FieldError, ValidationFailed
from audit_app.models import (
    Action,
    ActionReview,
    ActionStatus,
    Contract,
    Contractor,
    ContractUnit,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FollowUpUnit,
    Requirement,
    Sanction,
    SanctionFinding,
    SanctionKind,
    Unit,
)
from audit_app.services.audit_log import log_event, record_changes
from audit_app.services.followups.queries import readable_statuses
from audit_app.services.privacy import MESSAGE, looks_like_personnummer

DONE = (FollowUpStatus.klar, FollowUpStatus.justerad)
"""An återuppföljning that has been held and finished: its verdict on the avvikelse stands."""
RECENT_DAYS = 365
"""The overview names sanctions decided within the last year."""
DECIDED_BY = (
    "Vård- och omsorgsutskottet",
    "Kommunstyrelsen",
    "Förvaltningschef (delegationsbeslut)",
)
"""Who usually decides (the page offers these; any role or body may be written)."""


def kr(amount: int | None) -> str:
    """'25 000 kr' ('' without an amount)."""
    return f"{sv_number(amount)} kr" if amount else ""


@dataclass
class SanctionInput:
    contract_id: uuid.UUID
    kind: SanctionKind
    requirement_id: uuid.UUID | None
    decided_on: date
    decided_by: str
    finding_ids: list[uuid.UUID] = field(default_factory=list)
    amount_kr: int | None = None
    note: str = ""


@dataclass(frozen=True)
class SanctionRow:
    """A decided sanction as the pages, the overview, the committee report and the CLI show it."""

    sanction: Sanction
    contract_dnr: str
    contractor: str
    unit: str  # "" when it concerns the whole contract
    kind: str
    clause: str  # "4.2 Genomförandeplan ska upprättas inom 14 dagar."
    clause_no: str  # "4.2"
    amount: str
    basis: list[str]  # the avvikelser it rests on, one line each
    rechecks: list[str]  # "återuppföljning 2 juni 2026"

    @property
    def headline(self) -> str:
        """'Vite 25 000 kr beslutat 2 maj 2026 av vård- och omsorgsutskottet'."""
        s = self.sanction
        amount = f" {self.amount}" if self.amount else ""
        return (
            f"{self.kind}{amount} beslutat {sv_date(s.decided_on)} av {lower_first(s.decided_by)}"
        )


@dataclass(frozen=True)
class ProposalRow:
    """An avvikelse an återuppföljning found still open, and the step the ladder proposes."""

    finding: Finding
    contract_id: uuid.UUID
    contract_dnr: str
    unit_ids: tuple[uuid.UUID, ...]
    units: str
    recheck: FollowUp
    kinds: tuple[SanctionKind, ...]
    reason: str

    @property
    def text(self) -> str:
        """'Sanktion föreslås: vite eller prisavdrag (4.2 ...). Avvikelsen kvarstod ...'."""
        what = " eller ".join(labels.SANCTION_LABELS[k].lower() for k in self.kinds)
        clause = f"{self.finding.clause} " if self.finding.clause else ""
        title = self.finding.title.rstrip(" .")
        return f"Sanktion föreslås: {what} ({clause}{title}). {self.reason}"


# --------------------------------------------------------------------------- record


def _check(session: Session, data: SanctionInput, today: date) -> tuple[Contract, list[Finding]]:
    errors: list[FieldError] = []
    contract = session.get(Contract, data.contract_id)
    if contract is None:
        raise ValidationFailed([FieldError("contract_id", "Avtal: välj ett avtal.")])
    if data.kind not in ladder.allowed_kinds(contract.procurement_form):
        form = labels.PROCUREMENT_LABELS[contract.procurement_form]
        errors.append(
            FieldError(
                "kind",
                f"Sanktion: {labels.SANCTION_LABELS[data.kind].lower()} finns inte i ett avtal "
                f"enligt {form}.",
            )
        )
    requirement = session.get(Requirement, data.requirement_id) if data.requirement_id else None
    if requirement is None or requirement.contract_id != contract.id or requirement.archived:
        errors.append(
            FieldError(
                "requirement_id",
                "Avtalspunkt: välj den punkt i avtalet som ger rätt till sanktionen.",
            )
        )
    if data.kind in ladder.WITH_AMOUNT:
        if not data.amount_kr or data.amount_kr <= 0:
            errors.append(
                FieldError("amount_kr", "Belopp: ange beloppet i kronor (ett heltal över noll).")
            )
    elif data.amount_kr:
        errors.append(
            FieldError(
                "amount_kr",
                f"Belopp: {labels.SANCTION_LABELS[data.kind].lower()} har inget belopp.",
            )
        )
    if data.decided_on > today:
        errors.append(FieldError("decided_on", "Beslutsdatum: datumet kan inte ligga i framtiden."))
    decided_by = " ".join(data.decided_by.split())
    if not decided_by:
        errors.append(
            FieldError(
                "decided_by", "Beslutsfattare: ange vilket organ eller vilken roll som beslutade."
            )
        )
    elif len(decided_by) > 120:
        errors.append(FieldError("decided_by", "Beslutsfattare: högst 120 tecken."))
    for name, label, text in (
        ("decided_by", "Beslutsfattare", decided_by),
        ("note", "Motivering", data.note),
    ):
        if looks_like_personnummer(text):
            errors.append(FieldError(name, MESSAGE.format(label=label)))
    if len(data.note.strip()) > 500:
        errors.append(FieldError("note", "Motivering: högst 500 tecken."))
    findings: list[Finding] = []
    if not data.finding_ids:
        errors.append(
            FieldError("finding_ids", "Grund: välj minst en avvikelse som sanktionen vilar på.")
        )
    for finding_id in dict.fromkeys(data.finding_ids):
        finding = session.get(Finding, finding_id)
        origin = session.get(FollowUp, finding.followup_id) if finding else None
        if (
            finding is None
            or origin is None
            or finding.kind is not FindingKind.avvikelse
            or finding.status not in (FindingStatus.bekraftad, FindingStatus.stangd)
            or origin.contract_id != contract.id
        ):
            errors.append(
                FieldError(
                    "finding_ids",
                    "Grund: välj bara bekräftade avvikelser från uppföljningar av avtalet.",
                )
            )
            break
        findings.append(finding)
    if errors:
        raise ValidationFailed(errors)
    return contract, findings


def record_sanction(
    session: Session, actor: Actor, data: SanctionInput, today: date | None = None
) -> Sanction:
    """Record a decided sanction on a contract, with the avvikelser it rests on, the
    återuppföljningar that found them still open, and the contract clause that allows it."""
    require(actor, RECORD_SANCTIONS, "registrera sanktioner")
    contract, findings = _check(session, data, today or date.today())
    rechecks = [
        str(x.recheck_followup_id)
        for x in findings
        if x.recheck_followup_id is not None
        and (r := session.get(FollowUp, x.recheck_followup_id)) is not None
        and r.status in DONE
    ]
    unit_sets = {
        frozenset(
            session.exec(
                select(FollowUpUnit.unit_id).where(FollowUpUnit.followup_id == x.followup_id)
            ).all()
        )
        for x in findings
    }
    units = frozenset().union(*unit_sets) if unit_sets else frozenset()
    changes = {
        "contract_id": contract.id,
        "unit_id": next(iter(units)) if len(units) == 1 else None,
        "kind": data.kind,
        "requirement_id": data.requirement_id,
        "amount_kr": data.amount_kr if data.kind in ladder.WITH_AMOUNT else None,
        "decided_on": data.decided_on,
        "decided_by": " ".join(data.decided_by.split()),
        "recheck_ids": list(dict.fromkeys(rechecks)),
        "note": " ".join(data.note.split()),
    }
    sanction = Sanction(**changes, updated_by_id=actor.user_id)  # type: ignore[arg-type]
    record_changes(session, actor, sanction, changes, created=True)
    session.add(sanction)
    session.flush()
    for finding in findings:
        session.add(SanctionFinding(sanction_id=sanction.id, finding_id=finding.id))
    log_event(session, actor, "contract", contract.id, f"{data.kind.value} registrerad")
    session.flush()
    return sanction


# --------------------------------------------------------------------------- read


def _rows(session: Session, actor: Actor, sanctions: list[Sanction]) -> list[SanctionRow]:
    """The rows with their basis; an avvikelse of a follow-up the actor may not read yet (a
    läsare before justering) is named by its clause only, not by the meeting's words."""
    readable = readable_statuses(actor)
    if not sanctions:
        return []
    ids = [s.id for s in sanctions]
    links: dict[uuid.UUID, list[Finding]] = defaultdict(list)
    for sid, finding in session.exec(
        select(SanctionFinding.sanction_id, Finding)
        .join(Finding, col(Finding.id) == SanctionFinding.finding_id)
        .where(col(SanctionFinding.sanction_id).in_(ids))
    ).all():
        links[sid].append(finding)
    origins = {
        f.id: f
        for f in session.exec(
            select(FollowUp).where(
                col(FollowUp.id).in_(
                    {x.followup_id for xs in links.values() for x in xs}
                    | {uuid.UUID(r) for s in sanctions for r in s.recheck_ids}
                )
            )
        )
    }
    contracts = {c.id: c for c in session.exec(select(Contract))}
    contractors = dict(session.exec(select(Contractor.id, Contractor.name)).all())
    units = dict(session.exec(select(Unit.id, Unit.name)).all())
    requirements = {
        r.id: r
        for r in session.exec(
            select(Requirement).where(
                col(Requirement.id).in_({s.requirement_id for s in sanctions})
            )
        )
    }
    rows = []
    for s in sanctions:
        contract = contracts[s.contract_id]
        req = requirements.get(s.requirement_id)
        basis = []
        for x in sorted(links.get(s.id, []), key=lambda x: x.clause):
            origin = origins.get(x.followup_id)
            when = f"{sv_date(origin.planned_date)}: " if origin else ""
            hidden = readable is not None and (origin is None or origin.status not in readable)
            title = "avvikelse (uppföljningen är inte justerad ännu)" if hidden else x.title
            basis.append(f"{when}{x.clause + ' ' if x.clause else ''}{title}".strip())
        rechecks = [
            f"återuppföljning {sv_date(origins[uuid.UUID(r)].planned_date)}"
            for r in s.recheck_ids
            if uuid.UUID(r) in origins
        ]
        rows.append(
            SanctionRow(
                sanction=s,
                contract_dnr=contract.dnr,
                contractor=contractors.get(contract.contractor_id, ""),
                unit=units.get(s.unit_id, "") if s.unit_id else "",
                kind=labels.SANCTION_LABELS[s.kind],
                clause=f"{req.clause} {req.text}".strip() if req else "",
                clause_no=req.clause if req else "",
                amount=kr(s.amount_kr),
                basis=basis,
                rechecks=rechecks,
            )
        )
    return rows


@reads
def list_sanctions(
    session: Session,
    actor: Actor,
    contract_id: uuid.UUID | None = None,
    date_from: date | None = None,
) -> list[SanctionRow]:
    """Decided sanctions, newest first (decisions on a contract: every role reads them)."""
    query = select(Sanction)
    if contract_id is not None:
        query = query.where(Sanction.contract_id == contract_id)
    if date_from is not None:
        query = query.where(Sanction.decided_on >= date_from)
    sanctions = list(
        session.exec(
            query.order_by(col(Sanction.decided_on).desc(), col(Sanction.created_at).desc())
        )
    )
    return _rows(session, actor, sanctions)


def _units_of_followups(
    session: Session, followup_ids: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[uuid.UUID, ...]]:
    out: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if followup_ids:
        for fid, uid in session.exec(
            select(FollowUpUnit.followup_id, FollowUpUnit.unit_id).where(
                col(FollowUpUnit.followup_id).in_(followup_ids)
            )
        ).all():
            out[fid].append(uid)
    return {k: tuple(v) for k, v in out.items()}


STILL_OPEN = (ActionStatus.oppen, ActionStatus.pagar, ActionStatus.ej_genomford)
"""An action in one of these after the återuppföljning (marked ej genomförd or kvarstår, or
not marked at all) leaves its avvikelse open; genomförd (the contractor's word) and verifierad
do not."""


def _failed(session: Session, pairs: list[tuple[Finding, FollowUp]]) -> set[uuid.UUID]:
    """The avvikelser whose återuppföljning found an action still not done."""
    findings = {x.id: r for x, r in pairs}
    if not findings:
        return set()
    actions = session.exec(select(Action).where(col(Action.finding_id).in_(findings))).all()
    reviews = {
        (rv.followup_id, rv.action_id): rv.status
        for rv in session.exec(
            select(ActionReview).where(
                col(ActionReview.followup_id).in_({r.id for r in findings.values()})
            )
        )
    }
    failed = set()
    for a in actions:
        status = reviews.get((findings[a.finding_id].id, a.id), a.status)
        if status in STILL_OPEN:
            failed.add(a.finding_id)
    return failed


@reads
def sanction_proposals(
    session: Session,
    actor: Actor,
    contract_id: uuid.UUID | None = None,
    today: date | None = None,
) -> list[ProposalRow]:
    """Avvikelser a finished återuppföljning within the last year found still open (an action
    marked ej genomförd or kvarstår), with the next step the ladder proposes; none once a
    sanction resting on them was decided after that återuppföljning."""
    today = today or date.today()
    origin = aliased(FollowUp)
    recheck = aliased(FollowUp)
    query = (
        select(Finding, origin, recheck)
        .join(origin, col(origin.id) == Finding.followup_id)
        .join(recheck, col(recheck.id) == Finding.recheck_followup_id)
        .where(
            Finding.kind == FindingKind.avvikelse,
            Finding.status == FindingStatus.bekraftad,
            col(recheck.status).in_(DONE),
            col(recheck.kind) == FollowUpKind.ateruppfoljning,
            col(origin.contract_id).is_not(None),
            col(recheck.planned_date) >= today - timedelta(days=RECENT_DAYS),
            col(recheck.planned_date) <= today,
        )
    )
    statuses = readable_statuses(actor)
    if statuses is not None:
        query = query.where(col(origin.status).in_(statuses), col(recheck.status).in_(statuses))
    if contract_id is not None:
        query = query.where(origin.contract_id == contract_id)
    found = session.exec(query).all()
    failed = _failed(session, [(x, r) for x, _, r in found])
    found = [(x, o, r) for x, o, r in found if x.id in failed]
    if not found:
        return []
    contract_ids = {o.contract_id for _, o, _ in found if o.contract_id}
    contracts = {
        c.id: c for c in session.exec(select(Contract).where(col(Contract.id).in_(contract_ids)))
    }
    taken_rows = session.exec(
        select(Sanction, Requirement.clause)
        .join(Requirement, col(Requirement.id) == Sanction.requirement_id)
        .where(col(Sanction.contract_id).in_(contract_ids))
    ).all()
    linked: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    sanction_ids = [s.id for s, _ in taken_rows]
    if sanction_ids:
        for sid, fid in session.exec(
            select(SanctionFinding.sanction_id, SanctionFinding.finding_id).where(
                col(SanctionFinding.sanction_id).in_(sanction_ids)
            )
        ).all():
            linked[sid].add(fid)
    units = _units_of_followups(session, {o.id for _, o, _ in found})
    unit_names = dict(session.exec(select(Unit.id, Unit.name)).all())
    proposals = []
    for finding, o, r in found:
        contract = contracts[o.contract_id]  # type: ignore[index]
        taken = tuple(
            ladder.Taken(s.kind, s.decided_on, finding.id in linked[s.id])
            for s, clause in taken_rows
            if s.contract_id == contract.id
            and (finding.id in linked[s.id] or (finding.clause and clause == finding.clause))
        )
        proposal = ladder.propose(
            ladder.LadderFacts(contract.procurement_form, True, r.planned_date, taken)
        )
        if proposal is None:
            continue
        unit_ids = units.get(o.id, ())
        proposals.append(
            ProposalRow(
                finding=finding,
                contract_id=contract.id,
                contract_dnr=contract.dnr,
                unit_ids=unit_ids,
                units=", ".join(sorted(unit_names.get(u, "") for u in unit_ids)),
                recheck=r,
                kinds=proposal.kinds,
                reason=proposal.reason,
            )
        )
    return sorted(proposals, key=lambda p: (p.contract_dnr, p.recheck.planned_date))


@dataclass
class UnitSanctions:
    """A unit's sanctions decided in the last year and the proposals that concern it."""

    decided: list[SanctionRow] = field(default_factory=list)
    proposals: list[ProposalRow] = field(default_factory=list)


@reads
def unit_sanctions(
    session: Session,
    actor: Actor,
    unit_ids: list[uuid.UUID] | None = None,
    today: date | None = None,
) -> dict[uuid.UUID, UnitSanctions]:
    """Per unit: sanctions decided within the last year (a sanction on the whole contract counts
    for each of its units) and open proposals. The overview and the committee report read this."""
    today = today or date.today()
    rows = [
        r
        for r in list_sanctions(session, actor, date_from=today - timedelta(days=RECENT_DAYS))
        if r.sanction.decided_on <= today
    ]
    contract_units: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for cid, uid in session.exec(select(ContractUnit.contract_id, ContractUnit.unit_id)).all():
        contract_units[cid].append(uid)
    wanted = set(unit_ids) if unit_ids is not None else None
    out: dict[uuid.UUID, UnitSanctions] = defaultdict(UnitSanctions)
    for row in rows:
        s = row.sanction
        for uid in [s.unit_id] if s.unit_id else contract_units.get(s.contract_id, []):
            if wanted is None or uid in wanted:
                out[uid].decided.append(row)
    for p in sanction_proposals(session, actor, today=today):
        for uid in p.unit_ids:
            if wanted is None or uid in wanted:
                out[uid].proposals.append(p)
    return dict(out)


@reads
def contract_deviations(
    session: Session, actor: Actor, contract_id: uuid.UUID
) -> list[tuple[Finding, FollowUp, str]]:
    """The confirmed avvikelser of a contract's follow-ups (newest first) with their units, to
    choose what a sanction rests on."""
    fetch(session, Contract, contract_id, "Avtalet finns inte.")
    query = (
        select(Finding, FollowUp)
        .join(FollowUp, col(FollowUp.id) == Finding.followup_id)
        .where(
            FollowUp.contract_id == contract_id,
            Finding.kind == FindingKind.avvikelse,
            col(Finding.status).in_((FindingStatus.bekraftad, FindingStatus.stangd)),
        )
        .order_by(col(FollowUp.planned_date).desc(), col(Finding.clause))
    )
    statuses = readable_statuses(actor)
    if statuses is not None:
        query = query.where(col(FollowUp.status).in_(statuses))
    found = session.exec(query).all()
    units = _units_of_followups(session, {f.id for _, f in found})
    names = dict(session.exec(select(Unit.id, Unit.name)).all())
    return [
        (x, f, ", ".join(sorted(names.get(u, "") for u in units.get(f.id, ())))) for x, f in found
    ]


@reads
def contract_of_finding(session: Session, actor: Actor, finding_id: uuid.UUID) -> uuid.UUID | None:
    """The contract an avvikelse was found under (None without one, or not readable)."""
    finding = session.get(Finding, finding_id)
    followup = session.get(FollowUp, finding.followup_id) if finding else None
    if followup is None:
        return None
    statuses = readable_statuses(actor)
    if statuses is not None and followup.status not in statuses:
        return None
    return followup.contract_id


def requirement_for_clause(
    session: Session, contract_id: uuid.UUID, clause: str
) -> Requirement | None:
    """The contract's own requirement with this clause (what an avvikelse rests on)."""
    if not clause:
        return None
    return session.exec(
        select(Requirement).where(
            Requirement.contract_id == contract_id,
            Requirement.clause == clause,
            col(Requirement.archived).is_(False),
        )
    ).first()
