"""A fictional demo municipality: contractors, units, contracts and two years of follow-ups.

Every name here is made up. No personnummer. The history is produced by the same services the
app uses (plan, assess, confirm, act, justera, verify), so it obeys every rule of the product.
The contracts' requirements are copied from the shipped standard lists and then edited, and the
answers are figures and texts a municipality recognises (`demo_answers`); each follow-up is
justerad a few days after its meeting.
"""

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, update
from sqlmodel import Session, SQLModel, select

from audit_app import clock, demo_across, demo_signals
from audit_app.auth import SYSTEM, Actor, add_user
from audit_app.demo_answers import (
    IMPROVEMENTS,
    NOT_APPLICABLE,
    USK_CLAUSES,
    Meeting,
    actions_for,
    carried_comment,
    fail_comment,
    failable,
    question_failure,
    staffing_figures,
    staffing_notes,
    usk_comment,
    value_answers,
)
from audit_app.demo_documents import after_justering, officials
from audit_app.demo_indicators import INDICATOR_SERIES, seed_indicators
from audit_app.domain import calendar
from audit_app.models import (
    ActionStatus,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Method,
    RequirementKind,
    Result,
    RiktadReason,
    Role,
    Unit,
    UnitKind,
    utcnow,
)
from audit_app.services import checklists, followups, registers
from audit_app.services.documents import stored
from audit_app.services.staffing import commitments
from audit_app.services.staffing.rules import StaffingRules

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DEMO_PASSWORD = "demo"
DEMO_USERS = [
    ("admin", "Alva Admin", Role.admin),
    ("revisor", "Karin Ek", Role.revisor),
    ("revisor2", "Omar Lund", Role.revisor),
    ("chef", "Lars Berg", Role.forvaltningschef),
    ("lasare", "Utskottets läsare", Role.lasare),
    ("mas", "Eva Sjöberg", Role.utredare),
]
KOMMUN_PARTICIPANTS = [
    followups.Participant("Lars Berg", "Förvaltningschef", "kommun"),
    followups.Participant("Karin Ek", "Utvecklingsledare", "kommun"),
]

USK_TEXT = (
    "Minst {} procent av {} arbetade timmar ska utföras av personal med bevis från "
    "Socialstyrelsen om rätt att använda yrkestiteln undersköterska."
)
QUALITY_REPORT_TEXT = (
    "Utföraren ska lämna en kvalitetsberättelse för föregående kalenderår till kommunen senast "
    "den 1 mars."
)

SOLGARDEN_RULES: dict[str, Any] = {
    "unit": "Solgården",
    "sections": ["Avd Lärkan", "Avd Måsen"],
    "places_per_section": 10,
    "competence": {"usk": ["undersköterska", "usk", "sjuksköterska"]},
    "periods": [
        {"name": "Dag", "start": "07:00", "end": "15:00", "min_staff": 3, "min_competent": 2},
        {"name": "Kväll", "start": "15:00", "end": "21:30", "min_staff": 2, "min_competent": 1},
        {"name": "Natt", "start": "21:30", "end": "07:00", "min_staff": 1, "min_competent": 1},
    ],
    "min_competent_hours_share": 0.75,
}


@dataclass
class DemoUnit:
    name: str
    kind: UnitKind
    places: int
    sections: list[str]


@dataclass
class DemoContractor:
    name: str
    org_nr: str
    contact_name: str
    contact_role: str
    email: str
    units: list[DemoUnit]
    dnr: str
    title: str
    participants: list[followups.Participant]
    usk_commitment: int = 70  # percent of the hours worked by undersköterskor
    edits: dict[str, str] = field(default_factory=dict)  # clause: the contract's own words


