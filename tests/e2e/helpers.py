"""Playwright helpers for Streamlit widgets that wait on the app, never on time.

Every script run that reaches the end of `audit_app.app.main()` emits an invisible marker
holding a new run id (see `mark_run_finished` there). `rerun(page, action)` reads the id, acts,
and waits until the id has changed and the app is idle again: the run the action caused is over
and its elements are drawn. Widgets inside a `st.form` send nothing until the form is
submitted, so the helpers only fill them and the submit button's `click` waits. Actions that do
not rerun (a tab without state, an expander without `on_change`, a download button with
on_click="ignore") are done directly and followed by a wait on what they show.
"""

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from audit_app.services import logins
from tests.e2e.conftest import AppServer

RUN_TIMEOUT = 60_000  # ms; an upper bound for one script run on a busy machine, not a pause

# The id of the last finished run on the page, "" before the first one has finished.
_RUN_ID_JS = """() => [...document.querySelectorAll('[data-testid="app-run-finished"]')]
    .map(m => m.dataset.run).join(",")"""

# True once a run other than `before` has finished and the page shows only its elements: a
# marker holds an id that was not there before (a fragment that reruns removes the markers of
# the fragments inside it, so a changed list alone does not mean a finished run), the script
# is not running (nor asked to), the status widget ("Running...") is gone and no element of the
# previous run is left (Streamlit keeps those, marked data-stale, until the run ends).
_RUN_DONE_JS = """before => {
    const seen = new Set(before.split(","));
    const runs = [...document.querySelectorAll('[data-testid="app-run-finished"]')]
        .map(m => m.dataset.run);
    const app = document.querySelector('[data-testid="stApp"]');
    return runs.some(r => r && !seen.has(r))
        && !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-stale="true"]');
}"""


