"""Write analytics results back into the RDF graph with ontology terms, so SPARQL sees them.

Everything goes into one named graph (``<base>graph/analytics``) of a Dataset, which a
re-run replaces; into a plain Graph the triples are simply added.

- each entity: ``kg:centralityScore``, ``kg:centralityRank``, ``kg:coMentionDegree``,
  ``kg:pageRank``, ``kg:betweenness``, ``kg:eigenvectorCentrality``, ``kg:inCommunity``;
- each community: ``a kg:Community``, ``rdfs:label`` (its name), ``kg:communityNumber``,
  ``kg:communitySize``;
- each co-mention link kept by the analysis: ``a kg:CoMention``, two ``kg:coMentionOf``,
  ``kg:support``, ``kg:npmi``, ``kg:jaccard``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.analytics.analyze import AnalyticsResult
from kg.comentionfiles import comention_name, comention_ntriples, link_columns
from kg.analytics.terms import ANALYTICS_GRAPH, KG
from kg.graphstore import QuadLoader, nquads_object
from kg.vocab import PREFIXES, resolve_base_iri

__all__ = ["comention_iri", "analytics_triples", "analytics_ntriples", "analytics_graph", "write_back"]


def comention_iri(base_iri: str, first: str, second: str) -> URIRef:
    """A stable IRI for the co-mention of two entities, whichever order they come in.

    Examples
    --------
    >>> comention_iri("https://x.org/", "urn:a", "urn:b") == comention_iri("https://x.org/", "urn:b", "urn:a")
    True
    """
    return URIRef(f"{base_iri}comention/{comention_name(first, second)}")




def analytics_triples(result: AnalyticsResult, *, base_iri: str | None = None) -> Iterator[tuple[URIRef, URIRef, object]]:
    """The results of `analyze` as triples with ontology terms; literal objects are plain
    Python values (float: xsd:double, int: xsd:integer, str: a string), as `kg.graphstore.QuadLoader` takes them."""
    base = resolve_base_iri(base_iri)
    membership = result.communities.membership()
    community_iri = {c.number: URIRef(f"{base}community/{c.number}") for c in result.communities.communities}
    for concept in result.concepts:
        entity = URIRef(concept.iri)
        yield entity, KG.centralityScore, float(concept.score)
        yield entity, KG.centralityRank, int(concept.rank)
        yield entity, KG.coMentionDegree, int(concept.degree)
        yield entity, KG.pageRank, float(concept.pagerank)
        yield entity, KG.betweenness, float(concept.betweenness)
        yield entity, KG.eigenvectorCentrality, float(concept.eigenvector)
        if concept.iri in membership:
            yield entity, KG.inCommunity, community_iri[membership[concept.iri]]
    for community in result.communities.communities:
        node = community_iri[community.number]
        yield node, RDF.type, KG.Community
        yield node, RDFS.label, str(community.name)
        yield node, KG.communityNumber, int(community.number)
        yield node, KG.communitySize, int(community.size)
    for link in result.comentions:
        node = comention_iri(base, link.source, link.target)
        yield node, RDF.type, KG.CoMention
        yield node, KG.coMentionOf, URIRef(link.source)
        yield node, KG.coMentionOf, URIRef(link.target)
        yield node, KG.support, int(link.support)
        yield node, KG.npmi, float(link.npmi)
        yield node, KG.jaccard, float(link.jaccard)


def analytics_ntriples(result: AnalyticsResult, *, base_iri: str | None = None, links: bool = True) -> Iterator[str]:
    """`analytics_triples` as N-Triples text, a chunk per entity, community or link (the same
    lines as writing each triple with `kg.graphstore.nquads_object`, without a term per triple:
    a million triples in seconds); ``links=False`` stops before the co-mention links."""
    base = resolve_base_iri(base_iri)
    membership = result.communities.membership()
    double, integer = f"^^<{XSD.double}>", f"^^<{XSD.integer}>"
    p = {name: f"> <{KG[name]}> " for name in ("centralityScore", "centralityRank", "coMentionDegree", "pageRank",
                                                "betweenness", "eigenvectorCentrality", "inCommunity", "coMentionOf",
                                                "support", "npmi", "jaccard", "communityNumber", "communitySize")}
    for c in result.concepts:
        s = f"<{c.iri}"
        text = (f'{s}{p["centralityScore"]}"{float(c.score)!r}"{double} .\n{s}{p["centralityRank"]}"{int(c.rank)}"{integer} .\n'
                f'{s}{p["coMentionDegree"]}"{int(c.degree)}"{integer} .\n{s}{p["pageRank"]}"{float(c.pagerank)!r}"{double} .\n'
                f'{s}{p["betweenness"]}"{float(c.betweenness)!r}"{double} .\n'
                f'{s}{p["eigenvectorCentrality"]}"{float(c.eigenvector)!r}"{double} .\n')
        if c.iri in membership:
            text += f"{s}{p['inCommunity']}<{base}community/{membership[c.iri]}> .\n"
        yield text
    for c in result.communities.communities:
        s = f"<{base}community/{c.number}"
        yield (f"{s}> <{RDF.type}> <{KG.Community}> .\n{s}> <{RDFS.label}> {nquads_object(str(c.name))} .\n"
               f'{s}{p["communityNumber"]}"{int(c.number)}"{integer} .\n{s}{p["communitySize"]}"{int(c.size)}"{integer} .\n')
    if links:
        yield from comention_ntriples(link_columns(result.comentions), base=base)


def _term(value) -> rdflib.term.Node:
    """An rdflib term for a value of `analytics_triples` (doubles and integers typed as before)."""
    if isinstance(value, URIRef):
        return value
    if isinstance(value, float):
        return Literal(value, datatype=XSD.double)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    return Literal(value)


def analytics_graph(result: AnalyticsResult, *, base_iri: str | None = None) -> rdflib.Graph:
    """The results of `analyze` as triples with ontology terms, in a graph of their own."""
    target = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        target.bind(prefix, namespace)
    target.addN((s, p, _term(o), target) for s, p, o in analytics_triples(result, base_iri=base_iri))
    return target


def write_back(graph: rdflib.Graph, result: AnalyticsResult, *, base_iri: str | None = None) -> rdflib.Graph:
    """Add the results of `analyze` to ``graph``; returns them as a graph of their own.

    In an rdflib Dataset they go into the named graph ``<base_iri>graph/analytics``,
    emptied first, so a re-run replaces them; a plain Graph simply gets them added. In a
    Dataset on an Oxigraph store they are bulk-loaded, and the graph returned is that
    named graph of the store (not a copy).
    """
    if isinstance(graph, rdflib.Dataset) and isinstance(graph.store, OxigraphStore):
        # Straight into the store as N-Quads (`QuadLoader`): no rdflib graph of a million triples in between.
        name = URIRef(resolve_base_iri(base_iri) + ANALYTICS_GRAPH)
        graph.store._inner.remove_graph(ox.NamedNode(str(name)))
        loader = QuadLoader(graph)
        loader.add(name, analytics_triples(result, base_iri=base_iri))
        loader.flush()
        return graph.graph(name)
    added = analytics_graph(result, base_iri=base_iri)
    if isinstance(graph, rdflib.Dataset):
        name = URIRef(resolve_base_iri(base_iri) + ANALYTICS_GRAPH)
        graph.remove_graph(name)
        target = graph.graph(name)
    else:
        target = graph
    target.addN((s, p, o, target) for s, p, o in added)
    return added
