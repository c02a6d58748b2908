"""The förvaltningschef's overview in a real browser at 1280x800: open it from the start page,
filter to one contractor, drill to a follow-up; download a revisor's calendar file and read it."""

from pathlib import Path
from typing import Any

import icalendar
import pytest

from tests.e2e.conftest import AppServer, shot
from tests.e2e.helpers import (
    choose,
    goto_page,
    login,
    multichoose,
    open_tab,
    rerun,
    table_text,
)

pytestmark = pytest.mark.e2e

# True when the overview table is as wide as its column or narrower: nothing cut off, no
# horizontal scrolling inside the page.
_FITS_JS = """() => {
    const table = document.querySelector('table.ov');
    if (!table) return false;
    const main = document.querySelector('[data-testid="stMain"]');
    return table.scrollWidth <= table.parentElement.clientWidth + 1
        && main.scrollWidth <= main.clientWidth + 1;
}"""


def _table(page: Any) -> str:
    return str(page.locator("table.ov").text_content())


def test_chef_overview_filter_drill_and_calendar(page: Any, app_server: AppServer) -> None:
    login(page, app_server, "chef")
    page.get_by_text("Enheter med röd status").wait_for()
    page.get_by_role("link", name="Öppna översikten per enhet").wait_for()
    assert "Omsorgshuset Vega AB" in table_text(page, 0)
    shot(page, "overview_01_chef_start")
    rerun(page, page.get_by_role("link", name="Öppna översikten per enhet").click)
    page.get_by_role("heading", name="Översikt", exact=True).wait_for()
    page.locator("table.ov").wait_for()
    assert "Ekbacken" in _table(page) and "Solgården" in _table(page)
    assert page.evaluate(_FITS_JS), "the overview table is wider than the page"
    shot(page, "overview_02_all_units")

    multichoose(page, "Entreprenör", "Omsorgshuset Vega AB")
    table = _table(page)
    assert "Solgården" in table and "Björkhagen" in table and "Ekbacken" not in table
    assert page.evaluate(_FITS_JS)
    shot(page, "overview_03_one_contractor")

    choose(page, "Visa enhet", "Solgården (Omsorgshuset Vega AB)")
    opener = page.get_by_role("button", name="Öppna senaste: Avtal")
    opener.wait_for()
    shot(page, "overview_04_unit")
    rerun(page, opener.click)
    page.wait_for_url("**/uppfoljningar?id=*")
    page.get_by_text("Solgården").first.wait_for()
    shot(page, "overview_05_followup")

    goto_page(page, "Planering")
    page.get_by_role("heading", name="Planering", exact=True).wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ned kalenderfil (.ics)").click()
    download = info.value
    assert download.suggested_filename == "uppfoljningar-revisor.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert events, "Karin Ek has planned follow-ups in the demo"
    assert all(str(e["UID"]).endswith("@revisionsstod") for e in events)
    assert any("Solgården" in str(e["SUMMARY"]) for e in events)
    shot(page, "overview_06_planning")


def test_revisor_action_register_and_timeline(page: Any, app_server: AppServer) -> None:
    login(page, app_server, "revisor")
    goto_page(page, "Åtgärdsregister")
    page.get_by_role("heading", name="Åtgärdsregister", exact=True).wait_for()
    assert "Omsorgshuset Vega AB" in table_text(page, 0)
    shot(page, "overview_07_action_register")
    rerun(page, page.get_by_text("Bara försenade", exact=True).click)
    assert "⚠️" in table_text(page, 0)
    shot(page, "overview_08_action_register_overdue")
    goto_page(page, "Planering")
    assert "Uppföljning av ledningssystem" in table_text(page, 0)
    shot(page, "overview_09_proposals")
    open_tab(page, "Tidslinje", reruns=False)
    page.get_by_test_id("stVegaLiteChart").first.wait_for()
    shot(page, "overview_10_timeline")
