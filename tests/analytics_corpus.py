"""Corpus graphs for the analytics tests.

- `bundled_corpus_graph`: the bundled corpus through readers, extraction and graph building.
- `gold_corpus_graph`: the annotated papers (train + dev gold joined to their papers'
  dates, `goldrecords.load_gold`), entities resolved across papers by `kg.resolve` and
  written with the contract terms (``kg:Paper`` with ``dcterms:date`` and ``kg:mentions``,
  entities typed and labelled): what an ideal extractor would give. Gold only feeds this
  test fixture, never the library.
"""

from __future__ import annotations

import re

import rdflib
from rdflib.namespace import DCTERMS, RDF, SKOS

from goldrecords import SHARED_EVAL, load_gold
from kg.resolve import resolve_entities
from kg.vocab import KG

SHARED_ANNOTATION = SHARED_EVAL.parent / "annotation"
GOLD_PAIRS = (
    (SHARED_ANNOTATION / "train.gold.jsonl", SHARED_ANNOTATION / "train.papers.jsonl"),
    (SHARED_EVAL / "dev.gold.jsonl", SHARED_EVAL / "dev.papers.jsonl"),
)
BASE = "https://example.org/kg/"

# Words that name no concept: none may appear among the top 50 central concepts.
GENERIC_WORDS = frozenset({
    "model", "models", "method", "methods", "approach", "approaches", "framework", "system", "data",
    "dataset", "datasets", "task", "tasks", "performance", "results", "baseline", "baselines",
    "experiments", "analysis", "benchmark", "benchmarks", "algorithm", "technique", "study", "work",
})


def bundled_corpus_graph() -> rdflib.Dataset:
    """The bundled corpus through the real pipeline: readers, rule-based extraction (the
    ``fast`` profile: no trained model, deterministic) and the graph builder."""
    from kg.corpus import read_corpus
    from kg.extraction import extract_papers
    from kg.graph import build_graph

    corpus = read_corpus(())
    return build_graph(corpus.papers, list(extract_papers(corpus.papers, profile="fast")))


def available() -> bool:
    return all(gold.is_file() and papers.is_file() for gold, papers in GOLD_PAIRS)


def gold_corpus_graph() -> rdflib.Graph:
    """Papers of the train and dev gold files with their resolved gold entities."""
    papers, extractions = [], []
    for gold_path, papers_path in GOLD_PAIRS:
        some_papers, some_extractions, _ = load_gold(gold_path, papers_path)
        papers += some_papers
        extractions += some_extractions
    resolution = resolve_entities(extractions)
    graph = rdflib.Graph()
    for entity in resolution.entities:
        node = rdflib.URIRef(f"{BASE}entity/{entity.slug}")
        graph.add((node, RDF.type, KG[entity.type]))
        graph.add((node, SKOS.prefLabel, rdflib.Literal(entity.pref_label)))
    for paper, extraction in zip(papers, extractions):
        node = rdflib.URIRef(f"{BASE}paper/{re.sub(r'[^A-Za-z0-9.]+', '-', paper.id)}")
        graph.add((node, RDF.type, KG.Paper))
        if paper.date:
            graph.add((node, DCTERMS.date, rdflib.Literal(paper.date)))
        for item in extraction.entities:
            resolved = resolution.lookup(paper.id, item.name)
            if resolved is not None:
                graph.add((node, KG.mentions, rdflib.URIRef(f"{BASE}entity/{resolved.slug}")))
    return graph
