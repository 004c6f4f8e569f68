"""Incremental builds into a persistent build directory, and resuming a killed build."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from extractors.records import PaperExtraction
from kg.build import build
from kg.graph import build_graph, write_graph
from kg.buildstate import STATE_FILE
from scalefixtures import bundled_papers, changed_text, quads, triples, write_papers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _build(inputs, out, **options):
    return build(inputs=[str(p) for p in inputs], out=out, profile="fast", view=False, **options)


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A build of papers 0-19, then of papers 5-29 with paper 10 changed and --prune; and a fresh build of the latter."""
    papers = bundled_papers()[:30]
    root = tmp_path_factory.mktemp("incremental")
    first = write_papers(root / "first.jsonl", papers[:20])
    final = [changed_text(p) if i == 10 else p for i, p in enumerate(papers)][5:]
    second = write_papers(root / "second.jsonl", final)
    out, fresh = root / "grown", root / "fresh"
    results = [_build([first], out), _build([second], out, prune=True), _build([second], fresh)]
    return out, fresh, results, final


def test_incremental_equals_fresh(grown):
    out, fresh, _, _ = grown
    assert triples(out / "graph.ttl") == triples(fresh / "graph.ttl")
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")
    assert (out / "papers.jsonl").read_text() == (fresh / "papers.jsonl").read_text()
    assert (out / "extractions.jsonl").read_text() == (fresh / "extractions.jsonl").read_text()


def test_store_digest_tells_equal_stores_from_different_ones(grown, tmp_path):
    """bench/store_digest.py (the check of incremental = fresh at 100,000 papers) agrees with the sorted quads."""
    import importlib.util
    import shutil

    import pyoxigraph as ox

    spec = importlib.util.spec_from_file_location("store_digest", Path(__file__).parents[1] / "bench" / "store_digest.py")
    store_digest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(store_digest)
    out, fresh, _, _ = grown
    quads_out, digest_out = store_digest.store_digest(str(out / "store"))
    assert (quads_out, digest_out) == store_digest.store_digest(str(fresh / "store"))
    assert quads_out == len(quads(out / "graph.trig"))  # both leave out the run timestamps
    changed = tmp_path / "store"
    shutil.copytree(fresh / "store", changed)
    store = ox.Store(str(changed))
    store.remove(next(store.quads_for_pattern(None, None, None, None)))
    del store
    assert store_digest.store_digest(str(changed))[1] != digest_out


def test_incremental_extracts_only_new_and_changed(grown):
    _, _, (first, second, fresh), final = grown
    assert (first.extracted, first.papers) == (20, 20)
    assert (second.extracted, second.removed, second.papers) == (10 + 1, 5, 25)  # papers 20-29, changed 10; 0-4 pruned
    assert fresh.extracted == fresh.papers == len(final)


def test_store_equals_in_memory_build(grown, tmp_path):
    """The store's paper and corpus graphs are what `build_graph` makes of the same papers and records."""
    out, _, _, final = grown
    records = [PaperExtraction.from_json(json.loads(line)) for line in (out / "extractions.jsonl").open()]
    write_graph(build_graph(final, records), tmp_path)
    assert quads(out / "graph.trig", skip_graphs=("graph/analytics",)) == quads(tmp_path / "graph.trig")


def test_kept_entity_lines_are_the_stores(grown):
    """The lines an increment removes an entity's old quads by are what the store holds of it."""
    import pyoxigraph as ox

    out, _, _, _ = grown
    with sqlite3.connect(out / STATE_FILE) as db:
        kept = dict(db.execute("SELECT subject, lines FROM corpus_lines"))
    store = ox.Store.read_only(str(out / "store"))
    corpus = next(g for g in store.named_graphs() if g.value.endswith("/graph/corpus"))
    assert len(kept) > 50 and all("/entity/" in subject for subject in kept)
    for subject, lines in kept.items():
        assert set(ox.parse(lines, format=ox.RdfFormat.N_QUADS)) == set(
            store.quads_for_pattern(ox.NamedNode(subject), None, None, corpus))


def test_without_prune_old_papers_stay(tmp_path):
    papers = bundled_papers()[:12]
    out = tmp_path / "out"
    _build([write_papers(tmp_path / "a.jsonl", papers[:6])], out)
    result = _build([write_papers(tmp_path / "b.jsonl", papers[6:])], out)
    assert (result.extracted, result.papers) == (6, 12)
    assert {json.loads(line)["id"] for line in (out / "papers.jsonl").open()} == {p.id for p in papers}


