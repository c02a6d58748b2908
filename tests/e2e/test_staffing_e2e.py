"""Staffing review in a real browser: upload a schedule in the demo's ongoing Solgården
follow-up, fix a column the app cannot recognise, see the heat map, turn breaches into
proposed findings."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from audit_app.db import make_engine
from audit_app.models import (
    Contract,
    Finding,
    FindingKind,
    FindingSource,
    FindingStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FollowUpUnit,
    ScheduleMapping,
    StaffingAnalysis,
    Unit,
)
from audit_app.services import followups
from audit_app.services.staffing import commitments
from tests.conftest import ARTIFACTS
from tests.e2e.conftest import AppServer
from tests.e2e.helpers import (
    choose,
    click,
    expand,
    fill,
    goto_page,
    login,
    open_address,
    open_tab,
    rerun,
    upload,
)

pytestmark = pytest.mark.e2e

FIRST_DAY = dt.date(2026, 9, 21)  # a Monday; two weeks
ROLE_HEADER = "Kompetensgrupp"  # no synonym of befattning: the revisor maps it by hand
NAMES = [f"{first} {last}" for first in ("Alma", "Bertil", "Cissi") for last in ("Ahl", "Bäck")]


def _schedule(path: Path) -> Path:
    """Two weeks for Solgården under the demo's rules (Dag 3/2, Kväll 2/1, Natt 1/1).

    Known breaches: day 5 the night on Avd Lärkan has no competent staff; day 9 the day on
    Avd Måsen has two people. Competent hours are about 69 % (below 75 %).
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Schema Solgården v.39–40"])
    ws.append([])
    ws.append(["Datum", "Start", "Slut", "Rast", ROLE_HEADER, "Avdelning", "Namn"])
    n = 0
    for offset in range(14):
        day = FIRST_DAY + dt.timedelta(days=offset)
        for section in ("Avd Lärkan", "Avd Måsen"):
            shifts = [
                ("07:00", "15:00", 30, "Undersköterska"),
                ("07:00", "15:00", 30, "usk"),
                ("07:00", "15:00", 30, "Vårdbiträde"),
                ("15:00", "21:30", 0, "Undersköterska"),
                ("15:00", "21:30", 0, "Vårdbiträde"),
                ("21:30", "07:00", 0, "Undersköterska"),
            ]
            if offset == 4 and section == "Avd Lärkan":
                shifts[5] = ("21:30", "07:00", 0, "Vårdbiträde")
            if offset == 8 and section == "Avd Måsen":
                del shifts[2]
            for start, end, rest, role in shifts:
                ws.append([day.isoformat(), start, end, rest, role, section, NAMES[n % 6]])
                n += 1
    ws.append(["Summa pass", None, None, None, None, None, n])
    wb.save(path)
    return path


def _solgarden_followup(db_url: str) -> Any:
    engine = make_engine(db_url)
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
        fid, contractor_id = f.id, f.contractor_id
    engine.dispose()
    return fid, contractor_id


def _shot_panel(page: Any, name: str, what: Any = None) -> None:
    """Screenshot the open tab, or `what` (Streamlit scrolls inside its main block, so a
    full-page shot shows only the window): the window grows to the element first."""
    ARTIFACTS.mkdir(exist_ok=True)
    panel = what or page.locator('[data-testid="stTabs"] [role="tabpanel"]:visible').first
    height = int(panel.bounding_box()["height"]) + 400
    page.set_viewport_size({"width": 1280, "height": min(max(height, 1000), 6000)})
    _painted(page)  # charts and tables redraw at the new size
    panel.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size({"width": 1280, "height": 1000})


