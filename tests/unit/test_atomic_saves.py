"""One transaction per import and per multi-row save: a process killed (SIGKILL) in the middle
of an import leaves nothing half written, on SQLite and PostgreSQL.

The child process runs the real command (`audit-app checklist import FILE`) and stops after its
k-th flush (SQL sent, not yet committed), reporting it on stdout and waiting on stdin; the test
kills it there with SIGKILL. Every flush of the import is a kill point. Before the fix, pysqlite
committed the first SAVEPOINT at once (legacy transaction control), so a kill after it left the
new checklist version without its composed versions.
"""

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text
from sqlmodel import Session, select

from audit_app.auth import SYSTEM
from audit_app.db import make_engine, migrate, session_scope
from audit_app.models import ChangeLog, ChecklistVersion, Contract, ContractUnit, Requirement
from audit_app.services import checklists, registers
from tests.conftest import REVISOR, ROOT

CHILD = """
import os, sys
from sqlalchemy import Engine, event
from sqlmodel import Session

stop_at = int(os.environ["KILL_AT_FLUSH"])
flushes = 0


@event.listens_for(Session, "after_flush")
def _pause(session, context):
    global flushes
    flushes += 1
    if flushes == stop_at:
        print(f"FLUSH {flushes}", flush=True)
        sys.stdin.readline()  # the test kills the process here


@event.listens_for(Engine, "commit")
def _count(connection):
    print(f"COMMIT after {flushes} flushes", flush=True)


from audit_app.cli import main

sys.argv = ["audit-app", "checklist", "import", os.environ["IMPORT_FILE"]]
main()
"""


def _edited_base(tmp_path: Path) -> Path:
    """The shipped agenda checklist with one changed text: a new version."""
    source = (ROOT / "checklists" / "avtalsuppfoljning.yaml").read_text(encoding="utf-8")
    edited = source.replace("Halvårsvis uppföljning", "Halvårsvis (ändrad) uppföljning", 1)
    assert edited != source
    path = tmp_path / "avtalsuppfoljning.yaml"
    path.write_text(edited, encoding="utf-8")
    return path


def _state(engine: Engine) -> tuple[list[tuple[str, int]], int]:
    with Session(engine) as session:
        versions = sorted(
            (cv.key, cv.version) for cv in session.exec(select(ChecklistVersion)).all()
        )
        logged = len(session.exec(select(ChangeLog)).all())
    return versions, logged