def _run_until(args, out: Path, ready, *, timeout: float = 120.0) -> bool:
    """Start ``kg build``; SIGKILL it as soon as ``ready(out)`` holds. False if it finished first."""
    process = subprocess.Popen([sys.executable, "-c", "from kg.cli import main; main()", "-q", "build", *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if ready(out):
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
                return True
            time.sleep(0.05)
        assert process.poll() is not None, "build neither finished nor reached the kill point"
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _stored_records(out: Path) -> int:
    try:
        with sqlite3.connect(out / STATE_FILE) as db:
            return db.execute("SELECT count(*) FROM extractions").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_killed_build_resumes(tmp_path):
    papers = bundled_papers()[:40]
    source = write_papers(tmp_path / "papers.jsonl", papers)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    args = [str(source), "--out", str(out), "--profile", "fast", "--no-view", "--batch-size", "4"]
    # killed during extraction (some batches stored), then while the store is being written
    killed_extracting = _run_until(args, out, lambda o: _stored_records(o) >= 8)
    assert killed_extracting and 8 <= _stored_records(out) < len(papers)
    _run_until(args, out, lambda o: (o / "store").is_dir() and any((o / "store").iterdir()))
    result = _build([source], out)
    _build([source], fresh)
    assert result.extracted < len(papers)  # the stored records were reused
    assert _stored_records(out) == len(papers)
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")
    assert json.loads((out / "build.json").read_text())["papers"] == len(papers)


def test_a_damaged_state_file_is_named(tmp_path):
    from kg.buildstate import BuildState

    (tmp_path / STATE_FILE).write_bytes(b"this is not a database\n" * 200)
    with pytest.raises(RuntimeError, match=r"state\.sqlite: not a kg build state"):
        BuildState(tmp_path)


def test_a_build_with_nothing_new_keeps_the_finished_build(tmp_path):
    source = write_papers(tmp_path / "papers.jsonl", bundled_papers()[:6])
    out = tmp_path / "out"
    first = _build([source], out)
    written = (out / "graph.trig").stat().st_mtime_ns
    again = _build([source], out)
    assert (again.extracted, again.graphs_rewritten, again.papers, again.entities) == (0, 0, 6, first.entities)
    assert [name for name, _ in again.stages] == ["read", "extract"]
    assert (out / "graph.trig").stat().st_mtime_ns == written
    (out / "graph.ttl").unlink()  # a missing file means the build directory is not complete
    _build([source], out)
    assert triples(out / "graph.ttl")
    other_seed = _build([source], out, seed=1)  # other options: analytics and files again
    assert [name for name, _ in other_seed.stages][-1] == "write"


def _gnn_papers(start: int, count: int, form: str) -> list:
    from kg.papers import Paper
    return [Paper(f"gnn:{start + i}", f"Graph learning study {start + i}",
                  f"We train {form} on dataset D{start + i}. {form} predict outcomes in setting S{start + i}.")
            for i in range(count)]


def test_a_moved_preferred_label_rewrites_no_paper_graph(tmp_path):
    """New papers that make another form of an entity its most frequent one change its label,
    not its IRI: no paper graph of the earlier papers is rewritten, and the result equals a fresh build."""
    base = write_papers(tmp_path / "base.jsonl", _gnn_papers(0, 2, "Graph Neural Networks") +
                        _gnn_papers(2, 1, "Graph Neural Network"))
    extra = write_papers(tmp_path / "extra.jsonl", _gnn_papers(3, 3, "Graph Neural Network"))
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    _build([base], out)
    labels_before = _gnn_labels(out)
    result = _build([base, extra], out)
    _build([base, extra], fresh)
    labels_after = _gnn_labels(out)
    assert labels_before.keys() == labels_after.keys()  # the same entity IRI
    assert set(labels_before.values()) == {"Graph Neural Networks"} and set(labels_after.values()) == {"Graph Neural Network"}
    assert result.graphs_rewritten == 3  # the new papers' graphs only
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")


def _gnn_labels(out: Path) -> dict[str, str]:
    import pyoxigraph as ox
    labels = {}
    for quad in ox.parse(path=out / "graph.trig", format=ox.RdfFormat.TRIG):
        if quad.predicate.value.endswith("core#prefLabel") and "Graph Neural" in quad.object.value:
            labels[quad.subject.value] = quad.object.value
    return labels


def _dno_papers(start: int, count: int, *, spelled: bool, date: str = "2024-05-01") -> list:
    from kg.papers import Paper
    text = ("We propose Direct Nash Optimization (DNO), a preference tuning method. DNO outperforms DPO on MT-Bench."
            if spelled else "We compare the DNO method with DPO on MT-Bench. DNO is stable across seeds.")
    return [Paper(f"dno:{start + i}", f"Preference study {start + i}", text, date=date) for i in range(count)]


def _entity_iris(out: Path, label_part: str) -> set[str]:
    return {subject for subject, label in _labels(out).items() if label_part in label}


def _labels(out: Path) -> dict[str, str]:
    import pyoxigraph as ox
    return {quad.subject.value: quad.object.value for quad in ox.parse(path=out / "graph.trig", format=ox.RdfFormat.TRIG)
            if quad.predicate.value.endswith("core#prefLabel")}


@pytest.mark.parametrize("before_increment", ["nothing", "dates changed", "graph stage interrupted"])
def test_a_moved_entity_iri_patches_the_kept_graphs(tmp_path, monkeypatch, before_increment):
    """New papers that make "DNO" the name most papers use move the entity's IRI: the kept
    papers' graphs change only in the quads that spell it, and are patched (kg.graphpatch),
    unless something else of the paper changed too or the last run did not finish writing its
    graphs (then the store may not hold what the state says); either way the result equals a fresh build."""
    import kg.graphupdate

    patched = []
    real_patch = kg.graphupdate.patch_lines
    monkeypatch.setattr(kg.graphupdate, "patch_lines",
                        lambda store, before, now: patched.append(len(now)) or real_patch(store, before, now))
    kept = _dno_papers(0, 2, spelled=True) + _dno_papers(2, 1, spelled=False)
    base = write_papers(tmp_path / "base.jsonl", kept)
    extra = write_papers(tmp_path / "extra.jsonl", _dno_papers(3, 3, spelled=False))
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    _build([base], out)
    before = _entity_iris(out, "Nash")
    if before_increment == "dates changed":
        write_papers(base, [replace(paper, date="2024-06-01") for paper in kept])
    elif before_increment == "graph stage interrupted":
        with sqlite3.connect(out / STATE_FILE) as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('graphs', 'dirty')")
    result = _build([base, extra], out)
    _build([base, extra], fresh)
    after = _entity_iris(out, "Nash") | _entity_iris(out, "DNO")
    assert len(before) == 1 and len(after) == 1 and before != after  # one entity, under another IRI
    assert result.graphs_rewritten == 6  # the 3 new papers and the 3 kept ones that mention it
    assert len(patched) == (3 if before_increment == "nothing" else 0)
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")


def test_a_build_directory_from_before_the_name_tables_is_brought_up_to_date(tmp_path):
    """A state without the name tables (`kg.namestate`) counts every record in, works out every
    graph key again and regenerates the whole corpus graph: the result equals a fresh build."""
    papers = bundled_papers()[:8]
    base, extra = write_papers(tmp_path / "a.jsonl", papers[:6]), write_papers(tmp_path / "b.jsonl", papers[6:])
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    _build([base], out)
    with sqlite3.connect(out / STATE_FILE) as db:
        for table in ("counted", "name_stats", "name_papers", "name_slugs", "supports", "keyed"):
            db.execute(f"DROP TABLE {table}")
        db.execute("DELETE FROM meta WHERE name = 'graph_base'")
        db.execute("DELETE FROM paper_digests WHERE rowid % 2 = 0")  # papers stored before their digests were kept
        # a relation subject under an IRI no current entity has, as an older build could leave
        db.execute("UPDATE corpus SET subject = subject || '-old' WHERE subject LIKE '%/relation/%'")
    _build([base, extra], out)
    _build([base, extra], fresh)
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")


def test_relation_lines_made_from_the_support_before_are_the_stores(tmp_path, monkeypatch):
    """An increment removes a relation's old quads by lines made again from its support
    before the run (never read from the store), and they are what the store holds; the
    entity paper counts an increment keeps from the last run agree with a fresh build."""
    import pyoxigraph as ox

    import kg.corpusgraph

    papers = bundled_papers()
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    _build([write_papers(tmp_path / "a.jsonl", papers[:80])], out)
    checked = []
    remove = kg.corpusgraph._remove_subject

    def checking(store, subject, graph, *, keep=(), old=None):
        if "/relation/" in subject.value:
            assert old is not None
            assert set(ox.parse(old, format=ox.RdfFormat.N_QUADS)) == set(store.quads_for_pattern(subject, None, None, graph))
            checked.append(subject.value)
        return remove(store, subject, graph, keep=keep, old=old)

    monkeypatch.setattr(kg.corpusgraph, "_remove_subject", checking)
    grown = write_papers(tmp_path / "b.jsonl", papers[:200])
    _build([grown], out)
    _build([grown], fresh)
    assert checked
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")
