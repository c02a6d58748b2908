"""The conduct page in AppTest: answers autosave, progress moves, proposals appear, reading is read-only."""

import uuid

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from audit_app.auth import Actor
from audit_app.db import make_engine
from audit_app.domain.agenda import parse_agenda
from audit_app.models import (
    Action,
    Assessment,
    Finding,
    FollowUp,
    FollowUpStatus,
    Result,
    User,
)
from audit_app.services import followups


def _script(followup_id: str, username: str) -> None:
    import uuid

    from audit_app.views import followup
    from tests.app.harness import login_as

    login_as(username)
    followup.render(uuid.UUID(followup_id))


def _tab(at: AppTest, prefix: str) -> AppTest:
    """Open the tab whose label starts with `prefix` (the open tab is a widget keyed 'flik')."""
    label = next(t.label for t in at.tabs if t.label.startswith(prefix))
    at.session_state["flik"] = label
    at.query_params["flik"] = label  # the tab is bound to the address, as a click changes it
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _area(at: AppTest, name: str) -> AppTest:
    """Show the items of one area of a long agenda point."""
    at.segmented_control[0].set_value(name).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ska_area(at: AppTest) -> str:
    """An area of point 3 made of the contract's requirements (not its general questions)."""
    return next(o for o in at.segmented_control[0].options if o != "Allmänt")


