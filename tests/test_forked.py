"""`kg.analytics.forked`: a computation in a forked child gives what it gives in this process,
and the large-graph analytics give the same results with Louvain and the trends forked.

The forking checks run in a fresh interpreter: earlier tests leave threads in this one (the
store's bulk-load thread), and `Forked` never forks beside another thread.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import random
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

import pytest

from kg.analytics.forked import Forked, can_fork

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")


def _child_pid(_: int) -> int:
    return os.getpid()


def _fails_in_child(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("only in the child")
    return "computed here"


def _fresh(function):
    """``function()`` in a new interpreter (no other thread there)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function).result()


def _child_computes() -> tuple:
    forked = Forked(_child_pid, 0)
    return forked.forked, forked.result() != os.getpid(), Forked(sorted, {3, 1, 2}, reverse=True).result()


def _failing_child() -> tuple:
    forked = Forked(_fails_in_child, os.getpid())
    return forked.forked, forked.result()


def _table():
    """800 entities over 1,500 papers, Zipf-like, with clusters and dates: the array route."""
    from kg.analytics.mentions import MentionTable

    rng = random.Random(7)
    entities = [f"urn:e{i:04d}" for i in range(800)]
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(entities))]
    papers, dates = {}, {}
    for p in range(1500):
        local = entities[rng.randrange(8)::8]
        papers[f"urn:p{p:05d}"] = set(rng.choices(entities, weights, k=rng.randint(0, 4))) | set(
            rng.sample(local, rng.randint(0, 5)))
        dates[f"urn:p{p:05d}"] = f"{2019 + p % 6}-{1 + p % 12:02d}"
    return MentionTable.from_lists(papers, dates=dates)


def _forked_and_alone() -> tuple:
    module = importlib.import_module("kg.analytics.analyze")  # the package's `analyze` is the function
    table = _table()
    module.FORK_LINKS = 10**12
    alone = module.analyze_mentions(table, seed=5)
    forks = []
    real = module.Forked
    module.Forked = lambda *a, **k: forks.append(real(*a, **k)) or forks[-1]
    module.FORK_LINKS = 0
    forked = module.analyze_mentions(table, seed=5)
    return [f.forked for f in forks], alone, forked


@linux_only
def test_the_child_computes_and_hands_back_the_value():
    assert _fresh(_child_computes) == (True, True, [3, 2, 1])


@linux_only
def test_a_failing_child_leaves_the_work_to_this_process():
    assert _fresh(_failing_child) == (True, "computed here")


def test_no_fork_when_asked_not_to_or_beside_another_thread():
    assert not Forked(_child_pid, 0, fork=False).forked
    assert Forked(_child_pid, 0, fork=False).result() == os.getpid()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
        forked = Forked(_child_pid, 0)
        assert not forked.forked and forked.result() == os.getpid()
    finally:
        stop.set()
        other.join()


@linux_only
def test_forked_louvain_and_trends_equal_the_same_in_one_process():
    forks, alone, forked = _fresh(_forked_and_alone)
    assert forks == [True, True]  # the trends, then Louvain
    assert forked.concepts == alone.concepts and len(alone.concepts) > 700
    assert forked.communities == alone.communities
    assert forked.trends == alone.trends and forked.rising == alone.rising
    assert forked.to_json() == alone.to_json()
