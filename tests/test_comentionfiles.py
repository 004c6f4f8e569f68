"""The link files written by the helper process are the bytes written in one process; a
helper that fails leaves the work to the caller."""

from __future__ import annotations

import random
import sys

import pytest
import rdflib
import rdflib.compare

from kg import comentionfiles
from kg.analytics import run, run_analytics
from kg.analytics.mentions import MentionTable

FILES = ("analytics.ttl", "comentions.csv", "concepts.csv", "communities.csv", "report.md", "analytics.json")


@pytest.fixture(scope="module")
def table():
    """700 entities over 1,200 papers (past `LARGE_GRAPH_NODES`: the helper is started), labels with CSV specials."""
    rng = random.Random(11)
    entities = [f"urn:e{i:04d}" for i in range(700)]
    papers = {f"urn:p{p:05d}": set(rng.sample(entities[: 50 + p % 600], rng.randint(0, 6))) for p in range(1200)}
    plain = MentionTable.from_lists(papers, types={e: ("Method", "Task")[i % 2] for i, e in enumerate(entities)})
    labels = {iri: info.__class__(iri, f'name, "{iri[-4:]}"', info.type) for iri, info in plain.entities.items()}
    return MentionTable(labels, plain.papers, plain.dates)


def _files(folder):
    return {name: (folder / name).read_bytes() for name in FILES}


def _run(table, folder, monkeypatch, *, least_links):
    monkeypatch.setattr(run, "BACKGROUND_LINKS", least_links)
    monkeypatch.setattr(run, "RDFLIB_TURTLE_LIMIT", 0)  # analytics.ttl written as text lines, the helper's form
    finished = []
    original = comentionfiles.LinkFileWriter.finish
    monkeypatch.setattr(comentionfiles.LinkFileWriter, "finish", lambda self: finished.append(original(self)) or finished[-1])
    analytics = run_analytics(rdflib.Graph(), out=folder, seed=2, table=table, into_graph=False)
    assert not (folder / comentionfiles.LINKS_PART).exists()
    return analytics, finished


def _writer_pids(tmp_path, monkeypatch, *, fail_in_child=False):
    """Record which process writes the link files (a file per writing process); optionally make a forked child fail."""
    import os

    original, parent = comentionfiles._write_link_files, os.getpid()

    def recording(out, *rest):
        (tmp_path / f"writer-{os.getpid()}").touch()
        if fail_in_child and os.getpid() != parent:
            raise RuntimeError("this child fails")
        return original(out, *rest)

    monkeypatch.setattr(comentionfiles, "_write_link_files", recording)
    return lambda: {int(path.name.split("-")[1]) for path in tmp_path.glob("writer-*")}


@pytest.mark.parametrize("how", ["fork", "interpreter"])
def test_the_helper_writes_what_one_process_writes(table, tmp_path, monkeypatch, how):
    import os

    from kg.analytics import forked

    # Where no child can be forked, a helper interpreter writes the files. (Other tests leave
    # kg's idle bulk-load thread in this process, which `can_fork` refuses; the analytics
    # helper of a build, which forks, runs no thread.)
    monkeypatch.setattr(forked, "can_fork", lambda: how == "fork")
    inline, used = _run(table, tmp_path / "inline", monkeypatch, least_links=10**9)
    assert used == [None]  # the second process was made ready, but given no work
    writers = _writer_pids(tmp_path, monkeypatch)
    helped, used = _run(table, tmp_path / "helped", monkeypatch, least_links=1)
    assert used == [tmp_path / "helped" / comentionfiles.LINKS_PART]
    if how == "fork":
        assert len(writers()) == 1 and os.getpid() not in writers()
    assert len(inline.result.comentions) > 200
    assert _files(tmp_path / "helped") == _files(tmp_path / "inline")


def test_a_failing_child_leaves_the_files_to_the_parent(table, tmp_path, monkeypatch, caplog):
    import os

    from kg.analytics import forked

    monkeypatch.setattr(forked, "can_fork", lambda: True)
    _run(table, tmp_path / "inline", monkeypatch, least_links=10**9)
    writers = _writer_pids(tmp_path, monkeypatch, fail_in_child=True)
    _, used = _run(table, tmp_path / "failed", monkeypatch, least_links=1)
    assert used == [tmp_path / "failed" / comentionfiles.LINKS_PART]
    assert os.getpid() in writers() and len(writers()) == 2  # the child tried, the parent wrote
    assert _files(tmp_path / "failed") == _files(tmp_path / "inline")
    assert "a forked computation failed (RuntimeError: this child fails)" in caplog.text


def test_analytics_ttl_as_text_holds_the_triples_of_the_written_back_graph(table, tmp_path, monkeypatch):
    from kg.analytics.writeback import analytics_graph

    analytics, _ = _run(table, tmp_path / "helped", monkeypatch, least_links=1)
    text = (tmp_path / "helped" / "analytics.ttl").read_text()
    assert text.startswith("@prefix c: ") and " a kg:CoMention ; kg:coMentionOf " in text
    written = rdflib.Graph().parse(data=text, format="turtle")
    expected = analytics_graph(analytics.result)
    assert len(written) == len(expected) > 6 * 200
    assert rdflib.compare.to_isomorphic(written) == rdflib.compare.to_isomorphic(expected)


def test_the_turtle_of_the_links_is_their_ntriples():
    import pyoxigraph

    base = "https://example.org/kg/"
    links = (["urn:a", "urn:z", "https://example.org/kg/entity/x"], ["urn:b", "urn:c", "urn:a"], [3, 1, 2],
             [-0.25, 1.0, 5e-324], [0.1, 1.0, 0.0])
    turtle = comentionfiles.turtle_prefixes(base) + "".join(comentionfiles.comention_turtle(links, base=base))
    ntriples = "".join(comentionfiles.comention_ntriples(links, base=base))
    assert len(turtle.splitlines()) == 3 + 3  # three prefixes, a line per link
    assert set(pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE)) == \
        set(pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(ntriples.splitlines()) == 6 * 3


def test_a_failing_helper_leaves_the_files_to_the_caller(table, tmp_path, monkeypatch, caplog):
    from kg.analytics import forked

    _run(table, tmp_path / "inline", monkeypatch, least_links=10**9)
    for interpreter in ("false", sys.executable + "-missing"):  # fails at once; cannot even start
        monkeypatch.setattr(forked, "can_fork", lambda: False)  # no child forked: a helper interpreter
        monkeypatch.setattr(sys, "executable", interpreter)
        _, used = _run(table, tmp_path / "failed", monkeypatch, least_links=1)
        monkeypatch.undo()
        assert used == [None]
        assert _files(tmp_path / "failed") == _files(tmp_path / "inline")
    assert "written here instead" in caplog.text and "the work is done in this process" in caplog.text
