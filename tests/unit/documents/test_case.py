"""After the justering: the minutes sent and the contractor's comments, the case's diarienummer
from the series, the revisor's bedömning, the stored tjänsteskrivelse; the settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from audit_app import clock
from audit_app.domain.svtext import sv_date
from audit_app.errors import PermissionDenied, ValidationFailed
from audit_app.models import ChangeLog, FollowUp, Result
from audit_app.services import settings as document_settings
from audit_app.services.documents import case, stored
from audit_app.services.documents.committee import committee_context
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.minutes import minutes_context
from tests.conftest import ADMIN, CHEF, LASARE, REVISOR
from tests.unit.documents.docx_reading import all_text, kv, open_docx
from tests.unit.documents.records import Spec, build, registers

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def justerad(session: Session) -> FollowUp:
    spec = Spec(
        answers={"krav-1": Result.ej_uppfyllt, "krav-2": Result.uppfyllt},
        actions={"krav-1": 1},
        stage="justerad",
    )
    return build(session, spec)


def test_the_minutes_sent_and_the_comments_are_kept_and_shown(
    session: Session, justerad: FollowUp
) -> None:
    justerad_on = clock.today()  # justerad now (the real clock), in Swedish local time
    with pytest.raises(ValidationFailed, match="kan inte ha skickats före"):
        case.record_minutes_sent(session, REVISOR, justerad.id, date(2020, 1, 1))
    with pytest.raises(ValidationFailed, match="Registrera först"):
        case.record_contractor_comments(session, REVISOR, justerad.id, justerad_on, "Ok.")
    case.record_minutes_sent(session, CHEF, justerad.id, justerad_on)
    with pytest.raises(ValidationFailed, match="personnummer"):
        case.record_contractor_comments(
            session, REVISOR, justerad.id, justerad_on, "Gäller 19121212-1212."
        )
    case.record_contractor_comments(
        session, REVISOR, justerad.id, justerad_on, "Maria Holm: rutinen är redan ändrad."
    )
    session.commit()
    data = load_followup_data(session, justerad)
    text = all_text(open_docx(stored.minutes_document(session, REVISOR, justerad.id, True).content))
    assert "Minnesanteckningarna skickades till utföraren den" in text
    # the contractor's words, with names replaced by roles
    assert "Utföraren lämnade synpunkter på dem den" in text
    assert "verksamhetschef: rutinen är redan ändrad." in text and "Maria Holm" not in text
    assert "Utförarens synpunkter på minnesanteckningarna, inkomna den" in text
    logged = session.exec(select(ChangeLog).where(ChangeLog.entity_id == str(justerad.id))).all()
    assert {row.field for row in logged} >= {"minutes_sent_on", "contractor_comments"}
    # the justerade minutes are stored as they were: the dispatch is not part of them
    assert data.followup.minutes_sent_on is not None
    assert (
        stored.stored_minutes(session, justerad).sha256
        == stored.stored_minutes(session, justerad).sha256
    )


def test_the_next_meeting_recalls_the_previous_one(session: Session) -> None:
    where = registers(session)
    spec = Spec(answers={"krav-1": Result.ej_uppfyllt}, actions={"krav-1": 1}, stage="justerad")
    first = build(session, spec, where)
    case.record_minutes_sent(session, REVISOR, first.id, clock.today())
    case.record_contractor_comments(session, REVISOR, first.id, clock.today(), "Inga fel.")
    following = build(session, Spec(meeting=date(2026, 9, 1)), where)
    assert following.previous_id == first.id
    intro = minutes_context(load_followup_data(session, following))["point1"]["intro"]
    sent = sv_date(clock.today())
    assert intro[:4] == [
        "Föregående uppföljning var uppföljning av avtal den 3 mars 2026.",
        "Då konstaterades en avvikelse (mot punkt 4.1).",
        f"Minnesanteckningarna skickades till utföraren den {sent}.",
        f"Utföraren lämnade synpunkter på dem den {sent}: ”Inga fel.”",
    ]
    assert intro[4] == (
        "En åtgärd från tidigare uppföljningar var öppen inför mötet och är ännu inte avstämd."
    )


def test_the_case_number_comes_from_the_series_or_is_entered(
    session: Session, justerad: FollowUp
) -> None:
    document_settings.save_document_settings(
        session,
        ADMIN,
        {"dnr_pattern": "SN {år}-{nr}", "dnr_digits": 4, "committee": "Socialnämnden"},
    )
    assert case.take_committee_dnr(session, REVISOR, justerad.id, TODAY) == "SN 2026-0001"
    with pytest.raises(ValidationFailed, match="redan diarienummer"):
        case.take_committee_dnr(session, REVISOR, justerad.id, TODAY)
    case.save_committee_case(session, REVISOR, justerad.id, dnr="")
    assert case.take_committee_dnr(session, REVISOR, justerad.id, TODAY) == "SN 2026-0002"
    case.save_committee_case(session, REVISOR, justerad.id, dnr=" SN  2026-0417 ")
    data = load_followup_data(session, justerad)
    ctx = committee_context(data)
    assert ctx["dnr"] == "SN 2026-0417" and ctx["proposal"][0].startswith("Socialnämnden noterar")
    assert {"label": "Till", "value": "Socialnämnden"} in ctx["meta"]
    assert data.contract is not None and data.contract.dnr not in ctx["dnr"]


def test_the_revisor_words_the_bedomning_before_the_report_is_stored(
    session: Session, justerad: FollowUp
) -> None:
    view = case.committee_case(session, REVISOR, justerad.id, TODAY)
    assert not view.assessment_is_own
    assert "En avvikelse från avtalet konstaterades (punkt 4.1)." in view.assessment
    own = "Förvaltningen följer särskilt upp rutinen.\n\nÖvrigt utan anmärkning."
    case.save_committee_case(session, REVISOR, justerad.id, assessment=own)
    with pytest.raises(ValidationFailed, match="diarienummer"):
        case.store_committee_report(session, REVISOR, justerad.id, TODAY)
    case.save_committee_case(session, REVISOR, justerad.id, dnr="VOU 2026/9")
    doc = case.store_committee_report(session, REVISOR, justerad.id, TODAY)
    text = all_text(open_docx(doc.content))
    assert "Förvaltningen följer särskilt upp rutinen." in text
    assert "Övrigt utan anmärkning." in text
    assert kv(open_docx(doc.content))["Datum"] == "20 mars 2026"
    with pytest.raises(ValidationFailed, match="lagrad"):
        case.save_committee_case(session, REVISOR, justerad.id, assessment="Ändrad.")
    download = stored.minutes_document(session, LASARE, justerad.id, committee=True)
    assert download.stored and download.content == doc.content


def test_only_the_right_roles_record_and_only_after_justering(session: Session) -> None:
    pagar = build(session, Spec(answers={"krav-1": Result.uppfyllt}))
    with pytest.raises(ValidationFailed, match="justerade"):
        case.record_minutes_sent(session, REVISOR, pagar.id, clock.today())
    with pytest.raises(ValidationFailed, match="justerade"):
        case.save_committee_case(session, REVISOR, pagar.id, dnr="VOU 1")
    with pytest.raises(PermissionDenied):
        case.record_minutes_sent(session, LASARE, pagar.id, clock.today())
    with pytest.raises(PermissionDenied):
        document_settings.save_document_settings(session, REVISOR, {})


def test_the_case_of_a_meeting_not_yet_justerad_is_empty_and_cheap(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The conduct page asks for the case on every rerun: before justering the answer is that
    there is none yet, without building the documents' data."""
    pagar = build(session, Spec(answers={"krav-1": Result.ej_uppfyllt}))

    def not_needed(*args: object, **kwargs: object) -> None:
        raise AssertionError("the document data is built for a case not yet justerad")

    monkeypatch.setattr(case, "load_followup_data", not_needed)
    view = case.committee_case(session, REVISOR, pagar.id, TODAY)
    assert view.justerad is False
    assert view.stored is None and view.minutes_sent_on is None and view.dnr == ""


def test_settings_are_checked_and_kept(session: Session) -> None:
    with pytest.raises(ValidationFailed) as caught:
        document_settings.save_document_settings(
            session, ADMIN, {"dnr_pattern": "VOU {år}", "committee": ""}
        )
    messages = " ".join(caught.value.for_field("dnr_pattern") + caught.value.for_field("committee"))
    assert "{nr}" in messages and "Utskottets namn: fyll i." in messages
    saved = document_settings.save_document_settings(
        session,
        ADMIN,
        {
            "committee": "Vård- och omsorgsutskottet",
            "signatory": {"name": "Lars Berg", "title": "Förvaltningschef"},
            "officials": [{"name": "Karin Ek", "title": "Utvecklingsledare"}],
        },
    )
    assert document_settings.document_settings(session) == saved
    assert saved.official_title("karin ek") == "Utvecklingsledare"
    assert saved.signatory.signed == "Lars Berg, förvaltningschef"
