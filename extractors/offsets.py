"""Character offsets <-> token indices, for rules that search the text with regexes, and
the Doc's text, token starts and span lists read once for all components.

The rule components find things with regular expressions over ``doc.text`` (fast,
linear) and only then turn the character offsets into tokens and spans.
"""

from __future__ import annotations

from bisect import bisect_right

import numpy as np
from spacy.attrs import IDX, LOWER
from spacy.tokens import Doc, Span, SpanGroup

__all__ = ["text_of", "span_text", "token_starts", "token_lowers", "token_at", "span_at", "aligned_span", "spans_of", "set_spans", "span_store", "release_spans"]

_CACHE = "kg_token_starts"
_LOWERS = "kg_token_lowers"
_TEXT = "kg_text"
_GROUPS = "kg_span_lists"


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (spaCy joins all tokens on every access)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def span_text(span: Span) -> str:
    """``span.text`` by slicing the Doc's cached text (spaCy joins the span's tokens)."""
    return text_of(span.doc)[span.start_char : span.end_char]


def token_starts(doc: Doc) -> list[int]:
    """Start character of every token (computed once per Doc; a list, because the
    callers look up one position at a time, where numpy's per-call cost dominates)."""
    starts = doc.user_data.get(_CACHE)
    if starts is None or len(starts) != len(doc):
        _read_token_arrays(doc)
        starts = doc.user_data[_CACHE]
    return starts


def token_lowers(doc: Doc) -> np.ndarray:
    """The LOWER string id of every token, read with the token starts (one ``to_array``
    call for both costs ~5 us less an abstract than two)."""
    lowers = doc.user_data.get(_LOWERS)
    if lowers is None or len(lowers) != len(doc):
        _read_token_arrays(doc)
        lowers = doc.user_data[_LOWERS]
    return lowers


def _read_token_arrays(doc: Doc) -> None:
    columns = doc.to_array([LOWER, IDX]).T
    doc.user_data[_CACHE] = columns[1].tolist()
    doc.user_data[_LOWERS] = columns[0]


def token_at(doc: Doc, char: int) -> int:
    """Index of the token that contains (or, in whitespace, precedes) ``char``.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("We use BERT.")
    >>> token_at(doc, 8), token_at(doc, 0)
    (2, 0)
    """
    return max(0, bisect_right(token_starts(doc), char) - 1)


def span_at(doc: Doc, start: int, end: int, label: str = "") -> Span | None:
    """The tokens that ``[start, end)`` touches, or None when it holds no token."""
    if end <= start:
        return None
    starts = token_starts(doc)
    first, last = max(0, bisect_right(starts, start) - 1), max(0, bisect_right(starts, end - 1) - 1)  # `token_at`
    if starts[first] + len(doc[first]) <= start:  # a token's length is its text's
        first += 1
    if first > last:
        return None
    return Span(doc, first, last + 1, label=label)


def aligned_span(doc: Doc, start: int, end: int, label: int | str = 0) -> Span | None:
    """``doc.char_span(start, end, label=label)`` (strict alignment: None unless ``start``
    opens a token and ``end`` closes one), read from the token starts: char_span makes six
    Token objects to check what the starts tell (1.1 against 0.8 us).

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("We use LLaMA-2 here.")
    >>> aligned_span(doc, 7, 14, "Model"), aligned_span(doc, 7, 12), aligned_span(doc, 8, 14)
    (LLaMA-2, None, None)
    """
    starts = token_starts(doc)
    first = bisect_right(starts, start) - 1  # the token that holds ``start`` (with its trailing space)
    if first < 0 or starts[first] != start:
        return None
    last = bisect_right(starts, end - 1) - 1
    if last < 0 or starts[last] + len(doc[last]) != end:  # a token's length is its text's
        return None
    return Span(doc, first, last + 1, label=label)


def spans_of(doc: Doc, name: str) -> list[Span]:
    """The Spans of ``doc.spans[name]`` (empty without that group), made once per group.

    spaCy makes a new Span object, reading three tokens, each time a span group is
    iterated; several components read the same groups. The list is kept beside the
    group it was read from and read again only when the group is replaced or grows.
    Callers must not change it. The Spans refer to their Doc, so the lists make a
    reference cycle: `release_spans` ends it once the Doc's records are made (or
    Python's cycle collector frees the Doc later).

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("We use BERT.")
    >>> doc.spans["names"] = [Span(doc, 2, 3, "Model")]
    >>> [(s.text, s.label_) for s in spans_of(doc, "names")], spans_of(doc, "other")
    ([('BERT', 'Model')], [])
    >>> spans_of(doc, "names") is spans_of(doc, "names")
    True
    """
    group = doc.spans.get(name)
    if group is None:
        return []
    lists = span_store(doc)
    kept = lists.get(name)
    if kept is not None and kept[0] is group and len(kept[1]) == len(group):
        return kept[1]
    spans = list(group)
    lists[name] = (group, spans)
    return spans


def set_spans(doc: Doc, name: str, spans: list[Span]) -> SpanGroup:
    """``doc.spans[name] = spans``, and `spans_of` gives these Span objects back
    (nothing to make again when a later component reads the group); returns the group."""
    doc.spans[name] = spans
    group = doc.spans[name]
    span_store(doc)[name] = (group, list(spans))
    return group


def span_store(doc: Doc) -> dict:
    """The Doc's store of Span lists (by group name) and of what is computed from them
    (under other keys), dropped by `release_spans`."""
    store = doc.user_data.get(_GROUPS)
    if store is None:
        store = doc.user_data[_GROUPS] = {}
    return store


def release_spans(doc: Doc) -> None:
    """Drop the `span_store` (the Span lists of `spans_of` and `set_spans`): a Doc without
    it is freed as soon as nobody holds it (with it, it waits for the cycle collector, and
    the Docs of a long run pile up between collections). Call it before serialising the
    Doc's ``user_data``: Spans are no plain values."""
    doc.user_data.pop(_GROUPS, None)
