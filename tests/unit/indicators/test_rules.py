"""The pure rules of indicators: status against the target in both directions with the delvis
band, the periods the municipality writes, and the overview's reason text."""

from datetime import date

import pytest

from audit_app.domain.indicators import (
    Miss,
    concerns,
    numeric_status,
    period_end,
    reason_text,
    target_text,
    tertial_of,
    value_text,
)
from audit_app.models import IndicatorDirection, IndicatorStatus

U, D, E = IndicatorStatus.uppnatt, IndicatorStatus.delvis, IndicatorStatus.ej_uppnatt
HIGHER, LOWER = IndicatorDirection.hogre, IndicatorDirection.lagre


@pytest.mark.parametrize(
    ("value", "expected"),
    [(90, U), (85, U), (84.9, D), (80, D), (79.9, E), (0, E)],
)
def test_higher_is_better_with_a_band_of_five(value: float, expected: IndicatorStatus) -> None:
    assert numeric_status(value, 85, HIGHER, 5) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12, U), (15, U), (16, D), (17, D), (17.5, E), (30, E)],
)
def test_lower_is_better_with_a_band_of_two(value: float, expected: IndicatorStatus) -> None:
    assert numeric_status(value, 15, LOWER, 2) is expected


def test_without_a_band_there_is_no_delvis() -> None:
    assert numeric_status(84.99, 85, HIGHER) is E
    assert numeric_status(85, 85, HIGHER) is U
    assert numeric_status(1, 0, LOWER, 0) is E
    assert numeric_status(0, 0, LOWER, 0) is U


def test_a_target_of_zero_with_a_band() -> None:
    """Beslut ej verkställda inom tre månader: 0 is the target, 1 is delvis with a band of 1."""
    assert [numeric_status(v, 0, LOWER, 1) for v in (0, 1, 2)] == [U, D, E]


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2026 T1", date(2026, 4, 30)),
        ("2026 T2", date(2026, 8, 31)),
        ("2026 t3", date(2026, 12, 31)),
        ("2026 K1", date(2026, 3, 31)),
        ("2026 Q4", date(2026, 12, 31)),
        ("2024 H1", date(2024, 6, 30)),
        ("2026-T2", date(2026, 8, 31)),
        ("2025", date(2025, 12, 31)),
        ("2026-02", date(2026, 2, 28)),
        ("2026-01-01–2026-06-30", date(2026, 6, 30)),
        ("2026-03-15", date(2026, 3, 15)),
    ],
)
def test_period_end_reads_the_municipalitys_periods(period: str, end: date) -> None:
    assert period_end(period) == end


@pytest.mark.parametrize("period", ["", "våren", "2026 T4", "2026 H3", "2026-13", "2026-02-30"])
def test_unreadable_periods_give_none(period: str) -> None:
    assert period_end(period) is None


def test_tertial_of_a_day() -> None:
    assert [tertial_of(date(2026, m, 1)) for m in (1, 4, 5, 8, 9, 12)] == [
        "2026 T1", "2026 T1", "2026 T2", "2026 T2", "2026 T3", "2026 T3",
    ]  # fmt: skip


def test_values_and_targets_read_in_swedish() -> None:
    assert value_text(78.0, "%") == "78\u00a0%"
    assert value_text(12.5, "personal") == "12,5 personal"
    assert value_text(None, "%") == ""
    assert target_text(85, "%", HIGHER) == "minst 85\u00a0%"
    assert target_text(15, "personal", LOWER) == "högst 15 personal"
    assert target_text(None, "", HIGHER) == ""


def test_the_overviews_reason() -> None:
    assert (
        reason_text(Miss("Brukarundersökning", "2026 T2", E))
        == "indikatorn Brukarundersökning ej uppnådd (2026 T2)"
    )
    assert reason_text(Miss("X", "2026", D)) == "indikatorn X delvis uppnådd (2026)"


def test_an_indicator_concerns_the_unit_kinds_it_is_for() -> None:
    assert concerns([], {"sarskilt_boende"})
    assert concerns(["hemtjanst"], {"hemtjanst", "sarskilt_boende"})
    assert not concerns(["hemtjanst"], {"sarskilt_boende"})
