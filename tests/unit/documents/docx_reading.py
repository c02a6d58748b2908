"""Reading what the document tests render: Word text, headings, tables; PDF page counts."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table

ROOT = Path(__file__).resolve().parents[3]
SHIPPED_TEMPLATES = ROOT / "templates"


def open_docx(content: bytes) -> DocumentObject:
    assert content[:2] == b"PK"
    return Document(io.BytesIO(content))


def all_text(doc: DocumentObject) -> str:
    """Every text of the document: body, tables, headers and footers."""
    parts = ["".join(t.text or "" for t in doc.element.body.iter(qn("w:t")))]
    for section in doc.sections:
        for part in (section.header, section.footer):
            parts.append("".join(t.text or "" for t in part._element.iter(qn("w:t"))))
    return "\n".join(parts)


def text_of(content: bytes) -> str:
    """Paragraphs and table cells, one per line."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def headings(doc: DocumentObject) -> list[str]:
    return [
        p.text
        for p in doc.paragraphs
        if p.style is not None and (p.style.name.startswith("Heading") or p.style.name == "Title")
    ]


def find_table(doc: DocumentObject, first_header: str, *more: str) -> list[Table]:
    out = []
    for table in doc.tables:
        head = [c.text for c in table.rows[0].cells]
        if head and head[0] == first_header and all(m in head for m in more):
            out.append(table)
    return out


def body_rows(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def kv(doc: DocumentObject) -> dict[str, str]:
    """The label/value table under the title (the first two-column table without header)."""
    table = doc.tables[0]
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def no_tags_left(text: str) -> None:
    assert "{%" not in text.replace("{% y %}", ""), text[:2000]
    assert "{{" not in text.replace("{{ x }}", ""), text[:2000]


def edited_template(name: str, replace: dict[str, str]) -> bytes:
    """The shipped template with some paragraph texts changed, as an editor would in Word."""
    doc = Document(str(SHIPPED_TEMPLATES / name))
    for p in doc.paragraphs:
        for old, new in replace.items():
            if old in p.text:
                for run in p.runs:
                    run.text = run.text.replace(old, new)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_page_count(data: bytes) -> int:
    """Count the pages of a PDF without a PDF library (good enough for LibreOffice's PDFs)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    if counts:
        return max(counts)
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    """The page count pdfinfo reads (poppler), or the count above where it is missing."""
    if shutil.which("pdfinfo"):
        path = tmp_path / "x.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        return int(next(ln for ln in out.stdout.splitlines() if ln.startswith("Pages:")).split()[1])
    return pdf_page_count(pdf)


def pdfs_of(documents: dict[str, bytes], folder: Path) -> dict[str, str]:
    """Convert many .docx at once with one LibreOffice run; return each PDF's text (pdftotext).

    One soffice process for all the files is much faster than one per file.
    """
    source = folder / "docx"
    source.mkdir(parents=True, exist_ok=True)
    for name, content in documents.items():
        (source / f"{name}.docx").write_bytes(content)
    out = folder / "pdf"
    profile = folder / "profil"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out),
            *sorted(str(p) for p in source.glob("*.docx")),
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
    texts = {}
    for name in documents:
        pdf = out / f"{name}.pdf"
        texts[name] = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return texts


def font_families(pdf: Path) -> set[str]:
    """The font families a PDF uses (pdffonts; subset prefix and style dropped)."""
    listing = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in listing if line.strip()}
    return {
        re.sub(r"[-,](Bold|Italic|Oblique|BoldItalic|BoldOblique|Regular)$", "", n) for n in names
    }


WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]{4,}")


def broken_words(docx_text: str, pdf_text: str) -> list[str]:
    """Words of the document that the PDF breaks over two lines.

    A word is broken when the end of one line and the start of the next make a word of the
    document that neither part is; or when the PDF has fewer of a word than the document
    (headers and footers repeat on every page, so it may have more, never less). A break at a
    hyphen ("SKA-" / "krav") is a hyphenated compound, not a broken word.
    """
    pdf_text = re.sub(r"-\n", "-", pdf_text)
    vocabulary = set(WORD.findall(docx_text))
    every_word = set(re.findall(r"[A-Za-zÅÄÖåäöÉé]+", docx_text))
    broken = set()
    lines = [line.split() for line in pdf_text.splitlines()]
    for this, following in itertools.pairwise(lines):
        if this and following:
            head, tail = this[-1].strip(".,:;()"), following[0].strip(".,:;()")
            joined = head + tail
            if joined in vocabulary and not (head in every_word and tail in every_word):
                broken.add(joined)
    wanted = Counter(WORD.findall(docx_text))
    found = Counter(WORD.findall(pdf_text))
    broken |= {w for w, n in wanted.items() if found[w] < n}
    return sorted(broken)


def paragraph_text(doc: DocumentObject) -> str:
    """Every paragraph (body, table cells, headers, footers) on a line of its own."""
    roots = [doc.element.body]
    for section in doc.sections:
        roots += [section.header._element, section.footer._element]
    lines = []
    for root in roots:
        for p in root.iter(qn("w:p")):
            parts = []
            for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
                parts.append(node.text or "" if node.tag == qn("w:t") else " ")
            lines.append("".join(parts))
    return "\n".join(lines)
