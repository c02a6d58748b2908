"""The documents panel of a follow-up and the page "Dokument och mallar" (Streamlit AppTest)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from audit_app.db import make_engine
from audit_app.models import FollowUp, FollowUpStatus, StoredDocument


def _panel(followup_id: str, username: str, role: str) -> None:
    import uuid

    from audit_app.views.documents import render_documents_panel
    from tests.app.harness import login_as

    login_as(username)
    render_documents_panel(uuid.UUID(followup_id))


def _page(username: str, role: str) -> None:

    from audit_app.views.documents import render
    from tests.app.harness import login_as

    login_as(username)
    render()


def _followup(url: str, status: FollowUpStatus) -> str:
    engine = make_engine(url)
    with Session(engine) as session:
        f = session.exec(select(FollowUp).where(FollowUp.status == status)).first()
        assert f is not None
        fid = str(f.id)
    engine.dispose()
    return fid


def _labels(at: AppTest) -> list[str]:
    return [str(getattr(el, "label", "")) for el in at.get("download_button")] + [
        b.label for b in at.button
    ]


def run(fn: Callable[..., None], *args: str) -> AppTest:
    at = AppTest.from_function(fn, args=args, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_panel_of_a_justerad_followup_serves_the_stored_minutes(app_db: str) -> None:
    fid = _followup(app_db, FollowUpStatus.justerad)
    at = run(_panel, fid, "lasare", "lasare")
    labels = _labels(at)
    assert "Minnesanteckningar (Word)" in labels
    assert "Tjänsteskrivelse till utskottet" in labels and "Excel-export" in labels
    assert any("SHA-256" in c.value for c in at.caption)
    engine = make_engine(app_db)
    with Session(engine) as session:
        stored = session.exec(
            select(StoredDocument).where(StoredDocument.followup_id == uuid.UUID(fid))
        ).all()
        assert [d.kind for d in stored] == ["minnesanteckningar"]
    engine.dispose()


def test_panel_of_a_draft_and_pdf_without_soffice(
    app_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIT_SOFFICE", "/finns/inte/soffice")
    fid = _followup(app_db, FollowUpStatus.pagar)
    at = run(_panel, fid, "revisor", "revisor")
    assert any("Utkast" in c.value for c in at.caption)
    pdf = [b for b in at.button if b.label == "Minnesanteckningar (PDF)"]
    assert pdf and pdf[0].disabled
    assert any("LibreOffice" in c.value for c in at.caption)


def test_page_for_admin_and_reader(app_db: str) -> None:
    at = run(_page, "admin", "admin")
    labels = _labels(at)
    assert any(label.startswith("Sammanställning kvartal") for label in labels)
    assert "Åtgärdsregister (Excel)" in labels
    assert labels.count("Ladda ned mallen") == 6
    assert len(at.get("file_uploader")) == 6
    reader = run(_page, "lasare", "lasare")
    assert len(reader.get("file_uploader")) == 0
    assert _labels(reader).count("Ladda ned mallen") == 6
