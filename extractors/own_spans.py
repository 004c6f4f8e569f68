"""A trained proposer of the names a paper introduces, with learned boundaries.

Most of the entities a paper introduces that no component finds are descriptive phrases
right after an introducing word ("we propose a novel rank-based random estimator", "we
design a feature fusion transformer"), items of a list in such a sentence ("which
includes the iterative information collector, adaptive memory reviewer, and ..."), or
the phrases a title opens with ("Prefix Conditioning Unifies ...", "A Bag of Tricks for
..."). Where such a name ends is what rules get wrong: the guidelines keep some kind
words ("error memory module", "progressive parameter adjustment strategy") and drop
others ("an error-type grounded mistake augmentation method").

This module enumerates, from every such start (`start_points`), the phrases of one to
`MAX_WORDS` word tokens that run up to a function word or punctuation, and a logistic
regression (`OwnSpanModel`, trained by `extractors.filter_training` on the training
gold: is the phrase an annotated name?) scores each from its edge words, the words
around it, its start's kind, its length and shape. The best-scored phrase of each start
above the keep threshold, without overlaps, becomes a candidate (component
``"kg_own_span"``) and its score a feature of the entity filter.

It is an option of the filter's training (``train_filter(own_spans=True)``), not in the
shipped filter: out of fold it proposes 517 phrases of the training papers, 373 of them
gold names (252 introduced), but nearly all of those the shipped filter already keeps,
and the filter trained with it scores as without it (typed 0.699, introduced 0.578;
docs/extraction.md, "The introduced role", third round).

Examples
--------
>>> [(s.text, s.start_kind) for s in candidate_spans("", "We propose a novel rank-based random estimator.")]
[('rank-based', 'trigger'), ('rank-based random', 'trigger'), ('rank-based random estimator', 'trigger')]
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from extractors.aggregate import normalise_name
from extractors.own_phrases import _LEAD, _STOP, _TRIGGERS, _introduces, _occurrences, _type
from extractors.records import Entity
from extractors.sparse_logistic import SparseLogisticModel
from extractors.span_classifier import Token, tokenize

__all__ = ["COMPONENT", "MAX_WORDS", "SpanCandidate", "start_points", "candidate_spans", "span_features", "paper_candidates",
           "label_candidates", "OwnSpanModel", "own_span_scores", "cross_validated_own_spans"]

COMPONENT = "kg_own_span"
MAX_WORDS = 8
NAME, NONE = "name", "none"
_WORDLIKE = re.compile(r"[A-Za-z0-9]")
# after one of these, in a sentence that introduces something, a list item may start
_LIST_OPENERS = frozenset(", ; : and or including includes include comprising comprises comprise namely ( ) termed called".split())
# in a title, a name may follow these ("... by Meta-tuning on ...", "... via Responsive Error Compensation Loop")
_TITLE_OPENERS = frozenset("via by with using through : - -- \u2013 \u2014".split())
_TITLE_LEAD = frozenset("a an the towards toward on".split())
_GENERIC_HEADS = frozenset("""framework method methods approach model models technique techniques algorithm strategy system
pipeline architecture mechanism module scheme paradigm loss function network dataset benchmark metric measure score task""".split())


@dataclass(frozen=True)
class SpanCandidate:
    """A phrase of one field from token ``first`` to ``last`` (inclusive) of that field's tokens."""
    text: str
    field: str
    first: int
    last: int
    start_kind: str  # "trigger", "list" or "title"


def start_points(tokens: list[Token], field: str) -> list[tuple[int, str]]:
    """(token index, kind) where an introduced name may start: after an introducing word
    and its lead words ("we propose a novel"), after a list opener in a sentence holding
    one, and in the title at a segment's start or after "via"/"by".

    Examples
    --------
    >>> start_points(tokenize("Prefix Conditioning Unifies Labels via Meta Tuning", "title"), "title")
    [(0, 'title'), (5, 'title')]
    """
    lower = [t.text.lower() for t in tokens]
    points: dict[int, str] = {}

    def skip_lead(k: int, lead: frozenset[str]) -> int:
        while k < len(tokens) and (lower[k] in lead or tokens[k].text in ('"', "\u201c")):
            k += 1
        return k

    if field == "title":
        for k in [0] + [j + 1 for j, word in enumerate(lower) if word in _TITLE_OPENERS]:
            points.setdefault(skip_lead(k, _TITLE_LEAD), "title")
    else:
        own_sentences = set()
        for k in range(len(tokens)):
            if lower[k] in _TRIGGERS and _introduces(lower, k):
                points.setdefault(skip_lead(k + 1, _LEAD), "trigger")
                own_sentences.add(tokens[k].sentence)
        for k, word in enumerate(lower):
            if word in _LIST_OPENERS and tokens[k].sentence in own_sentences:
                points.setdefault(skip_lead(k + 1, _LEAD), "list")
    return sorted((k, kind) for k, kind in points.items() if k < len(tokens) and _WORDLIKE.search(lower[k]) and lower[k] not in _STOP)


