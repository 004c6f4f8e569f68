"""Extraction in worker processes and on a Dask LocalCluster gives what one process gives."""

from __future__ import annotations

import json

import pytest

from kg.build import build
from kg.parallel import batched, extract_batches
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
