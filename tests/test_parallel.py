"""Extraction in worker processes and on a Dask LocalCluster gives what one process gives."""

from __future__ import annotations

import json
import os

import pytest

import kg.parallel
from kg.analytics import background
from kg.build import _papers_in, _touched_bytes, build
from kg.buildstate import BuildState
from kg.parallel import batched, extract_batches, start_workers
from scalefixtures import bundled_papers, quads, write_papers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PAPERS = 24


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """A one-process build of the first papers of the bundled corpus, and its input file."""
    root = tmp_path_factory.mktemp("parallel")
    source = write_papers(root / "papers.jsonl", bundled_papers()[:PAPERS])
    out = root / "single"
    build(inputs=[str(source)], out=out, profile="fast", view=False)
    return source, out


def _records(out) -> list[dict]:
    return [json.loads(line) for line in (out / "extractions.jsonl").open()]


def test_batches_come_back_whole_in_any_order():
    items = [(p.id, p.title, p.abstract) for p in bundled_papers()[:10]]
    serial = [pair for batch in extract_batches(batched(items, 3), profile="fast") for pair in batch]
    parallel = [pair for batch in extract_batches(batched(items, 3), profile="fast", workers=2) for pair in batch]
    assert [pid for pid, _ in serial] == [item[0] for item in items]
    assert sorted(parallel) == sorted(serial)


def test_a_pool_started_before_the_batches_extracts_what_one_process_does():
    items = [(p.id, p.title, p.abstract) for p in bundled_papers()[:7]]
    serial = [pair for batch in extract_batches(batched(items, 3), profile="fast") for pair in batch]
    with start_workers("fast", 2) as pool:
        pooled = [pair for batch in extract_batches(batched(items, 3), profile="fast", workers=2, pool=pool)
                  for pair in batch]
        again = [pair for batch in extract_batches(batched(items[:2], 5), profile="fast", workers=2, pool=pool)
                 for pair in batch]  # the pool serves until its owner shuts it down
    assert sorted(pooled) == sorted(serial)
    assert sorted(again) == sorted(serial[:2])


def test_an_increment_starts_its_workers_before_reading_only_when_an_input_changed(single, tmp_path, monkeypatch):
    source, _ = single
    papers = bundled_papers()
    monkeypatch.setattr(background, "BACKGROUND_PAPERS", 1)  # a "large" build: the workers start before the read
    started = []
    real = kg.parallel.start_workers
    monkeypatch.setattr(kg.parallel, "start_workers", lambda *args: started.append(args) or real(*args))
    out = tmp_path / "grown"
    build(inputs=[str(source)], out=out, profile="fast", view=False, workers=2, batch_size=5)
    assert started == [("fast", 2)]  # a first build (no papers yet): only the pool of its extraction
    extra = write_papers(tmp_path / "extra.jsonl", papers[PAPERS:PAPERS + 4])
    result = build(inputs=[str(source), str(extra)], out=out, profile="fast", view=False, workers=2, batch_size=5)
    assert result.extracted == 4 and started[1:] == [("fast", 1)]  # four papers: not worth a second worker's start
    again = build(inputs=[str(source), str(extra)], out=out, profile="fast", view=False, workers=2, batch_size=5)
    assert again.extracted == 0 and len(started) == 2  # no input changed: no workers
    monkeypatch.setitem(kg.parallel.WORKER_START_PAPERS, "fast", 2)
    more = write_papers(tmp_path / "more.jsonl", papers[PAPERS + 4:PAPERS + 8])
    grown = build(inputs=[str(source), str(extra), str(more)], out=out, profile="fast", view=False, workers=2,
                  batch_size=5)
    assert grown.extracted == 4 and started[2:] == [("fast", 2)]  # two papers are worth a worker here
    fresh = tmp_path / "fresh"
    build(inputs=[str(source), str(extra), str(more)], out=fresh, profile="fast", view=False)
    assert _records(out) == _records(fresh)
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")


def test_touched_bytes_look_at_names_sizes_and_times(single, tmp_path):
    source, reference = single
    state = BuildState(reference)
    try:
        known = state.input_files()
    finally:
        state.close()
    assert _touched_bytes([str(source)], known) == 0
    assert _touched_bytes(["-"], known) is None
    assert _touched_bytes([str(source), str(tmp_path / "missing.jsonl")], known) is None
    other = write_papers(tmp_path / "other.jsonl", bundled_papers()[:3])
    assert _touched_bytes([str(source), str(other)], known) == other.stat().st_size
    # three papers of the same corpus: about three papers, at the known file's bytes per paper
    assert 1 <= _papers_in(other.stat().st_size, known) <= 6 and _papers_in(None, known) is None
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(source.read_bytes())
    stat = source.stat()
    moved = {str(copy): known[str(source)]}
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert _touched_bytes([str(copy)], moved) == 0
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert _touched_bytes([str(copy)], moved) == stat.st_size


def test_two_workers_equal_one_process(single, tmp_path):
    source, reference = single
    result = build(inputs=[str(source)], out=tmp_path, profile="fast", view=False, workers=2, batch_size=5)
    assert result.extracted == PAPERS
    assert _records(tmp_path) == _records(reference)
    assert quads(tmp_path / "graph.trig") == quads(reference / "graph.trig")


def test_dask_local_cluster_equals_one_process(single, tmp_path):
    pytest.importorskip("distributed")
    source, reference = single
    result = build(inputs=[str(source)], out=tmp_path, profile="fast", view=False, workers=2, dask="local",
                   batch_size=5)
    assert result.extracted == PAPERS
    assert _records(tmp_path) == _records(reference)
    assert quads(tmp_path / "graph.trig") == quads(reference / "graph.trig")


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="workers"):
        next(extract_batches([], profile="fast", workers=0))
    with pytest.raises(ValueError, match="batch size"):
        next(batched([], 0))
