"""PDF through LibreOffice: sane page counts, and Swedish reasons when it cannot be made."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from audit_app.models import FollowUpKind
from audit_app.services.documents.minutes import minutes_context
from audit_app.services.documents.pdf import (
    PdfUnavailable,
    docx_to_pdf,
    pdf_unavailable_reason,
    soffice_path,
)
from audit_app.services.documents.registry import (
    COMMITTEE_TEMPLATE,
    YEARLY_TEMPLATE,
    minutes_template,
)
from audit_app.services.documents.sample import committee_sample, sample_data, yearly_sample
from audit_app.services.documents.templates import render_template
from tests.unit.documents.docx_reading import pdf_page_count, pdf_pages


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _need_soffice() -> None:
    if soffice_path() is None:
        if os.environ.get("REQUIRE_SOFFICE") == "1":
            pytest.fail("REQUIRE_SOFFICE=1 men LibreOffice (soffice) saknas.")
        pytest.skip("LibreOffice (soffice) är inte installerat")


@pytest.mark.soffice
def test_documents_convert_to_pdf_with_sane_page_counts(tmp_path: Path) -> None:
    _need_soffice()
    docs = {
        "minutes": (
            render_template(
                minutes_template(FollowUpKind.avtal),
                minutes_context(sample_data(FollowUpKind.avtal)),
            ),
            (1, 6),
        ),
        "committee": (render_template(COMMITTEE_TEMPLATE, committee_sample()), (1, 5)),
        "yearly": (render_template(YEARLY_TEMPLATE, yearly_sample()), (1, 6)),
    }
    for name, (content, (low, high)) in docs.items():
        pdf = docx_to_pdf(content)
        assert pdf[:5] == b"%PDF-"
        pages = pdf_pages(pdf, tmp_path)
        assert low <= pages <= high, (name, pages)
        assert pdf_page_count(pdf) == pages


def test_missing_soffice_gives_a_swedish_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_SOFFICE", "/finns/inte/soffice")
    reason = pdf_unavailable_reason()
    assert reason is not None and "LibreOffice" in reason
    with pytest.raises(PdfUnavailable, match="inte installerat"):
        docx_to_pdf(b"PK")


def test_soffice_that_exits_0_without_output_is_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 0\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("AUDIT_SOFFICE", str(fake))
    with pytest.raises(PdfUnavailable, match="kunde inte göra en PDF") as caught:
        docx_to_pdf(b"PK not really a docx")
    assert "could not be loaded" in caught.value.message
