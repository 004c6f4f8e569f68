"""The graphs build_graph makes conform to ontology/shapes.ttl (pySHACL), and broken ones do not."""

from __future__ import annotations

from importlib.resources import files

import pyshacl
import pytest
import rdflib
from goldrecords import SHARED_EVAL, load_gold
from graphfixtures import bundled_sample, fixed_run, small_corpus
from rdflib import RDF, SKOS, Literal, URIRef

from kg.graph import build_graph
from kg.vocab import KG


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data=files("kg.ontology").joinpath("shapes.ttl").read_text("utf-8"), format="turtle")


def merged(dataset: rdflib.Dataset) -> rdflib.Graph:
    # pySHACL validates each named graph of a Dataset on its own; the shapes describe the union.
    graph = rdflib.Graph()
    graph += dataset.triples((None, None, None))
    return graph


def validate(graph: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, str]:
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    return conforms, text


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_small_corpus_with_hostile_names_conforms(shapes, store):
    # Through Oxigraph, rdflib reads plain literals back as "..."^^xsd:string: the shapes must not care.
    papers, extractions = small_corpus()
    conforms, text = validate(merged(build_graph(papers, extractions, run=fixed_run(), store=store)), shapes)
    assert conforms, text


def test_bundled_corpus_sample_conforms(shapes):
    # The bundled corpus through the real reader and the rules-only extractor (a slice keeps
    # this test to seconds; `bench/bench_graph.py corpus --shacl` validates the whole corpus).
    papers, extractions = bundled_sample()
    dataset = build_graph(papers, extractions)
    assert sum(1 for _ in dataset.subjects(RDF.type, KG.Mention)) > 100
    conforms, text = validate(merged(dataset), shapes)
    assert conforms, text


@pytest.mark.skipif(not (SHARED_EVAL / "dev.gold.jsonl").exists(), reason="shared eval data not present")
def test_dev_gold_graph_conforms(shapes):
    papers, extractions, _ = load_gold()
    conforms, text = validate(merged(build_graph(papers[:30], extractions[:30])), shapes)
    assert conforms, text


def test_shapes_reject_broken_graphs(shapes):
    papers, extractions = small_corpus()
    graph = merged(build_graph(papers[:1], extractions[:1], run=fixed_run()))
    entity = next(graph.subjects(RDF.type, KG.Method))
    mention = next(graph.subjects(RDF.type, KG.Mention))
    broken = [
        lambda g: g.remove((entity, SKOS.prefLabel, None)),
        lambda g: g.add((entity, SKOS.prefLabel, Literal("second label"))),
        lambda g: g.set((mention, KG.start, Literal(10**6))),  # start after end
        lambda g: g.add((mention, KG.mentionOf, URIRef("https://example.org/not-an-entity"))),
        lambda g: g.set((mention, KG.field, Literal("body"))),
    ]
    for breaking in broken:
        copy = rdflib.Graph()
        copy += graph
        breaking(copy)
        conforms, _ = validate(copy, shapes)
        assert not conforms, breaking