CONTRACTORS = [
    DemoContractor(
        "Omsorgshuset Vega AB",
        "556782-3413",
        "Maria Holm",
        "Verksamhetschef",
        "maria.holm@vega.example",
        [
            DemoUnit("Solgården", UnitKind.sarskilt_boende, 20, ["Avd Lärkan", "Avd Måsen"]),
            DemoUnit(
                "Björkhagen",
                UnitKind.sarskilt_boende,
                36,
                ["Avd Björken", "Avd Rönnen", "Avd Aspen"],
            ),
            DemoUnit("Hemtjänst Norra", UnitKind.hemtjanst, 0, ["Grupp Nord", "Grupp Väst"]),
        ],
        "VOF 2024/118",
        "Drift av särskilda boenden och hemtjänst, område Norr",
        [
            followups.Participant("Maria Holm", "Verksamhetschef", "utforare"),
            followups.Participant("Jonas Strand", "Regionchef", "utforare"),
        ],
        75,
        {
            "4.2.2": USK_TEXT.format(75, "omvårdnadspersonalens"),
            "5.2.1": USK_TEXT.format(75, "omsorgspersonalens"),
            "4.5.5": (
                "Sjuksköterska ska finnas tillgänglig dygnet runt och kunna vara på plats inom "
                "30 minuter."
            ),
            "4.6.4": QUALITY_REPORT_TEXT,
            "5.6.4": QUALITY_REPORT_TEXT,
            "5.3.6": (
                "Trygghetslarm ska besvaras direkt, och personal ska vara på plats hos brukaren "
                "inom 30 minuter dygnet runt."
            ),
        },
    ),
    DemoContractor(
        "Trygga Händer Vård AB",
        "559104-8276",
        "Sofia Nyberg",
        "Verksamhetschef",
        "sofia.nyberg@tryggahander.example",
        [
            DemoUnit("Ekbacken", UnitKind.sarskilt_boende, 24, ["Avd Eken", "Avd Linden"]),
            DemoUnit("Hemtjänst Södra", UnitKind.hemtjanst, 0, ["Grupp Syd"]),
        ],
        "VOF 2023/245",
        "Drift av Ekbackens särskilda boende och hemtjänst Söder",
        [
            followups.Participant("Sofia Nyberg", "Verksamhetschef", "utforare"),
            followups.Participant("Peter Alm", "Regionchef", "utforare"),
        ],
        65,
        {
            "4.2.2": USK_TEXT.format(65, "omvårdnadspersonalens"),
            "5.2.1": USK_TEXT.format(65, "omsorgspersonalens"),
            "4.3.6": (
                "Nattfastan får inte överstiga elva timmar, och de boende ska kunna välja mellan "
                "två rätter till lunch och middag."
            ),
            "5.6.2": (
                "Personalkontinuiteten ska vara högst 12 olika personal per brukare under 14 "
                "dagar, mätt två gånger per år."
            ),
        },
    ),
    DemoContractor(
        "Stiftelsen Klövern Omsorg",
        "802476-5136",
        "Elin Dahl",
        "Verksamhetschef",
        "elin.dahl@klovern.example",
        [DemoUnit("Gruppbostaden Klövervägen", UnitKind.lss_bostad, 6, ["Klövervägen 4"])],
        "VOF 2025/031",
        "Bostad med särskild service enligt 9 § 9 LSS, Klövervägen",
        [
            followups.Participant("Elin Dahl", "Verksamhetschef", "utforare"),
            followups.Participant("Hanna Sjö", "Kvalitetsansvarig", "utforare"),
        ],
        60,
        {
            "6.2.2": (
                "Minst 60 procent av personalens arbetade timmar ska utföras av personal med "
                "utbildning som stödassistent eller undersköterska; den som benämns "
                "undersköterska ska ha bevis från Socialstyrelsen."
            ),
            "6.3.1": (
                "Genomförandeplan ska upprättas tillsammans med den enskilde senast fyra veckor "
                "efter inflyttningen."
            ),
            "6.3.6": (
                "Varje boende ska erbjudas minst en aktivitet utanför bostaden per vecka utifrån "
                "egna önskemål, och det ska dokumenteras vad som har erbjudits och genomförts."
            ),
        },
    ),
]

