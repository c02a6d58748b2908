"""The municipality's logo in the documents' header: a picture an admin uploads, or none.

Every template has a slot for it (`{{ logo }}` in the header's first cell). A municipality can
instead paste its logo into the slot in Word and upload the template; then no picture is set
here and the tag is simply gone from its template.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from audit_app.auth import MANAGE_TEMPLATES, Actor, require
from audit_app.config import get_settings
from audit_app.errors import ValidationFailed
from audit_app.services.documents.render import Picture

LOGO_NAME = "logotyp.png"
LOGO_WIDTH_MM = 28.0
MAX_LOGO_BYTES = 2 * 1024 * 1024


def logo_path() -> Path:
    return get_settings().data_dir / "templates" / LOGO_NAME


def logo_picture() -> Picture | str:
    """The logo for a document's header, or '' when none is uploaded."""
    path = logo_path()
    if not path.is_file():
        return ""
    return Picture(path.read_bytes(), LOGO_WIDTH_MM)


def save_logo(actor: Actor, data: bytes) -> Path:
    """Store an uploaded logo (PNG or JPEG) as PNG, for every document's header."""
    require(actor, MANAGE_TEMPLATES, "ladda upp kommunens logotyp")
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationFailed(["Logotypen är för stor; högst 2 MB."])
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise ValidationFailed(["Logotypen ska vara en PNG- eller JPEG-bild."])
            out = io.BytesIO()
            image.convert("RGBA").save(out, "PNG")
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationFailed(["Filen är ingen bild som kan läsas (PNG eller JPEG)."]) from exc
    path = logo_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return path


def remove_logo(actor: Actor) -> None:
    """Documents are made without a logo again."""
    require(actor, MANAGE_TEMPLATES, "ta bort kommunens logotyp")
    logo_path().unlink(missing_ok=True)
