"""A large municipality's history, fast: `python -m benchmarks.generate --years 10
--contractors 60 --units 200 --seed 1 [--url URL] [--today YYYY-MM-DD]`.

Bulk inserts (SQLAlchemy Core, in chunks) of a made-up municipality: contractors with one to
eight units, contracts of four years with 60-70 requirements, avtalsuppföljningar every six
months per unit, the ledningssystem reviewed per contractor in the same meeting (linked to all
its units), återuppföljningar within three months after avvikelser (most on time, some late,
some not held), kvalitetsrevisioner and riktade uppföljningar now and then, biståndsärenden at
ten committee meetings a year. Assessments, findings and actions follow realistic shares;
actions are verified at a later meeting (most within one or two), the latest stay open.
The same seed and --today give the same database. Nothing here goes through the services: the
data obey the product's rules by construction (the overview's tests check the rules).
"""

import argparse
import random
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Engine, insert
from sqlmodel import Session, SQLModel

from audit_app.auth import SYSTEM, hash_password
from audit_app.config import get_settings
from audit_app.db import make_engine, migrate
from audit_app.demo import RESPONSIBLE
from audit_app.demo_answers import TOPICS
from audit_app.domain.calendar import add_months, next_working_day, recheck_date
from audit_app.models import (
    Action,
    ActionStatus,
    Assessment,
    CommitteeMeeting,
    Contract,
    Contractor,
    ContractUnit,
    Finding,
    FindingKind,
    FindingSource,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FollowUpUnit,
    ItemKind,
    Requirement,
    RequirementKind,
    Result,
    Role,
    Unit,
    UnitKind,
    User,
)
from audit_app.services import checklists
from audit_app.services.checklists.agenda import build_agenda

CHUNK = 2000
PREFIXES = ["Omsorgs", "Vård", "Trygg", "Livs", "Ljus", "Sol", "Ek", "Björk", "Lind", "Ros"]
SUFFIXES = ["huset", "gården", "hjälpen", "kraft", "vägen", "bo", "dalen", "tanken"]
FORMS = ["AB", "Vård AB", "Omsorg AB", "Stiftelsen", "Ekonomisk förening"]
PLACES = ["backen", "gården", "hemmet", "ängen", "viken", "lunden", "höjden", "stranden"]
KIND_WEIGHTS = [
    (UnitKind.sarskilt_boende, 0.4),
    (UnitKind.hemtjanst, 0.3),
    (UnitKind.lss_bostad, 0.2),
    (UnitKind.daglig_verksamhet, 0.1),
]
EXTRA_AREAS = [
    "Ledning och kvalitet",
    "Bemanning och kompetens",
    "Individens planering",
    "Avvikelser och klagomål",
    "Hälso- och sjukvård",
    "Resultat",
]
EXTRA_VERBS = [
    "ska dokumentera",
    "ska följa upp",
    "ska informera kommunen om",
    "ska ha skriftliga rutiner för",
    "ska årligen utvärdera",
]
EXTRA_OBJECTS = [
    "brukarnas delaktighet i genomförandet",
    "hantering av privata medel",
    "introduktion av nyanställd personal",
    "samverkan med legitimerad personal",
    "brandskydd och krisberedskap",
    "informationssäkerhet i verksamhetssystemet",
    "kost och måltidsmiljö",
    "kontaktmannaskap och kontinuitet",
    "rehabiliterande förhållningssätt",
    "värdegrundsarbete och bemötande",
]
NOW = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass
class Rows:
    """Every row to insert, per table, in insertion order."""

    tables: dict[type[SQLModel], list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: type[SQLModel], **values: Any) -> dict[str, Any]:
        self.tables.setdefault(model, []).append(values)
        return values

    def count(self, model: type[SQLModel]) -> int:
        return len(self.tables.get(model, []))


