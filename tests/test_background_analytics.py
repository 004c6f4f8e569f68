"""The analytics of a large build run in a helper process beside the store's last writes: the
same files as in the build's process, from the mention table `update_graph` hands over
before it writes, which is the table of the store it leaves."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import kg.analytics.background as background
from kg.analytics.mentions import read_mentions
from kg.atomic import atomic_write
from kg.build import build
from kg.buildstate import BuildState
from kg.graphupdate import open_store, update_graph
from kg.iris import ResourceIRIs
from kg.mentionsource import stored_rows
from kg.vocab import resolve_base_iri
from scalefixtures import bundled_papers, changed_text, write_papers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

_START = background.BackgroundAnalytics.start
ANALYTICS_FILES = ("report.md", "analytics.json", "concepts.csv", "comentions.csv", "communities.csv", "trends.csv",
                   "analytics.ttl")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("background")
    papers = bundled_papers()[:40]
    return write_papers(root / "first.jsonl", papers[:30]), write_papers(
        root / "second.jsonl", [changed_text(p) if i == 3 else p for i, p in enumerate(papers)])


def _build(inputs, out, monkeypatch, *, least_papers, view=True):
    monkeypatch.setattr(background, "BACKGROUND_PAPERS", least_papers)
    started = []
    monkeypatch.setattr(background.BackgroundAnalytics, "start",
                        lambda self, source: (started.append(source.papers), _START(self, source)))
    result = None
    for path in inputs:  # a first build, then an increment with a changed and ten new papers
        result = build(inputs=[str(path)], out=out, profile="fast", view=view, graph_files=False)
    return result, started


def _files(out):
    return {name: (out / name).read_bytes() for name in ANALYTICS_FILES}


def test_the_helper_writes_what_the_build_writes(inputs, tmp_path, monkeypatch):
    here, started_here = _build(inputs, tmp_path / "here", monkeypatch, least_papers=10**9)
    helper, started = _build(inputs, tmp_path / "helper", monkeypatch, least_papers=1)
    assert started_here == [] and started == [30, 40]
    assert _files(tmp_path / "helper") == _files(tmp_path / "here")
    assert (helper.top_concepts, helper.top_links, helper.entities) == (here.top_concepts, here.top_links, here.entities)
    assert (tmp_path / "helper" / "graph.html").stat().st_size > 1000  # drawn from the helper's result


def test_a_run_of_several_steps_runs_its_analytics_after_them(inputs, tmp_path, monkeypatch):
    """A big run's table is complete after its paper graphs: no helper beside its memory peak."""
    import kg.graphupdate

    _build(inputs, tmp_path / "here", monkeypatch, least_papers=10**9)
    monkeypatch.setattr(kg.graphupdate, "_STEP", 7)  # 30, then 11 papers to write: several steps each
    _, started = _build(inputs, tmp_path / "steps", monkeypatch, least_papers=1)
    assert started == []
    assert _files(tmp_path / "steps") == _files(tmp_path / "here")


