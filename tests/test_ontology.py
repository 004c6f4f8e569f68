"""The vocabulary file, the closed Python namespace, the SHACL shapes and the JSON-LD context agree."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS

from kg.vocab import KG, KG_NS, PREFIXES, resolve_base_iri

ONTOLOGY = files("kg.ontology")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data=ONTOLOGY.joinpath("kg.ttl").read_text("utf-8"), format="turtle")


def declared_terms(graph: rdflib.Graph) -> set[str]:
    return {
        str(s)[len(KG_NS):]
        for kind in TERM_TYPES
        for s in graph.subjects(RDF.type, kind)
        if str(s).startswith(KG_NS)
    }


def test_python_namespace_lists_exactly_the_turtle_terms(ontology):
    assert declared_terms(ontology) == set(KG.__annotations__)


def test_every_kg_iri_used_in_the_turtle_is_declared(ontology):
    used = {str(t)[len(KG_NS):] for triple in ontology for t in triple if str(t).startswith(KG_NS)}
    assert used <= set(KG.__annotations__)


def test_every_term_has_a_label_and_a_comment(ontology):
    for name in KG.__annotations__:
        term = KG[name]
        assert ontology.value(term, RDFS.label), name
        assert ontology.value(term, RDFS.comment), name


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        KG.mention  # noqa: B018 - the real term is KG.mentions


def test_contract_terms_exist():
    # docs/CONTRACTS.md promises these to analytics, SPARQL and views.
    for name in ("Paper", "Entity", "Method", "Model", "Dataset", "Benchmark", "Task", "Metric",
                 "mentions", "introduces", "uses", "basedOn", "evaluatedOn", "appliedTo", "outperforms"):
        assert KG[name] == rdflib.URIRef(KG_NS + name)


def test_alignment_to_standard_vocabularies(ontology):
    sdo = rdflib.Namespace("https://schema.org/")
    assert (KG.Paper, RDFS.subClassOf, sdo.ScholarlyArticle) in ontology
    assert (KG.mentions, RDFS.subPropertyOf, sdo.mentions) in ontology
    assert (KG.introduces, RDFS.subPropertyOf, KG.mentions) in ontology
    assert (KG.uses, RDFS.subPropertyOf, KG.mentions) in ontology
    assert (KG.ExtractionRun, RDFS.subClassOf, rdflib.PROV.Activity) in ontology
    for kind in ("Method", "Model", "Dataset", "Benchmark", "Task", "Metric"):
        assert (KG[kind], RDFS.subClassOf, KG.Entity) in ontology


def test_shapes_parse_and_target_the_classes():
    shapes = rdflib.Graph().parse(data=ONTOLOGY.joinpath("shapes.ttl").read_text("utf-8"), format="turtle")
    sh = rdflib.SH
    targets = set(shapes.objects(None, sh.targetClass))
    assert {KG.Paper, KG.Mention, KG.Evidence, KG.ExtractionRun, KG.Sentence} <= targets


def test_context_maps_every_prefix_and_parses():
    context = json.loads(ONTOLOGY.joinpath("context.jsonld").read_text("utf-8"))["@context"]
    for prefix, iri in PREFIXES.items():
        assert context[prefix] == iri
    document = {"@context": context, "@id": "https://example.org/p", "@type": "Paper", "title": "T"}
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    assert (rdflib.URIRef("https://example.org/p"), RDF.type, KG.Paper) in graph
    assert (rdflib.URIRef("https://example.org/p"), rdflib.DCTERMS.title, rdflib.Literal("T")) in graph


def test_base_iri_from_environment(monkeypatch):
    monkeypatch.setenv("KG_BASE_IRI", "https://example.org/res/")
    assert resolve_base_iri() == "https://example.org/res/"
    assert resolve_base_iri("https://example.org/other#") == "https://example.org/other#"
    with pytest.raises(ValueError):
        resolve_base_iri("https://example.org/has space/")
