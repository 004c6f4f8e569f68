"""What the views need from a graph, read once: the analytics' mention table, co-mention
graph, centrality and communities, plus the text only a page shows (paper titles and
addresses, entity aliases).

Co-mention, centrality and communities come from `kg.analytics` (one implementation for
the report and the views); this module only adds the descriptive literals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx
import rdflib

from kg.analytics.analyze import AnalyticsResult
from kg.analytics.centrality import ConceptScore, central_concepts
from kg.analytics.comention import comention_graph
from kg.analytics.communities import Communities, find_communities
from kg.analytics.mentions import MentionTable, read_mentions
from kg.views.model import PaperRef
from kg.vocab import DCTERMS, KG, SCHEMA, SKOS

__all__ = ["PaperFacts", "GraphFacts", "read_facts"]

_ARXIV_ABS = "https://arxiv.org/abs/"
_DOI_ORG = "https://doi.org/"


@dataclass(frozen=True)
class PaperFacts:
    """A paper's identifier, title, date and web addresses (``schema:url``)."""

    iri: str
    id: str
    title: str
    date: str | None
    urls: tuple[str, ...]

    def ref(self) -> PaperRef:
        return PaperRef(self.id, self.title, self.urls[0] if self.urls else None)


@dataclass(frozen=True)
class GraphFacts:
    """Everything the views select from, keyed by resource IRI (strings)."""

    table: MentionTable
    comention: nx.Graph
    scores: Mapping[str, ConceptScore]
    communities: Communities
    papers: Mapping[str, PaperFacts]
    aliases: Mapping[str, tuple[str, ...]]
    mentioned_by: Mapping[str, tuple[str, ...]]  # entity -> papers, most recent first

    def ranked_entities(self) -> list[str]:
        """Entity IRIs, best combined centrality first."""
        return sorted(self.scores, key=lambda iri: self.scores[iri].rank)

    def community_of(self) -> dict[str, int]:
        return self.communities.membership()


def _paper_facts(graph: rdflib.Graph, iri: rdflib.term.Node) -> PaperFacts:
    identifier = graph.value(iri, DCTERMS.identifier, any=True)
    title = graph.value(iri, DCTERMS.title, any=True)
    date = graph.value(iri, DCTERMS.date, any=True)
    urls = sorted({str(u) for u in graph.objects(iri, SCHEMA.url)})
    # No address given: the identifiers still lead to the paper.
    if not urls:
        urls += [_ARXIV_ABS + str(a) for a in graph.objects(iri, KG.arxivId)]
        urls += [_DOI_ORG + str(d) for d in graph.objects(iri, KG.doi)]
    key = str(iri)
    return PaperFacts(
        iri=key,
        id=str(identifier) if identifier is not None else key,
        title=str(title) if title is not None else (str(identifier) if identifier is not None else key),
        date=str(date) if date is not None else None,
        urls=tuple(urls),
    )


def _recent_first(papers: Mapping[str, PaperFacts], keys: set[str]) -> tuple[str, ...]:
    # Undated papers last; ties by title so the order is reproducible.
    ordered = sorted(keys, key=lambda k: papers[k].title.casefold())
    ordered.sort(key=lambda k: papers[k].date or "", reverse=True)
    return tuple(ordered)


def read_facts(graph: rdflib.Graph, *, seed: int = 0, analytics: AnalyticsResult | None = None) -> GraphFacts:
    """Read the facts every view needs from ``graph`` and run the analytics on them.

    ``graph`` is an rdflib Graph or a Dataset with a union default graph (what
    `kg.graphfile.load_graph` returns). ``analytics``, the result `kg.analytics.analyze`
    already gave for this graph, saves computing centrality and communities again.
    """
    table = read_mentions(graph)
    comention = comention_graph(table)
    if analytics is not None and {c.iri for c in analytics.concepts} == set(comention):
        scores = {c.iri: c for c in analytics.concepts}
        communities = analytics.communities
    else:
        scores = {c.iri: c for c in central_concepts(comention, seed=seed)}
        communities = find_communities(comention, seed=seed)
    papers = {key: _paper_facts(graph, rdflib.URIRef(key)) for key in table.papers}
    aliases = {}
    for iri in table.entities:
        names = {str(label) for label in graph.objects(rdflib.URIRef(iri), SKOS.altLabel)}
        names.discard(table.entities[iri].label)
        aliases[iri] = tuple(sorted(names, key=str.casefold))
    mentioning: dict[str, set[str]] = {iri: set() for iri in table.entities}
    for paper, mentioned in table.papers.items():
        for entity in mentioned:
            mentioning[entity].add(paper)
    return GraphFacts(
        table=table,
        comention=comention,
        scores=MappingProxyType(scores),
        communities=communities,
        papers=MappingProxyType(papers),
        aliases=MappingProxyType(aliases),
        mentioned_by=MappingProxyType({iri: _recent_first(papers, keys) for iri, keys in mentioning.items()}),
    )
