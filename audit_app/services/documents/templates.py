"""The Word templates in use: shipped or uploaded, upload with validation, reset, samples.

The templates in `templates/` are real .docx files with docxtpl tags; the municipality edits them
in Word. An uploaded template (admin page "Dokumentmallar") lies in `data_dir/templates/` and
overrides the shipped one with the same name; the one it replaced is kept in `history/`.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from jinja2 import UndefinedError

from audit_app.auth import MANAGE_TEMPLATES, Actor, require
from audit_app.config import get_settings
from audit_app.errors import UserError
from audit_app.services.documents.registry import template_spec
from audit_app.services.documents.render import (
    TemplateProblem,
    render_docx,
    translate_template_error,
)

MAX_TEMPLATE_BYTES = 15 * 1024 * 1024


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


def render_template(filename: str, context: Mapping[str, Any]) -> bytes:
    """Render the template in use with this name to .docx bytes."""
    return render_docx(template_bytes(filename), context)


def sample_document(filename: str) -> bytes:
    """The template in use filled with its made-up sample data."""
    return render_template(filename, template_spec(filename).sample())


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
