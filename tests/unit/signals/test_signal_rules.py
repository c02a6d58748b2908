"""Signals in words: counts with Swedish number agreement, the window of 'sedan förra mötet'."""

from datetime import date

from audit_app.domain import signals as rules
from audit_app.models import SignalKind


def test_counts_are_summed_per_kind_in_a_fixed_order_with_number_agreement() -> None:
    counted = rules.counts_by_kind(
        [
            (SignalKind.klagomal, 1),
            (SignalKind.lex_sarah, 1),
            (SignalKind.lex_sarah, 1),
            (SignalKind.synpunkt, 0),
        ]
    )
    assert counted == [
        rules.Counted(SignalKind.lex_sarah, 2),
        rules.Counted(SignalKind.klagomal, 1),
    ]
    assert rules.counts_text(counted) == "2 lex Sarah-rapporter och 1 klagomål"
    assert (
        rules.since_text(counted, date(2026, 3, 1))
        == "Sedan förra mötet: 2 lex Sarah-rapporter och 1 klagomål."
    )
    three = rules.counts_by_kind(
        [(SignalKind.lex_maria, 1), (SignalKind.ivo_beslut, 2), (SignalKind.ej_inlamnad, 1)]
    )
    assert rules.counts_text(three) == (
        "1 lex Maria-anmälan, 2 IVO-beslut och 1 rapport som inte lämnats in"
    )


def test_no_signals_and_no_previous_meeting_are_said_plainly() -> None:
    assert rules.since_text([], date(2026, 3, 1)).startswith("Sedan förra mötet: inga lex Sarah")
    text = rules.since_text([rules.Counted(SignalKind.synpunkt, 3)], None)
    assert text == "De senaste sex månaderna: 3 synpunkter."


def test_the_window_runs_from_the_day_after_the_previous_meeting_to_this_one() -> None:
    bounds = rules.window(date(2026, 9, 15), date(2026, 3, 10))
    assert bounds == (date(2026, 3, 10), date(2026, 9, 15))
    assert not rules.in_window(date(2026, 3, 10), bounds)  # reviewed at the previous meeting
    assert rules.in_window(date(2026, 3, 11), bounds)
    assert rules.in_window(date(2026, 9, 15), bounds)
    assert not rules.in_window(date(2026, 9, 16), bounds)
    assert rules.window(date(2026, 9, 15), None) == (date(2026, 3, 15), date(2026, 9, 15))


def test_every_kind_has_categories_with_ascii_codes() -> None:
    for kind in SignalKind:
        assert rules.CATEGORIES[kind], kind
        assert kind in rules.NOUNS
        for code in rules.CATEGORIES[kind]:
            assert code.isascii() and code == code.lower(), code
