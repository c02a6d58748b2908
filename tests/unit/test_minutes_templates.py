"""Word templates: the shipped ones, upload with validation, reset, sandbox; PDF via LibreOffice."""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from audit_app.errors import PermissionDenied
from audit_app.models import FollowUpKind
from audit_app.services import documents as dc
from audit_app.services import minutes as mn
from audit_app.services import reports as rp
from tests.conftest import ADMIN, LASARE

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p.name for p in (ROOT / "templates").glob("*.docx"))


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    yield tmp_path / "data"


def edited_template(name: str, replace: dict[str, str]) -> bytes:
    """The shipped template with some paragraph texts changed, as an editor would in Word."""
    doc = Document(str(ROOT / "templates" / name))
    for p in doc.paragraphs:
        for old, new in replace.items():
            if old in p.text:
                for run in p.runs:
                    run.text = run.text.replace(old, new)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def text_of(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


# --------------------------------------------------------------------------- shipped templates


def test_every_registered_template_is_shipped_and_renders_its_sample() -> None:
    specs = dc.template_specs()
    assert sorted(s.filename for s in specs) == SHIPPED
    assert len(SHIPPED) == 6
    for spec in specs:
        rendered = dc.validate_template(spec.filename, dc.template_bytes(spec.filename))
        text = text_of(rendered)
        assert "{{" not in text and "{%" not in text, spec.filename


def test_the_build_script_rebuilds_the_same_templates(tmp_path: Path) -> None:
    """The committed .docx files come from templates/build_templates.py (same tags)."""
    copy = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", copy)
    for docx in copy.glob("*.docx"):
        docx.unlink()
    subprocess.run(
        [sys.executable, str(copy / "build_templates.py")], check=True, capture_output=True
    )
    for name in SHIPPED:
        with (
            zipfile.ZipFile(copy / name) as built,
            zipfile.ZipFile(ROOT / "templates" / name) as shipped,
        ):
            assert built.namelist() == shipped.namelist(), name
            for part in built.namelist():
                assert built.read(part) == shipped.read(part), (
                    f"{name} ({part}) differs from what templates/build_templates.py makes; "
                    "run the script and commit the .docx files"
                )


# --------------------------------------------------------------------------- upload


def test_uploaded_template_overrides_and_reset_restores(data_dir: Path) -> None:
    name = "minnesanteckningar_avtal.docx"
    ctx = mn.minutes_context(mn.sample_data(FollowUpKind.avtal))
    changed = edited_template(name, {"Närvarande": "Deltagare vid mötet"})
    dc.save_template(ADMIN, name, changed)
    assert dc.is_uploaded(name)
    assert (data_dir / "templates" / name).read_bytes() == changed
    lines = text_of(dc.render_docx(name, ctx)).splitlines()
    assert "Deltagare vid mötet" in lines and "Närvarande" not in lines
    # a second upload keeps the first one in history/
    dc.save_template(ADMIN, name, edited_template(name, {"Närvarande": "Närvarande vid mötet"}))
    assert len(list((data_dir / "templates" / "history").glob("*.docx"))) == 1
    dc.reset_template(ADMIN, name)
    assert not dc.is_uploaded(name)
    assert "Närvarande" in text_of(dc.render_docx(name, ctx)).splitlines()


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        ({"{%p endif %}": "{%p endfor %}"}, "tagg"),
        ({"{{ title }}": "{{ titel }}"}, "fältet 'titel' finns inte"),
        ({"{{ subtitle }}": "{{ subtitle }"}, "Mallen kan inte användas"),
        ({"{{ title }}": "{{ title.__class__.__mro__ }}"}, "inte är tillåtet"),
        ({"{{ title }}": "{% for x in 5 %}{{ x }}{% endfor %}"}, "Mallen kan inte"),
    ],
)
def test_broken_template_is_refused_and_old_one_kept(
    data_dir: Path, replace: dict[str, str], expected: str
) -> None:
    name = "minnesanteckningar_avtal.docx"
    good = edited_template(name, {"Närvarande": "Deltagare"})
    dc.save_template(ADMIN, name, good)
    with pytest.raises(dc.TemplateProblem) as caught:
        dc.save_template(ADMIN, name, edited_template(name, replace))
    assert expected in caught.value.message, caught.value.message
    assert "tidigare mallen används fortfarande" in caught.value.message
    assert (data_dir / "templates" / name).read_bytes() == good


