"""Word documents from templates: rendering, template upload, PDF through LibreOffice.

The templates in `templates/` are real .docx files with docxtpl tags; the municipality edits them
in Word. An uploaded template (admin page "Dokumentmallar") lies in `data_dir/templates/` and
overrides the shipped one with the same name. Every render is sandboxed and escaped
(`autoescape=True`), and every string of the context is cleaned of characters XML cannot hold,
so whatever a user typed (`&`, `<script>`, emoji) reaches Word as text.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, Template, TemplateError, Undefined, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from audit_app.auth import MANAGE_TEMPLATES, Actor, require
from audit_app.config import get_settings
from audit_app.errors import UserError, ValidationFailed

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
MAX_TEMPLATE_BYTES = 15 * 1024 * 1024

MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
WEEKDAYS_SHORT = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]


# --------------------------------------------------------------------------- Swedish text


def sv_date(value: date | datetime | str | None) -> str:
    """Format a date the Swedish way: 22 november 2026 (empty for None or unreadable text)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value.strip()[:10])
        except ValueError:
            return value
    else:
        day = value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def sv_datetime(day: date, clock: str = "") -> str:
    """22 november 2026 kl. 09.00 (the time left out when there is none)."""
    text = sv_date(day)
    return f"{text} kl. {clock.replace(':', '.')}" if clock else text


def sv_period(first: date | None, last: date | None) -> str:
    """2–15 mars 2026, 28 februari–13 mars 2026 or 20 december 2025–2 januari 2026."""
    if first is None or last is None:
        return sv_date(first or last)
    if first == last:
        return sv_date(first)
    if first.year != last.year:
        return f"{sv_date(first)}–{sv_date(last)}"
    if first.month != last.month:
        return f"{first.day} {MONTHS[first.month - 1]}–{sv_date(last)}"
    return f"{first.day}–{sv_date(last)}"


