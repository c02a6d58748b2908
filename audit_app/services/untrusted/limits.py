"""The limits on files from outside, each a setting (environment variable) with a default.

| Variable | Default | Limits |
|---|---|---|
| AUDIT_UPLOAD_MAX_MB | 100 | size of an uploaded workbook, CSV or checklist file |
| AUDIT_ZIP_MAX_MEMBERS | 10000 | files inside an xlsx/ods/docx (a zip archive) |
| AUDIT_ZIP_MAX_UNPACKED_MB | 1024 | declared unpacked size of all files in the archive |
| AUDIT_ZIP_MAX_RATIO | 200 | declared unpacked size / packed size of one member (over 1 MB) |
| AUDIT_SHEET_MAX_ROWS | 1500000 | rows of a sheet (declared dimension) or a CSV file |
| AUDIT_SHEET_MAX_COLUMNS | 2000 | columns of a sheet (declared dimension) |
| AUDIT_SHEET_MAX_CELLS | 20000000 | cells of all sheets, counted from A1 to each sheet's last cell |
| AUDIT_YAML_MAX_KB | 1024 | size of a YAML text (checklist, staffing rules) |
| AUDIT_YAML_MAX_DEPTH | 20 | nesting depth of a YAML text |
| AUDIT_YAML_MAX_NODES | 100000 | values of a YAML text with every alias expanded |
| AUDIT_GUARD_MEMORY_MB | 2048 | memory (address space) a reading child may add to its start size |
| AUDIT_GUARD_SECONDS | 120 | wall-clock time of a reading child |
| AUDIT_TEMPLATE_MAX_MB | 15 | size of an uploaded Word template |
| AUDIT_TEMPLATE_MAX_UNPACKED_MB | 100 | declared unpacked size of a Word template |
| AUDIT_TEMPLATE_MEMORY_MB | 512 | memory of a child rendering an uploaded template |
| AUDIT_TEMPLATE_SECONDS | 30 | wall-clock time of a child rendering an uploaded template |
| AUDIT_GUARD_PROCESSES | 2 | guarded children running at once (more wait for a free place) |
| AUDIT_EVIDENCE_MAX_MB | 50 | size of an evidence file (stored as it is, never opened by the app) |
"""

import os
from dataclasses import dataclass

MB = 1024 * 1024


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class ChildLimits:
    """What one guarded child may use: memory beyond its start size, and wall-clock time."""

    memory_mb: int
    seconds: float


@dataclass(frozen=True)
class FileLimits:
    """The caps checked before any parsing, read from the environment when asked for."""

    upload_bytes: int
    zip_members: int
    zip_unpacked_bytes: int
    zip_ratio: float
    sheet_rows: int
    sheet_columns: int
    sheet_cells: int
    yaml_bytes: int
    yaml_depth: int
    yaml_nodes: int
    template_bytes: int
    template_unpacked_bytes: int
    evidence_bytes: int


def file_limits() -> FileLimits:
    """Return the caps on files from outside (environment variables or the defaults)."""
    return FileLimits(
        upload_bytes=int(_number("AUDIT_UPLOAD_MAX_MB", 100) * MB),
        zip_members=int(_number("AUDIT_ZIP_MAX_MEMBERS", 10_000)),
        zip_unpacked_bytes=int(_number("AUDIT_ZIP_MAX_UNPACKED_MB", 1024) * MB),
        zip_ratio=_number("AUDIT_ZIP_MAX_RATIO", 200),
        sheet_rows=int(_number("AUDIT_SHEET_MAX_ROWS", 1_500_000)),
        sheet_columns=int(_number("AUDIT_SHEET_MAX_COLUMNS", 2_000)),
        sheet_cells=int(_number("AUDIT_SHEET_MAX_CELLS", 20_000_000)),
        yaml_bytes=int(_number("AUDIT_YAML_MAX_KB", 1024) * 1024),
        yaml_depth=int(_number("AUDIT_YAML_MAX_DEPTH", 20)),
        yaml_nodes=int(_number("AUDIT_YAML_MAX_NODES", 100_000)),
        template_bytes=int(_number("AUDIT_TEMPLATE_MAX_MB", 15) * MB),
        template_unpacked_bytes=int(_number("AUDIT_TEMPLATE_MAX_UNPACKED_MB", 100) * MB),
        evidence_bytes=int(_number("AUDIT_EVIDENCE_MAX_MB", 50) * MB),
    )


def reading_limits() -> ChildLimits:
    """Return the limits of a child reading a workbook or a schedule."""
    return ChildLimits(
        memory_mb=int(_number("AUDIT_GUARD_MEMORY_MB", 2048)),
        seconds=_number("AUDIT_GUARD_SECONDS", 120),
    )


def template_limits() -> ChildLimits:
    """Return the limits of a child validating or rendering an uploaded Word template."""
    return ChildLimits(
        memory_mb=int(_number("AUDIT_TEMPLATE_MEMORY_MB", 512)),
        seconds=_number("AUDIT_TEMPLATE_SECONDS", 30),
    )


def guard_processes() -> int:
    """Return how many guarded children may run at once."""
    return max(1, int(_number("AUDIT_GUARD_PROCESSES", 2)))
