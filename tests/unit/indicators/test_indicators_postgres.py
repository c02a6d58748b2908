"""The latest result per indicator (a window query) and the overview's reason on PostgreSQL."""

from datetime import date

import pytest
from sqlmodel import Session

from audit_app.models import IndicatorStatus, UnitKind
from audit_app.services import indicators, overview, registers
from tests.conftest import LASARE, REVISOR
from tests.unit.overview.test_overview_postgres import pg_session

pytestmark = pytest.mark.postgres
__all__ = ["pg_session"]


def test_latest_and_not_reached_on_postgres(pg_session: Session) -> None:
    s = pg_session
    contractor = registers.save_contractor(
        s, REVISOR, registers.ContractorInput("Omsorg AB", "556782-3413")
    )
    unit = registers.save_unit(
        s, REVISOR, registers.UnitInput(contractor.id, "Solgården", UnitKind.sarskilt_boende)
    )
    contract = registers.save_contract(
        s,
        REVISOR,
        registers.ContractInput(
            "VOF 2024/118", "Boende", contractor.id, date(2024, 1, 1), date(2028, 12, 31), [unit.id]
        ),
    )
    bruk = indicators.add_from_example(s, REVISOR, contract.id, "brukarundersokning")
    text = indicators.add_from_example(s, REVISOR, contract.id, "avvikelser_analyserade")
    for period, value in [("2024", 90), ("2025", 70)]:
        indicators.record_result(s, REVISOR, bruk.id, indicators.ResultInput(period, value=value))
    indicators.record_result(
        s,
        REVISOR,
        text.id,
        indicators.ResultInput("2026 T1", text="Analyser saknas.", status=IndicatorStatus.delvis),
    )
    s.commit()
    misses = indicators.not_reached(s, LASARE)
    assert sorted((x.indicator.name, x.result.period) for x in misses if x.result) == [
        ("Avvikelser rapporterade och analyserade", "2026 T1"),
        ("Brukarundersökning – helhetsbedömning", "2025"),
    ]
    (row,) = overview.unit_overview(s, LASARE, today=date(2026, 6, 1))
    assert "indikatorn Brukarundersökning – helhetsbedömning ej uppnådd (2025)" in row.reasons
    assert "indikatorn Avvikelser rapporterade och analyserade delvis uppnådd (2026 T1)" in (
        row.reasons
    )
