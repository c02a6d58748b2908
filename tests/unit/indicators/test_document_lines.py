"""The documents' sentences about indicators, from the latest results alone (no database)."""

import uuid
from datetime import date
from types import SimpleNamespace
from typing import Any

from audit_app.models import Indicator, IndicatorKind, IndicatorResult, IndicatorStatus
from audit_app.services.documents.indicators import committee_lines, minutes_lines
from audit_app.services.indicators import Latest

CONTRACT = uuid.uuid4()


def _latest(name: str, status: IndicatorStatus | None, value: float | None = None) -> Latest:
    kind = IndicatorKind.tal if value is not None else IndicatorKind.text
    indicator = Indicator(
        contract_id=CONTRACT, name=name, kind=kind, unit="%", target=85 if value else None
    )
    if status is None:
        return Latest(indicator, None)
    result = IndicatorResult(
        indicator_id=indicator.id,
        period="2026 T1",
        period_end=date(2026, 4, 30),
        value=value,
        text="Analys saknas. " if value is None else "",
        status=status,
    )
    return Latest(indicator, result)


def _data(*rows: Latest) -> Any:
    return SimpleNamespace(indicators=list(rows))


def test_no_indicators_no_sentence() -> None:
    assert minutes_lines(_data()) == [] and committee_lines(_data()) == []


def test_indicators_without_results() -> None:
    assert minutes_lines(_data(_latest("A", None))) == [
        "Avtalet följs upp med 1 indikator. Inget resultat fanns registrerat för en period som "
        "slutat före mötet."
    ]


def test_every_indicator_reached() -> None:
    rows = _data(
        _latest("A", IndicatorStatus.uppnatt, 90), _latest("B", IndicatorStatus.uppnatt, 88)
    )
    assert minutes_lines(rows) == [
        "Avtalet följs upp med 2 indikatorer. Senaste resultat för perioder till och med "
        "mötesdagen: samtliga 2 med resultat var uppnådda."
    ]


def test_those_not_reached_are_named_with_value_and_target() -> None:
    rows = _data(
        _latest("Brukarundersökning", IndicatorStatus.ej_uppnatt, 78),
        _latest("Avvikelser", IndicatorStatus.delvis),
        _latest("Fast kontakt", IndicatorStatus.uppnatt, 100),
        _latest("Beslut", None),
    )
    assert minutes_lines(rows) == [
        "Avtalet följs upp med 4 indikatorer. Senaste resultat för perioder till och med "
        "mötesdagen: av 3 indikatorer med resultat var 1 uppnådd, 1 delvis uppnådd och 1 ej "
        "uppnådd. 1 indikator saknade resultat.",
        "Indikatorer som inte nådde målet: Brukarundersökning (2026 T1): 78\u00a0% mot målet "
        "minst 85\u00a0%, ej uppnådd; Avvikelser (2026 T1): delvis uppnådd – ”Analys saknas”.",
    ]
    assert committee_lines(rows)[1] == (
        "Indikatorer som inte nådde målet: Brukarundersökning (2026 T1): 78\u00a0% mot målet "
        "minst 85\u00a0%, ej uppnådd; Avvikelser (2026 T1): delvis uppnådd."
    )
