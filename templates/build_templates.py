"""Build the Word templates of this folder with python-docx.

    .venv/bin/python templates/build_templates.py          # writes templates/*.docx

The .docx files are the source of truth once the municipality has edited them in Word (logo,
headings, fonts); this script only makes the first version and can rebuild it, byte for byte.
Tags are docxtpl/Jinja: `{{ field }}`, `{%p if ... %}` on a paragraph of its own, `{%tr for ...
%}` in a table row of its own. The fields each template gets are listed in
`audit_app/services/documents/sample.py` (the sample contexts, one per template in registry.py).

Layout rules kept here: one font family (Arial; LibreOffice substitutes a metric twin or DejaVu
Sans), every table column wide enough for the longest word of its heading (checked when
building, measured with DejaVu Sans Bold, wider than Arial), "Sida X av Y" in the footer, the
logo slot `{{ logo }}` in the header's first cell, and the signature table marked
"Underskrifter" so rendering keeps it with what precedes it.
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from PIL import ImageFont

HERE = Path(__file__).resolve().parent

FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
ACCENT_HEX = "1F4E79"
HEADER_FILL = "DCE6F0"
RULE = "A6B4C3"
MUTED = RGBColor(0x59, 0x62, 0x6B)
CONTENT_MM = 165  # A4 210 mm minus 25 mm left and 20 mm right margin
TABLE_PT = 9
CELL_SIDE_TWIPS = 80
SIGNATURE_CAPTION = "Underskrifter"
"""The caption that marks the signature table (rendering keeps it with what precedes it)."""
MEASURE_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
)

Container = DocumentObject | _Cell


# --------------------------------------------------------------------------- low-level helpers


def _set_lang(element: OxmlElement, lang: str = "sv-SE") -> None:
    rpr = element
    node = OxmlElement("w:lang")
    node.set(qn("w:val"), lang)
    node.set(qn("w:eastAsia"), lang)
    rpr.append(node)


def _fonts(style_font: object, name: str) -> None:
    """Set the font of a style for every script (Word otherwise keeps Calibri for some)."""
    style_font.name = name  # type: ignore[attr-defined]
    rpr = style_font.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), name)


def _border(element: OxmlElement, tag: str, edges: dict[str, tuple[str, int]]) -> None:
    borders = OxmlElement(tag)
    for edge, (color, size) in edges.items():
        node = OxmlElement(f"w:{edge}")
        if size == 0:
            node.set(qn("w:val"), "nil")
        else:
            node.set(qn("w:val"), "single")
            node.set(qn("w:sz"), str(size))
            node.set(qn("w:space"), "0")
            node.set(qn("w:color"), color)
        borders.append(node)
    element.append(borders)


def _paragraph_rule(paragraph: Paragraph, edge: str = "bottom", color: str = ACCENT_HEX) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    _border(ppr, "w:pBdr", {edge: (color, 8)})


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a Word field (PAGE, NUMPAGES) as the begin/instr/separate/result/end runs."""

    def run_with(child: OxmlElement) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _no_table_borders(table: Table) -> None:
    tblpr = table._tbl.tblPr
    _border(
        tblpr,
        "w:tblBorders",
        {e: ("auto", 0) for e in ("top", "left", "bottom", "right", "insideH", "insideV")},
    )


def _data_table_borders(table: Table) -> None:
    tblpr = table._tbl.tblPr
    _border(
        tblpr,
        "w:tblBorders",
        {
            "top": (RULE, 4),
            "left": ("auto", 0),
            "bottom": (RULE, 4),
            "right": ("auto", 0),
            "insideH": (RULE, 4),
            "insideV": ("auto", 0),
        },
    )


def _cell_margins(table: Table, top: int = 40, bottom: int = 40, side: int = 80) -> None:
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge, value in (("top", top), ("left", side), ("bottom", bottom), ("right", side)):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:w"), str(value))
        node.set(qn("w:type"), "dxa")
        mar.append(node)
    tblpr.append(mar)


