"""The candidates of one Doc, read from the span groups of the earlier components.

Abbreviation long and short forms, lexicon matches, shape/cue names, the spans of
statistical groups (the ``kg_ner`` tagger's, with their scores), and the name and
phrases of the title (`extractors.titles`), each with a prior type and the reliability
of the component that found it. Generic phrases and modifier forms ("our method",
"SFT-based") are left out, and a generic head is cut off a name ("DICES Dataset").
`extractors.candidates` resolves their overlaps, completes lists and types them.
"""

# no `from __future__ import annotations`: imported while spaCy resolves factory signatures
import re
from functools import lru_cache
from typing import NamedTuple

from spacy.tokens import Doc, Span

from extractors.abbreviations import LONG_FORMS, SHORT_FORMS
from extractors.entity_typing import type_of_phrase
from extractors.generic import is_generic
from extractors.lexicon import LEXICON_SPANS
from extractors.names import ADJECTIVE_SUFFIX, NAME_SPANS, UNTYPED, extend_version, looks_like_name, not_entities
from extractors.offsets import span_text, spans_of, text_of
from extractors.titles import title_name, title_phrases

__all__ = ["Candidate", "RELIABILITY", "collect_candidates"]

RELIABILITY = {"kg_abbreviations": 0.9, "kg_lexicon": 0.85, "kg_title": 0.8, "kg_names": 0.6, "kg_lists": 0.55}


class Candidate(NamedTuple):
    """One candidate mention (a tuple: a third of a frozen dataclass's cost to make, and
    a paper makes dozens)."""

    span: Span
    prior: str  # a type, or UNTYPED
    component: str
    confidence: float


def collect_candidates(doc: Doc, lexicon, extra_groups: tuple[str, ...]) -> list[Candidate]:
    """Every candidate of ``doc`` (``extra_groups``: the statistical span groups), minus
    generic phrases and modifier forms (a lexicon's forms are never generic)."""
    found: list[Candidate] = []
    text = text_of(doc)
    for long_span, short_span in zip(spans_of(doc, LONG_FORMS), spans_of(doc, SHORT_FORMS)):
        long_text = text[long_span.start_char : long_span.end_char]
        prior = lexicon.type_of(long_text) or lexicon.type_of(text[short_span.start_char : short_span.end_char]) or type_of_phrase(long_text) or UNTYPED
        found.append(Candidate(long_span, prior, "kg_abbreviations", RELIABILITY["kg_abbreviations"]))
        found.append(Candidate(short_span, prior, "kg_abbreviations", RELIABILITY["kg_abbreviations"]))
    for group in (LEXICON_SPANS, NAME_SPANS):
        for span in spans_of(doc, group):
            if group == LEXICON_SPANS and span.label_ == "Model":
                span = extend_version(doc, span)
            found.append(Candidate(span, span.label_ or UNTYPED, group, RELIABILITY[group]))
    for group in extra_groups:
        if group not in doc.spans:
            continue
        spans = doc.spans[group]
        scores = spans.attrs.get("scores") if hasattr(spans, "attrs") else None
        for k, span in enumerate(spans):
            score = float(scores[k]) if scores is not None and k < len(scores) else 0.7
            known = lexicon.type_of(span_text(span))
            found.append(Candidate(span, known or span.label_ or UNTYPED, group, score))
    span = title_name(doc)
    if span is not None:
        found.append(Candidate(span, lexicon.type_of(text[span.start_char : span.end_char]) or UNTYPED, "kg_title", RELIABILITY["kg_title"]))
    for phrase in title_phrases(doc):
        prior = lexicon.type_of(span_text(phrase.span)) or phrase.type
        found.append(Candidate(phrase.span, prior, "kg_title", RELIABILITY["kg_title"]))
    kept = []
    never = not_entities()
    for candidate in map(_without_generic_head, found):
        span = candidate.span
        words = text[span.start_char : span.end_char]
        # curated lexicon forms are never generic; everything else is checked
        if words not in never and (candidate.component == LEXICON_SPANS or not (is_generic(words) or _modifier_form(words))):
            kept.append(candidate)
    return kept


# one word that qualifies or joins names rather than naming one thing: "SFT-based",
# "non-IID", "OpenAI's", "GPT-3.5/4", "MATH/GSM8K"
_MODIFIER_FORM = re.compile(r"^(?:non-\S+|\S+['’]s|\S+/\S+)$")


@lru_cache(maxsize=65_536)
def _modifier_form(text: str) -> bool:
    """Whether ``text`` is an adjective, a possessive or a slashed pair, not a name.

    Examples
    --------
    >>> [_modifier_form(t) for t in ["SFT-based", "non-IID", "OpenAI's", "GPT-3.5/4", "GPT-4", "Die/Dat Prediction"]]
    [True, True, True, True, False, False]
    """
    return bool(ADJECTIVE_SUFFIX.search(text) or _MODIFIER_FORM.match(text))


_GENERIC_HEADS = {"dataset": "Dataset", "corpus": "Dataset", "benchmark": "Benchmark", "suite": "Benchmark", "framework": "Method"}


def _without_generic_head(candidate: Candidate) -> Candidate:
    """"DICES Dataset" names DICES, a Dataset (guidelines: no generic heads in names)."""
    span = candidate.span
    if len(span) != 2 or candidate.component == LEXICON_SPANS:
        return candidate
    head = _GENERIC_HEADS.get(span[1].lower_)
    if head is None or not looks_like_name(span[0].text):
        return candidate
    prior = head if candidate.prior == UNTYPED else candidate.prior
    return Candidate(span[:1], prior, candidate.component, candidate.confidence)
