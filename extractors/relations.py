"""`kg_relations`: relations between the entities of one paper.

Runs after ``kg_roles``. For every candidate pair of `extractors.relation_features`
(type-constrained, joined by a sentence) the trained classifier of
`extractors.sparse_logistic` gives a probability per relation; a pair gets the most
probable relation its types allow when that probability reaches the relation's
threshold (chosen on held-out training papers by ``kg train-relations``).

In the ``accurate`` profile the classifier works on the paper's final entities: the
component leaves the Doc alone (``after_entities=True``) and `RelationFinder.relate`
reads the record after the span classifier has added its entities and the filter has
dropped, retyped and given roles to the others (`extractors.pipeline.extract`); the
names, types and roles the record says are the ones the pairs get. The ``fast``
profile has no model (``use_model=False``): the precise patterns of
`extractors.relation_rules` decide, on the Doc, with a fixed confidence.

Each finding carries the evidence sentence (Doc characters), the trigger words, the
component name and the confidence; `extractors.aggregate` turns findings into
`Relation` records between entity names.

Examples
--------
>>> import spacy
>>> from spacy.tokens import Span
>>> from extractors.sentences import split_sentences
>>> doc = split_sentences(spacy.blank("en")("ToolX outperforms BaseNet on the QuestBench benchmark."))
>>> doc.spans["kg_entities"] = [Span(doc, 0, 1, "Method"), Span(doc, 2, 3, "Method"), Span(doc, 5, 6, "Benchmark")]
>>> doc = RelationFinder(model=None)(doc)  # the fast profile's patterns: a bare "on" is too vague
>>> [(f.head, f.relation, f.tail, f.trigger) for f in doc.user_data[RELATION_FINDINGS]]
[('toolx', 'outperforms', 'basenet', 'outperforms')]

The shipped classifier leans on paper-level signals (the paper's own system, its roles:
`RelationFinder.relate` gives them); told which system a bare sentence introduces, it
reads the trigger and the list:

>>> from extractors.roles import INTRODUCED_SPANS
>>> doc = split_sentences(spacy.blank("en")("ToolX outperforms BaseNet and OldNet."))
>>> doc.spans["kg_entities"] = [Span(doc, 0, 1, "Model"), Span(doc, 2, 3, "Model"), Span(doc, 4, 5, "Model")]
>>> doc.spans[INTRODUCED_SPANS] = [Span(doc, 0, 1, "Model")]
>>> doc = RelationFinder(SparseLogisticModel.load(default_model_path()))(doc)
>>> [(f.head, f.relation, f.tail, f.component) for f in doc.user_data[RELATION_FINDINGS]]
[('toolx', 'outperforms', 'basenet', 'kg_relations'), ('toolx', 'outperforms', 'oldnet', 'kg_relations')]
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extractors.aggregate import FIELD_SEPARATOR, RELATION_FINDINGS
from extractors.batching import BatchedComponent
from extractors.candidates import TITLE_CHARS
from extractors.offsets import text_of
from extractors.records import Evidence, PaperExtraction, Relation
from extractors.relation_features import ALLOWED, PairCandidate, PairContext, allowed, pair_candidates, record_views
from extractors.relation_rules import Finding, rule_findings
from extractors.sentences import sentence_starts
from extractors.sparse_logistic import SparseLogisticModel

__all__ = ["RELATION_FINDINGS", "Finding", "RelationFinder", "make_relation_finder", "decide", "choose", "default_model_path"]

log = logging.getLogger("kg.extract")

COMPONENT = "kg_relations"


def default_model_path() -> Path:
    """The relation model shipped with the package."""
    return Path(str(files("extractors") / "models" / "kg_relations.json"))


# relations whose tail has one head (the paper's system); a Task is often addressed by
# several (the method and its dataset), as an evaluation set serves several systems
_ONE_HEAD = frozenset({"basedOn", "outperforms"})


def _evidence(pair: PairCandidate, relation: str) -> tuple[PairContext, str]:
    """The context whose trigger names ``relation`` (same-sentence first), else the first."""
    for kind in ("same", "own"):
        for context in pair.contexts:
            if context.kind != kind:
                continue
            for trigger in context.triggers:
                if trigger.relation == relation:
                    # a bare comma ("On Y, X ...") is a signal, not words worth showing
                    return context, trigger.words if any(c.isalnum() for c in trigger.words) else ""
    return pair.contexts[0], ""


def decide(pairs: list[PairCandidate], model: SparseLogisticModel) -> list[Finding]:
    """The classifier's findings for the candidate pairs of one Doc."""
    return choose(pairs, model.probabilities([p.features for p in pairs]), model.thresholds)


