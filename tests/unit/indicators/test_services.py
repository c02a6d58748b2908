"""Indicators of a contract through the services: defined from an example or by hand, results
recorded with the status the rule gives, the latest result per indicator, those not reached in
the overview, and who may do what."""

from datetime import date

import pytest
from sqlmodel import Session, select

from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import (
    ChangeLog,
    Indicator,
    IndicatorDirection,
    IndicatorKind,
    IndicatorResult,
    IndicatorStatus,
    StatusLevel,
)
from audit_app.services import indicators
from audit_app.services import overview as overview_service
from tests.conftest import CHEF, LASARE, REVISOR
from tests.unit.indicators.conftest import Place

U, D, E = IndicatorStatus.uppnatt, IndicatorStatus.delvis, IndicatorStatus.ej_uppnatt


def _numeric(session: Session, place: Place, name: str = "Brukarundersökning") -> Indicator:
    return indicators.save_indicator(
        session,
        REVISOR,
        place.contract.id,
        indicators.IndicatorInput(
            name=name,
            risk="En risk i omsorgen är att brukarna inte är nöjda.",
            definition="Andel nöjda brukare.",
            method="Socialstyrelsens brukarundersökning",
            responsible="Verksamhetschef",
            occasion="En gång per år",
            kind=IndicatorKind.tal,
            unit="%",
            target=85,
            direction=IndicatorDirection.hogre,
            tolerance=5,
        ),
    )


def test_shipped_examples_come_from_the_seed_and_fit_the_units() -> None:
    keys = {e.key for e in indicators.examples()}
    assert {
        "brukarundersokning",
        "personalkontinuitet_hemtjanst",
        "genomforandeplaner_aktuella",
        "beslut_verkstallda",
        "avvikelser_analyserade",
    } <= keys
    for e in indicators.examples():
        assert e.risk.startswith("En risk i "), e.key
        assert e.definition and e.method and e.responsible and e.occasion, e.key
        assert (e.target is None) == (e.kind is IndicatorKind.text), e.key
    kontinuitet = indicators.example("personalkontinuitet_hemtjanst")
    assert kontinuitet is not None and kontinuitet.direction is IndicatorDirection.lagre


def test_an_example_becomes_the_contracts_own_indicator(session: Session, place: Place) -> None:
    added = indicators.add_from_example(
        session, REVISOR, place.contract.id, "personalkontinuitet_hemtjanst"
    )
    assert added.name == "Personalkontinuitet i hemtjänst"
    assert added.example_key == "personalkontinuitet_hemtjanst"
    assert added.applies_to == ["hemtjanst"]
    assert added.target == 15 and added.tolerance == 2
    with pytest.raises(ValidationFailed, match="har redan indikatorn"):
        indicators.add_from_example(
            session, REVISOR, place.contract.id, "personalkontinuitet_hemtjanst"
        )


def test_a_numeric_result_gets_its_status_from_the_rule(session: Session, place: Place) -> None:
    i = _numeric(session, place)
    got = [
        indicators.record_result(session, REVISOR, i.id, indicators.ResultInput(p, value=v)).status
        for p, v in [("2023", 88), ("2024", 82), ("2025", 70)]
    ]
    assert got == [U, D, E]
    # The revisor cannot set another status on a measured value.
    again = indicators.record_result(
        session, REVISOR, i.id, indicators.ResultInput("2025", value=70, status=U)
    )
    assert again.status is E
    result = session.exec(select(IndicatorResult).where(IndicatorResult.period == "2025")).one()
    assert result.period_end == date(2025, 12, 31)
    assert result.entered_by_id == REVISOR.user_id


