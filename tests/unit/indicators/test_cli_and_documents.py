"""The demo's indicators through the command line (`indicators list --json`) and in the
documents: point 3 of the minutes and the tjänsteskrivelse say what the record holds."""

import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import typer
from docx import Document
from sqlmodel import Session, select
from typer.testing import CliRunner

from audit_app.cli import app as cli_app
from audit_app.cli.swedish import install
from audit_app.db import make_engine
from audit_app.domain.indicators import period_end
from audit_app.models import FollowUp, FollowUpKind, FollowUpStatus, IndicatorStatus
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.indicators import committee_lines, minutes_lines

runner = CliRunner()
KEYS = {"contract", "name", "risk", "definition", "method", "responsible", "occasion", "target"}


@pytest.fixture
def cli(demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    install()
    yield cli_app


def test_help_is_swedish() -> None:
    install()
    result = runner.invoke(cli_app, ["indicators", "list", "--help"])
    assert result.exit_code == 0
    assert "Lista avtalens indikatorer" in result.output and "Usage" not in result.output


def test_indicators_list_json_gives_every_indicator_with_its_results(cli: typer.Typer) -> None:
    result = runner.invoke(cli, ["indicators", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["contract"] for r in rows} == {"VOF 2023/245", "VOF 2024/118", "VOF 2025/031"}
    for row in rows:
        assert set(row) >= KEYS | {"results"}
        assert row["risk"].startswith("En risk i ")
        numeric = row["kind"] == "tal"
        assert (row["target"] is None) is not numeric
        for r in row["results"]:
            assert r["status"] in {s.value for s in IndicatorStatus}
            assert ("value" in r) is numeric and ("text" in r) is not numeric
            assert period_end(r["period"]) is not None
            assert period_end(r["period"]) <= date.today()
        ends = [r["period_end"] for r in row["results"]]
        assert ends == sorted(ends)
    # The demo: at least three indicators with four or more results on every contract.
    for dnr in {r["contract"] for r in rows}:
        full = [r for r in rows if r["contract"] == dnr and len(r["results"]) >= 4]
        assert len(full) >= 3, dnr
    bruk = next(
        r for r in rows if r["contract"] == "VOF 2024/118" and r["name"].startswith("Brukar")
    )
    assert bruk["target"] == 85 and bruk["results"][0] == {
        "period": str(date.today().year - 3),
        "period_end": f"{date.today().year - 3}-12-31",
        "value": 83.0,
        "status": "delvis",
    }


def test_a_reader_lists_them_too(cli: typer.Typer) -> None:
    result = runner.invoke(cli, ["indicators", "list", "--json", "--as", "test-lasare"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)


def _latest_avtal(engine_url: str, unit: str) -> tuple[uuid.UUID, list[str], list[str]]:
    engine = make_engine(engine_url)
    with Session(engine) as s:
        followups = s.exec(
            select(FollowUp)
            .where(FollowUp.kind == FollowUpKind.avtal, FollowUp.status == FollowUpStatus.justerad)
            .order_by(FollowUp.planned_date)  # type: ignore[arg-type]
        ).all()
        for f in reversed(followups):
            data = load_followup_data(s, f)
            if data.unit_names == unit:
                return f.id, minutes_lines(data), committee_lines(data)
    engine.dispose()
    raise AssertionError(f"no justerad avtalsuppföljning of {unit}")


def test_minutes_point_3_and_the_committee_report_give_the_indicators(
    cli: typer.Typer, demo_db: str, tmp_path: Path
) -> None:
    fid, minutes, committee = _latest_avtal(demo_db, "Ekbacken")
    assert minutes[0].startswith("Avtalet följs upp med 4 indikatorer.")  # not the hemtjänst one
    assert minutes[1].startswith("Indikatorer som inte nådde målet: Genomförandeplaner aktuella")
    assert "”" in minutes[1]  # the minutes quote the judgement of a text indicator
    assert committee[0].startswith("Förvaltningen följer avtalet med 4 indikatorer.")
    assert "”" not in committee[1]  # the committee gets the status, not the words
    out = tmp_path / "m.docx"
    assert runner.invoke(cli, ["minutes", str(fid), "-o", str(out)]).exit_code == 0
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    point3 = paragraphs.index(
        next(p for p in paragraphs if p.startswith("3. Genomgång av SKA-krav"))
    )
    assert paragraphs[point3 + 1 : point3 + 3] == minutes
    assert paragraphs[point3 + 3].startswith("Avtalets krav gicks igenom punkt för punkt")
    out = tmp_path / "c.docx"
    assert runner.invoke(cli, ["minutes", str(fid), "--committee", "-o", str(out)]).exit_code == 0
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert all(line in paragraphs for line in committee)
