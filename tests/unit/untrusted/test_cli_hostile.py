"""The public commands given hostile files, as a user runs them (a real process): exit 1 or 2
with a Swedish message naming the file, never a signal or a traceback, and nothing stored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from audit_app.db import make_engine, migrate
from tests.conftest import ROOT, add_test_users
from tests.unit.staffing.fixtures import RULES_YAML
from tests.unit.untrusted import hostile
from tests.unit.untrusted.stored import everything

SCHEDULE = {"Schema": [["Datum", "Start", "Slut", "Befattning", "Avdelning"]]}

FILES = {
    "dimension.xlsx": hostile.huge_dimension_xlsx,
    "langt-bort.xlsx": hostile.far_cell_without_dimension_xlsx,
    "zipbomb.xlsx": lambda: hostile.with_bomb(hostile.xlsx(SCHEDULE), "xl/media/a.png", 64),
    "pdf.xlsx": lambda: b"%PDF-1.7\n",
}
SAYS = {
    "dimension.xlsx": "anger området A1:XFD1048576",
    "langt-bort.xlsx": "kunde inte läsas: den kräver mer minne än gränsen 2\xa0048 MB",
    "zipbomb.xlsx": "ser ut som en zip-bomb",
    "pdf.xlsx": "är en PDF-fil, inte",
    "djup.yaml": "texten är nästlad djupare än 20 nivåer",
    "alias.yaml": "värden när alias (*namn) fylls i",
}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from audit_app.cli import main; main()", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def setup(tmp_path: Path) -> tuple[dict[str, str], Engine, Path]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    migrate(engine)
    add_test_users(engine)
    env = dict(os.environ, DATABASE_URL=url, AUDIT_DATA_DIR=str(tmp_path / "data"))
    env["PYTHONPATH"] = str(ROOT)
    for name, make in FILES.items():
        (tmp_path / name).write_bytes(make())
    (tmp_path / "regler.yaml").write_text(RULES_YAML, encoding="utf-8")
    (tmp_path / "djup.yaml").write_text(hostile.deep_yaml(900), encoding="utf-8")
    (tmp_path / "alias.yaml").write_text(hostile.alias_bomb_yaml(), encoding="utf-8")
    return env, engine, tmp_path


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int, name: str) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert "guarded child" not in result.stderr  # the child's details go to the log only
    assert f"Filen {name}" in result.stderr
    assert SAYS[name] in result.stderr


@pytest.mark.parametrize("name", list(FILES))
def test_schedule_analyse_exits_2_with_a_swedish_message(
    name: str, setup: tuple[dict[str, str], Engine, Path]
) -> None:
    env, engine, folder = setup
    before = everything(engine)
    result = run(
        ["schedule", "analyse", str(folder / name), "--rules", str(folder / "regler.yaml")], env
    )
    assert_clean_failure(result, 2, name)
    assert everything(engine) == before


def test_schedule_analyse_with_deeply_nested_rules(
    setup: tuple[dict[str, str], Engine, Path],
) -> None:
    env, _engine, folder = setup
    result = run(
        ["schedule", "analyse", str(folder / "pdf.xlsx"), "--rules", str(folder / "djup.yaml")],
        env,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Reglerna, rad ")


@pytest.mark.parametrize("name", ["langt-bort.xlsx", "zipbomb.xlsx", "djup.yaml", "alias.yaml"])
def test_checklist_import_exits_1_and_stores_nothing(
    name: str, setup: tuple[dict[str, str], Engine, Path]
) -> None:
    env, engine, folder = setup
    before = everything(engine)
    result = run(["checklist", "import", str(folder / name)], env)
    assert_clean_failure(result, 1, name)
    assert "Inget har sparats." in result.stderr
    assert everything(engine) == before


def test_checklist_validate_reports_every_hostile_file(
    setup: tuple[dict[str, str], Engine, Path],
) -> None:
    env, _engine, folder = setup
    names = [*FILES, "djup.yaml", "alias.yaml"]
    result = run(["checklist", "validate", *(str(folder / n) for n in names)], env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name in names:
        assert f"{folder / name}: 1 fel" in result.stderr