def _fixed_layout(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(width / 25.4 * 1440)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _repeat_header(row_element: OxmlElement) -> None:
    trpr = row_element.get_or_add_trPr()
    node = OxmlElement("w:tblHeader")
    trpr.append(node)
    cant = OxmlElement("w:cantSplit")
    trpr.append(cant)


def _cant_split(row_element: OxmlElement) -> None:
    trpr = row_element.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _keep_with_next(paragraph: Paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


# --------------------------------------------------------------------------- document


def _caption(table: Table, text: str) -> None:
    """Name a table (Word's alternative text title), e.g. the signature table."""
    node = OxmlElement("w:tblCaption")
    node.set(qn("w:val"), text)
    table._tbl.tblPr.append(node)


# --------------------------------------------------------------------------- column widths


def _measure_font() -> ImageFont.FreeTypeFont | None:
    for path in MEASURE_FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, 1000)
    return None


_FONT = _measure_font()


def word_mm(word: str, size_pt: float = TABLE_PT) -> float:
    """The width of a word in DejaVu Sans Bold at `size_pt` (wider than Arial), in mm."""
    if _FONT is None:
        return 0.0
    return _FONT.getlength(word) / 1000 * size_pt * 25.4 / 72


def check_widths(headers: list[str], widths: list[float]) -> None:
    """Refuse a table whose heading words do not fit their column (no word may break)."""
    margin = 2 * CELL_SIDE_TWIPS / 1440 * 25.4 + 0.5
    for text, width in zip(headers, widths, strict=True):
        if "{{" in text:
            continue
        for word in text.split():
            needed = word_mm(word) + margin
            if needed > width:
                raise SystemExit(
                    f"Kolumnen {text!r} är {width} mm men ordet {word!r} behöver {needed:.1f} mm"
                )
    if abs(sum(widths) - CONTENT_MM) > 0.01 and sum(widths) > CONTENT_MM:
        raise SystemExit(f"Tabellen {headers} är bredare än sidan ({sum(widths)} mm)")


# --------------------------------------------------------------------------- document


def new_document() -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(38), Mm(22)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)

    styles = doc.styles
    # One family everywhere: every style and the defaults under them name Arial, and no theme
    # font (Word prefers a theme font, Calibri, over a named one).
    for fonts in styles.element.iter(qn("w:rFonts")):
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    for lang in styles.element.iter(qn("w:lang")):  # Swedish spelling and hyphenation rules
        for attr in ("w:val", "w:eastAsia"):
            lang.set(qn(attr), "sv-SE")
    normal = styles["Normal"]
    _fonts(normal.font, FONT)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _set_lang(normal.element.get_or_add_rPr())

    for name, size, before, after in (
        ("Title", 17, 0, 4),
        ("Heading 1", 12.5, 14, 4),
        ("Heading 2", 11, 10, 3),
        ("Heading 3", 10.5, 8, 2),
    ):
        style = styles[name]
        _fonts(style.font, FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = ACCENT if name != "Heading 3" else RGBColor(0x22, 0x22, 0x22)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
        rpr = style.element.get_or_add_rPr()
        for child in rpr.findall(qn("w:u")):
            rpr.remove(child)
    title = styles["Title"]
    ppr = title.element.get_or_add_pPr()
    for child in ppr.findall(qn("w:pBdr")):
        ppr.remove(child)

    table_text = styles.add_style("Tabelltext", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    _fonts(table_text.font, FONT)
    table_text.font.size = Pt(TABLE_PT)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0

    table_head = styles.add_style("Tabellrubrik", WD_STYLE_TYPE.PARAGRAPH)
    table_head.base_style = table_text
    table_head.font.bold = True
    table_head.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)

    small = styles.add_style("Liten text", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    _fonts(small.font, FONT)
    small.font.size = Pt(8.5)
    small.font.color.rgb = MUTED
    small.paragraph_format.space_after = Pt(2)

    tag = styles.add_style("Malltagg", WD_STYLE_TYPE.PARAGRAPH)
    tag.base_style = normal
    tag.font.size = Pt(8)
    tag.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    tag.paragraph_format.space_after = Pt(0)

    subtitle = styles.add_style("Underrubrik", WD_STYLE_TYPE.PARAGRAPH)
    subtitle.base_style = normal
    _fonts(subtitle.font, FONT)
    subtitle.font.size = Pt(11)
    subtitle.font.color.rgb = MUTED
    subtitle.paragraph_format.space_after = Pt(10)

    bullet = styles["List Bullet"]
    _fonts(bullet.font, FONT)
    bullet.font.size = Pt(10.5)
    bullet.paragraph_format.space_after = Pt(2)
    for name in ("Header", "Footer"):
        _fonts(styles[name].font, FONT)
    return doc


def _run(paragraph: Paragraph, text: str, size: float, *, bold: bool = False, color=None) -> None:
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.font.bold = FONT, Pt(size), bold
    if color is not None:
        run.font.color.rgb = color


def header_footer(doc: DocumentObject, doc_type: str) -> None:
    """Logo slot above the kommun and förvaltning left; document type, date and dnr right; the
    footer with the kommun, dnr, version and "Sida X av Y"."""
    section = doc.sections[0]
    header = section.header
    header.is_linked_to_previous = False
    table = header.add_table(rows=1, cols=2, width=Mm(CONTENT_MM))
    _no_table_borders(table)
    _cell_margins(table, top=0, bottom=0, side=0)
    _fixed_layout(table, [100, 65])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.paragraph_format.space_after = Pt(2)
    # The logo slot: an uploaded logo is put here; or paste the logo over the tag in Word.
    _run(p, "{{ logo }}", 6, color=MUTED)
    p = left.add_paragraph()
    _run(p, "{{ kommun }}", 14, bold=True, color=ACCENT)
    p.paragraph_format.space_after = Pt(0)
    p = left.add_paragraph()
    _run(p, "{{ forvaltning }}", 9.5, color=MUTED)
    p.paragraph_format.space_after = Pt(0)

    lines = [
        (doc_type, True, 10.5, None),
        ("{{ datum }}", False, 9, None),
        ("{% if dnr %}Dnr {{ dnr }}{% endif %}", False, 9, None),
        ("{{ draft_text }}", True, 8.5, RGBColor(0xB0, 0, 0)),
    ]
    for index, (text, bold, size, color) in enumerate(lines):
        p = right.paragraphs[0] if index == 0 else right.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_after = Pt(0)
        _run(p, text, size, bold=bold, color=color)
    rule = header.paragraphs[0]
    # The header's own first paragraph sits before the table; use it as spacing after instead.
    header._element.remove(rule._p)
    after = header.add_paragraph()
    after.paragraph_format.space_after = Pt(0)
    _paragraph_rule(after, "top")

    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    _paragraph_rule(p, "top", RULE)
    # The Footer style has a centre tab at 82.55 mm; clear it so "Sida" goes to the right edge.
    p.paragraph_format.tab_stops.add_tab_stop(Mm(82.55), WD_TAB_ALIGNMENT.CLEAR)
    p.paragraph_format.tab_stops.add_tab_stop(Mm(165.1), WD_TAB_ALIGNMENT.CLEAR)
    p.paragraph_format.tab_stops.add_tab_stop(Mm(CONTENT_MM), WD_TAB_ALIGNMENT.RIGHT)
    text = (
        "{{ kommun }}{% if dnr %} · Dnr {{ dnr }}{% endif %}"
        "{% if version %} · Version {{ version }}{% endif %}"
        "{% if draft_text %} (utkast){% endif %}"
    )
    for part in (text, "\tSida "):
        _run(p, part, 8, color=MUTED)
    _field(p, "PAGE")
    _run(p, " av ", 8, color=MUTED)
    _field(p, "NUMPAGES")
    for run in p.runs:
        run.font.name, run.font.size = FONT, Pt(8)
        run.font.color.rgb = MUTED


def para(
    container: Container,
    text: str = "",
    style: str | None = None,
    *,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    keep: bool = False,
) -> Paragraph:
    p = container.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
    if align is not None:
        p.alignment = align
    if keep:
        _keep_with_next(p)
    return p


def tag(container: Container, text: str) -> Paragraph:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); removed when rendered."""
    return para(container, text, "Malltagg")


def heading(doc: DocumentObject, text: str, level: int = 1) -> Paragraph:
    return doc.add_paragraph(text, style=f"Heading {level}")


def bullets(doc: DocumentObject, loop: str, expr: str, *, keep: bool = False) -> None:
    tag(doc, f"{{%p for {loop} %}}")
    para(doc, f"{{{{ {expr} }}}}", "List Bullet", keep=keep)
    tag(doc, "{%p endfor %}")


def paragraphs(
    doc: DocumentObject, loop: str, expr: str, style: str | None = None, *, keep: bool = False
) -> None:
    tag(doc, f"{{%p for {loop} %}}")
    para(doc, f"{{{{ {expr} }}}}", style, keep=keep)
    tag(doc, "{%p endfor %}")


def data_table(
    doc: DocumentObject,
    headers: list[str],
    loop: str,
    cells: list[str | list[str]],
    widths: list[float],
    *,
    align_right: set[int] | None = None,
    together: bool = False,
) -> Table:
    """A table with a shaded header row (repeated on every page) and one row per item; a cell
    given as a list holds one paragraph per entry. A short table (`together`) is kept on one
    page: every row is kept with the next."""
    check_widths(headers, widths)
    align_right = align_right or set()
    table = doc.add_table(rows=4, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _data_table_borders(table)
    _cell_margins(table, side=CELL_SIDE_TWIPS)
    _fixed_layout(table, widths)
    head, loop_row, body, end_row = table.rows
    _repeat_header(head._tr)
    _cant_split(body._tr)
    for index, (cell, text) in enumerate(zip(head.cells, headers, strict=True)):
        _shade(cell, HEADER_FILL)
        p = cell.paragraphs[0]
        p.style = doc.styles["Tabellrubrik"]
        p.add_run(text)
        if index in align_right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    loop_row.cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    end_row.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for index, (cell, content) in enumerate(zip(body.cells, cells, strict=True)):
        texts = [content] if isinstance(content, str) else content
        for number, text in enumerate(texts):
            p = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
            p.style = doc.styles["Tabelltext"]
            p.add_run(text)
            if together:
                _keep_with_next(p)
            if index in align_right:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if together:
        for cell in head.cells:
            _keep_with_next(cell.paragraphs[0])
    for row in (loop_row, end_row):
        for cell in row.cells:
            cell.paragraphs[0].style = doc.styles["Tabelltext"]
    spacer = doc.add_paragraph(style="Malltagg")
    spacer.paragraph_format.space_after = Pt(4)
    return table


def kv_table(doc: DocumentObject, loop: str, label: str, value: str, widths: list[float]) -> Table:
    """Label/value rows without a header: the facts under a title."""
    table = doc.add_table(rows=3, cols=2)
    _no_table_borders(table)
    _cell_margins(table, top=20, bottom=20, side=0)
    _fixed_layout(table, widths)
    loop_row, body, end_row = table.rows
    loop_row.cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    end_row.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    p = body.cells[0].paragraphs[0]
    p.style = doc.styles["Tabelltext"]
    run = p.add_run(f"{{{{ {label} }}}}")
    run.bold = True
    run.font.size = Pt(9.5)
    p = body.cells[1].paragraphs[0]
    p.style = doc.styles["Tabelltext"]
    run = p.add_run(f"{{{{ {value} }}}}")
    run.font.size = Pt(9.5)
    doc.add_paragraph(style="Malltagg").paragraph_format.space_after = Pt(6)
    return table


def title_block(doc: DocumentObject) -> None:
    para(doc, "{{ title }}", "Title")
    tag(doc, "{%p if subtitle %}")
    para(doc, "{{ subtitle }}", "Underrubrik")
    tag(doc, "{%p endif %}")


def meta(doc: DocumentObject) -> None:
    kv_table(doc, "m in meta", "m.label", "m.value", [38, 127])


def participants(doc: DocumentObject) -> None:
    """Both sides in a table; at the committee's own check (no contractor) a list."""
    tag(doc, "{%p if participant_rows %}")
    heading(doc, "Närvarande", 1)
    data_table(
        doc,
        ["För kommunen", "För utföraren"],
        "p in participant_rows",
        ["{{ p.kommun }}", "{{ p.utforare }}"],
        [82.5, 82.5],
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if participant_list %}")
    heading(doc, "Närvarande", 1)
    bullets(doc, "p in participant_list", "p")
    tag(doc, "{%p endif %}")


def questions(doc: DocumentObject, expr: str, first: str = "Fråga") -> None:
    """The checklist questions of one agenda point with their answers."""
    tag(doc, f"{{%p if {expr} %}}")
    data_table(
        doc,
        [first, "Bedömning eller svar", "Kommentar"],
        f"q in {expr}",
        ["{{ q.text }}", "{{ q.answer }}", "{{ q.comment }}"],
        [78, 30, 57],
    )
    tag(doc, "{%p endif %}")


ACTION_PLAN_HEADERS = ["Avvikelse", "Åtgärd", "Ansvarig", "Klart senast", "Status"]
ACTION_PLAN_WIDTHS = [46, 44, 31, 22, 22]


def action_plan(doc: DocumentObject) -> None:
    tag(doc, "{%p if action_plan %}")
    data_table(
        doc,
        ACTION_PLAN_HEADERS,
        "a in action_plan",
        ["{{ a.finding }}", "{{ a.what }}", "{{ a.responsible }}", "{{ a.due }}", "{{ a.status }}"],
        ACTION_PLAN_WIDTHS,
    )
    tag(doc, "{%p endif %}")


def earlier_actions(doc: DocumentObject, loop: str, status: str, comment: str) -> None:
    """Earlier actions with the mark they got (point 1, återuppföljning)."""
    data_table(
        doc,
        ["Avvikelse", "Åtgärd, ansvarig, klart senast", status, comment],
        loop,
        [
            "{{ a.finding }}",
            ["{{ a.what }}", "{{ a.who_when }}"],
            "{{ a.status }}",
            "{{ a.comment }}",
        ],
        [50, 55, 26, 34],
    )


def findings_table(doc: DocumentObject, where: str = "Punkt eller område") -> None:
    tag(doc, "{%p if findings %}")
    data_table(
        doc,
        ["Typ", where, "Beskrivning"],
        "f in findings",
        ["{{ f.kind }}", "{{ f.where }}", "{{ f.text }}"],
        [35, 38, 92],
    )
    tag(doc, "{%p endif %}")


def counts_table(doc: DocumentObject, expr: str, what: str) -> None:
    data_table(
        doc,
        ["Bedömning", what],
        f"r in {expr}",
        ["{{ r.label }}", "{{ r.count }}"],
        [60, 40],
        align_right={1},
        together=True,
    )


def lines(doc: DocumentObject, expr: str, *, keep: bool = False) -> None:
    paragraphs(doc, f"line in {expr}", "line", keep=keep)


def sendlist(doc: DocumentObject, expr: str = "sendlist", title: str = "Sändlista") -> None:
    """The sändlista, kept together and with the signatures after it."""
    heading(doc, title, 2)
    bullets(doc, f"line in {expr}", "line", keep=True)


def signatures(doc: DocumentObject) -> None:
    """Two signatures (label, a line for the signature, name, title) in a table marked
    "Underskrifter", last in the document; rendering keeps it on the page of the text before
    it."""
    table = doc.add_table(rows=1, cols=2)
    _no_table_borders(table)
    _fixed_layout(table, [82.5, 82.5])
    _cant_split(table.rows[0]._tr)
    _caption(table, SIGNATURE_CAPTION)
    for cell, who in zip(table.rows[0].cells, ("recorder", "approver"), strict=True):
        p = cell.paragraphs[0]
        p.style = doc.styles["Heading 3"]
        p.paragraph_format.space_before = Pt(14)
        p.add_run(f"{{{{ {who}.label }}}}")
        p = cell.add_paragraph()
        p.paragraph_format.space_before = Pt(24)
        p.paragraph_format.space_after = Pt(0)
        p.add_run("_" * 34)
        p = cell.add_paragraph(style="Tabelltext")
        p.add_run(f"{{{{ {who}.name }}}}").font.size = Pt(10)
        p = cell.add_paragraph(style="Tabelltext")
        run = p.add_run(f"{{{{ {who}.role }}}}")
        run.font.size = Pt(9)
        run.font.color.rgb = MUTED
    # The justering in the app, under the one who justerade (part of the signature block).
    p = table.rows[0].cells[1].add_paragraph(style="Liten text")
    p.paragraph_format.space_before = Pt(4)
    p.add_run("{{ justerad_text }}")


def one_signature(doc: DocumentObject, who: str = "recorder") -> None:
    """One signature (a report written by one official)."""
    table = doc.add_table(rows=1, cols=2)
    _no_table_borders(table)
    _fixed_layout(table, [82.5, 82.5])
    _cant_split(table.rows[0]._tr)
    _caption(table, SIGNATURE_CAPTION)
    cell = table.rows[0].cells[0]
    p = cell.paragraphs[0]
    p.style = doc.styles["Heading 3"]
    p.paragraph_format.space_before = Pt(14)
    p.add_run(f"{{{{ {who}.label }}}}")
    p = cell.add_paragraph(style="Tabelltext")
    p.paragraph_format.space_before = Pt(6)
    p.add_run(f"{{{{ {who}.name }}}}").font.size = Pt(10)
    p = cell.add_paragraph(style="Tabelltext")
    run = p.add_run(f"{{{{ {who}.role }}}}")
    run.font.size = Pt(9)
    run.font.color.rgb = MUTED


def properties(doc: DocumentObject, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.subject = "{{ title }}"
    props.author = "{{ forvaltning }}"
    props.language = "sv-SE"
    props.comments = (
        "Mall för Revisionsstöd. Taggar: docxtpl/Jinja, se templates/build_templates.py. "
        "Logotyp: klistra in den i sidhuvudets första cell, i stället för taggen logo."
    )
    props.keywords = ""
    props.created = props.modified = datetime(2026, 1, 1)
    props.last_modified_by = "Revisionsstöd"
    props.revision = 1


PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)  # fmt: skip
TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription",
)  # fmt: skip


