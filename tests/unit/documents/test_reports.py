"""Period reports: both variants of the tjänsteskrivelse, the yearly contribution, quarters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from audit_app.errors import UserError
from audit_app.services.documents import filenames
from audit_app.services.documents.period import period_label, quarter_bounds
from audit_app.services.documents.registry import (
    COMMITTEE_TEMPLATE,
    QUARTERLY_TEMPLATE,
    YEARLY_TEMPLATE,
)
from audit_app.services.documents.sample import committee_sample, quarterly_sample, yearly_sample
from audit_app.services.documents.templates import render_template
from tests.unit.documents.docx_reading import text_of


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_the_sample_reports_have_their_sections() -> None:
    single = text_of(render_template(COMMITTEE_TEMPLATE, committee_sample())).splitlines()
    for heading in (
        "Förslag till beslut",
        "Sammanfattning",
        "Ärendet",
        "Bedömning",
        "Beslutsunderlag",
        "Sändlista",
    ):
        assert heading in single
    quarter = text_of(render_template(QUARTERLY_TEMPLATE, quarterly_sample())).splitlines()
    assert "Rapport till kvalitetsrådet" in quarter and "Förslag till beslut" not in quarter
    yearly = text_of(render_template(YEARLY_TEMPLATE, yearly_sample())).splitlines()
    # the sections of the municipality's template (seed 003) the record can fill
    for heading in (
        "Uppföljning av verksamhet på entreprenad",
        "Resultat av uppföljningarna",
        "Avvikelser",
        "Rapporteringsskyldighet",
        "Klagomål och synpunkter",
        "Förbättrande åtgärder",
        "Namn",
        "Metod",
        "Omfattning",
        "Frekvens",
    ):
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
