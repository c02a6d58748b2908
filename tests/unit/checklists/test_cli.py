"""The command line `audit-app checklist`: validate, export, import, list and schema."""

from pathlib import Path

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from audit_app.cli.checklists import checklist_app
from audit_app.db import get_engine
from audit_app.models import ChecklistVersion
from audit_app.services import checklists
from tests.unit.checklists.fixtures import BROKEN, SHIPPED, SMALL, edited, small

runner = CliRunner()


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _versions(url: str) -> int:
    with Session(get_engine(url)) as session:
        return session.exec(select(func.count()).select_from(ChecklistVersion)).one()


def test_cli_validate_exit_codes(tmp_path: Path) -> None:
    shipped = sorted(str(p) for p in SHIPPED.glob("*.yaml"))
    ok = runner.invoke(checklist_app, ["validate", *shipped])
    assert ok.exit_code == 0, ok.stderr
    assert ok.stdout.count(": OK (") == len(shipped)
    assert "SKA-krav särskilt boende (standardkrav), 8 avsnitt, 40 frågor" in ok.stdout

    broken = tmp_path / "trasig.yaml"
    broken.write_text(SMALL.replace("kind: ska_krav", "kind: skakrav", 1), encoding="utf-8")
    bad = runner.invoke(checklist_app, ["validate", shipped[0], str(broken)])
    assert bad.exit_code == 1
    assert f"{broken}: 1 fel" in bad.stderr
    assert '"skakrav" är ingen giltig typ' in bad.stderr
    assert "trasig" not in bad.stdout


def test_cli_export_then_import_edited_file_prints_new_version(cli_db: str, tmp_path: Path) -> None:
    target = tmp_path / "avtal.xlsx"
    result = runner.invoke(checklist_app, ["export", "avtalsuppfoljning", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"Exporterade avtalsuppfoljning version 1 till {target}."
    shipped = checklists.load_yaml(SHIPPED / "avtalsuppfoljning.yaml")
    assert checklists.read_excel(target.read_bytes(), target.name) == shipped
    before = _versions(cli_db)

    same = runner.invoke(checklist_app, ["import", str(target)])
    assert same.exit_code == 0 and "oförändrad jämfört med version 1" in same.stdout
    assert _versions(cli_db) == before

    target.write_bytes(
        edited(target.read_bytes(), lambda wb: wb["Frågor"].cell(row=2, column=3, value="Ny text"))
    )
    changed = runner.invoke(checklist_app, ["import", str(target)])
    assert changed.exit_code == 0, changed.stderr
    assert changed.stdout.strip() == "Sparade avtalsuppfoljning version 2 (1 omformulerad)."
    # One new version and nothing else: no list is merged with the standard lists.
    assert _versions(cli_db) == before + 1
    listing = runner.invoke(checklist_app, ["list"])
    assert "avtalsuppfoljning\tversion 2\tavtal" in listing.stdout


def test_cli_export_unknown_key_fails(cli_db: str, tmp_path: Path) -> None:
    result = runner.invoke(checklist_app, ["export", "finns-inte", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1
    assert "Checklistan 'finns-inte' (version senaste) finns inte." in result.stderr


@pytest.mark.parametrize("case", list(BROKEN))
def test_cli_import_of_broken_file_exits_1_and_saves_nothing(
    case: str, cli_db: str, tmp_path: Path
) -> None:
    exported = tmp_path / "checklista.xlsx"
    assert (
        runner.invoke(checklist_app, ["export", "avtalsuppfoljning", "-o", str(exported)]).exit_code
        == 0
    )
    source = checklists.to_excel(small())  # rows and ids of the small checklist match the cases
    make, expected = BROKEN[case]
    exported.write_bytes(make(source))
    before = _versions(cli_db)
    result = runner.invoke(checklist_app, ["import", str(exported)])
    assert result.exit_code == 1
    assert f"{len(expected)} fel. Inget har sparats." in result.stderr
    for want in expected:
        assert want in result.stderr
    assert result.stdout == ""
    assert _versions(cli_db) == before


def test_cli_schema_writes_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    result = runner.invoke(checklist_app, ["schema", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == (SHIPPED / "schema.json").read_text(
        encoding="utf-8"
    )
