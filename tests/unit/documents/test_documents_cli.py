"""CLI: `followups list --json`, `minutes ID -o FILE [--committee]`, and the report commands.

Run through the real `audit-app` command tree.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from audit_app.cli import app as cli_app

runner = CliRunner()


def make_app() -> typer.Typer:
    return cli_app


@pytest.fixture
def cli(demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("DATABASE_URL", demo_db)  # a new URL per test: its own engine
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    yield make_app()


def listed(app: typer.Typer, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["followups", "list", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_followups_list_json(cli: typer.Typer) -> None:
    rows = listed(cli)
    assert len(rows) >= 30
    assert set(rows[0]) >= {"id", "kind", "unit", "date", "status"}
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)  # type: ignore[type-var]
    done = listed(cli, "--status", "justerad", "--kind", "avtal")
    assert done and all(r["status"] == "justerad" and r["kind"] == "avtal" for r in done)


def test_minutes_to_docx_stored_and_committee(cli: typer.Typer, tmp_path: Path) -> None:
    fid = str(listed(cli, "--status", "justerad", "--kind", "avtal")[-1]["id"])
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    result = runner.invoke(cli, ["minutes", fid[:8], "-o", str(first)])
    assert result.exit_code == 0, result.output
    assert "lagrat dokument" in result.stdout
    runner.invoke(cli, ["minutes", fid, "-o", str(second)])
    assert first.read_bytes() == second.read_bytes()
    heads = [p.text for p in Document(str(first)).paragraphs if p.style.name == "Title"]
    assert heads and heads[0].startswith("Uppföljning av avtal")
    committee = tmp_path / "c.docx"
    result = runner.invoke(cli, ["minutes", fid, "--committee", "-o", str(committee)])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(committee)).paragraphs)
    assert "Förslag till beslut" in text and "Maria Holm" not in text


def test_minutes_errors_are_swedish(cli: typer.Typer, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["minutes", "00000000-0000-0000-0000-000000000000", "-o", "x.docx"])
    assert result.exit_code == 1
    assert "Det finns ingen uppföljning" in result.stderr
    result = runner.invoke(cli, ["minutes", "abc", "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 1 and "sex första tecknen" in result.stderr
    fid = str(listed(cli)[0]["id"])
    result = runner.invoke(cli, ["minutes", fid, "-o", str(tmp_path / "x.txt")])
    assert result.exit_code == 1 and ".docx eller .pdf" in result.stderr


def test_report_commands(cli: typer.Typer, tmp_path: Path) -> None:
    year = int(str(listed(cli, "--status", "justerad")[-1]["date"])[:4])
    out = tmp_path / "q.docx"
    result = runner.invoke(cli, ["report", "quarter", str(year), "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    quarter = [p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert "Rapport till kvalitetsrådet" in quarter and "Förslag till beslut" not in quarter
    out = tmp_path / "y.docx"
    assert runner.invoke(cli, ["report", "year", str(year), "-o", str(out)]).exit_code == 0
    heads = [p.text for p in Document(str(out)).paragraphs]
    assert "Uppföljning av verksamhet på entreprenad" in heads and "Avvikelser" in heads
    out = tmp_path / "a.xlsx"
    assert runner.invoke(cli, ["report", "actions", "--open", "-o", str(out)]).exit_code == 0
    assert load_workbook(out).sheetnames == ["Åtgärdsregister"]
    fid = str(listed(cli)[0]["id"])
    out = tmp_path / "f.xlsx"
    assert runner.invoke(cli, ["followups", "export", fid, "-o", str(out)]).exit_code == 0
    assert "Bedömningar" in load_workbook(out).sheetnames