# True when no script run is going on and the page shows only what the last run drew.
_IDLE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-stale="true"]');
}"""


def wait_until_idle(page: Any) -> None:
    """Wait until the run going on (if any) has finished drawing, e.g. the run that resumes a
    log-in after a reload, which draws the page after the first run is already over."""
    page.wait_for_function(_IDLE_JS, timeout=RUN_TIMEOUT)


def run_id(page: Any) -> str:
    """The id of the last finished run on the page ("" if none has finished yet)."""
    return str(page.evaluate(_RUN_ID_JS))


def wait_for_run(page: Any, before: str) -> None:
    """Wait until a run other than `before` has finished and the page is idle."""
    page.wait_for_function(_RUN_DONE_JS, arg=before, timeout=RUN_TIMEOUT)


def rerun(page: Any, action: Callable[[], object]) -> None:
    """Do `action` (which makes Streamlit rerun) and wait until that rerun has finished."""
    before = run_id(page)
    action()
    try:
        wait_for_run(page, before)
    except PlaywrightTimeoutError as exc:
        raise AssertionError(
            f"Ingen ny körning blev klar inom {RUN_TIMEOUT // 1000} s efter åtgärden: "
            "kör den verkligen om sidan (formulär, nedladdning med on_click='ignore', flik "
            "utan on_change gör det inte), eller föll körningen på ett fel?"
        ) from exc


def wait_for_first_run(page: Any) -> None:
    """After a load or reload (a new page, a new session): wait until its first run is over."""
    wait_for_run(page, "")


def in_form(locator: Any) -> bool:
    """Whether the widget sits in a st.form (it then sends its value only on submit)."""
    locator.first.wait_for(state="attached")
    return bool(locator.locator("xpath=ancestor::*[@data-testid='stForm']").count())


def _act(page: Any, widget: Any, action: Callable[[], object]) -> None:
    """Do `action` on `widget`; outside a form wait for the rerun it causes."""
    if in_form(widget):
        action()
    else:
        rerun(page, action)


def type_into(page: Any, field: Any, value: str) -> None:
    """Write `value` into a text field; outside a form commit it and wait for the rerun.

    A text input commits on Enter, a text area on leaving it (Tab). An unchanged value
    commits nothing, so there is no rerun to wait for.
    """
    if in_form(field):
        field.fill(value)
        return
    if field.input_value() == value:
        return
    key = "Tab" if field.evaluate("e => e.tagName") == "TEXTAREA" else "Enter"

    def commit() -> None:
        field.fill(value)
        field.press(key)

    rerun(page, commit)


def fill(page: Any, label: str, value: str) -> None:
    """Write `value` into the text field with the label `label`."""
    type_into(page, page.get_by_label(label, exact=True), value)


def click(page: Any, name: str) -> None:
    """Click a button (or a form's submit button) and wait for the rerun."""
    rerun(page, page.get_by_role("button", name=name, exact=True).click)


def choose(page: Any, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox found by its label."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first
    field = box.locator("input").first
    if field.input_value() == option:
        return  # already chosen: picking it again changes nothing and does not rerun

    def pick() -> None:
        field.click()
        field.fill(option[:12])
        page.get_by_role("option", name=option).first.click()

    _act(page, box, pick)


def multichoose(page: Any, label: str, option: str) -> None:
    """Add an option to a Streamlit multiselect found by its label."""
    box = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text(label, exact=True))
    field = box.locator("input").first

    def pick() -> None:
        field.click()
        field.fill(option[:12])
        page.get_by_role("option", name=option).first.click()
        page.keyboard.press("Escape")

    _act(page, box, pick)


def click_download(page: Any, name: str, *, reruns: bool) -> Any:
    """Click a download button and return the download.

    A download button reruns the app unless it was made with on_click="ignore"; the caller
    says which, as for tabs, so the rerun (if any) is over before the next step.
    """
    button = page.get_by_role("button", name=name, exact=True)
    with page.expect_download() as info:
        if reruns:
            rerun(page, button.click)
        else:
            button.click()
    return info.value


def upload(page: Any, dropzone_input: Any, files: Any) -> None:
    """Put files into a file uploader and wait for the rerun that reads them."""
    rerun(page, lambda: dropzone_input.set_input_files(files))


def goto_page(page: Any, title: str) -> None:
    """Open a page from the sidebar navigation."""
    rerun(page, page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click)


def expand(page: Any, label: str, within: Any = None) -> None:
    """Open the expander titled `label` (in `within`, else the page) once the page is drawn.

    An expander opens in the browser only (no rerun); clicked while a run is still drawing, a
    late redraw can mount it again closed.
    """
    wait_until_idle(page)
    (within or page).get_by_text(label).click()


def open_tab(page: Any, name: str, *, reruns: bool) -> None:
    """Select the tab whose title contains `name`.

    Tabs with state (`on_change` or `bind`) rerun the app when picked; other tabs switch in
    the browser only, then the tab is just waited on to be selected.
    """
    tab = page.get_by_role("tab", name=re.compile(re.escape(name))).first
    if tab.get_attribute("aria-selected") == "true":
        wait_until_idle(page)  # open already (from the address): wait until it is drawn
        return
    if reruns:
        rerun(page, tab.click)
    else:
        tab.click()
    page.wait_for_function(
        "name => [...document.querySelectorAll('[role=tab]')]"
        ".some(t => t.innerText.includes(name) && t.getAttribute('aria-selected') === 'true')",
        arg=name,
    )


def table_text(page: Any, nth: int = 0) -> str:
    """The text of a st.dataframe (drawn on a canvas; its accessible copy holds the cells)."""
    frame = page.get_by_test_id("stDataFrame").nth(nth)
    frame.locator("td").first.wait_for(state="attached")
    return str(frame.locator("table").text_content() or "")


# True when the browser holds the login cookie (written by the app's cookie component after a
# login, cleared after a log-out); a reload resumes the login only once it is there.
_HAS_COOKIE_JS = "name => document.cookie.split('; ').some(c => c.startsWith(name + '='))"


def open_address(page: Any, url: str) -> None:
    """Load an address of the app (a new session) and wait until its first run is over."""
    page.goto(url)
    wait_for_first_run(page)


def reload(page: Any) -> None:
    """Reload the page (a new session) and wait until its first run is over."""
    page.reload()
    wait_for_first_run(page)


def relogin(page: Any, username: str, password: str = "demo") -> None:
    """Log in on the log-in page shown at the address just opened."""
    fill(page, "Användarnamn", username)
    fill(page, "Lösenord", password)
    click(page, "Logga in")
    page.get_by_role("button", name="Logga ut").wait_for()
    page.wait_for_function(_HAS_COOKIE_JS, arg=logins.COOKIE)


def login(page: Any, app: AppServer, username: str, password: str = "demo") -> None:
    """Open the app's start address and log in."""
    open_address(page, app.url)
    relogin(page, username, password)


def logout(page: Any) -> None:
    """Log out and wait for the log-in page and for the login cookie to be gone."""
    click(page, "Logga ut")
    page.get_by_role("button", name="Logga in").wait_for()
    page.wait_for_function(f"name => !({_HAS_COOKIE_JS})(name)", arg=logins.COOKIE)
