"""Step 2 in a real browser: Excel round trip of a checklist on the page Checklistor.

A revisor downloads a checklist as Excel, rewords one question and adds one, uploads the file,
sees the difference preview, saves it as version 2 and finds it under Versioner. A broken file
shows every error with sheet and row, offers no save button and stores nothing. A strict xfail
records a page bug: right after Spara the preview still shows the previously selected version.
"""

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlmodel import Session, select

from audit_app.db import make_engine
from audit_app.models import ChecklistVersion
from audit_app.services.checklists import checklist_of, latest, read_upload, to_excel
from tests.e2e.conftest import AppServer, shot
from tests.e2e.helpers import (
    choose,
    click,
    click_download,
    goto_page,
    login,
    open_tab,
    table_text,
    upload,
)

pytestmark = pytest.mark.e2e

KEY = "avtalsuppfoljning"
NAME = "Uppföljning av avtal (entreprenad)"
OPTION = f"{NAME} ({KEY})"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

REWORDED_KEY = "bem-vakanser"
OLD_TEXT = "Finns det vakanta tjänster eller längre frånvaro som påverkar bemanningen?"
NEW_TEXT = "Finns det vakanta tjänster eller lång frånvaro som påverkar bemanningen i dag?"
ADDED_KEY = "bem-ny"
ADDED_TEXT = "Finns en plan för semesterbemanning?"


def _versions(app: AppServer) -> list[int]:
    """The stored version numbers of the checklist, newest first (read straight from the DB)."""
    engine = make_engine(app.db_url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(ChecklistVersion.version).where(ChecklistVersion.key == KEY)
            ).all()
    finally:
        engine.dispose()
    return sorted(rows, reverse=True)


def _latest_xlsx(app: AppServer) -> bytes:
    engine = make_engine(app.db_url)
    try:
        with Session(engine) as session:
            newest = latest(session, KEY)
            assert newest is not None
            return to_excel(checklist_of(newest))
    finally:
        engine.dispose()


def _columns(ws: Any) -> dict[str, int]:
    """Header name -> 1-based column number, from the sheet's first row."""
    return {str(c.value): c.column for c in ws[1] if c.value}


def _row_of(ws: Any, columns: dict[str, int], item_key: str) -> int:
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, columns["Id"]).value == item_key:
            return row
    raise AssertionError(f"{item_key} finns inte på bladet {ws.title}")


def _edited(data: bytes) -> bytes:
    """Reword one question and append a new one, the way a development leader would in Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Frågor"]
    columns = _columns(ws)
    for needed in ("Avsnitt", "Id", "Text", "Typ", "Svarstyp"):
        assert needed in columns, f"kolumnen {needed} saknas: {sorted(columns)}"
    row = _row_of(ws, columns, REWORDED_KEY)
    assert ws.cell(row, columns["Text"]).value == OLD_TEXT
    ws.cell(row, columns["Text"]).value = NEW_TEXT
    values = {
        "Avsnitt": "bemanning",
        "Id": ADDED_KEY,
        "Text": ADDED_TEXT,
        "Typ": "fraga",
        "Svarstyp": "ja_nej",
        "Underlag krävs": "nej",
    }
    new_row = ws.max_row + 1
    for header, value in values.items():
        if header in columns:
            ws.cell(new_row, columns[header]).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _broken(data: bytes) -> tuple[bytes, int, int]:
    """A wrong kind on one row and an empty text on another; returns the file and both rows."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Frågor"]
    columns = _columns(ws)
    kind_row = _row_of(ws, columns, REWORDED_KEY)
    text_row = _row_of(ws, columns, "forg-synpunkter")
    ws.cell(kind_row, columns["Typ"]).value = "skakrav"
    ws.cell(text_row, columns["Text"]).value = None
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), kind_row, text_row


def _open_checklist(page: Any, app: AppServer) -> None:
    login(page, app, "revisor")
    goto_page(page, "Checklistor")
    page.get_by_role("heading", name="Checklistor").first.wait_for()
    choose(page, "Välj checklista", OPTION)
    page.get_by_role("heading", name=NAME, exact=True).wait_for()


def _upload(page: Any, name: str, data: bytes, expect: str) -> None:
    """Upload a file in the tab Ladda upp ny version and wait for the text `expect`."""
    open_tab(page, "Ladda upp ny version", reruns=False)
    panel = page.get_by_role("tabpanel")
    panel.get_by_text("Ladda upp redigerad checklista (Excel eller YAML)").wait_for()
    upload(
        page,
        panel.get_by_test_id("stFileUploaderDropzoneInput"),
        [{"name": name, "mimeType": XLSX_MIME, "buffer": data}],
    )
    panel.get_by_text(expect).first.wait_for()


def _panel_text(page: Any) -> str:
    """The text of the visible tab (st.tabs keeps the hidden ones in the DOM)."""
    return " ".join(str(page.get_by_role("tabpanel").inner_text()).split())