def choose(pairs: list[PairCandidate], probabilities: list[dict[str, float]], thresholds: dict[str, float]) -> list[Finding]:
    """Findings from the classifier's probabilities: per pair the most probable relation
    its types allow, kept when it reaches that relation's threshold."""
    found = []
    for pair, probability in zip(pairs, probabilities):
        options = _options(pair.head.type, pair.tail.type)
        relation = max(options, key=lambda r: probability.get(r, 0.0))
        confidence = probability.get(relation, 0.0)
        if confidence < thresholds.get(relation, 0.5):
            continue
        context, trigger = _evidence(pair, relation)
        found.append(Finding(pair.head.key, relation, pair.tail.key, context.start, context.end, trigger, confidence, COMPONENT))
    # "A outperforms B" and "B outperforms A" cannot both hold: keep the surer one; and
    # a tail of `_ONE_HEAD` relations has one head
    best = {}
    for finding in found:
        for key in _exclusive_keys(finding):
            if key not in best or finding.confidence > best[key].confidence:
                best[key] = finding
    return [f for f in found if all(best[key] is f for key in _exclusive_keys(f))]


@cache
def _options(head_type: str, tail_type: str) -> tuple[str, ...]:
    """The relations these types allow, in `ALLOWED` order (ties go to the first)."""
    return tuple(r for r in ALLOWED if allowed(r, head_type, tail_type))


def _exclusive_keys(finding: Finding) -> list[tuple]:
    keys = [(finding.relation, *sorted((finding.head, finding.tail)))]
    if finding.relation in _ONE_HEAD:
        keys.append((finding.relation, "tail", finding.tail))
    return keys


def relation_records(doc: Doc, findings: list[Finding]) -> tuple[Relation, ...]:
    """`Relation` records of findings keyed by entity name (`record_views`), with the
    evidence sentence in its field's characters."""
    text = text_of(doc)
    abstract_start = doc.user_data.get(TITLE_CHARS, 0) + len(FIELD_SEPARATOR)
    starts = sentence_starts(doc)
    title_sentences = bisect_right(starts, abstract_start - 1)
    relations = []
    for finding in findings:
        index = max(0, bisect_right(starts, finding.start) - 1)
        field, sentence, shift = ("title", index, 0) if index < title_sentences else ("abstract", index - title_sentences, abstract_start)
        evidence = Evidence(field, sentence, finding.start - shift, finding.end - shift, text[finding.start : finding.end], finding.trigger)
        relations.append(Relation(finding.head, finding.relation, finding.tail, evidence, round(finding.confidence, 4), finding.component))
    return tuple(relations)


class RelationFinder(BatchedComponent):
    """The component: candidate pairs -> findings in ``doc.user_data[RELATION_FINDINGS]``.

    With ``after_entities=True`` (the ``accurate`` profile) it leaves the Doc alone in the
    pipeline: the entities are final only after the span classifier and the filter have
    worked on the record, and `relate` then finds the relations between those.
    """

    def __init__(self, model: SparseLogisticModel | None, *, after_entities: bool = False):
        self.model = model
        self.after_entities = after_entities

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            doc.user_data[RELATION_FINDINGS] = rule_findings(doc)
        elif not self.after_entities:
            doc.user_data[RELATION_FINDINGS] = decide(pair_candidates(doc), self.model)
        return doc

    @property
    def deferred(self) -> bool:
        """Whether `relate` finds the relations on the finished record (not ``__call__``)."""
        return self.after_entities and self.model is not None

    def relate(self, doc: Doc, record: PaperExtraction) -> PaperExtraction:
        """``record`` with the relations between its own (final) entities, read on ``doc``."""
        findings = decide(pair_candidates(doc, record_views(doc, record.entities)), self.model) if self.model is not None else []
        return replace(record, relations=relation_records(doc, findings))


@Language.factory("kg_relations", default_config={"model_path": None, "use_model": True, "after_entities": False})
def make_relation_finder(nlp: Language, name: str, model_path: str | None, use_model: bool, after_entities: bool):
    """Pipeline component: relations between the Doc's entities.

    ``model_path`` is a model of ``kg train-relations`` [default: the shipped one];
    ``use_model=False`` uses the precise patterns of `extractors.relation_rules`; ``after_entities=True`` defers
    the work to `RelationFinder.relate` on the finished record.
    """
    if not use_model:
        return RelationFinder(None, after_entities=after_entities)
    path = Path(model_path) if model_path else default_model_path()
    if not path.is_file():
        if model_path:
            raise FileNotFoundError(f"no relation model at {path}; train one with `kg train-relations`")
        log.warning("no relation model at %s; relations from the patterns only", path)
        return RelationFinder(None, after_entities=after_entities)
    return RelationFinder(SparseLogisticModel.load(path), after_entities=after_entities)
