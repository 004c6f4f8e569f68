"""Extraction records -> one RDF dataset: a named graph per paper plus a shared corpus graph.

Layout (see docs/graph.md for the reasons and the cost in triples per fact):

- ``{base}graph/paper/{id}``: everything read from one paper: its metadata, `kg:mentions`
  with `kg:introduces` or `kg:uses` for each entity, every mention with its span, text and
  sentence, and the paper's entity-to-entity relations with their evidence.
- ``{base}graph/corpus``: what no single paper owns: the resolved entities (type,
  `skos:prefLabel`, `skos:altLabel`, paper and mention counts), each relation's support
  across papers (`kg:RelationSupport`), the extraction runs (`prov:Activity`) and, per
  paper graph, which run generated it.

Entities are resolved across papers by `kg.resolve.resolve_entities`; IRIs come from
`kg.iris.ResourceIRIs`, so the same input gives the same IRIs in any order.

Examples
--------
>>> from extractors.records import Entity, Mention, PaperExtraction
>>> from kg.papers import Paper
>>> paper = Paper(id="arxiv:2401.00001", title="LoRA for all", abstract="We tune GPT-4 with LoRA.")
>>> lora = Entity("LoRA", "Method", "used", (), (Mention("LoRA", "abstract", 19, 23, 0, 0.9, "ner"),), 0.9)
>>> dataset = build_graph([paper], [PaperExtraction(paper.id, paper.title, (lora,), (), "demo", "1")])
>>> len(list(dataset.subjects(RDF.type, KG.Method)))
1
>>> sorted(str(g.identifier).rsplit("/", 2)[-1] for g in dataset.graphs() if len(g))
['arxiv:2401.00001', 'corpus']
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import rdflib
from rdflib import PROV, RDF, SKOS, URIRef

from extractors.records import RELATION_TYPES, Entity as EntityRecord, PaperExtraction
from kg.graphstore import QuadLoader, choose_store, new_dataset, write_graph
from kg.iris import ResourceIRIs
from kg.nquads import iri, predicate, quad_tail
from kg.paper_triples import paper_nquads
from kg.papers import Paper
from kg.provenance import (ExtractionRun, SentenceIndex, evidence_nquads, mention_nquads, run_triples, runs_of,
                           sentence_nquads, valid_span)
from kg.resolve import ResolvedEntity, Resolution, resolve_entities
from kg.vocab import DEFAULT_BASE, KG, resolve_base_iri

__all__ = ["DEFAULT_BASE", "PaperFacts", "build_graph", "corpus_triples", "entity_triples", "paper_facts", "paper_graph_triples",
           "paper_mentions", "resolved_relation", "support_triples", "write_graph"]

log = logging.getLogger("kg.graph")


def resolved_relation(resolution: Resolution, pid: str, head: str, relation: str, tail: str):
    """The resolved (head, tail) entities of a relation stated in paper ``pid``, or None
    when it does not go into the graph (unknown type, unresolved or identical ends)."""
    head_entity, tail_entity = resolution.lookup(pid, head), resolution.lookup(pid, tail)
    if relation not in RELATION_TYPES or head_entity is None or tail_entity is None or head_entity.slug == tail_entity.slug:
        return None
    return head_entity, tail_entity


@dataclass(frozen=True)
class PaperFacts:
    """One paper's named graph as N-Quads lines, and what analytics read of it."""

    lines: list[str]
    mentioned: tuple[str, ...]  # IRIs of the entities the paper kg:mentions, sorted
    date: str | None  # the paper's dcterms:date (its lexical form), if any


_MENTIONS, _INTRODUCES, _USES = (predicate(str(term)) for term in (KG.mentions, KG.introduces, KG.uses))
_RELATION_PREDICATES = {relation: iri(str(KG[relation])) for relation in RELATION_TYPES}


def _resolved_entities(pid: str, extraction: PaperExtraction, resolution: Resolution,
                       iris: ResourceIRIs) -> Iterator[tuple[EntityRecord, ResolvedEntity, URIRef]]:
    """Each entity record of ``extraction`` that resolves, with its entity and the entity's IRI."""
    for entity in extraction.entities:
        resolved = resolution.lookup(pid, entity.name)
        if resolved is not None:
            yield entity, resolved, iris.entity(resolved.slug)


def paper_mentions(paper: Paper, extraction: PaperExtraction | None, resolution: Resolution,
                   iris: ResourceIRIs) -> tuple[tuple[str, ...], str | None]:
    """``(mentioned, date)`` of `paper_facts`, without making its lines."""
    date = (paper.date or "").strip() or None
    if extraction is None:
        return (), date
    resolved = _resolved_entities(paper.id, extraction, resolution, iris)
    return tuple(sorted({str(entity_iri) for _, _, entity_iri in resolved})), date