RESPONSIBLE = ["Verksamhetschef", "Enhetschef", "Sjuksköterska", "Kvalitetsansvarig"]
OWN_REQUIREMENT = registers.RequirementInput(
    "9.1",
    "Verksamhetschefen eller enhetschefen ska delta i kommunens centrala kvalitetsråd.",
    RequirementKind.ska,
    "Ledning och kvalitet",
    hint=(
        "Enligt policyn för uppföljning deltar enhetschef eller motsvarande i det centrala "
        "kvalitetsrådet. Kontrollera närvaron i kvalitetsrådets minnesanteckningar."
    ),
)


def _contract_requirements(
    session: Session, revisor: Actor, contract_id: uuid.UUID, dc: DemoContractor
) -> None:
    """Copy the standard lists that fit the units, then write the contract's own words in."""
    for standard in registers.standard_lists_for(session, contract_id):
        registers.copy_standard_requirements(session, revisor, contract_id, standard.key)
    rows = [
        registers.RequirementInput(
            r.clause,
            dc.edits.get(r.clause, r.text),
            r.kind,
            r.area,
            r.id,
            r.hint,
            [UnitKind(k) for k in r.applies_to],
        )
        for r in registers.list_requirements(session, contract_id)
    ]
    registers.save_requirements(session, revisor, contract_id, [*rows, OWN_REQUIREMENT])


def _hand_over(session: Session, revisor: Actor, followup_id: uuid.UUID) -> None:
    """Hand over as the revisor does: confirming what is left unassessed."""
    check = followups.handover_check(session, followups.get_followup(session, followup_id))
    followups.hand_over(session, revisor, followup_id, unassessed_confirmed=check.unassessed_count)


def seed_demo(session: Session, today: date | None = None, years: int = 2, seed: int = 7) -> str:
    """Fill an empty database with the demo municipality; return a short Swedish summary."""
    today = today or date.today()
    rng = random.Random(seed)
    _OPEN_COUNTER[0] = 0
    start = date(today.year - years - 1, 1, 1)  # the contracts' start
    registered = _local(start - timedelta(days=20), 10, 0)  # accounts, lists and registers
    with _written_at(session, registered):
        users = {
            username: add_user(session, SYSTEM, username, name, role, DEMO_PASSWORD, demo=True)
            for username, name, role in DEMO_USERS
        }
        _sync_checklists(session)
        officials(session)
    revisor = Actor.of(users["revisor"])
    chef = Actor.of(users["chef"])
    counts = {"followups": 0}
    first_unit_id: uuid.UUID | None = None
    across: list[Unit] = []
    for index, dc in enumerate(CONTRACTORS):
        with _written_at(session, registered + timedelta(days=index)):
            contractor = registers.save_contractor(
                session,
                revisor,
                registers.ContractorInput(
                    dc.name, dc.org_nr, dc.contact_name, dc.contact_role, dc.email
                ),
            )
            units = [
                registers.save_unit(
                    session,
                    revisor,
                    registers.UnitInput(contractor.id, u.name, u.kind, u.places, u.sections),
                )
                for u in dc.units
            ]
            contract = registers.save_contract(
                session,
                revisor,
                registers.ContractInput(
                    dnr=dc.dnr,
                    title=dc.title,
                    contractor_id=contractor.id,
                    valid_from=start,
                    valid_to=date(today.year + 2, 12, 31),
                    unit_ids=[u.id for u in units],
                    extension_option="Option på förlängning 2 + 2 år",
                    extension_until=date(today.year + 6, 12, 31),
                ),
            )
            _contract_requirements(session, revisor, contract.id, dc)
            if index == 0:
                commitments.save_rules(
                    session, revisor, contract.id, [StaffingRules.model_validate(SOLGARDEN_RULES)]
                )
                first_unit_id = units[0].id
        seed_indicators(session, revisor, contract.id, INDICATOR_SERIES[index], today)
        participants = KOMMUN_PARTICIPANTS + dc.participants
        for unit in units:
            counts["followups"] += _history(
                session,
                rng,
                revisor,
                chef,
                contractor.id,
                contract.id,
                unit,
                participants,
                today,
                years,
                index,
                dc.usk_commitment,
            )
        _other_kinds(
            session,
            rng,
            revisor,
            chef,
            contractor.id,
            contract.id,
            units[0],
            participants,
            today,
            dc.usk_commitment,
            index,
        )
        counts["followups"] += 4
        across.append(units[0])
    # A riktad uppföljning over two care homes of two contractors (findings per unit).
    counts["followups"] += demo_across.seed_riktad_across(
        session,
        revisor,
        across[:2],
        today,
        written_at=_written_at,
        local=_local,
        justera=lambda fid, held: _justera(session, rng, chef, fid, held, today),
    )
    # The follow-up planned for next week (the one the revisor sees first).
    assert first_unit_id is not None
    plan = followups.prefill_from_previous(session, first_unit_id, today)
    assert plan is not None
    plan.kind = FollowUpKind.avtal
    plan.planned_date = today + timedelta(days=7 - today.weekday() + 1)  # Tuesday next week
    plan.planned_time = "09:00"
    plan.checklist_version_id = None
    followups.plan_followup(session, revisor, plan)
    counts["followups"] += 1
    n_signals = demo_signals.seed_signals(session, rng, Actor.of(users["mas"]), today, years)
    n_sanctions = demo_signals.seed_sanctions(session, chef, today)
    with clock.scope():  # dated by the app's clock, set to each day and reset afterwards
        after_justering(session, revisor, today)
    session.flush()
    return (
        f"{len(CONTRACTORS)} entreprenörer, 6 enheter, {counts['followups']} uppföljningar, "
        f"{n_signals} signaler, {n_sanctions} sanktioner"
    )


