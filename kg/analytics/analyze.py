"""`analyze`: every measure of the co-mention graph in one call, graph in, plain data out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import rdflib

from kg.analytics.backends import LARGE_GRAPH_NODES, Backend, choose_backend, to_igraph
from kg.analytics.centrality import (MEASURES, ConceptScore, betweenness_samples_for, by_type, central_concepts,
                                     igraph_measures, rank_concepts, sampled_sources)
from kg.analytics.comention import CoMentionLink, comention_graph, strongest_links
from kg.analytics.communities import Communities, find_communities, igraph_louvain, name_communities
from kg.analytics.forked import Forked
from kg.analytics.linkarrays import (LinkArrays, RankedLinks, arrays_to_igraph, community_strength, degrees, link_arrays,
                                    link_table, ranked_links)
from kg.analytics.mentions import MentionTable, read_mentions
from kg.analytics.paircounts import PairCounts
from kg.analytics.trends import RisingEntity, TrendTable, mention_trends, rising_entities

__all__ = ["AnalyticsResult", "FORK_LINKS", "analyze", "analyze_mentions"]

# From this many links up, Louvain (2 s at 1.9 M links) and the trends (1 s at 100,000 papers)
# run in forked children beside the centrality measures (`kg.analytics.forked`); below, a fork
# costs more than it saves. The trends need only the table: their child starts first, so they
# are done before the measures, not after Louvain, while the other core would idle.
FORK_LINKS = 200_000


@dataclass(frozen=True)
class AnalyticsResult:
    """What `analyze` found: ranked concepts, links, communities and trends.

    ``concepts`` holds every entity, best first; ``comentions`` every link with at least
    ``settings["link_min_support"]`` papers (what is written back and to CSV); the
    ``links_by_*`` lists are the top links of the report.
    """

    papers: int
    entities: int
    links: int
    concepts: tuple[ConceptScore, ...]
    links_by_support: tuple[CoMentionLink, ...]
    links_by_npmi: tuple[CoMentionLink, ...]
    comentions: Sequence[CoMentionLink]  # a tuple, or `RankedLinks` on large graphs
    communities: Communities
    trends: TrendTable
    rising: tuple[RisingEntity, ...]
    labels: dict[str, str] = field(repr=False)  # entity IRI -> label, for links and trends
    settings: dict = field(default_factory=dict)

    def top_by_type(self, top: int = 10) -> dict[str, list[ConceptScore]]:
        """Type name -> its ``top`` concepts."""
        return by_type(list(self.concepts), top=top)

    def to_json(self, *, top: int = 50) -> dict:
        """A JSON-ready summary: settings, the ``top`` concepts overall and per type, the top
        links both ways, the communities (named, with their sizes and ``top`` members) and trends."""
        return {
            "settings": self.settings,
            "counts": {"papers": self.papers, "entities": self.entities, "links": self.links,
                       "communities": len(self.communities.communities)},
            "concepts": [asdict(c) for c in self.concepts[:top]],
            "concepts_by_type": {t: [c.iri for c in cs] for t, cs in self.top_by_type(10).items()},
            "links_by_support": [self._link_json(link) for link in self.links_by_support],
            "links_by_npmi": [self._link_json(link) for link in self.links_by_npmi],
            "communities": {
                "modularity": self.communities.modularity,
                "backend": self.communities.backend,
                "items": [
                    {"number": c.number, "name": c.name, "size": c.size, "members": list(c.members[:top])}
                    for c in self.communities.communities
                ],
            },
            "trends": {
                "granularity": self.trends.granularity,
                "periods": list(self.trends.periods),
                "papers": list(self.trends.papers),
                "undated": self.trends.undated,
                "unordered": self.trends.unordered,
                "rising": [asdict(r) for r in self.rising],
            },
        }

    def _link_json(self, link: CoMentionLink) -> dict:
        return asdict(link) | {"source_label": self.labels[link.source], "target_label": self.labels[link.target]}


def analyze_mentions(
    table: MentionTable,
    *,
    seed: int = 0,
    min_support: int = 1,
    npmi_min_support: int = 3,
    link_min_support: int = 2,
    rising_min_mentions: int = 3,
    top: int = 20,
    backend: Backend = "auto",
    betweenness_samples: int | None = None,
    resolution: float = 1.0,
    links_ready: Callable[[Sequence[CoMentionLink]], None] | None = None,
    counts: PairCounts | None = None,
) -> AnalyticsResult:
    """Central concepts, co-mention links, communities and trends of a `MentionTable`.

    Parameters
    ----------
    table : who mentions what (`kg.analytics.mentions.read_mentions` of an RDF graph).
    seed : seeds betweenness sampling and Louvain: the same seed, the same result.
    min_support : links seen in fewer papers are left out of the co-mention graph.
    npmi_min_support : the least support of a link ranked by NPMI.
    link_min_support : the least support of the links kept in ``comentions`` (written back).
    rising_min_mentions : the least number of late papers of a rising entity.
    top : length of the link and rising-entity lists.
    backend : ``"auto"`` (igraph on large graphs), ``"networkx"`` or ``"igraph"``.
    betweenness_samples : sources sampled for betweenness (default: exact up to 2,000
        entities, else 100 to 500 depending on the number of links).
    resolution : Louvain resolution (higher, smaller communities).
    links_ready : called with ``comentions`` as soon as they are known, before the measures
        (`kg.analytics.run` starts writing them then).
    counts : `kg.analytics.paircounts.PairCounts` of an earlier table that most of this one's
        papers are in (a large graph's links are then updated from them, not counted anew:
        the same result).
    """
    if backend == "igraph" or (backend == "auto" and len(table.entities) > LARGE_GRAPH_NODES):
        # Large: counted as arrays, measured in igraph, no NetworkX graph (the same results).
        arrays = link_arrays(table, min_support=min_support, counts=counts)
        trends_side = Forked(mention_trends, table, fork=arrays.links >= FORK_LINKS)
        chosen, nodes, links = "igraph", arrays.nodes, arrays.links
        comentions = link_table(arrays, by="support", min_support=link_min_support)
        if links_ready is not None:
            links_ready(comentions)
        concepts, communities = _igraph_measures(table, arrays, seed=seed, betweenness_samples=betweenness_samples,
                                                 resolution=resolution)
        trends = trends_side.result()
        by_support = ranked_links(arrays, by="support", top=top)
        by_npmi = ranked_links(arrays, by="npmi", top=top, min_support=npmi_min_support)
    else:
        graph = comention_graph(table, min_support=min_support)
        chosen, nodes, links = choose_backend(graph, backend), list(graph), graph.number_of_edges()
        igraph_copy = to_igraph(graph) if chosen == "igraph" else None  # converted once, used twice
        concepts = central_concepts(
            graph, seed=seed, backend=chosen, betweenness_samples=betweenness_samples, igraph_copy=igraph_copy)
        communities = find_communities(graph, seed=seed, resolution=resolution, backend=chosen, igraph_copy=igraph_copy)
        by_support = strongest_links(graph, by="support", top=top)
        by_npmi = strongest_links(graph, by="npmi", top=top, min_support=npmi_min_support)
        comentions = strongest_links(graph, by="support", top=graph.number_of_edges(), min_support=link_min_support)
        if links_ready is not None:
            links_ready(comentions)
        trends = mention_trends(table)
    settings = {
        "seed": seed,
        "min_support": min_support,
        "npmi_min_support": npmi_min_support,
        "link_min_support": link_min_support,
        "rising_min_mentions": rising_min_mentions,
        "backend": chosen,
        "betweenness_samples": min(betweenness_samples or betweenness_samples_for(len(nodes), links), len(nodes)),
        "resolution": resolution,
    }
    return AnalyticsResult(
        papers=len(table.papers),
        entities=len(nodes),
        links=links,
        concepts=tuple(concepts),
        links_by_support=tuple(by_support),
        links_by_npmi=tuple(by_npmi),
        comentions=comentions if isinstance(comentions, RankedLinks) else tuple(comentions),
        communities=communities,
        trends=trends,
        rising=tuple(rising_entities(table, trends, min_mentions=rising_min_mentions, top=top)),
        labels={iri: info.label for iri, info in table.entities.items()},
        settings=settings,
    )


def _louvain(converted, seed: int, resolution: float) -> tuple[list[int], float]:
    """What a forked child computes beside the centrality measures (about as long on large graphs)."""
    return igraph_louvain(converted, seed=seed, resolution=resolution) if converted.vcount() else ([], 0.0)


def _igraph_measures(table: MentionTable, arrays: LinkArrays, *, seed: int, betweenness_samples: int | None,
                     resolution: float) -> tuple[list[ConceptScore], Communities]:
    """Central concepts and communities of `LinkArrays`, as `central_concepts` and
    `find_communities` give them on the igraph backend."""
    converted = arrays_to_igraph(arrays)
    nodes = arrays.nodes
    attrs = {iri: {"label": table.entities[iri].label, "type": table.entities[iri].type, "papers": count}
             for iri, count in zip(nodes, arrays.papers.tolist())}
    sources = sampled_sources(nodes, arrays.links, betweenness_samples, seed)
    side = Forked(_louvain, converted, seed, resolution, fork=arrays.links >= FORK_LINKS)
    measures = igraph_measures(nodes, sources, seed, converted) if nodes else {m: {} for m in MEASURES}
    measures["degree"] = degrees(arrays)
    membership, modularity = side.result()
    parts: dict[int, set] = {}
    for vertex, part in enumerate(membership):
        parts.setdefault(part, set()).add(nodes[vertex])
    communities = name_communities([parts[p] for p in sorted(parts)], community_strength(arrays, membership), attrs,
                                   modularity, "igraph")
    return rank_concepts(attrs, measures), communities


def analyze(graph: rdflib.Graph, *, seed: int = 0, **options) -> AnalyticsResult:
    """Central concepts, co-mention links, communities and trends of an RDF graph.

    ``graph`` is an rdflib Graph or Dataset with ``kg:Paper`` resources and their
    ``kg:mentions`` (what `kg.graph.build_graph` or `kg.graphfile.load_graph` give);
    ``seed`` seeds betweenness sampling and Louvain; ``options`` are those of
    `analyze_mentions` (``min_support``, ``npmi_min_support``, ``backend``, ...).

    Examples
    --------
    >>> turtle = ("@prefix kg: <https://w3id.org/kg/ontology#> . "
    ...     "<urn:p1> a kg:Paper ; kg:mentions <urn:a>, <urn:b> . "
    ...     "<urn:p2> a kg:Paper ; kg:mentions <urn:a>, <urn:b>, <urn:c> . "
    ...     "<urn:p3> a kg:Paper ; kg:mentions <urn:b>, <urn:c> .")
    >>> result = analyze(rdflib.Graph().parse(data=turtle, format="turtle"))
    >>> result.papers, result.links, result.concepts[0].iri
    (3, 3, 'urn:b')
    """
    return analyze_mentions(read_mentions(graph), seed=seed, **options)
