"""Abbreviation definitions: "Long Form (LF)" and "LF (Long Form)" (Schwartz & Hearst).

The long form is found by matching the short form's characters right to left inside a
bounded window of words before the bracket (Schwartz & Hearst, PSB 2003), so each
bracket costs at most a constant amount of work and long texts stay linear. A noise
filter drops the pairs the algorithm is known to get wrong: citations and years,
sizes and numbers ("7B", "95%"), Latin abbreviations ("e.g."), one-letter short forms
and long forms that are not much longer than the short form.

Results go to two parallel span groups, ``doc.spans["kg_long_forms"]`` and
``doc.spans["kg_short_forms"]``: pair *i* is ``(long_forms[i], short_forms[i])``.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

__all__ = ["best_long_form", "find_abbreviations", "detect_abbreviations", "LONG_FORMS", "SHORT_FORMS"]

LONG_FORMS = "kg_long_forms"
SHORT_FORMS = "kg_short_forms"

_MAX_INSIDE_TOKENS = 12  # a bracket spanning more tokens is prose, not a definition
_NUMBERISH = re.compile(r"^[\d.,%x×±~<>=+\-\s]*[\dKkMmBbTt%]?$|^\d+(\.\d+)?\s*[KMBT]$|^(19|20)\d\d[a-z]?$")
_LATIN = {"e.g.", "i.e.", "e.g", "i.e", "cf.", "cf", "etc.", "etc", "viz.", "et al.", "resp.", "s", "es"}
_LEADING_NOISE = re.compile(r"^(?:(?:the|a|an|our|we|by|of|for|with|using|and|or|in|on|to|called|named|termed|dubbed)\s+)+", re.IGNORECASE)


def _is_short_form(text: str) -> bool:
    """Schwartz–Hearst short-form conditions plus the noise filter."""
    if not 2 <= len(text) <= 12 or len(text.split()) > 2:
        return False
    if not text[0].isalnum() or not any(c.isalpha() for c in text):
        return False
    if text.lower() in _LATIN or _NUMBERISH.match(text):
        return False
    # a short form is written with at least one capital ("LoRA", "FMs", "MoI")
    return any(c.isupper() for c in text)


def best_long_form(short: str, candidate: str) -> int | None:
    """Start offset in ``candidate`` of the shortest long form ending it that ``short`` abbreviates.

    Characters of ``short`` are matched right to left; its first character must begin
    a word. Returns None when there is no match.

    Examples
    --------
    >>> text = "we use Direct Nash Optimization"
    >>> text[best_long_form("DNO", text):]
    'Direct Nash Optimization'
    >>> best_long_form("XYZ", "a plain phrase") is None
    True
    """
    s_index = len(short) - 1
    l_index = len(candidate) - 1
    while s_index >= 0:
        char = short[s_index].lower()
        if not char.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (
            candidate[l_index].lower() != char
            or (s_index == 0 and l_index > 0 and candidate[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    # widen to the start of the word the first character sits in
    start = l_index + 1
    while start > 0 and candidate[start - 1] not in " \t\n(\"'":
        start -= 1
    return start


def _trimmed(doc: Doc, start_char: int, end_char: int) -> Span | None:
    text = doc.text[start_char:end_char]
    lead = _LEADING_NOISE.match(text)
    if lead:
        start_char += lead.end()
    while end_char > start_char and doc.text[end_char - 1] in " ,;:":
        end_char -= 1
    return doc.char_span(start_char, end_char, alignment_mode="expand")


def _plausible(long_span: Span, short: str) -> bool:
    long_text = long_span.text
    words = long_text.split()
    if len(long_text) <= len(short) or long_text.lower() == short.lower():
        return False
    if len(words) > min(len(short) + 5, 2 * len(short)) + 1:
        return False
    # all words of a long form sit in one sentence, without clause punctuation
    return not any(t.is_sent_start for t in long_span[1:]) and not any(t.text in {";", ":", "(", ")"} for t in long_span)


def find_abbreviations(doc: Doc) -> list[tuple[Span, Span]]:
    """All (long form, short form) pairs defined in ``doc`` by a bracket.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("We train with Direct Nash Optimization (DNO). LoRA (Low-Rank Adaptation) helps.")
    >>> [(lf.text, sf.text) for lf, sf in find_abbreviations(doc)]
    [('Direct Nash Optimization', 'DNO'), ('Low-Rank Adaptation', 'LoRA')]
    """
    pairs: list[tuple[Span, Span]] = []
    tokens = len(doc)
    for open_i in range(tokens):
        if doc[open_i].text != "(" or open_i == 0:
            continue
        close_i = next(
            (j for j in range(open_i + 1, min(tokens, open_i + _MAX_INSIDE_TOKENS + 2)) if doc[j].text in {")", "("}),
            None,
        )
        if close_i is None or doc[close_i].text != ")" or close_i == open_i + 1:
            continue
        inside = doc[open_i + 1 : close_i]
        pair = _definition_before(doc, open_i, inside) or _definition_inside(doc, open_i, inside)
        if pair is not None:
            pairs.append(pair)
    return pairs


def _definition_before(doc: Doc, open_i: int, inside: Span) -> tuple[Span, Span] | None:
    """Long Form (SF): the short form is the whole bracket (before any ';' or ',')."""
    short_tokens = inside
    for k, token in enumerate(inside):
        if token.text in {",", ";"}:
            short_tokens = inside[:k]
            break
    if len(short_tokens) == 0:
        return None
    short = short_tokens.text
    if not _is_short_form(short):
        return None
    window_words = min(len(short) + 5, 2 * len(short))
    first = open_i
    words = 0
    while first > 0 and words < window_words and not doc[first].is_sent_start:
        first -= 1
        if not doc[first].is_punct or doc[first].text == "-":
            words += 1
    window_start = doc[first].idx
    window_end = doc[open_i].idx
    candidate = doc.text[window_start:window_end].rstrip()
    offset = best_long_form(short, candidate)
    if offset is None:
        return None
    long_span = _trimmed(doc, window_start + offset, window_start + len(candidate))
    if long_span is None or not _plausible(long_span, short):
        return None
    return long_span, short_tokens


def _definition_inside(doc: Doc, open_i: int, inside: Span) -> tuple[Span, Span] | None:
    """SF (Long Form): the word before the bracket is the short form."""
    if len(inside) < 2:
        return None
    short_token = doc[open_i - 1]
    short = short_token.text
    if not _is_short_form(short) or not any(c.isupper() for c in short[1:] + short[:1]):
        return None
    candidate = inside.text
    offset = best_long_form(short, candidate)
    # the bracket must be the long form, not prose that happens to contain the letters
    if offset is None or len(candidate[:offset].split()) > 1:
        return None
    long_span = _trimmed(doc, inside.start_char + offset, inside.end_char)
    if long_span is None or not _plausible(long_span, short):
        return None
    return long_span, doc[open_i - 1 : open_i]


def detect_abbreviations(doc: Doc) -> Doc:
    """Store the pairs of `find_abbreviations` in the two span groups."""
    pairs = find_abbreviations(doc)
    doc.spans[LONG_FORMS] = [long_span for long_span, _ in pairs]
    doc.spans[SHORT_FORMS] = [short_span for _, short_span in pairs]
    return doc


@Language.factory("kg_abbreviations", default_config={})
def make_abbreviation_detector(nlp: Language, name: str):
    """Pipeline component: Schwartz–Hearst abbreviation definitions."""
    return detect_abbreviations
