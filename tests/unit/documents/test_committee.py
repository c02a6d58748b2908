"""The tjänsteskrivelse about one follow-up: roles, never names; only text marked for it."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from docx.document import Document as DocumentObject
from sqlalchemy import Engine
from sqlmodel import Session, select

from audit_app.demo import CONTRACTORS, DEMO_USERS, KOMMUN_PARTICIPANTS
from audit_app.models import FindingKind, FollowUp, FollowUpStatus, Role
from audit_app.services import followups
from audit_app.services.documents.committee import committee_context
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.minutes import minutes_context
from audit_app.services.documents.registry import COMMITTEE_TEMPLATE, minutes_template
from audit_app.services.documents.templates import render_template
from tests.conftest import REVISOR
from tests.unit.documents.docx_reading import all_text, headings, kv, no_tags_left, open_docx


@pytest.fixture(scope="module", autouse=True)
def _no_uploaded_templates(private_data_dir: Path) -> Path:
    return private_data_dir


@pytest.fixture(scope="module")
def committee_reports(demo_engine: Engine) -> dict[uuid.UUID, tuple[FollowUp, bytes]]:
    """The tjänsteskrivelse of every demo follow-up."""
    out = {}
    with Session(demo_engine) as session:
        for f in session.exec(select(FollowUp)).all():
            ctx = committee_context(load_followup_data(session, f))
            out[f.id] = (f, render_template(COMMITTEE_TEMPLATE, ctx))
    return out


def contractor_staff() -> set[str]:
    """The contractors' people in the demo (participants and contacts): never named."""
    names = set()
    for c in CONTRACTORS:
        names |= {p.name for p in c.participants}
        names.add(c.contact_name)
    return {n for n in names if " " in n}  # full names, e.g. "Maria Holm"


def officials() -> set[str]:
    """The municipality's officials: named only where they sign or handle the case."""
    names = {p.name for p in KOMMUN_PARTICIPANTS}
    return names | {name for _, name, role in DEMO_USERS if role is not Role.lasare}


def body_text(doc: DocumentObject) -> str:
    """The text outside the facts table under the title and the signature table."""
    signature = doc.tables[-1]
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables[1:-1]:
        parts += [c.text for row in table.rows for c in row.cells]
    assert "_____" in signature.rows[0].cells[0].text  # the last table is the signatures
    return "\n".join(parts)


def test_committee_report_names_no_contractor_staff(
    committee_reports: dict[uuid.UUID, tuple[FollowUp, bytes]],
) -> None:
    staff, ours = contractor_staff(), officials()
    assert "Maria Holm" in staff and "Karin Ek" in ours and "Lars Berg" in ours
    signed = 0
    for followup, content in committee_reports.values():
        doc = open_docx(content)
        text = all_text(doc)
        no_tags_left(text)
        laws = re.sub(r"\blex (Maria|Sarah)\b", "lex", text, flags=re.IGNORECASE)
        for name in staff:
            assert name not in text, (name, followup.kind)
            for part in name.split():
                assert not re.search(rf"\b{re.escape(part)}\b", laws), (part, followup.kind)
        body = body_text(doc)
        for name in ours:
            assert name not in body, (name, followup.kind)
        heads = headings(doc)
        for h in (
            "Förslag till beslut",
            "Sammanfattning",
            "Ärendet",
            "Bedömning",
            "Beslutsunderlag",
            "Sändlista",
        ):
            assert h in heads
        meta = kv(doc)
        assert set(meta) >= {"Datum", "Diarienummer", "Handläggare", "Till"}
        assert meta["Till"] == "Vård- och omsorgsutskottet"
        if followup.contract_id is not None:
            assert followup.committee_dnr == "" or meta["Diarienummer"] == followup.committee_dnr
        signatures = doc.tables[-1].rows[0].cells
        if "Lars Berg" in signatures[0].text and "Förvaltningschef" in signatures[0].text:
            signed += 1
        # roles are named instead of people
        if followup.participants:
            assert "förvaltningschef" in body.lower()
    assert signed == len(committee_reports)  # signed by the official in the settings


def test_committee_report_quotes_only_marked_text(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        f = session.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.pagar)).first()
        assert f is not None
        followups.add_finding(
            session,
            REVISOR,
            f.id,
            FindingKind.avvikelse,
            "INTERN rubrik",
            "INTERN-ANTECKNING som inte får nå nämnden",
            clause="9.9",
        )
        followups.add_finding(
            session,
            REVISOR,
            f.id,
            FindingKind.forbattringsomrade,
            "Anhörigträffar",
            "TILL-NÄMNDEN: Maria Holm berättade att Lars planerar träffar enligt lex Maria.",
            for_committee=True,
        )
        data = load_followup_data(session, f)
        text = all_text(open_docx(render_template(COMMITTEE_TEMPLATE, committee_context(data))))
        minutes_text = all_text(
            open_docx(render_template(minutes_template(f.kind), minutes_context(data)))
        )
        session.rollback()
    assert "TILL-NÄMNDEN" in text
    assert "INTERN" not in text
    assert "Maria Holm" not in text and "Holm" not in text
    assert "Lars" not in text.split("Sändlista")[0].split("Beslutsunderlag")[0]
    assert (
        "verksamhetschef berättade att förvaltningschef planerar träffar enligt lex Maria" in text
    )
    assert "INTERN-ANTECKNING" in minutes_text  # the minutes keep everything
    assert "Maria Holm" in minutes_text
