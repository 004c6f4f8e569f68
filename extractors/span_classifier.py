"""A trained span classifier: a higher-recall source of entity candidates for ``accurate``.

The rule components miss about a third of the annotated entities, most of them
descriptive lower-case phrases ("knowledge-intensive tasks", "zero-shot accuracy",
"regret minimization") that no list or name shape can find. This classifier looks at
every window of one to `MAX_WORDS` word tokens of the title and abstract (windows that
start or end with a function word, or hold punctuation, are skipped) and scores it
with a multinomial logistic regression (`extractors.sparse_logistic.SparseLogisticModel`,
classes ``"none"`` and the six entity types).

Every feature belongs to one token in one position: the window's first, last, only or
inner tokens, the two words before and after it; plus its length, whether it is in the
title, and how it overlaps an entity the rules found. A window's score is therefore a
sum of per-token score vectors, which `SpanClassifier.spans` computes once per token
and adds up for all windows at once with NumPy: thousands of windows per abstract cost
about a millisecond.

Windows whose probability of ``"none"`` is below the threshold are kept, best first,
without overlaps; `SpanClassifier.entities` groups them by name into `Entity` records
(component ``"kg_spans"``) for the entity filter to judge.

Examples
--------
>>> [t.text for t in tokenize("We fine-tune GPT-4o on pass@10 (see 1.5).")][:6]
['We', 'fine-tune', 'GPT-4o', 'on', 'pass@10', '(']
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from extractors.aggregate import normalise_name
from extractors.records import ENTITY_TYPES, Entity, Mention
from extractors.sparse_logistic import SparseLogisticModel

__all__ = ["COMPONENT", "NONE", "CLASSES", "MAX_WORDS", "Token", "tokenize", "paper_tokens", "paper_windows", "token_features",
           "context_features", "rule_masks", "window_features", "SpanClassifier", "load_span_classifier"]

COMPONENT = "kg_spans"
NONE = "none"
CLASSES = (NONE, *ENTITY_TYPES)
MAX_WORDS = 6
_CHUNK = 512  # windows compared with the rules' mentions at once
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-+./@'’][A-Za-z0-9]+)*\+*|\S")
_WORDLIKE = re.compile(r"[A-Za-z0-9]")
_SENTENCE_END = re.compile(r"[.!?]$")
# a window never starts or ends with one of these (it may hold one inside: "Learning from Human Feedback")
_FUNCTION_WORDS = frozenset("""a an the of in on for to from with by and or but as at into via over under than that this these
those their its our we it they is are was were be been being has have had do does can could may might will would should
such which who whom whose what when where while also both each either more most less other same some any all no not only
very then thus hence however here there using based between among across through about upon without within after before
new novel several many various different existing first second one two three""".split())


@dataclass(frozen=True)
class Token:
    text: str
    field: str  # "title" or "abstract"
    start: int  # characters, in the field
    end: int
    sentence: int  # index of the sentence in the field


def tokenize(text: str, field: str = "abstract") -> list[Token]:
    """The tokens of one field, each with its sentence index."""
    tokens, sentence = [], 0
    for match in _TOKEN.finditer(text):
        tokens.append(Token(match.group(), field, match.start(), match.end(), sentence))
        if _SENTENCE_END.search(match.group()) and not _WORDLIKE.search(match.group()):
            sentence += 1
    return tokens


def paper_tokens(title: str, abstract: str) -> list[Token]:
    """The tokens of the title, then of the abstract."""
    return tokenize(title, "title") + tokenize(abstract, "abstract")


def paper_windows(tokens: list[Token]) -> tuple[np.ndarray, np.ndarray]:
    """First and last token index of every window of 1..`MAX_WORDS` word tokens in one
    field and sentence, not starting or ending with a function word.

    Examples
    --------
    >>> first, last = paper_windows(tokenize("We use the Pile dataset."))
    >>> [(int(a), int(b)) for a, b in zip(first, last)]
    [(1, 1), (1, 3), (1, 4), (3, 3), (3, 4), (4, 4)]
    """
    n = len(tokens)
    word = np.array([bool(_WORDLIKE.search(t.text)) for t in tokens], dtype=bool)
    function = np.array([t.text.lower() in _FUNCTION_WORDS for t in tokens], dtype=bool)
    group = np.array([t.sentence * 2 + (t.field == "title") for t in tokens])
    gaps = np.concatenate([[0], np.cumsum(~word)])
    firsts, lasts = [], []
    for length in range(1, min(MAX_WORDS, n) + 1):
        first = np.arange(n - length + 1)
        last = first + length - 1
        ok = (gaps[last + 1] == gaps[first]) & (group[first] == group[last]) & ~function[first] & ~function[last]
        firsts.append(first[ok])
        lasts.append(last[ok])
    if not firsts:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    first, last = np.concatenate(firsts), np.concatenate(lasts)
    order = np.lexsort((last, first))
    return first[order], last[order]


@lru_cache(maxsize=65536)
def _word_features(text: str) -> tuple[str, ...]:
    word = text.lower()
    shape = re.sub(r"[A-Z]+", "X", re.sub(r"[a-z]+", "x", re.sub(r"[0-9]+", "d", text)))[:6]
    return (f"w={word}", f"s={shape}", *((f"x={word[-3:]}",) if len(word) > 4 else ()))


def token_features(tokens: list[Token]) -> list[list[str]]:
    """The features of each token: word, shape, suffix, and how often the word recurs
    in the paper. The word is always first."""
    counts = Counter(t.text.lower() for t in tokens)
    features = []
    for token in tokens:
        own = list(_word_features(token.text))
        n = counts[own[0][2:]]
        if n > 1 and own[0][2:] not in _FUNCTION_WORDS:
            own.append(f"n={min(n, 4)}")
        features.append(own)
    return features


def context_features(tokens: list[Token]) -> list[list[str]]:
    """The features of a token seen as context of a window: word and shape."""
    return [list(_word_features(t.text)[:2]) for t in tokens]


def rule_masks(tokens: list[Token], first: np.ndarray, last: np.ndarray, entities: tuple[Entity, ...]) -> dict[str, np.ndarray]:
    """Feature -> which windows have it: the window is a mention of a rules' entity of
    a type (``rule=Type``), lies inside one, covers one, or crosses one."""
    starts = {(t.field, t.start): k for k, t in enumerate(tokens)}
    ends = {(t.field, t.end): k for k, t in enumerate(tokens)}
    spans = [(starts.get((m.field, m.start)), ends.get((m.field, m.end)), e.type) for e in entities for m in e.mentions]
    spans = [(a, b, t) for a, b, t in spans if a is not None and b is not None]
    if not spans or not len(first):
        return {}
    m_first, m_last = np.array([a for a, _, _ in spans]), np.array([b for _, b, _ in spans])
    types = np.array([t for _, _, t in spans])
    names = ["rule_in", "rule_cover", "rule_cross", *(f"rule={t}" for t in sorted(set(types.tolist())))]
    masks = {name: np.zeros(len(first), dtype=bool) for name in names}
    # windows in chunks against the mentions near them: linear in a 200,000-character abstract
    for lo in range(0, len(first), _CHUNK):
        f, l = first[lo : lo + _CHUNK, None], last[lo : lo + _CHUNK, None]
        near = (m_last >= f.min()) & (m_first <= l.max())
        if not near.any():
            continue
        a, b, near_types = m_first[near][None, :], m_last[near][None, :], types[near]
        exact = (f == a) & (l == b)
        inside = (f >= a) & (l <= b) & ~exact
        covers = (f <= a) & (l >= b) & ~exact
        crosses = (f <= b) & (l >= a) & ~exact & ~inside & ~covers
        chunk = slice(lo, lo + _CHUNK)
        masks["rule_in"][chunk], masks["rule_cover"][chunk], masks["rule_cross"][chunk] = inside.any(1), covers.any(1), crosses.any(1)
        for entity_type in set(near_types.tolist()):
            masks[f"rule={entity_type}"][chunk] = exact[:, near_types == entity_type].any(1)
    return masks


# the positions a token's features take in a window
_ROLES = ("F", "L", "U", "I", "B1", "B2", "A1", "A2")
_CONTEXT = (("B1", -1), ("B2", -2), ("A1", 1), ("A2", 2))


def window_features(first: int, last: int, tokens: list[Token], per_token: list[list[str]], context: list[list[str]]) -> list[str]:
    """The feature strings of one window, without the rule features (the training view
    of `SpanClassifier.probabilities`); ``per_token`` is `token_features`, ``context``
    is `context_features`."""
    features = [f"len={last - first + 1}"]
    if tokens[first].field == "title":
        features.append("title")
    if first == last:
        features += [f"U:{f}" for f in per_token[first]]
    else:
        features += [f"F:{f}" for f in per_token[first]] + [f"L:{f}" for f in per_token[last]]
        # inner tokens by word only: a window's score adds them up, so a feature must not repeat
        features += [f"I:{per_token[k][0]}" for k in range(first + 1, last)]
    for role, offset in _CONTEXT:
        k = (first if offset < 0 else last) + offset
        if 0 <= k < len(tokens) and tokens[k].field == tokens[first].field:
            features += [f"{role}:{f}" for f in context[k]]
    return features


class SpanClassifier:
    """A `SparseLogisticModel` over `window_features` and `rule_masks` with a keep threshold
    on ``"none"``."""

    def __init__(self, model: SparseLogisticModel):
        self.model = model
        self.threshold = float(model.thresholds.get(NONE, 0.5))
        n_classes = len(model.classes)
        # one row per token feature, the same in every role's matrix (zero where a role lacks it)
        self._rows: dict[str, int] = {}
        for feature in model.index:
            role, _, rest = feature.partition(":")
            if role in _ROLES and rest:
                self._rows.setdefault(rest, len(self._rows))
        self._zero_row = len(self._rows)  # an unknown or missing feature
        self._matrices = {role: np.zeros((len(self._rows) + 1, n_classes)) for role in _ROLES}
        for feature, k in model.index.items():
            role, _, rest = feature.partition(":")
            if role in _ROLES and rest:
                self._matrices[role][self._rows[rest]] = model.weights[k]
        self._word_rows: dict[str, list[int]] = {}  # token text -> rows of its `_word_features`

    def _token_rows(self, tokens: list[Token]) -> np.ndarray:
        """Rows of each token's `token_features` (tokens x 4, padded with the zero row)."""
        rows, cache, zero = self._rows, self._word_rows, self._zero_row
        if len(cache) > 100_000:
            cache.clear()
        counts = Counter(t.text.lower() for t in tokens)
        index = np.full((len(tokens), 4), zero)
        for k, token in enumerate(tokens):
            own = cache.get(token.text)
            if own is None:
                own = cache[token.text] = [rows.get(f, zero) for f in _word_features(token.text)]
            index[k, : len(own)] = own
            word = token.text.lower()
            if counts[word] > 1 and word not in _FUNCTION_WORDS:
                index[k, len(own)] = rows.get(f"n={min(counts[word], 4)}", zero)
        return index

    def probabilities(self, tokens: list[Token], first: np.ndarray, last: np.ndarray, masks: dict[str, np.ndarray]) -> np.ndarray:
        """Class probabilities (windows x `model.classes`), computed per token and summed."""
        n_classes = len(self.model.classes)
        if not len(first):
            return np.zeros((0, n_classes))
        index, weights, n = self.model.index, self.model.weights, len(tokens)
        # token_features are the rows below; context_features their first two (word, shape), inner words the first
        rows = self._token_rows(tokens)
        scores = np.tile(self.model.bias, (len(first), 1))
        single = (first == last)[:, None]
        f, l, u = (self._matrices[role][rows].sum(axis=1) for role in ("F", "L", "U"))
        scores += np.where(single, u[first], f[first] + l[last])
        inner = np.vstack([np.zeros(n_classes), np.cumsum(self._matrices["I"][rows[:, 0]], axis=0)])
        scores += np.where(single, 0.0, inner[np.maximum(last, first + 1)] - inner[first + 1])
        title = np.array([t.field == "title" for t in tokens])
        for role, offset in _CONTEXT:
            padded = np.vstack([self._matrices[role][rows[:, :2]].sum(axis=1), np.zeros(n_classes)])  # row n: no token
            anchor = first if offset < 0 else last
            k = anchor + offset
            valid = (k >= 0) & (k < n)
            k = np.where(valid, k, n)
            valid &= title[np.minimum(k, n - 1)] == title[anchor]
            scores += np.where(valid[:, None], padded[k], 0.0)
        lengths = last - first + 1
        columns = {"title": title[first], **{f"len={m}": lengths == m for m in range(1, MAX_WORDS + 1)}, **masks}
        for feature, column in columns.items():
            if feature in index:
                scores += np.outer(column, weights[index[feature]])
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        return p / p.sum(axis=1, keepdims=True)

    def entities(self, title: str, abstract: str, rule_entities: tuple[Entity, ...] = ()) -> list[Entity]:
        """The kept windows, best first and without overlaps, grouped by name into entities."""
        fields = {"title": title, "abstract": abstract}
        tokens = paper_tokens(title, abstract)
        first, last = paper_windows(tokens)
        p = self.probabilities(tokens, first, last, rule_masks(tokens, first, last, rule_entities))
        keep = np.flatnonzero(p[:, 0] < self.threshold) if len(p) else np.zeros(0, dtype=int)
        taken = np.zeros(len(tokens), dtype=bool)
        grouped: dict[str, list[tuple[Mention, np.ndarray]]] = defaultdict(list)
        for j in keep[np.argsort(p[keep, 0], kind="stable")]:
            a, b = int(first[j]), int(last[j])
            if taken[a : b + 1].any():
                continue
            taken[a : b + 1] = True
            start, end = tokens[a], tokens[b]
            text = fields[start.field][start.start : end.end]
            mention = Mention(text, start.field, start.start, end.end, start.sentence, round(1.0 - float(p[j, 0]), 4), COMPONENT)
            grouped[normalise_name(text)].append((mention, p[j]))
        found = []
        for mentions in grouped.values():
            total = sum(row for _, row in mentions)
            entity_type = self.model.classes[1 + int(np.argmax(total[1:]))]
            ordered = tuple(sorted((m for m, _ in mentions), key=lambda m: (m.field != "title", m.start)))
            found.append(Entity(ordered[0].text, entity_type, "used", (), ordered, max(m.confidence for m in ordered)))
        return found


@lru_cache(maxsize=4)
def load_span_classifier(path: str) -> SpanClassifier:
    """The classifier at ``path``, read once per process."""
    return SpanClassifier(SparseLogisticModel.load(path))
