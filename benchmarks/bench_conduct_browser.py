"""How long the revisor waits in the meeting: actions on a 60-item follow-up in Chromium.

Each action is timed from the input (click, typed text committed, tab chosen) until the app's
rerun has finished and the page is still (the app's run-finished marker has changed and
Streamlit's status widget is gone). Needs Debian's Chromium at /usr/bin/chromium; skipped
(reported, not failed) without it.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from audit_app.auth import Actor
from audit_app.db import make_engine, migrate
from audit_app.demo import seed_demo
from audit_app.domain.agenda import sections_of
from audit_app.models import Contract, FollowUp, FollowUpKind, FollowUpStatus, UnitKind, User
from audit_app.services import followups, registers

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ITEMS = 60
MARKER = '[data-testid="app-run-finished"]'


def _prepare(url: str) -> tuple[str, str]:
    """A demo database with a started avtalsuppföljning of at least 60 items."""
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        seed_demo(session)
        session.commit()
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "revisor")).one()
        revisor = Actor.of(user)
        planned = session.exec(
            select(FollowUp).where(
                FollowUp.status == FollowUpStatus.planerad, FollowUp.kind == FollowUpKind.avtal
            )
        ).first()
        assert planned is not None and planned.contract_id is not None
        contract = session.get(Contract, planned.contract_id)
        assert contract is not None
        rows = [
            registers.RequirementInput(
                r.clause, r.text, r.kind, r.area, r.id, r.hint, [UnitKind(k) for k in r.applies_to]
            )
            for r in registers.list_requirements(session, contract.id)
        ]
        n = len(rows)
        rows += [
            registers.RequirementInput(f"99.{i}", f"Utföraren ska uppfylla tilläggskrav {i}.")
            for i in range(1, ITEMS)
        ]
        registers.save_requirements(session, revisor, contract.id, rows[: max(n, ITEMS)])
        followups.update_plan(
            session,
            revisor,
            planned.id,
            followups.PlanInput(
                kind=planned.kind,
                contractor_id=planned.contractor_id,
                planned_date=date.today() + timedelta(days=1),
                unit_ids=followups.unit_ids_of(session, planned.id),
                contract_id=planned.contract_id,
            ),
        )
        started = followups.start_followup(session, revisor, planned.id)
        session.commit()
        fid = str(started.id)
        tab = next(s.title for s in sections_of(followups.agenda_of(started)) if s.role
                   and s.role.value == "requirements")  # fmt: skip
    engine.dispose()
    return fid, tab


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_run(page: Any, before: str) -> None:
    """Wait until a marker holds a run id not seen before (a fragment rerun removes the markers
    of the fragments inside it) and the app is idle, as tests/e2e/helpers.py does."""
    page.wait_for_function(
        "(before) => { const seen = new Set(before.split(','));"
        " const runs = [...document.querySelectorAll('" + MARKER + "')].map(m => m.dataset.run);"
        " const app = document.querySelector('[data-testid=\"stApp\"]');"
        " return runs.some(r => r && !seen.has(r)) && !!app &&"
        " app.getAttribute('data-test-script-state') === 'notRunning' &&"
        " !document.querySelector('[data-testid=\"stStatusWidget\"]') &&"
        " !document.querySelector('[data-stale=\"true\"]'); }",
        arg=before,
        polling="raf",
        timeout=30_000,
    )


def _run_id(page: Any) -> str:
    return str(
        page.evaluate(
            f"() => [...document.querySelectorAll('{MARKER}')].map(m => m.dataset.run).join(',')"
        )
    )


def _timed(page: Any, action: Callable[[], object]) -> float:
    before = _run_id(page)
    started = time.perf_counter()
    action()
    _wait_run(page, before)
    return time.perf_counter() - started


def _measure(url_base: str, fid: str, tab: str) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {
        "besvara en punkt": [],
        "skriva en kommentar": [],
        "byta flik": [],
        "byta område": [],
        "bekräfta ett förslag": [],
        "lägga till en åtgärd": [],
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="sv-SE")
        page.set_default_timeout(30_000)
        page.goto(f"{url_base}/uppfoljningar?id={fid}")
        page.get_by_label("Användarnamn").fill("revisor")
        page.get_by_label("Lösenord").fill("demo")
        page.get_by_role("button", name="Logga in").click()
        page.get_by_role("button", name="Logga ut").wait_for()
        page.get_by_role("tab").first.wait_for()  # the follow-up page after the log-in
        _wait_run(page, "")
        panel = page.locator('[data-testid="stTabs"] [role="tabpanel"]:visible').first

        def open_tab(name: str) -> float:
            return _timed(page, page.get_by_role("tab", name=name).first.click)

        def open_group(name: str) -> None:
            areas = page.get_by_test_id("stButtonGroup").first
            times["byta område"].append(
                _timed(page, areas.get_by_role("radio", name=name, exact=True).click)
            )

        open_tab(tab)
        areas = page.get_by_test_id("stButtonGroup").first.get_by_role("radio")
        areas.first.wait_for()  # the widget's script is loaded on its first use
        # point 3 of 60 items is shown one area at a time: walk the areas as in a meeting
        groups = [g for g in areas.all_inner_texts() if g]
        assert len(groups) >= 4, groups
        for group in groups[1:4]:
            open_group(group)
            radios = panel.get_by_test_id("stRadio")
            for i in range(min(4, radios.count())):
                option = radios.nth(i).locator("label").nth(1)  # Uppfyllt
                times["besvara en punkt"].append(_timed(page, option.click))
            comments = panel.get_by_placeholder("Kommentar och vad som granskades")
            for i in range(min(3, comments.count())):
                box = comments.nth(i)
                box.fill(f"Granskat stickprov {i}")
                times["skriva en kommentar"].append(_timed(page, lambda b=box: b.press("Tab")))
        open_group(groups[-1])
        radios = panel.get_by_test_id("stRadio")
        for i in range(min(4, radios.count())):  # ej uppfyllt on SKA items: proposals at the items
            _timed(page, radios.nth(i).locator("label").nth(3).click)
        for _ in range(panel.get_by_role("button", name="Bekräfta avvikelse").count()):
            button = panel.get_by_role("button", name="Bekräfta avvikelse").first
            times["bekräfta ett förslag"].append(_timed(page, button.click))
        tabs = [t for t in page.get_by_role("tab").all_inner_texts() if t]
        for name in [tabs[1], tab, tabs[0], tab]:
            times["byta flik"].append(open_tab(name))
        plan = next(t for t in tabs if t.startswith("4."))
        open_tab(plan)
        forms = panel.get_by_test_id("stForm").filter(
            has=page.get_by_role("button", name="Lägg till åtgärd")
        )
        for i in range(min(4, forms.count())):
            form = (
                panel.get_by_test_id("stForm")
                .filter(has=page.get_by_role("button", name="Lägg till åtgärd"))
                .nth(i)
            )
            form.get_by_label("Åtgärd *").fill("Revidera rutinen och utbilda personalen")
            button = form.get_by_role("button", name="Lägg till åtgärd")
            times["lägga till en åtgärd"].append(_timed(page, button.click))
        browser.close()
    return times


def run(quick: bool) -> list[dict[str, Any]]:
    if not Path(CHROMIUM).exists():
        return [
            {"name": "conduct in Chromium", "value": 0.0, "unit": "s",
             "target": "needs chromium", "ok": True}
        ]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'conduct.db'}"
        fid, tab = _prepare(url)
        port = _free_port()
        env = os.environ | {
            "DATABASE_URL": url,
            "AUDIT_DATA_DIR": str(Path(tmp) / "data"),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "audit_app" / "app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                        break
                except OSError:
                    time.sleep(0.3)
            times = _measure(base, fid, tab)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    rows = []
    everything = [t for ts in times.values() for t in ts]
    for name, values in times.items():
        rows.append(
            {"name": f"väntan: {name}, median", "value": round(statistics.median(values), 3),
             "unit": "s", "target": "< 0.3 s", "ok": statistics.median(values) < 0.3}
        )  # fmt: skip
        rows.append(
            {"name": f"väntan: {name}, längsta", "value": round(max(values), 3),
             "unit": "s", "target": "< 1 s", "ok": max(values) < 1.0}
        )  # fmt: skip
    rows.append(
        {"name": "väntan: alla åtgärder, median", "value": round(statistics.median(everything), 3),
         "unit": "s", "target": "< 0.3 s", "ok": statistics.median(everything) < 0.3}
    )  # fmt: skip
    return rows
