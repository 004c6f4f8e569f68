"""From one processed Doc (title + blank line + abstract) to a `PaperExtraction`.

Mentions are grouped into entities by their normalised text (case, spaces, hyphens and
a final plural "s" folded, as the guidelines' matching does) and by the abbreviation
pairs the text defines, so "Direct Nash Optimization" and "DNO" become one entity
named by its fullest form with the other forms as aliases. An entity takes the type
most of its mention weight votes for, and is ``introduced`` if any mention is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict

from spacy.tokens import Doc, Span

from extractors.abbreviations import LONG_FORMS, SHORT_FORMS
from extractors.candidates import ENTITY_SPANS, TITLE_CHARS
from extractors.records import Entity, Mention, PaperExtraction
from extractors.roles import INTRODUCED_SPANS
from extractors.sentences import sentence_starts

__all__ = ["FIELD_SEPARATOR", "normalise_name", "doc_to_extraction"]

FIELD_SEPARATOR = "\n\n"  # between title and abstract in the one Doc per paper
_FOLD = re.compile(r"[\s\-\u2010-\u2015_]+")


def normalise_name(text: str) -> str:
    """The key under which two surface forms count as the same name.

    Examples
    --------
    >>> normalise_name("Large Language Models") == normalise_name("large-language model")
    True
    >>> normalise_name("the MMLU")
    'mmlu'
    """
    key = _FOLD.sub("", re.sub(r"^the\s+", "", text.lower().strip()))
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


class _Groups:
    """Union-find over name keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _sentence_index(doc: Doc, abstract_start: int) -> tuple[list[int], list[tuple[str, int]]]:
    """Sentence start characters, and for each its (field, index within the field)."""
    starts = sentence_starts(doc)
    title_sentences = bisect_right(starts, abstract_start - 1)
    where = [("title", k) if k < title_sentences else ("abstract", k - title_sentences) for k in range(len(starts))]
    return starts, where


def _mention(span: Span, component: str, confidence: float, where: tuple[str, int], abstract_start: int) -> Mention:
    field, sentence = where
    shift = 0 if field == "title" else abstract_start
    return Mention(
        text=span.text,
        field=field,
        start=span.start_char - shift,
        end=span.end_char - shift,
        sentence=sentence,
        confidence=round(confidence, 4),
        component=component,
    )


def doc_to_extraction(doc: Doc, *, paper_id: str, title: str, extractor: str, version: str) -> PaperExtraction:
    """The records of one paper's Doc (text = title + `FIELD_SEPARATOR` + abstract)."""
    title_chars = doc.user_data.get(TITLE_CHARS, len(title))
    abstract_start = title_chars + len(FIELD_SEPARATOR)
    entities = doc.spans[ENTITY_SPANS] if ENTITY_SPANS in doc.spans else []
    if not entities:
        return PaperExtraction(paper_id, title, (), (), extractor, version)
    components = entities.attrs.get("components", ["?"] * len(entities))
    confidences = entities.attrs.get("confidences", [0.5] * len(entities))
    introduced = {(s.start, s.end) for s in doc.spans.get(INTRODUCED_SPANS, [])}
    groups = _Groups()
    for long_span, short_span in zip(doc.spans.get(LONG_FORMS, []), doc.spans.get(SHORT_FORMS, [])):
        groups.union(normalise_name(short_span.text), normalise_name(long_span.text))
    starts, where_of = _sentence_index(doc, abstract_start)
    members: dict[str, list[tuple[Span, str, float]]] = defaultdict(list)
    order: list[str] = []
    for span, component, confidence in zip(entities, components, confidences):
        root = groups.find(normalise_name(span.text))
        if root not in members:
            order.append(root)
        members[root].append((span, component, float(confidence)))
    records = []
    for root in order:
        spans = members[root]
        votes: dict[str, float] = defaultdict(float)
        forms: dict[str, str] = {}
        mentions = []
        for span, component, confidence in spans:
            votes[span.label_] += confidence
            forms.setdefault(normalise_name(span.text), span.text)
            where = where_of[max(0, bisect_right(starts, span.start_char) - 1)]
            mentions.append(_mention(span, component, confidence, where, abstract_start))
        name = max(forms.values(), key=lambda form: (len(form.split()), len(form)))
        aliases = tuple(sorted((form for form in forms.values() if form != name), key=str.lower))
        records.append(
            Entity(
                name=name,
                type=max(votes, key=lambda t: (votes[t], t)),
                role="introduced" if any((s.start, s.end) in introduced for s, _, _ in spans) else "used",
                aliases=aliases,
                mentions=tuple(mentions),
                confidence=round(max(c for _, _, c in spans), 4),
            )
        )
    return PaperExtraction(paper_id, title, tuple(records), (), extractor, version)
