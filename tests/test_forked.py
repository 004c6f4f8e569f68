"""`kg.analytics.forked`: a computation in a forked child gives what it gives in this process,
and the large-graph analytics give the same results with Louvain and the trends forked."""

from __future__ import annotations

import importlib
import os
import threading

import pytest

from kg.analytics import analyze_mentions
from kg.analytics.forked import Forked, can_fork
from test_analytics_linkarrays import table  # noqa: F401  (the 800-entity fixture)

linux_only = pytest.mark.skipif(not can_fork(), reason="forks only on Linux without other threads")


def _child_pid(_: int) -> int:
    return os.getpid()


def _fails_in_child(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("only in the child")
    return "computed here"


@linux_only
def test_the_child_computes_and_hands_back_the_value():
    forked = Forked(_child_pid, 0)
    assert forked.forked
    assert forked.result() != os.getpid()  # another process computed it
    assert Forked(sorted, {3, 1, 2}, reverse=True).result() == [3, 2, 1]


@linux_only
def test_a_failing_child_leaves_the_work_to_this_process(caplog):
    forked = Forked(_fails_in_child, os.getpid())
    assert forked.forked
    assert forked.result() == "computed here"
    assert "only in the child" in caplog.text


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
def test_forked_louvain_and_trends_equal_the_same_in_one_process(table, monkeypatch):  # noqa: F811
    module = importlib.import_module("kg.analytics.analyze")  # the package's `analyze` is the function
    monkeypatch.setattr(module, "FORK_LINKS", 10**12)
    alone = analyze_mentions(table, seed=5)
    forks = []
    real = module.Forked
    monkeypatch.setattr(module, "Forked", lambda *a, **k: forks.append(real(*a, **k)) or forks[-1])
    monkeypatch.setattr(module, "FORK_LINKS", 0)
    forked = analyze_mentions(table, seed=5)
    assert [f.forked for f in forks] == [True]
    assert forked.concepts == alone.concepts
    assert forked.communities == alone.communities
    assert forked.trends == alone.trends and forked.rising == alone.rising
    assert forked.to_json() == alone.to_json()
