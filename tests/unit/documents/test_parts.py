"""Pieces the documents share: answers as the minutes write them, methods, section numbers."""

from __future__ import annotations

import uuid

from audit_app.domain.agenda import AgendaItem
from audit_app.models import AnswerType, Assessment, Result
from audit_app.services.documents.parts import answer_text, methods_text, strip_number


def answer(value: str = "", result: Result = Result.ej_bedomd) -> Assessment:
    return Assessment(followup_id=uuid.uuid4(), item_key="q", value=value, result=result)


def test_answers_are_written_the_swedish_way() -> None:
    judged = AgendaItem(key="q")
    assert answer_text(judged, None) == "Ej bedömd"
    assert answer_text(judged, answer(result=Result.delvis_uppfyllt)) == "Delvis uppfyllt"
    share = AgendaItem(key="q", answer=AnswerType.tal, unit="procent")
    assert answer_text(share, answer("82,5")) == "83\u00a0%"  # a share: whole percent, half up
    assert answer_text(share, answer("cirka 80")) == "cirka 80\u00a0%"
    hours = AgendaItem(key="q", answer=AnswerType.tal, unit="timmar")
    assert answer_text(hours, answer("0,75")) == "0,75 timmar"
    assert answer_text(hours, answer("1250")) == "1\u00a0250 timmar"
    day = AgendaItem(key="q", answer=AnswerType.datum)
    assert answer_text(day, answer("2026-09-01")) == "1 september 2026"
    assert answer_text(AgendaItem(key="q", answer=AnswerType.ja_nej), answer("NEJ")) == "Nej"
    assert answer_text(day, None) == "–"


def test_methods_and_section_numbers() -> None:
    assert methods_text(["dokumentgranskning", "anmalt_besok"]) == (
        "Dokumentgranskning och anmält besök"
    )
    assert methods_text([]) == "–"
    assert strip_number("3. SKA-krav i avtalet") == "SKA-krav i avtalet"
    assert strip_number("4.2.1 Rutiner") == "Rutiner"
