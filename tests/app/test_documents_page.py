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
    assert "Tjänsteskrivelse (Word)" in labels and "Excel-export" in labels
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
    assert any(label.startswith("Rapport kvartal") for label in labels)
    assert "Åtgärdsregister (Excel)" in labels
    assert labels.count("Ladda ned mallen") == 7
    assert len(at.get("file_uploader")) == 8  # seven templates and the logo
    assert "Spara inställningarna" in labels
    assert [t.value for t in at.text_input if t.label == "Utskottets namn"] == [
        "Vård- och omsorgsutskottet"
    ]
    reader = run(_page, "lasare", "lasare")
    assert len(reader.get("file_uploader")) == 0
    assert _labels(reader).count("Ladda ned mallen") == 7
    assert "Spara inställningarna" not in _labels(reader)
    assert any("Lars Berg, förvaltningschef" in str(t.value) for t in reader.table)


def _case_of(url: str, followup_id: str) -> FollowUp:
    engine = make_engine(url)
    with Session(engine) as session:
        f = session.get(FollowUp, uuid.UUID(followup_id))
        assert f is not None
        session.expunge(f)
    engine.dispose()
    return f


def _justerad_without_case(url: str) -> str:
    """A justerad follow-up of another kind than avtal: the demo gives it no case number."""
    engine = make_engine(url)
    with Session(engine) as session:
        f = session.exec(
            select(FollowUp).where(
                FollowUp.status == FollowUpStatus.justerad, FollowUp.committee_dnr == ""
            )
        ).first()
        assert f is not None
        fid = str(f.id)
    engine.dispose()
    return fid


def test_the_revisor_records_the_case_and_stores_the_tjansteskrivelse(app_db: str) -> None:
    fid = _justerad_without_case(app_db)
    at = run(_panel, fid, "revisor", "revisor")
    assessment = next(t for t in at.text_area if t.label == "Bedömning")
    assert assessment.value  # the text made from the record, ready to be reworded
    take = next(b for b in at.button if b.label.startswith("Ta nästa nummer"))
    take.click().run()
    assert not at.exception, [e.value for e in at.exception]
    dnr = _case_of(app_db, fid).committee_dnr
    assert dnr.startswith("VOU ")
    assert any(f"diarienummer {dnr}" in s.value for s in at.success)
    next(t for t in at.text_area if t.label == "Bedömning").input("Egen bedömning.")
    next(b for b in at.button if b.label == "Spara bedömning").click().run()
    assert _case_of(app_db, fid).committee_assessment == "Egen bedömning."
    next(b for b in at.button if b.label == "Lagra tjänsteskrivelsen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    engine = make_engine(app_db)
    with Session(engine) as session:
        kinds = {
            d.kind
            for d in session.exec(
                select(StoredDocument).where(StoredDocument.followup_id == uuid.UUID(fid))
            )
        }
    engine.dispose()
    assert "tjansteskrivelse" in kinds
    assert any("Lagrad" in c.value for c in at.caption)
    assert not [t for t in at.text_area if t.label == "Bedömning"]  # no longer editable


def test_a_reader_sees_the_dispatch_but_cannot_change_it(app_db: str) -> None:
    fid = _followup(app_db, FollowUpStatus.justerad)
    at = run(_panel, fid, "lasare", "lasare")
    labels = _labels(at)
    assert "Spara datum" not in labels and "Lagra tjänsteskrivelsen" not in labels
    sent = _case_of(app_db, fid).minutes_sent_on
    if sent is not None:
        assert any("skickades" in c.value for c in at.caption)
