"""Settings from the environment (DATABASE_URL, AUDIT_DATA_DIR)."""

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    checklist_dir: Path
    template_dir: Path
    municipality: str
    administration: str
    idle_hours: float = 8.0
    # AUDIT_ENV=development shows tracebacks in the page; never set it where people work.
    development: bool = False


def get_settings() -> Settings:
    """Read settings from the environment, with defaults that work out of the box."""
    data_dir = Path(os.environ.get("AUDIT_DATA_DIR", PROJECT_ROOT / "data")).resolve()
    default_db = f"sqlite:///{data_dir / 'revisionsstod.db'}"
    return Settings(
        database_url=os.environ.get("DATABASE_URL", default_db),
        data_dir=data_dir,
        checklist_dir=Path(os.environ.get("AUDIT_CHECKLIST_DIR", PROJECT_ROOT / "checklists")),
        template_dir=Path(os.environ.get("AUDIT_TEMPLATE_DIR", PROJECT_ROOT / "templates")),
        municipality=os.environ.get("AUDIT_MUNICIPALITY", "Exempelby kommun"),
        administration=os.environ.get("AUDIT_ADMINISTRATION", "Vård- och omsorgsförvaltningen"),
        idle_hours=float(os.environ.get("AUDIT_IDLE_HOURS", "8")),
        development=os.environ.get("AUDIT_ENV", "").strip().lower() == "development",
    )
