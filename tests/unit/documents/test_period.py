"""The period reports count the record as it stood when the period ended, not as it is today.

The history is made through the real services with the app's clock set to each day: a
follow-up held in November with an avvikelse and two actions, one planned for December that was
only held in January, one planned for next year; after the year end an action is verified and
the November follow-up is corrected with a second avvikelse. The yearly contribution for the
year must show the state of 31 December.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from audit_app import clock
from audit_app.domain.svtext import LOCAL_TZ
from audit_app.models import ActionStatus, FindingStatus, FollowUp, FollowUpKind, Result
from audit_app.services import followups
from audit_app.services.documents.period import load_period, quarter_bounds
from audit_app.services.documents.quarterly import period_context
from audit_app.services.documents.stored import justera_and_store
from audit_app.services.documents.yearly import yearly_context
from tests.conftest import CHEF, LASARE, REVISOR
from tests.unit.documents.records import Registers, agenda_builder, registers

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AUDIT_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def at(day: date, hour: int = 10) -> None:
    clock.set_now(datetime.combine(day, time(hour), LOCAL_TZ))


def plan(session: Session, where: Registers, meeting: date) -> FollowUp:
    return followups.plan_followup(
        session,
        REVISOR,
        followups.PlanInput(
            kind=FollowUpKind.avtal,
            contractor_id=where.contractor,
            unit_ids=[where.unit],
            contract_id=where.contract,
            planned_date=meeting,
            participants=[followups.Participant("Maria Holm", "Verksamhetschef", "utforare")],
        ),
    )


def hand_over_and_justera(session: Session, f: FollowUp) -> None:
    check = followups.handover_check(session, followups.get_followup(session, f.id))
    followups.hand_over(session, REVISOR, f.id, unassessed_confirmed=check.unassessed_count)
    justera_and_store(session, CHEF, f.id)


@pytest.fixture
def history(session: Session) -> dict[str, FollowUp]:
    with clock.scope():
        at(date(2025, 10, 1))
        where = registers(session)
        november = plan(session, where, date(2025, 11, 4))
        at(date(2025, 11, 20))
        december = plan(session, where, date(2025, 12, 18))
        at(date(2025, 12, 1))
        january = plan(session, where, date(2026, 1, 20))

        at(date(2025, 11, 4))  # the November meeting: one avvikelse, two actions
        followups.start_followup(session, REVISOR, november.id, builder=agenda_builder)
        followups.save_assessment(
            session, REVISOR, november.id, "krav-1", result=Result.ej_uppfyllt
        )
        followups.save_assessment(session, REVISOR, november.id, "krav-2", result=Result.uppfyllt)
        finding = followups.findings_of(session, november.id)[0]
        followups.confirm_finding(session, REVISOR, finding.id)
        late = followups.add_action(session, REVISOR, finding.id, "Revidera rutinen", "Enhetschef",
                             date(2025, 12, 15))  # fmt: skip
        followups.add_action(session, REVISOR, finding.id, "Utbilda personalen", "Enhetschef",
                      date(2026, 2, 1))  # fmt: skip
        at(date(2025, 11, 7))
        hand_over_and_justera(session, november)

        at(date(2026, 1, 8))  # the December meeting is held in January (date not moved)
        followups.start_followup(session, REVISOR, december.id, builder=agenda_builder)
        at(date(2026, 1, 20))  # the January meeting verifies the late action
        followups.start_followup(session, REVISOR, january.id, builder=agenda_builder)
        followups.review_action(
            session, REVISOR, january.id, late.id, "verifierad", "Rutinen granskad."
        )
        at(date(2026, 2, 10))  # the November follow-up corrected: a second avvikelse
        followups.start_correction(session, REVISOR, november.id, "Krav 2 var felbedömt.")
        followups.save_assessment(
            session, REVISOR, november.id, "krav-2", result=Result.ej_uppfyllt
        )
        second = next(
            x
            for x in followups.findings_of(session, november.id)
            if x.status is FindingStatus.foreslagen
        )
        followups.confirm_finding(session, REVISOR, second.id)
        followups.add_action(session, REVISOR, second.id, "Rätta dokumentationen", "Enhetschef")
        hand_over_and_justera(session, november)
        session.commit()
    return {"november": november, "december": december, "january": january}


def test_today_the_record_differs_from_the_year_end(
    session: Session, history: dict[str, FollowUp]
) -> None:
    november = followups.get_followup(session, history["november"].id)
    deviations = [
        x for x in followups.findings_of(session, november.id) if x.kind.value == "avvikelse"
    ]
    assert len(deviations) == 2 and november.doc_version == 2
    statuses = [a.status for _f, a in followups.actions_of_followup(session, november.id)]
    assert statuses.count(ActionStatus.verifierad) == 1


def test_the_yearly_contribution_counts_as_of_31_december(
    session: Session, history: dict[str, FollowUp]
) -> None:
    pd = load_period(session, REVISOR, date(2025, 1, 1), date(2025, 12, 31), TODAY)
    assert pd.as_of == date(2025, 12, 31)
    assert [f.id for f in pd.followups] == [history["november"].id]
    assert pd.followups[0].status.value == "justerad" and pd.followups[0].doc_version == 1
    assert len(pd.open_actions) == 2 and pd.overdue_at_end == 1 and pd.verified_in_period == 0
    assert [f.id for f in pd.not_held] == [history["december"].id]
    ctx = yearly_context(pd, TODAY)
    text = "\n".join(
        ctx["results_intro"] + ctx["deviations_intro"] + ctx["actions_intro"] + ctx["next_year"]
    )
    assert "Under 2025 hölls en uppföljning hos en utförare (en verksamhet)." in text
    assert "Uppföljningarna ledde till en avvikelse, och två åtgärder beslutades" in text
    # no action from earlier years: the year's own actions say it all
    assert "Ingen av dem var verifierad vid årets slut, och en var försenad." in text
    assert "verifierades" not in text
    # planned then for the next twelve months: the January meeting and the re-check
    assert (
        "Vid årets slut var två uppföljningar planerade under de kommande tolv månaderna: en "
        "uppföljning av avtal och en återuppföljning." in text
    )
    assert [(r["area"], r["total"], r["closed"], r["ongoing"]) for r in ctx["area_outcomes"]] == [
        ("Bemanning och kompetens", 1, 0, 1)
    ]


def test_the_quarter_counts_as_of_its_end_and_a_running_period_as_of_today(
    session: Session, history: dict[str, FollowUp]
) -> None:
    first, last = quarter_bounds(2025, 4)
    ctx = period_context(load_period(session, REVISOR, first, last, TODAY), TODAY)
    summary = " ".join(ctx["summary"])
    assert "Vid periodens slut var två åtgärder öppna, varav en försenad." in summary
    assert (
        "En uppföljning som var planerad under perioden hölls inte före periodens slut." in summary
    )
    assert {"label": "Läget per", "value": "31 december 2025"} in ctx["meta"]
    first, last = quarter_bounds(2026, 1)
    running = load_period(session, REVISOR, first, last, TODAY)
    assert running.as_of == TODAY
    assert [f.id for f in running.followups] == [history["january"].id]
    assert running.verified_in_period == 1
    assert [f.kind for f in running.not_held] == [FollowUpKind.ateruppfoljning]


def test_a_reader_sees_only_justerade_follow_ups_in_the_reports(
    session: Session, history: dict[str, FollowUp]
) -> None:
    first, last = quarter_bounds(2026, 1)
    assert load_period(session, LASARE, first, last, TODAY).followups == []
    year = load_period(session, LASARE, date(2025, 1, 1), date(2025, 12, 31), TODAY)
    assert [f.id for f in year.followups] == [history["november"].id]


def test_a_record_made_after_the_day_did_not_exist_then(session: Session) -> None:
    with clock.scope():
        at(date(2026, 1, 15))
        where = registers(session)
        plan(session, where, date(2025, 12, 10))  # planned afterwards for a past date
        session.commit()
    pd = load_period(session, REVISOR, date(2025, 1, 1), date(2025, 12, 31), TODAY)
    assert pd.not_held == [] and pd.followups == []
    assert pd.as_of + timedelta(days=1) == date(2026, 1, 1)
