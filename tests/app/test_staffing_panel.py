"""The staffing panel and the rules editor in AppTest, on the demo's Solgården follow-up.

AppTest cannot upload files, so an analysis is stored through the service first and the panel
is checked on what it shows: figures, heat map, breaches, the findings button, read-only mode.
"""

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from audit_app.db import make_engine
from audit_app.models import (
    Finding,
    FindingSource,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FollowUpUnit,
    Unit,
)
from audit_app.services.staffing import commitments, store
from audit_app.services.staffing.analysis import periods_frame
from audit_app.views.staffing_panel import heatmap_chart
from tests.app.harness import shown
from tests.conftest import REVISOR
from tests.unit.staffing.fixtures import write_xlsx_style_a


def _login(username: str) -> None:
    from tests.app.harness import login_as

    login_as(username)


def _panel_script(followup_id: str, username: str, editable: bool) -> None:
    import uuid

    from audit_app.services import followups
    from audit_app.ui import db
    from audit_app.views.staffing_panel import render_staffing_panel
    from tests.app.test_staffing_panel import _login

    _login(username)
    with db() as session:
        followup = followups.get_followup(session, uuid.UUID(followup_id))
    render_staffing_panel(followup, editable)


def _rules_script(contract_id: str, username: str, editable: bool) -> None:
    import uuid

    from audit_app.services import registers
    from audit_app.ui import db, show_flash
    from audit_app.views.staffing_rules import render_rules_editor
    from tests.app.test_staffing_panel import _login

    _login(username)
    show_flash()
    with db() as session:
        contract = registers.get_contract(session, uuid.UUID(contract_id))
    render_rules_editor(contract, editable)


def _run(script: Any, *args: Any) -> AppTest:
    at = AppTest.from_function(script, args=args, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def solgarden(app_db: str) -> dict[str, Any]:
    """The demo's ongoing contract follow-up of Solgården and its contract."""
    engine = make_engine(app_db)
    with Session(engine) as s:
        f = s.exec(
            select(FollowUp)
            .join(FollowUpUnit, col(FollowUpUnit.followup_id) == FollowUp.id)
            .join(Unit, col(Unit.id) == FollowUpUnit.unit_id)
            .where(
                Unit.name == "Solgården",
                FollowUp.kind == FollowUpKind.avtal,
                FollowUp.status == FollowUpStatus.pagar,
            )
        ).one()
        unit = s.exec(select(Unit).where(Unit.name == "Solgården")).one()
        out = {
            "followup": f.id,
            "contract": f.contract_id,
            "contractor": f.contractor_id,
            "unit": unit.id,
        }
    engine.dispose()
    return out


def _store_analysis(app_db: str, solgarden: dict[str, Any], tmp_path: Path) -> uuid.UUID:
    path = write_xlsx_style_a(tmp_path / "schema.xlsx")
    engine = make_engine(app_db)
    with Session(engine) as s:
        rules = commitments.rules_for(s, solgarden["contract"], solgarden["unit"])
        assert rules is not None
        analysis = store.save_analysis(
            s, REVISOR, solgarden["followup"], path.name, path.read_bytes(), rules
        )
        s.commit()
        analysis_id = analysis.id
    engine.dispose()
    return analysis_id


def _texts(at: AppTest, kind: str) -> list[str]:
    return [shown(str(e.value)) for e in at.get(kind)]


def test_stored_analysis_shows_figures_heat_map_breaches_and_makes_findings(
    app_db: str, solgarden: dict[str, Any], tmp_path: Path
) -> None:
    fid = solgarden["followup"]
    _store_analysis(app_db, solgarden, tmp_path)
    at = _run(_panel_script, str(fid), "revisor", True)

    assert at.get("file_uploader")  # upload offered while the follow-up is open
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Pass": "27",
        "Arbetade timmar": "198",
        "Kompetenta timmar": "72\u00a0%",
        "Personer i schemat": "12",
        "Pass under åtagandet": "10",
    }
    assert any("2 november 2026 – 4 november 2026 (3 dagar)" in m for m in _texts(at, "markdown"))
    # The section typed in the file is not stored (it could be a name): hidden as "…".
    assert any('1 pass på avdelningen "…"' in w for w in _texts(at, "warning"))
    assert not any("Avd Tranan" in w for w in _texts(at, "warning"))
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    assert "Status" in charts[0].proto.spec
    breaches = at.dataframe[0].value
    assert len(breaches) == 18  # the scenario's six, plus the evening the scenario never staffs
    assert list(breaches.columns) == ["Datum", "Avdelning", "Pass", "Brist", "Krav", "I tjänst"]
    coverage = at.dataframe[2].value  # after the table of all periods
    assert coverage[["Avdelning", "Dagar med pass", "Dagar utan pass"]].values.tolist() == [
        ["Avd Lärkan", 3, 0],
        ["Avd Måsen", 3, 0],
    ]
    assert any("kortare än granskningsperioden 14 dagar" in w for w in _texts(at, "warning"))
    assert any("72\u00a0%, lägre än åtagandet 75\u00a0%" in e for e in _texts(at, "error"))

    clause = next(t for t in at.text_input if ".clause." in (t.key or ""))
    assert clause.value == "4.2.1"  # the contract's requirement on personaltäthet
    button = next(b for b in at.button if ".findings." in (b.key or ""))
    assert button.label == "Gör avvikelser av bristerna"
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("11 nya föreslagna avvikelser (0 fanns redan)" in s for s in _texts(at, "success"))
    next(b for b in at.button if ".findings." in (b.key or "")).click().run()
    assert any("0 nya föreslagna avvikelser (11 fanns redan)" in s for s in _texts(at, "success"))
    engine = make_engine(app_db)
    with Session(engine) as s:
        proposals = s.exec(
            select(Finding).where(
                Finding.followup_id == fid, Finding.source == FindingSource.bemanning
            )
        ).all()
        assert len(proposals) == 11
        assert {p.status for p in proposals} == {FindingStatus.foreslagen}
        assert {p.clause for p in proposals} == {"4.2.1"}
        assert {p.item_key for p in proposals} == {None}
    engine.dispose()


