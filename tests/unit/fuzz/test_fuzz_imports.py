"""Fuzzing every import of files from outside through the same service functions the pages
use: a result or a Swedish error, never an unhandled exception, never a partial write.

`HYPOTHESIS_PROFILE=ci` (set by .ci/run) runs 1,000 examples per test; the default is a quick
run while working."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.errors import UserError
from audit_app.services import checklists, registers
from audit_app.services.staffing import store
from tests.conftest import REVISOR
from tests.unit.fuzz import files
from tests.unit.fuzz.outcome import result_or_swedish_error
from tests.unit.staffing.fixtures import contract_rules, followup_with_commitments


@pytest.fixture
def ids(session: Session) -> dict[str, Any]:
    return followup_with_commitments(session)


@given(files.schedules())
def test_schedule_upload(
    session: Session, engine: Engine, ids: dict[str, Any], file: tuple[str, bytes, bool]
) -> None:
    name, data, bad = file
    rules = contract_rules(session, ids)
    outcome = result_or_swedish_error(
        lambda: store.save_analysis(session, REVISOR, ids["followup"], name, data, rules),
        session,
        engine,
        hostile=bad,
    )
    if not isinstance(outcome, UserError):
        assert outcome.result["shifts"] > 0
        assert "Anna Berg" not in str(outcome.result)


def _import_checklist(session: Session, name: str, data: bytes) -> Any:
    checklist = checklists.read_upload(data, name)
    try:
        return checklists.import_version(session, REVISOR, checklist, f"fuzz {name}")
    except checklists.ChecklistUnchanged:
        return checklist


@given(files.checklist_yaml())
def test_checklist_import_yaml(
    session: Session, engine: Engine, file: tuple[str, bytes, bool]
) -> None:
    name, data, bad = file
    result_or_swedish_error(
        lambda: _import_checklist(session, name, data), session, engine, hostile=bad
    )


@given(files.checklist_workbooks())
def test_checklist_import_excel(
    session: Session, engine: Engine, file: tuple[str, bytes, bool]
) -> None:
    name, data, bad = file
    result_or_swedish_error(
        lambda: _import_checklist(session, name, data), session, engine, hostile=bad
    )


@given(files.requirement_workbooks())
def test_requirement_import(
    session: Session, engine: Engine, ids: dict[str, Any], file: tuple[str, bytes, bool]
) -> None:
    name, data, bad = file

    def replace() -> list[Any]:
        rows = registers.parse_requirements_excel(data, name)
        return registers.save_requirements(session, REVISOR, ids["contract"], rows)

    outcome = result_or_swedish_error(replace, session, engine, hostile=bad)
    if not isinstance(outcome, UserError):
        assert all(r.text for r in outcome)
