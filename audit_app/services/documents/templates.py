"""The Word templates in use: shipped or uploaded, upload with validation, reset, samples.

The templates in `templates/` are real .docx files with docxtpl tags; the municipality edits them
in Word. An uploaded template (admin page "Dokumentmallar") lies in `data_dir/templates/` and
overrides the shipped one with the same name; the one it replaced is kept in `history/`.

**Where a template is rendered.** A shipped template whose SHA-256 is listed in the shipped
`SHA256SUMS` (written by `templates/build_templates.py`) is our own code and is rendered in the
app's process: the minutes stay as fast as before. Every other template (an upload, or a
shipped file changed by hand) is checked as a zip (declared sizes) and validated and rendered in
a guarded child process with the template limits (memory, time), so a tag that loops forever or
builds a gigabyte of text ends as a Swedish message and never takes the app with it.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document as open_docx

from audit_app.auth import MANAGE_TEMPLATES, Actor, require
from audit_app.config import get_settings
from audit_app.errors import UserError
from audit_app.services.documents.registry import template_spec
from audit_app.services.documents.render import TemplateProblem, render_docx
from audit_app.services.untrusted.checks import check_upload
from audit_app.services.untrusted.errors import FileRejected
from audit_app.services.untrusted.guard import run_guarded
from audit_app.services.untrusted.limits import file_limits, template_limits

MAX_TEMPLATE_BYTES = file_limits().template_bytes
"""The upload widget's cap (AUDIT_TEMPLATE_MAX_MB when the app started)."""


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


SUMS_FILE = "SHA256SUMS"


@cache
def _sums(path: Path, mtime_ns: int) -> frozenset[str]:
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(line.split()[0] for line in text.splitlines() if line.strip())


def is_trusted(path: Path, data: bytes) -> bool:
    """Tell whether a template is a shipped one, unchanged (its hash is in SHA256SUMS)."""
    sums = shipped_dir() / SUMS_FILE
    if path.parent.resolve() != shipped_dir().resolve() or not sums.is_file():
        return False
    return hashlib.sha256(data).hexdigest() in _sums(sums, sums.stat().st_mtime_ns)


def render_template(filename: str, context: Mapping[str, Any]) -> bytes:
    """Render the template in use with this name to .docx bytes (see the module's note)."""
    path = template_path(filename)
    data = path.read_bytes()
    if is_trusted(path, data):
        return render_docx(data, context)
    return render_guarded(filename, data, context)


def _check_template(filename: str, data: bytes) -> None:
    limits = file_limits()
    check_upload(
        data,
        filename,
        {"docx"},
        max_bytes=limits.template_bytes,
        max_unpacked=limits.template_unpacked_bytes,
    )


def render_guarded(
    filename: str, data: bytes, context: Mapping[str, Any], *, strict: bool = False
) -> bytes:
    """Render a template from outside in a guarded child (template limits); return .docx bytes."""
    _check_template(filename, data)
    rendered: bytes = run_guarded(
        _render_in_child,
        data,
        dict(context),
        strict,
        filename=filename,
        limits=template_limits(),
        what="mall",
    )
    return rendered


def _render_in_child(data: bytes, context: dict[str, Any], strict: bool) -> bytes:
    """Render, and for a test render (strict) check that Word can open the result (in the child)."""
    rendered = render_docx(data, context, strict=strict)
    if strict:
        try:
            open_docx(io.BytesIO(rendered))
        except Exception as exc:
            raise TemplateProblem(
                "Mallen ger ett dokument som Word inte kan öppna. Troligen står en {%tr %}-tagg "
                "utanför en tabellrad eller en {%p %}-tagg i samma stycke som text. Den tidigare "
                "mallen används fortfarande."
            ) from exc
    return rendered


def sample_document(filename: str) -> bytes:
    """The template in use filled with its made-up sample data."""
    return render_template(filename, template_spec(filename).sample())


def validate_template(filename: str, data: bytes) -> bytes:
    """Test-render an uploaded template with sample data in a guarded child; return the sample.

    Raises TemplateProblem (Swedish) for a file that is not .docx, a broken tag, a field that
    does not exist, or a result Word could not open; `FileRejected` for a zip bomb, and
    `GuardLimit` when the render goes over the template limits of memory or time.
    """
    spec = template_spec(filename)
    cap = file_limits().template_bytes
    if len(data) > cap:
        raise TemplateProblem(
            f"Mallen är för stor ({len(data) // 1024 // 1024} MB); högst "
            f"{cap // 1024 // 1024} MB. Komprimera bilderna i Word."
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
        return render_guarded(filename, data, spec.sample(), strict=True)
    except FileRejected as exc:
        raise TemplateProblem(f"{exc.message} Den tidigare mallen används fortfarande.") from None


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