def candidate_spans(title: str, abstract: str) -> list[SpanCandidate]:
    """Every phrase of 1..`MAX_WORDS` word tokens from a `start_points` start, within its
    sentence, up to a function word or punctuation, in both fields."""
    found = []
    for field, text in (("title", title), ("abstract", abstract)):
        tokens = tokenize(text, field)
        found += _spans_of(tokens, text, field)
    return found


def _spans_of(tokens: list[Token], text: str, field: str) -> list[SpanCandidate]:
    found = []
    for start, kind in start_points(tokens, field):
        end = start
        while (end < len(tokens) and end - start < MAX_WORDS and _WORDLIKE.search(tokens[end].text)
               and tokens[end].sentence == tokens[start].sentence and tokens[end].text.lower() not in _STOP):
            found.append(SpanCandidate(text[tokens[start].start : tokens[end].end], field, start, end, kind))
            end += 1
    return found


def span_features(candidate: SpanCandidate, tokens: list[Token], repeats: int, in_other_field: bool) -> list[str]:
    """What the scorer reads of a phrase: its start's kind, its edge words and the words
    around it, its length and shape, whether the next word ends it naturally (a function
    word or punctuation) or is a kind word ("... estimator method"), whether its field
    repeats it (``repeats``: its occurrences there) and whether the other field (title or
    abstract) holds it."""
    words = [t.text for t in tokens[candidate.first : candidate.last + 1]]
    lower = [w.lower() for w in words]
    before = tokens[candidate.first - 1].text.lower() if candidate.first > 0 else "<s>"
    after = tokens[candidate.last + 1].text.lower() if candidate.last + 1 < len(tokens) else "</s>"
    natural = not _WORDLIKE.search(after) or after in _STOP or after == "</s>"
    kind = candidate.start_kind
    shape = ("lower" if all(w.islower() or not w[:1].isalpha() for w in words)
             else "caps" if all(w[:1].isupper() for w in words if w[:1].isalpha()) else "mixed")
    features = [f"kind:{kind}", f"len:{len(words)}", f"kind_len:{kind}_{min(len(words), 5)}", f"first:{lower[0]}", f"last:{lower[-1]}",
                f"last_suffix:{lower[-1][-3:]}", f"before:{before}", f"after:{after if _WORDLIKE.search(after) else 'punct'}",
                f"natural_end:{natural}", f"kind_natural:{kind}_{natural}", f"shape:{shape}", f"kind_shape:{kind}_{shape}"]
    if lower[-1] in _GENERIC_HEADS:
        features.append("last_generic")
    if after in _GENERIC_HEADS:
        features.append("after_generic")
    if any("-" in w for w in words):
        features.append("hyphen")
    if any(c.isdigit() for w in words for c in w):
        features.append("digit")
    if any(any(c.isupper() for c in w[1:]) for w in words):
        features.append("camel")
    if repeats > 1:
        features.append("repeated")
    if in_other_field:
        features.append("in_other_field")
    return features


