"""The shipped templates' layout: one font family, columns wide enough for their headings'
words (measured), "Sida X av Y", a logo slot, and signatures kept with the text before them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image, ImageFont

from audit_app.services.documents import registry, templates
from audit_app.services.documents.logo import save_logo
from audit_app.services.documents.render import SIGNATURE_CAPTION, keep_signatures_with_text
from tests.conftest import ADMIN
from tests.unit.documents.docx_reading import SHIPPED_TEMPLATES, open_docx

BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
TWIPS_PER_MM = 1440 / 25.4
HEADER_PT = 9
NAMES = sorted(p.name for p in SHIPPED_TEMPLATES.glob("*.docx"))


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def parts(name: str) -> dict[str, str]:
    with zipfile.ZipFile(SHIPPED_TEMPLATES / name) as archive:
        return {
            n: archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if re.fullmatch(r"word/(styles|document|numbering|header\d*|footer\d*)\.xml", n)
        }


@pytest.mark.parametrize("name", NAMES)
def test_one_font_family(name: str) -> None:
    fonts: set[str] = set()
    for xml in parts(name).values():
        for attrs in re.findall(r"<w:rFonts ([^>]*)>", xml):
            fonts |= set(re.findall(r'w:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"', attrs))
        assert "Theme=" not in xml, name  # a theme font would win over the named one in Word
    assert fonts == {"Arial"}, (name, fonts)


@pytest.mark.skipif(not BOLD.is_file(), reason="DejaVu Sans Bold saknas")
@pytest.mark.parametrize("name", NAMES)
def test_every_heading_word_fits_its_column(name: str) -> None:
    """Measured in DejaVu Sans Bold (wider than Arial, and what LibreOffice uses without it)."""
    font = ImageFont.truetype(str(BOLD), 1000)
    doc = Document(str(SHIPPED_TEMPLATES / name))
    checked = 0
    for table in doc.tables:
        head = table.rows[0]
        if head._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None:
            continue  # not a data table with a heading row
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        margin = 2 * 80 / TWIPS_PER_MM
        for cell, twips in zip(head.cells, widths, strict=True):
            for word in cell.text.split():
                if "{{" in word:
                    continue
                needed = font.getlength(word) / 1000 * HEADER_PT * 25.4 / 72 + margin
                assert needed <= twips / TWIPS_PER_MM, (name, word, needed, twips / TWIPS_PER_MM)
                checked += 1
    assert checked > 0


@pytest.mark.parametrize("name", NAMES)
def test_page_x_of_y_and_a_logo_slot(name: str) -> None:
    xml = parts(name)
    footer = next(v for k, v in xml.items() if "footer" in k and "PAGE" in v)
    assert re.search(r"Sida .*PAGE.* av .*NUMPAGES", re.sub(r"<[^>]+>", "", footer))
    header = next(v for k, v in xml.items() if "header" in k and "kommun" in v)
    assert "{{ logo }}" in header


@pytest.mark.parametrize("name", NAMES)
def test_the_signatures_stay_with_the_text_before_them(name: str) -> None:
    rendered = open_docx(templates.sample_document(name))
    tables = [
        t
        for t in rendered.element.body.iter(qn("w:tbl"))
        if (c := t.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")) is not None
        and c.get(qn("w:val")) == SIGNATURE_CAPTION
    ]
    assert len(tables) == 1, name
    before = tables[0].getprevious()
    while before is not None and not "".join(t.text or "" for t in before.iter(qn("w:t"))):
        assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None, name
        before = before.getprevious()
    assert before is not None
    kept = before.findall(f".//{qn('w:keepNext')}")
    assert kept, (name, "the text before the signatures is not kept with them")


def test_keeping_works_after_a_table_too() -> None:
    doc = Document()
    doc.add_table(rows=2, cols=1)
    signatures = doc.add_table(rows=1, cols=2)
    caption = signatures._tbl.tblPr.makeelement(
        qn("w:tblCaption"), {qn("w:val"): SIGNATURE_CAPTION}
    )
    signatures._tbl.tblPr.append(caption)
    keep_signatures_with_text(doc.element.body)
    last_row = doc.tables[0].rows[-1]._tr
    assert last_row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    assert last_row.findall(f".//{qn('w:keepNext')}")


def test_an_uploaded_logo_is_in_every_header() -> None:
    image = io.BytesIO()
    Image.new("RGB", (300, 120), (31, 78, 121)).save(image, "PNG")
    save_logo(ADMIN, image.getvalue())
    for spec in registry.template_specs():
        rendered = open_docx(templates.sample_document(spec.filename))
        header = rendered.sections[0].header._element
        assert header.findall(f".//{qn('w:drawing')}"), spec.filename
        assert "{{" not in "".join(t.text or "" for t in header.iter(qn("w:t")))