def test_upload_edited_checklist_previews_diff_and_saves_version_2(
    page: Any, app_server: AppServer, tmp_path: Path
) -> None:
    assert _versions(app_server) == [1], "demodatabasen ska ha version 1 av checklistan"
    _open_checklist(page, app_server)

    # 1. Download the checklist as Excel.
    download = click_download(page, "Ladda ned som Excel", reruns=True)
    assert download.suggested_filename == f"{KEY}-v1.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    original = target.read_bytes()
    assert original[:2] == b"PK", "nedladdningen är ingen xlsx-fil (zip)"
    wb = openpyxl.load_workbook(io.BytesIO(original))
    assert "Frågor" in wb.sheetnames
    assert read_upload(original, target.name).key == KEY

    # 2. Edit it as in Excel, 3. upload it and see the difference preview.
    _upload(page, "avtalsuppfoljning-redigerad.xlsx", _edited(original), "Sparas som version 2.")
    panel = page.get_by_role("tabpanel")
    assert panel.get_by_text("Nya frågor", exact=True).count() == 1
    assert panel.get_by_text("Omformulerade frågor", exact=True).count() == 1
    text = _panel_text(page)
    assert f"Filen gäller checklistan {NAME} ({KEY})." in text
    assert "Jämfört med version 1:" in text
    assert "Skillnader: 1 ny, 1 omformulerad" in text
    assert f"{ADDED_KEY} (2. Aktuell personalsituation): {ADDED_TEXT}" in text
    assert f"{REWORDED_KEY}: {OLD_TEXT} → {NEW_TEXT}" in text
    assert "Borttagna frågor" not in text
    assert "Flyttade frågor" not in text
    save = panel.get_by_role("button", name="Spara som ny version")
    save.scroll_into_view_if_needed()
    shot(page, "checklists_01_diff_preview")
    assert _versions(app_server) == [1], "inget får sparas före klick på Spara"

    # 4. Save, then see the new version under Versioner.
    click(page, "Spara som ny version")
    saved = page.get_by_text(f"Sparade {NAME} som version 2.", exact=True)
    saved.wait_for()
    saved.scroll_into_view_if_needed()
    shot(page, "checklists_02_saved")
    assert _versions(app_server) == [2, 1]
    # The uploader starts over: no save button left anywhere, not even in a hidden tab.
    assert page.locator("button", has_text="Spara som ny version").count() == 0
    assert page.get_by_text("Jämfört med version", exact=False).count() == 0

    open_tab(page, "Versioner", reruns=False)
    panel = page.get_by_role("tabpanel")
    panel.get_by_text("Nya frågor", exact=True).wait_for()
    versions_table = table_text(page, 1)
    assert "uppladdad fil avtalsuppfoljning-redigerad.xlsx" in versions_table
    assert "Karin Ek" in versions_table  # the display name, not the user name
    text = _panel_text(page)
    assert "Skillnader: 1 ny, 1 omformulerad" in text
    assert f"{ADDED_KEY} (2. Aktuell personalsituation): {ADDED_TEXT}" in text
    assert f"{REWORDED_KEY}: {OLD_TEXT} → {NEW_TEXT}" in text
    assert page.get_by_label("Jämför version", exact=True).input_value() == "1"
    assert page.get_by_label("med version", exact=True).input_value() == "2"
    panel.get_by_text("Omformulerade frågor", exact=True).scroll_into_view_if_needed()
    shot(page, "checklists_03_versions_after_save")

    # Picking version 2 in the preview shows the new question (see the xfail test below for
    # why this is picked explicitly).
    open_tab(page, "Förhandsgranskning", reruns=False)
    choose(page, "Version", "Version 2 (senaste)")
    panel = page.get_by_role("tabpanel")
    panel.get_by_text(ADDED_TEXT).wait_for()
    text = _panel_text(page)
    assert page.get_by_label("Version", exact=True).input_value() == "Version 2 (senaste)"
    assert "version 2, sparad" in text
    assert "av Karin Ek" in text
    assert NEW_TEXT in text
    assert OLD_TEXT not in text


def test_broken_workbook_lists_every_error_and_saves_nothing(
    page: Any, app_server: AppServer
) -> None:
    before = _versions(app_server)
    data, kind_row, text_row = _broken(_latest_xlsx(app_server))
    _open_checklist(page, app_server)

    _upload(page, "trasig.xlsx", data, "Filen trasig.xlsx har 2 fel. Inget har sparats.")
    alert = page.get_by_role("tabpanel").get_by_test_id("stAlert")
    assert "Rätta felen och ladda upp filen igen." in str(alert.inner_text())
    text = _panel_text(page)
    assert (
        f'Blad "Frågor", rad {kind_row}, kolumn "Typ": "skakrav" är ingen giltig typ. '
        "Välj ska_krav, bor_krav eller fraga."
    ) in text
    assert (
        f'Blad "Frågor", rad {text_row}, kolumn "Text": Texten är tom. Skriv frågan eller kravet.'
    ) in text
    assert page.locator("button", has_text="Spara som ny version").count() == 0
    assert "Sparas som version" not in text
    page.get_by_text(f'Blad "Frågor", rad {text_row}', exact=False).scroll_into_view_if_needed()
    shot(page, "checklists_04_broken_upload")

    assert _versions(app_server) == before


def test_preview_shows_the_new_version_right_after_save(page: Any, app_server: AppServer) -> None:
    current = _versions(app_server)[0]
    wb = openpyxl.load_workbook(io.BytesIO(_latest_xlsx(app_server)))
    ws = wb["Frågor"]
    columns = _columns(ws)
    row = _row_of(ws, columns, "forg-synpunkter")
    ws.cell(row, columns["Text"]).value = "Synpunkterna från förra mötet är omhändertagna."
    out = io.BytesIO()
    wb.save(out)
    _open_checklist(page, app_server)
    _upload(page, "ny-text.xlsx", out.getvalue(), f"Sparas som version {current + 1}.")
    click(page, "Spara som ny version")
    page.get_by_text(f"Sparade {NAME} som version {current + 1}.", exact=True).wait_for()
    open_tab(page, "Förhandsgranskning", reruns=False)
    page.get_by_label("Version", exact=True).scroll_into_view_if_needed()
    shot(page, "checklists_05_preview_after_save_shows_old_version")
    shown = page.get_by_label("Version", exact=True).input_value()
    assert shown == f"Version {current + 1} (senaste)", f"Version visar {shown!r}"
    assert f"version {current + 1}, sparad" in _panel_text(page)
