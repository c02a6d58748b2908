"""The overview on a ten-year municipality (benchmarks/generate.py): overview data, the ratio
ten years / one year (same run), the page rendered by AppTest, the action register filtered,
the year's proposals. On SQLite always; on PostgreSQL when BENCH_POSTGRES_URL or
TEST_POSTGRES_URL names a server (a database is created for the run and dropped after)."""

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.db import make_engine, migrate
from audit_app.models import Role
from audit_app.services import overview as overview_service
from benchmarks.generate import generate

CHEF = Actor("chef", "Lars Berg", Role.forvaltningschef)
SEED = 1


def _median_ms(fn: Callable[[], object], runs: int = 7) -> float:
    fn()  # warm-up: first connection, statement caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _overview_pair(one: Engine, ten: Engine, today: date, runs: int = 15) -> tuple[float, float]:
    """The overview on one year and on ten, measured in turns so a busy machine slows both."""
    with Session(one) as s1, Session(ten) as s10:
        overview_service.unit_overview(s1, CHEF, today=today)
        overview_service.unit_overview(s10, CHEF, today=today)
        times: dict[int, list[float]] = {1: [], 10: []}
        for _ in range(runs):
            for years, session in ((1, s1), (10, s10)):
                started = time.perf_counter()
                overview_service.unit_overview(session, CHEF, today=today)
                times[years].append(time.perf_counter() - started)
    return statistics.median(times[1]) * 1000, statistics.median(times[10]) * 1000


def _figures(engine: Engine, today: date) -> dict[str, float]:
    with Session(engine) as session:
        contractor = overview_service.unit_overview(session, CHEF, today=today)[0].contractor_id
        overdue = overview_service.ActionFilter(overdue=True)
        by_contractor = overview_service.ActionFilter(
            statuses=list(overview_service.OPEN_FILTER.statuses), contractor_id=contractor
        )
        return {
            "register_overdue": _median_ms(
                lambda: overview_service.action_register(session, CHEF, overdue, today=today)
            ),
            "register_contractor": _median_ms(
                lambda: overview_service.action_register(session, CHEF, by_contractor, today=today)
            ),
            "proposals": _median_ms(
                lambda: overview_service.propose_year(session, today.year + 1, today=today)
            ),
            "trend": _median_ms(
                lambda: overview_service.contractor_trend(session, CHEF, contractor, today=today)
            ),
        }


def _page_seconds(url: str, units: int) -> float:
    """The overview page as the chef sees it, rendered by AppTest (median of five reruns)."""
    from streamlit.testing.v1 import AppTest

    import audit_app.ui

    os.environ["DATABASE_URL"] = url
    audit_app.ui.engine.clear()

    def script() -> None:
        import streamlit as st

        from audit_app.ui import db
        from audit_app.views import overview

        with db() as session:
            from sqlmodel import select

            from audit_app.models import User

            user = session.exec(select(User).where(User.username == "chef")).one()
            st.session_state["auth.user"] = {
                "id": str(user.id),
                "username": "chef",
                "display_name": user.display_name,
                "role": "forvaltningschef",
            }
        overview.render()

    at = AppTest.from_function(script, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert at.get("html"), "the overview table is drawn"
    assert int(next(m.value for m in at.metric if m.label == "Enheter")) == units
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        at.run()
        runs.append(time.perf_counter() - started)
    assert not at.exception, at.exception
    audit_app.ui.engine.clear()
    return statistics.median(runs)


@contextmanager
def _postgres_database(base: str) -> Iterator[str]:
    admin = make_engine(base)
    name = f"audit_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _build(url: str, years: int, size: tuple[int, int], today: date) -> tuple[Engine, dict]:
    engine = make_engine(url)
    migrate(engine)
    started = time.perf_counter()
    counts = generate(engine, years, size[0], size[1], SEED, today)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    if url.startswith("postgresql"):  # as autovacuum would soon after a bulk load
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return engine, counts  # SQLite: no ANALYZE, as the app never runs one


def _rows(
    db: str, pair: tuple[float, float], ten: dict, counts: dict, page_s: float | None
) -> list[dict]:
    label = f"{counts['followup']} uppf., {counts['assessment']} bed., {counts['action']} åtg."
    one_ms, ten_ms = pair
    ratio = ten_ms / one_ms
    rows = [
        _row(f"{db}: data size ({label})", counts["seconds"], "s gen", "info", True),
        _row(f"{db}: overview data, 10 years", ten_ms, "ms", "< 300 ms", ten_ms < 300),
        _row(f"{db}: overview data, 1 year", one_ms, "ms", "info", True),
        _row(f"{db}: overview 10 years / 1 year", ratio, "x", "< 2x", ratio < 2),
        _row(f"{db}: action register, overdue", ten["register_overdue"], "ms", "< 300 ms", ten["register_overdue"] < 300),
        _row(f"{db}: action register, one contractor", ten["register_contractor"], "ms", "< 300 ms", ten["register_contractor"] < 300),
        _row(f"{db}: planning proposals, next year", ten["proposals"], "ms", "< 300 ms", ten["proposals"] < 300),
        _row(f"{db}: contractor trend, 10 years", ten["trend"], "ms", "< 300 ms", ten["trend"] < 300),
    ]  # fmt: skip
    if page_s is not None:
        rows.append(
            _row(f"{db}: overview page (AppTest), 10 years", page_s, "s", "< 1.5 s", page_s < 1.5)
        )
    return rows


def _row(name: str, value: float, unit: str, target: str, ok: bool) -> dict[str, Any]:
    return {"name": name, "value": round(value, 2), "unit": unit, "target": target, "ok": ok}


def _measure(db: str, url_one: str, url_ten: str, size: tuple[int, int], today: date) -> list[dict]:
    one_engine, _ = _build(url_one, 1, size, today)
    ten_engine, counts = _build(url_ten, 10, size, today)
    pair = _overview_pair(one_engine, ten_engine, today)
    ten = _figures(ten_engine, today)
    one_engine.dispose()
    ten_engine.dispose()
    page_s = _page_seconds(url_ten, size[1])
    return _rows(db, pair, ten, counts, page_s)


def run(quick: bool) -> list[dict[str, Any]]:
    size = (10, 30) if quick else (60, 200)
    today = date.today()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += _measure(
            "SQLite",
            f"sqlite:///{Path(tmp) / 'one.db'}",
            f"sqlite:///{Path(tmp) / 'ten.db'}",
            size,
            today,
        )
    base = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")
    if base:
        with _postgres_database(base) as url_one, _postgres_database(base) as url_ten:
            rows += _measure("PostgreSQL", url_one, url_ten, size, today)
    return rows
