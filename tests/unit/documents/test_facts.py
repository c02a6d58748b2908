"""The figures of one follow-up and the sentences that state them, on a small fixed record
whose every number is counted by hand (see the comments)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from audit_app.models import FollowUp, Result
from audit_app.services.documents.committee import area_rows, committee_context
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.facts import facts_of
from audit_app.services.documents.minutes import minutes_context
from audit_app.services.documents.registry import COMMITTEE_TEMPLATE, minutes_template
from audit_app.services.documents.templates import render_template
from tests.unit.documents.docx_reading import all_text, open_docx
from tests.unit.documents.records import Spec, build

# krav-1 uppfyllt, krav-2 ej uppfyllt (an avvikelse, two actions), krav-3 delvis uppfyllt (the
# avvikelse downgraded), krav-4 ej aktuellt, krav-5 uppfyllt, krav-6 not assessed, the BÖR-krav
# ej uppfyllt (a förbättringsområde, no action), fraga-1 uppfyllt, fraga-2 not answered.
SPEC = Spec(
    answers={
        "krav-1": Result.uppfyllt,
        "krav-2": Result.ej_uppfyllt,
        "krav-3": Result.delvis_uppfyllt,
        "krav-4": Result.ej_aktuellt,
        "krav-5": Result.uppfyllt,
        "bor-1": Result.ej_uppfyllt,
        "fraga-1": Result.uppfyllt,
    },
    decisions={"krav-3": "downgrade"},
    actions={"krav-2": 2},
    stage="klar",
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def followup(session: Session) -> FollowUp:
    return build(session, SPEC)


def test_the_figures_are_counted_once(session: Session, followup: FollowUp) -> None:
    facts = facts_of(load_followup_data(session, followup))
    t = facts.requirements
    # seven requirements: 2 met, 1 partly, 2 not met, 1 not applicable, 1 not assessed
    assert (t.total, t.met, t.partly, t.not_met, t.not_applicable, t.unassessed) == (
        7, 2, 1, 2, 1, 1,
    )  # fmt: skip
    assert (facts.ska, facts.bor, t.judged) == (6, 1, 5)
    assert facts.agenda_items == 10 and facts.unanswered == 2  # krav-6 and fraga-2
    assert len(facts.deviations) == 1 and len(facts.improvements) == 2
    assert len(facts.actions) == 2 and not facts.deviations_without_action
    assert [r["count"] for r in t.rows()] == [2, 1, 2, 1, 1, 7]


def test_the_minutes_say_the_figures(session: Session, followup: FollowUp) -> None:
    data = load_followup_data(session, followup, today=date(2026, 3, 10))
    ctx = minutes_context(data)
    text = all_text(open_docx(render_template(minutes_template(followup.kind), ctx)))
    for sentence in (
        "Dagordningen tog upp sju krav ur avtalet (sex SKA-krav och ett BÖR-krav).",
        "Av fem bedömda krav var två uppfyllda, ett delvis uppfyllt och två ej uppfyllda.",
        "Ett krav var inte aktuellt för verksamheten.",
        "Ett krav bedömdes inte vid uppföljningen.",
        "En brist som föreslogs som avvikelse bedömdes i stället som förbättringsområde: "
        "Bristen är liten.",
        "Uppföljningen ledde till en avvikelse och två förbättringsområden.",
        "För avvikelsen från avtalet upprättades en åtgärdsplan med två åtgärder.",
        "En fråga ovan besvarades inte.",
        "10 punkter på dagordningen, varav 2 utan bedömning eller svar",
        "Återuppföljning av avvikelserna sker senast 3 juni 2026",
    ):
        assert sentence in text, sentence
    assert ctx["point3"]["all_met"] == ""  # two requirements were not met
    for denial in ("Inga avvikelser", "inga avvikelser", "Samtliga bedömda krav"):
        assert denial not in text


def test_the_committee_report_says_the_same(session: Session, followup: FollowUp) -> None:
    data = load_followup_data(session, followup, today=date(2026, 3, 10))
    rows = area_rows(data)
    # per area, in the agenda's order: krav-1 and krav-4; krav-2 and krav-5; krav-3 and
    # krav-6; the BÖR-krav; then the total
    assert [(r["area"], r["total"], r["met"], r["partly"], r["not_met"], r["other"]) for r in rows] == [
        ("Bemanning och kompetens", 2, 1, 0, 0, 1),
        ("Individens planering", 2, 1, 0, 1, 0),
        ("Ledning och kvalitet", 2, 0, 1, 0, 1),
        ("Resultat och brukarnöjdhet", 1, 0, 0, 1, 0),
        ("Totalt", 7, 2, 1, 2, 2),
    ]  # fmt: skip
    ctx = committee_context(data)
    assert ctx["assessment"] == [
        "Av fem bedömda krav var två uppfyllda, ett delvis uppfyllt och två ej uppfyllda.",
        "Ett krav var inte aktuellt för verksamheten.",
        "Ett krav bedömdes inte vid uppföljningen. Förvaltningen uttalar sig inte om det.",
        "En avvikelse från avtalet konstaterades (punkt 4.2).",
        "Utföraren har en åtgärdsplan med två åtgärder, och förvaltningen följer upp den vid "
        "återuppföljningen senast 3 juni 2026.",
        "Därutöver konstaterades två förbättringsområden.",
        "En brist som föreslogs som avvikelse bedömdes i stället som förbättringsområde: "
        "Bristen är liten.",
    ]
    text = all_text(open_docx(render_template(COMMITTEE_TEMPLATE, ctx)))
    assert "Uppföljningen omfattade sju krav. Tabellen visar dem per område." in text
    assert "UTKAST" not in text and "ej justerad" not in text  # signed, not justerad


def test_nothing_is_claimed_of_a_record_without_findings(session: Session) -> None:
    f = build(session, Spec(answers={k: Result.uppfyllt for k in ("krav-1", "krav-2")}))
    data = load_followup_data(session, f, today=date(2026, 3, 10))
    text = all_text(open_docx(render_template(minutes_template(f.kind), minutes_context(data))))
    assert "Av två bedömda krav" not in text
    assert "Båda de bedömda kraven var uppfyllda." in text
    assert "Fem krav är ännu inte bedömda." in text  # krav-3..6 and the BÖR-krav, still pågår
    assert "Uppföljningen ledde inte till några avvikelser eller förbättringsområden." in text
    assert "Inga avvikelser konstaterades, så någon åtgärdsplan behövs inte." in text
    assert "åtgärdsplan med" not in text