def _schema_order(root: OxmlElement) -> None:
    """Put the children of every pPr and tblPr in the order the schema (and Word) demands."""
    for tag_name, order in (("w:pPr", PPR_ORDER), ("w:tblPr", TBLPR_ORDER)):
        rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
        for props in root.iter(qn(tag_name)):
            children = list(props)
            children.sort(key=lambda c: rank.get(c.tag, len(rank)))
            for child in children:
                props.append(child)


def _bullets_in_the_font(doc: DocumentObject) -> None:
    """Bullets as "•" in Arial, not the Symbol font's private character (one family in PDFs)."""
    numbering = doc.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        fmt = level.find(qn("w:numFmt"))
        if fmt is None or fmt.get(qn("w:val")) != "bullet":
            continue
        text = level.find(qn("w:lvlText"))
        if text is not None:
            text.set(qn("w:val"), "•")
        for fonts in level.iter(qn("w:rFonts")):
            for attr in list(fonts.attrib):
                del fonts.attrib[attr]
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attr), FONT)


def finish(doc: DocumentObject, name: str, title: str) -> Path:
    properties(doc, title)
    _bullets_in_the_font(doc)
    for part in (
        doc.element,
        doc.styles.element,
        *(p._element for s in doc.sections for p in (s.header, s.footer)),
    ):
        _schema_order(part)
    # python-docx's default template starts with an empty section break setting; make sure
    # there is one section only.
    assert len(doc.sections) == 1, WD_SECTION
    path = HERE / name
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))
    return path


