"""Staffing rules: the YAML exchange format, round trip, and Swedish errors naming the field."""

from pathlib import Path

import pytest

from audit_app.services.staffing.errors import RulesError
from audit_app.services.staffing.rules import StaffingRules, load_rules, rules_to_yaml
from tests.unit.staffing.fixtures import RULES_YAML


def test_issue_example_is_read_exactly() -> None:
    rules = load_rules(RULES_YAML)
    assert rules.unit == "Solgården"
    assert rules.sections == ["Avd Lärkan", "Avd Måsen"]
    assert rules.places_per_section == 10
    assert rules.competence == {"usk": ["undersköterska", "usk", "sjuksköterska"]}
    assert [(p.name, p.start, p.end, p.min_staff, p.min_competent) for p in rules.periods] == [
        ("Dag", "07:00", "15:00", 3, 2),
        ("Natt", "21:30", "07:00", 1, 1),
    ]
    assert rules.min_competent_hours_share == 0.75
    assert rules.competent_roles() == {"undersköterska", "usk", "sjuksköterska"}
    night = rules.periods[1]
    assert (night.start_minute, night.length_minutes) == (21 * 60 + 30, 9 * 60 + 30)


def test_yaml_is_written_in_the_exchange_format_and_reads_back() -> None:
    rules = load_rules(RULES_YAML)
    text = rules_to_yaml(rules)
    assert text == (
        "unit: Solgården\n"
        "sections: [Avd Lärkan, Avd Måsen]\n"
        "places_per_section: 10\n"
        "competence:\n"
        "  usk: [undersköterska, usk, sjuksköterska]\n"
        "periods:\n"
        '  - {name: Dag, start: "07:00", end: "15:00", min_staff: 3, min_competent: 2}\n'
        '  - {name: Natt, start: "21:30", end: "07:00", min_staff: 1, min_competent: 1}\n'
        "min_competent_hours_share: 0.75\n"
    )
    assert load_rules(text) == rules


def test_awkward_names_are_quoted_and_survive_a_round_trip() -> None:
    rules = StaffingRules(
        unit="Hem: Björken #2",
        sections=["Avd [A]", "yes", "12", "Avd, B"],
        places_per_section=8,
        competence={"leg": ["Sjuksköterska", "USK: natt"]},
        periods=[
            {"name": "Kväll", "start": "15:00", "end": "24:00", "min_staff": 2, "min_competent": 1}
        ],
        min_competent_hours_share=0.5,
    )
    assert load_rules(rules_to_yaml(rules)) == rules


def test_unquoted_times_are_accepted() -> None:
    # YAML 1.1 reads 21:30 as the sexagesimal integer 1290; 07:00 stays a string.
    text = RULES_YAML.replace('"21:30"', "21:30").replace(
        '"07:00", min_staff: 3', "7:00, min_staff: 3"
    )
    rules = load_rules(text)
    assert [(p.start, p.end) for p in rules.periods] == [("07:00", "15:00"), ("21:30", "07:00")]


def test_rules_are_read_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "regler.yaml"
    path.write_text(RULES_YAML, encoding="utf-8")
    assert load_rules(path) == load_rules(str(path)) == load_rules(RULES_YAML)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("places_per_section: 10", "places_per_section: tio"), "fältet places_per_section: måste vara ett heltal"),
        (("places_per_section: 10", "places_per_section: 0"), "fältet places_per_section: måste vara större än 0"),
        (("min_competent_hours_share: 0.75", "min_competent_hours_share: 1.5"), "min_competent_hours_share: får vara högst 1"),
        (('start: "07:00", end: "15:00"', 'start: "7:7", end: "15:00"'), 'fältet periods nr 1, start: "7:7" är ingen tid'),
        (('start: "07:00", end: "15:00"', 'start: "25:00", end: "15:00"'), "periods nr 1, start: tiden måste ligga mellan 00:00 och 24:00"),
        (("min_staff: 1,", "min_staf: 1,"), "fältet periods nr 2, min_staff: saknas"),
        (("min_staff: 1,", "min_staf: 1,"), "fältet periods nr 2, min_staf: är inget känt fält"),
        (("unit: Solgården\n", ""), "fältet unit: saknas"),
        (("sections: [Avd Lärkan, Avd Måsen]", "sections: []"), "fältet sections: får inte vara tom"),
        (("sections: [Avd Lärkan, Avd Måsen]", "sections: [Avd Lärkan, avd lärkan]"), "avdelningen avd lärkan står två gånger"),
        (("name: Natt", "name: Dag"), "perioden Dag står två gånger"),
        (('end: "07:00"', 'end: "21:30"'), "perioden Natt börjar och slutar på samma tid"),
        (("sections: [Avd Lärkan, Avd Måsen]", "sections: Avd Lärkan"), "fältet sections: måste vara en lista"),
    ],
)  # fmt: skip
def test_errors_are_swedish_and_name_the_field(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in RULES_YAML
    with pytest.raises(RulesError) as caught:
        load_rules(RULES_YAML.replace(old, new, 1))
    assert any(expected in m for m in caught.value.messages), caught.value.messages


def test_yaml_syntax_error_gives_the_line() -> None:
    with pytest.raises(RulesError, match="inte giltig YAML på rad 3"):
        load_rules("unit: A\nsections: [A\nperiods: {\n")


def test_not_a_mapping() -> None:
    with pytest.raises(RulesError, match="YAML-tabell"):
        load_rules("- bara\n- en lista\n")


def test_missing_rules_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match=r"saknas\.yaml kan inte läsas"):
        load_rules(tmp_path / "saknas.yaml")


def test_rules_path_as_text_without_yaml_suffix(tmp_path: Path) -> None:
    path = tmp_path / "regler.txt"
    path.write_text(RULES_YAML, encoding="utf-8")
    assert load_rules(str(path)).unit == "Solgården"


def test_review_period_defaults_to_two_weeks_and_can_be_set() -> None:
    old = load_rules(RULES_YAML)  # a rules file written before review_days existed
    assert old.review_days == 14
    assert "review_days" not in rules_to_yaml(old)
    longer = load_rules(RULES_YAML + "review_days: 28\n")
    assert longer.review_days == 28
    assert load_rules(rules_to_yaml(longer)) == longer
    with pytest.raises(RulesError, match="review_days: måste vara minst 1"):
        load_rules(RULES_YAML + "review_days: 0\n")
