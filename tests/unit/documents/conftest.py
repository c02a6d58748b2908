"""Fixtures of the document tests: demo databases (a copy per module, and one made on a fixed
day), no uploaded templates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.db import make_engine, migrate
from audit_app.demo import seed_demo


@pytest.fixture(scope="module")
def demo_engine(
    demo_template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A copy of the demo database shared by the tests of one module."""
    path = tmp_path_factory.mktemp("documents") / "demo.db"
    path.write_bytes(demo_template_db.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No template a developer uploaded locally may leak into these tests."""
    data = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUDIT_DATA_DIR", str(data))
        yield data


DEMO_TODAY = date(2026, 3, 16)
"""The day the fixed demo is made on (golden files and the every-document test)."""


@pytest.fixture(scope="session")
def fixed_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made as of DEMO_TODAY, so its documents read the same every run."""
    path = tmp_path_factory.mktemp("fixed-demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUDIT_DATA_DIR", str(tmp_path_factory.mktemp("fixed-demo-data")))
        with Session(engine) as session:
            seed_demo(session, today=DEMO_TODAY)
            session.commit()
    engine.dispose()
    return path