class Ids:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def new(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def _moment(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _tracked(day: date, user: uuid.UUID | None) -> dict[str, Any]:
    when = _moment(day)
    return {"version": 1, "created_at": when, "updated_at": when, "updated_by_id": user}


@dataclass
class World:
    rng: random.Random
    ids: Ids
    rows: Rows
    today: date
    start: date
    revisors: list[uuid.UUID]
    chef: uuid.UUID
    agendas: dict[tuple[uuid.UUID, FollowUpKind, UnitKind], list[dict[str, Any]]] = field(
        default_factory=dict
    )
    checklist_ids: dict[tuple[FollowUpKind, UnitKind], uuid.UUID] = field(default_factory=dict)


def _users(world: World, password_hash: str) -> None:
    people = [
        ("admin", "Alva Admin", Role.admin),
        ("chef", "Lars Berg", Role.forvaltningschef),
        ("lasare", "Utskottets läsare", Role.lasare),
        ("revisor", "Karin Ek", Role.revisor),
        ("revisor2", "Omar Lund", Role.revisor),
        ("revisor3", "Sara Holm", Role.revisor),
        ("revisor4", "Nils Dahl", Role.revisor),
    ]
    for username, name, role in people:
        uid = world.ids.new()
        world.rows.add(
            User,
            id=uid,
            username=username,
            display_name=name,
            role=role,
            password_hash=password_hash,
            active=True,
            created_at=NOW,
        )
        if role is Role.revisor:
            world.revisors.append(uid)
        if role is Role.forvaltningschef:
            world.chef = uid


ACTION_TEXTS = sorted({text for _note, actions in TOPICS.values() for text in actions})
STANDARD_LISTS = {
    UnitKind.sarskilt_boende: "ska_krav_sarskilt_boende",
    UnitKind.hemtjanst: "ska_krav_hemtjanst",
    UnitKind.lss_bostad: "ska_krav_lss_bostad",
    UnitKind.daglig_verksamhet: "ska_krav_lss_bostad",
}


@cache
def _standard(stem: str) -> list[tuple[str, str, str, list[str]]]:
    """(clause, text, area, unit kinds) of the SKA-krav of a shipped standard list, as
    contracts copy them."""
    checklist = checklists.load_yaml(get_settings().checklist_dir / f"{stem}.yaml")
    return [
        (
            item.clause,
            item.text,
            item.area or section.title,
            [k.value for k in item.applies_to or checklist.applies_to],
        )
        for section, item in checklist.items()
        if item.kind is ItemKind.ska_krav
    ]


def _requirements(
    world: World, contract_id: uuid.UUID, kinds: set[UnitKind], day: date
) -> list[Requirement]:
    base: list[tuple[str, str, str, list[str]]] = []
    for stem in sorted({STANDARD_LISTS[k] for k in kinds if k in STANDARD_LISTS}):
        base += _standard(stem)
    extra = world.rng.randint(62, 72)
    for n in range(extra):
        verb, obj = world.rng.choice(EXTRA_VERBS), world.rng.choice(EXTRA_OBJECTS)
        base.append(
            (
                f"9.{n // 10 + 1}.{n % 10 + 1}",
                f"Utföraren {verb} {obj}.",
                EXTRA_AREAS[n % 6],
                [],
            )
        )
    out = []
    for position, (clause, text, area, applies_to) in enumerate(base):
        req = Requirement(
            id=world.ids.new(),
            contract_id=contract_id,
            position=position,
            clause=clause,
            text=text,
            kind=RequirementKind.ska,
            area=area,
            applies_to=applies_to,
            archived=False,
        )
        out.append(req)
        world.rows.add(
            Requirement,
            **_tracked(day, None),
            id=req.id,
            contract_id=contract_id,
            position=position,
            clause=clause,
            text=text,
            kind=RequirementKind.ska,
            area=area,
            applies_to=applies_to,
            archived=False,
        )
    return out


def _agenda(
    session: Session,
    world: World,
    contract_id: uuid.UUID | None,
    requirements: list[Requirement],
    kind: FollowUpKind,
    unit_kind: UnitKind,
) -> tuple[list[dict[str, Any]], uuid.UUID | None]:
    key = (contract_id or uuid.UUID(int=0), kind, unit_kind)
    if key not in world.agendas:
        version = checklists.checklist_for_kind(session, kind)
        if version is None:
            world.agendas[key] = []
        else:
            world.checklist_ids[(kind, unit_kind)] = version.id
            reqs = (
                requirements if kind in (FollowUpKind.avtal, FollowUpKind.ateruppfoljning) else []
            )
            world.agendas[key] = [
                i.as_json() for i in build_agenda(version.content, reqs, [unit_kind])
            ]
    return world.agendas[key], world.checklist_ids.get((kind, unit_kind))


@dataclass
class Held:
    """A follow-up of a unit as the generator needs to remember it."""

    id: uuid.UUID
    day: date
    status: FollowUpStatus


def _status(world: World, day: date) -> FollowUpStatus:
    """Status of a follow-up on `day` as of today: old ones justerade, recent ones in between
    (a few left in Pågår or waiting for justering longer than they should)."""
    age = (world.today - day).days
    if age < 0:
        return FollowUpStatus.planerad
    roll = world.rng.random()
    if age > 120:
        return FollowUpStatus.justerad
    if age > 45:
        return (
            FollowUpStatus.pagar
            if roll < 0.04
            else (FollowUpStatus.klar if roll < 0.1 else FollowUpStatus.justerad)
        )
    if age <= 14:
        return FollowUpStatus.pagar if roll < 0.6 else FollowUpStatus.klar
    if roll < 0.7:
        return FollowUpStatus.justerad
    return FollowUpStatus.klar if roll < 0.9 else FollowUpStatus.pagar


def _followup(
    world: World,
    kind: FollowUpKind,
    contractor_id: uuid.UUID,
    contract_id: uuid.UUID | None,
    unit_ids: list[uuid.UUID],
    day: date,
    agenda: list[dict[str, Any]],
    checklist_id: uuid.UUID | None,
    previous_id: uuid.UUID | None = None,
    status: FollowUpStatus | None = None,
    followup_id: uuid.UUID | None = None,
) -> Held:
    fid = followup_id or world.ids.new()
    status = status or _status(world, day)
    author = world.rng.choice(world.revisors)
    justerad = status is FollowUpStatus.justerad
    world.rows.add(
        FollowUp,
        **_tracked(day - timedelta(days=30), author),
        id=fid,
        kind=kind,
        title="",
        contractor_id=contractor_id,
        contract_id=contract_id,
        planned_date=day,
        planned_time="09:00",
        place="Enhetens konferensrum",
        methods=["dokumentgranskning", "intervju"],
        reason="infor_forlangning" if kind is FollowUpKind.riktad else None,
        reason_text="",
        participants=[{"name": "Lars Berg", "role": "Förvaltningschef", "side": "kommun"}],
        status=status,
        checklist_version_id=checklist_id,
        agenda=agenda if status is not FollowUpStatus.planerad else [],
        notes={},
        previous_id=previous_id,
        doc_version=1,
        author_id=author,
        justerad_by_id=world.chef if justerad else None,
        justerad_at=_moment(day + timedelta(days=10)) if justerad else None,
        correction_reason="",
    )
    for unit_id in unit_ids:
        world.rows.add(FollowUpUnit, followup_id=fid, unit_id=unit_id)
    return Held(fid, day, status)


def _assess(
    world: World, held: Held, agenda: list[dict[str, Any]], failures: int
) -> list[dict[str, Any]]:
    """Store the answers; return the SKA-krav items judged not met."""
    if held.status is FollowUpStatus.planerad:
        return []
    ska = [i for i in agenda if i.get("kind") == "ska_krav" and i.get("answer") == "bedomning"]
    failing = {i["key"] for i in world.rng.sample(ska, min(failures, len(ska)))}
    failed = []
    for item in agenda:
        answer = item.get("answer", "bedomning")
        result, value = Result.ej_bedomd, ""
        if answer == "bedomning":
            if item["key"] in failing:
                result = world.rng.choice([Result.ej_uppfyllt, Result.delvis_uppfyllt])
                failed.append(item)
            elif world.rng.random() < 0.04:
                result = Result.ej_aktuellt
            elif item.get("kind") != "ska_krav" and world.rng.random() < 0.05:
                result = Result.delvis_uppfyllt
            else:
                result = Result.uppfyllt
        elif answer == "ja_nej":
            value = "ja"
        elif answer == "tal":
            value = str(world.rng.randint(1, 9))
        else:
            value = "Se underlag."
        world.rows.add(
            Assessment,
            **_tracked(held.day, None),
            id=world.ids.new(),
            followup_id=held.id,
            item_key=item["key"],
            result=result,
            value=value,
            comment="Dokumentation saknas vid stickprov." if item in failed else "",
        )
    return failed


@dataclass
class OpenAction:
    id: uuid.UUID
    finding_id: uuid.UUID
    row: dict[str, Any]


def _findings(
    world: World, held: Held, failed: list[dict[str, Any]], recheck_id: uuid.UUID | None
) -> tuple[list[OpenAction], int]:
    """Findings and their actions for the items not met; returns (actions, avvikelser)."""
    actions: list[OpenAction] = []
    deviations = 0
    for item in failed:
        downgrade = world.rng.random() < 0.15
        kind = FindingKind.forbattringsomrade if downgrade else FindingKind.avvikelse
        deviations += kind is FindingKind.avvikelse
        actions += _finding(world, held, kind, item, recheck_id, world.rng.choice([1, 2, 2, 3, 3]))
    if world.rng.random() < 0.5:
        actions += _finding(world, held, FindingKind.forbattringsomrade, None, None, 1)
    return actions, deviations


def _finding(
    world: World,
    held: Held,
    kind: FindingKind,
    item: dict[str, Any] | None,
    recheck_id: uuid.UUID | None,
    n_actions: int,
) -> list[OpenAction]:
    finding_id = world.ids.new()
    world.rows.add(
        Finding,
        **_tracked(held.day, None),
        id=finding_id,
        followup_id=held.id,
        kind=kind,
        status=FindingStatus.bekraftad,
        source=FindingSource.agenda if item else FindingSource.fritt,
        item_key=item["key"] if item else None,
        source_ref="",
        clause=item.get("clause", "") if item else "",
        area=item.get("area", "") if item else "Resultat",
        title=(item.get("text", "")[:120] if item else "Anhörigas delaktighet kan utvecklas"),
        description="",
        downgrade_reason="Mindre brist." if item and kind is FindingKind.forbattringsomrade else "",
        reject_reason="",
        withdraw_reason="",
        for_committee=False,
        recheck_followup_id=recheck_id if kind is FindingKind.avvikelse else None,
    )
    out = []
    for _ in range(n_actions):
        row = {
            **_tracked(held.day, None),
            "id": world.ids.new(),
            "finding_id": finding_id,
            "what": world.rng.choice(ACTION_TEXTS),
            "responsible": world.rng.choice(RESPONSIBLE),
            "due_date": held.day + timedelta(days=world.rng.choice([30, 45, 60, 75, 90])),
            "status": ActionStatus.oppen,
            "verified_in_id": None,
            "verified_note": "",
            "verified_at": None,
        }
        out.append(OpenAction(row["id"], finding_id, world.rows.add(Action, **row)))
    return out


def _review(world: World, pending: list[OpenAction], at: Held) -> list[OpenAction]:
    """A later held meeting verifies most pending actions; the rest stay open."""
    if at.status is FollowUpStatus.planerad:
        return pending
    left = []
    for action in pending:
        if action.row["due_date"] > at.day + timedelta(days=20):
            left.append(action)
        elif world.rng.random() < 0.82:
            action.row |= {
                "status": ActionStatus.verifierad,
                "verified_in_id": at.id,
                "verified_note": "Underlag granskat på plats.",
                "verified_at": at.day,
            }
        else:
            action.row["status"] = world.rng.choice(
                [ActionStatus.ej_genomford, ActionStatus.pagar, ActionStatus.genomford]
            )
            left.append(action)
    return left


def _unit_history(
    session: Session,
    world: World,
    contractor_id: uuid.UUID,
    unit_id: uuid.UUID,
    unit_kind: UnitKind,
    contracts: list[tuple[uuid.UUID, date, date, list[Requirement]]],
    meetings: list[date],
) -> None:
    """Avtalsuppföljningar every six months with their re-checks; open actions carried."""
    day = next_working_day(world.start + timedelta(days=world.rng.randint(0, 180)))
    pending: list[OpenAction] = []
    previous: uuid.UUID | None = None
    horizon = world.today + timedelta(days=world.rng.randint(30, 200))
    while day <= horizon:
        contract_id, _f, _t, requirements = next(c for c in contracts if c[1] <= day <= c[2])
        agenda, checklist_id = _agenda(
            session, world, contract_id, requirements, FollowUpKind.avtal, unit_kind
        )
        held = _followup(
            world, FollowUpKind.avtal, contractor_id, contract_id, [unit_id], day, agenda,
            checklist_id, previous,
        )  # fmt: skip
        pending = _review(world, pending, held)
        failures = world.rng.choices(range(9), [40, 4, 6, 8, 10, 10, 9, 7, 6])[0]
        failed = _assess(world, held, agenda, failures)
        recheck_id = world.ids.new() if failed else None
        actions, deviations = _findings(world, held, failed, recheck_id)
        pending += actions
        if deviations and recheck_id is not None:
            due = recheck_date(day)
            roll = world.rng.random()
            on = (
                due - timedelta(days=world.rng.randint(0, 20))
                if roll < 0.85
                else due + timedelta(days=world.rng.randint(5, 40))
            )
            on = next_working_day(on)
            status = _status(world, on)
            if on < world.today and roll > 0.97:
                status = FollowUpStatus.planerad  # a re-check that never happened
            r_agenda, r_checklist = _agenda(
                session, world, contract_id, requirements, FollowUpKind.ateruppfoljning, unit_kind
            )
            recheck = _followup(
                world, FollowUpKind.ateruppfoljning, contractor_id, contract_id, [unit_id], on,
                r_agenda, r_checklist, held.id, status, recheck_id,
            )  # fmt: skip
            _assess(world, recheck, r_agenda[: len(r_agenda) // 3], 0)
            pending = _review(world, pending, recheck)
            if recheck.status is not FollowUpStatus.planerad:
                previous = recheck.id
        if held.status is not FollowUpStatus.planerad:
            previous = held.id
        day = next_working_day(add_months(day, 6) + timedelta(days=world.rng.randint(-12, 12)))


def _settle_actions(world: World) -> None:
    """Where the actions stand today: most past their due date reported done by the contractor
    (genomförd, waiting for verification), some late; those not yet due open or under way."""
    for row in world.rows.tables.get(Action, []):
        if row["status"] not in (ActionStatus.oppen, ActionStatus.pagar):
            continue
        if row["due_date"] < world.today:
            if world.rng.random() < 0.85:
                row["status"] = ActionStatus.genomford
        elif world.rng.random() < 0.4:
            row["status"] = ActionStatus.pagar


def _close_findings(world: World) -> None:
    """Findings whose every action was verified are closed (stängd)."""
    open_by_finding: dict[uuid.UUID, bool] = {}
    for row in world.rows.tables.get(Action, []):
        open_by_finding[row["finding_id"]] = open_by_finding.get(row["finding_id"], False) or (
            row["status"] is not ActionStatus.verifierad
        )
    for row in world.rows.tables.get(Finding, []):
        if row["id"] in open_by_finding and not open_by_finding[row["id"]]:
            row["status"] = FindingStatus.stangd


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(PREFIXES)}{rng.choice(SUFFIXES)} {rng.choice(FORMS)}"
        if name.startswith(("Stiftelsen", "Ekonomisk")):
            continue
        if name not in used:
            used.add(name)
            return name
        name = f"{name} {len(used)}"
        if name not in used:
            used.add(name)
            return name


def generate(
    engine: Engine, years: int, contractors: int, units: int, seed: int, today: date
) -> dict[str, int]:
    """Fill a migrated, empty database; return the number of rows per table."""
    rng = random.Random(seed)
    world = World(
        rng, Ids(rng), Rows(), today, date(today.year - years, today.month, 1), [], uuid.uuid4()
    )
    _users(world, hash_password("demo"))
    with Session(engine) as session:
        checklists.sync_shipped(session, SYSTEM)
        session.commit()
        sizes = [1] * contractors  # a few large chains, many with one or two units
        weights = [1 / (i + 1) ** 0.8 for i in range(contractors)]
        for index in rng.choices(range(contractors), weights, k=max(0, units - contractors)):
            sizes[index] += 1
        meetings = [
            next_working_day(date(y, m, rng.randint(8, 20)))
            for y in range(world.start.year, today.year + 2)
            for m in (2, 3, 4, 5, 6, 8, 9, 10, 11, 12)
        ]
        for day in meetings:
            if day.year >= today.year:
                world.rows.add(
                    CommitteeMeeting,
                    id=world.ids.new(),
                    meeting_date=day,
                    note="",
                    created_at=NOW,
                    created_by_id=None,
                )
        used: set[str] = set()
        unit_no = 0
        for c_index in range(contractors):
            cid = world.ids.new()
            name = _name(rng, used)
            world.rows.add(
                Contractor, **_tracked(world.start, None), id=cid, name=name,
                org_nr=f"55{c_index:04d}-{rng.randint(1000, 9999)}", contact_name="",
                contact_role="Verksamhetschef", contact_email="", archived=False,
            )  # fmt: skip
            own: list[tuple[uuid.UUID, UnitKind]] = []
            for _ in range(sizes[c_index]):
                unit_no += 1
                kind = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])[0]
                uid = world.ids.new()
                own.append((uid, kind))
                world.rows.add(
                    Unit, **_tracked(world.start, None), id=uid, contractor_id=cid,
                    name=f"{rng.choice(PREFIXES)}{rng.choice(PLACES)} {unit_no}", kind=kind,
                    places=rng.choice([0, 6, 12, 24, 36]) if kind is not UnitKind.hemtjanst else 0,
                    sections=["Avd A", "Avd B"], address="", archived=False,
                )  # fmt: skip
            contracts = []
            begin = world.start - timedelta(days=rng.randint(0, 700))
            number = 0
            while begin <= today + timedelta(days=400):
                number += 1
                end = add_months(begin, 48) - timedelta(days=1)
                kid = world.ids.new()
                world.rows.add(
                    Contract, **_tracked(begin, None), id=kid,
                    dnr=f"VOF {begin.year}/{c_index:03d}-{number}", title=f"Drift, {name}",
                    contractor_id=cid, valid_from=begin, valid_to=end, extension_option="",
                    extension_until=None, archived=False,
                )  # fmt: skip
                for uid, _k in own:
                    world.rows.add(ContractUnit, contract_id=kid, unit_id=uid)
                reqs = _requirements(world, kid, {k for _, k in own}, begin)
                contracts.append((kid, begin, end, reqs))
                begin = end + timedelta(days=1)
            for uid, kind in own:
                _unit_history(session, world, cid, uid, kind, contracts, meetings)
            _contractor_reviews(session, world, cid, own, contracts)
        _committee_checks(session, world, meetings)
    _settle_actions(world)
    _close_findings(world)
    return _insert(engine, world.rows)


def _contractor_reviews(
    session: Session,
    world: World,
    contractor_id: uuid.UUID,
    own: list[tuple[uuid.UUID, UnitKind]],
    contracts: list[tuple[uuid.UUID, date, date, list[Requirement]]],
) -> None:
    """The ledningssystem every half year for all the contractor's units, now and then a
    kvalitetsrevision or a riktad uppföljning of one unit."""
    rng = world.rng
    unit_ids = [u for u, _ in own]
    day = next_working_day(world.start + timedelta(days=rng.randint(0, 180)))
    while day <= world.today + timedelta(days=120):
        contract_id = next(c[0] for c in contracts if c[1] <= day <= c[2])
        agenda, checklist_id = _agenda(
            session, world, None, [], FollowUpKind.ledningssystem, own[0][1]
        )
        if rng.random() < 0.93:
            held = _followup(
                world,
                FollowUpKind.ledningssystem,
                contractor_id,
                contract_id,
                unit_ids,
                day,
                agenda,
                checklist_id,
            )
            failed = _assess(world, held, agenda, rng.choice([0, 0, 1]))
            for item in failed:
                _finding(world, held, FindingKind.forbattringsomrade, item, None, 1)
        if rng.random() < 0.2:
            other = next_working_day(day + timedelta(days=rng.randint(30, 150)))
            uid, kind = rng.choice(own)
            which = FollowUpKind.kvalitetsrevision if rng.random() < 0.6 else FollowUpKind.riktad
            agenda2, checklist2 = _agenda(session, world, None, [], which, kind)
            held = _followup(
                world, which, contractor_id, contract_id, [uid], other, agenda2, checklist2
            )
            for item in _assess(world, held, agenda2, rng.choice([0, 1, 2])):
                _finding(world, held, FindingKind.forbattringsomrade, item, None, 1)
        day = next_working_day(add_months(day, 6) + timedelta(days=rng.randint(-10, 10)))


def _committee_checks(session: Session, world: World, meetings: list[date]) -> None:
    units = [(r["id"], r["contractor_id"], r["kind"]) for r in world.rows.tables[Unit]]
    for day in meetings:
        if day > world.today + timedelta(days=60):
            continue
        uid, cid, kind = world.rng.choice(units)
        agenda, checklist_id = _agenda(session, world, None, [], FollowUpKind.bistandsarenden, kind)
        held = _followup(
            world, FollowUpKind.bistandsarenden, cid, None, [uid], day, agenda, checklist_id
        )
        _assess(world, held, agenda, 0)


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _defaults(model: type[SQLModel]) -> dict[str, Any]:
    """The model's own defaults for the columns the generator does not set (so the generator
    keeps working when a column with a default is added to a table)."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "id" or info.is_required():
            continue
        out[name] = info.default_factory() if info.default_factory else info.default  # type: ignore[call-arg]
    return out


def _insert(engine: Engine, rows: Rows) -> dict[str, int]:
    order = [User, Contractor, Unit, Contract, ContractUnit, Requirement, CommitteeMeeting,
             FollowUp, FollowUpUnit, Assessment, Finding, Action]  # fmt: skip
    # A follow-up continues an earlier one (previous_id): insert them oldest first.
    rows.tables[FollowUp].sort(key=lambda r: (r["planned_date"], r["kind"] != "avtal"))
    counts = {}
    with engine.begin() as conn:
        for model in order:
            table = model.__table__  # type: ignore[attr-defined]
            columns = set(table.c.keys())
            defaults = _defaults(model)
            data = [
                {k: v for k, v in (defaults | row).items() if k in columns}
                for row in rows.tables.get(model, [])
            ]
            for chunk in _chunks(data):
                conn.execute(insert(table), chunk)
            counts[table.name] = len(data)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--contractors", type=int, default=60)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", default="sqlite:///data/bench-10y.db")
    parser.add_argument("--today", default="")
    args = parser.parse_args(argv)
    today = date.fromisoformat(args.today) if args.today else date.today()
    engine = make_engine(args.url)
    migrate(engine)
    started = time.perf_counter()
    counts = generate(engine, args.years, args.contractors, args.units, args.seed, today)
    print(
        f"{counts['followup']} uppföljningar, {counts['assessment']} bedömningar, "
        f"{counts['finding']} iakttagelser, {counts['action']} åtgärder "
        f"på {time.perf_counter() - started:.1f} s"
    )
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
