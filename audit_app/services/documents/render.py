"""Rendering a Word template: docxtpl in a sandbox, clean text, pictures, a deterministic zip.

Every render is sandboxed and escaped (`autoescape=True`), and every string of the context is
cleaned of characters XML cannot hold, so whatever a user typed (`&`, `<script>`, emoji) reaches
Word as text. The same context gives the same bytes (fixed zip timestamps).
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, Template, TemplateError, Undefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from audit_app.domain.svtext import sv_date, sv_join
from audit_app.errors import UserError

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"


# --------------------------------------------------------------------------- cleaning

# Characters XML 1.0 cannot hold, and the ones docxtpl turns into paragraph or page breaks.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text safe for a Word document: no control characters, line breaks kept as \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BAD_CHARS.sub("", text)


@dataclass(frozen=True)
class Picture:
    """A PNG image for the context; turned into a docxtpl InlineImage when rendering."""

    data: bytes
    width_mm: float = 160.0


def clean(value: Any) -> Any:
    """Clean every string of a context (dicts, lists, tuples) recursively."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def _pictures(value: Any, tpl: DocxTemplate) -> Any:
    if isinstance(value, Picture):
        return InlineImage(tpl, io.BytesIO(value.data), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _pictures(v, tpl) for k, v in value.items()}
    if isinstance(value, list):
        return [_pictures(v, tpl) for v in value]
    return value


# --------------------------------------------------------------------------- rendering


class TemplateProblem(UserError):
    """A template that cannot be rendered; the message is Swedish and says where."""


_JINJA_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"Unexpected end of template.*?looking for the following tags: (.*?)\.", re.S),
        lambda m: (
            "mallen tar slut innan en tagg har avslutats; det saknas "
            + sv_join(re.findall(r"'(\w+)'", m.group(1)), "eller")
            + " (t.ex. en {%tr for %} utan {%tr endfor %} eller en {%p if %} utan {%p endif %})"
        ),
    ),
    (
        re.compile(r"unexpected end of template", re.I),
        lambda m: "mallen tar slut innan en tagg har avslutats (en {% ... %} saknar sitt slut)",
    ),
    (
        re.compile(r"Encountered unknown tag '(\w+)'"),
        lambda m: (
            f"okänd tagg {m.group(1)!r}; kontrollera stavningen och att taggen hör ihop "
            "med en öppnande for eller if"
        ),
    ),
    (
        re.compile(r"expected token '([^']*)', got '([^']*)'"),
        lambda m: f"en tagg är felskriven: väntade {m.group(1)!r} men hittade {m.group(2)!r}",
    ),
    (
        re.compile(r"unexpected char '(.)'"),
        lambda m: f"oväntat tecken {m.group(1)!r} inne i en tagg",
    ),
    (
        re.compile(r"unexpected '([^']*)'"),
        lambda m: (
            f"oväntat {m.group(1)!r} inne i en tagg (kontrollera klamrarna {{{{ }}}} och {{% %}})"
        ),
    ),
    (
        re.compile(r"'([^']+)' is undefined"),
        lambda m: f"fältet {m.group(1)!r} finns inte i dokumentets data",
    ),
    (
        re.compile(r"has no attribute '([^']+)'"),
        lambda m: f"fältet {m.group(1)!r} finns inte i dokumentets data",
    ),
]


def translate_template_error(exc: Exception) -> str:
    """Say in Swedish what is wrong with a template, and near which text."""
    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, SecurityError):
        reason = "mallen försöker använda något som inte är tillåtet i en dokumentmall"
    else:
        for pattern, say in _JINJA_MESSAGES:
            match = pattern.search(message)
            if match:
                reason = say(match)
                break
        else:
            reason = f"taggarna kunde inte läsas ({message})"
    where = ""
    context = getattr(exc, "docx_context", None)
    if context:
        text = " ".join(" ".join(line.split()) for line in context if line.strip())
        if text:
            where = f" Nära texten: ”{text[:160]}{'…' if len(text) > 160 else ''}”."
    return f"Mallen kan inte användas: {reason}.{where} Den tidigare mallen används fortfarande."


class _Environment(SandboxedEnvironment):
    """The sandbox, remembering compiled parts: a template's XML is the same every time, and
    compiling it is most of the cost of a render."""

    max_cached = 64

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: OrderedDict[str, Template] = OrderedDict()
        self._lock = threading.Lock()

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._lock:
            hit = self._compiled.get(source)
            if hit is not None:
                self._compiled.move_to_end(source)
                return hit
        template = super().from_string(source)
        with self._lock:
            self._compiled[source] = template
            while len(self._compiled) > self.max_cached:
                self._compiled.popitem(last=False)
        return template


