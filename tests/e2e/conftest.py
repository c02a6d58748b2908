"""Playwright against the real app: a Streamlit server on a free port, Debian's Chromium.

Skipped with a reason when Chromium is missing, unless REQUIRE_BROWSER=1 (CI), then it fails.
"""

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium finns inte på {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Python-paketet playwright är inte installerat"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = _browser_missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 men {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class AppServer:
    def __init__(self, url: str, db_url: str, data_dir: Path, log: Path) -> None:
        self.url = url
        self.db_url = db_url
        self.data_dir = data_dir
        self.log = log


@pytest.fixture(scope="module")
def app_server(
    demo_template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """Start the app on a copy of the demo database (one server per test module)."""
    workdir = tmp_path_factory.mktemp("server")
    db_path = workdir / "app.db"
    db_path.write_bytes(demo_template_db.read_bytes())
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{db_path}",
        "AUDIT_DATA_DIR": str(workdir / "data"),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    log = workdir / "streamlit.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "audit_app" / "app.py"),
                "--server.port", str(port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--server.fileWatcherType", "none",
            ],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # an upper bound on a busy machine
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:  # not listening yet: wait on the process, so a crash ends it at once
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.3)
    else:
        proc.kill()
        pytest.fail(f"Appen startade inte: {log.read_text()[-2000:]}")
    yield AppServer(url, env["DATABASE_URL"], workdir / "data", log)
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def page(browser: object, app_server: AppServer) -> Iterator[object]:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 800}, locale="sv-SE", accept_downloads=True
    )
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def shot(page: object, name: str) -> Path:
    """Save a full-page screenshot as a test artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '_', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if report.when == "call" and report.failed:  # type: ignore[attr-defined]
        pg = item.funcargs.get("page") if hasattr(item, "funcargs") else None  # type: ignore[attr-defined]
        if pg is not None:
            with contextlib.suppress(Exception):
                shot(pg, f"FAILED_{item.name}")
    return report
