"""The demo municipality's signals and sanctions: two years of lex Sarah, lex Maria, klagomål,
synpunkter and IVO-beslut per unit entered by the MAS, reports a contractor failed to deliver,
and sanctions on avvikelser that persisted after their återuppföljning. Made through the
services, like the rest of the demo (audit_app.demo calls this after the follow-ups)."""

import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.domain import calendar
from audit_app.domain.signals import CATEGORIES
from audit_app.models import (
    FollowUpStatus,
    InvestigationStatus,
    SanctionKind,
    SignalKind,
    UnitKind,
)
from audit_app.services import followups, registers, sanctions, signals


def _working_day(day: date) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


# Signals per unit and year in a municipality of about 60 000 inhabitants, where a care home
# of 40-60 places reports a few lex Sarah and lex Maria cases a year and gets a handful of
# klagomål and synpunkter (ranges drawn from; LSS and hemtjänst have no lex Maria here).
SIGNALS_PER_YEAR: dict[SignalKind, tuple[int, int]] = {
    SignalKind.lex_sarah: (0, 3),
    SignalKind.lex_maria: (0, 2),
    SignalKind.klagomal: (2, 6),
    SignalKind.synpunkt: (1, 5),
    SignalKind.ivo_beslut: (0, 1),
}
SIGNAL_NOTES = {
    SignalKind.lex_sarah: "Utredd av utföraren; rutin för tillsyn revideras.",
    SignalKind.lex_maria: "Anmäld till IVO av MAS.",
    SignalKind.ivo_beslut: "Beslutet skickat till utföraren för åtgärd.",
}


def seed_signals(session: Session, rng: random.Random, mas: Actor, today: date, years: int) -> int:
    """Signals entered by the MAS / utredningssekreterare for every unit over the history."""
    entries = [*_unit_signals(session, rng, today, years), *_late_reports(session, today)]
    for entry in entries:
        signals.save_signal(session, mas, entry, today=today)
    return len(entries)


def _unit_signals(
    session: Session, rng: random.Random, today: date, years: int
) -> Iterator[signals.SignalInput]:
    for unit in registers.list_units(session):
        for kind, (low, high) in SIGNALS_PER_YEAR.items():
            if kind is SignalKind.lex_maria and unit.kind is not UnitKind.sarskilt_boende:
                continue
            for _ in range(rng.randint(low, high) * years):
                day = today - timedelta(days=rng.randint(1, 365 * years))
                closed = (today - day).days > 90
                status = (
                    InvestigationStatus.avslutad
                    if closed
                    else rng.choice(
                        [InvestigationStatus.anmald, InvestigationStatus.under_utredning]
                    )
                )
                yield signals.SignalInput(
                    contractor_id=unit.contractor_id,
                    unit_id=unit.id,
                    kind=kind,
                    occurred_on=day,
                    category=rng.choice(list(CATEGORIES[kind])[:-1]),
                    count=1 if kind is not SignalKind.synpunkt else rng.randint(1, 3),
                    status=status,
                    note=SIGNAL_NOTES.get(kind, "") if closed else "",
                )


def _late_reports(session: Session, today: date) -> Iterator[signals.SignalInput]:
    """One contractor was late with its kvalitetsberättelse (due 1 March) and an egenkontroll."""
    first = registers.list_contractors(session)[-1]
    for category, day in (
        ("kvalitetsberattelse", date(today.year, 3, 15)),
        ("egenkontroll", today - timedelta(days=40)),
    ):
        if day <= today:
            yield signals.SignalInput(
                contractor_id=first.id,
                kind=SignalKind.ej_inlamnad,
                occurred_on=day,
                category=category,
                status=InvestigationStatus.under_utredning,
                note="Påminnelse skickad till verksamhetschefen.",
            )


def seed_sanctions(session: Session, chef: Actor, today: date) -> int:
    """Sanctions on avvikelser that persisted after their återuppföljning: on one contract a
    påpekande followed by a vite of 25 000 kr, on another a påpekande. The ladder's open
    proposals are left for the förvaltningschef ("Sanktion föreslås" in the overview)."""
    proposed = {p.finding.id for p in sanctions.sanction_proposals(session, chef, today=today)}
    chosen: list[tuple[uuid.UUID, Any, date]] = []
    for contract in registers.list_contracts(session):
        if len(chosen) == 2:
            break
        for finding, _followup, _units in sanctions.contract_deviations(session, chef, contract.id):
            recheck = (
                followups.get_followup(session, finding.recheck_followup_id)
                if finding.recheck_followup_id
                else None
            )
            if (
                finding.id not in proposed
                and recheck is not None
                and recheck.status is FollowUpStatus.justerad
                and sanctions.requirement_for_clause(session, contract.id, finding.clause)
            ):
                chosen.append((contract.id, finding, recheck.planned_date))
                break
    n = 0
    for number, (contract_id, finding, recorded) in enumerate(chosen):
        requirement = sanctions.requirement_for_clause(session, contract_id, finding.clause)
        if requirement is None:
            continue
        steps: list[tuple[SanctionKind, int, int | None, str, str]] = [
            (
                SanctionKind.papekande,
                10,
                None,
                "Förvaltningschef (delegationsbeslut)",
                "Skriftligt påpekande: avvikelsen ska vara åtgärdad inom 30 dagar.",
            )
        ]
        if number == 0:
            steps.append(
                (
                    SanctionKind.vite,
                    45,
                    25_000,
                    "Vård- och omsorgsutskottet",
                    "Avvikelsen kvarstod trots påpekandet; vite enligt avtalets sanktionsbestämmelser.",
                )
            )
        for kind, days, amount, who, note in steps:
            day = min(_working_day(recorded + timedelta(days=days)), today)
            sanctions.record_sanction(
                session,
                chef,
                sanctions.SanctionInput(
                    contract_id=contract_id,
                    kind=kind,
                    requirement_id=requirement.id,
                    decided_on=day,
                    decided_by=who,
                    finding_ids=[finding.id],
                    amount_kr=amount,
                    note=note,
                ),
                today=today,
            )
            n += 1
    return n
