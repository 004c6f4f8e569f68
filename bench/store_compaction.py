"""How much background compaction a build directory's store still owes, and what it costs.

RocksDB (under Oxigraph) merges the files a bulk load ingests in background threads
(``rocksdb:low``). Whatever a build has not merged when it closes the store, the next
process that opens it for writing merges: the first increment after a large first build
pays the first build's leftover compaction. This script opens the store of a build
directory for writing, does nothing else until the store's files have not changed for
``--quiet`` seconds, and then reads the CPU time of the process's RocksDB threads (Linux:
``/proc/self/task``; a thread that ended before is not counted); with ``--optimize`` it
then runs Oxigraph's full compaction
(``Store.optimize``) and reports that too. It changes the store (compaction rewrites its
files, not its quads): run it on a copy.

    cp -a DIR /tmp/copy && python bench/store_compaction.py /tmp/copy [--optimize]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import pyoxigraph as ox


def rocksdb_cpu_seconds() -> float | None:
    """CPU seconds of this process's RocksDB background threads, None where /proc is absent."""
    tasks = Path("/proc/self/task")
    if not tasks.is_dir():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for task in tasks.iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:  # the thread ended meanwhile
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        if name.startswith("rocksdb"):
            fields = stat[stat.rindex(")") + 2:].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _files(store: Path) -> list[tuple[str, int]]:
    return sorted((entry.name, entry.stat().st_size) for entry in os.scandir(store))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="a build directory written by kg build (a copy: it is compacted)")
    parser.add_argument("--quiet", type=float, default=5.0, help="seconds without a file change that end the wait")
    parser.add_argument("--limit", type=float, default=600.0, help="the longest wait, seconds")
    parser.add_argument("--optimize", action="store_true", help="then run Store.optimize (a full compaction)")
    args = parser.parse_args(argv)
    path = args.directory / "store"
    if not path.is_dir():
        sys.exit(f"{path}: no store there (a build directory written by kg build?)")

    start = time.perf_counter()
    store = ox.Store(str(path))
    files, changed = _files(path), start
    while True:
        time.sleep(0.5)
        now = time.perf_counter()
        current = _files(path)
        if current != files:
            files, changed = current, now
        if now - changed >= args.quiet or now - start >= args.limit:
            break
    owed = rocksdb_cpu_seconds()
    print(f"background compaction after opening: {changed - start:.1f} s until the last file change, "
          f"RocksDB threads {'n/a' if owed is None else f'{owed:.1f}'} CPU-s, {len(files)} files, "
          f"{sum(size for _, size in files) / 2**30:.2f} GiB")
    if args.optimize:
        wall, cpu = time.perf_counter(), _cpu()
        store.optimize()
        print(f"Store.optimize: {time.perf_counter() - wall:.1f} s, {_cpu() - cpu:.1f} CPU-s, "
              f"{sum(size for _, size in _files(path)) / 2**30:.2f} GiB after")


if __name__ == "__main__":
    main()
