"""The documents of one follow-up as people get them: stored once justerad, else a fresh draft.

A justerad follow-up's minutes are generated in the transaction of the justering and kept byte
for byte (SHA-256); every later download returns the same bytes. A correction (a new version)
gets its own documents; those of earlier versions stay.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from audit_app.auth import Actor, reads
from audit_app.errors import UserError
from audit_app.models import FollowUp, FollowUpStatus, StoredDocument, utcnow
from audit_app.services import followups
from audit_app.services.documents.committee import committee_context
from audit_app.services.documents.data import FollowUpData, load_followup_data
from audit_app.services.documents.filenames import (
    committee_filename,
    followup_export_filename,
    minutes_filename,
    pdf_filename,
)
from audit_app.services.documents.minutes import minutes_context
from audit_app.services.documents.pdf import docx_to_pdf, pdf_unavailable_reason
from audit_app.services.documents.registry import COMMITTEE_TEMPLATE, minutes_template
from audit_app.services.documents.render import DOCX_MIME
from audit_app.services.documents.templates import render_template

KIND_MINUTES = "minnesanteckningar"
KIND_COMMITTEE = "tjansteskrivelse"


@dataclass(frozen=True)
class Download:
    filename: str
    content: bytes
    mime: str
    stored: bool = False
    sha256: str = ""


def _render(data: FollowUpData, kind: str) -> tuple[bytes, str]:
    """The document of this kind and its file name, made now from the data."""
    followup, units = data.followup, data.unit_list
    if kind == KIND_MINUTES:
        content = render_template(minutes_template(followup.kind), minutes_context(data))
        return content, minutes_filename(followup, units)
    if kind == KIND_COMMITTEE:
        content = render_template(COMMITTEE_TEMPLATE, committee_context(data))
        return content, committee_filename(followup, units)
    raise UserError(f"Okänd dokumenttyp {kind!r}.")


def stored_of(session: Session, followup: FollowUp, kind: str) -> StoredDocument | None:
    """The document of this kind kept for the follow-up's current version, if there is one."""
    return session.exec(
        select(StoredDocument)
        .where(
            StoredDocument.followup_id == followup.id,
            StoredDocument.followup_version == followup.doc_version,
            StoredDocument.kind == kind,
        )
        .order_by(col(StoredDocument.created_at), col(StoredDocument.id))
    ).first()


def checked(doc: StoredDocument) -> StoredDocument:
    """The stored document, refused if its bytes no longer match their SHA-256."""
    if hashlib.sha256(doc.content).hexdigest() != doc.sha256:
        raise UserError(
            "Det lagrade dokumentet stämmer inte med sin kontrollsumma (SHA-256). Kontakta "
            "systemförvaltaren; dokumentet lämnas inte ut."
        )
    return doc


def stored_document(session: Session, followup: FollowUp, kind: str) -> StoredDocument:
    """The document of a justerad follow-up, generated once and kept byte for byte.

    The caller commits (one unit of work).
    """
    if followup.status is not FollowUpStatus.justerad:
        raise UserError(
            "Bara en justerad uppföljning har ett lagrat dokument. Justera uppföljningen först."
        )
    existing = stored_of(session, followup, kind)
    if existing is not None:
        return checked(existing)
    content, filename = _render(load_followup_data(session, followup), kind)
    return keep(session, followup, kind, filename, content)


def keep(
    session: Session, followup: FollowUp, kind: str, filename: str, content: bytes
) -> StoredDocument:
    """Store a document of the follow-up's current version byte for byte, with its SHA-256."""
    doc = StoredDocument(
        followup_id=followup.id,
        followup_version=followup.doc_version,
        kind=kind,
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        created_at=utcnow(),
    )
    session.add(doc)
    session.flush()
    return doc


def stored_minutes(session: Session, followup: FollowUp) -> StoredDocument:
    """The minutes of a justerad follow-up: generated once, then the same bytes every time."""
    return stored_document(session, followup, KIND_MINUTES)


def justera_and_store(session: Session, actor: Actor, followup_id: uuid.UUID) -> FollowUp:
    """Justera a follow-up and keep its minutes unchanged from then on (one transaction)."""
    return followups.justera(session, actor, followup_id, store=stored_minutes)


@reads
def minutes_document(
    session: Session, actor: Actor, followup_id: uuid.UUID, committee: bool = False
) -> Download:
    """What the download button gives: the stored document when justerad, else a fresh draft
    (drafts only for those who may read unfinished follow-ups)."""
    followup = followups.visible_followup(session, actor, followup_id)
    if followup.status is FollowUpStatus.justerad and not committee:
        doc = stored_document(session, followup, KIND_MINUTES)
        return Download(doc.filename, doc.content, DOCX_MIME, stored=True, sha256=doc.sha256)
    if committee:
        # The tjänsteskrivelse is kept once the revisor stores it (case.store_committee_report);
        # until then every download is made from the record as it is.
        kept = stored_of(session, followup, KIND_COMMITTEE)
        if kept is not None:
            kept = checked(kept)
            return Download(kept.filename, kept.content, DOCX_MIME, stored=True, sha256=kept.sha256)
    kind = KIND_COMMITTEE if committee else KIND_MINUTES
    content, filename = _render(load_followup_data(session, followup), kind)
    return Download(filename, content, DOCX_MIME)


@reads
def minutes_pdf(session: Session, actor: Actor, followup_id: uuid.UUID) -> bytes:
    """The minutes (stored or draft) as PDF, made by LibreOffice."""
    return docx_to_pdf(minutes_document(session, actor, followup_id).content)


# --------------------------------------------------------------------------- the page's panel


@dataclass(frozen=True)
class DocumentsPanel:
    """What the documents panel of a follow-up shows: names, the stored minutes, PDF or not."""

    locked: bool
    version: int
    minutes_name: str
    pdf_name: str
    committee_name: str
    excel_name: str
    stored: StoredDocument | None
    pdf_unavailable: str | None


@reads
def documents_panel(session: Session, actor: Actor, followup_id: uuid.UUID) -> DocumentsPanel:
    """The panel of one follow-up; a justerad follow-up's minutes are stored the first time."""
    followup = followups.visible_followup(session, actor, followup_id)
    locked = followup.status is FollowUpStatus.justerad
    stored = stored_minutes(session, followup) if locked else None
    units = followups.unit_names(session, [followup.id])[followup.id]
    minutes_name = stored.filename if stored else minutes_filename(followup, units)
    return DocumentsPanel(
        locked=locked,
        version=followup.doc_version,
        minutes_name=minutes_name,
        pdf_name=pdf_filename(minutes_name),
        committee_name=committee_filename(followup, units),
        excel_name=followup_export_filename(followup, units),
        stored=stored,
        pdf_unavailable=pdf_unavailable_reason(),
    )
