"""`audit-app overview --json`, `plan propose --json` and `plan ics` on the fixed municipality."""

import json
from pathlib import Path

import icalendar
import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from audit_app.cli import app
from tests.unit.overview.fixtures import Town

runner = CliRunner()


@pytest.fixture
def cli_db(db_url: str, session: Session, town: Town, monkeypatch: pytest.MonkeyPatch) -> Town:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return town


def test_overview_json_gives_one_object_per_unit(cli_db: Town) -> None:
    result = runner.invoke(app, ["overview", "--json", "--date", "2026-10-20"])
    assert result.exit_code == 0, result.output
    units = {u["unit"]: u for u in json.loads(result.output)}
    assert set(units) == {"Solgården", "Hemtjänst Syd", "Klövervägen"}
    assert units["Solgården"] == {
        "contractor": "Omsorg AB",
        "unit": "Solgården",
        "unit_kind": "sarskilt_boende",
        "last_followup": {"kind": "avtal", "date": "2026-03-10"},
        "share_met": 0.6667,
        "open_deviations": 1,
        "overdue_actions": 1,
        "next_planned": {"kind": "ateruppfoljning", "date": "2026-06-10"},
        "status": "rod",
        "reasons": [
            "1 åtgärd försenad",
            "1 återuppföljning försenad (senast 10 juni)",
            "ingen avtalsuppföljning på 7 månader",
            "1 öppen avvikelse",
            "ingen uppföljning av ledningssystem har hållits",
        ],
    }
    reader = runner.invoke(
        app, ["overview", "--json", "--date", "2026-10-20", "--as", "test-lasare"]
    )
    assert all(u["next_planned"] is None for u in json.loads(reader.output))


def test_a_wrong_date_is_refused_in_swedish(cli_db: Town) -> None:
    result = runner.invoke(app, ["overview", "--json", "--date", "20 oktober"])
    assert result.exit_code == 1
    assert "skriv datumet som ÅÅÅÅ-MM-DD" in result.output


def test_plan_propose_json(cli_db: Town) -> None:
    result = runner.invoke(
        app, ["plan", "propose", "--year", "2026", "--json", "--date", "2026-10-20"]
    )
    assert result.exit_code == 0, result.output
    found = {(p["unit"], tuple(p["kinds"])): p for p in json.loads(result.output)}
    combined = found[("Solgården", ("avtal", "ledningssystem"))]
    assert (combined["proposed"], combined["due"], combined["overdue"]) == (
        "2026-10-20",
        "2026-09-10",
        True,
    )


def test_plan_ics_writes_one_event_per_planned_followup(cli_db: Town, tmp_path: Path) -> None:
    target = tmp_path / "karin.ics"
    result = runner.invoke(app, ["plan", "ics", "--revisor", "test-revisor", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "3 uppföljningar är sparade" in result.output
    events = list(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert len(events) == 3
    wrong = runner.invoke(app, ["plan", "ics", "--revisor", "test-revisor", "-o", "x.txt"])
    assert wrong.exit_code == 1 and "ska sluta på .ics" in wrong.output
