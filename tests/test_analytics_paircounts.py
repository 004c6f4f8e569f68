"""Pair counts updated from an earlier table's are those counted anew, and the link arrays
made from them are the same to the last bit."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kg.analytics.linkarrays import link_arrays
from kg.analytics.mentions import EntityInfo, MentionTable
from kg.analytics.paircounts import PairCounts, count_pairs


def _papers(rng: random.Random, count: int, names: list[str]) -> dict[str, frozenset[str]]:
    return {f"urn:p{p:05d}": frozenset(rng.sample(names, rng.randint(0, 6))) for p in range(count)}


def _assert_same_counts(got: PairCounts, expected: PairCounts) -> None:
    assert got.nodes == expected.nodes
    assert got.mentions.tolist() == expected.mentions.tolist()
    assert got.pairs.has_sorted_indices and got.pairs.nnz == expected.pairs.nnz  # no explicit zeros
    for attribute in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(got.pairs, attribute), getattr(expected.pairs, attribute))


@pytest.mark.parametrize("seed", range(6))
def test_updated_counts_equal_counts_made_anew(seed):
    rng = random.Random(seed)
    names = [f"urn:e{i:03d}" for i in range(120)]
    before = _papers(rng, 400, names[:100])
    after = dict(before)
    for paper in rng.sample(sorted(before), 30):  # gone
        del after[paper]
    for paper in rng.sample(sorted(after), 20):  # changed: some names the earlier papers never had
        after[paper] = frozenset(rng.sample(names, rng.randint(0, 6)))
    for p in range(400, 400 + rng.randint(0, 40)):  # new
        after[f"urn:p{p:05d}"] = frozenset(rng.sample(names, rng.randint(0, 6)))
    counted = count_pairs(before)
    _assert_same_counts(counted.updated(after), count_pairs(after))
    _assert_same_counts(counted.updated(before), counted)  # nothing changed


def test_names_no_paper_mentions_any_more_leave_the_counts():
    counted = count_pairs({"p1": frozenset({"a", "b"}), "p2": frozenset({"b", "c", "d"})})
    updated = counted.updated({"p2": frozenset({"b", "d"}), "p3": frozenset({"e"})})
    assert updated.nodes == ["b", "d", "e"] and updated.mentions.tolist() == [1, 1, 1]
    assert updated.pairs.toarray().tolist() == [[0, 1, 0], [0, 0, 0], [0, 0, 0]]
    assert counted.updated({}).nodes == []


def test_link_arrays_from_updated_counts_are_those_counted_anew():
    rng = random.Random(3)
    names = [f"urn:e{i:03d}" for i in range(300)]
    before = _papers(rng, 2000, names[:250])
    after = {paper: mentioned for paper, mentioned in before.items() if rng.random() > 0.02}
    for p in range(2000, 2060):
        after[f"urn:p{p:05d}"] = frozenset(rng.sample(names, rng.randint(0, 6)))
    # an entity of the table that no paper mentions is a node without links
    entities = {iri: EntityInfo(iri, iri, "Method") for iri in [*names, "urn:unmentioned"]}
    table = MentionTable(entities, after)
    anew, updated = link_arrays(table, min_support=2), link_arrays(table, min_support=2, counts=count_pairs(before))
    assert updated.nodes == anew.nodes and updated.total == anew.total and anew.links > 1000
    for attribute in ("papers", "source", "target", "support", "npmi", "jaccard"):
        assert getattr(updated, attribute).tobytes() == getattr(anew, attribute).tobytes()


def test_analytics_from_updated_counts_are_those_counted_anew():
    from kg.analytics import analyze_mentions

    rng = random.Random(5)
    names = [f"urn:e{i:03d}" for i in range(200)]
    before = _papers(rng, 900, names[:180])
    after = {paper: mentioned for paper, mentioned in before.items() if rng.random() > 0.05}
    after.update({f"urn:p{p:05d}": frozenset(rng.sample(names, rng.randint(1, 6))) for p in range(900, 960)})
    table = MentionTable.from_lists(after, types={e: ("Method", "Task")[i % 2] for i, e in enumerate(names)})
    # the large-graph route (arrays, igraph), which is the one that takes counts
    anew = analyze_mentions(table, seed=3, backend="igraph")
    updated = analyze_mentions(table, seed=3, backend="igraph", counts=count_pairs(before))
    assert updated.to_json(top=10_000) == anew.to_json(top=10_000)
    assert list(updated.comentions) == list(anew.comentions) and len(anew.comentions) > 500
