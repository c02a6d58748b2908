"""Word minutes and committee reports: every demo follow-up, hostile content, locked documents.

The demo database is copied once for the module and every document is rendered once; the tests
then open the results with python-docx and compare headings, tables and rows with the data.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from sqlalchemy import Engine
from sqlmodel import Session, select

from audit_app.db import make_engine
from audit_app.demo import CONTRACTORS, DEMO_USERS, KOMMUN_PARTICIPANTS
from audit_app.errors import UserError
from audit_app.models import (
    FindingKind,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Role,
    StoredDocument,
)
from audit_app.services import followups as fu
from audit_app.services import minutes as mn
from audit_app.services.documents import render_docx, sv_date, sv_period
from audit_app.services.minutes import justera_and_store
from benchmarks.bench_minutes import build_large_followup, staffing_analysis
from tests.conftest import CHEF, REVISOR, REVISOR2

HOSTILE = (
    'Tom & Jerry <script>alert("x")</script> \'citat\' "dubbla" 😀 ÅÄÖ åäö ]]> {{ x }} {% y %}'
)
LONG = ("Lång kommentar med & och <b>fet</b> text 🚑. " * 120)[:5000]


# --------------------------------------------------------------------------- helpers


def open_docx(content: bytes) -> DocumentObject:
    assert content[:2] == b"PK"
    return Document(io.BytesIO(content))


def all_text(doc: DocumentObject) -> str:
    """Every text of the document: body, tables, headers and footers."""
    parts = ["".join(t.text or "" for t in doc.element.body.iter(qn("w:t")))]
    for section in doc.sections:
        for part in (section.header, section.footer):
            parts.append("".join(t.text or "" for t in part._element.iter(qn("w:t"))))
    return "\n".join(parts)


def headings(doc: DocumentObject) -> list[str]:
    return [
        p.text
        for p in doc.paragraphs
        if p.style is not None and (p.style.name.startswith("Heading") or p.style.name == "Title")
    ]


def find_table(doc: DocumentObject, first_header: str, *more: str) -> list[Table]:
    out = []
    for table in doc.tables:
        head = [c.text for c in table.rows[0].cells]
        if head and head[0] == first_header and all(m in head for m in more):
            out.append(table)
    return out


def body_rows(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def kv(doc: DocumentObject) -> dict[str, str]:
    """The label/value table under the title (the first two-column table without header)."""
    table = doc.tables[0]
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def no_tags_left(text: str) -> None:
    assert "{%" not in text.replace("{% y %}", ""), text[:2000]
    assert "{{" not in text.replace("{{ x }}", ""), text[:2000]


@dataclass
class Rendered:
    followup: FollowUp
    context: dict[str, Any]
    minutes: bytes
    committee: bytes
    committee_context: dict[str, Any]

    @cached_property
    def minutes_doc(self) -> DocumentObject:
        return open_docx(self.minutes)

    @cached_property
    def committee_doc(self) -> DocumentObject:
        return open_docx(self.committee)


@pytest.fixture(scope="module")
def demo_engine(
    demo_template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("minutes") / "demo.db"
    path.write_bytes(demo_template_db.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module", autouse=True)
def private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No template a developer uploaded locally may leak into these tests."""
    data = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUDIT_DATA_DIR", str(data))
        yield data


@pytest.fixture(scope="module")
def rendered(demo_engine: Engine) -> dict[uuid.UUID, Rendered]:
    out = {}
    with Session(demo_engine) as session:
        avtal = session.exec(
            select(FollowUp).where(
                FollowUp.kind == FollowUpKind.avtal, FollowUp.status == FollowUpStatus.justerad
            )
        ).first()
        assert avtal is not None
        session.add(staffing_analysis(avtal))  # one follow-up with a staffing review
        session.commit()
        for f in session.exec(select(FollowUp)).all():
            data = mn.load_followup_data(session, f)
            ctx = mn.minutes_context(data)
            cctx = mn.committee_context(data)
            out[f.id] = Rendered(
                followup=f,
                context=ctx,
                minutes=render_docx(mn.minutes_template(f), ctx),
                committee=render_docx(mn.COMMITTEE_TEMPLATE, cctx),
                committee_context=cctx,
            )
    return out


