"""The issue's hostile files, each through the service function its page (or command) calls:
how long until the Swedish refusal, how much memory the app's own process gained, the peak of
the whole process tree (the app, the fork server and the guarded child), and that the app still
reads a normal file afterwards.

Before the guard (issue 14, measured on main): the 2 KB workbook with a cell at XFD1048576
aborted the app (calamine asked for about 550 GB); an 8 MB workbook of styled cells took more
than 8 GB before aborting; a 200 MB CSV was accepted at 1.9 GB peak; a template with a nested
loop hung over 180 s, `'x'*10**9` cost 1.1 GB per render and a 2 MB docx inflating to 2 GiB
used 4.3 GB before refusal; deeply nested rules YAML raised RecursionError.

Memory is sampled every 10 ms from /proc (VmRSS of the app and of every descendant); a child
that lives shorter than that may be missed, so the tree peak is a lower bound. The limits are
the defaults (AUDIT_GUARD_MEMORY_MB 2048, AUDIT_TEMPLATE_MEMORY_MB 512, AUDIT_TEMPLATE_SECONDS
30), except that the `quick` run gives templates 5 seconds.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from audit_app.errors import UserError
from audit_app.services import checklists, indicators, registers
from audit_app.services.documents import templates
from audit_app.services.staffing import commitments, guarded, store
from audit_app.services.staffing.rules import load_rules
from audit_app.services.untrusted import guard
from tests.conftest import ADMIN
from tests.unit.checklists.fixtures import SMALL
from tests.unit.documents.docx_reading import SHIPPED_TEMPLATES, edited_template
from tests.unit.untrusted import hostile

MB = 1024 * 1024
SCHEDULE = {"Schema": [["Datum", "Start", "Slut", "Befattning", "Avdelning"]]}
TEMPLATE = "tjansteskrivelse.docx"
NESTED_LOOP = (
    "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}"
)


# --------------------------------------------------------------------------- memory sampling


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid]
        found += children
        frontier += children
    return found


class Peaks:
    """Peak RSS of this process and of the whole tree below it, while sampling runs."""

    def __init__(self) -> None:
        self.app = 0
        self.tree = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            app = _rss(me)
            tree = app + sum(_rss(p) for p in _descendants(me))
            self.app = max(self.app, app)
            self.tree = max(self.tree, tree)
            self._stop.wait(0.01)

    @contextmanager
    def sampling(self) -> Iterator[Peaks]:
        thread = threading.Thread(target=self._sample, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()


# --------------------------------------------------------------------------- the files


def styled_workbook(path: Path, rows: int, columns: int) -> bytes:
    """An xlsx of empty styled cells with no dimension (written member by member, so the
    benchmark itself stays small): what the declared-size checks cannot see."""
    small = hostile.xlsx(SCHEDULE, dimension=None)
    with (
        zipfile.ZipFile(io.BytesIO(small)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info))
                continue
            with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(
                    b"<?xml version='1.0'?><worksheet xmlns=\"http://schemas.openxmlformats.org/"
                    b'spreadsheetml/2006/main"><sheetData>'
                )
                letters = [hostile.column_letters(c) for c in range(1, columns + 1)]
                for row in range(1, rows + 1):
                    cells = "".join(f'<c r="{x}{row}" s="1"/>' for x in letters)
                    sheet.write(f'<row r="{row}">{cells}</row>'.encode())
                sheet.write(b"</sheetData></worksheet>")
    return path.read_bytes()


def _csv(size_mb: int) -> bytes:
    line = b"2026-11-02;07:00;15:00;Undersk\xc3\xb6terska;Avdelning A\n"
    return line * (size_mb * MB // len(line))


def _word() -> bytes:
    return (SHIPPED_TEMPLATES / TEMPLATE).read_bytes()


# --------------------------------------------------------------------------- the cases


Case = tuple[str, str, Callable[[], bytes], Callable[[bytes], Any]]


def _cases(folder: Path, quick: bool) -> list[Case]:
    styled_rows = 200_000 if quick else 1_048_576

    def schedule(data: bytes, name: str = "schema.xlsx") -> Any:
        # the page: the mapping editor (the sheet's first rows), then the whole file is read
        # for the analysis (`store.save_analysis` calls this reader)
        store.layout_for(data, name)
        return guarded.read_schedule(data, filename=name)

    def schedule_csv(data: bytes) -> Any:
        return schedule(data, "schema.csv")

    def checklist(data: bytes) -> Any:
        return checklists.read_upload(data, "checklista.xlsx")

    def requirements(data: bytes) -> Any:
        return registers.parse_requirements_excel(data, "krav.xlsx")

    def template(data: bytes) -> Any:
        return templates.save_template(ADMIN, TEMPLATE, data)

    return [
        (
            "2 KB xlsx, cell at XFD1048576",
            "checklist import",
            hostile.huge_dimension_xlsx,
            checklist,
        ),
        (
            "2 KB xlsx, cell at XFD1048576",
            "requirement import",
            hostile.huge_dimension_xlsx,
            requirements,
        ),
        ("2 KB xlsx, cell at XFD1048576", "schedule upload", hostile.huge_dimension_xlsx, schedule),
        (
            "2 KB xlsx, cell at XFD1048576, no dimension",
            "schedule upload",
            hostile.far_cell_without_dimension_xlsx,
            schedule,
        ),
        (
            "2 KB xlsx, cell at XFD1048576, no dimension",
            "indicator results import",
            hostile.far_cell_without_dimension_xlsx,
            lambda data: indicators.parse_results(data, "indikatorer.xlsx", []),
        ),
        (
            "declared 1,000,000 x 26 styled cells",
            "checklist import",
            hostile.styled_cells_xlsx,
            checklist,
        ),
        (
            f"styled cells, {styled_rows:,} x 30, no dimension",
            "schedule upload",
            lambda: styled_workbook(folder / "styled.xlsx", styled_rows, 30),
            schedule,
        ),
        ("200 MB CSV", "schedule upload", lambda: _csv(200), schedule_csv),
        ("90 MB CSV, 1.9 million rows", "schedule upload", lambda: _csv(90), schedule_csv),
        (
            "xlsx with a member inflating to 1 GiB",
            "checklist import",
            lambda: hostile.with_bomb(hostile.xlsx(SCHEDULE), "xl/media/image1.png", 1024),
            checklist,
        ),
        ("PDF named .xlsx", "requirement import", lambda: b"%PDF-1.7\n%x", requirements),
        ("Word document named .xlsx", "checklist import", _word, checklist),
        (
            "YAML nested 900 deep",
            "staffing rules",
            lambda: hostile.deep_yaml(900).encode(),
            lambda data: load_rules(data.decode()),
        ),
        (
            "YAML alias bomb (10^9 values)",
            "commitments on the contract page",
            lambda: hostile.alias_bomb_yaml().encode(),
            lambda data: commitments.validate_rules_yaml(data.decode()),
        ),
        (
            "YAML nested 900 deep",
            "checklist import",
            lambda: hostile.deep_yaml(900).encode(),
            lambda data: checklists.read_upload(data, "lista.yaml"),
        ),
        (
            "template, nested loop 10^10",
            "template upload",
            lambda: edited_template(TEMPLATE, {"Sammanfattning": NESTED_LOOP}),
            template,
        ),
        (
            "template, {{ 'x' * 10**9 }}",
            "template upload",
            lambda: edited_template(TEMPLATE, {"Sammanfattning": "{{ 'x' * 10**9 }}"}),
            template,
        ),
        (
            "2 MB docx inflating to 2 GiB",
            "template upload",
            lambda: hostile.with_bomb(_word(), "word/media/image9.png", 2048),
            template,
        ),
    ]


def _normal_read_works() -> bool:
    workbook = checklists.to_excel(checklists.load_yaml(SMALL))
    return bool(checklists.read_upload(workbook, "lista.xlsx").key)


def run(quick: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    saved = {k: os.environ.get(k) for k in ("AUDIT_DATA_DIR", "AUDIT_TEMPLATE_SECONDS")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["AUDIT_DATA_DIR"] = str(folder / "data")
        if quick:
            os.environ["AUDIT_TEMPLATE_SECONDS"] = "5"
        try:
            guard.warm_up()
            _normal_read_works()
            refused = 0
            cases = _cases(folder, quick)
            for name, where, make, call in cases:
                data = make()
                before = _rss(os.getpid())
                started = time.perf_counter()
                with Peaks().sampling() as peaks:
                    try:
                        call(data)
                        message = "ACCEPTED"
                    except UserError as exc:
                        message = exc.message
                seconds = time.perf_counter() - started
                hostile_rss = max(peaks.app - before, 0)
                alive = _normal_read_works()
                ok = message != "ACCEPTED" and alive and hostile_rss < 300 * MB
                refused += message != "ACCEPTED"
                size = f"{len(data) / 1024:,.0f} kB"
                print(f"   {name} ({size}) / {where}: {seconds:.2f} s, {message[:150]}", flush=True)
                label = f"{name} -> {where}"
                rows += [
                    {
                        "name": f"{label}: refused after",
                        "value": round(seconds, 2),
                        "unit": "s",
                        "target": "refused, app reads on",
                        "ok": ok,
                        "message": message,
                        "file_size": size,
                    },
                    {
                        "name": f"{label}: app process gained",
                        "value": round(hostile_rss / MB, 1),
                        "unit": "MB",
                        "target": "< 300 MB",
                        "ok": hostile_rss < 300 * MB,
                    },
                    {
                        "name": f"{label}: process tree peak",
                        "value": round(peaks.tree / MB, 1),
                        "unit": "MB",
                        "target": "-",
                        "ok": True,
                    },
                ]
                del data
            rows.append(
                {
                    "name": "hostile files refused with a Swedish message",
                    "value": refused,
                    "unit": f"of {len(cases)}",
                    "target": f"{len(cases)} of {len(cases)}",
                    "ok": refused == len(cases),
                }
            )
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return rows
