"""Minutes of a large follow-up: 120 agenda items, 40 findings, 100 actions, a staffing review.

Targets (issue 7): render under 1 s, file under 2 MB. The follow-up is the one the document tests
build (`tests/unit/documents/fixtures.py`), so the figures and the tests agree.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlmodel import Session

from audit_app.auth import SYSTEM
from audit_app.db import make_engine, migrate
from audit_app.services.documents.stored import minutes_document
from tests.unit.documents.fixtures import build_large_followup


def run(quick: bool) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate(engine)
        with Session(engine) as session:
            followup = build_large_followup(session)
            session.commit()
            minutes_document(session, SYSTEM, followup.id)  # warm-up: template cache of the OS
            times = []
            for _ in range(3 if quick else 7):
                started = time.perf_counter()
                content = minutes_document(session, SYSTEM, followup.id).content
                times.append(time.perf_counter() - started)
        engine.dispose()
    median = statistics.median(times)
    size_mb = len(content) / 1024 / 1024
    return [
        {
            "name": "minutes render (120 items, 40 findings, 100 actions)",
            "value": round(median, 3),
            "unit": "s",
            "target": "< 1 s",
            "ok": median < 1.0,
        },
        {
            "name": "minutes file size",
            "value": round(size_mb, 3),
            "unit": "MB",
            "target": "< 2 MB",
            "ok": size_mb < 2.0,
        },
    ]
