"""The command line as people use it: Swedish help, the contract register, reader accounts."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit_app.cli import app
from audit_app.cli.swedish import install

runner = CliRunner()
COMMANDS = [
    [],
    ["init"],
    ["demo"],
    ["users", "add"],
    ["users", "list"],
    ["users", "disable"],
    ["users", "enable"],
    ["serve"],
    ["contracts", "list"],
    ["checklist", "validate"],
    ["checklist", "export"],
    ["schedule", "analyse"],
    ["followups", "list"],
    ["followups", "export"],
    ["minutes"],
    ["report", "quarter"],
    ["report", "year"],
    ["report", "actions"],
    ["backup"],
    ["restore"],
    ["overview"],
    ["plan", "propose"],
    ["plan", "ics"],
    ["plan", "meeting"],
    ["signals", "list"],
    ["sanctions", "list"],
]
ENGLISH = re.compile(
    r"Usage|Options|Arguments|Show this message|\[OPTIONS\]|COMMAND|<str>|<bool>|<int>|<path>|"
    r"Missing|Error|required\]|default:"
)


@pytest.fixture
def demo(demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    install()
    return demo_db


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "audit-app")
def test_help_is_swedish(command: list[str]) -> None:
    install()
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert not ENGLISH.search(result.output), result.output


def test_a_mistake_is_reported_in_swedish() -> None:
    install()
    result = runner.invoke(app, ["users", "add"])
    assert result.exit_code == 2
    assert "Fel: Argumentet 'username' saknas." in result.output
    assert not ENGLISH.search(result.output)


def test_contracts_list_gives_each_contracts_own_requirements(demo: str) -> None:
    result = runner.invoke(app, ["contracts", "list", "--json"])
    assert result.exit_code == 0, result.output
    contracts = json.loads(result.output)
    assert {"id", "dnr", "contractor", "units", "requirements"} <= set(contracts[0])
    for contract in contracts:
        clauses = [r["clause"] for r in contract["requirements"]]
        assert len(clauses) == len(set(clauses))
        assert all(r["type"] in ("ska", "bor") and r["text"] for r in contract["requirements"])
        assert contract["units"]


def test_followups_list_names_the_contract_and_the_previous_followup(demo: str) -> None:
    rows = json.loads(runner.invoke(app, ["followups", "list", "--json"]).output)
    by_id = {r["id"]: r for r in rows}
    avtal = [r for r in rows if r["kind"] == "avtal" and r["status"] != "planerad"]
    assert all(r["contract"] for r in avtal)
    linked = [r for r in avtal if r["previous"]]
    assert linked
    for row in linked:
        previous = by_id[row["previous"]]
        assert previous["kind"] in ("avtal", "ateruppfoljning")
        assert previous["date"] <= row["date"] and previous["status"] != "planerad"


def test_a_readers_account_sees_only_justerade_and_gets_no_draft(demo: str, tmp_path: Path) -> None:
    everything = json.loads(runner.invoke(app, ["followups", "list", "--json"]).output)
    as_reader = runner.invoke(app, ["followups", "list", "--json", "--as", "lasare"])
    seen = json.loads(as_reader.output)
    assert seen and {r["status"] for r in seen} == {"justerad"}
    assert len(seen) == sum(r["status"] == "justerad" for r in everything)
    ongoing = next(r for r in everything if r["status"] == "pagar")
    out = tmp_path / "m.docx"
    refused = runner.invoke(app, ["minutes", ongoing["id"], "-o", str(out), "--as", "lasare"])
    assert refused.exit_code == 1 and "inte tillgänglig" in refused.output
    assert not out.exists()
    done = runner.invoke(app, ["minutes", seen[0]["id"], "-o", str(out), "--as", "lasare"])
    assert done.exit_code == 0 and out.stat().st_size > 0
