"""Provenance triples: extraction runs, sentences, mentions and the evidence of relations.

Each paper's facts sit in the paper's own named graph; this module describes where they
came from. A mention is a character span of the title or abstract with its text, the
sentence it lies in (a `kg:Sentence` with its own span and text) and the extractor's
sentence index, confidence and component. The extraction run is a `prov:Activity`
(`kg:ExtractionRun`) with the extractor's name and version and its start and end time,
and every paper graph is `prov:wasGeneratedBy` it.

Examples
--------
>>> sentence_spans("We propose X. It beats Y (e.g. Z). Done")
[(0, 13), (14, 34), (35, 39)]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from rdflib import PROV, RDF, XSD, Literal, URIRef

from extractors.records import Mention, Relation
from kg import __version__
from kg.iris import ResourceIRIs
from kg.vocab import KG

__all__ = ["ExtractionRun", "runs_of", "sentence_spans", "SentenceIndex", "run_triples", "mention_triples",
           "evidence_triples", "confidence_value"]

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
        if _NOT_AN_END.search(text, 0, match.start()):
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


def _span_triples(node: URIRef, paper: URIRef, field_name: str, start: int, end: int, text: str) -> Iterator[Triple]:
    yield node, KG.inPaper, paper
    yield node, KG.field, field_name
    yield node, KG.start, start
    yield node, KG.end, end
    yield node, KG.text, text


def valid_span(fields: dict[str, str], field_name: str, start: int, end: int) -> bool:
    """True when the span lies inside the named field and is not empty."""
    return field_name in fields and 0 <= start < end <= len(fields[field_name])


def sentence_triples(iris: ResourceIRIs, paper_id: str, paper: URIRef, sentences: SentenceIndex,
                     field_name: str, offset: int, seen: set) -> tuple[URIRef, list[Triple]]:
    """The sentence around ``offset`` and, the first time it is seen, its triples."""
    start, end = sentences.containing(field_name, offset)
    node = iris.sentence(paper_id, field_name, start, end)
    if node in seen:
        return node, []
    seen.add(node)
    text = sentences.fields[field_name][start:end]
    return node, [(node, RDF.type, KG.Sentence), *_span_triples(node, paper, field_name, start, end, text)]


def mention_triples(node: URIRef, mention: Mention, *, entity: URIRef, paper: URIRef, sentence: URIRef) -> Iterator[Triple]:
    yield node, RDF.type, KG.Mention
    yield node, KG.mentionOf, entity
    yield from _span_triples(node, paper, mention.field, mention.start, mention.end, mention.text)
    yield node, KG.sentenceIndex, max(0, int(mention.sentence))
    yield node, KG.inSentence, sentence
    yield node, KG.confidence, confidence_value(mention.confidence)
    if mention.component:
        yield node, KG.component, mention.component


def evidence_triples(node: URIRef, relation: Relation, *, head: URIRef, predicate: URIRef, tail: URIRef,
                     paper: URIRef, sentence: URIRef | None) -> Iterator[Triple]:
    evidence = relation.evidence
    yield node, RDF.type, KG.Evidence
    yield node, RDF.subject, head
    yield node, RDF.predicate, predicate
    yield node, RDF.object, tail
    yield from _span_triples(node, paper, evidence.field, evidence.start, evidence.end, evidence.text)
    yield node, KG.sentenceIndex, max(0, int(evidence.sentence))
    if sentence is not None:
        yield node, KG.inSentence, sentence
    if evidence.trigger:
        yield node, KG.trigger, evidence.trigger
    yield node, KG.confidence, confidence_value(relation.confidence)
    if relation.component:
        yield node, KG.component, relation.component
