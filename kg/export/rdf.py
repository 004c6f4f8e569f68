"""The RDF serialisations: Turtle, N-Triples, N-Quads, TriG and RDF/XML, streamed by pyoxigraph.

Dataset formats (N-Quads, TriG) keep one named graph per paper; triple formats (Turtle,
N-Triples, RDF/XML) hold the union of all graphs, each distinct triple once. The JSON-LD
exporter lives in `kg.export.jsonld` because it compacts with the shipped context.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from kg.export.registry import Exporter
from kg.export.streaming import chunks_from_writer
from kg.quadstore import GraphInput, open_quads

__all__ = ["SORTED_LIMIT", "generate_rdf", "TURTLE", "NTRIPLES", "NQUADS", "TRIG", "RDFXML"]

SORTED_LIMIT = 500_000  # quads; sorting a million costs seconds and a copy of the graph


def generate_rdf(graph: GraphInput, *, format: ox.RdfFormat) -> Iterator[bytes]:
    """Yield ``graph`` serialised in ``format``, chunk by chunk.

    Examples
    --------
    >>> import rdflib
    >>> g = rdflib.Graph()
    >>> _ = g.add((rdflib.URIRef("http://x/a"), rdflib.URIRef("http://x/b"), rdflib.Literal("c")))
    >>> b"".join(generate_rdf(g, format=ox.RdfFormat.N_TRIPLES))
    b'<http://x/a> <http://x/b> "c" .\\n'
    """
    quads = open_quads(graph)
    # Line formats need no prefixes; RDF/XML needs them for its element names.
    prefixes = None if format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) else quads.used_prefixes()
    # Sorted so that each subject (and each TriG graph block) is written once, and the
    # output is stable from run to run; past SORTED_LIMIT, in the store's own order,
    # which copies nothing (subjects may then repeat in Turtle: still valid).
    if len(quads) <= SORTED_LIMIT:
        if format.supports_datasets:
            statements: list = sorted(quads.store, key=_quad_order)
        else:
            statements = sorted(quads.union_triples(), key=_triple_order)
        yield from chunks_from_writer(lambda out: ox.serialize(statements, out, format, prefixes=prefixes))
    elif format.supports_datasets:
        yield from chunks_from_writer(lambda out: quads.store.dump(out, format, prefixes=prefixes))
    else:
        # pyoxigraph iterators belong to the thread that made them: make it in the writer's.
        yield from chunks_from_writer(lambda out: ox.serialize(quads.union_triples(), out, format, prefixes=prefixes))


def _triple_order(triple: ox.Triple) -> tuple[str, str, str]:
    return str(triple.subject), str(triple.predicate), str(triple.object)


def _quad_order(quad: ox.Quad) -> tuple[str, str, str, str]:
    return str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object)


def _exporter(name: str, format: ox.RdfFormat, description: str) -> Exporter:
    return Exporter(
        name=name,
        generate=lambda graph: generate_rdf(graph, format=format),
        extension="." + format.file_extension,
        media_type=format.media_type,
        description=description,
        kind="rdf",
    )


TURTLE = _exporter("turtle", ox.RdfFormat.TURTLE, "Turtle: the union of all graphs, with prefixes")
NTRIPLES = _exporter("ntriples", ox.RdfFormat.N_TRIPLES, "N-Triples: one triple a line (union of all graphs)")
NQUADS = _exporter("nquads", ox.RdfFormat.N_QUADS, "N-Quads: one quad a line, named graphs kept")
TRIG = _exporter("trig", ox.RdfFormat.TRIG, "TriG: Turtle with one block per named graph")
RDFXML = _exporter("rdfxml", ox.RdfFormat.RDF_XML, "RDF/XML: the union of all graphs")
