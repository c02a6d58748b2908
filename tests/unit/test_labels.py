"""The Swedish words of the enums come from labels.toml: complete, and a gap is refused."""

from enum import Enum

import pytest

from audit_app.domain import labels
from audit_app.models import FindingKind, FollowUpKind, Result, SanctionKind


def test_every_member_of_every_enum_has_its_swedish_word() -> None:
    assert labels.label(FindingKind.avvikelse) == "Avvikelse"
    assert labels.label(Result.ej_uppfyllt) == "Ej uppfyllt"
    assert labels.KIND_SHORT_LABELS[FollowUpKind.bistandsarenden] == "Biståndsärenden"
    assert labels.label(SanctionKind.aterkallat_godkannande) == "Återkallat godkännande"
    for enum, table in labels._TABLES.items():
        assert set(table) == set(enum), enum.__name__


def test_a_table_that_misses_a_value_or_names_a_stray_is_refused() -> None:
    class Colour(Enum):
        red = "red"
        green = "green"

    labels._WORDS["colours"] = {"red": "Röd", "blue": "Blå"}
    try:
        with pytest.raises(
            ValueError, match=r"\[colours\]: missing \['green'\], unknown \['blue'\]"
        ):
            labels.words("colours", Colour)
    finally:
        del labels._WORDS["colours"]


def test_a_stored_code_the_enum_no_longer_has_is_shown_as_stored() -> None:
    assert labels.label_of(FollowUpKind, "ateruppfoljning") == "Återuppföljning"
    assert labels.label_of(FollowUpKind, "aterupfoljning_gammal") == "aterupfoljning_gammal"
    assert labels.label_of(FollowUpKind, None, "–") == "–"
