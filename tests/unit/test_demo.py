"""The demo municipality as a municipality would read it: contracts written from the standard
lists, plausible staffing figures that agree with the judgements, real-looking case references,
and each follow-up justerad a few days after its meeting."""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from audit_app import demo_answers
from audit_app.db import make_engine
from audit_app.demo_answers import CLAUSE_TOPICS
from audit_app.domain.svtext import to_local
from audit_app.models import (
    Action,
    ActionReview,
    ActionStatus,
    Assessment,
    Contract,
    Finding,
    FindingKind,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpNote,
    FollowUpStatus,
    FollowUpUnit,
    Requirement,
    Result,
    Unit,
    UnitKind,
)
from audit_app.services import checklists, followups
from audit_app.services.privacy import looks_like_personnummer

USK_CLAUSES = {"4.2.2", "5.2.1", "6.2.2"}
STANDARD = Path(__file__).resolve().parents[2] / "checklists"


@pytest.fixture(scope="module")
def engine(demo_template_db: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{demo_template_db}")  # read only
    yield eng
    eng.dispose()


def _answers(session: Session, followup: FollowUp) -> dict[str, Assessment]:
    rows = session.exec(select(Assessment).where(Assessment.followup_id == followup.id))
    return {a.item_key: a for a in rows}


def _unit_kind(session: Session, followup: FollowUp) -> UnitKind:
    return session.exec(
        select(Unit.kind)
        .join(FollowUpUnit, col(FollowUpUnit.unit_id) == Unit.id)
        .where(FollowUpUnit.followup_id == followup.id)
    ).one()


def test_staffing_figures_are_plausible_and_agree_with_the_judgements(engine: Engine) -> None:
    checked = below = 0
    with Session(engine) as s:
        for f in s.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.avtal)).all():
            answers = _answers(s, f)
            if "bem-andel-usk" not in answers:
                continue  # not held yet
            kind = _unit_kind(s, f)
            share = float(answers["bem-andel-usk"].value)
            assert 55 <= share <= 85
            assert 6 <= float(answers["bem-timavlonade"].value) <= 22
            if kind is UnitKind.sarskilt_boende:
                assert 0.60 <= float(answers["bem-arsarbetare"].value) <= 0.90
            if kind is UnitKind.lss_bostad:
                assert 1.2 <= float(answers["bem-arsarbetare"].value) <= 1.6
            if kind is UnitKind.hemtjanst:
                assert "bem-arsarbetare" not in answers
                assert 88 <= float(answers["bem-utford-tid"].value) <= 99
            # the contract's own undersköterska requirement, as the follow-up pinned it
            usk = next(
                i for i in f.agenda if i["clause"] in USK_CLAUSES and i["kind"] == "ska_krav"
            )
            found = re.search(r"Minst (\d+) procent", usk["text"])
            assert found is not None, usk["text"]
            commitment = int(found.group(1))
            met = share >= commitment
            for key in ("bem-kompetens", usk["key"]):
                assert (answers[key].result is Result.uppfyllt) is met, (key, share, commitment)
            if not met:
                assert f"avtalet kräver minst {commitment} %" in answers["bem-kompetens"].comment
            checked += 1
            below += not met
    assert checked >= 25 and 0 < below < checked / 2


def test_text_answers_look_real_and_hold_no_personal_data(engine: Engine) -> None:
    references: list[str] = []
    with Session(engine) as s:
        for a in s.exec(select(Assessment)).all():
            for text in (a.value, a.comment):
                assert not looks_like_personnummer(text), text
                assert not re.fullmatch(r"Ärende \d", text), text
            if re.fullmatch(r"arende\d-referens", a.item_key):
                references.append(a.value)
            if re.fullmatch(r"arende\d-insats", a.item_key):
                decided = re.search(r"beslut (\d{4}-\d{2}-\d{2})", a.value)
                assert decided is not None, a.value
                if "LSS" not in a.value:  # the act in force on the day of the decision
                    new = date.fromisoformat(decided.group(1)) >= date(2025, 7, 1)
                    assert ("(2025:400)" in a.value) is new, a.value
    assert len(references) == 9  # three cases in each of three checks
    assert all(re.fullmatch(r"Ärende 20\d\d-\d{4}", r) for r in references), references
    assert len(set(references)) == len(references)


