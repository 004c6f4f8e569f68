"""Provenance triples: extraction runs, sentences, mentions and the evidence of relations.

Each paper's facts sit in the paper's own named graph; this module describes where they
came from. A mention is a character span of the title or abstract with its text, the
sentence it lies in (a `kg:Sentence` with its own span and text) and the extractor's
sentence index, confidence and component. The extraction run is a `prov:Activity`
(`kg:ExtractionRun`) with the extractor's name and version and its start and end time,
and every paper graph is `prov:wasGeneratedBy` it.

Sentences, mentions and evidence are written as N-Quads lines of the paper's graph
(`sentence_nquads`, `mention_nquads`, `evidence_nquads`: no rdflib term per triple); the
few run triples of the corpus graph stay rdflib triples (`run_triples`).

Examples
--------
>>> sentence_spans("We propose X. It beats Y (e.g. Z). Done")
[(0, 13), (14, 34), (35, 39)]
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from rdflib import PROV, RDF, XSD, Literal, URIRef

from extractors.records import Mention, Relation
from kg import __version__
from kg.iris import ResourceIRIs
from kg.nquads import decimal, integer, iri, predicate, string
from kg.vocab import KG

__all__ = ["ExtractionRun", "runs_of", "sentence_spans", "SentenceIndex", "run_triples", "sentence_nquads",
           "mention_nquads", "evidence_nquads", "confidence_value", "valid_span"]

# Objects are IRIs or literals; plain str, int and Decimal stand for xsd:string, xsd:integer
# and xsd:decimal literals (the loader builds the store's own terms from them, see kg.graphstore).
Triple = tuple[URIRef, URIRef, "URIRef | Literal | str | int | Decimal"]

# A sentence ends at . ! or ? followed by space and an upper-case letter, digit or opening
# bracket, except after a few abbreviations abstracts use mid-sentence.
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[\"'])")
_NOT_AN_END = re.compile(r"\b(?:e\.g|i\.e|et al|vs|cf|Fig|Eq|approx|resp|No)\.$")


@dataclass(frozen=True)
class ExtractionRun:
    """One run of an extractor: what produced the records, and when."""

    extractor: str
    version: str
    started: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    ended: datetime | None = None
    builder_version: str = __version__


def runs_of(extractions: Iterable, *, started: datetime | None = None) -> dict[tuple[str, str], ExtractionRun]:
    """One run per distinct (extractor, version) of ``extractions``, all stamped ``started`` (default now)."""
    now = started or datetime.now(timezone.utc)
    pairs = sorted({(e.extractor or "unknown", e.extractor_version or "unknown") for e in extractions})
    return {pair: ExtractionRun(pair[0], pair[1], now, now) for pair in pairs}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text`` (punctuation rules, no model)."""
    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if _NOT_AN_END.search(text, max(0, match.start() - 12), match.start()):  # the abbreviation just before
            continue
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans


class SentenceIndex:
    """The sentences of one paper's title and abstract, found by offset."""

    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        self.spans = {name: sentence_spans(text) for name, text in fields.items()}
        self._starts = {name: [s for s, _ in spans] for name, spans in self.spans.items()}

    def containing(self, field_name: str, offset: int) -> tuple[int, int]:
        position = max(0, bisect.bisect_right(self._starts[field_name], offset) - 1)
        return self.spans[field_name][position]


def confidence_value(confidence: float) -> Decimal:
    """A confidence clamped to [0, 1] as an xsd:decimal with at most 4 places.

    Decimals keep their lexical form through every RDF syntax (rdflib rewrites doubles in
    Turtle as ``9e-01``), so the graph round-trips literally.

    Examples
    --------
    >>> confidence_value(0.9), confidence_value(1), confidence_value(0.123456)
    (Decimal('0.9'), Decimal('1.0'), Decimal('0.1235'))
    """
    text = f"{min(1.0, max(0.0, float(confidence))):.4f}".rstrip("0")
    return Decimal(text + "0" if text.endswith(".") else text)


def run_triples(run_iri: URIRef, run: ExtractionRun) -> Iterator[Triple]:
    yield run_iri, RDF.type, KG.ExtractionRun
    yield run_iri, RDF.type, PROV.Activity
    yield run_iri, KG.extractorName, run.extractor
    yield run_iri, KG.extractorVersion, run.version
    yield run_iri, KG.builderVersion, run.builder_version
    yield run_iri, PROV.startedAtTime, Literal(run.started.isoformat(), datatype=XSD.dateTime)
    if run.ended is not None:
        yield run_iri, PROV.endedAtTime, Literal(run.ended.isoformat(), datatype=XSD.dateTime)