def _painted(page: Any) -> None:
    """Wait until the browser has drawn two frames (resize observers have run and painted)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_upload_schedule_fix_mapping_heat_map_and_findings(
    page: Any, app_server: AppServer, tmp_path: Path
) -> None:
    fid, contractor_id = _solgarden_followup(app_server.db_url)
    schedule = _schedule(tmp_path / "schema-solgarden.xlsx")
    page.set_viewport_size({"width": 1280, "height": 1000})
    login(page, app_server, "revisor")
    open_address(page, f"{app_server.url}/uppfoljningar?id={fid}")  # the login is resumed
    page.get_by_role("button", name="Logga ut").wait_for()
    page.get_by_text("Status: Pågår").wait_for()
    open_tab(page, "2. Aktuell personalsituation", reruns=True)
    page.get_by_text("Schemagranskning", exact=False).first.wait_for()

    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Schemaexport")
    upload(page, uploader.get_by_test_id("stFileUploaderDropzoneInput"), str(schedule))
    page.get_by_text("Välj kolumnen för befattning.").wait_for()
    analyse = page.get_by_role("button", name="Analysera och spara")
    expect(analyse).to_be_disabled()
    _shot_panel(page, "staffing_01_mapping_missing")

    choose(page, "Befattning", ROLE_HEADER)
    expect(page.get_by_text("Välj kolumnen för befattning.")).to_have_count(0)
    expect(analyse).to_be_enabled()
    click(page, "Analysera och spara")
    page.get_by_text("Schemagranskningen av schema-solgarden.xlsx är sparad").wait_for()
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    chart.locator(".marks").first.wait_for()  # Vega draws (svg or canvas .marks) after attaching
    assert chart.bounding_box()["height"] > 100
    page.get_by_text("21 september 2026 – 4 oktober 2026 (14 dagar)").wait_for()
    _shot_panel(page, "staffing_02_results")
    chart.screenshot(path=str(ARTIFACTS / "staffing_03_heatmap.png"))

    click(page, "Gör avvikelser av bristerna")
    page.get_by_text("3 nya föreslagna avvikelser (0 fanns redan)").wait_for()
    _shot_panel(page, "staffing_04_findings_made")

    engine = make_engine(app_server.db_url)
    with Session(engine) as s:
        analyses = s.exec(select(StaffingAnalysis).where(StaffingAnalysis.followup_id == fid)).all()
        assert len(analyses) == 1
        result = analyses[0].result
        assert result["distinct_people"] == 6
        assert result["columns"]["role"] == ROLE_HEADER
        assert [(b["date"], b["section"], b["period"], b["kind"]) for b in result["breaches"]] == [
            ("2026-09-25", "Avd Lärkan", "Natt", "competent"),
            ("2026-09-29", "Avd Måsen", "Dag", "staff"),
        ]
        findings = s.exec(
            select(Finding).where(
                Finding.followup_id == fid, Finding.source == FindingSource.bemanning
            )
        ).all()
        assert sorted((f.source_ref, f.title) for f in findings) == [
            ("andel", "Andelen timmar med kompetent personal är lägre än åtagandet"),
            (
                "competent:Avd Lärkan:Natt",
                "Avd Lärkan, Natt: färre med kompetens än åtagandet (1 pass)",
            ),
            ("staff:Avd Måsen:Dag", "Avd Måsen, Dag: färre i tjänst än åtagandet (1 pass)"),
        ]
        assert {f.item_key for f in findings} == {None}
        assert {(f.kind, f.status, f.clause) for f in findings} == {
            (FindingKind.avvikelse, FindingStatus.foreslagen, "4.2.1")
        }
        mapping = s.get(ScheduleMapping, contractor_id)
        assert mapping is not None and mapping.mapping == {"role": ROLE_HEADER}
        notes = followups.notes_of(s, fid)
        assert notes["narvarande_kompetens"].startswith("69\u00a0% av timmarna")
        db_text = " ".join(str(x) for x in (result, notes, [f.description for f in findings]))
    engine.dispose()
    for name in NAMES:
        assert name not in db_text

    # the proposals are decided where they arise, in point 2
    page.get_by_text("3 avvikelser föreslås ur schemagranskningen").wait_for()
    page.get_by_text("Avd Måsen, Dag: färre i tjänst än åtagandet").first.wait_for()
    _shot_panel(page, "staffing_05_proposals")


def _contract_option(db_url: str) -> tuple[str, Any, Any]:
    engine = make_engine(db_url)
    with Session(engine) as s:
        contract = s.exec(select(Contract).where(Contract.dnr == "VOF 2024/118")).one()
        unit = s.exec(select(Unit).where(Unit.name == "Solgården")).one()
        label, cid, uid = f"{contract.dnr} – {contract.title}", contract.id, unit.id
    engine.dispose()
    return label, cid, uid


def test_commitments_are_edited_as_yaml_on_the_contract_page(
    page: Any, app_server: AppServer
) -> None:
    label, cid, uid = _contract_option(app_server.db_url)
    page.set_viewport_size({"width": 1280, "height": 1000})
    login(page, app_server, "revisor")
    goto_page(page, "Avtal")
    choose(page, "Välj avtal", label)
    area = page.get_by_label("Åtaganden (YAML)")
    area.wait_for()
    text = area.input_value()
    assert text.startswith("unit: Solgården\nsections: [Avd Lärkan, Avd Måsen]\n")
    expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_have_count(1)  # requirements

    fill(
        page,
        "Åtaganden (YAML)",
        text.replace("min_competent_hours_share: 0.75", "min_competent_hours_share: 75"),
    )
    click(page, "Kontrollera")
    page.get_by_text("fältet min_competent_hours_share: får vara högst 1").wait_for()
    _shot_panel(page, "staffing_06_rules_error", page.get_by_test_id("stMainBlockContainer"))

    fill(
        page,
        "Åtaganden (YAML)",
        text.replace("min_competent_hours_share: 0.75", "min_competent_hours_share: 0.8"),
    )
    click(page, "Spara åtagandena")
    page.get_by_text(
        "Bemanningsåtagandena är sparade: Solgården (2 avdelningar, 3 pass)."
    ).wait_for()
    expect(page.get_by_label("Åtaganden (YAML)")).to_have_value(
        re.compile(r"min_competent_hours_share: 0\.8\n")
    )
    engine = make_engine(app_server.db_url)
    with Session(engine) as s:
        rules = commitments.rules_for(s, cid, uid)
        assert rules is not None and rules.min_competent_hours_share == 0.8
    engine.dispose()

    rerun(page, page.get_by_text("Läs in åtaganden från en YAML-fil").click)
    expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_have_count(2)
    upload(
        page,
        page.get_by_test_id("stFileUploader")
        .filter(has_text="YAML-fil")
        .get_by_test_id("stFileUploaderDropzoneInput"),
        [
            {
                "name": "fel.yaml",
                "mimeType": "application/x-yaml",
                "buffer": text.replace("Solgården", "Okända hemmet").encode(),
            }
        ],
    )
    page.get_by_text("Enheten Okända hemmet finns inte i avtalet").wait_for()
    _shot_panel(page, "staffing_07_rules_upload", page.get_by_test_id("stMainBlockContainer"))


def _shift_list(path: Path) -> Path:
    """A three-day shift list (Start and Slut as date and time, no date column) in which
    Avd Måsen has no shift on the middle day."""
    lines = ["Start;Slut;Befattning;Avdelning;Namn"]
    for offset in range(3):
        day = FIRST_DAY + dt.timedelta(days=offset)
        following = day + dt.timedelta(days=1)
        for section in ("Avd Lärkan", "Avd Måsen"):
            if section == "Avd Måsen" and offset == 1:
                continue
            for start, end, role in (
                (f"{day} 07:00", f"{day} 15:00", "Undersköterska"),
                (f"{day} 07:00", f"{day} 15:00", "Undersköterska"),
                (f"{day} 07:00", f"{day} 15:00", "Vårdbiträde"),
                (f"{day} 15:00", f"{day} 21:30", "Undersköterska"),
                (f"{day} 15:00", f"{day} 21:30", "Vårdbiträde"),
                (f"{day} 21:30", f"{following} 07:00", "Undersköterska"),
            ):
                lines.append(f"{start};{end};{role};{section};{NAMES[len(lines) % 6]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_shift_list_without_date_column_warns_about_coverage(
    page: Any, app_server: AppServer, tmp_path: Path
) -> None:
    fid, _ = _solgarden_followup(app_server.db_url)
    schedule = _shift_list(tmp_path / "passlista.csv")
    page.set_viewport_size({"width": 1280, "height": 1000})
    login(page, app_server, "revisor")
    open_address(page, f"{app_server.url}/uppfoljningar?id={fid}")
    page.get_by_text("Status: Pågår").wait_for()
    open_tab(page, "2. Aktuell personalsituation", reruns=True)
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Schemaexport")
    upload(page, uploader.get_by_test_id("stFileUploaderDropzoneInput"), str(schedule))
    analyse = page.get_by_role("button", name="Analysera och spara")
    expect(analyse).to_be_enabled()  # no date column needed: Start and Slut carry the dates
    click(page, "Analysera och spara")
    page.get_by_text("Schemagranskningen av passlista.csv är sparad").wait_for()
    page.get_by_text("21 september 2026 – 23 september 2026 (3 dagar)").wait_for()
    page.get_by_text(
        "Schemat omfattar 3 dagar (21–23 september 2026), kortare än granskningsperioden "
        "14 dagar i reglerna."
    ).wait_for()
    page.get_by_text(
        "Avdelningen Avd Måsen saknar pass 1 dag av perioden (22 september 2026)."
    ).wait_for()
    expand(page, "Täckning per avdelning")
    page.get_by_text(
        "Schemat omfattar bara 3 dagar, kortare än granskningsperioden 14 dagar."
    ).wait_for()
    _shot_panel(page, "staffing_06_coverage")
