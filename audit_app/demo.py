"""A fictional demo municipality: contractors, units, contracts and two years of follow-ups.

Every name here is made up. No personnummer. The history is produced by the same services the
app uses (plan, assess, confirm, act, justera, verify), so it obeys every rule of the product.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from audit_app import demo_signals
from audit_app.auth import SYSTEM, Actor, add_user
from audit_app.domain import calendar
from audit_app.domain.indicators import period_end
from audit_app.models import (
    ActionStatus,
    FindingKind,
    FindingStatus,
    FollowUpKind,
    FollowUpStatus,
    IndicatorStatus,
    Method,
    RequirementKind,
    Result,
    RiktadReason,
    Role,
    UnitKind,
)
from audit_app.services import checklists
from audit_app.services import followups as fu
from audit_app.services import indicators as ind
from audit_app.services import registers as reg
from audit_app.services.documents import stored
from audit_app.services.staffing import commitments
from audit_app.services.staffing.rules import StaffingRules

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
    fu.Participant("Lars Berg", "Förvaltningschef", "kommun"),
    fu.Participant("Karin Ek", "Utvecklingsledare", "kommun"),
]

# Requirements shared by the contracts (clause, text, area); "särskilt boende" and "hemtjänst"
# add their own. Written the way such contracts phrase them (SoL, HSL, SOSFS 2011:9).
COMMON_REQUIREMENTS: list[tuple[str, str, str]] = [
    (
        "4.1.1",
        "Utföraren ska ha ett ledningssystem för systematiskt kvalitetsarbete enligt SOSFS 2011:9.",
        "Ledning och kvalitet",
    ),
    (
        "4.1.2",
        "Utföraren ska årligen upprätta en kvalitetsberättelse och lämna den till kommunen senast 1 mars.",
        "Ledning och kvalitet",
    ),
    (
        "4.1.3",
        "Utföraren ska genomföra och dokumentera egenkontroller enligt en fastställd plan.",
        "Ledning och kvalitet",
    ),
    (
        "4.1.4",
        "Utföraren ska göra riskanalyser inför förändringar som kan påverka kvaliteten.",
        "Ledning och kvalitet",
    ),
    (
        "4.2.1",
        "Verksamhetschefen ska ha högskoleutbildning inom socialt arbete, vård eller motsvarande och minst tre års ledarerfarenhet.",
        "Bemanning och kompetens",
    ),
    (
        "4.2.2",
        "Minst 90 procent av omsorgspersonalen ska vara undersköterskor med fastställd kompetens.",
        "Bemanning och kompetens",
    ),
    (
        "4.2.3",
        "All personal ska kunna tala, läsa och skriva svenska på en nivå som krävs för uppdraget.",
        "Bemanning och kompetens",
    ),
    (
        "4.2.4",
        "Utföraren ska ha en plan för kompetensutveckling av personalen som följs upp årligen.",
        "Bemanning och kompetens",
    ),
    (
        "4.3.1",
        "Varje brukare ska ha en aktuell genomförandeplan som upprättats tillsammans med brukaren inom 14 dagar.",
        "Individens planering",
    ),
    (
        "4.3.2",
        "Genomförandeplanen ska följas upp minst var sjätte månad eller när behoven ändras.",
        "Individens planering",
    ),
    (
        "4.3.3",
        "Varje brukare ska ha en fast omsorgskontakt som utses senast vid inflyttning eller första besök.",
        "Individens planering",
    ),
    (
        "4.3.4",
        "Social dokumentation ska föras löpande enligt SoL 11 kap. 5 § och förvaras säkert.",
        "Individens planering",
    ),
    (
        "4.4.1",
        "Utföraren ska ha rutiner för att ta emot, utreda och åtgärda klagomål och synpunkter.",
        "Avvikelser och klagomål",
    ),
    (
        "4.4.2",
        "Missförhållanden ska rapporteras och utredas enligt lex Sarah (SoL 14 kap.) och kommunen ska informeras inom 24 timmar.",
        "Avvikelser och klagomål",
    ),
    (
        "4.4.3",
        "Händelser som medfört eller kunnat medföra vårdskada ska rapporteras till MAS enligt lex Maria-rutinen.",
        "Avvikelser och klagomål",
    ),
    (
        "4.5.1",
        "Delegering av hälso- och sjukvårdsuppgifter ska vara skriftlig, personlig och förnyas minst en gång per år.",
        "Hälso- och sjukvård",
    ),
    (
        "4.5.2",
        "Läkemedelshantering ska ske enligt kommunens riktlinjer och kontrolleras genom egenkontroll varje kvartal.",
        "Hälso- och sjukvård",
    ),
    (
        "4.6.1",
        "Utföraren ska delta i Socialstyrelsens brukarundersökning och redovisa resultat och åtgärder.",
        "Resultat",
    ),
]
SABO_REQUIREMENTS: list[tuple[str, str, str]] = [
    (
        "5.1.1",
        "Bemanningen ska motsvara åtagandet i bilaga 3 (personaltäthet per avdelning och pass).",
        "Bemanning och kompetens",
    ),
    (
        "5.1.2",
        "Vaken nattpersonal ska finnas på varje avdelning hela natten.",
        "Bemanning och kompetens",
    ),
    (
        "5.2.1",
        "De boende ska erbjudas minst en meningsfull aktivitet per dag utifrån egna önskemål.",
        "Individens planering",
    ),
    (
        "5.2.2",
        "Måltider ska serveras enligt kommunens kostpolicy med nattfasta högst elva timmar.",
        "Hälso- och sjukvård",
    ),
]
HEMTJANST_REQUIREMENTS: list[tuple[str, str, str]] = [
    (
        "6.1.1",
        "Personalkontinuiteten ska vara högst 15 olika personal per brukare under 14 dagar.",
        "Resultat",
    ),
    (
        "6.1.2",
        "Utförd tid ska registreras med digital tidsregistrering vid varje besök.",
        "Ledning och kvalitet",
    ),
    (
        "6.1.3",
        "Larm ska besvaras och åtgärdas inom 30 minuter dygnet runt.",
        "Bemanning och kompetens",
    ),
    (
        "6.1.4",
        "Nyckelfri hantering eller kvitterad nyckelhantering ska användas hos alla brukare.",
        "Ledning och kvalitet",
    ),
]
LSS_REQUIREMENTS: list[tuple[str, str, str]] = [
    (
        "7.1.1",
        "Den enskilde ska ha en individuell plan enligt LSS 10 § om den begärts.",
        "Individens planering",
    ),
    (
        "7.1.2",
        "Pedagogiskt stöd och metoder ska utgå från den enskildes kommunikationsförmåga.",
        "Individens planering",
    ),
    (
        "7.1.3",
        "Bemanningen ska ge möjlighet till fritidsaktiviteter utanför bostaden varje vecka.",
        "Bemanning och kompetens",
    ),
    (
        "7.1.4",
        "Begränsningsåtgärder får inte förekomma utan lagstöd; varje misstanke ska rapporteras.",
        "Avvikelser och klagomål",
    ),
]

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
    participants: list[fu.Participant]


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
            fu.Participant("Maria Holm", "Verksamhetschef", "utforare"),
            fu.Participant("Jonas Strand", "Regionchef", "utforare"),
        ],
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
            fu.Participant("Sofia Nyberg", "Verksamhetschef", "utforare"),
            fu.Participant("Peter Alm", "Regionchef", "utforare"),
        ],
    ),
    DemoContractor(
        "Stiftelsen Klövern Omsorg",
        "802476-5136",
        "Elin Dahl",
        "Verksamhetschef",
        "elin.dahl@klovern.example",
        [DemoUnit("Gruppbostaden Klövervägen", UnitKind.lss_bostad, 6, ["Klövervägen 4"])],
        "VOF 2025/031",
        "Bostad med särskild service enligt LSS 9 § 9, Klövervägen",
        [
            fu.Participant("Elin Dahl", "Verksamhetschef", "utforare"),
            fu.Participant("Hanna Sjö", "Kvalitetsansvarig", "utforare"),
        ],
    ),
]

ACTION_TEXTS = [
    "Upprätta en handlingsplan och redovisa den till förvaltningen",
    "Utbilda berörd personal och dokumentera deltagandet",
    "Revidera rutinen och göra den känd för all personal",
    "Genomföra egenkontroll av området och redovisa resultatet",
    "Komplettera dokumentationen för samtliga berörda brukare",
]
RESPONSIBLE = ["Verksamhetschef", "Enhetschef", "Sjuksköterska", "Kvalitetsansvarig"]


def _requirements(kinds: set[UnitKind]) -> list[reg.RequirementInput]:
    rows = list(COMMON_REQUIREMENTS)
    if UnitKind.sarskilt_boende in kinds:
        rows += SABO_REQUIREMENTS
    if UnitKind.hemtjanst in kinds:
        rows += HEMTJANST_REQUIREMENTS
    if UnitKind.lss_bostad in kinds:
        rows += LSS_REQUIREMENTS
    out = [reg.RequirementInput(clause=c, text=t, area=a) for c, t, a in rows]
    # A couple of desirable (BÖR) requirements, as real contracts have.
    out.append(
        reg.RequirementInput(
            "8.1",
            "Utföraren bör erbjuda anhörigträffar minst två gånger per år.",
            RequirementKind.bor,
            "Resultat",
        )
    )
    return out


def _hand_over(session: Session, revisor: Actor, followup_id: uuid.UUID) -> None:
    """Hand over as the revisor does: confirming what is left unassessed."""
    check = fu.handover_check(session, fu.get_followup(session, followup_id))
    fu.hand_over(session, revisor, followup_id, unassessed_confirmed=check.unassessed_count)


def seed_demo(session: Session, today: date | None = None, years: int = 2, seed: int = 7) -> str:
    """Fill an empty database with the demo municipality; return a short Swedish summary."""
    today = today or date.today()
    rng = random.Random(seed)
    _OPEN_COUNTER[0] = 0
    users = {
        username: add_user(session, SYSTEM, username, name, role, DEMO_PASSWORD, demo=True)
        for username, name, role in DEMO_USERS
    }
    _sync_checklists(session)
    revisor = Actor.of(users["revisor"])
    chef = Actor.of(users["chef"])
    counts = {"followups": 0}
    first_unit_id: uuid.UUID | None = None
    for index, dc in enumerate(CONTRACTORS):
        contractor = reg.save_contractor(
            session,
            revisor,
            reg.ContractorInput(dc.name, dc.org_nr, dc.contact_name, dc.contact_role, dc.email),
        )
        units = [
            reg.save_unit(
                session, revisor, reg.UnitInput(contractor.id, u.name, u.kind, u.places, u.sections)
            )
            for u in dc.units
        ]
        start = date(today.year - years - 1, 1, 1)
        contract = reg.save_contract(
            session,
            revisor,
            reg.ContractInput(
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
        reg.save_requirements(session, revisor, contract.id, _requirements({u.kind for u in units}))
        _indicators(session, revisor, contract.id, INDICATOR_SERIES[index], today)
        if index == 0:
            commitments.save_rules(
                session, revisor, contract.id, [StaffingRules.model_validate(SOLGARDEN_RULES)]
            )
            first_unit_id = units[0].id
        participants = KOMMUN_PARTICIPANTS + dc.participants
        for unit in units:
            counts["followups"] += _history(
                session,
                rng,
                revisor,
                chef,
                contractor.id,
                contract.id,
                unit.id,
                participants,
                today,
                years,
                index,
            )
        _other_kinds(
            session,
            rng,
            revisor,
            chef,
            contractor.id,
            contract.id,
            units[0].id,
            participants,
            today,
        )
        counts["followups"] += 4
    # The follow-up planned for next week (the one the revisor sees first).
    assert first_unit_id is not None
    plan = fu.prefill_from_previous(session, first_unit_id, today)
    assert plan is not None
    plan.kind = FollowUpKind.avtal
    plan.planned_date = today + timedelta(days=7 - today.weekday() + 1)  # Tuesday next week
    plan.planned_time = "09:00"
    plan.checklist_version_id = None
    fu.plan_followup(session, revisor, plan)
    counts["followups"] += 1
    n_signals = demo_signals.seed_signals(session, rng, Actor.of(users["mas"]), today, years)
    n_sanctions = demo_signals.seed_sanctions(session, chef, today)
    session.flush()
    return (
        f"{len(CONTRACTORS)} entreprenörer, 6 enheter, {counts['followups']} uppföljningar, "
        f"{n_signals} signaler, {n_sanctions} sanktioner"
    )


# --------------------------------------------------------------------------- indicators

AVVIKELSER_TEXT = {
    IndicatorStatus.uppnatt: "Avvikelser rapporteras löpande och analyseras varje månad; "
    "åtgärderna följs upp på arbetsplatsträffar.",
    IndicatorStatus.delvis: "Avvikelser rapporteras, men orsaksanalys saknas i flera fall och "
    "återkopplingen till personalen dröjer.",
    IndicatorStatus.ej_uppnatt: "Sammanställningen av avvikelser saknades för perioden och två "
    "lex Sarah-rapporter var inte utredda inom rutinens tid.",
}
DOKUMENTATION_TEXT = {
    IndicatorStatus.uppnatt: "Dokumentationen är löpande, saklig och följer genomförandeplanerna; "
    "målen med insatserna följs upp.",
    IndicatorStatus.delvis: "Aktgranskningen visar att genomförandeplaner saknas i några akter och "
    "att uppföljningen av målen med insatsen är bristfällig. Språket är sakligt och lättförståeligt.",
    IndicatorStatus.ej_uppnatt: "Genomförandeplaner saknas i majoriteten av akterna.",
}
U, D, E = IndicatorStatus.uppnatt, IndicatorStatus.delvis, IndicatorStatus.ej_uppnatt
# Per contract (in CONTRACTORS' order): example key, period kind, results oldest first (a value
# for a measured indicator, a status for a judgement). Periods end before today: "T" the last
# completed tertials, "K" quarters, "H" half-years, "Å" years.
INDICATOR_SERIES: list[list[tuple[str, str, list[Any]]]] = [
    [
        ("brukarundersokning", "Å", [83, 86, 84]),
        ("genomforandeplaner_aktuella", "T", [88, 91, 94, 96, 97]),
        ("personalkontinuitet_hemtjanst", "T", [17, 16, 15, 16, 14]),
        ("avvikelser_analyserade", "T", [D, D, U, D, U]),
        ("beslut_verkstallda", "K", [2, 1, 0, 0, 1, 0]),
    ],
    [
        ("brukarundersokning", "Å", [88, 87, 89]),
        ("genomforandeplaner_aktuella", "T", [82, 85, 79, 84, 78]),
        ("personalkontinuitet_hemtjanst", "T", [13, 12, 14, 13, 12]),
        ("avvikelser_analyserade", "T", [U, D, E, D, E]),
        ("riskbedomningar", "H", [72, 80, 86, 91]),
    ],
    [
        ("genomforandeplaner_aktuella", "T", [100, 100, 83, 100, 100]),
        ("avvikelser_analyserade", "T", [U, U, D, U, U]),
        ("beslut_verkstallda", "K", [0, 0, 1, 0, 0, 0]),
        ("social_dokumentation", "Å", [D, D, U]),
    ],
]
_PERIOD_MONTHS = {"T": 4, "K": 3, "H": 6, "Å": 12}


def completed_periods(kind: str, n: int, today: date) -> list[str]:
    """The last `n` periods of a kind (T, K, H, Å) that ended before today, oldest first."""
    months = _PERIOD_MONTHS[kind]
    out: list[str] = []
    year, number = today.year, (today.month - 1) // months + 1
    while len(out) < n:
        label = f"{year}" if kind == "Å" else f"{year} {kind}{number}"
        end = period_end(label)
        assert end is not None
        if end < today:
            out.append(label)
        number -= 1
        if number == 0:
            year, number = year - 1, 12 // months
    return list(reversed(out))


def _indicators(
    session: Session,
    revisor: Actor,
    contract_id: uuid.UUID,
    series: list[tuple[str, str, list[Any]]],
    today: date,
) -> None:
    """The contract's indicators from the shipped examples, with results period by period."""
    for key, kind, results in series:
        indicator = ind.add_from_example(session, revisor, contract_id, key)
        texts = DOKUMENTATION_TEXT if key == "social_dokumentation" else AVVIKELSER_TEXT
        for period, result in zip(
            completed_periods(kind, len(results), today), results, strict=True
        ):
            if isinstance(result, IndicatorStatus):
                data = ind.ResultInput(period, status=result, text=texts[result])
            else:
                data = ind.ResultInput(period, value=float(result))
            ind.record_result(session, revisor, indicator.id, data)


