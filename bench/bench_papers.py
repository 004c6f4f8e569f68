"""Time `kg papers` reading the bundled corpus (target: under 1 second, whole command).

Runs the real command in a fresh process (interpreter start, imports, reading 464
entries, merging to 396 papers, writing JSON Lines) several times, and times
`read_corpus()` in-process too, to tell start-up from reading. Run it on a quiet
machine; with ``--write-doc`` it replaces its section of docs/benchmarks.md.

    python bench/bench_papers.py --repeat 7 --write-doc docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchdoc import replace_section
from kg.corpus import read_corpus

TARGET_SECONDS = 1.0
EXPECTED_PAPERS = 396


def kg_command() -> list[str]:
    """The installed `kg` script next to this interpreter, else the CLI through ``-c``."""
    script = Path(sys.executable).with_name("kg")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from kg.cli import main; main()"]


def time_command(repeat: int) -> list[float]:
    """Wall-clock seconds of ``kg -q papers -o FILE`` runs (each checked for 396 lines)."""
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "papers.jsonl"
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run([*kg_command(), "-q", "papers", "-o", str(out)], check=True)
            timings.append(time.perf_counter() - started)
            lines = out.read_text(encoding="utf-8").count("\n")
            if lines != EXPECTED_PAPERS:
                raise SystemExit(f"kg papers wrote {lines} papers, expected {EXPECTED_PAPERS}")
    return timings


def time_library(repeat: int) -> list[float]:
    """Seconds of ``read_corpus()`` in this process, after one warm-up call."""
    read_corpus()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        corpus = read_corpus()
        timings.append(time.perf_counter() - started)
        assert len(corpus.papers) == EXPECTED_PAPERS
    return timings


def write_doc(path: Path, row: str, command: str) -> None:
    """Replace (or add) this benchmark's section of the benchmarks page."""
    replace_section(path, "bench_papers", (
        "## Corpus ingestion: `kg papers` on the bundled corpus (`bench/bench_papers.py`)\n\n"
        f"Command: `{command}`\n\n"
        "464 entries in 5 listing pages -> 396 papers as JSON Lines. *Command* is the whole process "
        "(interpreter start, imports, read, merge, write); *read_corpus* is the library call alone.\n\n"
        "| date | command best / median | read_corpus best / median | target | machine |\n"
        "|---|---|---|---|---|\n"
        f"{row}\n"
    ))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs to time")
    parser.add_argument("--write-doc", type=Path, default=None, help="update this benchmarks.md")
    args = parser.parse_args(argv)

    command = time_command(args.repeat)
    library = time_library(args.repeat)
    best, median = min(command), statistics.median(command)
    verdict = "met" if median < TARGET_SECONDS else "NOT met"
    print(f"kg papers (whole command): best {best:.3f} s, median {median:.3f} s over {args.repeat} runs")
    print(f"read_corpus() in-process:  best {min(library):.3f} s, median {statistics.median(library):.3f} s")
    print(f"target < {TARGET_SECONDS:.0f} s (median): {verdict}")
    if args.write_doc:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                   f"load {load:.1f}")
        row = (f"| {date.today().isoformat()} | {best:.2f} s / {median:.2f} s "
               f"| {min(library):.2f} s / {statistics.median(library):.2f} s | < {TARGET_SECONDS:.0f} s: {verdict} "
               f"| {machine} |")
        write_doc(args.write_doc, row, f"python bench/bench_papers.py --repeat {args.repeat} --write-doc docs/benchmarks.md")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
