"""RocksDB's compactions at the lowest CPU priority while an increment's own work runs.

A store that a large build bulk-loaded keeps a compaction backlog: RocksDB merges its
sorted files in background threads (named ``rocksdb:low``) for as long as the store is
open, on every later open, and a build closes the store before the backlog is done. On
the 2-core machine those merges took 7 to 9 CPU-seconds of a 20-second increment of a
100,000-paper build, at the same time as the analytics, the link files and the store's
writes that the build waits for. The merges are not part of the increment: a store is
complete and correct whatever its backlog (RocksDB only reads more files per lookup).

`lower_compaction_priority` gives those threads the lowest priority (nice 19), so they
take the CPU the build leaves idle and no more; flushes (``rocksdb:high``), which writes
wait for, keep theirs. Linux only (a thread's priority is set by its id, listed in
``/proc/self/task``); elsewhere nothing changes.

Examples
--------
>>> import pathlib, tempfile, pyoxigraph
>>> store = pyoxigraph.Store(str(pathlib.Path(tempfile.mkdtemp()) / "store"))
>>> lower_compaction_priority() >= 0
True
>>> del store
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["COMPACTION_THREAD", "LOWEST_PRIORITY", "compaction_threads", "lower_compaction_priority"]

COMPACTION_THREAD = "rocksdb:low"  # RocksDB's name for the threads of its low-priority pool: compactions
LOWEST_PRIORITY = 19
_TASKS = Path("/proc/self/task")


def compaction_threads(prefix: str = COMPACTION_THREAD) -> list[int]:
    """Ids of this process's threads whose name starts with ``prefix`` (empty where threads are not listed)."""
    found = []
    try:
        tasks = list(_TASKS.iterdir())
    except OSError:  # not Linux
        return found
    for task in tasks:
        try:
            if (task / "comm").read_text().startswith(prefix):
                found.append(int(task.name))
        except (OSError, ValueError):  # the thread ended meanwhile
            continue
    return found


def lower_compaction_priority(niceness: int = LOWEST_PRIORITY, *, prefix: str = COMPACTION_THREAD) -> int:
    """Give every thread named ``prefix`` of this process the priority ``niceness``; returns how
    many threads changed. RocksDB starts its pools when a store opens: call it after opening.

    Raising a thread's niceness needs no privilege; a thread that ends meanwhile is skipped.
    """
    if not hasattr(os, "setpriority"):
        return 0
    changed = 0
    for thread in compaction_threads(prefix):
        try:
            os.setpriority(os.PRIO_PROCESS, thread, niceness)  # on Linux, PRIO_PROCESS with a thread id: that thread
        except OSError:
            continue
        changed += 1
    return changed