def _sync_checklists(session: Session) -> None:
    checklists.sync_shipped(session, SYSTEM)


def _history(
    session: Session,
    rng: random.Random,
    revisor: Actor,
    chef: Actor,
    contractor_id: uuid.UUID,
    contract_id: uuid.UUID,
    unit_id: uuid.UUID,
    participants: list[fu.Participant],
    today: date,
    years: int,
    offset: int,
) -> int:
    """Half-yearly contract follow-ups for `years`, with re-checks, deviations and actions."""
    count = 0
    meetings = 2 * years + 1
    first = today - timedelta(days=182 * (meetings - 1) + 50) + timedelta(days=12 * offset)
    dates = [first + timedelta(days=182 * i) for i in range(meetings)]
    for number, meeting in enumerate(dates):
        meeting = _working_day(meeting)
        last = number == len(dates) - 1
        followup = fu.plan_followup(
            session,
            revisor,
            fu.PlanInput(
                kind=FollowUpKind.avtal,
                contractor_id=contractor_id,
                unit_ids=[unit_id],
                contract_id=contract_id,
                planned_date=meeting,
                planned_time="09:00",
                place="Enhetens konferensrum",
                methods=[Method.dokumentgranskning, Method.intervju, Method.anmalt_besok],
                participants=participants,
            ),
        )
        count += 1
        fu.start_followup(session, revisor, followup.id)
        _review_carried(session, rng, revisor, followup, last)
        _assess(session, rng, revisor, followup, failures=rng.choice([1, 2, 2, 3]))
        leave_proposed = last and offset == 0
        any_started = False
        for finding in fu.findings_of(session, followup.id):
            if finding.status is not FindingStatus.foreslagen:
                continue
            if leave_proposed:  # one proposal waits for the revisor in the ongoing follow-up
                leave_proposed = False
                continue
            if rng.random() < 0.25:
                fu.downgrade_finding(
                    session,
                    revisor,
                    finding.id,
                    "Bristen är liten och åtgärdas redan av utföraren.",
                )
                continue
            fu.confirm_finding(session, revisor, finding.id)
            for _ in range(rng.choice([1, 1, 2])):
                started = last and not any_started
                any_started = any_started or started
                fu.add_action(
                    session,
                    revisor,
                    finding.id,
                    rng.choice(ACTION_TEXTS),
                    rng.choice(RESPONSIBLE),
                    meeting + timedelta(days=rng.choice([30, 45, 60, 80])),
                    status=ActionStatus.pagar if started else ActionStatus.oppen,
                )
        if last and offset == 0:
            _withdrawn_proposal(session, revisor, followup)
        if last and meeting > today - timedelta(days=200):
            # The latest one stays in "pågår" for a unit or two, handed over for another.
            if offset == 0:
                continue
            if offset == 1:
                _hand_over(session, revisor, followup.id)
                continue
        _hand_over(session, revisor, followup.id)
        stored.justera_and_store(session, chef, followup.id)
        recheck = fu.recheck_of(session, followup.id)
        if recheck is not None and recheck.planned_date < today and not last:
            fu.start_followup(session, revisor, recheck.id)
            _review_carried(session, rng, revisor, recheck, False)
            _hand_over(session, revisor, recheck.id)
            stored.justera_and_store(session, chef, recheck.id)
            count += 1
    return count