def _deterministic_zip(data: bytes) -> bytes:
    """The same bytes for the same content: fixed timestamps, so a rebuild is no git change."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- the templates


def minutes_avtal() -> Path:
    doc = new_document()
    header_footer(doc, "Minnesanteckningar")
    title_block(doc)
    meta(doc)
    participants(doc)

    heading(doc, "1. Genomgång av föregående minnesanteckningar")
    lines(doc, "point1.intro")
    tag(doc, "{%p if point1.actions %}")
    earlier_actions(doc, "a in point1.actions", "Status nu", "Kommentar")
    tag(doc, "{%p endif %}")
    questions(doc, "point1.questions")
    lines(doc, "point1.unassessed")

    heading(doc, "2. Aktuell personalsituation")
    lines(doc, "point2.intro")
    tag(doc, "{%p if point2.figures %}")
    data_table(
        doc,
        ["Nyckeltal", "Värde"],
        "k in point2.figures",
        ["{{ k.label }}", "{{ k.value }}"],
        [100, 65],
        align_right={1},
    )
    tag(doc, "{%p endif %}")
    lines(doc, "point2.judgement")
    tag(doc, "{%p if point2.breaches %}")
    heading(doc, "Pass under åtagandet", 3)
    data_table(
        doc,
        ["Datum", "Avdelning", "Pass", "Avser", "Krav", "I tjänst"],
        "b in point2.breaches",
        [
            "{{ b.date }}",
            "{{ b.section }}",
            "{{ b.period }}",
            "{{ b.kind }}",
            "{{ b.required }}",
            "{{ b.present }}",
        ],
        [32, 36, 20, 41, 16, 20],
        align_right={4, 5},
    )
    paragraphs(doc, "line in point2.breaches_note", "line", "Liten text")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if point2.heatmap %}")
    heading(doc, "Bemanning per pass och dag", 3)
    para(doc, "{{ point2.heatmap }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "{{ point2.heatmap_caption }}", "Liten text").paragraph_format.space_after = Pt(8)
    tag(doc, "{%p endif %}")
    questions(doc, "point2.questions")
    lines(doc, "point2.unassessed")

    heading(doc, "3. Genomgång av SKA-krav i avtalet samt avvikelser")
    lines(doc, "point3.intro")
    tag(doc, "{%p if point3.counts %}")
    counts_table(doc, "point3.counts", "Antal krav")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if point3.not_met %}")
    heading(doc, "Krav som inte är helt uppfyllda", 3)
    data_table(
        doc,
        ["Punkt", "Krav", "Bedömning", "Kommentar"],
        "r in point3.not_met",
        ["{{ r.clause }}", "{{ r.text }}", "{{ r.result }}", "{{ r.comment }}"],
        [16, 70, 26, 53],
    )
    tag(doc, "{%p elif point3.all_met %}")
    para(doc, "{{ point3.all_met }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if findings %}")
    heading(doc, "Avvikelser och förbättringsområden", 3)
    tag(doc, "{%p endif %}")
    findings_table(doc)
    questions(doc, "point3.questions")
    lines(doc, "point3.unassessed")

    heading(doc, "4. Åtgärdsplan och ny uppföljning")
    lines(doc, "point4.intro")
    action_plan(doc)
    questions(doc, "point4.questions")
    lines(doc, "point4.unassessed")

    tag(doc, "{%p if other_notes %}")
    heading(doc, "Övrigt")
    lines(doc, "other_notes")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if next_lines %}")
    heading(doc, "Nästa uppföljning", 2)
    lines(doc, "next_lines", keep=True)
    tag(doc, "{%p endif %}")
    sendlist(doc)
    signatures(doc)
    return finish(doc, "minnesanteckningar_avtal.docx", "Minnesanteckningar – uppföljning av avtal")


def minutes_generic() -> Path:
    """Ledningssystem, särskilt riktad uppföljning and kontroll av biståndsärenden."""
    doc = new_document()
    header_footer(doc, "{{ doc_type }}")
    title_block(doc)
    meta(doc)
    participants(doc)
    heading(doc, "Bakgrund och syfte")
    lines(doc, "intro")
    tag(doc, "{%p for s in sections %}")
    heading(doc, "{{ s.title }}")
    tag(doc, "{%p if s.description %}")
    para(doc, "{{ s.description }}", keep=True)
    tag(doc, "{%p endif %}")
    data_table(
        doc,
        ["{{ s.item_header }}", "Bedömning eller svar", "Kommentar"],
        "q in s.rows",
        ["{{ q.text }}", "{{ q.answer }}", "{{ q.comment }}"],
        [78, 30, 57],
    )
    tag(doc, "{%p endfor %}")
    heading(doc, "Sammanfattande bedömning")
    lines(doc, "summary")
    tag(doc, "{%p if counts %}")
    counts_table(doc, "counts", "Antal")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if finding_groups %}")
    heading(doc, "Avvikelser och förbättringsområden")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for g in finding_groups %}")
    tag(doc, "{%p if g.unit %}")
    heading(doc, "{{ g.unit }}", 3)
    tag(doc, "{%p endif %}")
    data_table(
        doc,
        ["Typ", "Punkt eller område", "Beskrivning"],
        "f in g.rows",
        ["{{ f.kind }}", "{{ f.where }}", "{{ f.text }}"],
        [35, 38, 92],
    )
    tag(doc, "{%p endfor %}")
    heading(doc, "Åtgärdsplan och fortsatt uppföljning")
    para(doc, "{{ no_action_plan_text }}")
    action_plan(doc)
    lines(doc, "next_lines", keep=True)
    sendlist(doc)
    signatures(doc)
    return finish(doc, "minnesanteckningar_uppfoljning.docx", "Minnesanteckningar – uppföljning")


def report_kvalitetsrevision() -> Path:
    doc = new_document()
    header_footer(doc, "Revisionsrapport")
    title_block(doc)
    meta(doc)
    participants(doc)
    heading(doc, "1. Syfte")
    lines(doc, "purpose")
    heading(doc, "2. Metod")
    lines(doc, "method")
    heading(doc, "3. Iakttagelser per område")
    tag(doc, "{%p for s in sections %}")
    heading(doc, "{{ s.title }}", 2)
    tag(doc, "{%p if s.description %}")
    para(doc, "{{ s.description }}", keep=True)
    tag(doc, "{%p endif %}")
    data_table(
        doc,
        ["Granskningspunkt", "Bedömning", "Iakttagelse"],
        "q in s.rows",
        ["{{ q.text }}", "{{ q.answer }}", "{{ q.comment }}"],
        [75, 28, 62],
    )
    tag(doc, "{%p endfor %}")
    heading(doc, "4. Bedömning")
    lines(doc, "summary")
    counts_table(doc, "counts", "Antal granskningspunkter")
    heading(doc, "5. Förbättringsområden")
    tag(doc, "{%p if findings %}")
    findings_table(doc, "Område")
    tag(doc, "{%p else %}")
    para(doc, "{{ no_findings_text }}")
    tag(doc, "{%p endif %}")
    heading(doc, "6. Förslag")
    tag(doc, "{%p if not action_plan %}")
    para(doc, "{{ no_action_plan_text }}")
    tag(doc, "{%p endif %}")
    action_plan(doc)
    lines(doc, "next_lines", keep=True)
    sendlist(doc)
    signatures(doc)
    return finish(doc, "rapport_kvalitetsrevision.docx", "Rapport – kvalitetsrevision")


def minutes_recheck() -> Path:
    doc = new_document()
    header_footer(doc, "Minnesanteckningar")
    title_block(doc)
    meta(doc)
    participants(doc)
    heading(doc, "1. Bakgrund")
    lines(doc, "intro")
    heading(doc, "2. Uppföljda åtgärder")
    tag(doc, "{%p if rechecked %}")
    earlier_actions(doc, "a in rechecked", "Resultat", "Underlag")
    data_table(
        doc,
        ["Resultat", "Antal åtgärder"],
        "r in counts",
        ["{{ r.label }}", "{{ r.count }}"],
        [60, 40],
        align_right={1},
        together=True,
    )
    tag(doc, "{%p else %}")
    para(doc, "Det fanns inga åtgärder att följa upp.")
    tag(doc, "{%p endif %}")
    questions(doc, "questions")
    heading(doc, "3. Bedömning och fortsatt uppföljning")
    lines(doc, "summary")
    tag(doc, "{%p if findings %}")
    heading(doc, "Nya avvikelser och förbättringsområden", 3)
    tag(doc, "{%p endif %}")
    findings_table(doc)
    tag(doc, "{%p if action_plan %}")
    heading(doc, "Åtgärdsplan", 3)
    tag(doc, "{%p endif %}")
    action_plan(doc)
    lines(doc, "next_lines", keep=True)
    sendlist(doc)
    signatures(doc)
    return finish(
        doc, "minnesanteckningar_ateruppfoljning.docx", "Minnesanteckningar – återuppföljning"
    )


def area_table(doc: DocumentObject) -> None:
    """The committee's table of the followed-up items per area (the rows add up)."""
    data_table(
        doc,
        ["Område", "Antal", "Uppfyllda", "Delvis", "Ej uppfyllda", "Övriga"],
        "r in areas",
        [
            "{{ r.area }}",
            "{{ r.total }}",
            "{{ r.met }}",
            "{{ r.partly }}",
            "{{ r.not_met }}",
            "{{ r.other }}",
        ],
        [61, 19, 22, 19, 22, 22],
        align_right={1, 2, 3, 4, 5},
        together=True,
    )
    para(doc, "Övriga: ej aktuella och ej bedömda.", "Liten text")


