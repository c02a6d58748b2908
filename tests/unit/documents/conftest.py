"""Fixtures of the document tests: a private demo database per module, no uploaded templates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from audit_app.db import make_engine


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
