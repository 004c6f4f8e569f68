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

# no `from __future__ import annotations`: spaCy resolves factory signatures at run time
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.batching import batched
from extractors.offsets import set_spans, span_at, span_text, text_of

__all__ = ["best_long_form", "initials_long_form", "find_abbreviations", "detect_abbreviations", "LONG_FORMS", "SHORT_FORMS"]

LONG_FORMS = "kg_long_forms"
SHORT_FORMS = "kg_short_forms"

_BRACKET = re.compile(r"\(([^()\n]{1,100})\)")  # longer brackets are prose, not definitions
_WINDOW_CHARS = 200  # enough for the longest long form Schwartz-Hearst allows
_LIST_BREAK = re.compile(r"[,;]")  # the short form ends at the bracket's first comma or semicolon
# a clause ends at ".", "!", "?", ";" or ":" and a space, or at a line break (r"[.!?;:]\s|\n"), written
# to open with one character class: the regex engine skips to those few characters
_CLAUSE_END = re.compile(r"[.!?;:\n](?:(?<=\n)|(?<=[.!?;:])\s)")
_WORD_BEFORE = re.compile(r"(?<![\w-])([\w][\w\-.+]*\w|\w)\s*$")
_NUMBERISH = re.compile(r"^[\d.,%x×±~<>=+\-\s]*[\dKkMmBbTt%]?$|^\d+(\.\d+)?\s*[KMBT]$|^(19|20)\d\d[a-z]?$")
_ALSO = re.compile(r"\s*(?:or|aka|a\.k\.a\.|also|abbreviated|abbreviated as|hereafter|henceforth)\s+", re.IGNORECASE)
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
    # a short form has two capitals ("LoRA", "FMs", "MoI") or a capital and a digit ("T5");
    # one capital alone is an ordinary word ("Deep")
    capitals = sum(c.isupper() for c in text)
    return capitals >= 2 or (capitals == 1 and any(c.isdigit() for c in text))


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


_PARTS = re.compile(r"[^\s\-/]+")
_FUNCTION_WORDS = frozenset("of via for the and in on with to a an by from as at".split())


def _initials_score(letters: list[str], parts: list[tuple[str, bool]]) -> int | None:
    """How well ``letters`` spell the word initials of ``parts`` (None: they cannot).

    ``parts`` are (word, starts a space-separated word). The first letter must be the
    first part's initial; each later letter is the initial of a later part or, failing
    that, a later character of the current part. Content words left out cost a point.
    """
    if not parts or parts[0][0][0].lower() != letters[0]:
        return None
    score, current, inner = 1, 0, 1
    for letter in letters[1:]:
        later = next((k for k in range(current + 1, len(parts)) if parts[k][0][0].lower() == letter), None)
        if later is not None:
            skipped = parts[current + 1 : later]
            score += 1 - sum(1 for word, whole in skipped if whole and word.lower() not in _FUNCTION_WORDS)
            current, inner = later, 1
            continue
        found = parts[current][0].lower().find(letter, inner)
        if found < 0:
            return None
        inner = found + 1
    return score - sum(1 for word, whole in parts[current + 1 :] if whole and word.lower() not in _FUNCTION_WORDS)


def initials_long_form(short: str, candidate: str) -> int | None:
    """Start offset of the long form in ``candidate`` whose word initials best spell ``short``.

    Prefers "Open-endedness via Models of human Notions of Interestingness" for OMNI
    where plain Schwartz–Hearst stops at "human Notions of Interestingness".

    Examples
    --------
    >>> text = "by Open-endedness via Models of human Notions of Interestingness"
    >>> text[initials_long_form("OMNI", text):]
    'Open-endedness via Models of human Notions of Interestingness'
    """
    letters = [c.lower() for c in short if c.isalnum()]
    if not letters:
        return None
    parts = [(m.group(), m.start() == 0 or candidate[m.start() - 1].isspace(), m.start()) for m in _PARTS.finditer(candidate)]
    best: tuple[int, int] | None = None
    for k, (word, whole, start) in enumerate(parts):
        if not whole or word[0].lower() != letters[0]:
            continue  # the first letter must be this word's initial (`_initials_score` says None)
        score = _initials_score(letters, [(w, h) for w, h, _ in parts[k:]])
        if score is not None and score >= len(letters) - 1 and (best is None or score > best[0]):
            best = (score, start)
    return best[1] if best else None


def _long_form_start(short: str, candidate: str) -> int | None:
    """Word initials first, then Schwartz–Hearst; digits the long form does not spell
    ("T2I" for text-to-image, "C3PO") are skipped when nothing matches with them."""
    for form in (short, "".join(c for c in short if not c.isdigit())):
        if not form:
            break
        offset = initials_long_form(form, candidate)
        if offset is None:
            offset = best_long_form(form, candidate)
        if offset is not None:
            return offset
    return None


def _trimmed(doc: Doc, start_char: int, end_char: int) -> Span | None:
    text = text_of(doc)[start_char:end_char]
    lead = _LEADING_NOISE.match(text)
    if lead:
        start_char += lead.end()
    while end_char > start_char and text_of(doc)[end_char - 1] in " ,;:":
        end_char -= 1
    return span_at(doc, start_char, end_char)


# words a long form may hold beyond those that give the short form its letters
_JOINING_WORDS = _FUNCTION_WORDS | frozenset({"using", "through", "then", "based"})
_LOWER_RUN = re.compile(r"[a-z]{3,}")