def sv_join(items: Iterable[str], last: str = "och") -> str:
    """Join words the Swedish way: a, b och c."""
    words = [w for w in items if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {last} " + words[-1]


def sv_number(value: float | int, decimals: int = 1) -> str:
    """12,5 (decimal comma, thin-space-free thousands grouping with a space)."""
    if isinstance(value, int) or float(value).is_integer():
        text = f"{round(value):,}".replace(",", "\u00a0")
        return text
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return text


def sv_percent(share: float, decimals: int = 0) -> str:
    """0.8234 -> 82 %."""
    return f"{sv_number(round(share * 100, decimals), decimals)}\u00a0%"


def count_text(n: int, one: str, many: str) -> str:
    """'1 avvikelse', '3 avvikelser', 'inga avvikelser'."""
    if n == 0:
        return f"inga {many}"
    return f"{n} {one if n == 1 else many}"


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


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class TemplateSpec:
    """A template the app uses: its file name, what it is for, and a sample context."""

    filename: str
    label: str
    used_for: str
    sample: Callable[[], dict[str, Any]]


_REGISTRY: dict[str, TemplateSpec] = {}


def register_template(spec: TemplateSpec) -> None:
    _REGISTRY[spec.filename] = spec


def template_specs() -> list[TemplateSpec]:
    _load_specs()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def template_spec(filename: str) -> TemplateSpec:
    _load_specs()
    spec = _REGISTRY.get(filename)
    if spec is None:
        raise UserError(f"Det finns ingen dokumentmall som heter {filename!r}.")
    return spec


def _load_specs() -> None:
    # The specs live beside the context builders (minutes, reports); import them once.
    from audit_app.services import minutes, reports  # noqa: F401


def shipped_dir() -> Path:
    return get_settings().template_dir


def override_dir() -> Path:
    return get_settings().data_dir / "templates"


def template_path(filename: str) -> Path:
    """The template in use: the uploaded one if there is one, else the shipped one."""
    uploaded = override_dir() / filename
    if uploaded.is_file():
        return uploaded
    shipped = shipped_dir() / filename
    if not shipped.is_file():
        raise UserError(
            f"Dokumentmallen {filename} saknas i {shipped_dir()}. Kör "
            "`python templates/build_templates.py` eller ladda upp mallen på sidan Dokumentmallar."
        )
    return shipped


def is_uploaded(filename: str) -> bool:
    return (override_dir() / filename).is_file()


def template_bytes(filename: str) -> bytes:
    return template_path(filename).read_bytes()


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


def render_docx(
    template: str | bytes, context: Mapping[str, Any], *, strict: bool = False
) -> bytes:
    """Render a template (file name of a registered template, or .docx bytes) to .docx bytes."""
    data = template_bytes(template) if isinstance(template, str) else template
    try:
        tpl = _DocxTemplate(io.BytesIO(data))
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
    out = io.BytesIO()
    tpl.save(out)
    return deterministic_zip(out.getvalue())


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


def validate_template(filename: str, data: bytes) -> bytes:
    """Test-render an uploaded template with sample data; return the rendered sample.

    Raises TemplateProblem (Swedish) for a file that is not .docx, a broken tag, a field that
    does not exist, or a result Word could not open.
    """
    spec = template_spec(filename)
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateProblem(
            f"Mallen är för stor ({len(data) // 1024 // 1024} MB); högst "
            f"{MAX_TEMPLATE_BYTES // 1024 // 1024} MB. Komprimera bilderna i Word."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise zipfile.BadZipFile
    except zipfile.BadZipFile as exc:
        raise TemplateProblem(
            "Filen är inte ett Word-dokument (.docx). Spara mallen i Word som "
            "”Word-dokument (*.docx)”, inte .doc eller .pdf."
        ) from exc
    try:
        rendered = render_docx(data, spec.sample(), strict=True)
    except UndefinedError as exc:  # pragma: no cover - raised inside render as TemplateError
        raise TemplateProblem(translate_template_error(exc)) from exc
    try:
        open_docx(io.BytesIO(rendered))
    except Exception as exc:
        raise TemplateProblem(
            "Mallen ger ett dokument som Word inte kan öppna. Troligen står en {%tr %}-tagg "
            "utanför en tabellrad eller en {%p %}-tagg i samma stycke som text. Den tidigare "
            "mallen används fortfarande."
        ) from exc
    return rendered


def save_template(actor: Actor, filename: str, data: bytes) -> Path:
    """Validate and install an uploaded template; the previous upload is kept in history/."""
    require(actor, MANAGE_TEMPLATES, "ladda upp dokumentmallar")
    validate_template(filename, data)
    target_dir = override_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / filename
    if target.exists():
        history = target_dir / "history"
        history.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        shutil.copy2(target, history / f"{target.stem}.{stamp}{target.suffix}")
    tmp = target.with_suffix(".uploading")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target


def reset_template(actor: Actor, filename: str) -> None:
    """Go back to the shipped template (the uploaded one is kept in history/)."""
    require(actor, MANAGE_TEMPLATES, "återställa dokumentmallar")
    template_spec(filename)
    target = override_dir() / filename
    if not target.exists():
        return
    history = override_dir() / "history"
    history.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    os.replace(target, history / f"{target.stem}.{stamp}{target.suffix}")


def check_upload_name(filename: str, uploaded_name: str) -> None:
    if not uploaded_name.lower().endswith(".docx"):
        raise ValidationFailed(
            [f"Filen {uploaded_name!r} är inte en .docx-fil. Spara mallen i Word som .docx."]
        )


# --------------------------------------------------------------------------- PDF


class PdfUnavailable(UserError):
    """LibreOffice is not installed, or the conversion failed."""


SOFFICE_MISSING = (
    "PDF kan inte skapas här: LibreOffice (programmet soffice) är inte installerat på servern. "
    "Ladda ner Word-filen och spara den som PDF i Word, eller be IT installera LibreOffice."
)


def soffice_path() -> str | None:
    configured = os.environ.get("AUDIT_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_unavailable_reason() -> str | None:
    """None when PDF can be made; otherwise the Swedish reason to show on the button."""
    return None if soffice_path() else SOFFICE_MISSING


def docx_to_pdf(data: bytes, timeout: float = 180.0) -> bytes:
    """Convert .docx bytes to PDF with LibreOffice (own profile per call; output checked)."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(SOFFICE_MISSING)
    with tempfile.TemporaryDirectory(prefix="revisionsstod-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "dokument.docx"
        source.write_bytes(data)
        outdir = folder / "ut"
        profile = folder / "profil"
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            str(source),
        ]
        env = dict(os.environ, HOME=str(folder))
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise PdfUnavailable(
                f"PDF-konverteringen tog längre än {int(timeout)} sekunder och avbröts. "
                "Ladda ner Word-filen i stället."
            ) from exc
        result = outdir / "dokument.pdf"
        # soffice exits 0 also when it could not convert: the file itself is the proof.
        if not result.is_file() or result.read_bytes()[:5] != b"%PDF-":
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            raise PdfUnavailable(
                "LibreOffice kunde inte göra en PDF av dokumentet"
                + (f" ({detail[0][:200]})" if detail else "")
                + ". Ladda ner Word-filen i stället."
            )
        return result.read_bytes()


def pdf_page_count(data: bytes) -> int:
    """Count the pages of a PDF (good enough for the PDFs LibreOffice writes)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    if counts:
        return max(counts)
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


# --------------------------------------------------------------------------- file names


def safe_filename(*parts: str, suffix: str = ".docx") -> str:
    """A file name from words: åäö kept, everything odd replaced by a dash."""
    text = " ".join(p for p in parts if p)
    text = re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-.")
    text = re.sub(r"-{2,}", "-", text)
    return (text[:120] or "dokument") + suffix