def test_each_followup_is_justerad_a_few_days_after_its_meeting(engine: Engine) -> None:
    with Session(engine) as s:
        done = s.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.justerad)).all()
    assert len(done) >= 40
    for f in done:
        assert f.justerad_at is not None
        days = (to_local(f.justerad_at).date() - f.planned_date).days
        assert 1 <= days <= 14, (f.kind, f.planned_date, f.justerad_at)
        assert f.justerad_at <= datetime.now(UTC)
    first = min(f.planned_date for f in done)
    last = max(f.planned_date for f in done)
    assert (last - first).days > 365  # spread over the history, not all at seed time


def _standard_texts() -> dict[str, str]:
    out = {}
    for stem in ("ska_krav_sarskilt_boende", "ska_krav_hemtjanst", "ska_krav_lss_bostad"):
        for _section, item in checklists.load_yaml(STANDARD / f"{stem}.yaml").items():
            out[item.clause] = item.text
    return out


def test_contracts_start_from_the_standard_lists_and_say_it_in_their_own_words(
    engine: Engine,
) -> None:
    standard = _standard_texts()
    with Session(engine) as s:
        contracts = {c.dnr: c for c in s.exec(select(Contract)).all()}
        own = {
            dnr: s.exec(
                select(Requirement).where(
                    Requirement.contract_id == c.id, col(Requirement.archived).is_(False)
                )
            ).all()
            for dnr, c in contracts.items()
        }
    for dnr, requirements in own.items():
        copied = [r for r in requirements if r.clause in standard]
        assert len(copied) >= 35 and all(r.hint for r in copied), dnr
        assert len(requirements) - len(copied) == 1  # one requirement of its own
        edited = [r for r in copied if r.text != standard[r.clause]]
        assert 2 <= len(edited) <= 8, dnr  # copied, then a few edited
    vega = {r.clause: r for r in own["VOF 2024/118"]}
    assert "Minst 75 procent" in vega["4.2.2"].text
    assert vega["4.2.2"].applies_to == ["sarskilt_boende"]
    assert vega["5.2.1"].applies_to == ["hemtjanst"]
    lss = own["VOF 2025/031"]
    assert all(r.applies_to in ([], ["lss_bostad"]) for r in lss)
    assert not any("SoL" in r.text or "SoL" in r.hint for r in lss)
    assert sum("LSS" in r.text for r in lss) >= 5


def test_each_judgement_has_the_note_of_its_own_requirement(engine: Engine) -> None:
    """A requirement not met carries the note written for that requirement (never a note on
    another topic of the same area), and its actions are that topic's."""
    not_met = 0
    with Session(engine) as s:
        for f in s.exec(select(FollowUp)).all():
            answers = _answers(s, f)
            for item in f.agenda:
                a = answers.get(item["key"])
                if a is None or item["kind"] != "ska_krav" or item["clause"] in USK_CLAUSES:
                    continue
                if a.result in (Result.ej_uppfyllt, Result.delvis_uppfyllt):
                    assert a.comment == demo_answers.fail_comment(item["clause"]), item["text"]
                    not_met += 1
                elif a.result is Result.ej_aktuellt:
                    assert a.comment == demo_answers.NOT_APPLICABLE[item["clause"]]
                else:
                    assert a.result is Result.uppfyllt and not a.comment
        for finding in s.exec(
            select(Finding).where(
                Finding.kind == FindingKind.avvikelse, col(Finding.clause).in_(CLAUSE_TOPICS)
            )
        ).all():
            topic = demo_answers.TOPICS[CLAUSE_TOPICS[finding.clause]]
            for action in s.exec(select(Action).where(Action.finding_id == finding.id)).all():
                assert action.what in topic[1], (finding.clause, action.what)
    assert not_met >= 40


def test_the_previous_action_plan_is_judged_by_the_reviews_of_its_actions(
    engine: Engine,
) -> None:
    seen = {True: 0, False: 0}
    with Session(engine) as s:
        for f in s.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.avtal)).all():
            answer = _answers(s, f).get("forg-atgarder")
            if answer is None:
                continue
            reviews = s.exec(select(ActionReview).where(ActionReview.followup_id == f.id)).all()
            open_ = [r for r in reviews if r.status is not ActionStatus.verifierad]
            assert (answer.result is Result.uppfyllt) is (not open_), (f.planned_date, answer)
            if open_:
                assert answer.result is Result.delvis_uppfyllt
                assert "föregående åtgärdsplan" in answer.comment
            seen[bool(open_)] += 1
    assert seen[True] and seen[False]