def _spelled_by_initials(short: str, long_text: str) -> bool:
    return initials_long_form(short, long_text) == 0 or initials_long_form(
        "".join(c for c in short if not c.isdigit()), long_text) == 0


def _tight(long_text: str, short: str) -> bool:
    """Whether a long form whose letters were found inside its words is short enough to be one.

    Matching characters anywhere finds the letters of a long short form in any long clause
    ("TinyLlama (training data on client devices and exclusively sharing ...)"). Such a long
    form has at most one content word more than the short form has letters, and a word-like
    short form (a run of three lower-case letters: "DeMamba", "GraphRAG") about one word per
    two letters ("Detail Mamba", "graph-enhanced retrieval augmented generation").

    Examples
    --------
    >>> _tight("ShampoO with Adam in the Preconditioner's eigenbasis", "SOAP"), _tight("Detail Mamba", "DeMamba")
    (True, True)
    >>> _tight("training data on client devices and exclusively sharing local models", "TinyLlama")
    False
    """
    letters = sum(c.isalnum() for c in short)
    content = sum(1 for word in long_text.split() if word.lower() not in _JOINING_WORDS)
    return content <= (letters / 2 + 1 if _LOWER_RUN.search(short) else letters + 1)


def _plausible(long_text: str, short: str) -> bool:
    words = long_text.split()
    if len(long_text) <= len(short) or long_text.lower() == short.lower():
        return False
    if len(words) > min(len(short) + 5, 2 * len(short)) + 1:
        return False
    if not _spelled_by_initials(short, long_text) and not _tight(long_text, short):
        return False
    # a long form sits in one clause
    return not any(c in long_text for c in ";:()[]") and "\n" not in long_text


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
    for bracket in _BRACKET.finditer(text_of(doc)):
        pair = _definition_before(doc, bracket) or _definition_inside(doc, bracket)
        if pair is not None:
            pairs.append(pair)
    return pairs


_NON_SPACE = re.compile(r"\S+")


def _last_words_start(text: str, count: int) -> int | None:
    """Where the last ``count`` whitespace-separated words of ``text`` start (None: it has none).

    Examples
    --------
    >>> _last_words_start("we train with Direct Nash Optimization ", 3), _last_words_start("  ", 3)
    (14, None)
    """
    # one scan of the words; the regex "(?:\S+\s+){0,n}\S+\s*$" retried it from every character
    starts = [word.start() for word in _NON_SPACE.finditer(text)]
    return starts[max(0, len(starts) - count)] if starts else None


def _definition_before(doc: Doc, bracket: re.Match) -> tuple[Span, Span] | None:
    """Long Form (SF): the short form is the bracket's text up to any ',' or ';'."""
    # "(or PBT)", "(aka PBT)": the connective is not part of the short form
    connective = _ALSO.match(bracket.group(1))
    inside_start = bracket.start(1) + (connective.end() if connective else 0)
    short = _LIST_BREAK.split(bracket.group(1)[connective.end() if connective else 0 :], maxsplit=1)[0].strip()
    if not _is_short_form(short):
        return None
    open_char = bracket.start()
    before = text_of(doc)[max(0, open_char - _WINDOW_CHARS) : open_char]
    before = _CLAUSE_END.split(before)[-1]  # the long form does not cross a sentence end
    last_words = _last_words_start(before, min(len(short) + 5, 2 * len(short)))
    if last_words is None:
        return None
    candidate = before[last_words:].rstrip()
    window_start = open_char - len(before) + last_words
    offset = _long_form_start(short, candidate)
    if offset is None:
        return None
    long_span = _trimmed(doc, window_start + offset, window_start + len(candidate))
    inside = text_of(doc)[inside_start : bracket.end(1)]
    lead = len(inside) - len(inside.lstrip())
    short_span = span_at(doc, inside_start + lead, inside_start + lead + len(short))
    if long_span is None or short_span is None or not _plausible(span_text(long_span), short):
        return None
    return long_span, short_span


def _definition_inside(doc: Doc, bracket: re.Match) -> tuple[Span, Span] | None:
    """SF (Long Form): the word before the bracket is the short form."""
    candidate = bracket.group(1).strip()
    if len(candidate.split()) < 2:
        return None
    word = _WORD_BEFORE.search(text_of(doc), max(0, bracket.start() - 40), bracket.start())
    if word is None:
        return None
    short = word.group(1)
    if not _is_short_form(short):
        return None
    offset = _long_form_start(short, candidate)
    # the bracket must be the long form, not prose that happens to contain the letters
    if offset is None or len(candidate[:offset].split()) > 1:
        return None
    inside_start = bracket.start(1) + len(bracket.group(1)) - len(bracket.group(1).lstrip())
    long_span = _trimmed(doc, inside_start + offset, inside_start + len(candidate))
    short_span = span_at(doc, word.start(1), word.end(1))
    if long_span is None or short_span is None or not _plausible(span_text(long_span), short):
        return None
    return long_span, short_span


def detect_abbreviations(doc: Doc) -> Doc:
    """Store the pairs of `find_abbreviations` in the two span groups."""
    pairs = find_abbreviations(doc)
    set_spans(doc, LONG_FORMS, [long_span for long_span, _ in pairs])
    set_spans(doc, SHORT_FORMS, [short_span for _, short_span in pairs])
    return doc


@Language.factory("kg_abbreviations", default_config={})
def make_abbreviation_detector(nlp: Language, name: str):
    """Pipeline component: Schwartz–Hearst abbreviation definitions."""
    return batched(detect_abbreviations)