def test_not_a_docx_is_refused(data_dir: Path) -> None:
    for junk in (b"%PDF-1.4 nonsense", b"PK\x03\x04 broken zip", b""):
        with pytest.raises(dc.TemplateProblem, match="Word-dokument"):
            dc.save_template(ADMIN, "tjansteskrivelse.docx", junk)
    assert not (data_dir / "templates" / "tjansteskrivelse.docx").exists()


def test_only_admin_uploads_and_unknown_names_are_refused() -> None:
    data = (ROOT / "templates" / "tjansteskrivelse.docx").read_bytes()
    with pytest.raises(PermissionDenied):
        dc.save_template(LASARE, "tjansteskrivelse.docx", data)
    with pytest.raises(dc.UserError, match="ingen dokumentmall"):
        dc.save_template(ADMIN, "annan.docx", data)


def test_translated_errors_name_the_place() -> None:
    name = "tjansteskrivelse.docx"
    bad = edited_template(name, {"Sammanfattning": "Sammanfattning {% if %}"})
    with pytest.raises(dc.TemplateProblem) as caught:
        dc.validate_template(name, bad)
    assert "Nära texten" in caught.value.message


# --------------------------------------------------------------------------- reports render


def test_sample_reports_render_both_committee_variants() -> None:
    single = text_of(dc.render_docx(mn.COMMITTEE_TEMPLATE, rp._committee_sample()))
    for heading in ("Förslag till beslut", "Genomförda uppföljningar", "Resultat per område"):
        assert heading in single
    yearly = text_of(dc.render_docx(rp.YEARLY_TEMPLATE, rp.yearly_context(rp.sample_period())))
    for heading in ("Egenkontroller", "Namn på egenkontroll", "Metod", "Omfattning", "Frekvens"):
        assert heading in yearly


def test_quarter_bounds() -> None:
    from datetime import date

    assert rp.quarter_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert rp.quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert rp.period_label(date(2026, 4, 1), date(2026, 6, 30)) == "kvartal 2 2026"
    with pytest.raises(dc.UserError):
        rp.quarter_bounds(2026, 5)


# --------------------------------------------------------------------------- PDF


def _need_soffice() -> None:
    if dc.soffice_path() is None:
        if os.environ.get("REQUIRE_SOFFICE") == "1":
            pytest.fail("REQUIRE_SOFFICE=1 men LibreOffice (soffice) saknas.")
        pytest.skip("LibreOffice (soffice) är inte installerat")


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    if shutil.which("pdfinfo"):
        path = tmp_path / "x.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        return int(next(ln for ln in out.stdout.splitlines() if ln.startswith("Pages:")).split()[1])
    return dc.pdf_page_count(pdf)


@pytest.mark.soffice
def test_documents_convert_to_pdf_with_sane_page_counts(tmp_path: Path) -> None:
    _need_soffice()
    docs = {
        "minutes": (
            dc.render_docx(
                mn.MINUTES_TEMPLATES[FollowUpKind.avtal],
                mn.minutes_context(mn.sample_data(FollowUpKind.avtal)),
            ),
            (1, 6),
        ),
        "committee": (dc.render_docx(mn.COMMITTEE_TEMPLATE, rp._committee_sample()), (1, 5)),
        "yearly": (
            dc.render_docx(rp.YEARLY_TEMPLATE, rp.yearly_context(rp.sample_period())),
            (1, 6),
        ),
    }
    for name, (content, (low, high)) in docs.items():
        pdf = dc.docx_to_pdf(content)
        assert pdf[:5] == b"%PDF-"
        pages = pdf_pages(pdf, tmp_path)
        assert low <= pages <= high, (name, pages)
        assert dc.pdf_page_count(pdf) == pages


def test_missing_soffice_gives_a_swedish_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_SOFFICE", "/finns/inte/soffice")
    reason = dc.pdf_unavailable_reason()
    assert reason is not None and "LibreOffice" in reason
    with pytest.raises(dc.PdfUnavailable, match="inte installerat"):
        dc.docx_to_pdf(b"PK")


def test_soffice_that_exits_0_without_output_is_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 0\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("AUDIT_SOFFICE", str(fake))
    with pytest.raises(dc.PdfUnavailable, match="kunde inte göra en PDF") as caught:
        dc.docx_to_pdf(b"PK not really a docx")
    assert "could not be loaded" in caught.value.message