def tjansteskrivelse() -> Path:
    doc = new_document()
    header_footer(doc, "Tjänsteskrivelse")
    meta(doc)
    title = para(doc, "{{ title }}", "Title")
    title.runs[0].font.size = Pt(15)
    heading(doc, "Förslag till beslut", 2)
    lines(doc, "proposal")
    heading(doc, "Sammanfattning", 2)
    lines(doc, "summary")
    heading(doc, "Ärendet", 2)
    lines(doc, "background")
    lines(doc, "scope")
    tag(doc, "{%p if areas %}")
    area_table(doc)
    tag(doc, "{%p endif %}")
    lines(doc, "staffing")
    tag(doc, "{%p if finding_sections %}")
    heading(doc, "{{ findings_heading }}", 3)
    tag(doc, "{%p for s in finding_sections %}")
    p = para(doc, "{{ s.heading }}", keep=True)
    p.runs[0].bold = True
    p.runs[0].font.color.rgb = ACCENT
    p.paragraph_format.space_after = Pt(2)
    p.paragraph_format.space_before = Pt(6)
    tag(doc, "{%p for line in s.lines %}")
    p = para(doc, "{{ line }}")
    p.paragraph_format.space_after = Pt(2)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    heading(doc, "{{ dispatch_heading }}", 3)
    lines(doc, "dispatch")
    heading(doc, "Bedömning", 2)
    lines(doc, "assessment")
    heading(doc, "Beslutsunderlag", 2)
    bullets(doc, "line in documents", "line")
    sendlist(doc, "send_to")
    signatures(doc)
    return finish(doc, "tjansteskrivelse.docx", "Tjänsteskrivelse")


