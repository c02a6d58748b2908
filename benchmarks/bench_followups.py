"""Saving one answer on a database with 1,000 follow-ups; opening the conduct page of 60 items."""

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlmodel import Session

from audit_app.auth import Actor
from audit_app.db import make_engine, migrate, sqlite_pragma
from audit_app.demo import seed_demo
from audit_app.models import FollowUp, FollowUpStatus, Result, Role
from audit_app.services import followups
from benchmarks.scale import grow

REVISOR = Actor("revisor", "Karin Ek", Role.revisor)
RESULTS = [Result.uppfyllt, Result.delvis_uppfyllt, Result.ej_uppfyllt, Result.uppfyllt]


def _ongoing(session: Session) -> FollowUp:
    ongoing = session.query(FollowUp).filter(FollowUp.status == FollowUpStatus.pagar).first()  # type: ignore[arg-type]
    assert ongoing is not None
    return ongoing


def _save_times(url: str, n: int) -> list[float]:
    engine = make_engine(url)
    times = []
    with Session(engine) as session:
        f = _ongoing(session)
        keys = [i["key"] for i in f.agenda if i.get("answer", "bedomning") == "bedomning"]
        fid = f.id
    for i in range(n):
        key = keys[i % len(keys)]
        started = time.perf_counter()
        with Session(engine) as session:  # one unit of work per answer, as the page does
            followups.save_assessment(
                session, REVISOR, fid, key, result=RESULTS[i % 4], comment=f"Kommentar {i}"
            )
            session.commit()
        times.append(time.perf_counter() - started)
    engine.dispose()
    return times


def _conduct_page_time(url: str) -> tuple[float, int]:
    import os

    from streamlit.testing.v1 import AppTest

    import audit_app.ui

    os.environ["DATABASE_URL"] = url
    audit_app.ui.engine.clear()
    engine = make_engine(url)
    with Session(engine) as session:
        f = _ongoing(session)
        # pad the requirements section to 60 items, as a long SKA-krav list would be
        agenda = list(f.agenda)
        section = [i for i in agenda if i.get("section_key") == "ska-krav"]
        n = 0
        while len(section) < 60:
            extra = dict(section[n % len(section)])
            extra["key"] = f"extra-{n}"
            section.append(extra)
            agenda.insert(agenda.index(section[0]) + len(section) - 1, extra)
            n += 1
        f.agenda = agenda
        session.add(f)
        session.commit()
        fid, items = f.id, len(section)

    def script(fid: str) -> None:
        import uuid

        import streamlit as st
        from sqlmodel import select

        from audit_app.models import User
        from audit_app.ui import db
        from audit_app.views import followup

        with db() as session:
            user = session.exec(select(User).where(User.username == "revisor")).one()
            st.session_state["auth.user"] = {
                "id": str(user.id),
                "username": user.username,
                "display_name": user.display_name,
                "role": user.role.value,
            }

        followup.render(uuid.UUID(fid))

    at = AppTest.from_function(script, args=(str(fid),), default_timeout=60)
    at.run()  # warm-up: imports, first connection
    # open the tab holding the requirements, where all 60 items are drawn
    at.session_state["flik"] = next(t.label for t in at.tabs if t.label.startswith("3."))
    at.run()
    assert len(at.radio) >= 50, len(at.radio)
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        at.run()
        runs.append(time.perf_counter() - started)
    assert not at.exception, at.exception
    return statistics.median(runs), items


def run(quick: bool) -> list[dict[str, Any]]:
    target = 200 if quick else 1000
    with tempfile.TemporaryDirectory() as tmp:
        small = f"sqlite:///{Path(tmp) / 'small.db'}"
        big = f"sqlite:///{Path(tmp) / 'big.db'}"
        engine = make_engine(small)
        migrate(engine)
        with Session(engine) as session:
            seed_demo(session)
            session.commit()
        with engine.connect() as conn:
            sqlite_pragma(conn, "PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        Path(tmp, "big.db").write_bytes(Path(tmp, "small.db").read_bytes())
        big_engine = make_engine(big)
        total = grow(big_engine, target)
        big_engine.dispose()
        small_times = _save_times(small, 100)
        big_times = _save_times(big, 200)
        page_s, items = _conduct_page_time(big)
    small_ms = statistics.median(small_times) * 1000
    big_ms = statistics.median(big_times) * 1000
    p95 = statistics.quantiles(big_times, n=20)[18] * 1000
    return [
        {
            "name": f"save_answer_median_{total}_followups",
            "value": round(big_ms, 2),
            "unit": "ms",
            "target": "< 50 ms",
            "ok": big_ms < 50,
        },
        {
            "name": f"save_answer_p95_{total}_followups",
            "value": round(p95, 2),
            "unit": "ms",
            "target": "< 50 ms",
            "ok": p95 < 50,
        },
        {
            "name": "save_answer_ratio_big_vs_demo_db",
            "value": round(big_ms / small_ms, 2),
            "unit": "x",
            "target": "< 3x",
            "ok": big_ms / small_ms < 3,
        },
        {
            "name": f"conduct_page_apptest_{items}_items",
            "value": round(page_s, 3),
            "unit": "s",
            "target": "< 1 s",
            "ok": page_s < 1,
        },
    ]