def test_the_same_period_again_corrects_the_result(session: Session, place: Place) -> None:
    i = _numeric(session, place)
    first = indicators.record_result(
        session, REVISOR, i.id, indicators.ResultInput("2026 t1", value=70)
    )
    second = indicators.record_result(
        session, REVISOR, i.id, indicators.ResultInput("2026 T1", value=90)
    )
    assert first.id == second.id and second.period == "2026 T1" and second.status is U
    log = session.exec(
        select(ChangeLog).where(ChangeLog.entity_id == str(first.id), ChangeLog.field == "value")
    ).all()
    assert [(c.old, c.new) for c in log] == [(None, "70.0"), ("70.0", "90.0")]


def test_a_text_result_is_the_revisors_judgement(session: Session, place: Place) -> None:
    i = indicators.add_from_example(session, REVISOR, place.contract.id, "avvikelser_analyserade")
    with pytest.raises(ValidationFailed) as caught:
        indicators.record_result(session, REVISOR, i.id, indicators.ResultInput("2026 T1"))
    assert {e.field for e in caught.value.errors} == {"status", "text"}
    saved = indicators.record_result(
        session,
        REVISOR,
        i.id,
        indicators.ResultInput("2026 T1", text="Orsaksanalys saknas i flera fall.", status=D),
    )
    assert saved.status is D and saved.value is None


def test_every_problem_of_a_result_at_once(session: Session, place: Place) -> None:
    i = _numeric(session, place)
    with pytest.raises(ValidationFailed) as caught:
        indicators.record_result(
            session, REVISOR, i.id, indicators.ResultInput("våren", text="19121212-1212")
        )
    messages = [e.message for e in caught.value.errors]
    assert any("'våren' går inte att läsa" in m and "2026 T1" in m for m in messages)
    assert any(m.startswith("Värde: ange periodens mätvärde") for m in messages)
    assert any("personnummer" in m for m in messages)
    assert session.exec(select(IndicatorResult)).all() == []


def test_an_indicator_is_checked_field_by_field(session: Session, place: Place) -> None:
    with pytest.raises(ValidationFailed) as caught:
        indicators.save_indicator(
            session,
            REVISOR,
            place.contract.id,
            indicators.IndicatorInput(name="", kind=IndicatorKind.tal, target=None, tolerance=-1),
        )
    assert {e.field for e in caught.value.errors} == {"name", "target", "tolerance"}
    text = indicators.save_indicator(
        session,
        REVISOR,
        place.contract.id,
        indicators.IndicatorInput(
            name="Aktgranskning", kind=IndicatorKind.text, target=50, unit="%"
        ),
    )
    assert text.target is None and text.unit == ""  # a text indicator has no target


def test_a_changed_target_rejudges_the_results(session: Session, place: Place) -> None:
    i = _numeric(session, place)
    indicators.record_result(session, REVISOR, i.id, indicators.ResultInput("2025", value=82))
    data = indicators.IndicatorInput(name=i.name, kind=IndicatorKind.tal, unit="%", target=80)
    indicators.save_indicator(session, REVISOR, place.contract.id, data, i.id)
    (card,) = indicators.list_indicators(session, LASARE, place.contract.id)
    assert card.latest is not None and card.latest.status is U
    with pytest.raises(ValidationFailed, match="kan inte byta"):
        data.kind = IndicatorKind.text
        indicators.save_indicator(session, REVISOR, place.contract.id, data, i.id)


def test_a_reader_and_the_chef_read_but_cannot_write(session: Session, place: Place) -> None:
    i = _numeric(session, place)
    with pytest.raises(PermissionDenied, match="läsare"):
        indicators.record_result(session, LASARE, i.id, indicators.ResultInput("2025", value=90))
    with pytest.raises(PermissionDenied):
        indicators.record_result(session, CHEF, i.id, indicators.ResultInput("2025", value=90))
    with pytest.raises(PermissionDenied):
        indicators.save_indicator(
            session, LASARE, place.contract.id, indicators.IndicatorInput(name="X")
        )
    with pytest.raises(PermissionDenied):
        indicators.add_from_example(session, LASARE, place.contract.id, "brukarundersokning")
    with pytest.raises(PermissionDenied):
        indicators.archive_indicator(session, LASARE, i.id)
    assert [
        c.indicator.name for c in indicators.list_indicators(session, LASARE, place.contract.id)
    ] == ["Brukarundersökning"]