def followups_table(doc: DocumentObject, last: str, last_cell: str) -> None:
    data_table(
        doc,
        ["Datum", "Utförare", "Verksamhet", "Uppföljning", "Avvikelser", last],
        "f in followups",
        [
            "{{ f.date }}",
            "{{ f.contractor }}",
            "{{ f.units }}",
            "{{ f.kind }}",
            "{{ f.deviations }}",
            last_cell,
        ],
        [25, 31, 28, 35, 22, 24],
        align_right={4, 5},
    )


def rapport_kvalitetsradet() -> Path:
    doc = new_document()
    header_footer(doc, "Rapport")
    title_block(doc)
    meta(doc)
    heading(doc, "Sammanfattning", 2)
    lines(doc, "summary")
    heading(doc, "Om rapporten", 2)
    lines(doc, "background")
    tag(doc, "{%p if followups %}")
    heading(doc, "Uppföljningar under perioden", 2)
    followups_table(doc, "Status", "{{ f.status }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if area_findings %}")
    heading(doc, "Avvikelser och förbättringsområden per område", 2)
    data_table(
        doc,
        ["Område", "Avvikelser", "Förbättringsområden"],
        "r in area_findings",
        ["{{ r.area }}", "{{ r.deviations }}", "{{ r.improvements }}"],
        [99, 24, 42],
        align_right={1, 2},
        together=True,
    )
    tag(doc, "{%p endif %}")
    heading(doc, "Åtgärder", 2)
    data_table(
        doc,
        ["Åtgärder", "Antal"],
        "k in action_figures",
        ["{{ k.label }}", "{{ k.value }}"],
        [110, 30],
        align_right={1},
        together=True,
    )
    tag(doc, "{%p if lessons %}")
    heading(doc, "Iakttagelser att återföra till verksamheterna", 2)
    tag(doc, "{%p for l in lessons %}")
    p = para(doc, "{{ l.title }}", keep=True)
    p.runs[0].bold = True
    p.paragraph_format.space_after = Pt(0)
    para(doc, "{{ l.text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if discussion %}")
    heading(doc, "Att ta upp i kvalitetsrådet", 2)
    lines(doc, "discussion")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if documents %}")
    heading(doc, "Underlag", 2)
    bullets(doc, "line in documents", "line")
    tag(doc, "{%p endif %}")
    sendlist(doc, "send_to")
    one_signature(doc)
    return finish(doc, "rapport_kvalitetsradet.docx", "Rapport till kvalitetsrådet")