def _run_child(url: str, import_file: Path, kill_at: int) -> str:
    """Run the import; kill it at flush `kill_at` (0: let it finish). Return its stdout."""
    env = os.environ | {
        "DATABASE_URL": url,
        "KILL_AT_FLUSH": str(kill_at),
        "IMPORT_FILE": str(import_file),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    if kill_at == 0:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        return out
    line = proc.stdout.readline()
    while line.startswith("COMMIT "):  # the migration check commits before the import
        line = proc.stdout.readline()
    if not line.startswith("FLUSH"):
        proc.kill()
        pytest.fail(f"the import did not reach flush {kill_at}: {line!r}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return line


def _kill_points(total: int, most: int) -> list[int]:
    """Every flush when there are few; else `most` spread from the first to the last."""
    if total <= most:
        return list(range(1, total + 1))
    step = (total - 1) / (most - 1)
    return sorted({1 + round(i * step) for i in range(most)})


def _check_kills(
    fresh: Callable[[], str], engine_of: Callable[[str], Engine], tmp_path: Path, most: int
) -> tuple[int, int]:
    """Kill the import at its flush points; return (flushes of a full import, kills made)."""
    import_file = _edited_base(tmp_path)
    url = fresh()
    before = _state(engine_of(url))
    out = _run_child(url, import_file, 0)
    commits = [line for line in out.splitlines() if line.startswith("COMMIT ")]
    total = int(commits[-1].split()[2])
    after = _state(engine_of(url))
    assert len(after[0]) == len(before[0]) + 1, "the import stores the new version"
    points = _kill_points(total, most)
    for point in points:
        url = fresh()
        _run_child(url, import_file, point)
        assert _state(engine_of(url)) == before, f"half-written import after kill at {point}"
    return total, len(points)


# --------------------------------------------------------------------------- SQLite


@pytest.fixture
def sqlite_template(tmp_path: Path) -> Path:
    path = tmp_path / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with session_scope(engine) as session:
        checklists.sync_shipped(session, SYSTEM)
    engine.dispose()
    return path


def test_a_killed_checklist_import_leaves_nothing_on_sqlite(
    sqlite_template: Path, tmp_path: Path
) -> None:
    engines: dict[str, Engine] = {}

    def fresh() -> str:
        target = tmp_path / f"kill-{uuid.uuid4().hex[:8]}.db"
        target.write_bytes(sqlite_template.read_bytes())
        return f"sqlite:///{target}"

    def engine_of(url: str) -> Engine:
        if url not in engines:
            engines[url] = make_engine(url)
        return engines[url]

    total, kills = _check_kills(fresh, engine_of, tmp_path, most=8)
    for engine in engines.values():
        engine.dispose()
    assert total >= 2 and kills >= 2  # a version and its change log, each a flush


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def pg_admin() -> Iterator[tuple[Engine, str, list[str]]]:
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 men TEST_POSTGRES_URL är inte satt")
        pytest.skip("TEST_POSTGRES_URL är inte satt (ingen PostgreSQL-server för testet)")
    admin = make_engine(base)
    created: list[str] = []
    yield admin, base, created
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in created:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_a_killed_checklist_import_leaves_nothing_on_postgres(
    pg_admin: tuple[Engine, str, list[str]], tmp_path: Path
) -> None:
    admin, base, created = pg_admin
    engines: dict[str, Engine] = {}
    template = f"audit_tpl_{uuid.uuid4().hex[:8]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{template}"'))
    created.append(template)
    tpl_engine = make_engine(base.rsplit("/", 1)[0] + f"/{template}")
    migrate(tpl_engine)
    with session_scope(tpl_engine) as session:
        checklists.sync_shipped(session, SYSTEM)
    tpl_engine.dispose()

    def fresh() -> str:
        name = f"audit_kill_{uuid.uuid4().hex[:8]}"
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        created.append(name)
        return base.rsplit("/", 1)[0] + f"/{name}"

    def engine_of(url: str) -> Engine:
        if url not in engines:
            engines[url] = make_engine(url)
        return engines[url]

    try:
        total, kills = _check_kills(fresh, engine_of, tmp_path, most=4)
    finally:
        for engine in engines.values():
            engine.dispose()
    assert total >= 2 and kills >= 2  # a version and its change log, each a flush


# --------------------------------------------------------------------------- in-process


class Boom(Exception):
    """Raised at a chosen flush to stand for a crash in the middle of a save."""


def _fail_at_flush(n: int) -> Callable[..., None]:
    seen = {"count": 0}

    def listener(_session: Session, _context: object) -> None:
        seen["count"] += 1
        if seen["count"] == n:
            raise Boom

    return listener


def _rows(engine: Engine) -> tuple[int, int, int, int]:
    with Session(engine) as session:
        return (
            len(session.exec(select(Contract)).all()),
            len(session.exec(select(ContractUnit)).all()),
            len(session.exec(select(Requirement)).all()),
            len(session.exec(select(ChangeLog)).all()),
        )


def test_contract_with_units_and_requirements_are_saved_whole_or_not_at_all(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        contractor = registers.save_contractor(
            session, REVISOR, registers.ContractorInput("Vega Omsorg AB", "556782-3413")
        )
        units = [
            registers.save_unit(
                session,
                REVISOR,
                registers.UnitInput(contractor.id, name, registers.UnitKind.hemtjanst),
            ).id
            for name in ("Norr", "Söder")
        ]
    before = _rows(engine)
    data = registers.ContractInput(
        "VOF 2026/12", "Hemtjänst", contractor.id, date(2026, 1, 1), date(2027, 12, 31), units
    )
    rows = [registers.RequirementInput(f"5.{i}", f"Krav nummer {i}") for i in range(1, 6)]
    for point in (1, 2, 3):
        listener = _fail_at_flush(point)
        event.listen(Session, "after_flush", listener)
        try:
            with pytest.raises(Boom), session_scope(engine) as session:
                contract = registers.save_contract(session, REVISOR, data)
                registers.save_requirements(session, REVISOR, contract.id, rows)
        finally:
            event.remove(Session, "after_flush", listener)
        assert _rows(engine) == before, f"half-written contract after a crash at flush {point}"
    with session_scope(engine) as session:
        contract = registers.save_contract(session, REVISOR, data)
        registers.save_requirements(session, REVISOR, contract.id, rows)
    contracts, links, requirements, _ = _rows(engine)
    assert (contracts, links, requirements) == (before[0] + 1, before[1] + 2, before[2] + 5)
