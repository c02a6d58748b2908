"""Record a vite on an avvikelse in a real browser and see it in the overview: the
förvaltningschef opens a unit's ongoing avtalsuppföljning from the overview (point 1 counts the
signals since the previous meeting), goes from a confirmed avvikelse in the action plan to
Sanktioner, records a vite of 30 000 kr decided by the committee, and the unit's status in
Översikt names it; the unit's signals are one click away."""

from typing import Any

import pytest

from tests.e2e.conftest import AppServer, shot
from tests.e2e.helpers import choose, click, goto_page, login, open_tab, rerun, table_text

pytestmark = pytest.mark.e2e

UNIT = "Hemtjänst Norra"
OPTION = f"{UNIT} (Omsorgshuset Vega AB)"


def _shot(page: Any, name: str) -> None:
    """A test artifact, and a copy in /tmp for the reviewer."""
    shot(page, f"signals_{name}")
    page.screenshot(path=f"/tmp/signals-{name}.png", full_page=True)


def test_chef_records_a_vite_on_an_avvikelse_and_sees_it_in_the_overview(
    page: Any, app_server: AppServer
) -> None:
    login(page, app_server, "chef")
    goto_page(page, "Översikt")
    choose(page, "Visa enhet", OPTION)
    rerun(page, page.get_by_role("button", name="Öppna senaste: Avtal").click)
    page.wait_for_url("**/uppfoljningar?id=*")
    since = page.get_by_text("Sedan förra mötet:").first
    since.wait_for()
    since.scroll_into_view_if_needed()
    _shot(page, "01-point1")

    open_tab(page, "4. Åtgärdsplan", reruns=True)
    link = page.get_by_role("link", name="Registrera sanktion på avvikelsen").first
    link.scroll_into_view_if_needed()
    _shot(page, "02-avvikelse")
    rerun(page, link.click)
    page.get_by_role("heading", name="Sanktioner", exact=True).wait_for()
    page.get_by_text("LOU (upphandlat avtal)").wait_for()
    chosen = page.get_by_test_id("stMultiSelect").filter(
        has=page.get_by_text("Avvikelser som sanktionen vilar på *", exact=True)
    )
    assert str(chosen.text_content()).count(UNIT) == 1, chosen.text_content()
    page.get_by_role("button", name="Registrera sanktion", exact=True).wait_for()
    choose(page, "Sanktion *", "Vite")
    page.get_by_label("Belopp (kr)", exact=True).fill("30000")
    _shot(page, "03-record-vite")
    click(page, "Registrera sanktion")
    page.get_by_text("Vite är registrerad.").wait_for()
    decided = table_text(page, 0).replace("\u00a0", " ")
    assert "Vite" in decided and "30 000 kr" in decided, decided
    assert "Vård- och omsorgsutskottet" in decided
    _shot(page, "04-vite-recorded")

    goto_page(page, "Översikt")
    page.locator("table.ov").wait_for()
    row = str(page.locator("table.ov tr", has_text=UNIT).first.text_content())
    assert "vite beslutat" in row.replace("\u00ad", "").lower(), row
    _shot(page, "05-overview")
    choose(page, "Visa enhet", OPTION)
    page.get_by_role("button", name="Visa sanktioner").wait_for()
    page.get_by_text("Vite 30").first.wait_for()
    _shot(page, "06-unit")

    click(page, "Visa signaler")
    page.get_by_role("heading", name="Registrerade signaler").wait_for()
    page.get_by_text("Senaste tolv månaderna:").first.wait_for()
    _shot(page, "07-signals")


def test_the_mas_records_a_lex_sarah_report_without_personal_data(
    page: Any, app_server: AppServer
) -> None:
    login(page, app_server, "mas")
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name="Signaler").wait_for()
    assert nav.get_by_role("link", name="Planering").count() == 0
    goto_page(page, "Signaler")
    page.get_by_text("Skriv inga namn, personnummer").wait_for()
    choose(page, "Enhet", "Solgården")
    choose(page, "Kategori *", "Brister i tillsyn")
    page.get_by_label("Kort text", exact=True).fill("Utreds av verksamhetschefen.")
    _shot(page, "08-mas-form")
    click(page, "Spara signal")
    page.get_by_text("Lex Sarah är registrerad.").wait_for()
    assert "Brister i tillsyn" in table_text(page, 0)
    _shot(page, "09-mas-saved")
