"""Golden files: the text (not the bytes) of one follow-up's documents of each kind and of each
report, from the demo made on a fixed day. A change in wording shows up as a diff to review;
after a deliberate change, rewrite them with UPDATE_GOLDEN=1 and read the diff before
committing."""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from audit_app.auth import SYSTEM
from audit_app.db import make_engine
from audit_app.models import FollowUp, FollowUpKind, FollowUpStatus
from audit_app.services import followups as followups_service
from audit_app.services.documents import reports, stored
from audit_app.services.documents.committee import committee_context
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.registry import COMMITTEE_TEMPLATE
from audit_app.services.documents.templates import render_template
from tests.unit.documents.conftest import DEMO_TODAY
from tests.unit.documents.docx_reading import open_docx, paragraph_text

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def engine(fixed_demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("golden") / "demo.db"
    shutil.copy(fixed_demo_db, path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture(scope="module", autouse=True)
def _no_uploaded_templates(private_data_dir: Path) -> Path:
    return private_data_dir


def text_lines(content: bytes) -> str:
    lines = (" ".join(line.split()) for line in paragraph_text(open_docx(content)).splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def check(name: str, content: bytes) -> None:
    got = text_lines(content)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8")
    want = path.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(want.splitlines(True), got.splitlines(True), "golden", "nu")
    )
    assert got == want, f"{name} differs from tests/unit/documents/golden:\n{diff}"


def first_justerad(session: Session, kind: FollowUpKind) -> FollowUp:
    """The earliest justerad follow-up of the kind; on a day with several, the first by unit name
    (the demo dates the records of one day alike, so their creation times may tie)."""
    found = list(
        session.exec(
            select(FollowUp).where(
                FollowUp.kind == kind, FollowUp.status == FollowUpStatus.justerad
            )
        )
    )
    assert found
    units = followups_service.unit_names(session, [f.id for f in found])
    return min(found, key=lambda f: (f.planned_date, ",".join(units[f.id])))


@pytest.mark.parametrize("kind", list(FollowUpKind), ids=[k.value for k in FollowUpKind])
def test_the_minutes_of_each_kind(engine: Engine, kind: FollowUpKind) -> None:
    with Session(engine) as session:
        f = first_justerad(session, kind)
        check(f"protokoll-{kind.value}", stored.minutes_document(session, SYSTEM, f.id).content)


@pytest.mark.parametrize(
    "kind", [FollowUpKind.avtal, FollowUpKind.kvalitetsrevision], ids=["avtal", "revision"]
)
def test_the_tjansteskrivelse(engine: Engine, kind: FollowUpKind) -> None:
    with Session(engine) as session:
        f = first_justerad(session, kind)
        data = load_followup_data(session, f, today=DEMO_TODAY)
        content = render_template(COMMITTEE_TEMPLATE, committee_context(data))
        check(f"tjansteskrivelse-{kind.value}", content)


def test_the_reports(engine: Engine) -> None:
    with Session(engine) as session:
        check(
            "kvalitetsberattelse-2025",
            reports.render_yearly_contribution(session, SYSTEM, 2025, today=DEMO_TODAY),
        )
        check(
            "kvalitetsradet-2025-4",
            reports.render_period_report(
                session, SYSTEM, date(2025, 10, 1), date(2025, 12, 31), today=DEMO_TODAY
            ),
        )
        check(
            "kvalitetsradet-2026-1",  # the running quarter, as of the day
            reports.render_period_report(
                session, SYSTEM, date(2026, 1, 1), date(2026, 3, 31), today=DEMO_TODAY
            ),
        )


def test_a_report_on_a_running_period_dates_its_figures(engine: Engine) -> None:
    """While the year or quarter runs, nothing is said 'vid årets slut' or 'vid periodens
    slut': the figures are those of the report's day, and the text says so."""
    with Session(engine) as session:
        year = text_lines(
            reports.render_yearly_contribution(session, SYSTEM, 2026, today=DEMO_TODAY)
        )
        quarter = text_lines(
            reports.render_period_report(
                session, SYSTEM, date(2026, 1, 1), date(2026, 3, 31), today=DEMO_TODAY
            )
        )
        ended = text_lines(
            reports.render_yearly_contribution(session, SYSTEM, 2025, today=DEMO_TODAY)
        )
    assert "årets slut" not in year and "periodens slut" not in quarter
    assert "Den 16 mars 2026 var" in year and "Den 16 mars 2026 var" in quarter
    assert "Vid årets slut var" in ended