def _sync_checklists(session: Session) -> None:
    checklists.sync_shipped(session, SYSTEM)


def _history(
    session: Session,
    rng: random.Random,
    revisor: Actor,
    chef: Actor,
    contractor_id: uuid.UUID,
    contract_id: uuid.UUID,
    unit: Unit,
    participants: list[followups.Participant],
    today: date,
    years: int,
    offset: int,
    commitment: int,
) -> int:
    """Half-yearly contract follow-ups for `years`, with re-checks, deviations and actions."""
    count = 0
    meetings = 2 * years + 1
    first = today - timedelta(days=182 * (meetings - 1) + 50) + timedelta(days=12 * offset)
    dates = [first + timedelta(days=182 * i) for i in range(meetings)]
    for number, meeting in enumerate(dates):
        meeting = _working_day(meeting)
        last = number == len(dates) - 1
        with _written_at(session, _local(meeting - timedelta(days=35), 14, 5)):
            followup = followups.plan_followup(
                session,
                revisor,
                followups.PlanInput(
                    kind=FollowUpKind.avtal,
                    contractor_id=contractor_id,
                    unit_ids=[unit.id],
                    contract_id=contract_id,
                    planned_date=meeting,
                    planned_time="09:00",
                    place="Enhetens konferensrum",
                    methods=[Method.dokumentgranskning, Method.intervju, Method.anmalt_besok],
                    participants=participants,
                ),
            )
        count += 1
        stays = last and meeting > today - timedelta(days=200)
        with _written_at(session, _local(meeting, 9, 30)):
            followups.start_followup(session, revisor, followup.id)
            carried = _review_carried(session, rng, revisor, followup, last)
            held = Meeting(
                FollowUpKind.avtal,
                meeting,
                unit.name,
                unit.kind,
                staffing_figures(rng, unit.kind, commitment),
            )
            _assess(
                session,
                rng,
                revisor,
                followup,
                held,
                failures=rng.choice([1, 2, 2, 3]),
                carried=carried,
            )
            _decide(session, rng, revisor, followup, leave_one=last and offset == 0, ongoing=last)
            if last and offset == 0:
                _withdrawn_proposal(session, revisor, followup)
            # The latest one stays in "pågår" for a unit or two, handed over for another.
            if not (stays and offset == 0):
                _hand_over(session, revisor, followup.id)
        if stays and offset in (0, 1):
            continue
        _justera(session, rng, chef, followup.id, meeting, today)
        recheck = followups.recheck_of(session, followup.id)
        if recheck is not None and recheck.planned_date < today and not last:
            with _written_at(session, _local(recheck.planned_date, 9, 30)):
                followups.start_followup(session, revisor, recheck.id)
                _review_carried(session, rng, revisor, recheck, False)
                _hand_over(session, revisor, recheck.id)
            _justera(session, rng, chef, recheck.id, recheck.planned_date, today)
            count += 1
    return count


