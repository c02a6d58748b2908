"""Run every benchmark module, print a table and write benchmarks/results.json.

Each module `benchmarks/bench_*.py` defines `run(quick: bool) -> list[dict]`, each dict with
`name`, `value`, `unit`, `target` (a human-readable target such as "< 50 ms") and `ok`.
`BENCH_QUICK=1` runs smaller sizes (for a smoke run); `python -m benchmarks NAME...` runs a subset.
"""

import importlib
import json
import os
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    quick = os.environ.get("BENCH_QUICK") == "1"
    wanted = set(argv)
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    results: list[dict] = []
    for name in names:
        if wanted and name.removeprefix("bench_") not in wanted and name not in wanted:
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        started = time.perf_counter()
        print(f"== {name} ...", flush=True)
        for row in module.run(quick):
            row.setdefault("module", name)
            results.append(row)
        print(f"   {time.perf_counter() - started:.1f} s", flush=True)
    width = max((len(r["name"]) for r in results), default=10)
    print()
    print(f"{'benchmark':<{width}}  {'value':>12}  {'unit':<8}  {'target':<16}  ok")
    for r in results:
        value = r["value"]
        shown = f"{value:.4g}" if isinstance(value, float) else str(value)
        print(
            f"{r['name']:<{width}}  {shown:>12}  {r['unit']:<8}  {r['target']:<16}  {'ja' if r['ok'] else 'NEJ'}"
        )
    out = HERE / "results.json"
    if wanted and out.exists():  # keep the rows of the benchmarks not run this time
        kept = [
            r
            for r in json.loads(out.read_text())
            if r.get("module") not in {x["module"] for x in results}
        ]
        results = kept + results
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {out}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