def test_a_failing_helper_leaves_the_analytics_to_the_build(inputs, tmp_path, monkeypatch, caplog):
    _build(inputs[:1], tmp_path / "here", monkeypatch, least_papers=10**9)
    # a helper that takes its job, then fails (one that exits before its job is written may not be started at all)
    monkeypatch.setattr(background, "_start", lambda *out: subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.buffer.read(); sys.exit(1)"], stdin=subprocess.PIPE, stdout=subprocess.PIPE))
    _, started = _build(inputs[:1], tmp_path / "failed", monkeypatch, least_papers=1)
    assert started == [30]
    assert "the analytics run in this process" in caplog.text
    assert _files(tmp_path / "failed") == _files(tmp_path / "here")


def test_without_a_view_the_store_is_closed_before_the_helper_is_waited_for(inputs, tmp_path, monkeypatch, caplog):
    """Nothing reads the store after the graph stage: it is closed while the helper finishes (and
    opened again when the helper fails and the build runs the analytics itself)."""
    import kg.graphupdate

    opened = []
    original = kg.graphupdate.open_store
    monkeypatch.setattr("kg.graphupdate.open_store", lambda *a, **k: (opened.append(1), original(*a, **k))[1])
    _build(inputs, tmp_path / "here", monkeypatch, least_papers=10**9, view=False)
    assert len(opened) == 2  # one store per build
    runs = []
    finish = background.BackgroundAnalytics.finish
    monkeypatch.setattr(background.BackgroundAnalytics, "finish", lambda self: (runs.append(finish(self)), runs[-1])[1])
    helped, started = _build(inputs, tmp_path / "helper", monkeypatch, least_papers=1, view=False)
    assert started == [30, 40] and _files(tmp_path / "helper") == _files(tmp_path / "here")
    assert len(opened) == 4
    # nothing drawn: the helper hands back the files and headline figures, not the whole result
    assert [run.result for run in runs] == [None, None] and runs[-1].entities == helped.entities > 100
    assert runs[-1].top_concepts == helped.top_concepts and len(helped.top_concepts) == 10
    monkeypatch.setattr(background.BackgroundAnalytics, "finish", finish)
    # a helper that takes its job, then fails (one that exits before its job is written may not be started at all)
    monkeypatch.setattr(background, "_start", lambda *out: subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.buffer.read(); sys.exit(1)"], stdin=subprocess.PIPE, stdout=subprocess.PIPE))
    _, started = _build(inputs[:1], tmp_path / "failed", monkeypatch, least_papers=1, view=False)
    assert started == [30] and "the analytics run in this process" in caplog.text
    assert len(opened) == 6  # closed for the helper, opened again for the build's own analytics
    _build(inputs[:1], tmp_path / "here-first", monkeypatch, least_papers=10**9, view=False)
    assert _files(tmp_path / "failed") == _files(tmp_path / "here-first")


def _store_table(out):
    iris = ResourceIRIs(resolve_base_iri(None))
    with open_store(out, base_iri=iris.base) as dataset:
        return read_mentions(dataset)


def test_the_handed_table_is_the_stores(inputs, tmp_path, monkeypatch):
    """Labels and types from the resolution, rows from the state and this run: what `read_mentions` reads."""
    out = tmp_path / "out"
    handed, before = [], {}

    def start(self, source):
        table = source.table()
        # what a prestarted helper makes of the rows it read before the run (and of rows that lack one)
        assert source.table(before["rows"]) == table == source.table({})
        handed.append(table)

    monkeypatch.setattr(background.BackgroundAnalytics, "start", start)
    monkeypatch.setattr(background, "BACKGROUND_PAPERS", 1)
    for path in inputs:  # the increment's table: ten papers and a changed one from this run, the rest stored
        before["rows"] = stored_rows(out) if out.exists() else {}
        build(inputs=[str(path)], out=out, profile="fast", view=False, graph_files=False)
        stored = _store_table(out)
        table = handed[-1]
        assert dict(table.papers) == dict(stored.papers) and list(table.papers) == sorted(stored.papers)
        assert dict(table.entities) == dict(stored.entities) and dict(table.dates) == dict(stored.dates)
    assert len(handed) == 2 and len(handed[-1].papers) == 40
    # a run that rewrites nothing hands the stored rows alone
    iris = ResourceIRIs(resolve_base_iri(None))
    state = BuildState(out)
    with open_store(out, base_iri=iris.base) as dataset:
        update = update_graph(dataset, state, iris=iris, mentions_ready=lambda source: handed.append(source.table()))
    state.close()
    assert update.rewritten == 0 and dict(handed[-1].papers) == dict(stored.papers)


def test_a_helper_whose_build_is_gone_replaces_no_file(tmp_path, monkeypatch):
    import kg.helperprocess

    target = tmp_path / "report.md"
    target.write_text("the next build's\n")
    monkeypatch.setattr(kg.helperprocess, "_starter", os.getppid() + 100_000)  # not the parent now
    with pytest.raises(RuntimeError, match="the process that started this helper ended"):
        with atomic_write(target) as handle:
            handle.write("a killed build's\n")
    assert target.read_text() == "the next build's\n" and [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_prestarted_helper_without_a_job_is_stopped_and_leaves_no_file(tmp_path):
    import signal

    with background.BackgroundAnalytics(tmp_path, seed=0, base_iri=None, prestart=True) as analytics:
        idle = analytics._idle
        assert idle is not None and idle.poll() is None  # started, waiting for its job
        assert analytics.finish() is None
    assert idle.returncode == -signal.SIGKILL and list(tmp_path.iterdir()) == []
