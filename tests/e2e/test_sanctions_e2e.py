"""Record a vite on an avvikelse in a real browser and see it in the overview: the
förvaltningschef opens Sanktioner, picks the contract and the avvikelse, records a vite of
30 000 kr decided by the committee, and the unit's status in Översikt names it."""

from typing import Any

import pytest

from tests.e2e.conftest import AppServer, shot
from tests.e2e.helpers import choose, click, goto_page, login, rerun, table_text

pytestmark = pytest.mark.e2e

CONTRACT = (
    "VOF 2024/118 – Drift av särskilda boenden och hemtjänst, område Norr (Omsorgshuset Vega AB)"
)


def _shot(page: Any, name: str) -> None:
    """A test artifact, and a copy in /tmp for the reviewer."""
    shot(page, f"signals_{name}")
    page.screenshot(path=f"/tmp/signals-{name}.png", full_page=True)


def test_chef_records_a_vite_on_an_avvikelse_and_sees_it_in_the_overview(
    page: Any, app_server: AppServer
) -> None:
    login(page, app_server, "chef")
    goto_page(page, "Sanktioner")
    page.get_by_role("heading", name="Sanktioner", exact=True).wait_for()
    choose(page, "Avtal", CONTRACT)
    page.get_by_text("LOU (upphandlat avtal)").wait_for()

    box = page.get_by_test_id("stMultiSelect").filter(
        has=page.get_by_text("Avvikelser som sanktionen vilar på *", exact=True)
    )

    def pick_one() -> None:
        field = box.locator("input").first
        field.click()
        field.fill("Hemtjänst Norra")  # the options are filtered by what is typed
        # An avvikelse still open (the list's first entry may be "select all" of the filter).
        option = page.get_by_role("option").filter(has_text="(bekräftad)").first
        option.wait_for()
        option.click()
        page.keyboard.press("Escape")

    rerun(page, pick_one)
    chosen = str(box.text_content())
    assert chosen.count("Hemtjänst Norra") == 1, chosen
    unit = "Hemtjänst Norra"
    page.get_by_role("button", name="Registrera sanktion", exact=True).wait_for()
    choose(page, "Sanktion *", "Vite")
    page.get_by_label("Belopp (kr)", exact=True).fill("30000")
    _shot(page, "01-record-vite")
    click(page, "Registrera sanktion")
    page.get_by_text("Vite är registrerad.").wait_for()
    decided = table_text(page, 0)
    assert "Vite" in decided and "30 000 kr" in decided.replace("\u00a0", " ")
    assert "Vård- och omsorgsutskottet" in decided
    _shot(page, "02-vite-recorded")

    goto_page(page, "Översikt")
    page.locator("table.ov").wait_for()
    row = str(page.locator("table.ov tr", has_text=unit).first.text_content())
    assert "vite beslutat" in row.replace("\u00ad", "").lower(), row
    _shot(page, "03-overview")
    choose(page, "Visa enhet", f"{unit} (Omsorgshuset Vega AB)")
    page.get_by_role("button", name="Visa sanktioner").wait_for()
    page.get_by_text("Vite 30").first.wait_for()
    _shot(page, "04-unit")

    # The unit's signals, one click away; and point 1 of its ongoing avtalsuppföljning.
    click(page, "Visa signaler")
    page.get_by_role("heading", name="Registrerade signaler").wait_for()
    page.get_by_text("Senaste tolv månaderna:").first.wait_for()
    _shot(page, "05-signals")
    goto_page(page, "Översikt")
    choose(page, "Visa enhet", f"{unit} (Omsorgshuset Vega AB)")
    opener = page.get_by_role("button", name="Öppna senaste: Avtal")
    rerun(page, opener.click)
    page.wait_for_url("**/uppfoljningar?id=*")
    since = page.get_by_text("Sedan förra mötet:").first
    since.wait_for()
    since.scroll_into_view_if_needed()
    _shot(page, "06-point1")