# --------------------------------------------------------------------------- formatting


def test_swedish_dates() -> None:
    from datetime import date

    assert sv_date(date(2026, 11, 22)) == "22 november 2026"
    assert sv_date("2026-01-05") == "5 januari 2026"
    assert sv_date(None) == ""
    assert sv_period(date(2026, 3, 2), date(2026, 3, 15)) == "2–15 mars 2026"
    assert sv_period(date(2026, 2, 23), date(2026, 3, 8)) == "23 februari–8 mars 2026"
    assert sv_period(date(2025, 12, 22), date(2026, 1, 4)) == "22 december 2025–4 januari 2026"


# --------------------------------------------------------------------------- every demo follow-up


def test_demo_has_every_kind_and_status(rendered: dict[uuid.UUID, Rendered]) -> None:
    kinds = {r.followup.kind for r in rendered.values()}
    statuses = {r.followup.status for r in rendered.values()}
    assert FollowUpKind.avtal in kinds and FollowUpKind.ateruppfoljning in kinds
    assert statuses == set(FollowUpStatus)
    assert len(rendered) >= 30


def test_every_demo_followup_renders_with_its_data(rendered: dict[uuid.UUID, Rendered]) -> None:
    for r in rendered.values():
        doc = r.minutes_doc
        text = all_text(doc)
        no_tags_left(text)
        ctx = r.context
        heads = headings(doc)
        assert heads[0] == ctx["title"], heads
        assert kv(doc) == {m["label"]: m["value"] for m in ctx["meta"]}
        assert sv_date(r.followup.planned_date) in text
        footer = "".join(t.text or "" for t in doc.sections[0].footer._element.iter(qn("w:t")))
        assert f"Version {r.followup.doc_version}" in footer
        if ctx["dnr"]:
            assert f"Dnr {ctx['dnr']}" in footer
        assert ("UTKAST" in text) == (r.followup.status is not FollowUpStatus.justerad)
        people = find_table(doc, "För kommunen", "För utföraren")
        if ctx["participant_rows"]:
            assert body_rows(people[0]) == [
                [p["kommun"], p["utforare"]] for p in ctx["participant_rows"]
            ]
        plan = find_table(doc, "Avvikelse", "Åtgärd", "Ansvarig", "Klart senast", "Status")
        if ctx["action_plan"]:
            assert body_rows(plan[0]) == [
                [a["finding"], a["what"], a["responsible"], a["due"], a["status"]]
                for a in ctx["action_plan"]
            ]
        else:
            assert not plan
        sign = doc.tables[-1]
        assert sign.rows[0].cells[0].paragraphs[0].text == ctx["recorder"]["label"]
        assert ctx["recorder"]["name"] in sign.rows[0].cells[0].text
        assert ctx["approver"]["name"] in sign.rows[0].cells[1].text


