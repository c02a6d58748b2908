"""Small Playwright helpers for Streamlit widgets."""

from typing import Any

from tests.e2e.conftest import wait_idle


def goto_page(page: Any, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    wait_idle(page)


def choose(page: Any, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox found by its label."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first
    box.locator("input").first.click()
    box.locator("input").first.fill(option[:12])
    page.get_by_role("option", name=option).first.click()
    wait_idle(page)


def multichoose(page: Any, label: str, option: str) -> None:
    box = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text(label, exact=True))
    box.locator("input").first.click()
    box.locator("input").first.fill(option[:12])
    page.get_by_role("option", name=option).first.click()
    page.keyboard.press("Escape")


def fill(page: Any, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).fill(value)


def click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    wait_idle(page)


def table_text(page: Any, nth: int = 0) -> str:
    """The text of a st.dataframe (drawn on a canvas; its accessible copy holds the cells)."""
    frame = page.get_by_test_id("stDataFrame").nth(nth)
    frame.locator("td").first.wait_for(state="attached")
    return str(frame.locator("table").text_content() or "")


def relogin(page: Any, username: str, password: str = "demo") -> None:
    """Log in on the page already shown (after a reload or a direct address)."""
    for _ in range(30):
        try:
            page.get_by_label("Användarnamn").fill(username, timeout=1000)
            break
        except Exception:  # the page is still connecting (inert)
            page.wait_for_timeout(300)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("button", name="Logga ut").wait_for()
    wait_idle(page)
