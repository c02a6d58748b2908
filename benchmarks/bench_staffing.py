"""Staffing review at scale: a year of schedules for 100 units (about 1,000,000 shifts).

Generates one xlsx (Excel date/time cells, title row, footer) and one semicolon cp1252 CSV
(time ranges, decimal commas) under benchmarks/.cache/ and reuses them on later runs. Every
measurement runs in a fresh subprocess so that its peak memory (ru_maxrss) is its own. The
whole analysis (what `audit-app schedule analyse --json` does) is compared with the bare
fastexcel read of the same file into pandas, interleaved and the fastest of four runs each;
the target is checked on CPU time (user + system of the measuring process), since wall time on
a shared two-core machine mostly measures the other processes; wall time is reported too. The reader's cost in a spawned child process (Arrow IPC back) is
measured too. Quick mode (BENCH_QUICK=1): the same 100 units over 19 days, ~50,000 shifts.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import fastexcel
import numpy as np
import openpyxl
import pandas as pd

from audit_app.services.staffing.analysis import analyse
from audit_app.services.staffing.parsing import read_schedule
from audit_app.services.staffing.reading import (
    read_table,
    read_table_ipc,
    table_from_ipc,
    table_to_ipc,
)
from audit_app.services.staffing.rules import StaffingRules, load_rules, rules_to_yaml

CACHE = Path(__file__).resolve().parent / ".cache"
UNITS = 100
SECTIONS = ("Avd Ängen", "Avd Björken", "Avd Måsen")
FIRST_DAY = dt.date(2026, 1, 1)
PEOPLE_PER_UNIT = 45
# (start, end, break minutes): nine shifts per section and day.
TEMPLATES = [
    ("07:00", "15:30", 30),
    ("07:00", "15:30", 30),
    ("07:00", "15:30", 30),
    ("07:00", "14:00", 30),
    ("10:00", "14:00", 0),
    ("14:00", "21:45", 30),
    ("14:00", "21:45", 30),
    ("15:00", "22:00", 30),
    ("21:30", "07:15", 0),
]
COMPETENT = ["Undersköterska", "Sjuksköterska", "USK"]
OTHER = ["Vårdbiträde", "Timvikarie"]
HEADER = ["Datum", "Start", "Slut", "Rast", "Befattning", "Avdelning", "Namn"]


def bench_rules() -> StaffingRules:
    """Return the rules of the generated file: every section of every unit."""
    return StaffingRules(
        unit="100 enheter",
        sections=[f"Enhet {u:03d} {s}" for u in range(1, UNITS + 1) for s in SECTIONS],
        places_per_section=12,
        competence={"usk": ["undersköterska", "usk", "sjuksköterska"]},
        periods=[
            {"name": "Dag", "start": "07:00", "end": "15:00", "min_staff": 4, "min_competent": 2},
            {"name": "Kväll", "start": "15:00", "end": "21:30", "min_staff": 3, "min_competent": 1},
            {"name": "Natt", "start": "21:45", "end": "07:00", "min_staff": 1, "min_competent": 1},
        ],
        min_competent_hours_share=0.75,
    )


def generate(days: int, seed: int = 2026) -> pd.DataFrame:
    """Return a year (or `days`) of shifts: day, template, role, section, name; ~2% left out."""
    rng = np.random.default_rng(seed)
    day, unit, section, template = (
        a.ravel()
        for a in np.meshgrid(
            np.arange(days),
            np.arange(1, UNITS + 1),
            np.arange(len(SECTIONS)),
            np.arange(len(TEMPLATES)),
            indexing="ij",
        )
    )
    keep = rng.random(len(day)) > 0.02
    day, unit, section, template = day[keep], unit[keep], section[keep], template[keep]
    n = len(day)
    competent = rng.random(n) < 0.8
    roles = np.where(
        competent,
        np.array(COMPETENT, dtype=object)[rng.integers(0, len(COMPETENT), n)],
        np.array(OTHER, dtype=object)[rng.integers(0, len(OTHER), n)],
    )
    person = unit * PEOPLE_PER_UNIT + rng.integers(0, PEOPLE_PER_UNIT, n)
    section_names = np.array(
        [f"Enhet {u:03d} {s}" for u in range(UNITS + 1) for s in SECTIONS], dtype=object
    )
    return pd.DataFrame(
        {
            "day": day,
            "template": template,
            "role": roles,
            "section": section_names[unit * len(SECTIONS) + section],
            "name": pd.Series(person).map(lambda p: f"Person {p:05d}").to_numpy(dtype=object),
        }
    )


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """Write style (a): a title row, Excel date and time cells, a footer (openpyxl write_only)."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Schema")
    ws.append(["Bemanningsschema 100 enheter"])
    ws.append([])
    ws.append(HEADER)
    dates = [FIRST_DAY + dt.timedelta(days=i) for i in range(int(frame["day"].max()) + 1)]
    clocks = [
        (dt.time.fromisoformat(start), dt.time.fromisoformat(end), rest)
        for start, end, rest in TEMPLATES
    ]
    for day, template, role, section, name in frame.itertuples(index=False, name=None):
        start, end, rest = clocks[template]
        ws.append([dates[day], start, end, rest, role, section, name])
    ws.append([])
    ws.append(["Summa pass", len(frame)])
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    tmp.rename(path)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write style (b): semicolon cp1252, day-first dates, time ranges, decimal commas."""
    days = pd.Series([FIRST_DAY + dt.timedelta(days=i) for i in range(int(frame["day"].max()) + 1)])
    day_text = days.map(lambda d: f"{d.day}/{d.month}/{d.year}").to_numpy(dtype=object)
    ranges = np.array([f"{s}-{e}" for s, e, _ in TEMPLATES], dtype=object)
    rests = np.array([f"{r},0" if r else "" for _, _, r in TEMPLATES], dtype=object)
    table = pd.DataFrame(
        {
            "Personal": frame["name"],
            "Befattning": frame["role"],
            "Enhet": frame["section"],
            "Datum": day_text[frame["day"]],
            "Tid": ranges[frame["template"]],
            "Rast": rests[frame["template"]],
        }
    )
    body = table.to_csv(sep=";", index=False, lineterminator="\n")
    text = f"Bemanningsschema 100 enheter\n\n{body}\nSumma pass;{len(frame)}\n"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(text.encode("cp1252"))
    tmp.rename(path)


def ensure_files(days: int) -> tuple[Path, Path, Path, int, float]:
    """Return the cached xlsx, csv and rules paths, the shift count and generation seconds."""
    CACHE.mkdir(parents=True, exist_ok=True)
    xlsx, csv, rules = (CACHE / f"schema-{days}d{ext}" for ext in (".xlsx", ".csv", ".yaml"))
    started = time.perf_counter()
    frame = generate(days)
    if not csv.exists():
        write_csv(frame, csv)
    if not xlsx.exists():
        print(f"   writing {xlsx.name} ({len(frame):,} shifts) ...", flush=True)
        write_xlsx(frame, xlsx)
    rules.write_text(rules_to_yaml(bench_rules()), encoding="utf-8")
    return xlsx, csv, rules, len(frame), time.perf_counter() - started


def _cpu() -> float:
    """Return the CPU time (user + system) this process has used, in seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _analyse_whole(path: str, rules_path: str) -> dict[str, Any]:
    """Read, analyse and write the JSON, as `audit-app schedule analyse --json` does."""
    rules = load_rules(Path(rules_path))
    cpu = _cpu()
    started = time.perf_counter()
    schedule = read_schedule(path)
    read_done = time.perf_counter()
    result = analyse(schedule, rules)
    analysed = time.perf_counter()
    text = json.dumps(result.to_json_dict(), ensure_ascii=False)
    done = time.perf_counter()
    return {
        "total_s": done - started,
        "cpu_s": _cpu() - cpu,
        "read_s": read_done - started,
        "analyse_s": analysed - read_done,
        "json_s": done - analysed,
        "json_mb": len(text.encode()) / 1e6,
        "shifts": result.shifts,
        "periods": len(result.periods),
        "breaches": len(result.breaches),
    }


