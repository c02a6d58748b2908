"""Staffing analyses in the database: no names stored, locks, bad input, saved columns."""

import hashlib
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from audit_app.errors import Locked, PermissionDenied, ValidationFailed
from audit_app.models import ChangeLog, Finding, ScheduleMapping, StaffingAnalysis
from audit_app.services import followups
from audit_app.services.staffing import findings, store
from audit_app.services.staffing.errors import ScheduleError
from audit_app.services.staffing.rules import load_rules
from tests.conftest import CHEF, LASARE, REVISOR, hand_over
from tests.unit.staffing.fixtures import (
    RULES_YAML,
    SCENARIO_BREACHES,
    SCENARIO_NAMES,
    contract_rules,
    count_rows,
    plain_frame,
    store_schedule,
    write_csv_style_b,
    write_xlsx_style_a,
)


@pytest.mark.parametrize("writer", [write_xlsx_style_a, write_csv_style_b])
def test_no_name_of_the_schedule_reaches_the_database_file(
    session: Session,
    engine: Engine,
    setup: dict[str, Any],
    tmp_path: Path,
    writer: Any,
) -> None:
    suffix = ".xlsx" if writer is write_xlsx_style_a else ".csv"
    path = writer(tmp_path / f"schema{suffix}")
    analysis = store_schedule(session, setup, path)

    result = analysis.result
    assert result["breaches"] == SCENARIO_BREACHES
    assert result["distinct_people"] == 12
    assert result["shifts"] == 27
    assert (analysis.period_from, analysis.period_to) == (date(2026, 11, 2), date(2026, 11, 4))
    assert analysis.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert analysis.unit_id == setup["unit"]
    assert len(result["periods"]) == 2 * 3 * 2  # sections x days x periods
    assert analysis.rules == load_rules(RULES_YAML).model_dump(mode="json")
    notes = followups.notes_of(session, setup["followup"])
    assert notes["personaltathet"].startswith("Dag 0,27 · Natt 0,08 i tjänst per plats")
    assert notes["narvarande_kompetens"].startswith("72\u00a0% av timmarna med kompetent personal")

    session.close()
    engine.dispose()  # checkpoints the WAL into the database file
    files = sorted(tmp_path.glob("test.db*"))
    assert files and files[0].name == "test.db"
    raw = b"".join(p.read_bytes() for p in files).lower()
    assert len(raw) > 10_000
    for name in SCENARIO_NAMES:
        for encoding in ("utf-8", "utf-16-le"):
            assert name.lower().encode(encoding) not in raw, name
    assert "avd lärkan".encode() in raw  # the search itself works


def test_bad_file_stores_nothing(session: Session, setup: dict[str, Any], tmp_path: Path) -> None:
    before = (count_rows(session, StaffingAnalysis), count_rows(session, ChangeLog))
    notes = followups.notes_of(session, setup["followup"])
    broken = tmp_path / "schema.xlsx"
    broken.write_bytes(b"not a workbook at all")
    with pytest.raises(ScheduleError) as err:
        store_schedule(session, setup, broken, mapping={"role": "Yrke"})
    assert "schema.xlsx" in err.value.messages[0]
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    with pytest.raises(ScheduleError):
        store_schedule(session, setup, empty)
    no_role = tmp_path / "utan-roll.csv"
    plain_frame().drop(columns=["Befattning"]).to_csv(no_role, sep=";", index=False)
    with pytest.raises(ScheduleError) as err:
        store_schedule(session, setup, no_role)
    assert "befattning" in err.value.messages[0]
    session.rollback()
    assert (count_rows(session, StaffingAnalysis), count_rows(session, ChangeLog)) == before
    assert followups.notes_of(session, setup["followup"]) == notes
    assert session.get(ScheduleMapping, setup["contractor"]) is None


def test_locked_followup_and_readers_are_refused(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    path = write_xlsx_style_a(tmp_path / "schema.xlsx")
    analysis = store_schedule(session, setup, path)
    with pytest.raises(PermissionDenied):
        store.save_analysis(
            session,
            LASARE,
            setup["followup"],
            "s.xlsx",
            path.read_bytes(),
            contract_rules(session, setup),
        )
    with pytest.raises(PermissionDenied):
        findings.breaches_to_findings(session, LASARE, analysis.id)
    hand_over(session, REVISOR, setup["followup"])
    session.commit()
    with pytest.raises(Locked):
        store_schedule(session, setup, path)
    with pytest.raises(Locked):
        findings.breaches_to_findings(session, REVISOR, analysis.id)
    session.rollback()
    assert count_rows(session, StaffingAnalysis) == 1
    assert count_rows(session, Finding) == 0
    followups.send_back(session, CHEF, setup["followup"])
    assert len(findings.breaches_to_findings(session, REVISOR, analysis.id)) == 7


def test_corrected_columns_are_saved_for_the_contractor_and_used_next_time(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    frame = plain_frame().rename(columns={"Befattning": "Kompetensgrupp"})
    path = tmp_path / "schema.xlsx"
    frame.to_excel(path, index=False)
    data = path.read_bytes()
    layout, used = store.layout_for(
        data, path.name, store.saved_mapping(session, setup["contractor"])
    )
    assert not used
    assert layout.missing == ["role"]
    chosen = {f: "" for f in ("date", "start", "end", "range", "role", "section", "break", "name")}
    chosen |= layout.mapping | {"role": "Kompetensgrupp"}
    analysis = store_schedule(session, setup, path, mapping=chosen)
    assert analysis.result["breaches"] == SCENARIO_BREACHES
    assert analysis.result["columns"]["role"] == "Kompetensgrupp"
    assert store.saved_mapping(session, setup["contractor"]) == {"role": "Kompetensgrupp"}

    layout, used = store.layout_for(
        data, path.name, store.saved_mapping(session, setup["contractor"])
    )
    assert used and layout.missing == []
    assert layout.mapping["role"] == "Kompetensgrupp"
    # a file without that header: the saved choice is dropped, the file still reads
    other = tmp_path / "annan.xlsx"
    plain_frame().to_excel(other, index=False)
    layout, used = store.layout_for(other.read_bytes(), other.name, {"role": "Kompetensgrupp"})
    assert not used and layout.mapping["role"] == "Befattning"


def test_get_analysis_of_unknown_id_is_a_swedish_error(session: Session) -> None:
    with pytest.raises(ValidationFailed, match="Schemagranskningen finns inte"):
        store.get_analysis(session, uuid.uuid4())
