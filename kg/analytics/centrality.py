"""Central concepts of the co-mention graph: four measures and one combined ranking.

- degree: how many other entities an entity is mentioned with;
- PageRank, weighted by support: mentioned with entities that are themselves central;
- betweenness (hops, unweighted): how often it lies on shortest paths between others,
  i.e. bridges between topics; estimated from ``k`` sampled sources on large graphs
  (Brandes-Pich: the sum over the sources, scaled by n / k);
- eigenvector centrality, weighted, on the largest connected component (elsewhere 0:
  the leading eigenvector of a disconnected graph is not unique).

The combined score is the mean of the four rank percentiles, so no single measure's
scale dominates; the rank breaks ties by PageRank, then label.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np

from kg.analytics.backends import Backend, choose_backend, seeded_igraph, to_igraph

__all__ = ["ConceptScore", "MEASURES", "centrality_measures", "central_concepts", "by_type", "rank_percentiles",
           "default_betweenness_samples", "betweenness_samples_for", "sampled_sources", "igraph_measures", "rank_concepts"]

MEASURES = ("degree", "pagerank", "betweenness", "eigenvector")

# Exact betweenness up to this many nodes; above it, sampled sources: as many as fit in a
# budget of edge visits (one BFS per source), between 100 and 500. On the 50,000-entity,
# 500,000-link benchmark graph the top 50 from 100 sources share 45 entities with those
# from 500, as many as two runs of 500 with different seeds share (46): 5x faster.
EXACT_BETWEENNESS_NODES = 2_000
BETWEENNESS_SAMPLES = (100, 500)
BETWEENNESS_EDGE_VISITS = 50_000_000
DAMPING = 0.85


@dataclass(frozen=True)
class ConceptScore:
    """One entity's centrality: the four measures, the combined score and its rank (1 = top)."""

    iri: str
    label: str
    type: str
    papers: int
    degree: int
    pagerank: float
    betweenness: float
    eigenvector: float
    score: float
    rank: int


def default_betweenness_samples(graph: nx.Graph) -> int:
    """How many betweenness sources `centrality_measures` uses by default (all nodes: exact).

    Examples
    --------
    >>> default_betweenness_samples(nx.path_graph(10))
    10
    >>> default_betweenness_samples(nx.empty_graph(50_000)), default_betweenness_samples(nx.gnm_random_graph(3_000, 200_000))
    (500, 250)
    """
    return betweenness_samples_for(graph.number_of_nodes(), graph.number_of_edges())


