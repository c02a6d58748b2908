"""PDF from a Word document through LibreOffice (soffice), when it is installed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from audit_app.errors import UserError


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