def test_latest_result_and_those_not_reached(session: Session, place: Place) -> None:
    bruk = _numeric(session, place)
    plans = _numeric(session, place, "Genomförandeplaner")
    indicators.add_from_example(
        session, REVISOR, place.contract.id, "beslut_verkstallda"
    )  # no result
    for period, value in [("2024", 70), ("2025", 90), ("2026", 81)]:
        indicators.record_result(
            session, REVISOR, bruk.id, indicators.ResultInput(period, value=value)
        )
    indicators.record_result(
        session, REVISOR, plans.id, indicators.ResultInput("2026 T1", value=95)
    )
    latest = indicators.latest_per_indicator(session, [place.contract.id])[place.contract.id]
    assert [(x.indicator.name, x.result.period if x.result else None) for x in latest] == [
        ("Brukarundersökning", "2026"),
        ("Genomförandeplaner", "2026 T1"),
        ("Beslut verkställda inom tre månader", None),
    ]
    misses = indicators.not_reached(session, LASARE)
    assert [(x.indicator.name, x.result.status if x.result else None) for x in misses] == [
        ("Brukarundersökning", D)
    ]
    # As of a meeting in the summer of 2025, 2025 had not ended: 2024's result was the latest.
    early = indicators.not_reached(session, LASARE, [place.contract.id], as_of=date(2025, 6, 30))
    assert [(x.indicator.name, x.result.period if x.result else None) for x in early] == [
        ("Brukarundersökning", "2024")
    ]


def test_an_indicator_not_reached_is_a_yellow_reason_in_the_overview(
    session: Session, place: Place
) -> None:
    bruk = _numeric(session, place)
    kontinuitet = indicators.add_from_example(
        session, REVISOR, place.contract.id, "personalkontinuitet_hemtjanst"
    )
    indicators.record_result(session, REVISOR, bruk.id, indicators.ResultInput("2026 T2", value=78))
    indicators.record_result(
        session, REVISOR, kontinuitet.id, indicators.ResultInput("2026 T2", value=16)
    )
    rows = {
        r.unit: r for r in overview_service.unit_overview(session, LASARE, today=date(2026, 10, 1))
    }
    boende, hemtjanst = rows["Solgården"], rows["Hemtjänst Syd"]
    assert "indikatorn Brukarundersökning ej uppnådd (2026 T2)" in boende.reasons
    # The home-care measure concerns the home-care unit only.
    assert not any("Personalkontinuitet" in r for r in boende.reasons)
    assert "indikatorn Personalkontinuitet i hemtjänst delvis uppnådd (2026 T2)" in (
        hemtjanst.reasons
    )
    indicators.record_result(session, REVISOR, bruk.id, indicators.ResultInput("2026 T3", value=90))
    rows = {
        r.unit: r for r in overview_service.unit_overview(session, LASARE, today=date(2026, 10, 1))
    }
    assert not any("Brukarundersökning" in r for r in rows["Solgården"].reasons)


def test_only_the_indicator_reason_makes_a_unit_yellow() -> None:
    from audit_app.domain import cadence
    from audit_app.domain.indicators import Miss

    today = date(2026, 10, 1)
    facts = cadence.UnitFacts(
        last_avtal=date(2026, 9, 1),
        last_ledningssystem=date(2026, 9, 1),
        indicator_misses=(Miss("Brukarundersökning", "2026 T2", E),),
    )
    status = cadence.unit_status(facts, today)
    assert status.level is StatusLevel.gul
    assert status.texts == ["indikatorn Brukarundersökning ej uppnådd (2026 T2)"]
    assert cadence.unit_status(
        cadence.UnitFacts(date(2026, 9, 1), date(2026, 9, 1)), today
    ).level is (StatusLevel.gron)
