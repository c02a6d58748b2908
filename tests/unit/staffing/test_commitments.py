"""A contract's staffing commitments: YAML per unit, stored by unit id, Swedish errors."""

import uuid
from typing import Any

import pytest
from sqlmodel import Session, select

from audit_app.errors import PermissionDenied
from audit_app.models import StaffingCommitment, UnitKind
from audit_app.services import registers
from audit_app.services.audit_log import history
from audit_app.services.staffing import commitments
from audit_app.services.staffing.errors import RulesError
from audit_app.services.staffing.rules import load_rules, rules_to_yaml
from tests.conftest import LASARE, REVISOR
from tests.unit.staffing.fixtures import RULES_YAML, count_rows

TWO_UNITS = (
    RULES_YAML
    + "---\n"
    + RULES_YAML.replace("unit: Solgården", "unit: Björkhagen").replace(
        "[Avd Lärkan, Avd Måsen]", "[Avd Eken]"
    )
)


def test_rules_yaml_one_document_per_unit_or_a_list() -> None:
    rules = commitments.validate_rules_yaml(TWO_UNITS)
    assert [r.unit for r in rules] == ["Solgården", "Björkhagen"]
    assert rules[0] == load_rules(RULES_YAML)
    text = "---\n".join(rules_to_yaml(r) for r in rules)
    assert commitments.validate_rules_yaml(text) == rules
    as_list = "- " + RULES_YAML.replace("\n", "\n  ").rstrip() + "\n"
    assert commitments.validate_rules_yaml(as_list) == rules[:1]
    assert commitments.validate_rules_yaml("") == []
    assert commitments.validate_rules_yaml("\n---\n") == []


def test_rules_yaml_errors_are_swedish_and_name_the_unit() -> None:
    bad = TWO_UNITS.replace("min_staff: 3", "min_staff: tre", 1).replace(
        "places_per_section: 10", "places_per_section: 0"
    )
    with pytest.raises(RulesError) as err:
        commitments.validate_rules_yaml(bad)
    assert err.value.messages == [
        "Enhet nr 1 (Solgården): Reglerna: fältet places_per_section: måste vara större än 0.",
        "Enhet nr 1 (Solgården): Reglerna: fältet periods nr 1, min_staff: måste vara ett heltal.",
        "Enhet nr 2 (Björkhagen): Reglerna: fältet places_per_section: måste vara större än 0.",
    ]
    with pytest.raises(RulesError) as err:
        commitments.validate_rules_yaml(RULES_YAML + "---\n" + RULES_YAML)
    assert "enheten Solgården har redan åtaganden i enhet nr 1" in err.value.messages[0]
    with pytest.raises(RulesError) as err:
        commitments.validate_rules_yaml("unit: [oavslutad\n")
    assert err.value.messages[0].startswith("Åtagandena är inte giltig YAML på rad")
    with pytest.raises(RulesError) as err:
        commitments.validate_rules_yaml(TWO_UNITS, ["Solgården"])
    assert err.value.messages == [
        "Enhet nr 2 (Björkhagen): enheten Björkhagen finns inte i avtalet (avtalets enheter: "
        "Solgården). Skriv enhetens namn som i registret."
    ]
    with pytest.raises(RulesError) as err:
        commitments.validate_rules_yaml(RULES_YAML, ["Björkhagen"])
    assert err.value.messages[0].startswith("Enheten Solgården finns inte i avtalet")


def test_rules_are_saved_per_unit_id_and_picked_per_unit(
    session: Session, setup: dict[str, Any]
) -> None:
    with pytest.raises(RulesError):
        commitments.save_rules_yaml(session, REVISOR, setup["contract"], TWO_UNITS)
    with pytest.raises(PermissionDenied):
        commitments.save_rules_yaml(session, LASARE, setup["contract"], RULES_YAML)
    saved = commitments.save_rules_yaml(
        session,
        REVISOR,
        setup["contract"],
        RULES_YAML.replace("places_per_section: 10", "places_per_section: 12").replace(
            "Solgården", "SOLGÅRDEN"
        ),
    )
    assert saved[0].unit == "Solgården"  # spelled as in the register
    (row,) = session.exec(select(StaffingCommitment)).all()
    assert (row.contract_id, row.unit_id, row.version) == (setup["contract"], setup["unit"], 2)
    assert row.rules == saved[0].model_dump(mode="json", exclude={"unit"})
    assert commitments.rules_for(session, setup["contract"], setup["unit"]) == saved[0]
    assert commitments.rules_for(session, setup["contract"], uuid.uuid4()) is None
    assert "bemanningsåtaganden ändrade" in [c.field for c in history(session, setup["contract"])]
    commitments.save_rules_yaml(session, REVISOR, setup["contract"], "")
    assert commitments.rules_for(session, setup["contract"], setup["unit"]) is None
    assert count_rows(session, StaffingCommitment) == 0


def _contract_units(session: Session, setup: dict[str, Any], unit_ids: list[uuid.UUID]) -> None:
    contract = registers.get_contract(session, setup["contract"])
    registers.save_contract(
        session,
        REVISOR,
        registers.ContractInput(
            contract.dnr,
            contract.title,
            contract.contractor_id,
            contract.valid_from,
            contract.valid_to,
            unit_ids,
        ),
        contract.id,
    )


