"""Checking raw checklist data: every problem at once, in Swedish, naming the item and field."""

import pytest

from audit_app.errors import ValidationFailed
from audit_app.services import checklists
from tests.unit.checklists.fixtures import SMALL


def test_yaml_errors_name_item_key_and_field_all_at_once() -> None:
    broken = (
        SMALL.replace('kind: ska_krav\n        clause: "4.1"', "kind: skakrav")
        .replace("key: a2", "key: a1")
        .replace("unit: procent", "unit: ''")
    )
    with pytest.raises(ValidationFailed) as exc:
        checklists.load_yaml(broken)
    messages = [e.message for e in exc.value.errors]
    assert (
        'Fråga "a1" i avsnitt "a", fält "kind": "skakrav" är ingen giltig typ. Välj ska_krav, '
        "bor_krav eller fraga." in messages
    )
    assert any(
        m.startswith('Fråga "a1" i avsnitt "a", fält "key": Id "a1" används redan')
        for m in messages
    )
    assert any('fält "unit": Ange en enhet för svarstypen tal' in m for m in messages)
    assert len(messages) == 3


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("text: Andel undersköterskor", "text: '   '"), 'fält "text": Texten är tom'),
        (("key: a3", "key: A 3"), '"A 3" är inget giltigt id'),
        (("key: a3", "key: krav-a3"), "reserverade för avtalets egna krav"),
        (
            ("applies_to: [sarskilt_boende]", "applies_to: [boende]"),
            '"boende" är ingen giltig enhetstyp',
        ),
        (("description: Test.", "beskrivning: Test."), 'Okänt fält "beskrivning"'),
        (("kind: avtal", "kind: tillsyn"), '"tillsyn" är ingen giltig uppföljningstyp'),
        (("text: Nattbemanning enligt avtal", "text: Boende 19121212-1212"), "personnummer"),
        (
            ("answer: tal\n        unit: procent", "answer: ja_nej\n        unit: procent"),
            "Enhet anges bara",
        ),
        (
            ("role: requirements", "role: punkt3"),
            'Avsnitt "krav", fält "role": "punkt3" är ingen giltig roll. Lämna tomt eller välj '
            "previous (föregående uppföljning), staffing (bemanning), requirements (avtalets "
            "krav), findings (iakttagelser) eller action_plan (åtgärdsplan).",
        ),
    ],
)
def test_each_format_error_has_a_swedish_message(change: tuple[str, str], expected: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        checklists.load_yaml(SMALL.replace(*change))
    assert expected in exc.value.message


def test_data_that_is_no_mapping_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="ska vara en uppsättning fält"):
        checklists.validate_checklist(["key", "name"])
