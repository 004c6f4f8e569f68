"""Time notebooks/walkthrough.ipynb run top to bottom (target: under 2 minutes on 2 cores).

The notebook is executed by nbclient in a fresh kernel, as ``tests/test_notebook.py``
does; the wall time covers kernel start-up and every cell. With ``--write-doc`` the
result goes into its own section of docs/benchmarks.md.

Usage::

    python bench/bench_notebook.py --repeat 2 --write-doc docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchdoc import replace_section  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "walkthrough.ipynb"
TARGET_SECONDS = 120.0


def run_once() -> tuple[float, list[tuple[int, float]]]:
    """Wall seconds of one run, and the slowest cells (number, seconds)."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    started = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - started
    cells = []
    for number, cell in enumerate(notebook.cells, start=1):
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type == "code" and "shell.execute_reply" in timing:
            begin = datetime.datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
            cells.append((number, (end - begin).total_seconds()))
    return wall, sorted(cells, key=lambda c: -c[1])[:3]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--write-doc", type=Path, help="docs/benchmarks.md to update")
    args = parser.parse_args(argv)
    runs = [run_once() for _ in range(args.repeat)]
    walls = [wall for wall, _ in runs]
    best, median = min(walls), statistics.median(walls)
    slowest = ", ".join(f"cell {n} {s:.1f} s" for n, s in runs[walls.index(best)][1])
    met = "met" if median < TARGET_SECONDS else "NOT met"
    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
               f"load {os.getloadavg()[0]:.1f}")
    print(f"walkthrough: best {best:.1f} s, median {median:.1f} s over {len(walls)} runs ({slowest}); target {met}")
    if args.write_doc:
        replace_section(args.write_doc, "bench_notebook", f"""
## Walkthrough notebook, top to bottom (`bench/bench_notebook.py`)

Command: `python bench/bench_notebook.py --repeat {args.repeat} --write-doc docs/benchmarks.md`
(nbclient, fresh kernel; `kg.build.build` of the bundled corpus with the `fast` profile, analytics,
SPARQL, the pyvis view and two exports).

| date | best / median | slowest cells | target | machine |
|---|---|---|---|---|
| {datetime.date.today().isoformat()} | {best:.1f} s / {median:.1f} s | {slowest} | < {TARGET_SECONDS:.0f} s: {met} | {machine} |
""")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
