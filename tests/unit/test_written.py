"""domain.written: a required text is stripped, and refused (on its field) when too short."""

import pytest

from audit_app.domain.written import required_text
from audit_app.errors import ValidationFailed


def test_a_long_enough_text_comes_back_stripped() -> None:
    assert required_text("reason", "  fel datum \n", 5, "Anledning: skriv varför.") == "fel datum"


def test_a_text_of_exactly_the_least_length_is_enough() -> None:
    assert required_text("reason", " abc ", 3, "för kort") == "abc"


@pytest.mark.parametrize("text", ["", "   ", " ab ", "\tx\n"])
def test_a_short_or_blank_text_is_refused_on_its_field(text: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        required_text("comment", text, 3, "Kommentar: skriv vilket underlag.")
    assert refused.value.for_field("comment") == ["Kommentar: skriv vilket underlag."]
    assert str(refused.value) == "Kommentar: skriv vilket underlag."
