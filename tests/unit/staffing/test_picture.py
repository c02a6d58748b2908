"""The heat map picture for the minutes, drawn from a stored analysis."""

from pathlib import Path
from typing import Any

from audit_app.services.staffing.analysis import analyse
from audit_app.services.staffing.parsing import read_schedule
from audit_app.services.staffing.picture import heatmap_cells, heatmap_png
from audit_app.services.staffing.rules import load_rules
from tests.unit.staffing.fixtures import RULES_YAML, write_xlsx_style_a


def _stored_result(tmp_path: Path) -> dict[str, Any]:
    """The scenario's analysis as `store.save_analysis` keeps it."""
    result = analyse(read_schedule(write_xlsx_style_a(tmp_path / "s.xlsx")), load_rules(RULES_YAML))
    return result.to_json_dict() | {"periods": result.periods_records()}


def test_heatmap_from_a_real_analysis(tmp_path: Path) -> None:
    result = _stored_result(tmp_path)
    rows, days, cells = heatmap_cells(result)
    assert len(days) == 3 and len(rows) == 4  # 2 sections x 2 periods
    breached = {(b["section"], b["period"], b["date"]) for b in result["breaches"]}
    flagged = {
        (s, p, d.isoformat())
        for (s, p, d), c in cells.items()
        if c.staff_breach or c.competent_breach
    }
    assert flagged == breached
    png = heatmap_png(result)
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n"
    # without the per-period table the breaches alone are drawn
    only = {k: v for k, v in result.items() if k != "periods"}
    assert heatmap_png(only, {"sections": ["Avd Lärkan"], "periods": [{"name": "Dag"}]})
    assert heatmap_png({"breaches": []}) is None
