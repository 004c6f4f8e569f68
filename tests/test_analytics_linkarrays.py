"""The large-graph route (co-mentions as arrays, igraph without NetworkX) gives what the
NetworkX co-mention graph gives on the igraph backend, to the last bit."""

from __future__ import annotations

import random

import pytest

from kg.analytics import analyze_mentions
from kg.analytics.centrality import central_concepts
from kg.analytics.comention import comention_graph, npmi, strongest_links
from kg.analytics.communities import find_communities
from kg.analytics.linkarrays import link_arrays, link_table, ranked_links
from kg.analytics.mentions import MentionTable


@pytest.fixture(scope="module")
def table():
    """800 entities over 1,500 papers, Zipf-like: a hub, clusters, singletons, papers without mentions."""
    rng = random.Random(7)
    entities = [f"urn:e{i:04d}" for i in range(800)]
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(entities))]
    papers = {}
    for p in range(1500):
        cluster = rng.randrange(8)
        local = [e for i, e in enumerate(entities) if i % 8 == cluster]
        picked = set(rng.choices(entities, weights, k=rng.randint(0, 4)))
        picked |= set(rng.sample(local, rng.randint(0, 5)))
        papers[f"urn:p{p:05d}"] = picked
    return MentionTable.from_lists(papers, types={e: ("Method", "Model", "Dataset")[i % 3] for i, e in enumerate(entities)})


def test_links_equal_the_comention_graph(table):
    graph = comention_graph(table, min_support=2)
    arrays = link_arrays(table, min_support=2)
    assert arrays.links == graph.number_of_edges() > 1000
    frequency = table.document_frequency()
    for s, t, n, m, j in zip(arrays.source.tolist(), arrays.target.tolist(), arrays.support.tolist(),
                             arrays.npmi.tolist(), arrays.jaccard.tolist()):
        a, b = arrays.nodes[s], arrays.nodes[t]
        data = graph[a][b]
        assert (n, m, j) == (data["support"], data["npmi"], data["jaccard"])  # exactly
        assert m == npmi(n, frequency[a], frequency[b], len(table.papers))
    for by, least in (("support", 1), ("npmi", 3), ("jaccard", 2)):
        assert ranked_links(arrays, by=by, top=50, min_support=least) == strongest_links(graph, by=by, top=50,
                                                                                          min_support=least)


@pytest.mark.parametrize("by", ["support", "npmi", "jaccard"])
def test_the_first_links_are_those_of_the_whole_ranking(table, by):
    # many ties at every value: the links sorted among the contenders must be the first of all
    arrays = link_arrays(table)
    whole = list(link_table(arrays, by=by, min_support=2))
    for top in (0, 1, 7, 50, len(whole) // 2, len(whole), len(whole) + 5):
        assert ranked_links(arrays, by=by, top=top, min_support=2) == whole[:top]
    assert ranked_links(arrays, by=by, top=None, min_support=2) == whole


def test_measures_and_communities_equal_the_igraph_backend(table):
    result = analyze_mentions(table, seed=3)  # 800 entities: the array route
    graph = comention_graph(table)
    assert result.settings["backend"] == "igraph" and result.entities == graph.number_of_nodes() > 700
    assert list(result.concepts) == central_concepts(graph, seed=3, backend="igraph")
    assert result.communities == find_communities(graph, seed=3, backend="igraph")
    assert list(result.comentions) == strongest_links(graph, top=graph.number_of_edges(), min_support=2)
    assert result.links == graph.number_of_edges()


def test_a_table_without_links():
    table = MentionTable.from_lists({f"p{i}": [f"e{i}"] for i in range(600)} | {"empty": []})
    result = analyze_mentions(table)
    assert (result.entities, result.links, len(result.concepts), result.comentions) == (600, 0, 600, ())
    assert len(result.communities.communities) == 600


def test_analytics_ntriples_are_the_lines_of_the_triples(table):
    from kg.analytics.writeback import analytics_ntriples, analytics_triples
    from kg.graphstore import nquads_object

    result = analyze_mentions(table, seed=1)
    lines = "".join(f"<{s}> <{p}> {nquads_object(o)} .\n" for s, p, o in analytics_triples(result, base_iri="https://x.org/"))
    assert "".join(analytics_ntriples(result, base_iri="https://x.org/")) == lines
    assert lines.count("\n") > 10_000


def test_comentions_csv_is_what_the_csv_module_writes(table, tmp_path):
    import csv
    from dataclasses import replace

    from kg.analytics.outputs import write_outputs

    result = analyze_mentions(table, seed=1)
    odd = {iri: f'label, "{i}"\nof {iri}' for i, iri in enumerate(result.labels)}  # commas, quotes, line breaks
    result = replace(result, labels=odd)
    write_outputs(result, tmp_path)
    with open(tmp_path / "expected.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "source_label", "target", "target_label", "support", "npmi", "jaccard"])
        writer.writerows([l.source, odd[l.source], l.target, odd[l.target], l.support, l.npmi, l.jaccard]
                         for l in result.comentions)
    assert (tmp_path / "comentions.csv").read_bytes() == (tmp_path / "expected.csv").read_bytes()


def test_ranked_links_as_arrays_read_as_records(table):
    """`link_table` holds every ranked link as arrays: read, they are the records `strongest_links` gives."""
    import pickle

    from kg.analytics.linkarrays import link_table
    from kg.comentionfiles import link_columns

    graph = comention_graph(table)
    expected = strongest_links(graph, by="support", top=graph.number_of_edges(), min_support=2)
    links = link_table(link_arrays(table), by="support", min_support=2)
    assert len(links) == len(expected) > 1000
    assert list(links) == expected and links == expected and links[:3] == expected[:3] and links[-1] == expected[-1]
    assert link_columns(links) == link_columns(expected)
    assert pickle.loads(pickle.dumps(links)) == expected
    assert analyze_mentions(table, backend="igraph").comentions == tuple(expected)
