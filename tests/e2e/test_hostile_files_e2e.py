"""Hostile files in a real browser: on every page that takes a file, the 2 KB workbook with a
cell at XFD1048576 (and its cousins) gives a Swedish message naming the file, nothing is
stored, and the app goes on serving the next click."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from audit_app.db import make_engine
from audit_app.models import (
    ChecklistVersion,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    FollowUpUnit,
    Requirement,
    StaffingAnalysis,
    Unit,
)
from audit_app.services.documents import registry
from tests.e2e.conftest import AppServer, shot
from tests.e2e.helpers import (
    choose,
    click,
    expand,
    goto_page,
    login,
    open_address,
    open_tab,
    upload,
)
from tests.unit.documents.docx_reading import edited_template
from tests.unit.untrusted import hostile

pytestmark = pytest.mark.e2e

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCHEDULE = {"Schema": [["Datum", "Start", "Slut", "Befattning", "Avdelning"]]}


def _count(app: AppServer, model: Any) -> int:
    engine = make_engine(app.db_url)
    try:
        with Session(engine) as session:
            return len(session.exec(select(model)).all())
    finally:
        engine.dispose()


def _file(name: str, data: bytes, mime: str = XLSX_MIME) -> list[dict[str, Any]]:
    return [{"name": name, "mimeType": mime, "buffer": data}]


def _main_text(page: Any) -> str:
    return " ".join(str(page.get_by_test_id("stMainBlockContainer").inner_text()).split())


def test_checklist_page_refuses_hostile_workbooks_and_goes_on(
    page: Any, app_server: AppServer
) -> None:
    before = _count(app_server, ChecklistVersion)
    login(page, app_server, "revisor")
    goto_page(page, "Checklistor")
    choose(page, "Välj checklista", "Uppföljning av avtal (entreprenad) (avtalsuppfoljning)")
    open_tab(page, "Ladda upp ny version", reruns=False)
    panel = page.get_by_role("tabpanel")
    dropzone = panel.get_by_test_id("stFileUploaderDropzoneInput")

    upload(page, dropzone, _file("checklista.xlsx", hostile.huge_dimension_xlsx()))
    panel.get_by_text("Filen checklista.xlsx har 1 fel. Inget har sparats.").wait_for()
    found = panel.get_by_text("anger området A1:XFD1048576", exact=False)
    found.wait_for()
    found.scroll_into_view_if_needed()
    shot(page, "trust_01_checklist_dimension")

    upload(page, dropzone, _file("langt-bort.xlsx", hostile.far_cell_without_dimension_xlsx()))
    found = panel.get_by_text("den kräver mer minne än gränsen", exact=False)
    found.wait_for()
    found.scroll_into_view_if_needed()
    shot(page, "trust_02_checklist_memory")

    goto_page(page, "Avtal")  # the app still serves the next click
    page.get_by_role("heading", name="Avtal").first.wait_for()
    assert _count(app_server, ChecklistVersion) == before


def test_requirement_import_refuses_a_zip_bomb(page: Any, app_server: AppServer) -> None:
    before = _count(app_server, Requirement)
    bomb = hostile.with_bomb(hostile.xlsx(SCHEDULE), "xl/media/image1.png", 64)
    login(page, app_server, "revisor")
    goto_page(page, "Avtal")
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Välj avtal", exact=True))
    box.locator("input").first.click()
    first = page.get_by_role("option").nth(1)  # the first contract (0 is "Nytt avtal")
    label = str(first.inner_text())
    page.keyboard.press("Escape")
    choose(page, "Välj avtal", label)
    expand(page, "Läs in krav från Excel")
    page.get_by_text("Excel-fil med krav").wait_for()
    upload(
        page,
        page.get_by_test_id("stFileUploader")
        .filter(has_text="Excel-fil med krav")
        .get_by_test_id("stFileUploaderDropzoneInput"),
        _file("krav.xlsx", bomb),
    )
    page.get_by_text("Filen krav.xlsx ser ut som en zip-bomb", exact=False).wait_for()
    assert "krav hittades" not in _main_text(page)
    page.get_by_text(
        "Filen krav.xlsx ser ut som en zip-bomb", exact=False
    ).scroll_into_view_if_needed()
    shot(page, "trust_03_requirements_bomb")
    assert _count(app_server, Requirement) == before


def _ongoing_avtal(app: AppServer) -> Any:
    engine = make_engine(app.db_url)
    try:
        with Session(engine) as session:
            return session.exec(
                select(FollowUp.id)
                .join(FollowUpUnit, col(FollowUpUnit.followup_id) == FollowUp.id)
                .join(Unit, col(Unit.id) == FollowUpUnit.unit_id)
                .where(
                    Unit.name == "Solgården",
                    FollowUp.kind == FollowUpKind.avtal,
                    FollowUp.status == FollowUpStatus.pagar,
                )
            ).one()
    finally:
        engine.dispose()


def test_schedule_upload_refuses_the_far_cell_and_stores_nothing(
    page: Any, app_server: AppServer
) -> None:
    before = _count(app_server, StaffingAnalysis)
    fid = _ongoing_avtal(app_server)
    login(page, app_server, "revisor")
    open_address(page, f"{app_server.url}/uppfoljningar?id={fid}")
    page.get_by_text("Status: Pågår").wait_for()
    open_tab(page, "2. Aktuell personalsituation", reruns=True)
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Schemaexport")
    upload(
        page,
        uploader.get_by_test_id("stFileUploaderDropzoneInput"),
        _file("schema.xlsx", hostile.far_cell_without_dimension_xlsx()),
    )
    # The mapping editor reads only the first rows of the sheet (the header is found there);
    # the whole sheet is read when the analysis is asked for, in the guarded child.
    page.get_by_role("button", name="Analysera och spara").wait_for()
    click(page, "Analysera och spara")
    message = page.get_by_text(
        "Filen schema.xlsx kunde inte läsas: den kräver mer minne än gränsen", exact=False
    )
    message.wait_for()
    message.scroll_into_view_if_needed()
    shot(page, "trust_04_schedule_memory")
    expect(page.get_by_text("Schemagranskningen av schema.xlsx är sparad")).to_have_count(0)
    assert _count(app_server, StaffingAnalysis) == before


def test_template_upload_refuses_a_gigabyte_of_text(page: Any, app_server: AppServer) -> None:
    name = "tjansteskrivelse.docx"
    hostile_template = edited_template(name, {"Sammanfattning": "{{ 'x' * 10**9 }}"})
    login(page, app_server, "admin")
    goto_page(page, "Dokument och mallar")
    open_tab(page, "Dokumentmallar", reruns=False)
    position = [spec.filename for spec in registry.template_specs()].index(name)
    upload(
        page,
        page.get_by_test_id("stFileUploaderDropzoneInput").nth(position),
        _file(name, hostile_template, DOCX_MIME),
    )
    click(page, "Ladda upp och använd")
    message = page.get_by_text(
        f"Mallen {name} kunde inte användas: den kräver mer minne än gränsen 512 MB", exact=False
    )
    message.wait_for()
    message.scroll_into_view_if_needed()
    shot(page, "trust_05_template_memory")
    assert not (Path(app_server.data_dir) / "templates" / name).exists()
