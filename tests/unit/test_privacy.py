"""No personnummer is ever stored."""

import pytest

from audit_app.errors import ValidationFailed
from audit_app.services.privacy import looks_like_personnummer, refuse_personnummer


@pytest.mark.parametrize(
    "text",
    [
        "Ärende 19121212-1212",
        "121212-1212",
        "191212121212",
        "Född 20121212+1212 enligt akt",
        "121272-1219",
    ],
)
def test_personnummer_shapes_are_found(text: str) -> None:
    assert looks_like_personnummer(text)


@pytest.mark.parametrize(
    "text",
    ["Ärende 2026/123", "556782-3413", "121212-1213", "Telefon 070-123 45 67", "131312-1212", ""],
)
def test_other_numbers_are_not_personnummer(text: str) -> None:
    assert not looks_like_personnummer(text)


def test_refusal_names_the_field() -> None:
    with pytest.raises(ValidationFailed, match=r"Kommentar: .*personnummer"):
        refuse_personnummer("Gäller 19121212-1212", "Kommentar")
