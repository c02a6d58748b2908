"""The scale data generator: the same seed gives the same municipality; its rows obey the rules
the overview counts by (every action's finding and follow-up exist, re-checks follow their
meeting)."""

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, text

from audit_app.db import make_engine, migrate
from benchmarks.generate import generate

TODAY = date(2026, 10, 20)


def _fresh(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    return engine


def _ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [str(r[0]) for r in conn.execute(text("SELECT id FROM followup ORDER BY id"))]


def test_the_same_seed_gives_the_same_municipality(tmp_path: Path) -> None:
    one, two = _fresh(tmp_path / "a.db"), _fresh(tmp_path / "b.db")
    counts = generate(one, 2, 3, 6, seed=5, today=TODAY)
    assert counts == generate(two, 2, 3, 6, seed=5, today=TODAY)
    assert _ids(one) == _ids(two)
    assert counts["unit"] == 6 and counts["contractor"] == 3
    assert counts["assessment"] > 50 * counts["followup"] // 2
    with one.connect() as conn:
        late_recheck = conn.execute(
            text(
                "SELECT count(*) FROM followup r JOIN followup m ON m.id = r.previous_id "
                "WHERE r.kind = 'ateruppfoljning' AND r.planned_date < m.planned_date"
            )
        ).scalar()
        assert late_recheck == 0
    three = _fresh(tmp_path / "c.db")
    generate(three, 2, 3, 6, seed=6, today=TODAY)
    assert _ids(three) != _ids(one)
