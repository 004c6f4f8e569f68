"""build_graph: layout, provenance, paper metadata, hostile input, determinism."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest
import rdflib
from graphfixtures import HOSTILE_NAMES, bundled_sample, fixed_run, small_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import DCTERMS, PROV, RDF, SKOS, XSD, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from kg.graph import build_graph
from kg.iris import is_valid_iri
from kg.vocab import KG, SCHEMA

BASE = "https://w3id.org/kg/resource/"
E = rdflib.Namespace(BASE + "entity/")


@pytest.fixture(scope="module")
def dataset() -> rdflib.Dataset:
    papers, extractions = small_corpus()
    return build_graph(papers, extractions, run=fixed_run(), store="memory")


def paper(pid: str) -> URIRef:
    from kg.iris import ResourceIRIs

    return ResourceIRIs(BASE).paper(pid)


def test_one_named_graph_per_paper_plus_the_corpus_graph(dataset):
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {BASE + "graph/corpus", BASE + "graph/paper/arxiv:2401.00001", BASE + "graph/paper/doi:10.1000%2Fxyz",
                     BASE + "graph/paper/title:%3C%22hostile%22%3E%20id"}
    p1_graph = dataset.graph(URIRef(BASE + "graph/paper/arxiv:2401.00001"))
    assert (paper("arxiv:2401.00001"), KG.introduces, E["lora-pro"]) in p1_graph
    corpus = dataset.graph(URIRef(BASE + "graph/corpus"))
    assert (E["lora-pro"], RDF.type, KG.Method) in corpus
    assert (E["lora-pro"], RDF.type, KG.Method) not in p1_graph


def test_mentions_introduces_and_uses(dataset):
    p1, p2 = paper("arxiv:2401.00001"), paper("doi:10.1000/xyz")
    assert set(dataset.objects(p1, KG.mentions)) == {E["lora-pro"], E["low-rank-adaptation"], E["gsm8k"]}
    assert set(dataset.objects(p1, KG.introduces)) == {E["lora-pro"]}
    assert set(dataset.objects(p1, KG.uses)) == {E["low-rank-adaptation"], E["gsm8k"]}
    # LoRA in paper 2 is the Low-Rank Adaptation of paper 1; both LLM entities of paper 2 are one.
    assert set(dataset.objects(p2, KG.mentions)) == {E["low-rank-adaptation"], E["large-language-models"], E["gpt-4"],
                                                     E["gpt-4o"]}
    query = prepareQuery("ASK { ?p ?role ?e FILTER(?role IN (kg:introduces, kg:uses)) FILTER NOT EXISTS { ?p kg:mentions ?e } }",
                         initNs={"kg": KG._NS})
    assert not dataset.query(query).askAnswer


def test_entity_description(dataset):
    lora = E["low-rank-adaptation"]
    assert dataset.value(lora, SKOS.prefLabel) == Literal("Low-Rank Adaptation")
    assert Literal("LoRA") in set(dataset.objects(lora, SKOS.altLabel))
    assert dataset.value(lora, KG.paperCount) == Literal(2)
    assert (lora, RDF.type, KG.Entity) in dataset


def test_mention_span_text_and_sentence(dataset):
    papers, _ = small_corpus()
    mentions = list(dataset.subjects(KG.mentionOf, E["gsm8k"]))
    assert len(mentions) == 1
    m = mentions[0]
    start, end = dataset.value(m, KG.start).toPython(), dataset.value(m, KG.end).toPython()
    assert papers[0].abstract[start:end] == "GSM8K" == str(dataset.value(m, KG.text))
    assert dataset.value(m, KG.field) == Literal("abstract")
    sentence = dataset.value(m, KG.inSentence)
    assert str(dataset.value(sentence, KG.text)) == "LoRA-Pro outperforms LoRA on GSM8K."
    assert dataset.value(m, KG.inPaper) == paper("arxiv:2401.00001")
    assert dataset.value(m, KG.confidence) == Literal("0.9", datatype=XSD.decimal)


def test_relations_evidence_and_support(dataset):
    assert (E["lora-pro"], KG.basedOn, E["low-rank-adaptation"]) in dataset
    assert (E["lora-pro"], KG.outperforms, E["low-rank-adaptation"]) in dataset  # "LoRA" resolved through the alias
    assert (E["gpt-4o"], KG.outperforms, E["gpt-4"]) in dataset
    # Unknown relation labels and unknown entity names are left out.
    between_entities = {p for s, p, o in dataset.triples((None, None, None)) if str(s).startswith(str(E)) and str(o).startswith(str(E))}
    assert between_entities == {KG.basedOn, KG.outperforms, KG.evaluatedOn}
    evidence = [e for e in dataset.subjects(RDF.type, KG.Evidence) if dataset.value(e, RDF.predicate) == KG.basedOn]
    assert len(evidence) == 1
    assert str(dataset.value(evidence[0], KG.text)).startswith("We propose LoRA-Pro")
    assert dataset.value(evidence[0], RDF.subject) == E["lora-pro"]
    supports = {(dataset.value(s, RDF.predicate), dataset.value(s, KG.supportCount).toPython())
                for s in dataset.subjects(RDF.type, KG.RelationSupport)}
    assert supports == {(KG.basedOn, 1), (KG.outperforms, 1), (KG.evaluatedOn, 1)}
    assert sum(1 for _ in dataset.subjects(RDF.type, KG.RelationSupport)) == 4  # 3 in paper 1 + 1 in paper 2


def test_run_is_a_prov_activity_that_generated_every_paper_graph(dataset):
    (run,) = set(dataset.subjects(RDF.type, KG.ExtractionRun))
    assert (run, RDF.type, PROV.Activity) in dataset
    assert dataset.value(run, KG.extractorName) == Literal("kg-extractors/test")
    assert dataset.value(run, KG.extractorVersion) == Literal("1.0")
    assert dataset.value(run, PROV.startedAtTime) == Literal("2026-01-02T03:04:05+00:00", datatype=XSD.dateTime)
    graphs = set(dataset.subjects(RDF.type, KG.PaperGraph))
    assert len(graphs) == 3 and all((g, PROV.wasGeneratedBy, run) in dataset for g in graphs)


def test_paper_metadata(dataset):
    p1, p2, p3 = paper("arxiv:2401.00001"), paper("doi:10.1000/xyz"), paper('title:<"hostile"> id')
    assert dataset.value(p1, DCTERMS.identifier) == Literal("arxiv:2401.00001")
    assert dataset.value(p1, DCTERMS.date) == Literal("2024-01-02", datatype=XSD.date)
    assert dataset.value(p2, DCTERMS.date) == Literal("2024-03", datatype=XSD.gYearMonth)
    assert dataset.value(p3, DCTERMS.date) == Literal("--03-11", datatype=XSD.gMonthDay)
    assert set(dataset.objects(p1, DCTERMS.creator)) == {Literal("Ada Lovelace"), Literal("Alan Turing")}
    assert dataset.value(p1, KG.arxivId) == Literal("2401.00001")
    assert dataset.value(p2, KG.doi) == Literal("10.1000/xyz")
    assert set(dataset.objects(p1, SCHEMA.codeRepository)) == {URIRef("https://github.com/org/lora-pro")}
    assert set(dataset.objects(p2, SCHEMA.codeRepository)) == {URIRef("https://huggingface.co/org/model")}
    # A URL in text ends at a quote; a hostile URL given as metadata is escaped.
    assert set(dataset.objects(p3, SCHEMA.codeRepository)) == {URIRef("https://github.com/x/y"),
                                                               URIRef("https://gitlab.com/x/y%22%3Cz%3E%20w")}


def test_every_iri_is_valid_and_pyoxigraph_parses_the_n_triples(dataset):
    iris = {str(t) for quad in dataset.quads() for t in quad[:3] if isinstance(t, URIRef)}
    assert all(is_valid_iri(i) for i in iris)
    assert not any(name in i for i in iris for name in ('"', "<", ">", " ", "\n"))
    nt = dataset.serialize(format="nquads", encoding="utf-8")
    parsed = list(ox.parse(nt, format=ox.RdfFormat.N_QUADS))
    assert len(parsed) == len(dataset)
    labels = {str(o) for o in dataset.objects(None, SKOS.prefLabel)}
    assert {'a "b" <c>', "x y", "RTL name", "z" * 10_000} <= labels  # text is kept, only IRIs are made safe
    assert not any(len(i) > 200 for i in iris)
    assert HOSTILE_NAMES


def sorted_ntriples(ds: rdflib.Dataset) -> list[str]:
    lines = ds.serialize(format="nquads").splitlines()
    return sorted(line for line in lines if line.strip() and "startedAtTime" not in line and "endedAtTime" not in line)


def test_same_input_gives_byte_identical_sorted_n_triples_in_any_order():
    papers, extractions = small_corpus()
    first = sorted_ntriples(build_graph(papers, extractions, store="memory"))
    second = sorted_ntriples(build_graph(papers, extractions, store="memory"))
    assert first == second
    rng = random.Random(7)
    shuffled = [type(e)(e.paper_id, e.title, tuple(rng.sample(e.entities, len(e.entities))), e.relations, e.extractor,
                        e.extractor_version) for e in rng.sample(extractions, len(extractions))]
    assert sorted_ntriples(build_graph(rng.sample(papers, len(papers)), shuffled, store="memory")) == first


def test_bundled_corpus_sample_gives_identical_n_triples_on_two_runs():
    papers, extractions = bundled_sample()
    assert sorted_ntriples(build_graph(papers, extractions)) == sorted_ntriples(build_graph(papers, extractions))


def test_base_iri_is_configurable():
    papers, extractions = small_corpus()
    ds = build_graph(papers[:1], extractions[:1], base_iri="https://example.org/kg/", store="memory")
    subjects = {str(s) for s in ds.subjects() if isinstance(s, URIRef)}
    assert subjects and all(s.startswith("https://example.org/kg/") for s in subjects)
    with pytest.raises(ValueError):
        build_graph(papers, extractions, base_iri="not an iri")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=4),
       paper_id=st.text(min_size=1, max_size=40))
def test_any_text_gives_valid_iris_that_strict_parsers_accept(names, paper_id):
    from extractors.records import Entity, PaperExtraction
    from kg.papers import Paper

    paper = Paper(id=paper_id, title=" ".join(names), abstract="")
    extraction = PaperExtraction(paper_id, paper.title, tuple(Entity(n, "Method", "used", (), (), 1.0) for n in names),
                                 (), "t", "0")
    ds = build_graph([paper], [extraction], store="memory")
    iris = {str(t) for quad in ds.quads() for t in quad[:3] if isinstance(t, URIRef)}
    assert all(is_valid_iri(i) for i in iris)
    assert len(list(ox.parse(ds.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS))) == len(ds)


def test_base_iri_from_the_environment(monkeypatch):
    monkeypatch.setenv("KG_BASE_IRI", "urn:kg:test/")
    papers, extractions = small_corpus()
    ds = build_graph(papers[:1], extractions[:1], store="memory")
    assert all(str(s).startswith("urn:kg:test/") for s in ds.subjects() if isinstance(s, URIRef))


def test_paper_without_extraction_gets_its_metadata_and_extraction_without_paper_its_title():
    from extractors.records import PaperExtraction
    from kg.papers import Paper

    alone = Paper(id="arxiv:2402.00002", title="Only metadata", abstract="Nothing extracted here.")
    orphan = PaperExtraction("arxiv:2402.00003", "Title from the record", (), (), "x", "1")
    ds = build_graph([alone], [orphan], store="memory")
    assert ds.value(paper("arxiv:2402.00002"), DCTERMS.title) == Literal("Only metadata")
    assert ds.value(paper("arxiv:2402.00003"), DCTERMS.title) == Literal("Title from the record")
    assert len(list(ds.subjects(RDF.type, KG.Paper))) == 2