def _open(followup_id: uuid.UUID, username: str = "revisor") -> AppTest:
    at = AppTest.from_function(_script, args=(str(followup_id), username), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def planned(app_db: str) -> uuid.UUID:
    engine = make_engine(app_db)
    with Session(engine) as s:
        f = s.exec(
            select(FollowUp).where(
                FollowUp.status == FollowUpStatus.planerad, FollowUp.kind == "avtal"
            )
        ).one()
        fid = f.id
    engine.dispose()
    return fid


def _db(app_db: str) -> Session:
    return Session(make_engine(app_db))


def test_start_then_every_answer_is_saved_at_once(app_db: str, planned: uuid.UUID) -> None:
    at = _open(planned)
    # nothing of the agenda to answer before the start (open actions of earlier meetings may
    # be marked already)
    assert not [r for r in at.radio if ".res." in (r.key or "")]
    at.button(key=f"fu.{str(planned)[:8]}.start").click().run()
    assert not at.exception
    _tab(at, "3.")
    progress_before = at.get("progress")[0].proto.text
    assert progress_before.startswith("0 av ")
    area = _ska_area(at)
    _area(at, area)
    ska = [r for r in at.radio if ".res.krav-" in (r.key or "")]
    assert len(ska) >= 2
    first = ska[0]
    item_key = first.key.split(".res.", 1)[1]  # type: ignore[union-attr]
    first.set_value(Result.ej_uppfyllt).run()
    assert not at.exception
    comment = at.text_input(key=f"fu.{str(planned)[:8]}.com.{item_key}")
    comment.input("Rutinen saknas i pärmen").run()
    with _db(app_db) as s:
        saved = s.exec(
            select(Assessment).where(
                Assessment.followup_id == planned, Assessment.item_key == item_key
            )
        ).one()
        assert saved.result is Result.ej_uppfyllt
        assert saved.comment == "Rutinen saknas i pärmen"
        proposal = s.exec(
            select(Finding).where(Finding.followup_id == planned, Finding.item_key == item_key)
        ).one()
        assert proposal.status.value == "foreslagen"
    assert at.get("progress")[0].proto.text.startswith("1 av ")
    # a fresh session (the laptop slept, the tab was reopened) shows the saved answer
    again = _area(_tab(_open(planned), "3."), area)
    radio = again.radio(key=f"fu.{str(planned)[:8]}.res.{item_key}")
    assert radio.value is Result.ej_uppfyllt
    texts = "\n".join(m.value for m in again.markdown)
    # the proposal shows at the item itself, with its decision at hand
    assert "Föreslås som avvikelse – SKA-krav ej (helt) uppfyllt" in texts
    assert any(b.label == "Bekräfta avvikelse" for b in again.button)


def test_personnummer_in_a_comment_is_refused_with_a_message(
    app_db: str, planned: uuid.UUID
) -> None:
    at = _open(planned)
    at.button(key=f"fu.{str(planned)[:8]}.start").click().run()
    _tab(at, "3.")
    _area(at, _ska_area(at))
    box = next(t for t in at.text_input if ".com.krav-" in (t.key or ""))
    box.input("Gäller boende 19121212-1212").run()
    assert any("personnummer" in e.value for e in at.error)
    with _db(app_db) as s:
        rows = s.exec(select(Assessment).where(Assessment.followup_id == planned)).all()
        assert all("1212" not in a.comment for a in rows)


def test_filter_shows_only_unanswered_items(app_db: str, planned: uuid.UUID) -> None:
    at = _open(planned)
    at.button(key=f"fu.{str(planned)[:8]}.start").click().run()
    _tab(at, "3.")
    _area(at, _ska_area(at))
    total = len([r for r in at.radio if ".res." in (r.key or "")])
    first = next(r for r in at.radio if ".res.krav-" in (r.key or ""))
    first.set_value(Result.uppfyllt).run()
    toggle = next(
        t
        for t in at.toggle
        if "krav" in (t.key or "") or ".ska" in (t.key or "") or "avtal" in (t.key or "")
    )
    toggle.set_value(True).run()
    assert len([r for r in at.radio if ".res." in (r.key or "")]) == total - 1


def test_a_long_point_is_shown_one_area_at_a_time_and_nothing_is_left_out(
    app_db: str, planned: uuid.UUID
) -> None:
    at = _open(planned)
    at.button(key=f"fu.{str(planned)[:8]}.start").click().run()
    _tab(at, "3.")
    with _db(app_db) as s:
        f = s.get(FollowUp, planned)
        assert f is not None
        point = [i["key"] for i in f.agenda if i.get("section_title", "").startswith("3.")]
    assert len(point) > 15  # the contract's requirements: more than one screen
    areas = at.segmented_control[0]
    assert areas.label == "Område" and areas.options[0] == "Allmänt"
    # nothing answered yet: the first area is open
    assert areas.value == areas.options[0]
    seen: list[str] = []
    for name in areas.options:
        _area(at, name)
        keys = [r.key.split(".res.", 1)[1] for r in at.radio if ".res." in (r.key or "")]
        values = [t.key.split(".val.", 1)[1] for t in at.text_input if ".val." in (t.key or "")]
        shown = (
            keys
            + values
            + [r.key.split(".val.", 1)[1] for r in at.radio if ".val." in (r.key or "")]
        )
        assert shown, name
        assert any(f"av {len(shown)} bedömda i området" in c.value for c in at.caption), name
        seen += shown
    # every item of the point is in exactly one area
    assert sorted(seen) == sorted(point)
    # answering the whole first area opens the next one on a fresh page
    _area(at, areas.options[0])
    answers = [r for r in at.radio if ".val." in (r.key or "") or ".res." in (r.key or "")]
    for r in answers:
        r.set_value(r.options[0] if ".val." in (r.key or "") else Result.uppfyllt).run()
    # the progress above the tabs is counted again when the next area is opened
    _area(at, areas.options[1])
    assert at.get("progress")[0].proto.text.startswith(f"{len(answers)} av ")
    again = _tab(_open(planned), "3.")
    assert again.segmented_control[0].value == areas.options[1]


def test_reader_sees_a_justerad_followup_without_controls(app_db: str) -> None:
    with _db(app_db) as s:
        fid = (
            s.exec(
                select(FollowUp).where(
                    FollowUp.status == FollowUpStatus.justerad, FollowUp.kind == "avtal"
                )
            )
            .first()
            .id
        )  # type: ignore[union-attr]
    at = _tab(_open(fid, "lasare"), "3.")
    assert not at.radio and not at.text_input
    assert not [
        b
        for b in at.button
        if b.label in ("Lämna för justering", "Justera", "Starta uppföljningen")
    ]
    assert any("Justerad" in m.value for m in at.markdown)


def test_a_locked_followup_still_shows_its_staffing_block(app_db: str) -> None:
    with _db(app_db) as s:
        fid = (
            s.exec(
                select(FollowUp).where(
                    FollowUp.status == FollowUpStatus.justerad, FollowUp.kind == "avtal"
                )
            )
            .first()
            .id
        )  # type: ignore[union-attr]
    at = _tab(_open(fid, "lasare"), "2.")
    assert any("Schemagranskning" in m.value for m in at.markdown)


def test_a_demo_followup_shows_the_demo_answers_in_every_point(app_db: str) -> None:
    """The demo's ongoing follow-up opens with its figures, judgements and notes in place."""
    with _db(app_db) as s:
        f = s.exec(
            select(FollowUp).where(
                FollowUp.status == FollowUpStatus.pagar, FollowUp.kind == "avtal"
            )
        ).first()
        assert f is not None
        fid = f.id
        stored = {
            a.item_key: a
            for a in s.exec(select(Assessment).where(Assessment.followup_id == fid)).all()
        }
        items = {i.key: i for i in parse_agenda(f.agenda)}
    prefix = f"fu.{str(fid)[:8]}."
    at = _open(fid)
    shown: dict[str, int] = {"val": 0, "com": 0, "res": 0}
    for point, area in [("1.", None), ("2.", None)] + [
        ("3.", name) for name in _tab(at, "3.").segmented_control[0].options
    ]:
        _tab(at, point)
        if area is not None:
            _area(at, area)
        for box in at.text_input:
            kind, _, key = (box.key or "").removeprefix(prefix).partition(".")
            if kind in ("val", "com") and key in stored:
                a = stored[key]
                # a number is shown with a decimal comma ("0,63"), as the revisor writes it
                shown_value = items[key].shown_answer(a.value)
                assert box.value == (shown_value if kind == "val" else a.comment), key
                shown[kind] += bool(box.value)
        for radio in at.radio:
            kind, _, key = (radio.key or "").removeprefix(prefix).partition(".")
            if kind == "res" and key in stored:
                assert radio.value is stored[key].result, key
                shown["res"] += 1
    # figures of the schedule review, the notes on what was not met, and every judgement
    assert shown["val"] >= 4 and shown["com"] >= 3 and shown["res"] >= 40, shown


def test_an_action_is_added_in_one_go_and_an_error_keeps_what_was_typed(
    app_db: str, planned: uuid.UUID
) -> None:
    at = _open(planned)
    short = str(planned)[:8]
    at.button(key=f"fu.{short}.start").click().run()
    _area(_tab(at, "3."), _ska_area(at))
    item = next(r for r in at.radio if ".res.krav-" in (r.key or ""))
    item.set_value(Result.ej_uppfyllt).run()
    with _db(app_db) as s:  # confirmed as in the browser (AppTest runs no fragment alone)
        revisor = Actor.of(s.exec(select(User).where(User.username == "revisor")).one())
        followups.confirm_all(s, revisor, planned)
        s.commit()
    _tab(at, "4.")
    with _db(app_db) as s:
        finding = s.exec(select(Finding).where(Finding.followup_id == planned)).one()
        meeting = s.get(FollowUp, planned)
        assert meeting is not None
        day = meeting.planned_date
    key = f"fu.{short}.act.{finding.id}"
    # a date before the meeting is refused; the text stays for the revisor to correct
    at.text_input(key=f"{key}.what").input("Revidera rutinen för läkemedel")
    at.date_input(key=f"{key}.due").set_value(day.replace(year=day.year - 1))
    next(b for b in at.button if b.label == "Lägg till åtgärd").click().run()
    assert any("datumet kan inte ligga före mötet" in e.value for e in at.error)
    assert at.text_input(key=f"{key}.what").value == "Revidera rutinen för läkemedel"
    with _db(app_db) as s:
        assert not s.exec(select(Action).where(Action.finding_id == finding.id)).all()
    # corrected, it is saved and shown in the same run, and the form is emptied
    at.date_input(key=f"{key}.due").set_value(day)
    next(b for b in at.button if b.label == "Lägg till åtgärd").click().run()
    assert not at.error
    assert at.text_input(key=f"{key}.what").value == ""
    tables = [d.value for d in at.dataframe if "Åtgärd" in d.value.columns]
    assert [list(t["Åtgärd"]) for t in tables] == [["Revidera rutinen för läkemedel"]]
    with _db(app_db) as s:
        saved = s.exec(select(Action).where(Action.finding_id == finding.id)).one()
        assert saved.what == "Revidera rutinen för läkemedel" and saved.due_date == day