def test_other_kinds_find_one_thing_of_their_own_and_improvements_fit_the_unit(
    engine: Engine,
) -> None:
    unit_words = {
        UnitKind.hemtjanst: ("brukare", "besök", "vikarier"),
        UnitKind.lss_bostad: ("boende",),
        UnitKind.sarskilt_boende: ("boende", "anhörig", "vikarier"),
    }
    with Session(engine) as s:
        for f in s.exec(select(FollowUp).where(FollowUp.status == FollowUpStatus.justerad)).all():
            findings = s.exec(
                select(Finding).where(
                    Finding.followup_id == f.id,
                    Finding.kind == FindingKind.forbattringsomrade,
                    Finding.status == FindingStatus.bekraftad,
                )
            ).all()
            if f.kind in demo_answers.QUESTION_FAILURES and len(followups.unit_ids_of(s, f.id)) < 2:
                notes = {n for _k, n in demo_answers.QUESTION_FAILURES[f.kind]}
                assert [x.description for x in findings] in ([n] for n in notes), f.kind
                if f.kind is FollowUpKind.kvalitetsrevision:
                    assert _answers(s, f)["kr-sam-02"].value == findings[0].description
            elif f.kind is FollowUpKind.avtal:
                kind = _unit_kind(s, f)
                mine = {d for _t, d in demo_answers.IMPROVEMENTS[kind]}
                for x in findings:
                    if x.item_key is None:  # added freely, not from a question
                        assert x.description in mine, (kind, x.description)
                        assert any(w in x.description.lower() for w in unit_words[kind])


def test_answers_are_dated_on_the_meeting_day_and_the_staffing_notes_agree(
    engine: Engine,
) -> None:
    with Session(engine) as s:
        held = s.exec(
            select(FollowUp).where(
                col(FollowUp.status).in_([FollowUpStatus.klar, FollowUpStatus.justerad])
            )
        ).all()
        assert len(held) >= 40
        for f in held:
            answers = _answers(s, f)
            assert bool(answers) is bool(f.agenda)  # a re-check reviews actions only
            assert {to_local(a.updated_at).date() for a in answers.values()} <= {f.planned_date}
            assert to_local(f.created_at).date() < f.planned_date  # planned ahead
            if "bem-andel-usk" in answers:
                notes = {
                    n.key: n.value
                    for n in s.exec(select(FollowUpNote).where(FollowUpNote.followup_id == f.id))
                }
                share = answers["bem-andel-usk"].value
                assert notes["narvarande_kompetens"].startswith(f"{share} % av de arbetade")
                if "bem-arsarbetare" in answers:
                    fte = answers["bem-arsarbetare"].value.replace(".", ",")
                    assert notes["personaltathet"].startswith(f"{fte} årsarbetare per plats")


def test_a_riktad_uppfoljning_covers_two_units_of_two_contractors_with_findings_per_unit(
    engine: Engine,
) -> None:
    """The demo's riktad uppföljning across contractors: no contractor of its own, a finding
    for each unit, and an återuppföljning for the contractor whose unit has the avvikelse;
    the biståndsärenden checks are the committee's, without contractor or unit."""
    with Session(engine) as s:
        across = [
            f
            for f in s.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.riktad)).all()
            if len(followups.unit_ids_of(s, f.id)) == 2
        ]
        assert len(across) == 1
        riktad = across[0]
        assert riktad.contractor_id is None and riktad.status is FollowUpStatus.justerad
        assert len(followups.contractors_of(s, [riktad.id])[riktad.id]) == 2
        found = [
            x for x in followups.findings_of(s, riktad.id) if x.status is FindingStatus.bekraftad
        ]
        assert {x.unit_id for x in found} == set(followups.unit_ids_of(s, riktad.id))
        (deviation,) = [x for x in found if x.kind is FindingKind.avvikelse]
        (recheck,) = followups.rechecks_of(s, riktad.id)
        assert followups.unit_ids_of(s, recheck.id) == [deviation.unit_id]
        owner = s.get(Unit, deviation.unit_id)
        assert owner is not None and recheck.contractor_id == owner.contractor_id
        checks = s.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.bistandsarenden)).all()
        assert checks and all(c.contractor_id is None for c in checks)
        assert all(followups.unit_ids_of(s, c.id) == [] for c in checks)
