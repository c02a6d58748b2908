"""The minutes of every demo follow-up: headings, tables and rows compared with the data.

The demo database is copied once for the module and every follow-up's minutes are rendered
once; the tests then open the results with python-docx.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from sqlalchemy import Engine
from sqlmodel import Session, select

from audit_app.domain.agenda import parse_agenda
from audit_app.domain.svtext import sv_date, sv_period
from audit_app.models import FollowUp, FollowUpKind, FollowUpStatus
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.minutes import minutes_context, previous_lines
from audit_app.services.documents.registry import minutes_template
from audit_app.services.documents.staffing_review import period_length_lines
from audit_app.services.documents.stored import justera_and_store
from audit_app.services.documents.templates import render_template
from tests.conftest import REVISOR2
from tests.unit.documents.docx_reading import (
    all_text,
    body_rows,
    find_table,
    headings,
    kv,
    no_tags_left,
    open_docx,
)
from tests.unit.documents.fixtures import staffing_analysis


@pytest.fixture(scope="module", autouse=True)
def _no_uploaded_templates(private_data_dir: Path) -> Path:
    return private_data_dir


@dataclass
class Rendered:
    followup: FollowUp
    context: dict[str, Any]
    minutes: bytes

    @cached_property
    def doc(self) -> DocumentObject:
        return open_docx(self.minutes)


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
            ctx = minutes_context(load_followup_data(session, f))
            out[f.id] = Rendered(f, ctx, render_template(minutes_template(f.kind), ctx))
    return out


def test_swedish_dates() -> None:
    assert sv_date(date(2026, 11, 22)) == "22 november 2026"
    assert sv_date("2026-01-05") == "5 januari 2026"
    assert sv_date(None) == ""
    assert sv_period(date(2026, 3, 2), date(2026, 3, 15)) == "2–15 mars 2026"
    assert sv_period(date(2026, 2, 23), date(2026, 3, 8)) == "23 februari–8 mars 2026"
    assert sv_period(date(2025, 12, 22), date(2026, 1, 4)) == "22 december 2025–4 januari 2026"


def test_demo_has_every_kind_and_status(rendered: dict[uuid.UUID, Rendered]) -> None:
    kinds = {r.followup.kind for r in rendered.values()}
    statuses = {r.followup.status for r in rendered.values()}
    assert FollowUpKind.avtal in kinds and FollowUpKind.ateruppfoljning in kinds
    assert statuses == set(FollowUpStatus)
    assert len(rendered) >= 30


def test_every_demo_followup_renders_with_its_data(rendered: dict[uuid.UUID, Rendered]) -> None:
    for r in rendered.values():
        doc = r.doc
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
        doc = r.doc
        heads = headings(doc)
        positions = [heads.index(h) for h in expected]
        assert positions == sorted(positions), heads
        ctx = r.context
        # point 3: one row per result, and every requirement not fully met with its comment
        krav = [
            i for i in parse_agenda(r.followup.agenda) if i.is_requirement and i.is_assessment()
        ]
        if krav:
            counts = find_table(doc, "Bedömning", "Antal krav")[0]
            assert body_rows(counts) == [
                [c["label"], str(c["count"])] for c in ctx["point3"]["counts"]
            ]
            assert counts.rows[-1].cells[1].text == str(len(krav))
        else:
            assert not ctx["point3"]["counts"]
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
        doc = r.doc
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
                    [
                        a["finding"],
                        f"{a['what']}\n{a['who_when']}",
                        a["status"],
                        a["comment"],
                    ]
                    for a in r.context["rechecked"]
                ]
        elif kind is not FollowUpKind.avtal:
            assert "Bakgrund och syfte" in heads
            for section in r.context["sections"]:
                assert section["title"] in heads
                tables = find_table(doc, section["item_header"], "Bedömning eller svar")
                assert any(
                    body_rows(t)
                    == [[q["text"], q["answer"], q["comment"]] for q in section["rows"]]
                    for t in tables
                )
        seen.add(kind)
    assert seen == set(FollowUpKind)


def test_justerad_by_another_revisor_is_named(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        f = session.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.klar)).first()
        assert f is not None
        justera_and_store(session, REVISOR2, f.id)
        ctx = minutes_context(load_followup_data(session, f))
        session.rollback()
    assert ctx["approver"]["name"] == "Omar Lund"
    assert "Justerad i Revisionsstöd" in ctx["justerad_text"]


def test_point_two_says_when_the_schedule_period_is_shorter_than_two_weeks() -> None:
    two_weeks = period_length_lines(date(2026, 3, 2), date(2026, 3, 15))
    assert two_weeks == []
    ten_days = period_length_lines(date(2026, 3, 2), date(2026, 3, 11))
    assert ten_days == [
        "Perioden omfattar tio dagar, kortare än de två veckor som kommunens policy för "
        "uppföljning anger."
    ]
    assert period_length_lines(date(2026, 3, 2), date(2026, 3, 2))[0].startswith(
        "Perioden omfattar en dag,"
    )
    assert period_length_lines(None, date(2026, 3, 2)) == []


def test_point_one_counts_only_decided_findings_of_the_previous_meeting(
    demo_engine: Engine,
) -> None:
    """A proposal still open at the previous meeting is not told as an avvikelse found."""
    with Session(demo_engine) as session:
        checked = 0
        for f in session.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.avtal)):
            data = load_followup_data(session, f)
            if data.previous is None:
                continue
            proposed = [x for x in data.previous_findings if x.status.value == "foreslagen"]
            intro = " ".join(previous_lines(data))
            if proposed:
                checked += 1
                assert "från det mötet är ännu inte" in intro, intro
            decided = len(data.previous_findings) - len(proposed)
            if not decided and not proposed:
                assert "Då konstaterades inte några" in intro
        session.rollback()
    assert checked >= 1
