"""Training the span classifier (`extractors.span_classifier`) on annotated papers.

Each window of a training paper is an example, labelled with the type of the gold
entity whose name or alias it spells (as the scorer folds names), else ``"none"``.
Gold names are labels only, never features.

The entity filter is trained on what the classifier proposes; on its own training
papers the classifier is over-confident, so `cross_validated_spans` gives each paper
the spans of a model fitted without it (seeded folds), and the filter learns from
those. The shipped classifier is then fitted on every paper.
"""

from __future__ import annotations

import random

import numpy as np
from dataclasses import dataclass

from extractors.aggregate import normalise_name
from extractors.records import Entity, PaperExtraction
from extractors.sparse_logistic import SparseLogisticModel
from extractors.span_classifier import CLASSES, NONE, SpanClassifier, context_features, paper_tokens, paper_windows, rule_masks, token_features, window_features

__all__ = ["SpanExamples", "span_examples", "fit_span_classifier", "cross_validated_spans"]


@dataclass(frozen=True)
class SpanExamples:
    first: np.ndarray  # token indices of each window
    last: np.ndarray
    features: list[list[str]]
    labels: list[str]


def _gold_types(gold_entities: list[dict]) -> dict[str, str]:
    types = {}
    for gold in gold_entities:
        for form in (gold["name"], *(gold.get("aliases") or ())):
            types.setdefault(normalise_name(form), gold["type"])
    return types


def span_examples(paper: dict, gold_entities: list[dict], record: PaperExtraction) -> SpanExamples:
    """The windows of one paper with their features and labels.

    Examples
    --------
    >>> from extractors.records import PaperExtraction
    >>> paper = {"title": "T", "abstract": "We evaluate on the SQuAD benchmark."}
    >>> data = span_examples(paper, [{"name": "SQuAD", "type": "Benchmark"}], PaperExtraction("p", "T", (), (), "x", "0"))
    >>> [(f"{a}-{b}", y) for a, b, y in zip(data.first, data.last, data.labels) if y != "none"]
    [('5-5', 'Benchmark')]
    """
    tokens = paper_tokens(paper["title"], paper.get("abstract") or "")
    first, last = paper_windows(tokens)
    per_token, context = token_features(tokens), context_features(tokens)
    masks = rule_masks(tokens, first, last, record.entities)
    fields = {"title": paper["title"], "abstract": paper.get("abstract") or ""}
    types = _gold_types(gold_entities)
    labels, features = [], []
    for j, (a, b) in enumerate(zip(first.tolist(), last.tolist())):
        start, end = tokens[a], tokens[b]
        labels.append(types.get(normalise_name(fields[start.field][start.start : end.end]), NONE))
        features.append(window_features(a, b, tokens, per_token, context) + [name for name, mask in masks.items() if mask[j]])
    return SpanExamples(first, last, features, labels)


def fit_span_classifier(examples: list[SpanExamples], *, l2: float, threshold: float) -> SpanClassifier:
    """One classifier over the examples of every given paper."""
    model = SparseLogisticModel.fit([x for data in examples for x in data.features], [y for data in examples for y in data.labels],
                              classes=CLASSES, l2=l2, min_count=3)
    model.thresholds = {NONE: threshold}
    return SpanClassifier(model)


def cross_validated_spans(papers: list[dict], examples: list[SpanExamples], records: list[PaperExtraction], *,
                          folds: int, seed: int, l2: float, threshold: float) -> list[list[Entity]]:
    """Each paper's span entities from a classifier fitted on the other folds."""
    order = list(range(len(papers)))
    random.Random(seed).shuffle(order)
    fold_of = {paper: k % folds for k, paper in enumerate(order)}
    found: list[list[Entity]] = [[] for _ in papers]
    for fold in range(folds):
        classifier = fit_span_classifier([x for k, x in enumerate(examples) if fold_of[k] != fold], l2=l2, threshold=threshold)
        for k, paper in enumerate(papers):
            if fold_of[k] == fold:
                found[k] = classifier.entities(paper["title"], paper.get("abstract") or "", records[k].entities)
    return found
