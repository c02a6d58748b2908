"""Period reports: both variants of the tjänsteskrivelse, the yearly contribution, quarters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from audit_app.errors import UserError
from audit_app.services.documents import filenames
from audit_app.services.documents.period import period_label, quarter_bounds
from audit_app.services.documents.registry import COMMITTEE_TEMPLATE, YEARLY_TEMPLATE
from audit_app.services.documents.sample import committee_sample, yearly_sample
from audit_app.services.documents.templates import render_template
from tests.unit.documents.docx_reading import text_of


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_sample_reports_render_both_committee_variants() -> None:
    single = text_of(render_template(COMMITTEE_TEMPLATE, committee_sample()))
    for heading in ("Förslag till beslut", "Genomförda uppföljningar", "Resultat per område"):
        assert heading in single
    yearly = text_of(render_template(YEARLY_TEMPLATE, yearly_sample()))
    for heading in ("Egenkontroller", "Namn på egenkontroll", "Metod", "Omfattning", "Frekvens"):
        assert heading in yearly


def test_quarter_bounds() -> None:
    assert quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_label(date(2026, 4, 1), date(2026, 6, 30)) == "kvartal 2 2026"
    with pytest.raises(UserError):
        quarter_bounds(2026, 5)
    assert filenames.period_filename(date(2026, 4, 1), date(2026, 6, 30)) == (
        "Sammanstallning-uppfoljningar-kvartal-2-2026.docx"
    )
