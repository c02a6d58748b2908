"""What the staffing panel shows, decided in the service: units, labels, figures, tables."""

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from audit_app.models import FollowUp, StaffingAnalysis
from audit_app.services import followups
from audit_app.services.documents.data import load_followup_data
from audit_app.services.documents.staffing_review import staffing_block
from audit_app.services.staffing import display
from tests.conftest import REVISOR
from tests.unit.staffing.fixtures import store_schedule, write_xlsx_style_a

NBSP = "\u00a0"


def _followup(session: Session, setup: dict[str, Any]) -> FollowUp:
    return followups.get_followup(session, setup["followup"])


def test_panel_before_any_analysis(session: Session, setup: dict[str, Any]) -> None:
    panel = display.panel_for(session, _followup(session, setup))
    assert (panel.contract_id, panel.contract_dnr) == (setup["contract"], "VOF 2026/1")
    assert [(u.unit_id, u.name) for u in panel.with_rules()] == [(setup["unit"], "Solgården")]
    assert panel.without_rules() == []
    assert (panel.clause, panel.saved_mapping, panel.analyses) == ("5.1.1", {}, [])


def test_stored_analysis_as_the_panel_shows_it(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    analysis = store_schedule(session, setup, write_xlsx_style_a(tmp_path / "schema.xlsx"))
    analysis.created_at = datetime(2026, 11, 10, 8, 5, tzinfo=UTC)
    panel = display.panel_for(session, _followup(session, setup))
    (view,) = panel.analyses
    assert view.label == (
        f"schema 2026-11-02–2026-11-04.xlsx · sparad 2026-11-10 09:05 av {REVISOR.display_name}"
    )
    assert view.period == "2 november 2026 – 4 november 2026 (3 dagar)"
    assert [(m.label, m.value, m.delta, m.delta_description) for m in view.metrics] == [
        ("Pass", "27", None, None),
        ("Arbetade timmar", "198", None, None),
        ("Kompetenta timmar", f"72{NBSP}%", "-3 p.e.", f"krav 75{NBSP}%"),
        ("Personer i schemat", "12", None, None),
        ("Pass under åtagandet", "4", None, None),
    ]
    assert view.hours_by_section == "Timmar per avdelning: Avd Lärkan 103; Avd Måsen 95"
    assert view.share_problem == (
        f"Andelen timmar med kompetent personal är 72{NBSP}%, lägre än åtagandet 75{NBSP}%."
    )
    assert view.breach_count == 6 and view.can_propose
    assert view.breaches.iloc[0].tolist() == [
        "2026-11-03",
        "Avd Lärkan",
        "Dag",
        "Kompetens (för få)",
        2,
        1,
    ]
    assert view.periods is not None and len(view.periods) == 12
    table = display.periods_table(view.periods)
    assert table.iloc[2][["Datum", "Från", "Till", "Brist"]].tolist() == [
        "2026-11-03",
        "07:00",
        "15:00",
        "Bemanning och kompetens",
    ]
    assert view.columns.startswith("Kolumner som användes: datum = Datum; starttid = Från")


def test_heat_map_data_marks_breaches_and_names_days() -> None:
    analysis = StaffingAnalysis(
        followup_id=uuid.uuid4(),
        filename="s.csv",
        file_sha256="0",
        result={
            "from": "2026-11-02",
            "to": "2026-11-02",
            "competent_share": 0.9,
            "periods": [
                {"section": "A", "date": "2026-11-02", "period": "Dag", "start": "2026-11-02T07:00",
                 "end": "2026-11-02T15:00", "present": 2, "competent": 2, "min_staff": 3,
                 "min_competent": 1, "staff_per_place": 0.2, "staff_breach": True,
                 "competent_breach": False},
            ],
        },
    )  # fmt: skip
    view = display.analysis_view(analysis, "s.csv")
    assert view.periods is not None and not view.can_propose  # no breaches stored
    data = display.heatmap(view.periods)
    assert (data.rows, data.days, data.numbers) == (["A · Dag"], ["mån 2/11"], True)
    assert data.frame[["Status", "Text"]].values.tolist() == [[display.STAFF_LABEL, "2!"]]


def test_share_just_below_the_commitment_is_not_shown_as_meeting_it() -> None:
    analysis = StaffingAnalysis(
        followup_id=uuid.uuid4(),
        filename="s.csv",
        file_sha256="0",
        result={"competent_share": 0.7462, "min_competent_hours_share": 0.75,
                "share_breached": True, "breaches": []},
    )  # fmt: skip
    view = display.analysis_view(analysis, "s.csv")
    share = next(m for m in view.metrics if m.label == "Kompetenta timmar")
    assert (share.value, share.delta) == (f"74,6{NBSP}%", "-0,4 p.e.")
    assert view.share_problem.endswith(f"är 74,6{NBSP}%, lägre än åtagandet 75{NBSP}%.")


def test_coverage_per_section_in_the_panel_and_the_minutes(
    session: Session, setup: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "schema.csv"
    path.write_text(
        "Datum;Start;Slut;Befattning;Avdelning\n"
        "2026-11-02;07:00;15:00;USK;Avd Lärkan\n"
        "2026-11-02;07:00;15:00;USK;Avd Måsen\n"
        "2026-11-04;07:00;15:00;USK;Avd Lärkan\n",
        encoding="utf-8",
    )
    analysis = store_schedule(session, setup, path)
    assert analysis.result["coverage"]["Avd Måsen"] == {
        "from": "2026-11-02",
        "to": "2026-11-02",
        "days_with_shifts": 1,
        "missing_days": ["2026-11-03", "2026-11-04"],
    }
    assert analysis.result["warnings"][-3:] == [
        "Schemat omfattar 3 dagar (2–4 november 2026), kortare än granskningsperioden 14 "
        "dagar i reglerna.",
        "Avdelningen Avd Lärkan saknar pass 1 dag av perioden (3 november 2026).",
        "Avdelningen Avd Måsen saknar pass 2 dagar av perioden (3 november 2026, 4 november 2026).",
    ]
    (view,) = display.panel_for(session, _followup(session, setup)).analyses
    assert view.coverage_note == (
        "Schemat omfattar bara 3 dagar, kortare än granskningsperioden 14 dagar."
    )
    assert view.coverage is not None
    assert view.coverage.values.tolist() == [
        ["Avd Lärkan", "2026-11-02", "2026-11-04", 2, 1],
        ["Avd Måsen", "2026-11-02", "2026-11-02", 1, 2],
    ]
    data = load_followup_data(session, _followup(session, setup))
    block = staffing_block(data)
    assert block["intro"][1] == (
        "Schemat omfattar bara 3 dagar, kortare än de 14 dagar som granskningen ska omfatta. "
        "För Avd Lärkan och Avd Måsen saknas pass vissa dagar under perioden."
    )
    assert "Obs: Avdelningen Avd Måsen saknar pass 2 dagar av perioden (3 november 2026, " in (
        "\n".join(block["breaches_note"])
    )
