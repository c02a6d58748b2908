"""The heat map of a staffing analysis (the picture in the minutes' point 2)."""

from __future__ import annotations

from datetime import date

from audit_app.services.staffing_picture import heatmap_cells, heatmap_png
from tests.unit.documents.fixtures import staffing_result


def test_heatmap_from_a_real_analysis() -> None:
    result = staffing_result(date(2026, 3, 2))
    rows, days, cells = heatmap_cells(result)
    assert len(days) == 14 and len(rows) == 6  # 2 sections x 3 periods
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
