"""Merging the candidates of all components into typed entity mentions.

Inputs are the span groups the earlier components wrote: abbreviation long and short
forms, lexicon matches, shape/cue names, the statistical ``kg_ner`` spans when that
component runs, and the name a title defines ("OMNI: Open-endedness via ..."). Where
candidates overlap the longer one wins (ties: the more reliable component). Generic
phrases ("our method", "several benchmarks") are dropped, lists ("Averaging, Task
Arithmetic, Dare, and TIES") are completed, and every mention is typed by context.

The result is ``doc.spans["kg_entities"]`` (label = type) with parallel lists
``attrs["components"]`` and ``attrs["confidences"]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.abbreviations import LONG_FORMS, SHORT_FORMS
from extractors.entity_typing import type_by_context, type_of_phrase
from extractors.generic import is_generic
from extractors.lexicon import LEXICON_SPANS, load_lexicon
from extractors.names import NAME_SPANS, UNTYPED, extend_version, not_entities

__all__ = ["ENTITY_SPANS", "Candidate", "title_name", "merge_candidates"]

ENTITY_SPANS = "kg_entities"
TITLE_CHARS = "kg_title_chars"  # doc.user_data key: length of the title at the start of the text
_RELIABILITY = {"kg_abbreviations": 0.9, "kg_lexicon": 0.85, "kg_title": 0.8, "kg_names": 0.6, "kg_lists": 0.55}


@dataclass(frozen=True)
class Candidate:
    span: Span
    prior: str  # a type, or UNTYPED
    component: str
    confidence: float


def title_name(doc: Doc) -> Span | None:
    """The name a title defines before its colon ("OMNI: Open-endedness via ...")."""
    title_end = doc.user_data.get(TITLE_CHARS, 0)
    colon = doc.text.find(":", 0, title_end)
    if colon <= 0:
        return None
    span = doc.char_span(0, colon, alignment_mode="contract")
    if span is None or not 1 <= len(span) <= 5 or not any(c.isupper() for c in span.text):
        return None
    if span.text in not_entities() or span[0].lower_ in {"the", "a", "an", "on", "towards", "toward", "beyond", "when", "why", "how", "what"}:
        return None
    return span


def _collect(doc: Doc, lexicon, extra_groups: tuple[str, ...]) -> list[Candidate]:
    found: list[Candidate] = []
    long_forms = doc.spans[LONG_FORMS] if LONG_FORMS in doc.spans else []
    short_forms = doc.spans[SHORT_FORMS] if SHORT_FORMS in doc.spans else []
    for long_span, short_span in zip(long_forms, short_forms):
        prior = lexicon.type_of(long_span.text) or lexicon.type_of(short_span.text) or type_of_phrase(long_span.text) or UNTYPED
        found.append(Candidate(long_span, prior, "kg_abbreviations", _RELIABILITY["kg_abbreviations"]))
        found.append(Candidate(short_span, prior, "kg_abbreviations", _RELIABILITY["kg_abbreviations"]))
    for group, default in ((LEXICON_SPANS, None), (NAME_SPANS, None)):
        for span in doc.spans[group] if group in doc.spans else []:
            if group == LEXICON_SPANS and span.label_ == "Model":
                span = extend_version(doc, span)
            found.append(Candidate(span, span.label_ or UNTYPED, group, _RELIABILITY[group]))
    for group in extra_groups:
        if group not in doc.spans:
            continue
        spans = doc.spans[group]
        scores = spans.attrs.get("scores") if hasattr(spans, "attrs") else None
        for k, span in enumerate(spans):
            score = float(scores[k]) if scores is not None and k < len(scores) else 0.7
            known = lexicon.type_of(span.text)
            found.append(Candidate(span, known or span.label_ or UNTYPED, group, score))
    span = title_name(doc)
    if span is not None:
        found.append(Candidate(span, lexicon.type_of(span.text) or UNTYPED, "kg_title", _RELIABILITY["kg_title"]))
    return [c for c in found if not is_generic(c.span.text) and c.span.text not in not_entities()]


def _resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Longest first, then most reliable; a token belongs to one candidate at most."""
    ranked = sorted(candidates, key=lambda c: (-(c.span.end_char - c.span.start_char), -c.confidence, c.span.start))
    taken: set[int] = set()
    kept = []
    for candidate in ranked:
        tokens = range(candidate.span.start, candidate.span.end)
        if any(i in taken for i in tokens):
            continue
        taken.update(tokens)
        kept.append(candidate)
    return sorted(kept, key=lambda c: c.span.start)


def _list_members(doc: Doc, kept: list[Candidate]) -> list[Candidate]:
    """Capitalised items of a list whose other items are typed candidates."""
    by_start = {c.span.start: c for c in kept}
    by_end = {c.span.end: c for c in kept}
    added = []
    for candidate in kept:
        # walk right from a candidate over ", Item" / ", and Item" / " and Item"
        i = candidate.span.end
        while i < len(doc) and doc[i].lower_ in {",", "and", "or"}:
            j = i
            while j < len(doc) and doc[j].lower_ in {",", "and", "or"}:
                j += 1
            if j >= len(doc) or j in by_start:
                break
            end = j
            while end < len(doc) and end - j < 3 and (doc[end].text[:1].isupper() or doc[end].text == "-") and not doc[end].is_sent_start:
                end += 1
            if end == j or (end < len(doc) and doc[end].lower_ not in {",", "and", "or", ".", ")", ";"}):
                break
            span = Span(doc, j, end)
            if span.text in not_entities() or is_generic(span.text):
                break
            member = Candidate(span, candidate.prior, "kg_lists", _RELIABILITY["kg_lists"])
            added.append(member)
            by_start[j] = by_end[end] = member
            i = end
    return added


def merge_candidates(doc: Doc, lexicon, extra_groups: tuple[str, ...] = ()) -> list[tuple[Span, str, str, float]]:
    """Typed, non-overlapping mentions: (span, type, component, confidence)."""
    kept = _resolve_overlaps(_collect(doc, lexicon, extra_groups))
    typed_priors = [c for c in kept if c.prior != UNTYPED]
    kept = _resolve_overlaps(kept + _list_members(doc, typed_priors))
    return [(c.span, type_by_context(c.span, c.prior), c.component, c.confidence) for c in kept]


class CandidateMerger:
    def __init__(self, lexicon, extra_groups: tuple[str, ...]):
        self.lexicon = lexicon
        self.extra_groups = extra_groups

    def __call__(self, doc: Doc) -> Doc:
        merged = merge_candidates(doc, self.lexicon, self.extra_groups)
        doc.spans[ENTITY_SPANS] = [Span(doc, span.start, span.end, label=entity_type) for span, entity_type, _, _ in merged]
        doc.spans[ENTITY_SPANS].attrs["components"] = [component for _, _, component, _ in merged]
        doc.spans[ENTITY_SPANS].attrs["confidences"] = [confidence for _, _, _, confidence in merged]
        return doc


@Language.factory("kg_candidates", default_config={"extra_groups": [], "lexicon_path": None})
def make_candidate_merger(nlp: Language, name: str, extra_groups: list[str], lexicon_path: str | None):
    """Pipeline component: merges, filters and types candidates (``extra_groups``: e.g. ["kg_ner"])."""
    return CandidateMerger(load_lexicon(lexicon_path), tuple(extra_groups))