def _decide(
    session: Session,
    rng: random.Random,
    revisor: Actor,
    followup: FollowUp,
    leave_one: bool,
    ongoing: bool,
) -> None:
    """Decide the proposals as a revisor does and write an action plan for each avvikelse."""
    any_started = False
    findings = followups.findings_of(session, followup.id)
    deviation_clauses = {f.clause for f in findings if f.kind is FindingKind.avvikelse}
    for finding in findings:
        if finding.status is not FindingStatus.foreslagen:
            continue
        if leave_one:  # one proposal waits for the revisor in the ongoing follow-up
            leave_one = False
            continue
        if finding.kind is FindingKind.forbattringsomrade:
            repeated = sorted(deviation_clauses & USK_CLAUSES)
            if finding.item_key == CARRIED:
                followups.reject_finding(
                    session,
                    revisor,
                    finding.id,
                    "De åtgärder som inte är verifierade finns redan i åtgärdsplanen.",
                )
            elif finding.item_key == "bem-kompetens" and repeated:
                followups.reject_finding(
                    session,
                    revisor,
                    finding.id,
                    f"Samma brist som avvikelsen mot avtalspunkt {repeated[0]}.",
                )
            else:
                followups.confirm_finding(session, revisor, finding.id)
            continue
        if finding.clause not in USK_CLAUSES and rng.random() < 0.25:
            followups.downgrade_finding(
                session, revisor, finding.id, "Bristen är liten och åtgärdas redan av utföraren."
            )
            continue
        followups.confirm_finding(session, revisor, finding.id)
        for text in actions_for(rng, finding.clause, finding.area, rng.choice([1, 1, 2])):
            started = ongoing and not any_started
            any_started = any_started or started
            followups.add_action(
                session,
                revisor,
                finding.id,
                text,
                rng.choice(RESPONSIBLE),
                followup.planned_date + timedelta(days=rng.choice([30, 45, 60, 80])),
                status=ActionStatus.pagar if started else ActionStatus.oppen,
            )
    recheck = followups.recheck_of(session, followup.id)
    if recheck is not None and any(i["key"] == RECHECK_DATE for i in followup.agenda):
        followups.save_assessment(
            session, revisor, followup.id, RECHECK_DATE, value=recheck.planned_date.isoformat()
        )


def _justera(
    session: Session,
    rng: random.Random,
    chef: Actor,
    followup_id: uuid.UUID,
    held: date,
    today: date,
) -> None:
    """Justera a few working days after the meeting and keep the minutes as justerade."""
    day = min(_working_day(held + timedelta(days=rng.choice([2, 3, 4, 6, 8]))), today)
    at = min(_local(day, rng.choice([8, 10, 13, 15]), 20), utcnow())
    with _written_at(session, at):
        followups.justera(session, chef, followup_id, store=stored.stored_minutes, at=at)