def _second_unit(session: Session, setup: dict[str, Any]) -> uuid.UUID:
    """Add Björkhagen to the contract; return its id."""
    unit = registers.save_unit(
        session,
        REVISOR,
        registers.UnitInput(
            setup["contractor"], "Björkhagen", UnitKind.sarskilt_boende, 10, ["Avd Eken"]
        ),
    )
    _contract_units(session, setup, [setup["unit"], unit.id])
    return unit.id


def test_two_units_are_exported_as_documents_and_read_back(
    session: Session, setup: dict[str, Any]
) -> None:
    other = _second_unit(session, setup)
    saved = commitments.save_rules_yaml(session, REVISOR, setup["contract"], TWO_UNITS)
    assert [r.unit for r in saved] == ["Solgården", "Björkhagen"]
    text = commitments.commitments_yaml(session, setup["contract"])
    assert text.count("---\n") == 1
    assert text.startswith("unit: Björkhagen\nsections: [Avd Eken]\n")  # units by name
    again = commitments.validate_rules_yaml(text, ["Björkhagen", "Solgården"])
    assert sorted(again, key=lambda r: r.unit) == sorted(saved, key=lambda r: r.unit)
    picked = commitments.unit_rules(session, setup["contract"], [setup["unit"], other])
    assert [(u.name, u.rules.sections if u.rules else None) for u in picked] == [
        ("Solgården", ["Avd Lärkan", "Avd Måsen"]),
        ("Björkhagen", ["Avd Eken"]),
    ]
    # saving one unit only removes the other's commitments
    commitments.save_rules_yaml(session, REVISOR, setup["contract"], RULES_YAML)
    assert commitments.rules_for(session, setup["contract"], other) is None
    assert commitments.rules_for(session, setup["contract"], setup["unit"]) is not None


def test_renaming_a_unit_keeps_its_commitments(session: Session, setup: dict[str, Any]) -> None:
    unit = registers.get_unit(session, setup["unit"])
    new_name = "Solgårdens äldreboende"
    registers.save_unit(
        session,
        REVISOR,
        registers.UnitInput(
            unit.contractor_id, new_name, unit.kind, unit.places, list(unit.sections)
        ),
        unit.id,
    )
    rules = commitments.rules_for(session, setup["contract"], setup["unit"])
    assert rules is not None and rules.unit == new_name
    assert rules.model_dump(exclude={"unit"}) == load_rules(RULES_YAML).model_dump(exclude={"unit"})
    text = commitments.commitments_yaml(session, setup["contract"])
    assert text.startswith(f"unit: {new_name}\n")
    assert commitments.save_rules_yaml(session, REVISOR, setup["contract"], text)[0] == rules
    with pytest.raises(RulesError, match="Enheten Solgården finns inte i avtalet"):
        commitments.save_rules_yaml(session, REVISOR, setup["contract"], RULES_YAML)


def test_editor_shows_the_yaml_an_example_and_a_file_name(
    session: Session, setup: dict[str, Any]
) -> None:
    editor = commitments.editor_for(session, setup["contract"])
    assert editor.text == rules_to_yaml(load_rules(RULES_YAML))
    assert editor.unit_names == ["Solgården"]
    assert editor.example.startswith("unit: Solgården\nsections: [Avd Lärkan, Avd Måsen]\n")
    assert editor.file_name == "bemanningsataganden-vof-2026-1.yaml"
    commitments.save_rules_yaml(
        session, REVISOR, setup["contract"], RULES_YAML.replace("0.75", "0.8")
    )
    changed = commitments.editor_for(session, setup["contract"])
    assert "min_competent_hours_share: 0.8\n" in changed.text
    assert changed.token != editor.token
    assert commitments.summary(commitments.validate_rules_yaml(TWO_UNITS)) == (
        "Solgården (2 avdelningar, 2 pass), Björkhagen (1 avdelningar, 2 pass)"
    )


def test_stored_rules_that_no_longer_validate_are_shown_as_stored(
    session: Session, setup: dict[str, Any]
) -> None:
    row = session.exec(select(StaffingCommitment)).one()
    row.rules = {**row.rules, "places_per_section": 0}
    session.add(row)
    session.flush()
    assert commitments.rules_for(session, setup["contract"], setup["unit"]) is None
    text = commitments.commitments_yaml(session, setup["contract"])
    assert text.startswith("unit: Solgården\n") and "places_per_section: 0" in text
    with pytest.raises(RulesError, match="places_per_section: måste vara större än 0"):
        commitments.validate_rules_yaml(text)


def test_a_unit_taken_off_the_contract_keeps_no_commitments(
    session: Session, setup: dict[str, Any]
) -> None:
    other = _second_unit(session, setup)
    commitments.save_rules_yaml(session, REVISOR, setup["contract"], TWO_UNITS)
    _contract_units(session, setup, [setup["unit"]])
    assert commitments.rules_for(session, setup["contract"], other) is None
    assert commitments.unit_rules(session, setup["contract"], [other])[0].rules is None
    text = commitments.commitments_yaml(session, setup["contract"])
    assert "Björkhagen" not in text
    commitments.save_rules_yaml(session, REVISOR, setup["contract"], text)
    assert count_rows(session, StaffingCommitment) == 1
