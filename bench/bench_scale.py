"""Scale: full and incremental builds of synthetic corpora, and extraction throughput by executor.

Targets (issue 9): 100,000 synthetic abstracts build end to end (``fast``) in < 10 min
with peak memory < 4 GB on the 2-core machine; adding 1,000 papers to a 100,000-paper
build takes < 5 % of the full build; the ``accurate`` throughput with 1 and 2 worker
processes and with a 2-worker Dask LocalCluster.

    python bench/bench_scale.py build --papers 5000 --profile fast --write-doc docs/benchmarks.md
    python bench/bench_scale.py increment --papers 5000 --add 50 --write-doc docs/benchmarks.md
    python bench/bench_scale.py throughput --papers 600 --profile accurate --write-doc docs/benchmarks.md

``build`` and ``increment`` run ``kg build`` in a fresh process (as a user would) and
report wall time, CPU time (all processes), the peak memory of the process tree (sum of
the resident sets, sampled every 0.2 s) and the build's stage timings (``build.json``).
``increment`` builds N papers, then N + ADD (the same N plus ADD new ones) into the same
directory; with ``--increments K`` it adds ADD papers K times (all drawn from one generated
corpus of N + K x ADD papers: later increments meet the names earlier ones brought, as a
growing corpus does) and reports each; ``--foreign F`` then adds ADD papers F more times from
a corpus of another seed (``--foreign-seed``), whose names the build has mostly not seen: each
such increment brings new entities and moves more IRIs. ``throughput`` times extraction alone (`kg.parallel`, `kg.distributed`),
pipeline loading included, on the same synthetic papers for each executor. Every run
appends a row to ``bench/scale_results.jsonl``; ``--write-doc`` rewrites the section of
docs/benchmarks.md from all rows.

A build directory re-extracts everything when the extractor's files change (see
`kg.buildstate.extractor_version`); in a working tree others are editing, run the
benchmark from a snapshot so that the code stays put between the two builds of
``increment``::

    git archive HEAD | tar -x -C /tmp/kgsnap && cd /tmp/kgsnap && \
        python bench/bench_scale.py increment ... --results $REPO/bench/scale_results.jsonl
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil  # a dependency of dask.distributed (the dask extra)

from benchdoc import replace_section  # noqa: E402  (bench/ is the script's directory)

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "scale_results.jsonl"
sys.path.insert(0, str(HERE))


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"


def _corpus(papers: int, seed: int, folder: Path) -> Path:
    from synthetic_corpus import generate

    path = folder / f"synthetic-{papers}-{seed}.jsonl"
    if not path.exists():
        generate(papers, path, seed=seed)
    return path


def _run_build(inputs: list[Path], out: Path, *options: str) -> dict:
    """``kg build`` in a new process: wall, CPU, peak tree RSS, and its build.json."""
    command = [sys.executable, "-c", "from kg.cli import main; main()", "-q", "build", *map(str, inputs),
               "--out", str(out), "--no-view", *options]
    started = time.perf_counter()
    process = psutil.Popen(command)
    peak, cpu = 0, {}
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
            for p in tree:
                times = p.cpu_times()
                cpu[p.pid] = times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            pass
        time.sleep(0.2)
    wall = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"kg build failed ({process.returncode}): {' '.join(command)}")
    summary = json.loads((out / "build.json").read_text())
    return {"wall_s": round(wall, 1), "cpu_s": round(sum(cpu.values()), 1), "peak_rss_mb": round(peak / 2**20),
            "stages": dict(summary["stages"]), "papers": summary["papers"], "triples": summary["triples"],
            "extracted": summary["extracted"], "graphs_rewritten": summary.get("graphs_rewritten")}


def bench_build(args, work: Path) -> dict:
    source = _corpus(args.papers, args.seed, work)
    options = ["--profile", args.profile, "--workers", str(args.workers)] + (["--dask", args.dask] if args.dask else [])
    row = _run_build([source], work / "out", *options)
    return {"mode": "build", "profile": args.profile, "workers": args.workers, "dask": args.dask, **row}


def bench_increment(args, work: Path) -> dict:
    if args.increments < 1:
        raise SystemExit("--increments must be at least 1")
    grown = _corpus(args.papers + args.increments * args.add, args.seed, work)
    base = work / f"base-{args.papers}.jsonl"
    extras = [work / f"extra-{args.add}-{k + 1}.jsonl" for k in range(args.increments)]
    with open(grown, encoding="utf-8") as lines, contextlib.ExitStack() as files:
        parts = [files.enter_context(open(path, "w", encoding="utf-8")) for path in (base, *extras)]
        for index, line in enumerate(lines):
            parts[0 if index < args.papers else 1 + (index - args.papers) // args.add].write(line)
    foreign = _foreign_papers(args, work)
    options = ["--profile", args.profile, "--workers", str(args.workers)]
    full = _run_build([base], work / "out", *options)
    added = [_run_build([base, *extras[:k + 1]], work / "out", *options) for k in range(args.increments)]
    added_foreign = [_run_build([base, *extras, *foreign[:k + 1]], work / "out", *options) for k in range(len(foreign))]
    row = {"mode": "increment", "profile": args.profile, "workers": args.workers, "add": args.add,
           "full": full, "increment": added[0], "ratio": round(added[0]["wall_s"] / full["wall_s"], 3)}
    if args.increments > 1:
        row["later"] = added[1:]
    if foreign:
        row["foreign"] = added_foreign
        row["foreign_seed"] = args.foreign_seed
    return row


def _foreign_papers(args, work: Path) -> list[Path]:
    """``--foreign K``: K files of ADD papers from another seed's corpus (its own draw of names, so
    each brings names the build has not seen), numbered after the grown corpus (January 2026 on)."""
    if not args.foreign:
        return []
    total = args.foreign * args.add
    source = _corpus(total, args.foreign_seed, work)
    paths = [work / f"foreign-{args.foreign_seed}-{args.add}-{k + 1}.jsonl" for k in range(args.foreign)]
    with open(source, encoding="utf-8") as lines, contextlib.ExitStack() as files:
        parts = [files.enter_context(open(path, "w", encoding="utf-8")) for path in paths]
        for index, line in enumerate(lines):
            paper = json.loads(line)
            paper["arxiv_id"] = f"2601.{index:05d}"
            paper["date"] = f"2026-01-{1 + index * 28 // total:02d}"
            parts[index // args.add].write(json.dumps(paper, ensure_ascii=False) + "\n")
    return paths


def _cpu_seconds() -> float:
    """CPU time of this process and its reaped descendants (worker processes, Dask nannies and workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_throughput(args, work: Path) -> dict:
    from kg.corpus import read_corpus
    from kg.parallel import batched, extract_batches

    papers = read_corpus([_corpus(args.papers, args.seed, work)]).papers
    items = [(p.id, p.title, p.abstract) for p in papers]
    rates = {}
    for name, workers, dask in (("1 process", 1, None), ("2 processes", 2, None), ("Dask LocalCluster, 2 workers", 2, "local")):
        started, cpu_before = time.perf_counter(), _cpu_seconds()
        if dask:
            from kg.distributed import extract_batches_dask

            done = extract_batches_dask(batched(items, args.batch_size), profile=args.profile, address=dask, workers=workers)
        else:
            done = extract_batches(batched(items, args.batch_size), profile=args.profile, workers=workers)
        count = sum(len(batch) for batch in done)
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_before
        rates[name] = {"papers": count, "seconds": round(seconds, 1), "papers_per_s": round(count / seconds, 1),
                       "cpu_s": round(cpu, 1), "papers_per_cpu_s": round(count / cpu, 1)}
    return {"mode": "throughput", "profile": args.profile, "batch_size": args.batch_size, "rates": rates}


def _table(rows: list[dict]) -> str:
    lines = ["## Scale: synthetic corpora, incremental builds, parallel extraction (`bench/bench_scale.py`)", "",
             "Synthetic abstracts from `bench/synthetic_corpus.py` (sentences of the bundled corpus refilled with "
             "Zipf-distributed names). Builds run `kg build --no-view` in a fresh process; *CPU* sums all its "
             "processes; *peak* is the resident memory of the process tree. The 2-core development machine is "
             "shared with other engineers (load in the last column), so wall times are pessimistic; CPU times are not.",
             "", "| date | what | papers | wall | CPU | peak memory | stages (s) | machine | command |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        stages = ", ".join(f"{k} {v:.0f}" for k, v in row.get("stages", {}).items())
        if row["mode"] == "build":
            what = f"full build, {row['profile']}, " + (f"Dask {row['dask']} {row['workers']} workers" if row["dask"]
                                                       else f"{row['workers']} process(es)")
            lines.append(f"| {row['date']} | {what} | {row['papers']:,} ({row['triples']:,} quads) | {row['wall_s']:.0f} s | "
                         f"{row['cpu_s']:.0f} s | {row['peak_rss_mb']:,} MB | {stages} | {row['machine']} | `{row['command']}` |")
        elif row["mode"] == "increment":
            full, increments = row["full"], [row["increment"], *row.get("later", ()), *row.get("foreign", ())]
            regular = 1 + len(row.get("later", ()))
            note = f" ({row['note']})" if row.get("note") else ""
            parts = [(f"full build{note}", full)]
            parts += [(f"+{row['add']:,} papers " + ("(incremental)" if k == 1 else f"more (increment {k})")
                       + (f" from seed {row.get('foreign_seed')}" if k > regular else "") + note, inc)
                      for k, inc in enumerate(increments, 1)]
            for label, part in parts:
                stages = ", ".join(f"{k} {v:.0f}" for k, v in part["stages"].items())
                rewritten = f" ({part['graphs_rewritten']:,} paper graphs written)" if part.get("graphs_rewritten") is not None and part is not full else ""
                lines.append(f"| {row['date']} | {label}, {row['profile']} | {part['papers']:,}{rewritten} | {part['wall_s']:.0f} s | "
                             f"{part['cpu_s']:.0f} s | {part['peak_rss_mb']:,} MB | {stages} | {row['machine']} | `{row['command']}` |")
            for k, inc in enumerate(increments, 1):
                lines.append(f"| {row['date']} | increment{'' if k == 1 else f' {k}'} / full | | **{inc['wall_s'] / full['wall_s']:.1%}** wall, "
                             f"{inc['cpu_s'] / max(full['cpu_s'], 1):.1%} CPU | | | | | |")
        else:
            for name, rate in row["rates"].items():
                per_cpu = (f"{rate['cpu_s']:.0f} s ({rate['papers_per_cpu_s']:.1f} papers per CPU-second)"
                           if "cpu_s" in rate else "")
                lines.append(f"| {row['date']} | extraction, {row['profile']}, {name} | {rate['papers']:,} | "
                             f"{rate['seconds']:.0f} s (**{rate['papers_per_s']:.1f} papers/s**) | {per_cpu} | | "
                             f"pipeline loading included | {row['machine']} | `{row['command']}` |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("build", "increment", "throughput"))
    parser.add_argument("--papers", type=int, default=5000)
    parser.add_argument("--add", type=int, default=50)
    parser.add_argument("--increments", type=int, default=1, help="add --add papers this many times (increment)")
    parser.add_argument("--foreign", type=int, default=0,
                        help="then add --add papers this many more times from another seed's corpus (new names)")
    parser.add_argument("--foreign-seed", type=int, default=1, help="the seed of the --foreign papers (increment)")
    parser.add_argument("--profile", choices=("fast", "accurate"), default="fast")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--dask", default=None)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=None, help="working directory (default: a temporary one)")
    parser.add_argument("--write-doc", type=Path, default=None)
    parser.add_argument("--results", type=Path, default=RESULTS, help="rows of all runs (JSON Lines)")
    parser.add_argument("--note", default=None, help="what this run measures (the code it ran, say), shown in the table")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work / "out", ignore_errors=True)
    runner = {"build": bench_build, "increment": bench_increment, "throughput": bench_throughput}[args.mode]
    row = runner(args, work)
    if args.note:
        row["note"] = args.note
    row |= {"date": datetime.date.today().isoformat(), "machine": _machine(),
            "command": "python bench/bench_scale.py " + " ".join(argv if argv is not None else sys.argv[1:])}
    print(json.dumps(row, indent=2))
    with open(args.results, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
    if args.write_doc:
        rows = [json.loads(line) for line in args.results.open(encoding="utf-8") if line.strip()]
        replace_section(args.write_doc, "bench_scale", _table(rows))


if __name__ == "__main__":
    main()
