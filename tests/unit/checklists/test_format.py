"""The checklist format: lenient spellings, section roles and versions stored before roles."""

from typing import Any

import pytest

from audit_app.errors import ValidationFailed
from audit_app.models import ItemKind, SectionRole, UnitKind
from audit_app.services import checklists
from tests.unit.checklists.fixtures import SMALL, small


def test_lenient_spellings_are_normalised() -> None:
    text = SMALL.replace(
        'kind: ska_krav\n        clause: "4.1"', "kind: SKA-krav\n        clause: 4.1"
    )
    checklist = checklists.load_yaml(
        text.replace("applies_to: [sarskilt_boende]", "applies_to: Särskilt boende")
    )
    first = checklist.sections[0].items[0]
    assert (first.kind, first.clause) == (ItemKind.ska_krav, "4.1")
    assert checklist.sections[0].items[2].applies_to == [UnitKind.sarskilt_boende]


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("requirements", SectionRole.requirements),
        ("Avtalets krav", SectionRole.requirements),
        ("krav", SectionRole.requirements),
        ("Föregående uppföljning", SectionRole.previous),
        ("bemanning", SectionRole.staffing),
        ("Iakttagelser", SectionRole.findings),
        ("Åtgärdsplan", SectionRole.action_plan),
    ],
)
def test_a_role_may_be_written_as_its_code_or_its_swedish_name(
    written: str, role: SectionRole
) -> None:
    checklist = checklists.load_yaml(SMALL.replace("role: requirements", f"role: {written}"))
    assert checklist.sections[1].role is role
    assert checklist.section_with_role(role) is checklist.sections[1]


def _stored_before_roles() -> dict[str, Any]:
    """The content of a version stored before roles existed (the contract section flagged)."""
    content = checklists.content_of(small())
    for section in content["sections"]:
        flagged = section.pop("role") == "requirements"
        section["include_contract_requirements"] = flagged
    return content


def test_a_version_stored_before_roles_still_loads_with_the_requirements_role() -> None:
    content = _stored_before_roles()
    assert "role" not in content["sections"][1]
    checklist = checklists.checklist_of(content)
    assert [s.role for s in checklist.sections] == [None, SectionRole.requirements]
    assert checklist == small()
    # Its agenda is built exactly as from the same checklist written with roles.
    assert checklists.build_agenda(content) == checklists.build_agenda(small())


def test_a_legacy_flagged_section_may_be_empty_like_a_requirements_section() -> None:
    content = _stored_before_roles()
    content["sections"][1]["items"] = []
    assert checklists.checklist_of(content).sections[1].items == []
    content["sections"][1]["include_contract_requirements"] = False
    with pytest.raises(ValidationFailed, match="Avsnittet har inga frågor"):
        checklists.validate_checklist(content)


def test_only_the_requirements_section_may_be_empty() -> None:
    empty = SMALL.split("    items:\n      - key: k1")[0] + "    items: []\n"
    assert checklists.load_yaml(empty).sections[1].items == []
    with pytest.raises(ValidationFailed) as exc:
        checklists.load_yaml(empty.replace("role: requirements", "role: findings"))
    assert exc.value.message == (
        'Avsnitt "krav", fält "items": Avsnittet har inga frågor. Lägg till minst en fråga eller '
        "ta bort avsnittet."
    )


@pytest.mark.parametrize("second", ["requirements", "Avtalets krav"])
def test_a_role_belongs_to_one_section(second: str) -> None:
    text = SMALL.replace("    title: Avsnitt A\n", f"    title: Avsnitt A\n    role: {second}\n")
    with pytest.raises(ValidationFailed) as exc:
        checklists.load_yaml(text)
    assert [e.message for e in exc.value.errors] == [
        'Avsnitt "krav", fält "role": Rollen requirements (avtalets krav) har redan ett annat '
        'avsnitt. Varje roll får bara ett avsnitt. (första gången: Avsnitt "a", fält "role")'
    ]


def test_composed_keys_are_recognised() -> None:
    assert not small().composed
    assert small().model_copy(update={"key": "liten.hemtjanst"}).composed
