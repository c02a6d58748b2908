"""File names of every document kind: one function each, used by the pages, the CLI and storage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from audit_app.domain.labels import KIND_LABELS
from audit_app.domain.svtext import sv_join
from audit_app.models import FollowUp, FollowUpStatus
from audit_app.services.documents.period import period_label


def safe_filename(*parts: str, suffix: str = ".docx") -> str:
    """A file name from words: åäö kept, everything odd replaced by a dash."""
    text = " ".join(p for p in parts if p)
    text = re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-.")
    text = re.sub(r"-{2,}", "-", text)
    return (text[:120] or "dokument") + suffix


def _followup_document(prefix: str, followup: FollowUp, units: Sequence[str]) -> str:
    """Prefix-Kind-Units-Date-vN.docx; a follow-up not yet justerad gives a draft (-utkast)."""
    name = safe_filename(
        prefix,
        KIND_LABELS[followup.kind],
        sv_join(units).replace(" och ", "-"),
        followup.planned_date.isoformat(),
        f"v{followup.doc_version}",
    )
    if followup.status is FollowUpStatus.justerad:
        return name
    return name.removesuffix(".docx") + "-utkast.docx"


def minutes_filename(followup: FollowUp, units: Sequence[str]) -> str:
    """Minnesanteckningar-Uppföljning-av-avtal-Solgården-2026-03-03-v1.docx (-utkast if draft)."""
    return _followup_document("Minnesanteckningar", followup, units)


def committee_filename(followup: FollowUp, units: Sequence[str]) -> str:
    """Tjansteskrivelse-Uppföljning-av-avtal-Solgården-2026-03-03-v1.docx (-utkast if draft)."""
    return _followup_document("Tjansteskrivelse", followup, units)


def pdf_filename(docx_name: str) -> str:
    """The PDF of a Word document has the same name ending in .pdf."""
    return docx_name.removesuffix(".docx") + ".pdf"


def followup_export_filename(followup: FollowUp, units: Sequence[str]) -> str:
    return safe_filename(
        "Uppfoljning",
        KIND_LABELS[followup.kind],
        sv_join(units),
        followup.planned_date.isoformat(),
        suffix=".xlsx",
    )


def period_filename(date_from: date, date_to: date) -> str:
    return safe_filename("Sammanstallning-uppfoljningar", period_label(date_from, date_to))


def yearly_filename(year: int) -> str:
    return safe_filename("Kvalitetsberattelse-bidrag", str(year))


def action_register_filename(today: date) -> str:
    return safe_filename("Atgardsregister", today.isoformat(), suffix=".xlsx")


def sample_filename(template: str) -> str:
    """The sample document of a template: minnesanteckningar_avtal-exempel.docx."""
    return template.removesuffix(".docx") + "-exempel.docx"