def test_avtal_minutes_follow_the_policy_agenda(rendered: dict[uuid.UUID, Rendered]) -> None:
    avtal = [r for r in rendered.values() if r.followup.kind is FollowUpKind.avtal]
    assert avtal
    expected = [
        "Närvarande",
        "1. Genomgång av föregående minnesanteckningar",
        "2. Aktuell personalsituation",
        "3. Genomgång av SKA-krav i avtalet samt avvikelser",
        "4. Åtgärdsplan och ny uppföljning",
    ]
    with_staffing = 0
    for r in avtal:
        doc = r.minutes_doc
        heads = headings(doc)
        positions = [heads.index(h) for h in expected]
        assert positions == sorted(positions), heads
        ctx = r.context
        # point 3: one row per result, and every requirement not fully met with its comment
        counts = find_table(doc, "Bedömning", "Antal krav")[0]
        assert body_rows(counts) == [[c["label"], str(c["count"])] for c in ctx["point3"]["counts"]]
        krav = [
            i
            for i in r.followup.agenda
            if i.get("kind") in ("ska_krav", "bor_krav") and i.get("answer") == "bedomning"
        ]
        assert counts.rows[-1].cells[1].text == str(len(krav))
        not_met = find_table(doc, "Punkt", "Krav", "Bedömning", "Kommentar")
        rows = ctx["point3"]["not_met"]
        if rows:
            assert body_rows(not_met[0]) == [
                [x["clause"], x["text"], x["result"], x["comment"]] for x in rows
            ]
            assert all(x["result"] in ("Delvis uppfyllt", "Ej uppfyllt") for x in rows)
        # point 1: every earlier action with its status now
        earlier = find_table(doc, "Avvikelse", "Status nu")
        if ctx["point1"]["actions"]:
            assert len(body_rows(earlier[0])) == len(ctx["point1"]["actions"])
        if ctx["point2"]["heatmap"]:
            with_staffing += 1
            assert "Pass under åtagandet" in heads
            breaches = find_table(doc, "Datum", "Avdelning", "Pass", "Avser")[0]
            assert len(body_rows(breaches)) == len(ctx["point2"]["breaches"]) > 0
            assert len(doc.inline_shapes) == 1
            assert doc.inline_shapes[0].width > 0
    assert with_staffing == 1


def test_other_kinds_have_their_sections(rendered: dict[uuid.UUID, Rendered]) -> None:
    seen = set()
    for r in rendered.values():
        kind = r.followup.kind
        doc = r.minutes_doc
        heads = headings(doc)
        if kind is FollowUpKind.kvalitetsrevision:
            for h in ("1. Syfte", "2. Metod", "3. Iakttagelser per område", "4. Bedömning"):
                assert h in heads
            assert "5. Förbättringsområden" in heads and "6. Förslag" in heads
        elif kind is FollowUpKind.ateruppfoljning:
            assert "2. Uppföljda åtgärder" in heads
            table = find_table(doc, "Avvikelse", "Resultat", "Underlag")
            if r.context["rechecked"]:
                assert body_rows(table[0]) == [
                    [a["finding"], a["what"], a["responsible"], a["due"], a["status"], a["comment"]]
                    for a in r.context["rechecked"]
                ]
        elif kind is not FollowUpKind.avtal:
            assert "Bakgrund och syfte" in heads
            for section in r.context["sections"]:
                assert section["title"] in heads
                tables = find_table(doc, section["item_header"], "Bedömning / svar")
                assert any(
                    body_rows(t)
                    == [[q["text"], q["answer"], q["comment"]] for q in section["rows"]]
                    for t in tables
                )
        seen.add(kind)
    assert seen == set(FollowUpKind)


# --------------------------------------------------------------------------- committee report


def demo_names() -> set[str]:
    names = {p.name for p in KOMMUN_PARTICIPANTS}
    names |= {name for _, name, role in DEMO_USERS if role is not Role.lasare}
    for c in CONTRACTORS:
        names |= {p.name for p in c.participants}
        names.add(c.contact_name)
    return {n for n in names if " " in n}  # full names, e.g. "Maria Holm"


def test_committee_report_names_no_participant(rendered: dict[uuid.UUID, Rendered]) -> None:
    names = demo_names()
    assert "Maria Holm" in names and "Karin Ek" in names and "Lars Berg" in names
    for r in rendered.values():
        doc = r.committee_doc
        text = all_text(doc)
        no_tags_left(text)
        laws = re.sub(r"\blex (Maria|Sarah)\b", "lex", text, flags=re.IGNORECASE)
        for name in names:
            assert name not in text, (name, r.followup.kind)
            for part in name.split():
                assert not re.search(rf"\b{re.escape(part)}\b", laws), (part, r.followup.kind)
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
        if r.followup.participants:
            assert "förvaltningschef" in text.lower()


