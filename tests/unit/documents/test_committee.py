"""The tjänsteskrivelse about one follow-up: roles, never names; only text marked for it."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
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


def demo_names() -> set[str]:
    names = {p.name for p in KOMMUN_PARTICIPANTS}
    names |= {name for _, name, role in DEMO_USERS if role is not Role.lasare}
    for c in CONTRACTORS:
        names |= {p.name for p in c.participants}
        names.add(c.contact_name)
    return {n for n in names if " " in n}  # full names, e.g. "Maria Holm"


def test_committee_report_names_no_participant(
    committee_reports: dict[uuid.UUID, tuple[FollowUp, bytes]],
) -> None:
    names = demo_names()
    assert "Maria Holm" in names and "Karin Ek" in names and "Lars Berg" in names
    for followup, content in committee_reports.values():
        doc = open_docx(content)
        text = all_text(doc)
        no_tags_left(text)
        laws = re.sub(r"\blex (Maria|Sarah)\b", "lex", text, flags=re.IGNORECASE)
        for name in names:
            assert name not in text, (name, followup.kind)
            for part in name.split():
                assert not re.search(rf"\b{re.escape(part)}\b", laws), (part, followup.kind)
        heads = headings(doc)
        for h in (
            "Förslag till beslut",
            "Sammanfattning",
            "Ärendet",
            "Bedömning",
            "Beslutsunderlag",
            "Beslut sänds till",
        ):
            assert h in heads
        meta = kv(doc)
        assert set(meta) >= {"Datum", "Dnr", "Handläggare", "Till"}
        # roles are named instead of people
        if followup.participants:
            assert "förvaltningschef" in text.lower()


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
    assert "Maria Holm" not in text and "Holm" not in text and "Lars" not in text
    assert (
        "verksamhetschef berättade att förvaltningschef planerar träffar enligt lex Maria" in text
    )
    assert "INTERN-ANTECKNING" in minutes_text  # the minutes keep everything
    assert "Maria Holm" in minutes_text