def _other_kinds(
    session: Session,
    rng: random.Random,
    revisor: Actor,
    chef: Actor,
    contractor_id: uuid.UUID,
    contract_id: uuid.UUID,
    unit_id: uuid.UUID,
    participants: list[fu.Participant],
    today: date,
) -> None:
    """One justerad follow-up of each other kind, during the last year."""
    plans = [
        (FollowUpKind.ledningssystem, 300, None),
        (FollowUpKind.kvalitetsrevision, 240, None),
        (FollowUpKind.riktad, 160, RiktadReason.infor_forlangning),
        (FollowUpKind.bistandsarenden, 120, None),
    ]
    for kind, days_ago, reason in plans:
        bistand = kind is FollowUpKind.bistandsarenden
        followup = fu.plan_followup(
            session,
            revisor,
            fu.PlanInput(
                kind=kind,
                contractor_id=contractor_id,
                unit_ids=[unit_id],
                contract_id=None if bistand else contract_id,
                planned_date=_working_day(today - timedelta(days=days_ago)),
                planned_time="13:00",
                place="Förvaltningens sammanträdesrum",
                methods=[Method.dokumentgranskning, Method.intervju],
                reason=reason,
                reason_text="Avtalet kan förlängas; underlag till beslut." if reason else "",
                participants=KOMMUN_PARTICIPANTS if bistand else participants,
            ),
        )
        fu.start_followup(session, revisor, followup.id)
        _assess(session, rng, revisor, followup, failures=1)
        for number, item in enumerate(followup.agenda):
            if item.get("answer") == "text":
                value = f"Ärende {number % 3 + 1}"
                fu.save_assessment(session, revisor, followup.id, item["key"], value=value)
        for finding in fu.findings_of(session, followup.id):
            if finding.status is FindingStatus.foreslagen:
                fu.downgrade_finding(
                    session,
                    revisor,
                    finding.id,
                    "Brist av mindre omfattning; följs upp vid nästa möte.",
                )
        _hand_over(session, revisor, followup.id)
        stored.justera_and_store(session, chef, followup.id)


