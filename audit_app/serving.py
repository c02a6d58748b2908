"""How the app is served safely: on this computer only unless told otherwise, no tracebacks.

Streamlit reads `audit_app/.streamlit/config.toml` (next to the entry script) wherever it is
started, so `streamlit run /path/to/audit_app/app.py` from any folder listens on localhost and
shows no error details. `audit-app serve` starts it the same way. If the address is still
unset (the config file removed, an unusual launcher), the app refuses to show anything: it would
otherwise answer on every network interface. An address given on purpose
(`--server.address 0.0.0.0`, e.g. behind a reverse proxy) is respected.
"""

import os
import sys
from pathlib import Path

from streamlit import config

from audit_app.config import get_settings

APP = Path(__file__).resolve().parent / "app.py"

EXPOSED = (
    "Appen är startad utan adress och skulle svara på alla nätverk, så den visar ingenting. "
    "Starta den med `audit-app serve` (lyssnar bara på den här datorn) eller ange adressen "
    "med --server.address."
)


def error_details() -> str:
    """The value of client.showErrorDetails: tracebacks only with AUDIT_ENV=development."""
    return "full" if get_settings().development else "none"


def listens_everywhere() -> bool:
    """Tell whether the server was started with no address at all (every interface)."""
    if config.get_option("global.appTest"):
        return False
    return not config.get_option("server.address")


def serve_command(address: str, port: int) -> list[str]:
    """The command `audit-app serve` runs: Streamlit with this app, address and port."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", address, "--server.port", str(port),
    ]  # fmt: skip


def exec_server(address: str, port: int) -> None:
    """Replace this process with the Streamlit server (signals go straight to it)."""
    command = serve_command(address, port)
    os.execv(command[0], command)