def paper_facts(paper: Paper, extraction: PaperExtraction | None, resolution: Resolution, iris: ResourceIRIs,
                support: dict) -> PaperFacts:
    """The N-Quads lines of one paper's named graph (its metadata only without ``extraction``);
    adds the paper to ``support`` of each relation it states."""
    pid = paper.id
    paper_iri = iris.paper(pid)
    node, tail = iri(paper_iri), quad_tail(iris.paper_graph(pid))
    lines = paper_nquads(paper, node, tail)
    date = (paper.date or "").strip() or None
    if extraction is None:
        return PaperFacts(lines, (), date)
    fields = {"title": paper.title, "abstract": paper.abstract}
    sentences = SentenceIndex(fields)
    seen_sentences: dict = {}
    introduced: dict[str, bool] = {}
    for entity, resolved, entity_iri in _resolved_entities(pid, extraction, resolution, iris):
        introduced[entity_iri] = introduced.get(entity_iri, False) or entity.role == "introduced"
        entity_term = iri(entity_iri)
        for mention in entity.mentions:
            if not valid_span(fields, mention.field, mention.start, mention.end):
                log.warning("%s: mention %r at %s %d-%d is outside the text; left out",
                            pid, mention.text, mention.field, mention.start, mention.end)
                continue
            sentence = sentence_nquads(lines, iris, pid, node, sentences, mention.field, mention.start, seen_sentences,
                                       tail)
            mention_term = iri(iris.mention(pid, mention.field, mention.start, mention.end, resolved.slug))
            mention_nquads(lines, mention_term, mention, entity=entity_term, paper=node, sentence=sentence, tail=tail)
    mentioned = tuple(sorted(introduced))
    for entity_iri in mentioned:
        entity_term = iri(entity_iri)
        lines.append(node + _MENTIONS + entity_term + tail)
        lines.append(node + (_INTRODUCES if introduced[entity_iri] else _USES) + entity_term + tail)

    for relation in extraction.relations:
        ends = resolved_relation(resolution, pid, relation.head, relation.relation, relation.tail)
        if ends is None:
            log.debug("%s: relation %s %s %s left out", pid, relation.head, relation.relation, relation.tail)
            continue
        head, tail_entity = ends
        head_term, predicate_term = iri(iris.entity(head.slug)), _RELATION_PREDICATES[relation.relation]
        tail_term = iri(iris.entity(tail_entity.slug))
        lines.append(head_term + " " + predicate_term + " " + tail_term + tail)
        support[(head.slug, relation.relation, tail_entity.slug)].add(pid)
        evidence = relation.evidence
        if not valid_span(fields, evidence.field, evidence.start, evidence.end):
            continue
        sentence = sentence_nquads(lines, iris, pid, node, sentences, evidence.field, evidence.start, seen_sentences,
                                   tail)
        evidence_term = iri(iris.evidence(pid, relation.relation, head.slug, tail_entity.slug, evidence.field,
                                          str(evidence.start), str(evidence.end)))
        evidence_nquads(lines, evidence_term, relation, head=head_term, predicate_=predicate_term,
                        tail_entity=tail_term, paper=node, sentence=sentence, tail=tail)
    return PaperFacts(lines, mentioned, date)


def entity_triples(entities: Iterable[ResolvedEntity], iris: ResourceIRIs) -> Iterator[tuple]:
    """The corpus graph's description of resolved ``entities``."""
    for entity in entities:
        node = iris.entity(entity.slug)
        yield node, RDF.type, KG[entity.type]
        yield node, RDF.type, KG.Entity
        yield node, SKOS.prefLabel, entity.pref_label
        for label in entity.alt_labels:
            yield node, SKOS.altLabel, label
        yield node, KG.paperCount, entity.papers
        yield node, KG.mentionCount, entity.mentions


def support_triples(support: dict, iris: ResourceIRIs) -> Iterator[tuple]:
    """The corpus graph's relation support: (head slug, relation, tail slug) -> ids of the papers that state it."""
    for (head, relation, tail), papers in sorted(support.items()):
        node = iris.relation(head, relation, tail)
        yield node, RDF.type, KG.RelationSupport
        yield node, RDF.subject, iris.entity(head)
        yield node, RDF.predicate, KG[relation]
        yield node, RDF.object, iris.entity(tail)
        yield node, KG.supportCount, len(papers)
        for pid in sorted(papers):
            yield node, KG.supportedBy, iris.paper(pid)


