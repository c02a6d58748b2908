"""`schedule analyse`: one JSON object or a Swedish summary; exit 2 on bad input."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit_app.cli.schedule import schedule_app
from tests.unit.staffing.fixtures import (
    RULES_YAML,
    SCENARIO_BREACHES,
    csv_text_style_b,
    write_xlsx_style_a,
)

runner = CliRunner()


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "regler.yaml"
    path.write_text(RULES_YAML, encoding="utf-8")
    return path


def test_json_prints_exactly_one_object(tmp_path: Path, rules_file: Path) -> None:
    schedule = write_xlsx_style_a(tmp_path / "schema.xlsx")
    result = runner.invoke(
        schedule_app, ["analyse", str(schedule), "--rules", str(rules_file), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1
    data = json.loads(result.stdout)
    assert list(data) == [
        "from",
        "to",
        "shifts",
        "total_hours",
        "competent_hours",
        "competent_share",
        "share_breached",
        "distinct_people",
        "hours_by_section",
        "warnings",
        "breaches",
        "review_days",
        "coverage",
    ]
    assert data["breaches"] == SCENARIO_BREACHES
    assert (data["from"], data["to"], data["competent_share"]) == (
        "2026-11-02",
        "2026-11-04",
        0.7197,
    )


def test_readable_swedish_summary(tmp_path: Path, rules_file: Path) -> None:
    schedule = write_xlsx_style_a(tmp_path / "schema.xlsx")
    result = runner.invoke(schedule_app, ["analyse", str(schedule), "--rules", str(rules_file)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "Schema: schema.xlsx",
        "Granskad period: 2026-11-02 – 2026-11-04 (3 dagar)",
        "Pass: 27, personer: 12",
        "Timmar: 198, varav kompetent personal 142,5 (72\u00a0%; krav 75\u00a0%, under kravet)",
        "Timmar per avdelning: Avd Lärkan 103; Avd Måsen 95",
        "Brister: 6",
    ]
    assert "  2026-11-03 Avd Lärkan Dag: bemanning 2 (krav 3)" in lines
    assert "  2026-11-04 Avd Lärkan Natt: kompetens 0 (krav 1)" in lines
    assert "Varningar:" in lines


def test_map_option_fixes_a_column(tmp_path: Path, rules_file: Path) -> None:
    text = csv_text_style_b().replace(
        "Personal;Befattning;Enhet;Datum;Tid", "Personal;Befattning;Enhet;Datum;Kl"
    )
    path = tmp_path / "schema.csv"
    path.write_bytes(text.encode("cp1252"))
    args = ["analyse", str(path), "--rules", str(rules_file), "--json"]
    failed = runner.invoke(schedule_app, args)
    assert failed.exit_code == 2
    assert "schema.csv: hittar ingen rubrikrad" in failed.stderr
    fixed = runner.invoke(schedule_app, [*args, "--map", "range=Kl", "--map", "name="])
    assert fixed.exit_code == 0, fixed.stderr
    data = json.loads(fixed.stdout)
    assert data["breaches"] == SCENARIO_BREACHES
    assert data["distinct_people"] is None


def test_bad_schedule_exits_2_with_swedish_messages(tmp_path: Path, rules_file: Path) -> None:
    path = tmp_path / "schema.csv"
    path.write_text("Datum;Start;Slut;Befattning;Avdelning\n2026-11-02;7:7x;15:00;USK;A\n")
    result = runner.invoke(
        schedule_app, ["analyse", str(path), "--rules", str(rules_file), "--json"]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        'schema.csv: rad 2, kolumn B (Start): tiden "7:7x" går inte att läsa; skriv t.ex. 07:00.\n'
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--map", "färg=Namn"], "--map 'färg=Namn': skriv fält=Rubrik"),
        (["--map", "start"], "--map 'start': skriv fält=Rubrik"),
    ],
)
def test_bad_map_option(tmp_path: Path, rules_file: Path, args: list[str], expected: str) -> None:
    schedule = write_xlsx_style_a(tmp_path / "schema.xlsx")
    result = runner.invoke(
        schedule_app, ["analyse", str(schedule), "--rules", str(rules_file), *args]
    )
    assert result.exit_code == 2
    assert expected in result.stderr


def test_bad_rules_and_missing_file_exit_2(tmp_path: Path, rules_file: Path) -> None:
    schedule = write_xlsx_style_a(tmp_path / "schema.xlsx")
    bad_rules = tmp_path / "fel.yaml"
    bad_rules.write_text(RULES_YAML.replace("min_staff: 3", "min_staff: tre"), encoding="utf-8")
    result = runner.invoke(schedule_app, ["analyse", str(schedule), "--rules", str(bad_rules)])
    assert result.exit_code == 2
    assert "Reglerna: fältet periods nr 1, min_staff: måste vara ett heltal." in result.stderr
    missing = runner.invoke(
        schedule_app, ["analyse", str(tmp_path / "borta.xlsx"), "--rules", str(rules_file)]
    )
    assert (missing.exit_code, missing.stderr) == (2, "Filen borta.xlsx finns inte.\n")
