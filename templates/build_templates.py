"""Build the Word templates of this folder with python-docx.

    .venv/bin/python templates/build_templates.py          # writes templates/*.docx

The .docx files are the source of truth once the municipality has edited them in Word (logo,
headings, fonts); this script only makes the first version and can rebuild it. Tags are
docxtpl/Jinja: `{{ field }}`, `{%p if ... %}` on a paragraph of its own, `{%tr for ... %}` in a
table row of its own. The fields each template gets are listed in
`audit_app/services/documents/sample.py` (the sample contexts, one per template in registry.py).
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent

HEADING_FONT = "Arial"
BODY_FONT = "Times New Roman"
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
ACCENT_HEX = "1F4E79"
HEADER_FILL = "DCE6F0"
RULE = "A6B4C3"
MUTED = RGBColor(0x59, 0x62, 0x6B)
CONTENT_MM = 165  # A4 210 mm minus 25 mm left and 20 mm right margin

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


def new_document() -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(38), Mm(22)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)

    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal.font, BODY_FONT)
    normal.font.size = Pt(11.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    _set_lang(normal.element.get_or_add_rPr())

    for name, size, before, after in (
        ("Title", 18, 0, 4),
        ("Heading 1", 13, 14, 4),
        ("Heading 2", 11.5, 10, 3),
        ("Heading 3", 10.5, 8, 2),
    ):
        style = styles[name]
        _fonts(style.font, HEADING_FONT)
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

    from docx.enum.style import WD_STYLE_TYPE

    table_text = styles.add_style("Tabelltext", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    _fonts(table_text.font, HEADING_FONT)
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0

    table_head = styles.add_style("Tabellrubrik", WD_STYLE_TYPE.PARAGRAPH)
    table_head.base_style = table_text
    table_head.font.bold = True
    table_head.font.color.rgb = RGBColor(0x1A, 0x1A, 0x1A)

    small = styles.add_style("Liten text", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    _fonts(small.font, HEADING_FONT)
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
    _fonts(subtitle.font, HEADING_FONT)
    subtitle.font.size = Pt(11)
    subtitle.font.color.rgb = MUTED
    subtitle.paragraph_format.space_after = Pt(10)

    bullet = styles["List Bullet"]
    _fonts(bullet.font, BODY_FONT)
    bullet.font.size = Pt(11.5)
    bullet.paragraph_format.space_after = Pt(2)
    return doc


def header_footer(doc: DocumentObject, doc_type: str) -> None:
    """Kommun and förvaltning left; document type, date and dnr right; footer with page x of y."""
    section = doc.sections[0]
    header = section.header
    header.is_linked_to_previous = False
    table = header.add_table(rows=1, cols=2, width=Mm(CONTENT_MM))
    _no_table_borders(table)
    _fixed_layout(table, [100, 65])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    run = p.add_run("{{ kommun }}")
    run.font.name, run.font.size, run.font.bold = HEADING_FONT, Pt(15), True
    run.font.color.rgb = ACCENT
    p.paragraph_format.space_after = Pt(0)
    p = left.add_paragraph()
    run = p.add_run("{{ forvaltning }}")
    run.font.name, run.font.size = HEADING_FONT, Pt(9.5)
    run.font.color.rgb = MUTED
    p.paragraph_format.space_after = Pt(0)

    lines = [
        (doc_type, True, Pt(10.5), None),
        ("{{ datum }}", False, Pt(9), None),
        ("{% if dnr %}Dnr {{ dnr }}{% endif %}", False, Pt(9), None),
        ("{% if draft %}UTKAST – ej justerad{% endif %}", True, Pt(8.5), RGBColor(0xB0, 0, 0)),
    ]
    for index, (text, bold, size, color) in enumerate(lines):
        p = right.paragraphs[0] if index == 0 else right.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(text)
        run.font.name, run.font.size, run.font.bold = HEADING_FONT, size, bold
        if color is not None:
            run.font.color.rgb = color
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
        "{{ kommun }} · {% if dnr %}Dnr {{ dnr }} · {% endif %}"
        "Version {{ version }}{% if draft %} (utkast){% endif %}"
    )
    for part in (text, "\tSida "):
        run = p.add_run(part)
        run.font.name, run.font.size = HEADING_FONT, Pt(8)
        run.font.color.rgb = MUTED
    _field(p, "PAGE")
    run = p.add_run(" av ")
    run.font.name, run.font.size = HEADING_FONT, Pt(8)
    run.font.color.rgb = MUTED
    _field(p, "NUMPAGES")
    for run in p.runs:
        run.font.name, run.font.size = HEADING_FONT, Pt(8)
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


def bullets(doc: DocumentObject, loop: str, expr: str) -> None:
    tag(doc, f"{{%p for {loop} %}}")
    para(doc, f"{{{{ {expr} }}}}", "List Bullet")
    tag(doc, "{%p endfor %}")


def paragraphs(doc: DocumentObject, loop: str, expr: str, style: str | None = None) -> None:
    tag(doc, f"{{%p for {loop} %}}")
    para(doc, f"{{{{ {expr} }}}}", style)
    tag(doc, "{%p endfor %}")


def data_table(
    doc: DocumentObject,
    headers: list[str],
    loop: str,
    cells: list[str],
    widths: list[float],
    *,
    align_right: set[int] | None = None,
) -> Table:
    """A table with a shaded header row (repeated on every page) and one row per item."""
    align_right = align_right or set()
    table = doc.add_table(rows=4, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _data_table_borders(table)
    _cell_margins(table)
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
    for index, (cell, text) in enumerate(zip(body.cells, cells, strict=True)):
        p = cell.paragraphs[0]
        p.style = doc.styles["Tabelltext"]
        p.add_run(text)
        if index in align_right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
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
    para(doc, "{{ subtitle }}", "Underrubrik")


def participants(doc: DocumentObject) -> None:
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


def questions(doc: DocumentObject, expr: str) -> None:
    """The checklist questions of one agenda point with their answers."""
    tag(doc, f"{{%p if {expr} %}}")
    data_table(
        doc,
        ["Fråga", "Bedömning / svar", "Kommentar"],
        f"q in {expr}",
        ["{{ q.text }}", "{{ q.answer }}", "{{ q.comment }}"],
        [79, 31, 55],
    )
    tag(doc, "{%p endif %}")


def action_plan(doc: DocumentObject) -> None:
    tag(doc, "{%p if action_plan %}")
    data_table(
        doc,
        ["Avvikelse", "Åtgärd", "Ansvarig", "Klart senast", "Status"],
        "a in action_plan",
        ["{{ a.finding }}", "{{ a.what }}", "{{ a.responsible }}", "{{ a.due }}", "{{ a.status }}"],
        [42, 49, 29, 25, 20],
    )
    tag(doc, "{%p else %}")
    para(doc, "{{ no_action_plan_text }}")
    tag(doc, "{%p endif %}")


def findings_table(doc: DocumentObject) -> None:
    tag(doc, "{%p if findings %}")
    data_table(
        doc,
        ["Typ", "Punkt / område", "Beskrivning"],
        "f in findings",
        ["{{ f.kind }}", "{{ f.where }}", "{{ f.text }}"],
        [30, 35, 100],
    )
    tag(doc, "{%p endif %}")


def next_lines(doc: DocumentObject) -> None:
    paragraphs(doc, "line in next_lines", "line")


def signatures(doc: DocumentObject) -> None:
    """'Vid anteckningarna' and 'Justeras' with a line for the signature, name and role."""
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_before = Pt(12)
    table = doc.add_table(rows=1, cols=2)
    _no_table_borders(table)
    _fixed_layout(table, [82.5, 82.5])
    _cant_split(table.rows[0]._tr)
    for cell, who in zip(table.rows[0].cells, ("recorder", "approver"), strict=True):
        p = cell.paragraphs[0]
        p.style = doc.styles["Heading 3"]
        p.add_run(f"{{{{ {who}.label }}}}")
        p = cell.add_paragraph()
        p.paragraph_format.space_before = Pt(26)
        p.paragraph_format.space_after = Pt(0)
        p.add_run("_" * 34)
        p = cell.add_paragraph(style="Tabelltext")
        p.add_run(f"{{{{ {who}.name }}}}").font.size = Pt(10)
        p = cell.add_paragraph(style="Tabelltext")
        run = p.add_run(f"{{{{ {who}.role }}}}")
        run.font.size = Pt(9)
        run.font.color.rgb = MUTED
    tag(doc, "{%p if justerad_text %}")
    para(doc, "{{ justerad_text }}", "Liten text")
    tag(doc, "{%p endif %}")


def properties(doc: DocumentObject, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.subject = "{{ title }}"
    props.author = "{{ forvaltning }}"
    props.language = "sv-SE"
    props.comments = (
        "Mall för Revisionsstöd. Taggar: docxtpl/Jinja, se templates/build_templates.py."
    )
    props.keywords = ""
    from datetime import datetime

    props.created = props.modified = datetime(2026, 1, 1)
    props.last_modified_by = "Revisionsstöd"
    props.revision = 1


def finish(doc: DocumentObject, name: str, title: str) -> Path:
    properties(doc, title)
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
    kv_table(doc, "m in meta", "m.label", "m.value", [38, 127])
    participants(doc)

    heading(doc, "1. Genomgång av föregående minnesanteckningar")
    paragraphs(doc, "line in point1.intro", "line")
    tag(doc, "{%p if point1.actions %}")
    data_table(
        doc,
        ["Avvikelse", "Åtgärd", "Ansvarig", "Klart senast", "Status nu", "Kommentar"],
        "a in point1.actions",
        [
            "{{ a.finding }}",
            "{{ a.what }}",
            "{{ a.responsible }}",
            "{{ a.due }}",
            "{{ a.status }}",
            "{{ a.comment }}",
        ],
        [30, 33, 30, 22, 20, 30],
    )
    tag(doc, "{%p endif %}")
    questions(doc, "point1.questions")

    heading(doc, "2. Aktuell personalsituation")
    paragraphs(doc, "line in point2.intro", "line")
    tag(doc, "{%p if point2.figures %}")
    data_table(
        doc,
        ["Nyckeltal", "Värde"],
        "k in point2.figures",
        ["{{ k.label }}", "{{ k.value }}"],
        [110, 55],
        align_right={1},
    )
    tag(doc, "{%p endif %}")
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
        [34, 36, 20, 41, 17, 17],
        align_right={4, 5},
    )
    paragraphs(doc, "line in point2.breaches_note", "line", "Liten text")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if point2.heatmap %}")
    heading(doc, "Bemanning per pass och dag", 3)
    para(doc, "{{ point2.heatmap }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "{{ point2.heatmap_caption }}", "Liten text")
    tag(doc, "{%p endif %}")
    questions(doc, "point2.questions")

    heading(doc, "3. Genomgång av SKA-krav i avtalet samt avvikelser")
    paragraphs(doc, "line in point3.intro", "line")
    data_table(
        doc,
        ["Bedömning", "Antal krav"],
        "r in point3.counts",
        ["{{ r.label }}", "{{ r.count }}"],
        [60, 30],
        align_right={1},
    )
    tag(doc, "{%p if point3.not_met %}")
    heading(doc, "Krav som inte är helt uppfyllda", 3)
    data_table(
        doc,
        ["Punkt", "Krav", "Bedömning", "Kommentar"],
        "r in point3.not_met",
        ["{{ r.clause }}", "{{ r.text }}", "{{ r.result }}", "{{ r.comment }}"],
        [16, 74, 22, 53],
    )
    tag(doc, "{%p else %}")
    para(doc, "Samtliga bedömda krav är uppfyllda.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if findings %}")
    heading(doc, "Avvikelser och förbättringsområden", 3)
    tag(doc, "{%p endif %}")
    findings_table(doc)
    questions(doc, "point3.questions")

    heading(doc, "4. Åtgärdsplan och ny uppföljning")
    paragraphs(doc, "line in point4.intro", "line")
    action_plan(doc)
    next_lines(doc)
    questions(doc, "point4.questions")

    tag(doc, "{%p if other_notes %}")
    heading(doc, "Övrigt")
    paragraphs(doc, "line in other_notes", "line")
    tag(doc, "{%p endif %}")
    signatures(doc)
    return finish(doc, "minnesanteckningar_avtal.docx", "Minnesanteckningar – uppföljning av avtal")


def minutes_generic() -> Path:
    """Ledningssystem, särskilt riktad uppföljning and kontroll av biståndsärenden."""
    doc = new_document()
    header_footer(doc, "{{ doc_type }}")
    title_block(doc)
    kv_table(doc, "m in meta", "m.label", "m.value", [38, 127])
    participants(doc)
    heading(doc, "Bakgrund och syfte")
    paragraphs(doc, "line in intro", "line")
    tag(doc, "{%p for s in sections %}")
    heading(doc, "{{ s.title }}")
    tag(doc, "{%p if s.description %}")
    para(doc, "{{ s.description }}")
    tag(doc, "{%p endif %}")
    data_table(
        doc,
        ["{{ s.item_header }}", "Bedömning / svar", "Kommentar"],
        "q in s.rows",
        ["{{ q.text }}", "{{ q.answer }}", "{{ q.comment }}"],
        [79, 31, 55],
    )
    tag(doc, "{%p endfor %}")
    heading(doc, "Sammanfattande bedömning")
    paragraphs(doc, "line in summary", "line")
    tag(doc, "{%p if counts %}")
    data_table(
        doc,
        ["Bedömning", "Antal"],
        "r in counts",
        ["{{ r.label }}", "{{ r.count }}"],
        [60, 30],
        align_right={1},
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if findings %}")
    heading(doc, "Avvikelser och förbättringsområden")
    tag(doc, "{%p endif %}")
    findings_table(doc)
    heading(doc, "Åtgärdsplan och fortsatt uppföljning")
    action_plan(doc)
    next_lines(doc)
    signatures(doc)
    return finish(doc, "minnesanteckningar_uppfoljning.docx", "Minnesanteckningar – uppföljning")


def report_kvalitetsrevision() -> Path:
    doc = new_document()
    header_footer(doc, "Revisionsrapport")
    title_block(doc)
    kv_table(doc, "m in meta", "m.label", "m.value", [38, 127])
    participants(doc)
    heading(doc, "1. Syfte")
    paragraphs(doc, "line in purpose", "line")
    heading(doc, "2. Metod")
    paragraphs(doc, "line in method", "line")
    heading(doc, "3. Iakttagelser per område")
    tag(doc, "{%p for s in sections %}")
    heading(doc, "{{ s.title }}", 2)
    tag(doc, "{%p if s.description %}")
    para(doc, "{{ s.description }}")
    tag(doc, "{%p endif %}")
    data_table(
        doc,
        ["Granskningspunkt", "Bedömning", "Iakttagelse"],
        "q in s.rows",
        ["{{ q.text }}", "{{ q.answer }}", "{{ q.comment }}"],
        [75, 27, 63],
    )
    tag(doc, "{%p endfor %}")
    heading(doc, "4. Bedömning")
    paragraphs(doc, "line in summary", "line")
    data_table(
        doc,
        ["Bedömning", "Antal granskningspunkter"],
        "r in counts",
        ["{{ r.label }}", "{{ r.count }}"],
        [60, 45],
        align_right={1},
    )
    heading(doc, "5. Förbättringsområden")
    tag(doc, "{%p if findings %}")
    data_table(
        doc,
        ["Typ", "Område", "Beskrivning"],
        "f in findings",
        ["{{ f.kind }}", "{{ f.where }}", "{{ f.text }}"],
        [30, 35, 100],
    )
    tag(doc, "{%p else %}")
    para(doc, "Revisionen har inte identifierat några förbättringsområden.")
    tag(doc, "{%p endif %}")
    heading(doc, "6. Förslag")
    action_plan(doc)
    next_lines(doc)
    signatures(doc)
    return finish(doc, "rapport_kvalitetsrevision.docx", "Rapport – kvalitetsrevision")


def minutes_recheck() -> Path:
    doc = new_document()
    header_footer(doc, "Minnesanteckningar")
    title_block(doc)
    kv_table(doc, "m in meta", "m.label", "m.value", [38, 127])
    participants(doc)
    heading(doc, "1. Bakgrund")
    paragraphs(doc, "line in intro", "line")
    heading(doc, "2. Uppföljda åtgärder")
    tag(doc, "{%p if rechecked %}")
    data_table(
        doc,
        ["Avvikelse", "Åtgärd", "Ansvarig", "Klart senast", "Resultat", "Underlag"],
        "a in rechecked",
        [
            "{{ a.finding }}",
            "{{ a.what }}",
            "{{ a.responsible }}",
            "{{ a.due }}",
            "{{ a.status }}",
            "{{ a.comment }}",
        ],
        [32, 33, 30, 22, 20, 28],
    )
    tag(doc, "{%p else %}")
    para(doc, "Det fanns inga åtgärder att följa upp.")
    tag(doc, "{%p endif %}")
    data_table(
        doc,
        ["Resultat", "Antal åtgärder"],
        "r in counts",
        ["{{ r.label }}", "{{ r.count }}"],
        [60, 30],
        align_right={1},
    )
    questions(doc, "questions")
    heading(doc, "3. Bedömning och fortsatt uppföljning")
    paragraphs(doc, "line in summary", "line")
    tag(doc, "{%p if findings %}")
    heading(doc, "Nya avvikelser och förbättringsområden", 3)
    tag(doc, "{%p endif %}")
    findings_table(doc)
    tag(doc, "{%p if action_plan %}")
    heading(doc, "Åtgärdsplan", 3)
    data_table(
        doc,
        ["Avvikelse", "Åtgärd", "Ansvarig", "Klart senast", "Status"],
        "a in action_plan",
        ["{{ a.finding }}", "{{ a.what }}", "{{ a.responsible }}", "{{ a.due }}", "{{ a.status }}"],
        [42, 49, 29, 25, 20],
    )
    tag(doc, "{%p endif %}")
    next_lines(doc)
    signatures(doc)
    return finish(
        doc, "minnesanteckningar_ateruppfoljning.docx", "Minnesanteckningar – återuppföljning"
    )


def tjansteskrivelse() -> Path:
    doc = new_document()
    header_footer(doc, "Tjänsteskrivelse")
    kv_table(doc, "m in meta", "m.label", "m.value", [38, 127])
    title = para(doc, "{{ title }}", "Title")
    title.runs[0].font.size = Pt(15)
    heading(doc, "Förslag till beslut", 2)
    paragraphs(doc, "line in proposal", "line")
    heading(doc, "Sammanfattning", 2)
    paragraphs(doc, "line in summary", "line")
    heading(doc, "Ärendet", 2)
    paragraphs(doc, "line in background", "line")

    tag(doc, "{%p if areas %}")
    heading(doc, "Resultat per område", 3)
    data_table(
        doc,
        ["Område", "Bedömda", "Uppfyllda", "Delvis", "Ej uppfyllda"],
        "r in areas",
        ["{{ r.area }}", "{{ r.assessed }}", "{{ r.met }}", "{{ r.partly }}", "{{ r.not_met }}"],
        [73, 23, 23, 23, 23],
        align_right={1, 2, 3, 4},
    )
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if deviations %}")
    heading(doc, "Avvikelser", 3)
    data_table(
        doc,
        ["Punkt", "Vad avvikelsen gäller", "Åtgärdas senast", "Status"],
        "d in deviations",
        ["{{ d.clause }}", "{{ d.text }}", "{{ d.due }}", "{{ d.status }}"],
        [16, 92, 30, 27],
    )
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if followups %}")
    heading(doc, "Genomförda uppföljningar", 3)
    data_table(
        doc,
        ["Datum", "Utförare", "Verksamhet", "Uppföljning", "Avvik.", "Förb."],
        "f in followups",
        [
            "{{ f.date }}",
            "{{ f.contractor }}",
            "{{ f.units }}",
            "{{ f.kind }}",
            "{{ f.deviations }}",
            "{{ f.improvements }}",
        ],
        [27, 38, 32, 40, 14, 14],
        align_right={4, 5},
    )
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if area_findings %}")
    heading(doc, "Avvikelser och förbättringsområden per område", 3)
    data_table(
        doc,
        ["Område", "Avvikelser", "Förbättringsområden"],
        "r in area_findings",
        ["{{ r.area }}", "{{ r.deviations }}", "{{ r.improvements }}"],
        [95, 30, 40],
        align_right={1, 2},
    )
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if action_figures %}")
    heading(doc, "Åtgärder", 3)
    data_table(
        doc,
        ["Åtgärder", "Antal"],
        "k in action_figures",
        ["{{ k.label }}", "{{ k.value }}"],
        [110, 30],
        align_right={1},
    )
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if lessons %}")
    heading(doc, "Iakttagelser att återföra till verksamheterna", 3)
    tag(doc, "{%p for l in lessons %}")
    p = para(doc, "{{ l.title }}", keep=True)
    p.runs[0].bold = True
    p.paragraph_format.space_after = Pt(0)
    para(doc, "{{ l.text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    heading(doc, "Bedömning", 2)
    paragraphs(doc, "line in assessment", "line")
    heading(doc, "Beslutsunderlag", 2)
    bullets(doc, "line in documents", "line")
    heading(doc, "Beslut sänds till", 2)
    bullets(doc, "line in send_to", "line")
    signatures(doc)
    return finish(doc, "tjansteskrivelse.docx", "Tjänsteskrivelse")


def kvalitetsberattelse() -> Path:
    doc = new_document()
    header_footer(doc, "Kvalitetsberättelse – bidrag")
    title_block(doc)
    kv_table(doc, "m in meta", "m.label", "m.value", [38, 127])
    heading(doc, "Inledning")
    paragraphs(doc, "line in intro", "line")

    heading(doc, "Egenkontroller")
    para(doc, "SOSFS 2011:9 5 kap. 2 §, 7 kap. 1 §", "Liten text")
    paragraphs(doc, "line in controls_intro", "line")
    data_table(
        doc,
        ["Namn på egenkontroll", "Metod", "Omfattning", "Frekvens"],
        "c in controls",
        ["{{ c.name }}", "{{ c.method }}", "{{ c.scope }}", "{{ c.frequency }}"],
        [45, 45, 40, 35],
    )

    heading(doc, "Resultat av egenkontrollerna")
    para(doc, "SOSFS 2011:9 5 kap. 2 §, 7 kap. 1 §", "Liten text")
    paragraphs(doc, "line in results_intro", "line")
    tag(doc, "{%p if followups %}")
    data_table(
        doc,
        ["Datum", "Utförare", "Verksamhet", "Uppföljning", "Uppfyllda krav", "Avvik."],
        "f in followups",
        [
            "{{ f.date }}",
            "{{ f.contractor }}",
            "{{ f.units }}",
            "{{ f.kind }}",
            "{{ f.met }}",
            "{{ f.deviations }}",
        ],
        [27, 36, 30, 36, 22, 14],
        align_right={4, 5},
    )
    tag(doc, "{%p endif %}")

    heading(doc, "Avvikelser")
    para(
        doc, "Sammanställning och analys av avvikelser från avtal och ledningssystem", "Liten text"
    )
    paragraphs(doc, "line in deviations_intro", "line")
    tag(doc, "{%p if area_findings %}")
    data_table(
        doc,
        ["Område", "Avvikelser", "Förbättringsområden"],
        "r in area_findings",
        ["{{ r.area }}", "{{ r.deviations }}", "{{ r.improvements }}"],
        [95, 30, 40],
        align_right={1, 2},
    )
    tag(doc, "{%p endif %}")

    heading(doc, "Förbättrande åtgärder")
    para(doc, "SOSFS 2011:9 7 kap. 1 §", "Liten text")
    paragraphs(doc, "line in actions_intro", "line")
    tag(doc, "{%p if area_actions %}")
    data_table(
        doc,
        ["Område", "Beslutade", "Verifierade", "Pågår", "Försenade"],
        "r in area_actions",
        ["{{ r.area }}", "{{ r.total }}", "{{ r.verified }}", "{{ r.open }}", "{{ r.overdue }}"],
        [77, 22, 22, 22, 22],
        align_right={1, 2, 3, 4},
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
    paragraphs(doc, "line in next_year", "line")
    signatures(doc)
    return finish(doc, "kvalitetsberattelse_bidrag.docx", "Kvalitetsberättelse – bidrag")


BUILDERS = [
    minutes_avtal,
    minutes_generic,
    report_kvalitetsrevision,
    minutes_recheck,
    tjansteskrivelse,
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
