"""Character offsets <-> token indices, for rules that search the text with regexes.

The rule components find things with regular expressions over ``doc.text`` (fast,
linear) and only then turn the character offsets into tokens and spans.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import IDX
from spacy.tokens import Doc, Span

__all__ = ["text_of", "span_text", "token_starts", "token_at", "span_at"]

_CACHE = "kg_token_starts"
_TEXT = "kg_text"


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
        starts = doc.user_data[_CACHE] = doc.to_array(IDX).tolist()
    return starts


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
    first, last = token_at(doc, start), token_at(doc, end - 1)
    if doc[first].idx + len(doc[first].text) <= start:
        first += 1
    if first > last:
        return None
    return Span(doc, first, last + 1, label=label)
