"""Each analytics measure against values computed by hand on small graphs, on both backends."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest

from kg.analytics.centrality import central_concepts, centrality_measures, rank_percentiles
from kg.analytics.comention import comention_graph, jaccard, npmi, strongest_links
from kg.analytics.communities import find_communities, louvain_partition
from kg.analytics.mentions import MentionTable, bipartite_graph

BACKENDS = ("networkx", "igraph")


def test_npmi_and_jaccard_by_hand():
    # 10 papers, a in 4, b in 5, both in 3: log(0.3 / (0.4 * 0.5)) / -log(0.3)
    assert npmi(3, 4, 5, 10) == pytest.approx(math.log(1.5) / -math.log(0.3))
    assert npmi(3, 4, 5, 10) == pytest.approx(0.336773, abs=1e-6)
    assert npmi(2, 4, 5, 10) == pytest.approx(0.0, abs=1e-12)  # exactly as chance has it
    assert npmi(4, 4, 4, 10) == pytest.approx(1.0)
    assert npmi(5, 5, 5, 5) == 1.0  # in every paper: the 0/0 case
    assert npmi(0, 4, 5, 10) == -1.0
    assert jaccard(3, 4, 5) == pytest.approx(0.5)
    assert jaccard(0, 0, 0) == 0.0


def test_comention_graph_counts_support_and_filters():
    table = MentionTable.from_lists(
        {"p1": ["a", "b", "c"], "p2": ["a", "b"], "p3": ["a", "b"], "p4": ["c", "d"], "p5": []}
    )
    graph = comention_graph(table)
    assert graph.graph["papers"] == 5  # a paper without entities still counts in NPMI
    assert graph["a"]["b"]["support"] == graph["a"]["b"]["weight"] == 3
    assert graph["a"]["b"]["npmi"] == pytest.approx(math.log(0.6 / (0.6 * 0.6)) / -math.log(0.6))
    assert graph["a"]["b"]["jaccard"] == 1.0
    assert graph["c"]["d"]["jaccard"] == pytest.approx(0.5)
    assert graph.nodes["a"]["papers"] == 3 and graph.nodes["d"]["papers"] == 1
    filtered = comention_graph(table, min_support=2)
    assert {tuple(sorted(e)) for e in filtered.edges()} == {("a", "b")}
    assert set(filtered) == {"a", "b", "c", "d"}
    with pytest.raises(ValueError):
        comention_graph(table, min_support=0)


def test_bipartite_graph_links_papers_to_entities():
    graph = bipartite_graph(MentionTable.from_lists({"p1": ["a", "b"], "p2": ["b"]}, dates={"p1": "2024-01-02"}))
    assert sorted(graph["b"]) == ["p1", "p2"]
    assert graph.nodes["p1"]["date"] == "2024-01-02" and graph.nodes["p2"]["date"] is None
    assert nx.is_bipartite(graph)


def test_npmi_ranking_is_not_drowned_by_a_hub():
    papers = {f"p{i}": ["hub", f"x{i % 4}"] for i in range(20)}  # hub--x0..x3, 5 papers each
    papers.update({"q1": ["hub", "rare1", "rare2"], "q2": ["rare1", "rare2"], "q3": ["x0"]})
    graph = comention_graph(MentionTable.from_lists(papers))
    by_support = strongest_links(graph, by="support", top=4)
    assert [(link.source, link.support) for link in by_support] == [("hub", 5)] * 4
    by_npmi = strongest_links(graph, by="npmi", top=1, min_support=2)
    assert (by_npmi[0].source, by_npmi[0].target) == ("rare1", "rare2")
    assert all(link.support >= 2 for link in strongest_links(graph, by="npmi", top=50, min_support=2))
    with pytest.raises(ValueError):
        strongest_links(graph, by="weight")


@pytest.mark.parametrize("backend", BACKENDS)
def test_pagerank_of_a_path_by_hand(backend):
    # a - b - c, damping d = 0.85: x = (1-d)/3 + d*y/2 and y = (1-d)/3 + 2*d*x, so
    # x = 0.07125 / 0.2775 and y = 0.05 + 1.7 x.
    measures = centrality_measures(nx.path_graph(["a", "b", "c"]), backend=backend)
    x = 0.07125 / 0.2775
    assert measures["pagerank"]["a"] == pytest.approx(x, abs=1e-7)
    assert measures["pagerank"]["c"] == pytest.approx(x, abs=1e-7)
    assert measures["pagerank"]["b"] == pytest.approx(0.05 + 1.7 * x, abs=1e-7)


@pytest.mark.parametrize("backend", BACKENDS)
def test_weighted_pagerank_favours_the_heavier_link(backend):
    graph = nx.Graph([("a", "b", {"weight": 5}), ("b", "c", {"weight": 1})])
    pagerank = centrality_measures(graph, backend=backend)["pagerank"]
    assert pagerank["a"] > pagerank["c"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_betweenness_degree_and_eigenvector_by_hand(backend):
    path = centrality_measures(nx.path_graph(["a", "b", "c", "d"]), backend=backend)
    # b lies on the shortest paths a-c and a-d: 2 of the 3 pairs not involving b.
    assert path["betweenness"] == pytest.approx({"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0})
    assert path["degree"] == {"a": 1, "b": 2, "c": 2, "d": 1}
    star = centrality_measures(nx.star_graph(3), backend=backend)
    assert star["betweenness"][0] == pytest.approx(1.0)
    # Star K(1,3): eigenvalue sqrt(3), leaves at 1/sqrt(3) of the hub.
    assert star["eigenvector"] == pytest.approx({0: 1.0, 1: 3 ** -0.5, 2: 3 ** -0.5, 3: 3 ** -0.5}, abs=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_eigenvector_only_on_the_largest_component(backend):
    graph = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    graph.add_node("alone")
    eigen = centrality_measures(graph, backend=backend)["eigenvector"]
    assert eigen["a"] == pytest.approx(1.0) and eigen["x"] == eigen["y"] == eigen["alone"] == 0.0


def _random_weighted_graph(seed: int, nodes: int = 80, edges: int = 240) -> nx.Graph:
    graph = nx.gnm_random_graph(nodes, edges, seed=seed)
    graph.add_edges_from([(nodes, nodes + 1), (nodes + 2, nodes + 3)])  # small extra components
    graph.add_node(nodes + 4)  # and an isolated entity
    rng = random.Random(seed)
    for a, b in graph.edges():
        graph[a][b]["weight"] = rng.randint(1, 6)
    return graph


@pytest.mark.parametrize("samples", [None, 15])
def test_backends_agree_on_every_measure(samples):
    graph = _random_weighted_graph(seed=3)
    on_networkx = centrality_measures(graph, backend="networkx", betweenness_samples=samples, seed=7)
    on_igraph = centrality_measures(graph, backend="igraph", betweenness_samples=samples, seed=7)
    for measure, tolerance in (("pagerank", 1e-7), ("betweenness", 1e-9), ("eigenvector", 1e-6), ("degree", 0)):
        for node in graph:
            assert on_networkx[measure][node] == pytest.approx(on_igraph[measure][node], abs=tolerance), (measure, node)
    ranking = [c.iri for c in central_concepts(graph, backend="networkx")][:20]
    assert ranking == [c.iri for c in central_concepts(graph, backend="igraph")][:20]


def test_sampled_betweenness_depends_on_the_seed_only():
    graph = _random_weighted_graph(seed=5, nodes=150, edges=400)
    first = centrality_measures(graph, betweenness_samples=20, seed=1)["betweenness"]
    assert first == centrality_measures(graph, betweenness_samples=20, seed=1)["betweenness"]
    assert first != centrality_measures(graph, betweenness_samples=20, seed=2)["betweenness"]
    exact = centrality_measures(graph)["betweenness"]
    top_exact = sorted(exact, key=exact.get, reverse=True)[:5]
    top_sampled = sorted(first, key=first.get, reverse=True)[:15]
    assert len(set(top_exact) & set(top_sampled)) >= 3  # an estimate, but of the same thing


def test_rank_percentiles_and_combined_ranking():
    assert rank_percentiles({"a": 3, "b": 2, "c": 1}) == {"a": 1.0, "b": 0.5, "c": 0.0}
    assert rank_percentiles({"a": 0.1 + 0.2, "b": 0.3}) == {"a": 0.5, "b": 0.5}  # float noise ties
    graph = nx.Graph([("hub", x) for x in "abcde"] + [("a", "b")])
    concepts = central_concepts(graph)
    assert [c.rank for c in concepts] == list(range(1, 7))
    assert concepts[0].iri == "hub" and concepts[0].score == 1.0
    assert {c.iri for c in concepts[1:3]} == {"a", "b"}


def _three_cliques() -> nx.Graph:
    graph = nx.Graph()
    for start in (0, 10, 20):
        graph.add_edges_from((start + i, start + j, {"weight": 2}) for i in range(6) for j in range(i + 1, 6))
    graph.add_edges_from([(0, 10, {"weight": 1}), (10, 20, {"weight": 1})])
    for node in graph:
        graph.nodes[node]["label"] = f"e{node}"
    return graph


@pytest.mark.parametrize("backend", BACKENDS)
def test_louvain_finds_planted_communities_and_names_them(backend):
    found = find_communities(_three_cliques(), backend=backend)
    assert sorted(sorted(int(m) for m in c.members) for c in found.communities) == [
        list(range(0, 6)), list(range(10, 16)), list(range(20, 26))]
    assert [c.size for c in found.communities] == [6, 6, 6] and found.backend == backend
    # By hand: total weight m = 3 * 15 * 2 + 2 = 92; inner weight 30 per clique; community
    # degree sums 61, 62, 61; Q = sum(inner / m) - sum((degree / 2m) ** 2).
    assert found.modularity == pytest.approx(90 / 92 - (61**2 + 62**2 + 61**2) / 184**2, abs=1e-9)
    middle = next(c for c in found.communities if "10" in c.members)  # members are IRI strings
    assert middle.members[0] == "10"  # equal inner strength: ties go by IRI
    assert middle.name.startswith("e10 / ")
    assert found.membership()["21"] == next(c.number for c in found.communities if "21" in c.members)


def test_louvain_is_deterministic_with_a_seed_and_backends_agree_on_quality():
    graph = nx.planted_partition_graph(6, 25, 0.4, 0.02, seed=11)
    for backend in BACKENDS:
        first, q1, _ = louvain_partition(graph, seed=4, backend=backend)
        second, q2, _ = louvain_partition(graph, seed=4, backend=backend)
        assert first == second and q1 == q2
    _, q_networkx, _ = louvain_partition(graph, seed=4, backend="networkx")
    _, q_igraph, _ = louvain_partition(graph, seed=4, backend="igraph")
    assert q_networkx == pytest.approx(q_igraph, abs=0.02)
