"""RocksDB's compaction threads run at the lowest priority during an increment of a large build."""

from __future__ import annotations

import os
import sys

import pyoxigraph
import pytest

import kg.compaction
from kg.analytics import background
from kg.build import build
from kg.compaction import COMPACTION_THREAD, compaction_threads, lower_compaction_priority
from scalefixtures import bundled_papers, quads, write_papers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="thread priorities are set through /proc/self/task")


def _name(thread: int) -> str:
    return open(f"/proc/self/task/{thread}/comm").read().strip()


@linux
def test_only_the_compaction_threads_get_the_lowest_priority(tmp_path):
    store = pyoxigraph.Store(str(tmp_path / "store"))  # RocksDB starts its thread pools on open
    try:
        threads = compaction_threads()
        assert threads and all(_name(t).startswith(COMPACTION_THREAD) for t in threads)
        others = [int(t) for t in os.listdir("/proc/self/task") if int(t) not in threads]
        before = {t: os.getpriority(os.PRIO_PROCESS, t) for t in others}
        assert lower_compaction_priority() == len(threads)
        assert {os.getpriority(os.PRIO_PROCESS, t) for t in threads} == {19}
        # the calling thread, RocksDB's flush threads ("rocksdb:high") and the rest keep theirs
        assert {t: os.getpriority(os.PRIO_PROCESS, t) for t in others if os.path.exists(f"/proc/self/task/{t}")} == \
            {t: p for t, p in before.items() if os.path.exists(f"/proc/self/task/{t}")}
        assert any(_name(t) == "rocksdb:high" for t in others)
    finally:
        del store


def test_no_thread_of_another_name_is_touched():
    assert compaction_threads("no thread is named like this") == []
    assert lower_compaction_priority(prefix="no thread is named like this") == 0


def test_an_increment_of_a_large_build_lowers_the_priority_and_equals_a_fresh_build(tmp_path, monkeypatch):
    papers = bundled_papers()
    calls = []
    real = kg.compaction.lower_compaction_priority
    monkeypatch.setattr(kg.compaction, "lower_compaction_priority", lambda *a, **k: calls.append(a) or real(*a, **k))
    monkeypatch.setattr(background, "BACKGROUND_PAPERS", 5)  # 5 stored paper graphs make a "large" build
    first = write_papers(tmp_path / "first.jsonl", papers[:6])
    extra = write_papers(tmp_path / "extra.jsonl", papers[6:9])
    out = tmp_path / "grown"
    build(inputs=[str(first)], out=out, profile="fast", view=False)
    assert calls == []  # a first build: no backlog to hold back, nothing to run beside
    result = build(inputs=[str(first), str(extra)], out=out, profile="fast", view=False)
    assert result.extracted == 3 and len(calls) == 1
    fresh = tmp_path / "fresh"
    build(inputs=[str(first), str(extra)], out=fresh, profile="fast", view=False)
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")
