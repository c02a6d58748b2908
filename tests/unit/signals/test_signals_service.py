"""Signals: who may record them, what is refused (no personal data), and where they are counted:
point 1 of the next avtalsuppföljning, its minutes, and the yearly contribution."""

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import InvestigationStatus, Signal, SignalKind
from audit_app.services import followup_view, signals
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.minutes import avtal_context
from audit_app.services.documents.period import load_period
from audit_app.services.documents.yearly import yearly_context
from tests.conftest import CHEF, LASARE, REVISOR
from tests.unit.followups.fixtures import finish, plan
from tests.unit.signals.conftest import MAS
from tests.unit.signals.helpers import signal


def _input(setup: dict[str, Any], **kw: Any) -> signals.SignalInput:
    base: dict[str, Any] = {
        "contractor_id": setup["contractor"],
        "unit_id": setup["unit"],
        "kind": SignalKind.lex_sarah,
        "occurred_on": date(2026, 5, 4),
        "category": "tillsyn",
    }
    return signals.SignalInput(**(base | kw))


def test_the_mas_and_the_revisor_record_signals_a_reader_and_the_chef_cannot(
    session: Session, setup: dict[str, Any]
) -> None:
    for who in (MAS, REVISOR):
        signals.save_signal(session, who, _input(setup), today=date(2026, 6, 1))
    for who in (LASARE, CHEF):
        with pytest.raises(PermissionDenied, match="registrera signaler"):
            signals.save_signal(session, who, _input(setup), today=date(2026, 6, 1))
    assert len(signals.list_signals(session, LASARE)) == 2  # everyone reads the figures


def test_the_new_role_writes_signals_only(session: Session, setup: dict[str, Any]) -> None:
    from audit_app.services import registers
    from audit_app.services.sanctions import SanctionInput, record_sanction

    with pytest.raises(PermissionDenied):
        plan(session, setup, date(2026, 3, 10), actor=MAS)
    with pytest.raises(PermissionDenied):
        registers.save_contractor(session, MAS, registers.ContractorInput("X AB", "556782-3413"))
    with pytest.raises(PermissionDenied, match="registrera sanktioner"):
        record_sanction(
            session, MAS, SanctionInput(setup["contract"], None, None, date.today(), "")
        )  # type: ignore[arg-type]


def test_every_problem_is_reported_and_a_personnummer_is_refused(
    session: Session, setup: dict[str, Any]
) -> None:
    bad = _input(
        setup,
        unit_id=uuid.uuid4(),
        category="fall",  # a lex Maria category
        count=0,
        occurred_on=date(2026, 7, 1),
        note="Gäller 19121212-1212 på avdelning 2",
    )
    with pytest.raises(ValidationFailed) as caught:
        signals.save_signal(session, MAS, bad, today=date(2026, 6, 1))
    fields = [e.field for e in caught.value.errors]
    assert fields == ["unit_id", "category", "count", "occurred_on", "note"]
    assert "personnummer" in caught.value.errors[-1].message
    assert session.query(Signal).count() == 0


def test_a_signal_holds_counts_and_categories_and_no_person() -> None:
    columns = set(Signal.__table__.columns.keys())  # type: ignore[attr-defined]
    assert columns == {
        "id", "version", "created_at", "updated_at", "updated_by_id", "contractor_id",
        "unit_id", "kind", "occurred_on", "category", "count", "status", "note",
    }  # fmt: skip


def test_point_one_counts_the_signals_since_the_previous_held_meeting(
    session: Session, setup: dict[str, Any]
) -> None:
    previous = plan(session, setup, date(2026, 3, 10))
    finish(session, previous)
    signal(session, setup, SignalKind.lex_sarah, date(2026, 3, 10), "tillsyn")  # reviewed then
    signal(session, setup, SignalKind.lex_sarah, date(2026, 4, 2), "tillsyn")
    signal(session, setup, SignalKind.lex_sarah, date(2026, 6, 20), "bemotande")
    signal(session, setup, SignalKind.klagomal, date(2026, 8, 1), "mat", unit=False)  # whole
    signal(session, setup, SignalKind.synpunkt, date(2026, 9, 16), "berom")  # after the meeting
    current = plan(session, setup, date(2026, 9, 15))
    assert current.previous_id == previous.id

    view = followup_view.point_one(session, REVISOR, current.id)
    assert view.since is not None
    assert view.since.text == "Sedan förra mötet: 2 lex Sarah-rapporter och 1 klagomål."
    assert (view.since.first, view.since.last) == (date(2026, 3, 10), date(2026, 9, 15))

    minutes = avtal_context(load_followup_data(session, current))
    assert (
        "Sedan förra mötet registrerades två lex Sarah-rapporter och ett klagomål om "
        "verksamheten." in " ".join(minutes["point1"]["intro"])
    )


