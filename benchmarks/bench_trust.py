"""Files from outside and backups: what the guard costs, the minutes with shipped and uploaded
templates, and a backup and restore of the demo database.

- guard: one small checklist workbook read in the app's process (as before) and through
  `read_upload` (checks + guarded child); a bare guarded call; a small schedule both ways.
- minutes of a normal avtalsuppföljning of the demo: rendered in-process as before, through
  `render_template` with the shipped, hash-verified template (in-process), and with the same
  template uploaded (guarded child).
- a year of schedules for 100 units (about 966,000 shifts, the staffing benchmark's files in
  benchmarks/.cache, written there if missing) read through the guard, xlsx and CSV: a real
  file of that size must pass the default limits (2,048 MB, 120 s).
- backup and restore of the demo database (SQLite) with its files; the same grown to 2,000
  follow-ups (copies of the demo's history, `benchmarks/scale.py`); and the demo database on
  PostgreSQL when TEST_POSTGRES_URL points at a server.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from audit_app.db import make_engine, migrate, sqlite_pragma
from audit_app.demo import seed_demo
from audit_app.models import FollowUp, FollowUpKind, FollowUpStatus
from audit_app.services import checklists
from audit_app.services.backup.run import restore_backup, write_backup
from audit_app.services.documents import templates
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.minutes import minutes_context
from audit_app.services.documents.registry import minutes_template
from audit_app.services.documents.render import render_docx
from audit_app.services.staffing import guarded, parsing
from audit_app.services.untrusted import guard
from benchmarks import bench_staffing
from benchmarks.scale import grow
from tests.pg import fresh_database
from tests.unit.checklists.fixtures import SMALL
from tests.unit.staffing.fixtures import write_xlsx_style_a


def _median_ms(call: Callable[[], Any], runs: int) -> float:
    call()  # warm-up (the fork server starts on the first guarded call)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _row(name: str, value: float, unit: str, target: str, ok: bool) -> dict[str, Any]:
    return {"name": name, "value": round(value, 1), "unit": unit, "target": target, "ok": ok}


def _guard_rows(runs: int, folder: Path) -> list[dict[str, Any]]:
    workbook = checklists.to_excel(checklists.load_yaml(SMALL))
    plain = _median_ms(lambda: checklists.read_excel(workbook, "lista.xlsx"), runs)
    guarded_read = _median_ms(lambda: checklists.read_upload(workbook, "lista.xlsx"), runs)
    bare = _median_ms(lambda: guard.run_guarded(guard._nothing, filename="x"), runs)
    schedule = write_xlsx_style_a(folder / "schema.xlsx").read_bytes()
    sched_plain = _median_ms(lambda: parsing.read_schedule(schedule, filename="s.xlsx"), runs)
    sched_guarded = _median_ms(lambda: guarded.read_schedule(schedule, filename="s.xlsx"), runs)
    return [
        _row("checklist workbook read in-process (before)", plain, "ms", "-", True),
        _row(
            "checklist workbook read through the guard",
            guarded_read,
            "ms",
            "< 150 ms",
            guarded_read < 150,
        ),
        _row(
            "guard overhead, small workbook",
            guarded_read - plain,
            "ms",
            "< 100 ms",
            guarded_read - plain < 100,
        ),
        _row("bare guarded call (fork, pipe, join)", bare, "ms", "< 50 ms", bare < 50),
        _row("small schedule read in-process", sched_plain, "ms", "-", True),
        _row(
            "small schedule read through the guard",
            sched_guarded,
            "ms",
            "< 200 ms",
            sched_guarded < 200,
        ),
    ]


def _large_schedule_rows(quick: bool) -> list[dict[str, Any]]:
    xlsx, csv, _rules, shifts, _seconds = bench_staffing.ensure_files(19 if quick else 365)
    rows = []
    for path in (xlsx, csv):
        data = path.read_bytes()
        started = time.perf_counter()
        schedule = guarded.read_schedule(data, filename=path.name)
        seconds = time.perf_counter() - started
        read = len(schedule.shifts)
        rows.append(
            _row(
                f"{shifts:,} shifts, {path.suffix[1:]} of {len(data) / 1024 / 1024:.0f} MB, "
                "read through the guard",
                seconds,
                "s",
                "read whole, < 60 s",
                read == shifts and seconds < 60,
            )
        )
    return rows


def _minutes_rows(session: Session, runs: int) -> list[dict[str, Any]]:
    followup = session.exec(
        select(FollowUp).where(
            FollowUp.kind == FollowUpKind.avtal, FollowUp.status == FollowUpStatus.justerad
        )
    ).first()
    assert followup is not None
    context = minutes_context(load_followup_data(session, followup))
    name = minutes_template(followup.kind)
    data = templates.template_bytes(name)
    before = _median_ms(lambda: render_docx(data, context), runs)
    shipped = _median_ms(lambda: templates.render_template(name, context), runs)
    uploaded = _median_ms(lambda: templates.render_guarded(name, data, context), runs)
    return [
        _row("minutes of an avtalsuppföljning, in-process (before)", before, "ms", "-", True),
        _row(
            "minutes, shipped template (hash-verified, in-process)",
            shipped,
            "ms",
            "< before + 10 ms",
            shipped < before + 10,
        ),
        _row(
            "minutes, uploaded template (guarded child)",
            uploaded,
            "ms",
            "< 1000 ms",
            uploaded < 1000,
        ),
    ]


def _backup_rows(folder: Path, url: str, label: str, target_url: str) -> list[dict[str, Any]]:
    """Back up the database at `url`, restore it into the empty one at `target_url`."""
    engine = make_engine(url)
    report = write_backup(engine, folder / "data", folder / f"kopia-{label}.zip")
    engine.dispose()
    target = make_engine(target_url)
    restored = restore_backup(target, folder / f"ny-{label}", folder / f"kopia-{label}.zip")
    target.dispose()
    assert restored.rows == report.rows
    return [
        _row(
            f"backup of {label} ({report.rows:,} rows)",
            report.seconds * 1000,
            "ms",
            "< 10 s",
            report.seconds < 10,
        ),
        _row(f"backup size, {label}", report.size / 1024 / 1024, "MB", "-", True),
        _row(
            f"restore of {label}",
            restored.seconds * 1000,
            "ms",
            "< 20 s",
            restored.seconds < 20,
        ),
    ]


def _postgres_rows(folder: Path) -> list[dict[str, Any]]:
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        return []
    with fresh_database(base) as (url, engine), fresh_database(base) as (target_url, _target):
        migrate(engine)
        with Session(engine) as session:
            seed_demo(session)
            session.commit()
        engine.dispose()
        return _backup_rows(folder, url, "the demo database on PostgreSQL", target_url)


def run(quick: bool) -> list[dict[str, Any]]:
    runs = 5 if quick else 30
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'demo.db'}"
        engine = make_engine(url)
        migrate(engine)
        with Session(engine) as session:
            seed_demo(session)
            session.commit()
            rows = _guard_rows(runs, folder)
            rows += _large_schedule_rows(quick)
            rows += _minutes_rows(session, 3 if quick else 10)
        with engine.connect() as conn:
            sqlite_pragma(conn, "PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        rows += _backup_rows(folder, url, "the demo database", f"sqlite:///{folder / 'ny.db'}")
        (folder / "stor.db").write_bytes((folder / "demo.db").read_bytes())
        big = make_engine(f"sqlite:///{folder / 'stor.db'}")
        total = grow(big, 300 if quick else 2000)
        big.dispose()
        rows += _backup_rows(
            folder,
            f"sqlite:///{folder / 'stor.db'}",
            f"{total:,} follow-ups",
            f"sqlite:///{folder / 'ny-stor.db'}",
        )
        rows += _postgres_rows(folder)
    return rows
