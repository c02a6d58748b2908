"""Indicators in a real browser at 1280x800: a revisor enters a period's result, sees it judged
in the chart against the target, and the overview gives the indicator as the unit's reason."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import AppServer, shot
from tests.e2e.helpers import choose, goto_page, login, rerun

pytestmark = pytest.mark.e2e
NAME = "Brukarundersökning – helhetsbedömning"


def _shot(page: Any, name: str, locator: Any = None) -> None:
    """A screenshot as a test artifact, and a copy in /tmp/indicators-<name>.png to look at.

    The app scrolls inside its main column, so the window is made tall enough to show all of
    it (or the element) for the picture, then set back.
    """
    shot(page, f"indicators_{name}")
    target = Path("/tmp") / f"indicators-{name}.png"
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 2400})
    try:
        if locator is None:
            page.screenshot(path=str(target))
        else:
            locator.scroll_into_view_if_needed()
            locator.screenshot(path=str(target))
    finally:
        page.set_viewport_size(size)


def _card(page: Any, name: str = NAME) -> Any:
    """The bordered container of an indicator: the nearest block around its heading."""
    heading = page.get_by_role("heading", name=name)
    return heading.locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][1]")


def test_revisor_enters_a_result_sees_the_chart_and_the_overview_reason(
    page: Any, app_server: AppServer
) -> None:
    year = str(date.today().year)
    login(page, app_server, "revisor")
    goto_page(page, "Indikatorer")
    page.get_by_role("heading", name="Indikatorer", exact=True).wait_for()
    choose(page, "Avtal", "VOF 2024/118 – Omsorgshuset Vega AB")
    card = _card(page)
    card.get_by_test_id("stVegaLiteChart").wait_for()
    _shot(page, "01-contract")

    form = card.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name="Spara resultat")
    )
    form.get_by_label("Period", exact=True).fill(year)
    form.get_by_label("Värde (%)", exact=True).fill("72")
    rerun(page, form.get_by_role("button", name="Spara resultat").click)
    page.get_by_text(f"Resultatet för {NAME} {year} är sparat: ej uppnått.").wait_for()
    card = _card(page)
    card.get_by_text(f"Senaste resultat {year}: 72").wait_for()
    chart = card.get_by_test_id("stVegaLiteChart")
    chart.wait_for()
    assert chart.locator("canvas, svg").count() >= 1
    assert card.get_by_text("Ej uppnått").count() >= 1
    _shot(page, "02-card", card)
    _shot(page, "03-page")
    judgements = _card(page, "Avvikelser rapporterade och analyserade")
    judgements.get_by_test_id("stVegaLiteChart").wait_for()
    _shot(page, "04-judgements", judgements)

    goto_page(page, "Översikt")
    page.locator("table.ov").wait_for()
    table = str(page.locator("table.ov").text_content())
    reason = f"Indikatorn {NAME} ej uppnådd ({year})"
    assert table.count(reason) == 3, table  # Solgården, Björkhagen and Hemtjänst Norra
    row = page.locator("table.ov tr").filter(has_text="Solgården").first
    _shot(page, "05-overview")
    _shot(page, "06-overview-row", row)
