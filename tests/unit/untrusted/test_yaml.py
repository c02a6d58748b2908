"""YAML from outside: deep nesting and alias bombs end as Swedish messages, not RecursionError
or billions of values; the checklist and staffing-rules readers use the same checks."""

from __future__ import annotations

import pytest
import yaml

from audit_app.errors import ValidationFailed
from audit_app.services import checklists
from audit_app.services.staffing import commitments
from audit_app.services.staffing.errors import RulesError
from audit_app.services.staffing.rules import load_rules
from audit_app.services.untrusted.errors import FileRejected
from audit_app.services.untrusted.yamlsafe import load_checked
from tests.unit.untrusted import hostile


@pytest.mark.parametrize("flow", [False, True])
def test_deep_nesting_is_refused_before_pyyaml_recurses(flow: bool) -> None:
    text = hostile.deep_yaml(900, flow=flow)
    with pytest.raises(RecursionError):
        yaml.safe_load(text)  # what happened before
    with pytest.raises(FileRejected) as caught:
        load_checked(text, "regler.yaml")
    assert "Filen regler.yaml, rad " in caught.value.message
    assert caught.value.message.endswith("texten är nästlad djupare än 20 nivåer och läses inte.")


def test_an_alias_bomb_is_refused_while_parsing() -> None:
    with pytest.raises(FileRejected) as caught:
        load_checked(hostile.alias_bomb_yaml(), "lista.yaml")
    assert caught.value.message == (
        "Filen lista.yaml, rad 5: texten blir mer än 100\xa0000 värden när alias (*namn) fylls "
        "i och läses inte."
    )


def test_ordinary_aliases_and_depth_are_fine() -> None:
    text = "bas: &bas [usk, ssk]\nkompetens:\n  dag: *bas\n  natt: *bas\n"
    assert load_checked(text, "regler.yaml") == {
        "bas": ["usk", "ssk"],
        "kompetens": {"dag": ["usk", "ssk"], "natt": ["usk", "ssk"]},
    }


def test_size_and_depth_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_YAML_MAX_KB", "1")
    with pytest.raises(FileRejected, match=r"^Filen x.yaml är 2 kB; högst 1 kB tas emot.$"):
        load_checked("a: " + "b" * 2000, "x.yaml")
    monkeypatch.setenv("AUDIT_YAML_MAX_DEPTH", "2")
    with pytest.raises(FileRejected, match="djupare än 2 nivåer"):
        load_checked("a: {b: {c: 1}}", "x.yaml")


def test_staffing_rules_from_a_file_and_from_the_contract_page() -> None:
    text = hostile.deep_yaml(900)
    with pytest.raises(RulesError) as caught:
        load_rules(text)
    assert caught.value.messages[0].startswith("Reglerna, rad ")
    with pytest.raises(RulesError) as caught:
        commitments.validate_rules_yaml(hostile.alias_bomb_yaml())
    assert caught.value.messages[0].startswith("Åtagandena, rad 5: texten blir mer än")


def test_checklist_yaml_upload() -> None:
    with pytest.raises(ValidationFailed) as caught:
        checklists.read_upload(hostile.deep_yaml(900).encode(), "lista.yaml")
    assert "Filen lista.yaml, rad " in caught.value.message
    with pytest.raises(ValidationFailed, match="YAML-texten, rad 5: texten blir mer än"):
        checklists.load_yaml(hostile.alias_bomb_yaml())


def test_an_uploaded_commitments_file_is_measured_before_it_is_decoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUDIT_YAML_MAX_KB", "1")
    big = b"\xff" * 4096  # not UTF-8 either: the size is what is said
    with pytest.raises(RulesError) as caught:
        commitments.uploaded_text(big, "regler.yaml")
    assert caught.value.messages == ["Filen regler.yaml är 4 kB; högst 1 kB tas emot."]
    with pytest.raises(RulesError, match=r"^Filen regler\.yaml är inte sparad som UTF-8\.$"):
        commitments.uploaded_text(b"\xff unit: A", "regler.yaml")
    assert commitments.uploaded_text("\ufeffunit: Å".encode(), "regler.yaml") == "unit: Å"
