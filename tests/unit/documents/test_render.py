"""Rendering: hostile text reaches Word as text, control characters go, the bytes are stable."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from audit_app.db import make_engine, migrate
from audit_app.models import FollowUpKind
from audit_app.services.documents.committee import committee_context
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.minutes import minutes_context
from audit_app.services.documents.registry import COMMITTEE_TEMPLATE, minutes_template
from audit_app.services.documents.sample import sample_data
from audit_app.services.documents.templates import render_template
from tests.unit.documents.docx_reading import (
    all_text,
    body_rows,
    find_table,
    headings,
    kv,
    open_docx,
)
from tests.unit.documents.fixtures import build_large_followup

HOSTILE = (
    'Tom & Jerry <script>alert("x")</script> \'citat\' "dubbla" 😀 ÅÄÖ åäö ]]> {{ x }} {% y %}'
)
LONG = ("Lång kommentar med & och <b>fet</b> text 🚑. " * 120)[:5000]


@pytest.fixture(scope="module", autouse=True)
def _no_uploaded_templates(private_data_dir: Path) -> Path:
    return private_data_dir


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("hostile") / "h.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with Session(engine) as session:
        f = build_large_followup(
            session, items=40, findings=10, actions=300, text=HOSTILE + "\x07\x0c\x01", comment=LONG
        )
        session.commit()
        data = load_followup_data(session, f)
        ctx = minutes_context(data)
        out = {
            "followup": f,
            "context": ctx,
            "minutes": render_template(minutes_template(f.kind), ctx),
            "committee": render_template(COMMITTEE_TEMPLATE, committee_context(data)),
        }
    engine.dispose()
    return out


def test_hostile_text_reaches_word_as_text(hostile: dict[str, Any]) -> None:
    doc = open_docx(hostile["minutes"])
    text = all_text(doc)
    assert HOSTILE in text
    assert "\x07" not in text and "\x0c" not in text and "\x01" not in text
    assert kv(doc)["Utförare"].startswith(HOSTILE)
    assert headings(doc)[0] == hostile["context"]["title"]
    committee = all_text(open_docx(hostile["committee"]))
    assert HOSTILE in committee  # the contractor's name


def test_hostile_long_comment_and_300_actions(hostile: dict[str, Any]) -> None:
    doc = open_docx(hostile["minutes"])
    not_met = find_table(doc, "Punkt", "Krav", "Bedömning", "Kommentar")[0]
    rows = body_rows(not_met)
    assert len(rows) == 10
    assert all(row[3] == LONG.strip() for row in rows)
    assert len(LONG.strip()) > 4900
    plan = find_table(doc, "Avvikelse", "Åtgärd", "Ansvarig", "Klart senast", "Status")[0]
    plan_rows = body_rows(plan)
    assert len(plan_rows) == 300
    assert all(row[1] == HOSTILE for row in plan_rows)
    assert len(hostile["minutes"]) < 2 * 1024 * 1024


def test_control_characters_are_removed_not_fatal() -> None:
    ctx = minutes_context(sample_data(FollowUpKind.avtal))
    ctx["title"] = "Rad1\nRad2\x00\x0b\ud800 slut"
    doc = open_docx(render_template(minutes_template(FollowUpKind.avtal), ctx))
    title = headings(doc)[0]
    assert title.replace("\n", "|") == "Rad1|Rad2 slut"


def test_rendering_is_deterministic() -> None:
    """The same data gives the same bytes: no timestamps in the zip."""
    ctx = minutes_context(sample_data(FollowUpKind.avtal))
    first = render_template(minutes_template(FollowUpKind.avtal), ctx)
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert render_template(minutes_template(FollowUpKind.avtal), ctx) == first
