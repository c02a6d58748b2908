"""Stored documents: a justerad follow-up's minutes are the same bytes every time; drafts are not
stored; the file names say which is which."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from audit_app.db import make_engine
from audit_app.errors import UserError
from audit_app.models import FollowUp, FollowUpKind, FollowUpStatus, StoredDocument
from audit_app.services import followups
from audit_app.services.documents import filenames
from audit_app.services.documents.stored import (
    justera_and_store,
    minutes_document,
    stored_minutes,
)
from tests.conftest import CHEF, REVISOR, hand_over
from tests.unit.documents.docx_reading import all_text, open_docx


@pytest.fixture(scope="module", autouse=True)
def _no_uploaded_templates(private_data_dir: Path) -> Path:
    return private_data_dir


def test_stored_minutes_are_byte_identical_and_versioned(demo_db: str) -> None:
    engine = make_engine(demo_db)
    with Session(engine) as session:
        f = session.exec(
            select(FollowUp).where(
                FollowUp.status == FollowUpStatus.justerad, FollowUp.kind == FollowUpKind.avtal
            )
        ).first()
        assert f is not None
        fid = f.id
        first = stored_minutes(session, f)
        session.commit()
        assert first.sha256 == hashlib.sha256(first.content).hexdigest()
        assert first.followup_version == f.doc_version == 1
    with Session(engine) as session:
        f = followups.get_followup(session, fid)
        again = stored_minutes(session, f)
        download = minutes_document(session, REVISOR, f.id)
        assert again.id == first.id
        assert again.content == first.content
        assert download.content == first.content and download.stored
        # a correction opens version 2; justerad again, it gets its own document
        followups.start_correction(session, REVISOR, fid, "Fel datum i åtgärdsplanen")
        with pytest.raises(UserError):
            stored_minutes(session, f)
        hand_over(session, REVISOR, fid)
        justera_and_store(session, CHEF, fid)
        second = stored_minutes(session, f)
        session.commit()
        assert second.followup_version == 2
        assert second.content != first.content
        assert "rättelse: Fel datum i åtgärdsplanen" in all_text(open_docx(second.content))
        docs = session.exec(select(StoredDocument).where(StoredDocument.followup_id == fid)).all()
        assert sorted(d.followup_version for d in docs) == [1, 2]
        # tampering is noticed
        second.content = second.content + b"x"
        session.add(second)
        session.commit()
        with pytest.raises(UserError, match="kontrollsumma"):
            stored_minutes(session, followups.get_followup(session, fid))
    engine.dispose()


def test_draft_minutes_are_not_stored(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        f = session.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.klar)).first()
        assert f is not None
        download = minutes_document(session, REVISOR, f.id)
        assert not download.stored and download.filename.endswith("-utkast.docx")
        with pytest.raises(UserError, match="justerad"):
            stored_minutes(session, f)
        assert not session.exec(
            select(StoredDocument).where(StoredDocument.followup_id == f.id)
        ).all()


def test_file_names_say_draft_until_justerad() -> None:
    f = FollowUp(
        kind=FollowUpKind.avtal,
        contractor_id=REVISOR.user_id,  # any id: the name needs none
        planned_date=date(2026, 3, 3),
        status=FollowUpStatus.klar,
    )
    units = ["Solgården", "Björken"]
    draft = "Minnesanteckningar-Uppföljning-av-avtal-Solgården-Björken-2026-03-03-v1-utkast.docx"
    assert filenames.minutes_filename(f, units) == draft
    assert filenames.committee_filename(f, units).startswith("Tjansteskrivelse-Uppföljning")
    assert filenames.pdf_filename(draft) == draft.removesuffix(".docx") + ".pdf"
    f.status = FollowUpStatus.justerad
    assert filenames.minutes_filename(f, units) == draft.replace("-utkast", "")
    assert filenames.committee_filename(f, units).endswith("-v1.docx")