def _local(day: date, hour: int, minute: int) -> datetime:
    """A moment of a day in Stockholm, in UTC as the app stores it."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM).astimezone(UTC)


@contextmanager
def _written_at(session: Session, when: datetime) -> Iterator[None]:
    """Date what the block writes to `when` (the meeting, the justering), not the seed run:
    every time stamp written inside it moves by the same amount, so their order is kept."""
    since = utcnow()
    yield
    session.flush()
    delta = min(when, utcnow()) - since
    for table in SQLModel.metadata.sorted_tables:
        (key, *rest) = table.primary_key.columns
        if rest:
            continue
        for name in ("created_at", "updated_at", "at"):
            column = table.c.get(name)
            if column is None:
                continue
            rows = session.execute(select(key, column).where(column >= since)).all()
            if rows:
                session.execute(
                    update(table)
                    .where(key == bindparam("row_key"))
                    .values({name: bindparam("moved")}),
                    [{"row_key": k, "moved": v + delta} for k, v in rows],
                )
    session.expire_all()


def _other_kinds(
    session: Session,
    rng: random.Random,
    revisor: Actor,
    chef: Actor,
    contractor_id: uuid.UUID,
    contract_id: uuid.UUID,
    unit: Unit,
    participants: list[followups.Participant],
    today: date,
    commitment: int,
    index: int,
) -> None:
    """One justerad follow-up of each other kind, during the last year; the kontroll av
    biståndsärenden is the committee's own (no contractor, no unit), one meeting per index."""
    plans = [
        (FollowUpKind.ledningssystem, 300, None),
        (FollowUpKind.kvalitetsrevision, 240, None),
        (FollowUpKind.riktad, 160, RiktadReason.infor_forlangning),
        (FollowUpKind.bistandsarenden, 120, None),
    ]
    for kind, days_ago, reason in plans:
        bistand = kind is FollowUpKind.bistandsarenden
        days_ago -= 28 * index if bistand else 0
        held = _working_day(today - timedelta(days=days_ago))
        with _written_at(session, _local(held - timedelta(days=30), 10, 40)):
            followup = followups.plan_followup(
                session,
                revisor,
                followups.PlanInput(
                    kind=kind,
                    contractor_id=None if bistand else contractor_id,
                    unit_ids=[] if bistand else [unit.id],
                    contract_id=None if bistand else contract_id,
                    planned_date=held,
                    planned_time="13:00",
                    place="Förvaltningens sammanträdesrum",
                    methods=[Method.dokumentgranskning, Method.intervju],
                    reason=reason,
                    reason_text="Avtalet kan förlängas; underlag till beslut." if reason else "",
                    participants=KOMMUN_PARTICIPANTS if bistand else participants,
                ),
            )
        with _written_at(session, _local(held, 13, 30)):
            followups.start_followup(session, revisor, followup.id)
            meeting = Meeting(
                kind, held, unit.name, unit.kind, staffing_figures(rng, unit.kind, commitment)
            )
            _assess(session, rng, revisor, followup, meeting, failures=0)
            for finding in followups.findings_of(session, followup.id):
                if finding.status is FindingStatus.foreslagen:
                    followups.confirm_finding(session, revisor, finding.id)
            _hand_over(session, revisor, followup.id)
        _justera(session, rng, chef, followup.id, held, today)


def _working_day(day: date) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def _withdrawn_proposal(session: Session, revisor: Actor, followup: Any) -> None:
    """Judge a met SKA-krav as not met and back again: its proposal is avfärdad."""
    met = [
        k
        for k, a in followups.assessments_of(session, followup.id).items()
        if a.result is Result.uppfyllt and k.startswith("krav-")
    ]
    if met:
        followups.save_assessment(session, revisor, followup.id, met[0], result=Result.ej_uppfyllt)
        followups.save_assessment(session, revisor, followup.id, met[0], result=Result.uppfyllt)


