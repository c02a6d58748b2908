"""The demo's indicators: the shipped examples on every contract, with results period by period
(a value for a measured indicator, a status and a text for a judgement)."""

import uuid
from datetime import date
from typing import Any

from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.domain.indicators import period_end
from audit_app.models import IndicatorStatus
from audit_app.services import indicators as indicators_service

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


def seed_indicators(
    session: Session,
    revisor: Actor,
    contract_id: uuid.UUID,
    series: list[tuple[str, str, list[Any]]],
    today: date,
) -> None:
    """The contract's indicators from the shipped examples, with results period by period."""
    for key, kind, results in series:
        indicator = indicators_service.add_from_example(session, revisor, contract_id, key)
        texts = DOKUMENTATION_TEXT if key == "social_dokumentation" else AVVIKELSER_TEXT
        for period, result in zip(
            completed_periods(kind, len(results), today), results, strict=True
        ):
            if isinstance(result, IndicatorStatus):
                data = indicators_service.ResultInput(period, status=result, text=texts[result])
            else:
                data = indicators_service.ResultInput(period, value=float(result))
            indicators_service.record_result(session, revisor, indicator.id, data)
