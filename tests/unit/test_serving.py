"""The app listens on localhost wherever it is started and shows no tracebacks unless
AUDIT_ENV=development: `streamlit run /abs/path/audit_app/app.py` from another folder reads the
config next to app.py."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import psutil
import pytest

from audit_app import serving
from tests.conftest import ROOT

CONFIG = ROOT / "audit_app" / ".streamlit" / "config.toml"


def test_the_config_next_to_the_app_binds_localhost_and_hides_error_details() -> None:
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["server"]["address"] == "localhost"
    assert config["client"]["showErrorDetails"] == "none"


def test_error_details_only_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDIT_ENV", raising=False)
    assert serving.error_details() == "none"
    monkeypatch.setenv("AUDIT_ENV", "development")
    assert serving.error_details() == "full"


def test_serve_command_runs_this_app_on_localhost() -> None:
    command = serving.serve_command("localhost", 8501)
    assert command[-4:] == ["--server.address", "localhost", "--server.port", "8501"]
    assert Path(command[4]) == ROOT / "audit_app" / "app.py"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_started_from_another_folder_it_listens_on_localhost_only(tmp_path: Path) -> None:
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "AUDIT_DATA_DIR": str(tmp_path / "data"),
    }
    env.pop("STREAMLIT_SERVER_ADDRESS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "audit_app" / "app.py"),
         "--server.port", str(port), "--server.fileWatcherType", "none"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:  # not listening yet: wait on the process, so a crash ends it
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=0.3)
        listening = {
            c.laddr.ip
            for c in psutil.Process(proc.pid).net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == port
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert listening, "the server did not start"
    assert listening <= {"127.0.0.1", "::1"}, listening
