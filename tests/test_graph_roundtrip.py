"""The graph survives Turtle, N-Triples, N-Quads, TriG, JSON-LD and RDF/XML, read by rdflib and by pyoxigraph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from graphfixtures import bundled_sample, fixed_run, small_corpus

from kg.graph import build_graph
from kg.quadstore import to_oxigraph_term

# rdflib serialiser name -> pyoxigraph format; the first three keep the named graphs.
QUAD_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "json-ld": ox.RdfFormat.JSON_LD}
TRIPLE_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML}


@pytest.fixture(scope="module", params=["hostile", "bundled"])
def dataset(request) -> rdflib.Dataset:
    # the hand-made corpus with hostile names, and a slice of the bundled corpus as extracted
    if request.param == "hostile":
        papers, extractions = small_corpus()
    else:
        papers, extractions = (part[:12] for part in bundled_sample())
    return build_graph(papers, extractions, run=fixed_run(), store="memory")


@pytest.fixture(scope="module")
def merged(dataset) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph += dataset.triples((None, None, None))
    return graph


def quads_of(dataset: rdflib.Dataset) -> set[str]:
    """Canonical N-Quads lines (pyoxigraph's terms: a simple literal is its xsd:string form)."""
    found = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        graph = ox.DefaultGraph() if name is None or name == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else to_oxigraph_term(name)
        found.add(str(ox.Quad(*(to_oxigraph_term(t) for t in (s, p, o)), graph)))
    return found


def triples_of(graph: rdflib.Graph) -> set[str]:
    return {str(ox.Triple(*(to_oxigraph_term(t) for t in triple))) for triple in graph}


def test_the_graph_is_not_trivial(dataset, merged):
    assert len(quads_of(dataset)) == len(dataset) > 400
    assert len({g.identifier for g in dataset.graphs() if len(g)}) >= 4
    assert len(merged) == len(triples_of(merged))


@pytest.mark.parametrize("fmt", sorted(QUAD_FORMATS))
def test_named_graph_formats_round_trip(dataset, fmt):
    expected = quads_of(dataset)
    data = dataset.serialize(format=fmt, encoding="utf-8")
    by_rdflib = rdflib.Dataset()
    by_rdflib.parse(data=data, format=fmt)
    assert quads_of(by_rdflib) == expected
    by_oxigraph = {str(q) for q in ox.parse(data, format=QUAD_FORMATS[fmt])}
    assert by_oxigraph == expected
    # and the other way: pyoxigraph writes, rdflib reads
    written = ox.serialize(ox.parse(data, format=QUAD_FORMATS[fmt]), format=QUAD_FORMATS[fmt])
    back = rdflib.Dataset()
    back.parse(data=written, format=fmt)
    assert quads_of(back) == expected


@pytest.mark.parametrize("fmt", sorted(TRIPLE_FORMATS))
def test_triple_formats_round_trip(merged, fmt):
    expected = triples_of(merged)
    data = merged.serialize(format=fmt, encoding="utf-8")
    assert triples_of(rdflib.Graph().parse(data=data, format=fmt)) == expected
    assert {str(t) for t in ox.parse(data, format=TRIPLE_FORMATS[fmt])} == expected
    written = ox.serialize(ox.parse(data, format=TRIPLE_FORMATS[fmt]), format=TRIPLE_FORMATS[fmt])
    assert triples_of(rdflib.Graph().parse(data=written, format=fmt)) == expected
