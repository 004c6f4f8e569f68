"""`BackgroundAnalytics`: `run_analytics` in a helper process while the build writes the store.

On a large build both the analytics (co-mention arrays, betweenness, Louvain, PageRank, the
link files) and the store's last writes (the moved paper graphs, the corpus graph) take
seconds to tens of seconds, and they share nothing: the mention table is known before the
store is written (`kg.graphupdate.update_graph` hands its `kg.mentionsource.MentionSource`
to ``mentions_ready``). The helper (`kg.helperprocess`) gets the source through its stdin,
reads the table, writes the analytics files exactly as `run_analytics` in the build's
process would, and hands the `AnalyticsRun` back through its stdout (a large result's
links travel as arrays: `kg.analytics.linkarrays.RankedLinks`). A helper that cannot start or
fails leaves the work to the caller (`finish` gives None).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path

from kg.helperprocess import start_helper
from kg.mentionsource import MentionSource

__all__ = ["BackgroundAnalytics", "BACKGROUND_PAPERS"]

log = logging.getLogger("kg")

# Below this many papers the analytics take a second or two: not worth a second interpreter.
BACKGROUND_PAPERS = 10_000


class BackgroundAnalytics:
    """One `run_analytics` of a `kg.mentionsource.MentionSource`'s table into ``out``, in a helper process.

    `start` hands the table over (the helper starts then, or at construction with
    ``prestart``: its imports run meanwhile); `finish` waits and gives the helper's
    `AnalyticsRun`, or None when the caller is to run the analytics itself (no helper
    started, or it failed: it says why on stderr). Use it as a context manager: a helper
    still running when the block ends on an error is stopped, and so is one that got no job.
    ``keep_result=False``: the run comes back without its `AnalyticsResult` (``result`` is
    None), for a caller that draws no view from it (at 100,000 papers its pickling and
    unpickling cost half a second at the end of the build).
    """

    def __init__(self, out: str | Path, *, seed: int, base_iri: str | None, prestart: bool = False,
                 keep_result: bool = True):
        self.out, self.seed, self.base_iri, self.keep_result = Path(out), seed, base_iri, keep_result
        self._helper: subprocess.Popen | None = None
        self._idle: subprocess.Popen | None = None  # started, no job yet
        if prestart:  # its imports, the stored mention rows and their count run while the build reads, extracts and resolves
            self._idle = _start(str(self.out))

    def start(self, source: MentionSource) -> None:
        """Hand the table of ``source`` to the helper (started now unless ``prestart``); when
        none starts, nothing happens (`finish` gives None)."""
        if self._helper is not None:
            raise RuntimeError("this BackgroundAnalytics has started already")
        helper, self._idle = self._idle or _start(), None
        if helper is None:
            return
        try:
            pickle.dump((str(self.out), self.seed, self.base_iri, source, self.keep_result), helper.stdin,
                        protocol=pickle.HIGHEST_PROTOCOL)
            helper.stdin.close()
        except OSError:  # the helper is gone (it says why on stderr): the caller runs the analytics
            log.warning("the analytics helper process ended early: the analytics run in this process")
            helper.kill()
            helper.wait()
            return
        self._helper = helper

    @property
    def started(self) -> bool:
        """Whether a helper has the job (`finish` will wait for it)."""
        return self._helper is not None

    def finish(self):
        """Wait for the helper: its `kg.analytics.run.AnalyticsRun`, or None (the caller runs the analytics)."""
        self._stop_idle()
        helper, self._helper = self._helper, None
        if helper is None:
            return None
        data = helper.stdout.read()
        helper.stdout.close()
        status = helper.wait()
        if status != 0 or not data:
            log.warning("the analytics helper process failed (exit status %d): the analytics run in this process",
                        status)
            return None
        return pickle.loads(data)

    def __enter__(self) -> "BackgroundAnalytics":
        return self

    def _stop_idle(self) -> None:
        """A prestarted helper that got no job is stopped: it writes nothing before its job,
        and is not waited for while it reads and counts the stored rows."""
        idle, self._idle = self._idle, None
        if idle is not None:
            idle.kill()
            idle.stdin.close()
            idle.stdout.close()
            idle.wait()

    def __exit__(self, kind, error, trace) -> None:
        self._stop_idle()
        helper, self._helper = self._helper, None
        if helper is not None:
            if kind is not None:  # the build failed: its analytics are not wanted
                helper.kill()
            helper.stdout.close()
            helper.wait()


def _start(*out: str) -> subprocess.Popen | None:
    return start_helper("kg.analytics.background", "_serve", *out, stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def _serve(prestarted_in: str | None = None) -> None:
    """The helper's side: read the job from stdin, run the analytics, write the run to stdout.

    A helper started before its job in the build directory ``prestarted_in`` reads its stored
    mention rows first (`kg.mentionsource.MentionSource.table` says when they serve) and
    counts their co-mentions (`kg.analytics.paircounts`), which the job's count then updates."""
    # igraph's drawing code imports matplotlib when it is installed (a CPU-second): this
    # process draws nothing, so igraph is told there is none.
    sys.modules.setdefault("matplotlib", None)
    import igraph  # noqa: F401  (a helper's graph is large: measured in igraph, imported before the job comes)

    from kg.analytics.paircounts import count_pairs
    from kg.analytics.run import run_analytics
    from kg.mentionsource import stored_rows

    stored = counts = None
    if prestarted_in is not None:
        try:
            stored = stored_rows(prestarted_in)
        except sqlite3.Error:  # no state to read yet: the job's table reads it
            pass
        else:
            # While the build reads, extracts and resolves: the job's table differs from the stored
            # rows by its few new and changed papers, whose counts are then all that is counted.
            counts = count_pairs({paper: mentioned for paper, _, mentioned in stored.values()})

    result_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else printed goes to stderr, not into the pickled run
    try:
        out, seed, base_iri, source, keep_result = pickle.load(sys.stdin.buffer)
    except EOFError:  # prestarted, then not needed
        _leave()
    table = source.table(stored)
    del stored
    if table is None:
        raise SystemExit(f"{out}: a paper graph has no stored mention row")
    run = run_analytics(None, out=out, seed=seed, base_iri=base_iri, into_graph=False, table=table, counts=counts)
    if not keep_result:  # only the files and headline figures are wanted: no pickling of every link and score
        run = dataclasses.replace(run, result=None)
    with result_out:
        pickle.dump(run, result_out, protocol=pickle.HIGHEST_PROTOCOL)
    _leave()


def _leave() -> None:
    """End the helper without the interpreter's teardown of its heap (the stored rows, the
    table, the counts: a third of a second at 100,000 papers, which the build would wait
    for). Its files are closed and in place, its result written, its children reaped."""
    sys.stderr.flush()
    os._exit(0)