OPEN_MARKS = [
    ("ej_genomford", "Arbetet har inte påbörjats."),
    ("kvarstar", "Pågår enligt utföraren."),
    ("genomford", "Utföraren uppger att åtgärden är klar; underlag saknas."),
]
_OPEN_COUNTER = [0]
VERIFIED_NOTE = "Reviderad rutin och signerade deltagarlistor granskade på plats."
RECHECK_DATE = "atg-ateruppfoljning"
CARRIED = "forg-atgarder"  # "the actions of the previous action plan are carried out"


def _review_carried(
    session: Session, rng: random.Random, revisor: Actor, followup: Any, keep_open: bool
) -> tuple[int, int]:
    """Mark the carried actions: most verified, some left open in every open status.

    Return (left open, reviewed)."""
    left_open = reviewed = 0
    for _origin, _finding, action in followups.carried_actions(session, followup):
        if action.status is ActionStatus.verifierad:
            continue
        if keep_open or rng.random() < 0.4:
            mark, note = OPEN_MARKS[_OPEN_COUNTER[0] % len(OPEN_MARKS)]
            _OPEN_COUNTER[0] += 1
            left_open += 1
        else:
            mark, note = "verifierad", VERIFIED_NOTE
        followups.review_action(session, revisor, followup.id, action.id, mark, note)
        reviewed += 1
    return left_open, reviewed


def _assess(
    session: Session,
    rng: random.Random,
    revisor: Actor,
    followup: FollowUp,
    meeting: Meeting,
    failures: int,
    carried: tuple[int, int] = (0, 0),
) -> None:
    """Answer every item as a revisor would, the judgements agreeing with what was found.

    The staffing is judged by its figures; `failures` of the contract's SKA-krav that have a
    fitting note are not met; a follow-up of another kind has one question not fully met, its
    note becoming the förbättringsområde; "åtgärderna är genomförda" is met only when every
    carried action (`carried` = left open, reviewed) was verified.
    """
    items = [i for i in followup.agenda if i.get("answer", "bedomning") == "bedomning"]
    ska = [i for i in items if i.get("kind") == "ska_krav" and failable(i.get("clause") or "")]
    failing = {i["key"] for i in rng.sample(ska, min(failures, len(ska)))}
    question = (
        None
        if meeting.kind is FollowUpKind.avtal
        else question_failure(rng, meeting.kind, {i["key"] for i in items})
    )
    left_open, reviewed = carried
    staffing = meeting.staffing
    for item in items:
        key, clause = item["key"], item.get("clause") or ""
        usk = key == "bem-kompetens" or (item.get("kind") == "ska_krav" and clause in USK_CLAUSES)
        if usk and staffing.usk_below:
            result, comment = Result.delvis_uppfyllt, usk_comment(staffing)
        elif key in failing:
            result = rng.choice([Result.ej_uppfyllt, Result.delvis_uppfyllt])
            comment = fail_comment(clause)
        elif question is not None and key == question[0]:
            result, comment = Result.delvis_uppfyllt, question[1]
        elif key == CARRIED and left_open:
            result, comment = Result.delvis_uppfyllt, carried_comment(left_open, reviewed)
        elif clause in NOT_APPLICABLE:
            result, comment = Result.ej_aktuellt, NOT_APPLICABLE[clause]
        else:
            result, comment = Result.uppfyllt, ""
        followups.save_assessment(
            session, revisor, followup.id, key, result=result, comment=comment
        )
    noted = question[1] if question else ""
    answers = value_answers(rng, meeting, followup.agenda, noted)
    for key, (value, comment) in answers.items():
        followups.save_assessment(
            session, revisor, followup.id, key, value=value, comment=comment or None
        )
    if meeting.kind is FollowUpKind.avtal and "bem-andel-usk" in answers:
        followups.save_notes(session, revisor, followup.id, staffing_notes(meeting, answers))
    if meeting.kind is FollowUpKind.avtal and rng.random() < 0.5:
        title, description = rng.choice(IMPROVEMENTS[meeting.unit_kind])
        followups.add_finding(
            session, revisor, followup.id, FindingKind.forbattringsomrade, title, description
        )


__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "FollowUpStatus", "seed_demo"]
