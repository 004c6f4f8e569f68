"""`analyze`: every measure of the co-mention graph in one call, graph in, plain data out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import rdflib

from kg.analytics.backends import Backend, choose_backend, to_igraph
from kg.analytics.centrality import ConceptScore, by_type, central_concepts, default_betweenness_samples
from kg.analytics.comention import CoMentionLink, comention_graph, strongest_links
from kg.analytics.communities import Communities, find_communities
from kg.analytics.mentions import MentionTable, read_mentions
from kg.analytics.trends import RisingEntity, TrendTable, mention_trends, rising_entities

__all__ = ["AnalyticsResult", "analyze", "analyze_mentions"]


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
    comentions: tuple[CoMentionLink, ...]
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
    """
    graph = comention_graph(table, min_support=min_support)
    chosen = choose_backend(graph, backend)
    igraph_copy = to_igraph(graph) if chosen == "igraph" else None  # converted once, used twice
    concepts = central_concepts(
        graph, seed=seed, backend=chosen, betweenness_samples=betweenness_samples, igraph_copy=igraph_copy)
    communities = find_communities(graph, seed=seed, resolution=resolution, backend=chosen, igraph_copy=igraph_copy)
    trends = mention_trends(table)
    settings = {
        "seed": seed,
        "min_support": min_support,
        "npmi_min_support": npmi_min_support,
        "link_min_support": link_min_support,
        "rising_min_mentions": rising_min_mentions,
        "backend": chosen,
        "betweenness_samples": min(betweenness_samples or default_betweenness_samples(graph), graph.number_of_nodes()),
        "resolution": resolution,
    }
    return AnalyticsResult(
        papers=len(table.papers),
        entities=graph.number_of_nodes(),
        links=graph.number_of_edges(),
        concepts=tuple(concepts),
        links_by_support=tuple(strongest_links(graph, by="support", top=top)),
        links_by_npmi=tuple(strongest_links(graph, by="npmi", top=top, min_support=npmi_min_support)),
        comentions=tuple(strongest_links(graph, by="support", top=graph.number_of_edges(), min_support=link_min_support)),
        communities=communities,
        trends=trends,
        rising=tuple(rising_entities(table, trends, min_mentions=rising_min_mentions, top=top)),
        labels={iri: info.label for iri, info in table.entities.items()},
        settings=settings,
    )


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