def test_committee_report_quotes_only_marked_text(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        f = session.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.pagar)).first()
        assert f is not None
        fu.add_finding(
            session,
            REVISOR,
            f.id,
            FindingKind.avvikelse,
            "INTERN rubrik",
            "INTERN-ANTECKNING som inte får nå nämnden",
            clause="9.9",
        )
        fu.add_finding(
            session,
            REVISOR,
            f.id,
            FindingKind.forbattringsomrade,
            "Anhörigträffar",
            "TILL-NÄMNDEN: Maria Holm berättade att Lars planerar träffar enligt lex Maria.",
            for_committee=True,
        )
        data = mn.load_followup_data(session, f)
        text = all_text(open_docx(render_docx(mn.COMMITTEE_TEMPLATE, mn.committee_context(data))))
        minutes_text = all_text(
            open_docx(render_docx(mn.minutes_template(f), mn.minutes_context(data)))
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


# --------------------------------------------------------------------------- hostile content


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("hostile") / "h.db"
    from audit_app.db import migrate

    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with Session(engine) as session:
        f = build_large_followup(
            session, items=40, findings=10, actions=300, text=HOSTILE + "\x07\x0c\x01", comment=LONG
        )
        session.commit()
        data = mn.load_followup_data(session, f)
        ctx = mn.minutes_context(data)
        out = {
            "followup": f,
            "context": ctx,
            "minutes": render_docx(mn.minutes_template(f), ctx),
            "committee": render_docx(mn.COMMITTEE_TEMPLATE, mn.committee_context(data)),
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
    ctx = mn.minutes_context(mn.sample_data(FollowUpKind.avtal))
    ctx["title"] = "Rad1\nRad2\x00\x0b\ud800 slut"
    doc = open_docx(render_docx(mn.MINUTES_TEMPLATES[FollowUpKind.avtal], ctx))
    title = headings(doc)[0]
    assert title.replace("\n", "|") == "Rad1|Rad2 slut"


# --------------------------------------------------------------------------- locked documents


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
        first = mn.stored_minutes(session, f)
        session.commit()
        assert first.sha256 == hashlib.sha256(first.content).hexdigest()
        assert first.followup_version == f.doc_version == 1
    with Session(engine) as session:
        f = fu.get_followup(session, fid)
        again = mn.stored_minutes(session, f)
        download = mn.minutes_document(session, f)
        assert again.id == first.id
        assert again.content == first.content
        assert download.content == first.content and download.stored
        # a correction opens version 2; justerad again, it gets its own document
        fu.start_correction(session, REVISOR, fid, "Fel datum i åtgärdsplanen")
        with pytest.raises(UserError):
            mn.stored_minutes(session, f)
        fu.hand_over(session, REVISOR, fid)
        justera_and_store(session, CHEF, fid)
        second = mn.stored_minutes(session, f)
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
            mn.stored_minutes(session, fu.get_followup(session, fid))
    engine.dispose()


def test_draft_minutes_are_not_stored(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        f = session.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.klar)).first()
        assert f is not None
        download = mn.minutes_document(session, f)
        assert not download.stored and download.filename.endswith("-utkast.docx")
        with pytest.raises(UserError, match="justerad"):
            mn.stored_minutes(session, f)
        assert not session.exec(
            select(StoredDocument).where(StoredDocument.followup_id == f.id)
        ).all()


def test_justerad_by_another_revisor_is_named(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        f = session.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.klar)).first()
        assert f is not None
        justera_and_store(session, REVISOR2, f.id)
        ctx = mn.minutes_context(mn.load_followup_data(session, f))
        session.rollback()
    assert ctx["approver"]["name"] == "Omar Lund"
    assert "Justerad i Revisionsstöd" in ctx["justerad_text"]


def test_rendering_is_deterministic() -> None:
    """The same data gives the same bytes: no timestamps in the zip."""
    import zipfile

    ctx = mn.minutes_context(mn.sample_data(FollowUpKind.avtal))
    first = render_docx(mn.MINUTES_TEMPLATES[FollowUpKind.avtal], ctx)
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert render_docx(mn.MINUTES_TEMPLATES[FollowUpKind.avtal], ctx) == first
