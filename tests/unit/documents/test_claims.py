"""Every sentence of a follow-up's documents is true to the record (hypothesis).

Random follow-ups are made through the real services (answers, some left unassessed; proposals
confirmed, dismissed, downgraded or left open; actions; handed over and justerad or not). The
minutes and the tjänsteskrivelse are rendered, and their text is checked against the record as
read straight from the database: nothing denies a recorded avvikelse, the counts add up,
unassessed requirements are stated, and an action plan is only claimed when actions exist.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from audit_app.db import make_engine, migrate
from audit_app.domain.svtext import ATGARD, KRAV, NUMBER_WORDS, amount, capitalize
from audit_app.models import (
    Action,
    Assessment,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpStatus,
    Result,
)
from audit_app.services.documents.committee import committee_context
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.minutes import minutes_context
from audit_app.services.documents.registry import COMMITTEE_TEMPLATE, minutes_template
from audit_app.services.documents.templates import render_template
from tests.conftest import add_test_users
from tests.unit.documents.docx_reading import all_text, body_rows, find_table, open_docx
from tests.unit.documents.records import ASSESSED_KEYS, SKA_KEYS, Spec, build, registers

REQUIREMENT_KEYS = [*SKA_KEYS, "bor-1"]
NOT_MET = (Result.delvis_uppfyllt, Result.ej_uppfyllt)
DENIALS = (
    "Inga avvikelser",
    "inga avvikelser",
    "inte till några avvikelser",
    "uppfyller de krav",
    "Inget bedömt krav var delvis eller ej uppfyllt",
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One database for every example (each makes its own contractor, unit and contract)."""
    eng = make_engine(f"sqlite:///{tmp_path_factory.mktemp('claims') / 'claims.db'}")
    migrate(eng)
    add_test_users(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module", autouse=True)
def _no_uploaded_templates(private_data_dir: Path) -> Path:
    return private_data_dir


@st.composite
def specs(draw: Any) -> Spec:
    stage = draw(st.sampled_from(["pagar", "klar", "justerad"]))
    answers: dict[str, Result] = {}
    for key in ASSESSED_KEYS:
        result = draw(st.sampled_from([*Result, None]))
        if result is not None and result is not Result.ej_bedomd:
            answers[key] = result
    decisions: dict[str, str] = {}
    actions: dict[str, int] = {}
    for key, result in answers.items():
        if result not in NOT_MET:
            continue
        options = ["confirm", "dismiss"]
        options += ["downgrade"] if key in SKA_KEYS else []
        options += ["leave"] if stage == "pagar" else []
        decisions[key] = decision = draw(st.sampled_from(options))
        if decision == "confirm":
            needed = 1 if key in SKA_KEYS and stage != "pagar" else 0  # hand-over needs one
            actions[key] = draw(st.integers(needed, 2))
    return Spec(answers, decisions, actions, draw(st.booleans()), stage)


def figure(word: str) -> int:
    """'två' -> 2, 'ett' -> 1, '14' -> 14."""
    if word in ("en", "ett"):
        return 1
    if word in NUMBER_WORDS:
        return NUMBER_WORDS.index(word)
    return int(word.replace("\u00a0", ""))


def counted(text: str, singular: str, plural: str) -> int:
    """The figure before `singular`/`plural` in a 'ledde till ...' clause (0 if absent)."""
    match = re.search(rf"(\S+) (?:{plural}|{singular})\b", text)
    return figure(match.group(1)) if match else 0


def record_of(session: Session, f: FollowUp) -> dict[str, Any]:
    """The record read straight from the tables, not through the documents package."""
    answers = {
        a.item_key: a.result
        for a in session.exec(select(Assessment).where(Assessment.followup_id == f.id))
    }
    findings = list(session.exec(select(Finding).where(Finding.followup_id == f.id)))
    decided = [x for x in findings if x.status in (FindingStatus.bekraftad, FindingStatus.stangd)]
    live = [x for x in findings if x.status is not FindingStatus.avfardad]
    ids = [x.id for x in live]
    actions = [a for a in session.exec(select(Action)) if a.finding_id in ids]
    deviation_ids = {x.id for x in decided if x.kind is FindingKind.avvikelse}
    results = Counter(answers.get(k, Result.ej_bedomd) for k in REQUIREMENT_KEYS)
    return {
        "deviations": sum(1 for x in decided if x.kind is FindingKind.avvikelse),
        "improvements": sum(1 for x in decided if x.kind is FindingKind.forbattringsomrade),
        "actions": len(actions),
        "deviation_actions": sum(1 for a in actions if a.finding_id in deviation_ids),
        "results": results,
        "judged": sum(results[r] for r in (Result.uppfyllt, *NOT_MET)),
        "unassessed": results[Result.ej_bedomd],
        "not_met": sum(results[r] for r in NOT_MET),
    }


def check_texts(f: FollowUp, record: dict[str, Any], minutes: str, committee: str) -> None:
    for name, text in (("protokoll", minutes), ("tjänsteskrivelse", committee)):
        if record["deviations"]:
            for denial in DENIALS:
                assert denial not in text, (name, denial)
        if record["not_met"]:
            assert not re.search(r"(Samtliga|Båda de|Det enda) bedömda", text), name
        if not record["actions"]:
            assert "åtgärdsplan med" not in text, name
        if record["unassessed"]:
            u = record["unassessed"]
            said = (
                f"{capitalize(amount(u, KRAV))} är ännu inte"
                if f.status is FollowUpStatus.pagar
                else f"{capitalize(amount(u, KRAV))} bedömdes inte"
            )
            assert said in text, (name, said)
        judged = re.search(r"Av (\S+) bedömda krav var", text)
        if judged:
            assert figure(judged.group(1)) == record["judged"], name
        led = re.search(r"Uppföljningen ledde (inte )?till ([^.]*)\.", text)
        assert led is not None, name
        if led.group(1):
            assert record["deviations"] == record["improvements"] == 0, name
        else:
            assert counted(led.group(2), "avvikelse", "avvikelser") == record["deviations"]
            assert (
                counted(led.group(2), "förbättringsområde", "förbättringsområden")
                == (record["improvements"])
            )
    if record["deviation_actions"]:
        said = f"åtgärdsplan med {amount(record['deviation_actions'], ATGARD)}"
        assert said in minutes and said in committee
    elif record["deviations"]:
        assert "Åtgärder för avvikelserna är ännu inte registrerade." in minutes


def _check_tables(minutes_doc: Any, committee_doc: Any, record: dict[str, Any]) -> None:
    counts = find_table(minutes_doc, "Bedömning", "Antal krav")[0]
    rows = {label: int(n) for label, n in body_rows(counts)}
    results = record["results"]
    assert rows["Totalt"] == len(REQUIREMENT_KEYS)
    assert rows["Uppfyllt"] == results[Result.uppfyllt]
    assert rows["Delvis uppfyllt"] == results[Result.delvis_uppfyllt]
    assert rows["Ej uppfyllt"] == results[Result.ej_uppfyllt]
    assert rows.get("Ej bedömd", 0) == record["unassessed"]
    areas = find_table(committee_doc, "Område", "Antal", "Uppfyllda")[0]
    total = body_rows(areas)[-1]
    assert total[0] == "Totalt" and int(total[1]) == len(REQUIREMENT_KEYS)
    assert int(total[2]) == results[Result.uppfyllt]
    assert int(total[4]) == results[Result.ej_uppfyllt]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=specs())
def test_every_sentence_is_true_to_the_record(engine: Engine, spec: Spec) -> None:
    with Session(engine, expire_on_commit=False) as session:
        tag = uuid.uuid4().hex[:8]
        f = build(session, spec, registers(session, f"Utförare {tag} AB", f"Boende {tag}"))
        session.commit()
        record = record_of(session, f)
        data = load_followup_data(session, f)
        minutes_doc = open_docx(render_template(minutes_template(f.kind), minutes_context(data)))
        committee_doc = open_docx(render_template(COMMITTEE_TEMPLATE, committee_context(data)))
    check_texts(f, record, all_text(minutes_doc), all_text(committee_doc))
    _check_tables(minutes_doc, committee_doc, record)