def betweenness_samples_for(nodes: int, links: int) -> int:
    """`default_betweenness_samples` of a graph of ``nodes`` nodes and ``links`` links."""
    if nodes <= EXACT_BETWEENNESS_NODES:
        return nodes
    fewest, most = BETWEENNESS_SAMPLES
    return max(fewest, min(most, BETWEENNESS_EDGE_VISITS // max(links, 1)))


def sampled_sources(nodes: list, links: int, samples: int | None, seed: int) -> list | None:
    """The betweenness sources among ``nodes`` (in graph order): None (all nodes) when exact,
    else ``samples`` drawn with ``seed``."""
    if samples is None:
        samples = betweenness_samples_for(len(nodes), links)
    if samples >= len(nodes):
        return None
    return random.Random(seed).sample(nodes, samples)


def _scale_betweenness(raw: dict, n: int, sources: list | None) -> dict:
    """Normalise undirected pair counts to [0, 1]; a sampled sum is scaled up by n / k first."""
    if n <= 2:
        return dict.fromkeys(raw, 0.0)
    factor = 2.0 / ((n - 1) * (n - 2))
    if sources is not None:
        factor *= n / len(sources)
    return {node: value * factor for node, value in raw.items()}


def _leading_eigenvector(graph: nx.Graph) -> dict:
    """`nx.eigenvector_centrality_numpy` (weighted) from a fixed start vector. ARPACK's own
    start is random, from a state that every call advances, so the last digits of the
    values depended on what the process had computed before."""
    from scipy.sparse.linalg import eigs

    matrix = nx.to_scipy_sparse_array(graph, nodelist=list(graph), weight="weight", dtype=float)
    _, vectors = eigs(matrix.T, k=1, which="LR", maxiter=1000, tol=0, v0=np.ones(len(graph)))
    largest = vectors.flatten().real
    return dict(zip(graph, (largest / (np.sign(largest.sum()) * np.linalg.norm(largest))).tolist()))


def _networkx_measures(graph: nx.Graph, sources: list | None) -> dict[str, dict]:
    nodes = list(graph)
    if sources is None:
        raw = nx.betweenness_centrality(graph, normalized=False)
    else:
        raw = nx.betweenness_centrality_subset(graph, sources=sources, targets=nodes, normalized=False)
    eigen = dict.fromkeys(nodes, 0.0)
    giant = max(nx.connected_components(graph), key=len, default=set())
    if len(giant) > 1:
        sub = graph.subgraph(giant)
        if len(giant) > 2:
            values = _leading_eigenvector(sub)
        else:  # ARPACK needs three nodes; two linked nodes share the centrality equally
            values = dict.fromkeys(giant, 1.0)
        top = max(values.values())
        eigen.update({node: value / top for node, value in values.items()})
    return {
        "pagerank": nx.pagerank(graph, alpha=DAMPING, weight="weight", tol=1e-10, max_iter=500) if nodes else {},
        "betweenness": _scale_betweenness(raw, len(nodes), sources),
        "eigenvector": eigen,
    }


def igraph_measures(nodes: list, sources: list | None, seed: int, converted) -> dict[str, dict]:
    """PageRank, betweenness and eigenvector centrality of ``converted``, an igraph graph whose
    vertex ``i`` is ``nodes[i]`` (degree aside: the caller has it)."""
    index = {node: i for i, node in enumerate(nodes)}
    if sources is None:
        raw = converted.betweenness(directed=False)
    else:
        raw = converted.betweenness(directed=False, sources=[index[s] for s in sources], targets=None)
    eigen = [0.0] * len(nodes)
    members = max(converted.connected_components(), key=len, default=[])
    # ARPACK starts from a random vector: seeded, reruns agree to the last bit (PRPACK,
    # igraph's default for PageRank, does not).
    with seeded_igraph(seed):
        if len(members) > 1:
            # induced_subgraph keeps vertex ids in ascending order, as `members` is; a graph all
            # of one piece is measured as it is (the copy costs a quarter second at 2 M links)
            whole = converted if len(members) == converted.vcount() else converted.induced_subgraph(members)
            values = whole.eigenvector_centrality(weights="weight", scale=False)
            top = max(values)
            for vertex, value in zip(sorted(members), values):
                eigen[vertex] = abs(value) / abs(top) if top else 0.0
        pagerank = converted.pagerank(weights="weight", damping=DAMPING, directed=False, implementation="arpack") if nodes else []
    return {
        "pagerank": dict(zip(nodes, pagerank)),
        "betweenness": _scale_betweenness(dict(zip(nodes, raw)), len(nodes), sources),
        "eigenvector": dict(zip(nodes, eigen)),
    }


def centrality_measures(
    graph: nx.Graph,
    *,
    seed: int = 0,
    backend: Backend = "auto",
    betweenness_samples: int | None = None,
    igraph_copy=None,
) -> dict[str, dict]:
    """Measure name -> {node: value} for the four `MEASURES` of a co-mention graph.

    ``betweenness_samples`` (``k``) defaults to exact betweenness up to 2,000 nodes, above
    that to 100-500 sources drawn with ``seed`` (fewer on graphs with more links: see
    `BETWEENNESS_EDGE_VISITS`); both backends use the same sources. ``igraph_copy``
    (`to_igraph` of ``graph``) saves converting again when the caller already has one.

    Examples
    --------
    >>> m = centrality_measures(nx.Graph([("a", "b"), ("b", "c")]))
    >>> m["degree"]["b"], m["betweenness"]["b"], round(m["pagerank"]["b"], 4)
    (2, 1.0, 0.4865)
    """
    sources = sampled_sources(list(graph), graph.number_of_edges(), betweenness_samples, seed)
    if choose_backend(graph, backend) == "igraph":
        measures = igraph_measures(list(graph), sources, seed, igraph_copy if igraph_copy is not None else to_igraph(graph))
    else:
        measures = _networkx_measures(graph, sources)
    measures["degree"] = dict(graph.degree())
    return measures


def rank_percentiles(values: dict) -> dict:
    """Node -> 1 for the highest value down to 0 for the lowest; ties share their mean rank.

    Examples
    --------
    >>> rank_percentiles({"a": 3, "b": 1, "c": 1})
    {'a': 1.0, 'b': 0.25, 'c': 0.25}
    """
    if len(values) == 1:
        return dict.fromkeys(values, 1.0)
    # Ten significant digits: values equal up to float noise (symmetric nodes) must tie.
    values = {node: float(f"{value:.10g}") for node, value in values.items()}
    ordered = sorted(values, key=values.get, reverse=True)
    result: dict = {}
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and values[ordered[end + 1]] == values[ordered[start]]:
            end += 1
        mean_rank = (start + end) / 2  # 0-based
        for node in ordered[start : end + 1]:
            result[node] = 1.0 - mean_rank / (len(ordered) - 1)
        start = end + 1
    return result


def central_concepts(
    graph: nx.Graph,
    *,
    seed: int = 0,
    backend: Backend = "auto",
    betweenness_samples: int | None = None,
    igraph_copy=None,
) -> list[ConceptScore]:
    """Every node of a co-mention graph with its measures, best combined score first
    (parameters as for `centrality_measures`).

    Examples
    --------
    >>> g = nx.Graph([("hub", x) for x in "abcd"] + [("a", "b")])
    >>> [(c.iri, c.rank) for c in central_concepts(g)[:2]]
    [('hub', 1), ('a', 2)]
    """
    measures = centrality_measures(
        graph, seed=seed, backend=backend, betweenness_samples=betweenness_samples, igraph_copy=igraph_copy)
    return rank_concepts(graph.nodes, measures)


def rank_concepts(attrs, measures: dict[str, dict]) -> list[ConceptScore]:
    """The `ConceptScore` of every node of ``attrs`` (node -> dict with ``label``, ``type``,
    ``papers``, in graph order) from its `MEASURES`, best combined score first."""
    percentiles = [rank_percentiles(measures[name]) for name in MEASURES]
    combined = {node: sum(p[node] for p in percentiles) / len(MEASURES) for node in attrs}
    order = sorted(attrs, key=lambda n: (-combined[n], -measures["pagerank"][n], attrs[n].get("label", str(n)), str(n)))
    return [
        ConceptScore(
            iri=str(node),
            label=attrs[node].get("label", str(node)),
            type=attrs[node].get("type", "Entity"),
            papers=attrs[node].get("papers", 0),
            degree=measures["degree"][node],
            pagerank=measures["pagerank"][node],
            betweenness=measures["betweenness"][node],
            eigenvector=measures["eigenvector"][node],
            score=combined[node],
            rank=position,
        )
        for position, node in enumerate(order, start=1)
    ]


def by_type(concepts: list[ConceptScore], *, top: int = 10) -> dict[str, list[ConceptScore]]:
    """Type name -> its ``top`` concepts, in the order of the overall ranking."""
    grouped: dict[str, list[ConceptScore]] = defaultdict(list)
    for concept in concepts:
        if len(grouped[concept.type]) < top:
            grouped[concept.type].append(concept)
    return dict(sorted(grouped.items()))