def _child_overhead(path: str) -> dict[str, Any]:
    """Time the reader in this process and in a spawned child that hands back Arrow IPC."""
    data = Path(path).read_bytes()
    started = time.perf_counter()
    table = read_table(data, Path(path).name)
    in_process = time.perf_counter() - started
    started, cpu = time.perf_counter(), _cpu()
    ipc = table_to_ipc(table)
    table_from_ipc(ipc)
    ipc_s, ipc_cpu_s = time.perf_counter() - started, _cpu() - cpu
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        started = time.perf_counter()
        pool.apply(len, (b"",))  # the child is up and has imported this module
        spawn_s = time.perf_counter() - started
        started = time.perf_counter()
        got = table_from_ipc(pool.apply(read_table_ipc, (data, Path(path).name)))
        in_child = time.perf_counter() - started
    assert got.num_rows == table.num_rows
    return {
        "in_process_s": in_process,
        "in_child_s": in_child,
        "spawn_s": spawn_s,
        "ipc_s": ipc_s,
        "ipc_cpu_s": ipc_cpu_s,
        "ipc_mb": len(ipc) / 1e6,
    }


def child(kind: str, path: str, rules_path: str) -> dict[str, Any]:
    """Run one measurement in this process and return its figures (called in a subprocess)."""
    started, cpu = time.perf_counter(), _cpu()
    out: dict[str, Any] = {}
    if kind == "fastexcel-pandas":  # the bare read: every column, typed by fastexcel, to pandas
        frame = fastexcel.read_excel(path).load_sheet(0).to_pandas()
        out |= {"total_s": time.perf_counter() - started, "cpu_s": _cpu() - cpu}
        out["rows"] = len(frame)
    elif kind == "fastexcel-polars":
        frame_pl = fastexcel.read_excel(path).load_sheet(0).to_polars()
        out |= {"total_s": time.perf_counter() - started, "cpu_s": _cpu() - cpu}
        out["rows"] = frame_pl.height
    elif kind == "child":
        out = _child_overhead(path)
    else:
        out = _analyse_whole(path, rules_path)
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _in_subprocess(kind: str, path: Path, rules: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_staffing", kind, str(path), str(rules)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} failed: {proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _row(name: str, value: float, unit: str, target: str, ok: bool) -> dict[str, Any]:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "ok": ok}


def _best(kind: str, path: Path, rules: Path, runs: int) -> dict[str, Any]:
    """Return the fastest of a few runs (the machine is shared; the minimum is the least
    disturbed), keeping the highest peak memory."""
    results = [_in_subprocess(kind, path, rules) for _ in range(runs)]
    best = min(results, key=lambda r: r["total_s"])
    return best | {"maxrss_mb": max(r["maxrss_mb"] for r in results)}


def run(quick: bool) -> list[dict[str, Any]]:
    """Generate (or reuse) the files, then measure the whole analysis against the bare read."""
    days = 19 if quick else 365
    xlsx, csv, rules, shifts, generated = ensure_files(days)
    print(f"   {shifts:,} shifts, files ready in {generated:.1f} s", flush=True)
    runs = 1 if quick else 4
    bare: list[dict[str, Any]] = []
    whole: list[dict[str, Any]] = []
    for _ in range(runs):  # interleaved, so that both see the same load on the machine
        bare.append(_in_subprocess("fastexcel-pandas", xlsx, rules))
        whole.append(_in_subprocess("pipeline", xlsx, rules))
    bare_best = min(bare, key=lambda r: r["total_s"])
    whole_best = min(whole, key=lambda r: r["total_s"])
    polars = _in_subprocess("fastexcel-polars", xlsx, rules)
    whole_csv = _best("pipeline", csv, rules, runs)
    overhead = _in_subprocess("child", xlsx, rules)
    assert whole_best["shifts"] == whole_csv["shifts"] == shifts
    assert whole_best["breaches"] == whole_csv["breaches"]
    print(
        f"   {whole_best['periods']:,} periods checked, {whole_best['breaches']:,} breaches",
        flush=True,
    )
    ratio = whole_best["total_s"] / bare_best["total_s"]
    cpu_ratio = min(r["cpu_s"] for r in whole) / min(r["cpu_s"] for r in bare)
    size = f"{shifts / 1000:.0f}k"
    peak = max(r["maxrss_mb"] for r in whole)
    child_extra = overhead["in_child_s"] - overhead["in_process_s"]
    return [
        _row(f"staffing shifts in file ({size})", shifts, "pass", "info", True),
        _row("staffing xlsx bare fastexcel read (pandas)", bare_best["total_s"], "s", "info", True),
        _row("staffing xlsx bare fastexcel read (polars)", polars["total_s"], "s", "info", True),
        _row(
            "staffing xlsx whole analyse (read+analysis+JSON)",
            whole_best["total_s"],
            "s",
            "info",
            True,
        ),
        _row("staffing xlsx whole analyse / bare read (wall)", ratio, "x", "info", True),
        _row(  # the target is for the ~1M-shift file; a quick run is dominated by start-up
            "staffing xlsx whole analyse / bare read (CPU)",
            cpu_ratio,
            "x",
            "info" if quick else "<= 1.2x",
            quick or cpu_ratio <= 1.2,
        ),
        _row("staffing xlsx read+parse", whole_best["read_s"], "s", "info", True),
        _row(
            f"staffing analysis {size} shifts",
            whole_best["analyse_s"],
            "s",
            "< 10 s",
            whole_best["analyse_s"] < 10,
        ),
        _row("staffing JSON", whole_best["json_s"], "s", "info", True),
        _row("staffing xlsx peak memory (whole analyse)", peak, "MB", "<= 1024 MB", peak <= 1024),
        _row(
            "staffing csv whole analyse (CPU, all threads)", whole_csv["cpu_s"], "s", "info", True
        ),
        _row(
            "staffing csv whole analyse",
            whole_csv["total_s"],
            "s",
            "< 3 s",
            whole_csv["total_s"] < 3,
        ),
        _row(
            "staffing csv peak memory",
            whole_csv["maxrss_mb"],
            "MB",
            "<= 1024 MB",
            whole_csv["maxrss_mb"] <= 1024,
        ),
        _row("staffing reader child: spawn and import", overhead["spawn_s"], "s", "info", True),
        _row("staffing reader child: extra time vs in process", child_extra, "s", "info", True),
        _row("staffing reader child: Arrow IPC write+read", overhead["ipc_s"], "s", "info", True),
        _row(
            "staffing reader child: Arrow IPC write+read (CPU)",
            overhead["ipc_cpu_s"],
            "s",
            "info",
            True,
        ),
        _row("staffing reader child: Arrow IPC size", overhead["ipc_mb"], "MB", "info", True),
    ]


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1], sys.argv[2], sys.argv[3])))