_PATCHED: OrderedDict[str, str] = OrderedDict()
_PATCHED_LOCK = threading.Lock()


class _DocxTemplate(DocxTemplate):
    """docxtpl's template, remembering the tag clean-up of XML it has seen (same template)."""

    def patch_xml(self, src_xml: str) -> str:
        with _PATCHED_LOCK:
            hit = _PATCHED.get(src_xml)
        if hit is None:
            hit = super().patch_xml(src_xml)
            with _PATCHED_LOCK:
                _PATCHED[src_xml] = hit
                while len(_PATCHED) > 64:
                    _PATCHED.popitem(last=False)
        return hit


@cache
def _environment(strict: bool) -> SandboxedEnvironment:
    env = _Environment(autoescape=True, undefined=StrictUndefined if strict else Undefined)
    env.filters["sv_date"] = sv_date
    return env


def render_docx(template: bytes, context: Mapping[str, Any], *, strict: bool = False) -> bytes:
    """Render a template (.docx bytes) with a context to .docx bytes."""
    try:
        tpl = _DocxTemplate(io.BytesIO(template))
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise TemplateProblem(
            "Mallen är inte ett Word-dokument (.docx) som kan läsas. Spara den i Word som "
            "”Word-dokument (*.docx)” och försök igen."
        ) from exc
    ctx = _pictures(clean(dict(context)), tpl)
    try:
        tpl.render(ctx, jinja_env=_environment(strict), autoescape=True)
    except (TemplateError, SecurityError) as exc:
        raise TemplateProblem(translate_template_error(exc)) from exc
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        # e.g. {% for x in title %} over a number: the tags run but do not fit the data.
        raise TemplateProblem(
            "Mallen kan inte fyllas i: en tagg använder ett fält på ett sätt som inte passar "
            f"fältets innehåll ({type(exc).__name__}: {exc}). Den tidigare mallen används "
            "fortfarande."
        ) from exc
    keep_signatures_with_text(tpl.docx.element.body)
    out = io.BytesIO()
    tpl.save(out)
    return deterministic_zip(out.getvalue())


SIGNATURE_CAPTION = "Underskrifter"
"""The caption (alternative text title) of a template's signature table."""


def _keep_next(paragraph: Any) -> None:
    ppr = paragraph.get_or_add_pPr()
    if ppr.find(qn("w:keepNext")) is None:
        node = OxmlElement("w:keepNext")
        style = ppr.find(qn("w:pStyle"))
        if style is not None:
            style.addnext(node)
        else:
            ppr.insert(0, node)


def _text(node: Any) -> str:
    return "".join(t.text or "" for t in node.iter(qn("w:t"))).strip()


def _is_heading(paragraph: Any) -> bool:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    name = style.get(qn("w:val")) if style is not None else ""
    return bool(name) and name.startswith(("Heading", "Rubrik", "Title"))


MAX_KEPT = 25
"""How many paragraphs back the signatures may pull along (a longer chain cannot be kept)."""


def keep_signatures_with_text(body: Any) -> None:
    """Keep each signature table on the page of the text before it, so it never stands alone.

    The table is the one captioned "Underskrifter". Everything from the last heading before it
    (the last section, e.g. the sändlista) is kept with the next, and so is the text just
    before that heading; if a table comes first, its last row is kept with the next and not
    split.
    """
    for table in body.iter(qn("w:tbl")):
        caption = table.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
        if caption is None or caption.get(qn("w:val")) != SIGNATURE_CAPTION:
            continue
        node = table.getprevious()
        passed_heading = False
        kept = 0
        while node is not None and kept < MAX_KEPT:
            if node.tag == qn("w:p"):
                _keep_next(node)
                kept += 1
                if _text(node):
                    if passed_heading:
                        break
                    passed_heading = _is_heading(node)
            elif node.tag == qn("w:tbl"):
                rows = node.findall(qn("w:tr"))
                if rows:
                    last = rows[-1]
                    trpr = last.find(qn("w:trPr"))
                    if trpr is None:
                        trpr = OxmlElement("w:trPr")
                        last.insert(0, trpr)
                    if trpr.find(qn("w:cantSplit")) is None:
                        trpr.append(OxmlElement("w:cantSplit"))
                    for paragraph in last.iter(qn("w:p")):
                        _keep_next(paragraph)
                break
            node = node.getprevious()


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite a .docx/.xlsx with fixed timestamps: the same content gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