def corpus_triples(paper_runs: Iterable[tuple[str, Iterable[tuple[str, str]]]], runs: dict, *,
                   resolution: Resolution, support: dict, iris: ResourceIRIs) -> Iterator[tuple]:
    """The shared corpus graph: each paper graph's description and the runs that made it,
    the resolved entities, relation support and the extraction runs.

    ``paper_runs`` gives, in paper order, each paper id with the (extractor, version) keys
    of its records; ``runs`` maps those keys to their `ExtractionRun`.
    """
    # A run is named by what ran (extractor and version), never by its time (IRIs stay
    # reproducible) nor by its papers (the graphs it made say which): a build that adds
    # papers with the same extractor keeps the run, instead of rewriting every paper's link to it.
    yield from paper_graph_triples(paper_runs, iris)
    yield from entity_triples(resolution.entities, iris)
    yield from support_triples(support, iris)
    for pair, record in runs.items():
        yield from run_triples(iris.run(*pair), record)


def paper_graph_triples(paper_runs: Iterable[tuple[str, Iterable[tuple[str, str]]]], iris: ResourceIRIs) -> Iterator[tuple]:
    """The corpus graph's description of each paper graph of ``paper_runs`` (see `corpus_triples`)."""
    for pid, pairs in paper_runs:
        graph = iris.paper_graph(pid)
        yield graph, RDF.type, KG.PaperGraph
        yield graph, KG.graphOf, iris.paper(pid)
        for pair in pairs:
            yield graph, PROV.wasGeneratedBy, iris.run(*pair)


def _estimated_quads(papers: list[Paper], extractions: list[PaperExtraction]) -> int:
    # Measured on the bundled corpus: ~9 quads per mention, ~17 per relation, ~12 per paper.
    mentions = sum(len(e.mentions) + 1 for x in extractions for e in x.entities)
    return 12 * len(papers) + 9 * mentions + 17 * sum(len(x.relations) for x in extractions)


def build_graph(
    papers: Iterable[Paper],
    extractions: Iterable[PaperExtraction],
    *,
    base_iri: str | None = None,
    run: ExtractionRun | None = None,
    store: str = "auto",
) -> rdflib.Dataset:
    """The RDF dataset of ``papers`` and their ``extractions`` (matched by paper id).

    Parameters
    ----------
    papers, extractions : the corpus and what the extractor found in it. A paper without
        an extraction gets its metadata only; an extraction without a paper gets a paper
        made from its id and title.
    base_iri : base of every resource IRI; None means ``$KG_BASE_IRI`` when set, else
        `kg.vocab.DEFAULT_BASE` (``https://w3id.org/kg/resource/``).
    run : the extraction run to record; by default one per distinct extractor name and
        version of ``extractions``, timed now.
    store : ``"memory"`` (rdflib), ``"oxigraph"`` (in memory), ``"oxigraph-disk"`` (in a
        temporary directory), or ``"auto"``: rdflib up to `kg.graphstore.OXIGRAPH_THRESHOLD`
        estimated quads, Oxigraph in memory up to `kg.graphstore.OXIGRAPH_DISK_THRESHOLD`,
        on disk beyond.
    """
    papers, extractions = list(papers), list(extractions)
    iris = ResourceIRIs(resolve_base_iri(base_iri))
    resolution = resolve_entities(extractions)
    runs = {(run.extractor, run.version): run} if run else runs_of(extractions)
    dataset = new_dataset(choose_store(store, _estimated_quads(papers, extractions)), base_iri=iris.base)
    loader = QuadLoader(dataset)

    by_paper: dict[str, list[PaperExtraction]] = defaultdict(list)
    for extraction in extractions:
        by_paper[extraction.paper_id].append(extraction)
    known = {paper.id: paper for paper in papers}
    for extraction in extractions:
        known.setdefault(extraction.paper_id, Paper(id=extraction.paper_id, title=extraction.title, abstract=""))

    support: dict = defaultdict(set)
    paper_runs = []
    for pid, paper in known.items():
        found = by_paper.get(pid, [])
        for extraction in found or [None]:
            loader.add_nquads(paper_facts(paper, extraction, resolution, iris, support).lines)
        paper_runs.append((pid, [(run.extractor, run.version) if run else
                                 (e.extractor or "unknown", e.extractor_version or "unknown") for e in found]))

    loader.add(iris.corpus_graph, corpus_triples(paper_runs, runs, resolution=resolution, support=support, iris=iris))
    loader.flush()
    log.info("graph: %d papers, %d entities, %d quads", len(known), len(resolution.entities), loader.count)
    return dataset