def _working_day(day: date) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def _withdrawn_proposal(session: Session, revisor: Actor, followup: Any) -> None:
    """Judge a met SKA-krav as not met and back again: its proposal is avfärdad."""
    met = [
        k
        for k, a in fu.assessments_of(session, followup.id).items()
        if a.result is Result.uppfyllt and k.startswith("krav-")
    ]
    if met:
        fu.save_assessment(session, revisor, followup.id, met[0], result=Result.ej_uppfyllt)
        fu.save_assessment(session, revisor, followup.id, met[0], result=Result.uppfyllt)


OPEN_MARKS = [
    ("ej_genomford", "Arbetet har inte påbörjats."),
    ("kvarstar", "Pågår enligt utföraren."),
    ("genomford", "Utföraren uppger att åtgärden är klar; underlag saknas."),
]
_OPEN_COUNTER = [0]
VERIFIED_NOTE = "Reviderad rutin och signerade deltagarlistor granskade på plats."


def _review_carried(
    session: Session, rng: random.Random, revisor: Actor, followup: Any, keep_open: bool
) -> None:
    """Mark the carried actions: most verified, some left open in every open status."""
    for _origin, _finding, action in fu.carried_actions(session, followup):
        if action.status is ActionStatus.verifierad:
            continue
        if keep_open or rng.random() < 0.4:
            mark, note = OPEN_MARKS[_OPEN_COUNTER[0] % len(OPEN_MARKS)]
            _OPEN_COUNTER[0] += 1
        else:
            mark, note = "verifierad", VERIFIED_NOTE
        fu.review_action(session, revisor, followup.id, action.id, mark, note)


