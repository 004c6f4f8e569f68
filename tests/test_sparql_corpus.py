"""Every named query on the bundled corpus graph, each checked against the same answer
worked out independently from the graph's triples (no SPARQL involved)."""

from __future__ import annotations

from collections import Counter, defaultdict

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdfstores import bundled_corpus_graph

from kg.sparql import named_queries, open_store, query_graph

KG = "https://w3id.org/kg/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
TYPES = ("Method", "Model", "Dataset", "Benchmark", "Task", "Metric")


class Triples:
    """Plain lookups over the store's quads, all graphs merged."""

    def __init__(self, store: ox.Store):
        self.store = store

    def pairs(self, predicate: str) -> set[tuple[str, str]]:
        quads = self.store.quads_for_pattern(None, ox.NamedNode(predicate), None, None)
        return {(q.subject.value, q.object.value) for q in quads}

    def typed(self, cls: str) -> set[str]:
        return {q.subject.value for q in self.store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(KG + cls), None)}

    def one(self, subject: str, predicate: str) -> str | None:
        quads = self.store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)
        return next((q.object.value for q in quads), None)


@pytest.fixture(scope="module")
def corpus():
    path = bundled_corpus_graph()
    store = open_store(path, engine="oxigraph")
    triples = Triples(store)
    mentions = defaultdict(set)  # entity -> papers
    for paper, entity in triples.pairs(KG + "mentions"):
        mentions[entity].add(paper)
    type_of = {e: t for t in TYPES for e in triples.typed(t)}
    return store, triples, mentions, type_of


def run(store, name, **bindings):
    result = query_graph(store, name=name, bindings={k: v if isinstance(v, URIRef) else Literal(v) for k, v in bindings.items()})
    return [dict(zip(result.variables, row)) for row in result.rows]


def label(triples, entity):
    return triples.one(entity, "http://www.w3.org/2004/02/skos/core#prefLabel")


def test_every_named_query_is_covered():
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    assert set(named_queries()) <= tested


def test_most_mentioned(corpus):
    store, _, mentions, type_of = corpus
    rows = run(store, "most-mentioned")
    for cls in TYPES:
        got = [int(r["papers"]) for r in rows if str(r["type"]) == KG + cls]
        expected = sorted((len(mentions[e]) for e, t in type_of.items() if t == cls), reverse=True)[:10]
        assert got == expected, cls


def test_top_entities(corpus):
    store, _, mentions, type_of = corpus
    rows = run(store, "top-entities")
    assert [int(r["papers"]) for r in rows] == sorted((len(mentions[e]) for e in type_of), reverse=True)[:50]
    datasets = run(store, "top-entities", type=URIRef(KG + "Dataset"))
    assert datasets and {str(r["type"]) for r in datasets} == {KG + "Dataset"}


def test_papers_introducing_benchmarks(corpus):
    store, triples, _, type_of = corpus
    expected = {(p, e) for p, e in triples.pairs(KG + "introduces") if type_of.get(e) == "Benchmark"}
    rows = run(store, "papers-introducing-benchmarks")
    assert expected and {(str(r["paper"]), str(r["introduced"])) for r in rows} == expected


def test_datasets_for_method(corpus):
    store, triples, mentions, type_of = corpus
    method = max((e for e, t in type_of.items() if t == "Method"), key=lambda e: len(mentions[e]))
    papers = mentions[method]
    expected = Counter()
    for data, t in type_of.items():
        if t in ("Dataset", "Benchmark") and papers & mentions[data]:
            expected[data] = len(papers & mentions[data])
    rows = run(store, "datasets-for-method", method=label(triples, method).upper())  # any case
    assert len(rows) == min(100, len(expected))
    assert all(int(r["papers"]) == expected[str(r["data"])] for r in rows)
    evaluated = {str(r["data"]) for r in rows if r["evaluatedOn"].toPython()}
    assert evaluated == {o for s, o in triples.pairs(KG + "evaluatedOn") if s == method and o in expected}


def test_models_on_benchmark(corpus):
    store, triples, _, type_of = corpus
    evaluated = defaultdict(set)
    for subject, obj in triples.pairs(KG + "evaluatedOn"):
        if type_of.get(subject) in ("Model", "Method") and type_of.get(obj) in ("Benchmark", "Dataset"):
            evaluated[obj].add(subject)
    benchmark = max(evaluated, key=lambda b: (len(evaluated[b]), b))
    rows = run(store, "models-on-benchmark", benchmark=URIRef(benchmark))
    assert {str(r["model"]) for r in rows} == evaluated[benchmark]


def test_co_mentions(corpus):
    store, triples, mentions, type_of = corpus
    entity = max(type_of, key=lambda e: (len(mentions[e]), e))
    shared = sorted((len(mentions[entity] & mentions[o]) for o in type_of if o != entity and mentions[entity] & mentions[o]), reverse=True)
    rows = run(store, "co-mentions", entity=label(triples, entity))
    assert [int(r["papers"]) for r in rows] == shared[:100]


def test_central_concepts(corpus):
    store, triples, _, _ = corpus
    ranks = sorted(int(rank) for _, rank in triples.pairs(KG + "centralityRank"))[:25]
    rows = run(store, "central-concepts")
    assert [int(r["rank"]) for r in rows] == ranks and len(rows) == 25


def test_fact_provenance(corpus):
    store, triples, _, _ = corpus
    evidence = sorted(triples.typed("Evidence"))[0]
    subject, predicate, obj = (triples.one(evidence, "http://www.w3.org/1999/02/22-rdf-syntax-ns#" + p) for p in ("subject", "predicate", "object"))
    paper, sentence = triples.one(evidence, KG + "inPaper"), triples.one(evidence, KG + "text")
    rows = run(store, "fact-provenance", subject=label(triples, subject), predicate=URIRef(predicate), object=label(triples, obj))
    assert (paper, sentence) in {(str(r["paper"]), str(r["sentence"])) for r in rows}
    text = (triples.one(paper, "http://purl.org/dc/terms/title") or "") + " " + (triples.one(paper, "http://purl.org/dc/terms/abstract") or "")
    assert all(str(r["sentence"]) in text for r in rows if r["paper"] == URIRef(paper))


def test_entity_mentions(corpus):
    store, triples, mentions, type_of = corpus
    entity = max((e for e, t in type_of.items() if t == "Dataset"), key=lambda e: (len(mentions[e]), e))
    rows = run(store, "entity-mentions", entity=URIRef(entity))
    assert {str(r["paper"]) for r in rows} == mentions[entity]
    assert all(r["sentence"] is None or str(r["text"]) in str(r["sentence"]) for r in rows)


def test_papers_mentioning(corpus):
    store, triples, mentions, type_of = corpus
    entity = max((e for e, t in type_of.items() if t == "Benchmark"), key=lambda e: (len(mentions[e]), e))
    rows = run(store, "papers-mentioning", entity=label(triples, entity).lower())
    introducing = {p for p, e in triples.pairs(KG + "introduces") if e == entity}
    assert {str(r["paper"]): str(r["role"]) for r in rows} == {
        p: "introduces" if p in introducing else "uses" for p in mentions[entity]
    }


def test_based_on(corpus):
    store, triples, _, _ = corpus
    based = triples.pairs(KG + "basedOn")
    entity = Counter(s for s, _ in based).most_common(1)[0][0]
    rows = run(store, "based-on", entity=URIRef(entity))
    assert {str(r["other"]) for r in rows if str(r["direction"]) == "basedOn"} == {o for s, o in based if s == entity}
    assert {str(r["other"]) for r in rows if str(r["direction"]) == "basisOf"} == {s for s, o in based if o == entity}