def kvalitetsberattelse() -> Path:
    doc = new_document()
    header_footer(doc, "Kvalitetsberättelse – bidrag")
    title_block(doc)
    meta(doc)
    heading(doc, "Inledning")
    lines(doc, "intro")

    heading(doc, "Uppföljning av verksamhet på entreprenad")
    para(
        doc,
        "Mallens avsnitt Egenkontroller · SOSFS 2011:9 5 kap. 2 §, 7 kap. 1 §",
        "Liten text",
        keep=True,
    )
    lines(doc, "controls_intro")
    data_table(
        doc,
        ["Namn", "Metod", "Omfattning", "Frekvens"],
        "c in controls",
        ["{{ c.name }}", "{{ c.method }}", "{{ c.scope }}", "{{ c.frequency }}"],
        [40, 42, 38, 45],
    )

    heading(doc, "Resultat av uppföljningarna")
    para(doc, "SOSFS 2011:9 5 kap. 2 §, 7 kap. 1 §", "Liten text", keep=True)
    lines(doc, "results_intro")
    tag(doc, "{%p if followups %}")
    followups_table(doc, "Uppfyllda krav", "{{ f.met }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if criteria %}")
    heading(doc, "Utförarnas ledningssystem per kriterium", 2)
    data_table(
        doc,
        ["Kriterium", "Uppfyllda", "Delvis", "Ej uppfyllda", "Övriga"],
        "r in criteria",
        [
            "{{ r.criterion }}",
            "{{ r.met }}",
            "{{ r.partly }}",
            "{{ r.not_met }}",
            "{{ r.other }}",
        ],
        [80, 22, 19, 22, 22],
        align_right={1, 2, 3, 4},
    )
    para(doc, "Övriga: ej aktuella och ej bedömda.", "Liten text")
    tag(doc, "{%p endif %}")

    heading(doc, "Avvikelser")
    para(doc, "Antal, sammanställning och analys", "Liten text", keep=True)
    lines(doc, "deviations_intro", keep=True)
    tag(doc, "{%p if area_outcomes %}")
    data_table(
        doc,
        ["Område", "Avvikelser", "Åtgärdade", "Pågår", "Utan åtgärd"],
        "r in area_outcomes",
        [
            "{{ r.area }}",
            "{{ r.total }}",
            "{{ r.closed }}",
            "{{ r.ongoing }}",
            "{{ r.missing }}",
        ],
        [69, 24, 24, 24, 24],
        align_right={1, 2, 3, 4},
        together=True,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if improvements_text %}")
    para(doc, "{{ improvements_text }}")
    tag(doc, "{%p endif %}")

    heading(doc, "Rapporteringsskyldighet", 2)
    para(
        doc,
        "Lex Sarah och lex Maria · SOSFS 2011:5; SOSFS 2011:9 5 kap. 4–6 §§",
        "Liten text",
        keep=True,
    )
    lines(doc, "reporting")
    heading(doc, "Klagomål och synpunkter", 2)
    para(doc, "SOSFS 2011:9 5 kap. 3 och 6 §§, 7 kap. 2 § p. 6", "Liten text", keep=True)
    lines(doc, "complaints")

    heading(doc, "Förbättrande åtgärder")
    para(doc, "SOSFS 2011:9 7 kap. 1 §", "Liten text", keep=True)
    lines(doc, "actions_intro", keep=True)
    tag(doc, "{%p if area_actions %}")
    data_table(
        doc,
        ["Område", "Beslutade", "Verifierade", "Öppna", "Försenade"],
        "r in area_actions",
        ["{{ r.area }}", "{{ r.total }}", "{{ r.verified }}", "{{ r.open }}", "{{ r.overdue }}"],
        [69, 24, 24, 24, 24],
        align_right={1, 2, 3, 4},
        together=True,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if lessons %}")
    heading(doc, "Exempel på förbättringar", 2)
    tag(doc, "{%p for l in lessons %}")
    p = para(doc, "{{ l.title }}", keep=True)
    p.runs[0].bold = True
    p.paragraph_format.space_after = Pt(0)
    para(doc, "{{ l.text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    heading(doc, "Fortsatt arbete")
    lines(doc, "next_year", keep=True)
    signatures(doc)
    return finish(doc, "kvalitetsberattelse_bidrag.docx", "Kvalitetsberättelse – bidrag")


BUILDERS = [
    minutes_avtal,
    minutes_generic,
    report_kvalitetsrevision,
    minutes_recheck,
    tjansteskrivelse,
    rapport_kvalitetsradet,
    kvalitetsberattelse,
]


def main(argv: list[str]) -> int:
    wanted = set(argv)
    for build in BUILDERS:
        if wanted and build.__name__ not in wanted:
            continue
        path = build()
        print(f"skrev {path.relative_to(HERE.parent)}")
    write_sums()
    return 0


def write_sums() -> Path:
    """Write SHA256SUMS: the shipped templates the app renders in-process (others in a child)."""
    lines = [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"
        for path in sorted(HERE.glob("*.docx"))
    ]
    target = HERE / "SHA256SUMS"
    target.write_text("".join(lines), encoding="ascii")
    print(f"skrev {target.relative_to(HERE.parent)}")
    return target


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