def test_signals_of_another_contractors_unit_are_not_counted(
    session: Session, setup: dict[str, Any]
) -> None:
    from audit_app.models import UnitKind
    from audit_app.services import registers

    other = registers.save_contractor(
        session, REVISOR, registers.ContractorInput("Annan AB", "556036-0793")
    )
    unit = registers.save_unit(
        session, REVISOR, registers.UnitInput(other.id, "Björken", UnitKind.hemtjanst, 0)
    )
    session.commit()
    signal(
        session,
        {"contractor": other.id, "unit": unit.id},
        SignalKind.lex_maria,
        date(2026, 5, 1),
        "fall",
    )
    current = plan(session, setup, date(2026, 9, 15))
    view = followup_view.point_one(session, REVISOR, current.id)
    assert view.since is not None and view.since.previous is None
    assert view.since.text.startswith("De senaste sex månaderna: inga")


def test_the_yearly_contribution_counts_the_years_signals(
    session: Session, setup: dict[str, Any]
) -> None:
    signal(session, setup, SignalKind.lex_sarah, date(2025, 12, 31), "tillsyn")  # last year
    signal(session, setup, SignalKind.lex_sarah, date(2026, 1, 1), "tillsyn")
    signal(session, setup, SignalKind.lex_maria, date(2026, 2, 3), "fall", n=2)
    signal(session, setup, SignalKind.synpunkt, date(2026, 12, 31), "berom", n=3)
    signal(
        session, setup, SignalKind.ej_inlamnad, date(2026, 3, 15), "kvalitetsberattelse", unit=False
    )
    pd = load_period(session, CHEF, date(2026, 1, 1), date(2026, 12, 31), today=date(2027, 1, 10))
    text = " ".join(yearly_context(pd)["reporting"])  # the template's section on reporting
    assert (
        "Under 2026 registrerades en lex Sarah-rapport, två lex Maria-anmälningar, "
        "tre synpunkter och en rapport som inte lämnats in om utförarna." in text
    )
    empty = load_period(
        session, CHEF, date(2024, 1, 1), date(2024, 12, 31), today=date(2027, 1, 10)
    )
    assert "Under 2024 registrerades inga lex Sarah" in " ".join(yearly_context(empty)["reporting"])


def test_a_status_change_is_logged_and_keeps_the_signal(
    session: Session, setup: dict[str, Any]
) -> None:
    from audit_app.models import InvestigationStatus
    from audit_app.services.audit_log import history

    saved = signals.save_signal(session, MAS, _input(setup), today=date(2026, 6, 1))
    session.commit()
    signals.save_signal(
        session,
        MAS,
        _input(setup, status=InvestigationStatus.avslutad),
        signal_id=saved.id,
        today=date(2026, 6, 1),
    )
    session.commit()
    assert [r.status for r in signals.list_signals(session, REVISOR)] == ["Avslutad"]
    assert "status" in [c.field for c in history(session, saved.id)]


def test_a_new_status_keeps_everything_else_the_signal_holds(
    session: Session, setup: dict[str, Any]
) -> None:
    data = _input(setup, count=2, note="Utreds av verksamhetschefen.")
    stored = signals.save_signal(session, MAS, data, today=date(2026, 6, 1))
    closed = signals.SignalInput.of(stored, status=InvestigationStatus.avslutad)
    assert closed == replace(data, status=InvestigationStatus.avslutad)
    saved = signals.save_signal(session, MAS, closed, stored.id, today=date(2026, 6, 1))
    assert (saved.status, saved.count, saved.note) == (InvestigationStatus.avslutad, 2, data.note)