def _phrase_counts(tokens: list[Token], keys: set[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
    """How often each phrase of ``keys`` (lower-case token tuples of 1..`MAX_WORDS`) occurs
    in ``tokens``: one pass, linear in the tokens."""
    lower = [t.text.lower() for t in tokens]
    counts: dict[tuple[str, ...], int] = {}
    lengths = {len(key) for key in keys}
    for k in range(len(lower)):
        for n in lengths:
            key = tuple(lower[k : k + n])
            if key in keys:
                counts[key] = counts.get(key, 0) + 1
    return counts


def paper_candidates(title: str, abstract: str) -> list[tuple[SpanCandidate, list[str]]]:
    """Every `candidate_spans` phrase of a paper with its `span_features`."""
    fields = {"title": (title, tokenize(title, "title")), "abstract": (abstract, tokenize(abstract, "abstract"))}
    spans = {field: _spans_of(tokens, text, field) for field, (text, tokens) in fields.items()}
    keys = {field: {tuple(t.text.lower() for t in fields[field][1][c.first : c.last + 1]) for c in spans[field]} for field in fields}
    wanted = keys["title"] | keys["abstract"]
    counts = {field: _phrase_counts(tokens, wanted) for field, (_, tokens) in fields.items()}
    found = []
    for field, other in (("title", "abstract"), ("abstract", "title")):
        tokens = fields[field][1]
        for c in spans[field]:
            key = tuple(t.text.lower() for t in tokens[c.first : c.last + 1])
            found.append((c, span_features(c, tokens, counts[field].get(key, 0), key in counts[other])))
    return found


def label_candidates(candidates: list[tuple[SpanCandidate, list[str]]], gold_entities: list[dict]) -> list[str]:
    """``"name"`` for a phrase that spells a gold entity's name or alias (as the scorer folds names), else ``"none"``."""
    forms = {normalise_name(f) for e in gold_entities for f in (e["name"], *(e.get("aliases") or ()))}
    return [NAME if normalise_name(c.text) in forms else NONE for c, _ in candidates]


class OwnSpanModel:
    """A two-class `SparseLogisticModel` over `span_features` and the keep threshold on ``"name"``."""

    def __init__(self, model: SparseLogisticModel):
        self.model = model
        self.threshold = float(model.thresholds.get(NAME, 0.3))

    @classmethod
    def fit(cls, examples: list[list[tuple[SpanCandidate, list[str]]]], labels: list[list[str]], *, l2: float,
            threshold: float) -> "OwnSpanModel":
        """Fit on the candidates of several papers and their labels (`label_candidates`)."""
        model = SparseLogisticModel.fit([f for paper in examples for _, f in paper], [y for paper in labels for y in paper],
                                        classes=(NONE, NAME), l2=l2)
        model.thresholds = {NAME: threshold}
        return cls(model)

    def entities(self, title: str, abstract: str, candidates: list[tuple[SpanCandidate, list[str]]] | None = None) -> list[Entity]:
        """The best-scored phrase of each start at or above the threshold, best first
        without overlaps, as `Entity` records (every occurrence a mention; confidence:
        the score)."""
        candidates = paper_candidates(title, abstract) if candidates is None else candidates
        if not candidates:
            return []
        scores = [p[NAME] for p in self.model.probabilities([f for _, f in candidates])]
        best: dict[tuple[str, int], tuple[float, SpanCandidate]] = {}
        for (candidate, _), score in zip(candidates, scores):
            key = (candidate.field, candidate.first)
            if score >= self.threshold and (key not in best or score > best[key][0]):
                best[key] = (score, candidate)
        taken: dict[str, set[int]] = {"title": set(), "abstract": set()}
        found: dict[str, Entity] = {}
        title_tokens, abstract_tokens = tokenize(title, "title"), tokenize(abstract, "abstract")
        for score, candidate in sorted(best.values(), key=lambda sc: (-sc[0], sc[1].field, sc[1].first)):
            positions = set(range(candidate.first, candidate.last + 1))
            key = normalise_name(candidate.text)
            if positions & taken[candidate.field] or key in found:
                continue
            taken[candidate.field] |= positions
            mentions = tuple(_occurrences(candidate.text, title, "title", title_tokens)
                             + _occurrences(candidate.text, abstract, "abstract", abstract_tokens))
            mentions = tuple(replace(m, confidence=round(score, 4), component=COMPONENT) for m in mentions)
            found[key] = Entity(candidate.text, _type(candidate.text.split()), "used", (), mentions, round(score, 4))
        return list(found.values())


def own_span_scores(entities: list[Entity], proposed: list[Entity]) -> list[str | None]:
    """For each entity, ``own_span>=0.x`` (the best score of a proposed phrase that is its
    name or an alias, in tenths), or None where none is.

    Examples
    --------
    >>> own_span_scores([Entity("FooNet", "Method", "used", (), (), 1.0), Entity("x", "Task", "used", (), (), 1.0)],
    ...                 [Entity("foonet", "Method", "used", (), (), 0.72)])
    ['own_span>=0.7', None]
    """
    score_of: dict[str, float] = {}
    for e in proposed:
        key = normalise_name(e.name)
        score_of[key] = max(score_of.get(key, 0.0), e.confidence)
    marks = []
    for e in entities:
        scores = [score_of[k] for k in map(normalise_name, (e.name, *e.aliases)) if k in score_of]
        marks.append(f"own_span>={min(int(max(scores) * 10), 9) / 10}" if scores else None)
    return marks


def cross_validated_own_spans(papers: list[dict], golds: list[list[dict]], *, folds: int, seed: int, l2: float,
                              threshold: float) -> tuple[list[list[Entity]], OwnSpanModel]:
    """Each paper's proposed phrases from a model fitted on the other folds (the seeded
    split the entity filter's training uses), and the model fitted on all papers."""
    import random

    candidates = [paper_candidates(p["title"], p.get("abstract") or "") for p in papers]
    labels = [label_candidates(c, g) for c, g in zip(candidates, golds)]
    order = list(range(len(papers)))
    random.Random(seed).shuffle(order)
    fold_of = {paper: k % folds for k, paper in enumerate(order)}
    found: list[list[Entity]] = [[] for _ in papers]
    for fold in range(folds):
        train = [k for k in range(len(papers)) if fold_of[k] != fold]
        model = OwnSpanModel.fit([candidates[k] for k in train], [labels[k] for k in train], l2=l2, threshold=threshold)
        for k, paper in enumerate(papers):
            if fold_of[k] == fold:
                found[k] = model.entities(paper["title"], paper.get("abstract") or "", candidates[k])
    return found, OwnSpanModel.fit(candidates, labels, l2=l2, threshold=threshold)