def _assess(
    session: Session, rng: random.Random, revisor: Actor, followup: Any, failures: int
) -> None:
    items = [i for i in followup.agenda if i.get("answer", "bedomning") == "bedomning"]
    ska = [i for i in items if i.get("kind") == "ska_krav"]
    failing = {i["key"] for i in rng.sample(ska, min(failures, len(ska)))} if ska else set()
    for item in items:
        if item["key"] in failing:
            result = rng.choice([Result.ej_uppfyllt, Result.delvis_uppfyllt])
            comment = rng.choice(
                [
                    "Dokumentation saknas för flera brukare vid stickprov.",
                    "Rutinen finns men är inte känd av personalen som intervjuades.",
                    "Uppföljningen har inte gjorts inom angiven tid.",
                ]
            )
        else:
            result = Result.ej_aktuellt if rng.random() < 0.03 else Result.uppfyllt
            comment = ""
        fu.save_assessment(
            session, revisor, followup.id, item["key"], result=result, comment=comment
        )
    for item in followup.agenda:
        if item.get("answer") == "ja_nej":
            fu.save_assessment(session, revisor, followup.id, item["key"], value="ja")
        elif item.get("answer") == "tal":
            fu.save_assessment(
                session, revisor, followup.id, item["key"], value=str(rng.randint(1, 9))
            )
    if rng.random() < 0.5:
        fu.add_finding(
            session,
            revisor,
            followup.id,
            FindingKind.forbattringsomrade,
            "Anhörigträffar",
            "Utföraren kan utveckla formerna för anhörigas delaktighet.",
        )


__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "FollowUpStatus", "seed_demo"]
