"""JSON-LD compacted with the context shipped in ``ontology/context.jsonld``.

The output is one JSON object: the context, then a ``@graph`` array holding one
``{"@id": <graph>, "@graph": [...]}`` object per named graph (and the default graph's
nodes directly). It is written a named graph at a time, so memory follows the largest
graph (one paper), not the whole dataset.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

import pyoxigraph as ox
import rdflib

from kg.export.registry import Exporter
from kg.quadstore import GraphInput, open_quads

__all__ = ["jsonld_context", "generate_jsonld", "JSONLD"]


@cache
def jsonld_context() -> dict:
    """The ``@context`` object of ``ontology/context.jsonld``.

    Examples
    --------
    >>> jsonld_context()["kg"]
    'https://w3id.org/kg/ontology#'
    """
    return json.loads(files("kg.ontology").joinpath("context.jsonld").read_text(encoding="utf-8"))["@context"]


def _compact_nodes(triples: list[ox.Triple], context: dict) -> list[dict]:
    # rdflib does the JSON-LD compaction; one small graph at a time keeps it cheap.
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    document = json.loads(graph.serialize(format="json-ld", context=context))
    if isinstance(document, list):
        return document
    document.pop("@context", None)
    return document.get("@graph", [document] if document else [])


def generate_jsonld(graph: GraphInput) -> Iterator[bytes]:
    """Yield ``graph`` as compact JSON-LD, one named graph per chunk.

    Examples
    --------
    >>> g = rdflib.Dataset()
    >>> paper = rdflib.URIRef("https://example.org/paper/1")
    >>> _ = g.graph(paper).add((paper, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/kg/ontology#Paper")))
    >>> json.loads(b"".join(generate_jsonld(g)))["@graph"]
    [{'@id': 'https://example.org/paper/1', '@graph': [{'@id': 'https://example.org/paper/1', '@type': 'Paper'}]}]
    """
    quads = open_quads(graph)
    context = jsonld_context()
    yield b'{"@context": ' + json.dumps(context, indent=1).encode() + b',\n"@graph": ['
    first = True
    for name in quads.graph_names():
        nodes = _compact_nodes(list(quads.triples(name)), context)
        if isinstance(name, ox.DefaultGraph):
            items = nodes
        else:
            identifier = name.value if isinstance(name, ox.NamedNode) else f"_:{name.value}"
            items = [{"@id": identifier, "@graph": nodes}]
        for item in items:
            yield (b"\n" if first else b",\n") + json.dumps(item, ensure_ascii=False).encode()
            first = False
    yield b"\n]}\n"


JSONLD = Exporter(
    name="jsonld",
    generate=generate_jsonld,
    extension=".jsonld",
    media_type="application/ld+json",
    description="JSON-LD compacted with ontology/context.jsonld, one object per named graph",
    kind="rdf",
)
