"""Two people never overwrite each other: stale saves are refused with the other value shown,
first saves race safely, notes are saved field by field, and ten writers lose nothing."""

import json
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from audit_app.db import make_engine, migrate, session_scope
from audit_app.errors import Conflict
from audit_app.models import Assessment, ChangeLog, Result
from audit_app.services import followups
from tests.conftest import REVISOR, REVISOR2, ROOT, add_test_users
from tests.pg import fresh_database, postgres_url
from tests.unit.followups.fixtures import plan, registers_setup


def test_a_stale_answer_is_refused_and_shows_the_other_persons_value(
    session: Session, setup: dict[str, Any]
) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    # both saw an empty comment; Karin saves first
    followups.save_assessment(session, REVISOR, f.id, "krav-4.1", comment="Rutin saknas", seen=None)
    session.commit()
    with pytest.raises(Conflict, match=r"Karin Ek sparade kommentaren .* 'Rutin saknas'"):
        followups.save_assessment(
            session, REVISOR2, f.id, "krav-4.1", comment="Allt i ordning", seen=None
        )
    session.rollback()
    saved = followups.assessments_of(session, f.id)["krav-4.1"]
    assert saved.comment == "Rutin saknas" and saved.version == 2
    # the same value twice is no conflict, and a save based on what is stored goes through
    followups.save_assessment(
        session, REVISOR2, f.id, "krav-4.1", comment="Rutin saknas", seen=None
    )
    followups.save_assessment(
        session, REVISOR2, f.id, "krav-4.1", comment="Rutin finns nu", seen="Rutin saknas"
    )
    session.commit()
    log = session.exec(
        select(ChangeLog).where(ChangeLog.entity == "assessment", ChangeLog.field == "comment")
    ).all()
    assert [(x.old, x.new) for x in sorted(log, key=lambda x: x.at)][-1] == (
        "Rutin saknas",
        "Rutin finns nu",
    )


def test_a_save_from_a_stale_copy_never_overwrites(engine: Engine) -> None:
    with Session(engine) as s:
        f = plan(s, registers_setup(s), date(2026, 3, 10))
        followups.save_assessment(s, REVISOR, f.id, "krav-4.1", result=Result.uppfyllt)
        s.commit()
        fid = f.id
    # Omar's copy is read first (his session ends: SQLite units of work hold the write lock),
    # then Karin saves; Omar's copy is now stale.
    second = Session(engine, expire_on_commit=False)
    b = followups.assessments_of(second, fid)["krav-4.1"]
    second.close()
    first = Session(engine, expire_on_commit=False)
    a = followups.assessments_of(first, fid)["krav-4.1"]
    a.comment, a.version = "Karins text", a.version + 1
    first.commit()
    first.close()
    with (
        pytest.raises(Conflict, match="Någon annan sparade samma uppgift"),
        session_scope(engine) as third,
    ):
        b.comment, b.version = "Omars text", b.version + 1
        third.add(b)
    with Session(engine) as s:
        assert followups.assessments_of(s, fid)["krav-4.1"].comment == "Karins text"


def test_notes_are_saved_field_by_field(session: Session, setup: dict[str, Any]) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    followups.save_note(session, REVISOR, f.id, "personaltathet", "0,8", seen=None)
    followups.save_note(session, REVISOR2, f.id, "bemanning_kommentar", "Två vakanser", seen=None)
    session.commit()
    assert followups.notes_of(session, f.id) == {
        "personaltathet": "0,8",
        "bemanning_kommentar": "Två vakanser",
    }
    with pytest.raises(Conflict, match="Karin Ek sparade fältet"):
        followups.save_note(session, REVISOR2, f.id, "personaltathet", "0,9", seen=None)


def test_two_first_saves_of_the_same_item_keep_one_row(session: Session, setup: Any) -> None:
    f = plan(session, setup, date(2026, 3, 10))
    followups.save_assessment(session, REVISOR, f.id, "krav-4.2", result=Result.ej_uppfyllt)
    followups.save_assessment(session, REVISOR2, f.id, "krav-4.2", comment="Två brukare saknar")
    session.commit()
    rows = session.exec(
        select(Assessment).where(Assessment.followup_id == f.id, Assessment.item_key == "krav-4.2")
    ).all()
    assert len(rows) == 1
    assert (rows[0].result, rows[0].comment) == (Result.ej_uppfyllt, "Två brukare saknar")


def _load(url: str, engine: Engine, setup_fn: Any, writers: int = 10) -> dict[str, Any]:
    with Session(engine) as s:
        f = setup_fn(s)
        keys = [i["key"] for i in f.agenda]
        fid = str(f.id)
    per_worker = {
        w: [k for i, k in enumerate(keys) if i % writers == w % len(keys)] for w in range(writers)
    }
    shared = keys[0]
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.unit.followups.load_worker", url, fid, str(w), "2",
             *per_worker[w], shared],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )
        for w in range(writers)
    ]  # fmt: skip
    errors = [e for p in procs for e in json.loads(p.communicate(timeout=600)[0] or "[]")]
    assert all(p.returncode == 0 for p in procs)
    elapsed = time.perf_counter() - started
    with Session(engine) as s:
        answers = followups.assessments_of(s, uuid.UUID(fid))
        notes = followups.notes_of(s, uuid.UUID(fid))
    return {"errors": errors, "answers": answers, "notes": notes, "keys": keys, "s": elapsed}


@pytest.mark.parametrize("writers", [10])
def test_ten_writers_at_once_lose_nothing_on_sqlite(
    tmp_path: Path, writers: int, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'load.db'}"
    engine = make_engine(url)
    migrate(engine)
    add_test_users(engine)
    result = _load(url, engine, _planned_followup, writers)
    assert not [e for e in result["errors"] if "locked" in e.lower()], result["errors"][:3]
    assert not [e for e in result["errors"] if "Conflict" not in e], result["errors"][:3]
    assert set(result["answers"]) == set(result["keys"])  # no lost answer
    assert all(a.result is Result.uppfyllt for a in result["answers"].values())
    assert set(result["notes"]) == {f"anteckning-{w}" for w in range(writers)}
    with capsys.disabled():
        print(
            f"\n[load] SQLite: {writers} writers, {len(result['keys'])} items, "
            f"{len(result['errors'])} conflicts shown, {result['s']:.1f} s"
        )


def _planned_followup(session: Session) -> Any:
    return plan(session, registers_setup(session), date(2026, 3, 10))


@pytest.mark.postgres
def test_ten_writers_at_once_lose_nothing_on_postgres(capsys: pytest.CaptureFixture[str]) -> None:
    with fresh_database(postgres_url()) as (url, engine):
        migrate(engine)
        add_test_users(engine)
        result = _load(url, engine, _planned_followup)
    assert not [e for e in result["errors"] if "Conflict" not in e], result["errors"][:3]
    assert set(result["answers"]) == set(result["keys"])
    assert len(result["notes"]) == 10
    with capsys.disabled():
        print(
            f"\n[load] PostgreSQL: 10 writers, {len(result['errors'])} conflicts shown, "
            f"{result['s']:.1f} s"
        )