def test_readers_and_locked_followups_see_the_analysis_read_only(
    app_db: str, solgarden: dict[str, Any], tmp_path: Path
) -> None:
    fid = solgarden["followup"]
    at = _run(_panel_script, str(fid), "lasare", False)
    assert "Ingen schemagranskning är sparad för uppföljningen." in _texts(at, "caption")
    _store_analysis(app_db, solgarden, tmp_path)
    at = _run(_panel_script, str(fid), "lasare", False)
    assert not at.get("file_uploader")
    assert not at.button
    assert not at.text_input
    assert len(at.get("vega_lite_chart")) == 1
    assert {m.label: m.value for m in at.metric}["Personer i schemat"] == "12"


def test_panel_explains_when_the_contract_has_no_commitments_for_the_unit(
    app_db: str, solgarden: dict[str, Any]
) -> None:
    engine = make_engine(app_db)
    with Session(engine) as s:
        commitments.save_rules_yaml(s, REVISOR, solgarden["contract"], "")
        s.commit()
    engine.dispose()
    at = _run(_panel_script, str(solgarden["followup"]), "revisor", True)
    warning = " ".join(_texts(at, "warning"))
    assert "har inga bemanningsåtaganden för Solgården" in warning
    assert "sidan **Avtal**" in warning
    assert not at.get("file_uploader")


def test_heat_map_marks_breaches(app_db: str, solgarden: dict[str, Any], tmp_path: Path) -> None:
    analysis_id = _store_analysis(app_db, solgarden, tmp_path)
    engine = make_engine(app_db)
    with Session(engine) as s:
        analysis = store.get_analysis(s, analysis_id)
        table = periods_frame(analysis.result["periods"])
    engine.dispose()
    spec = heatmap_chart(table).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 2 * 3 * 3  # sections x days x periods
    cell = next(
        r
        for r in rows
        if r["Rad"] == "Avd Lärkan · Dag" and r["Dag"] == "tis 3/11"  # 2 in duty, 3 required
    )
    assert (cell["Status"], cell["Text"]) == ("För få i tjänst", "2!")
    night = next(r for r in rows if r["Rad"] == "Avd Lärkan · Natt" and r["Dag"] == "ons 4/11")
    assert (night["Status"], night["Text"]) == ("För få med kompetens", "1!")
    fine = next(r for r in rows if r["Rad"] == "Avd Måsen · Dag" and r["Dag"] == "mån 2/11")
    assert (fine["Status"], fine["Text"]) == ("Åtagandet uppfyllt", "3")
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Åtagandet uppfyllt", "För få med kompetens", "För få i tjänst"]


# --------------------------------------------------------------------------- rules editor


def test_rules_editor_validates_and_saves_yaml(app_db: str, solgarden: dict[str, Any]) -> None:
    cid = str(solgarden["contract"])
    at = _run(_rules_script, cid, "revisor", True)
    area = at.text_area[0]
    assert area.value.startswith("unit: Solgården\nsections: [Avd Lärkan, Avd Måsen]\n")
    assert '  - {name: Kväll, start: "15:00", end: "21:30", min_staff: 2, min_competent: 1}' in (
        area.value
    )
    assert at.get("download_button")

    area.input(area.value.replace("places_per_section: 10", "places_per_section: noll")).run()
    at.button(key=f"contracts.staffing.save.{cid}").click().run()
    assert any("places_per_section: måste vara ett heltal" in e for e in _texts(at, "error"))

    at.text_area[0].input(
        at.text_area[0].value.replace("places_per_section: noll", "places_per_section: 12")
    ).run()
    at.button(key=f"contracts.staffing.check.{cid}").click().run()
    assert any("Solgården (2 avdelningar, 3 pass)" in s for s in _texts(at, "success"))
    at.button(key=f"contracts.staffing.save.{cid}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    engine = make_engine(app_db)
    with Session(engine) as s:
        rules = commitments.rules_for(s, solgarden["contract"], solgarden["unit"])
        assert rules is not None and rules.places_per_section == 12
    engine.dispose()
    assert any("Bemanningsåtagandena är sparade" in s for s in _texts(at, "success"))
    assert "places_per_section: 12" in at.text_area[0].value


def test_rules_editor_is_read_only_for_readers(app_db: str, solgarden: dict[str, Any]) -> None:
    at = _run(_rules_script, str(solgarden["contract"]), "lasare", False)
    assert not at.text_area
    assert not at.button
    codes = _texts(at, "code")
    assert any(c.startswith("unit: Solgården") for c in codes)
