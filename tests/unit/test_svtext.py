"""The sentence builder every document counts with: number agreement, lists, one percentage."""

from __future__ import annotations

import pytest

from audit_app.domain.svtext import (
    ATGARD,
    AVVIKELSE,
    BEDOMD,
    DELVIS_UPPFYLLD,
    EJ_UPPFYLLD,
    FORBATTRINGSOMRADE,
    FORSENAD,
    KRAV,
    OPPEN,
    UPPFYLLD,
    VERIFIERAD,
    amount,
    counted_list,
    none_of,
    part_of,
    share_of,
    sv_percent,
    tally,
)


def test_a_part_of_a_whole_agrees_in_number_and_gender() -> None:
    assert part_of(1, 2, ATGARD, VERIFIERAD) == "en av två åtgärder är verifierad"
    assert (
        part_of(2, 14, KRAV, EJ_UPPFYLLD, verb="var", attribute=BEDOMD)
        == "2 av 14 bedömda krav var ej uppfyllda"
    )
    assert (
        part_of(1, 14, KRAV, EJ_UPPFYLLD, verb="var", attribute=BEDOMD)
        == "1 av 14 bedömda krav var ej uppfyllt"
    )
    assert part_of(3, 5, ATGARD, VERIFIERAD) == "tre av fem åtgärder är verifierade"
    assert part_of(0, 3, ATGARD, VERIFIERAD) == "ingen av tre åtgärder är verifierad"
    assert part_of(0, 3, KRAV, UPPFYLLD, verb="var") == "inget av tre krav var uppfyllt"


def test_all_of_a_whole_is_said_as_such() -> None:
    assert part_of(2, 2, ATGARD, VERIFIERAD) == "båda åtgärderna är verifierade"
    assert (
        part_of(2, 2, KRAV, UPPFYLLD, verb="var", attribute=BEDOMD)
        == "båda de bedömda kraven var uppfyllda"
    )
    assert (
        part_of(14, 14, KRAV, UPPFYLLD, verb="var", attribute=BEDOMD)
        == "samtliga 14 bedömda krav var uppfyllda"
    )
    assert (
        part_of(1, 1, KRAV, UPPFYLLD, verb="var", attribute=BEDOMD)
        == "det enda bedömda kravet var uppfyllt"
    )
    assert part_of(1, 1, ATGARD, VERIFIERAD) == "den enda åtgärden är verifierad"
    assert part_of(0, 1, ATGARD, VERIFIERAD) == "den enda åtgärden är inte verifierad"
    with pytest.raises(ValueError):
        part_of(3, 2, ATGARD, VERIFIERAD)


def test_amounts_are_words_up_to_twelve_and_digits_above() -> None:
    assert amount(1, AVVIKELSE) == "en avvikelse"
    assert amount(1, FORBATTRINGSOMRADE) == "ett förbättringsområde"
    assert amount(12, ATGARD) == "tolv åtgärder"
    assert amount(13, ATGARD) == "13 åtgärder"
    assert amount(0, AVVIKELSE) == "inga avvikelser"
    assert amount(1, KRAV, words=False) == "1 krav"
    assert amount(1250, KRAV) == "1\u00a0250 krav"


def test_lists_join_with_och_and_leave_out_zero() -> None:
    assert (
        counted_list([(2, AVVIKELSE), (1, FORBATTRINGSOMRADE)])
        == "två avvikelser och ett förbättringsområde"
    )
    assert counted_list([(0, AVVIKELSE), (1, FORBATTRINGSOMRADE)]) == "ett förbättringsområde"
    assert counted_list([(14, AVVIKELSE), (1, FORBATTRINGSOMRADE), (3, ATGARD)]) == (
        "14 avvikelser, 1 förbättringsområde och 3 åtgärder"
    )
    assert counted_list([(0, AVVIKELSE), (0, FORBATTRINGSOMRADE)]) == ""
    assert none_of([AVVIKELSE, FORBATTRINGSOMRADE]) == "några avvikelser eller förbättringsområden"


def test_a_tally_agrees_each_part_and_drops_zero() -> None:
    parts = [(39, UPPFYLLD), (1, DELVIS_UPPFYLLD), (1, EJ_UPPFYLLD)]
    assert tally(parts, KRAV) == "39 uppfyllda, 1 delvis uppfyllt och 1 ej uppfyllt"
    assert tally([(13, UPPFYLLD), (0, EJ_UPPFYLLD)], KRAV) == ("13 uppfyllda")
    assert tally([(3, UPPFYLLD), (1, EJ_UPPFYLLD)], KRAV) == "tre uppfyllda och ett ej uppfyllt"
    assert OPPEN.agree(ATGARD, 1) == "öppen" and FORSENAD.agree(ATGARD, 2) == "försenade"


def test_one_way_to_round_a_share() -> None:
    assert sv_percent(0.668) == "67\u00a0%"
    assert sv_percent(0.665) == "67\u00a0%"  # half up, not to even
    assert share_of(39, 41) == "39 av 41 (95\u00a0%)"
    assert share_of(2, 0) == "2"
