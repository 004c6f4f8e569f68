"""`kg_relations`: relations between the entities of one paper.

Runs after ``kg_roles``. For every candidate pair of `extractors.relation_features`
(type-constrained, joined by a sentence) the trained classifier of
`extractors.sparse_logistic` gives a probability per relation; a pair gets the most
probable relation its types allow when that probability reaches the relation's
threshold (chosen on held-out training papers by ``kg train-relations``). Without a
model file (or with ``use_model=False``) the trigger patterns alone decide: a pair
whose sentence has a trigger of an allowed relation gets it, with a fixed confidence.

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
>>> doc = RelationFinder(model=None)(doc)  # trigger patterns alone: every "on" counts
>>> [(f.head, f.relation, f.tail, f.trigger) for f in doc.user_data[RELATION_FINDINGS]]
[('toolx', 'outperforms', 'basenet', 'outperforms'), ('toolx', 'evaluatedOn', 'questbench', 'on'), ('basenet', 'evaluatedOn', 'questbench', 'on')]
>>> doc = RelationFinder(SparseLogisticModel.load(default_model_path()))(doc)  # the shipped classifier
>>> [(f.head, f.relation, f.tail, f.component) for f in doc.user_data[RELATION_FINDINGS]]
[('toolx', 'outperforms', 'basenet', 'kg_relations')]
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extractors.aggregate import RELATION_FINDINGS
from extractors.batching import BatchedComponent
from extractors.relation_features import ALLOWED, PairCandidate, PairContext, allowed, pair_candidates
from extractors.sparse_logistic import SparseLogisticModel

__all__ = ["RELATION_FINDINGS", "Finding", "RelationFinder", "make_relation_finder", "decide", "choose", "default_model_path"]

log = logging.getLogger("kg.extract")

COMPONENT = "kg_relations"
_PATTERN_CONFIDENCE = 0.5


def default_model_path() -> Path:
    """The relation model shipped with the package."""
    return Path(str(files("extractors") / "models" / "kg_relations.json"))
_ONE_HEAD = frozenset({"basedOn", "appliedTo", "outperforms"})
# without a model only the patterns that rarely mislead decide (measured on held-out train)
_PATTERN_RELATIONS = {"same": frozenset(ALLOWED), "own": frozenset({"evaluatedOn", "outperforms", "basedOn"})}


@dataclass(frozen=True)
class Finding:
    """One relation between two entity groups of a Doc (keys of ``group_mentions``)."""

    head: str
    relation: str
    tail: str
    start: int  # evidence sentence, Doc characters
    end: int
    trigger: str
    confidence: float
    component: str


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


def _by_patterns(pair: PairCandidate) -> str | None:
    for context in sorted(pair.contexts, key=lambda c: c.kind != "same"):
        for trigger in context.triggers:
            if trigger.relation in _PATTERN_RELATIONS[context.kind] and allowed(trigger.relation, pair.head.type, pair.tail.type):
                return trigger.relation
    return None


def decide(pairs: list[PairCandidate], model: SparseLogisticModel | None) -> list[Finding]:
    """Findings for the candidate pairs of one Doc."""
    found = []
    if model is None:
        for pair in pairs:
            relation = _by_patterns(pair)
            if relation is not None:
                context, trigger = _evidence(pair, relation)
                found.append(Finding(pair.head.key, relation, pair.tail.key, context.start, context.end, trigger, _PATTERN_CONFIDENCE, f"{COMPONENT}/patterns"))
        return found
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
    # a tail has one head per relation (the paper's system), except for evaluations,
    # where papers compare several systems on one benchmark
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


class RelationFinder(BatchedComponent):
    """The component: candidate pairs -> findings in ``doc.user_data[RELATION_FINDINGS]``."""

    def __init__(self, model: SparseLogisticModel | None):
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[RELATION_FINDINGS] = decide(pair_candidates(doc), self.model)
        return doc


@Language.factory("kg_relations", default_config={"model_path": None, "use_model": True})
def make_relation_finder(nlp: Language, name: str, model_path: str | None, use_model: bool):
    """Pipeline component: relations between the Doc's entities.

    ``model_path`` is a model of ``kg train-relations`` [default: the shipped one];
    ``use_model=False`` uses the trigger patterns alone.
    """
    if not use_model:
        return RelationFinder(None)
    path = Path(model_path) if model_path else default_model_path()
    if not path.is_file():
        if model_path:
            raise FileNotFoundError(f"no relation model at {path}; train one with `kg train-relations`")
        log.warning("no relation model at %s; relations from trigger patterns only", path)
        return RelationFinder(None)
    return RelationFinder(SparseLogisticModel.load(path))