_TYPE = predicate(str(RDF.type))
_SENTENCE, _MENTION, _EVIDENCE = (iri(str(term)) for term in (KG.Sentence, KG.Mention, KG.Evidence))
_IN_PAPER, _FIELD, _START, _END, _TEXT, _SENTENCE_INDEX, _IN_SENTENCE, _CONFIDENCE, _COMPONENT, _TRIGGER, \
    _MENTION_OF = (predicate(str(term)) for term in (KG.inPaper, KG.field, KG.start, KG.end, KG.text, KG.sentenceIndex,
                                                    KG.inSentence, KG.confidence, KG.component, KG.trigger, KG.mentionOf))
_SUBJECT, _PREDICATE, _OBJECT = (predicate(str(term)) for term in (RDF.subject, RDF.predicate, RDF.object))


@functools.lru_cache(maxsize=1 << 14)
def _confidence(confidence: float) -> str:
    return decimal(confidence_value(confidence))


def _span_nquads(lines: list[str], node: str, paper: str, field_name: str, start: int, end: int, text: str,
                 tail: str) -> None:
    lines += (node + _IN_PAPER + paper + tail, node + _FIELD + string(field_name) + tail,
              node + _START + integer(start) + tail, node + _END + integer(end) + tail,
              node + _TEXT + string(text) + tail)


def valid_span(fields: dict[str, str], field_name: str, start: int, end: int) -> bool:
    """True when the span lies inside the named field and is not empty."""
    return field_name in fields and 0 <= start < end <= len(fields[field_name])


def sentence_nquads(lines: list[str], iris: ResourceIRIs, paper_id: str, paper: str, sentences: SentenceIndex,
                    field_name: str, offset: int, seen: dict, tail: str) -> str:
    """The sentence around ``offset`` (an IRI term); the first time it is seen (``seen``, by
    field and start), its lines are added to ``lines``."""
    start, end = sentences.containing(field_name, offset)
    node = seen.get((field_name, start))
    if node is None:
        node = seen[field_name, start] = iri(iris.sentence(paper_id, field_name, start, end))
        lines.append(node + _TYPE + _SENTENCE + tail)
        _span_nquads(lines, node, paper, field_name, start, end, sentences.fields[field_name][start:end], tail)
    return node


def mention_nquads(lines: list[str], node: str, mention: Mention, *, entity: str, paper: str, sentence: str,
                   tail: str) -> None:
    """The lines of one mention (``node``, ``entity``, ``paper``, ``sentence``: IRI terms) added to ``lines``."""
    lines += (node + _TYPE + _MENTION + tail, node + _MENTION_OF + entity + tail)
    _span_nquads(lines, node, paper, mention.field, mention.start, mention.end, mention.text, tail)
    lines += (node + _SENTENCE_INDEX + integer(max(0, int(mention.sentence))) + tail,
              node + _IN_SENTENCE + sentence + tail, node + _CONFIDENCE + _confidence(mention.confidence) + tail)
    if mention.component:
        lines.append(node + _COMPONENT + string(mention.component) + tail)


def evidence_nquads(lines: list[str], node: str, relation: Relation, *, head: str, predicate_: str, tail_entity: str,
                    paper: str, sentence: str | None, tail: str) -> None:
    """The lines of the evidence of one relation (every node an IRI term) added to ``lines``."""
    evidence = relation.evidence
    lines += (node + _TYPE + _EVIDENCE + tail, node + _SUBJECT + head + tail, node + _PREDICATE + predicate_ + tail,
              node + _OBJECT + tail_entity + tail)
    _span_nquads(lines, node, paper, evidence.field, evidence.start, evidence.end, evidence.text, tail)
    lines.append(node + _SENTENCE_INDEX + integer(max(0, int(evidence.sentence))) + tail)
    if sentence is not None:
        lines.append(node + _IN_SENTENCE + sentence + tail)
    if evidence.trigger:
        lines.append(node + _TRIGGER + string(evidence.trigger) + tail)
    lines.append(node + _CONFIDENCE + _confidence(relation.confidence) + tail)
    if relation.component:
        lines.append(node + _COMPONENT + string(relation.component) + tail)
