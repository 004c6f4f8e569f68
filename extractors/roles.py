"""Roles: which entity mentions the paper introduces as its own contribution.

A mention is ``introduced`` when
* the title defines it ("OMNI: Open-endedness via ..."), or names it as its method
  ("... via Iterative Preference Learning"),
* it follows "our" ("our X", "our approach, X"), "a new ..., X", or a naming verb
  ("called X", "dubbed X", "we name the algorithm X", "we refer to ... as X"),
* it is the first entity after a contribution verb whose subject is the authors
  ("we propose / introduce / present / release ... X", "this paper presents X"),
  or an apposition of it ("we introduce a benchmark, X, ..."), or the next item of its
  list ("we propose A, B and C").
Well-known names from the lexicon are never introduced by these cues: a paper that
"proposes to use LoRA" does not introduce LoRA. Everything else is ``used``.

The component writes ``doc.spans["kg_introduced"]``: the introduced mentions of
``doc.spans["kg_entities"]``.
"""

# no `from __future__ import annotations`: spaCy resolves factory signatures at run time
import re
from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.abbreviations import LONG_FORMS, SHORT_FORMS
from extractors.batching import BatchedComponent
from extractors.candidates import ENTITY_SPANS
from extractors.keyword_gate import KeywordGate
from extractors.offsets import set_spans, span_text, spans_of, text_of
from extractors.sentences import sentence_starts
from extractors.titles import TITLE_CHARS, title_name, title_phrases

__all__ = ["INTRODUCED_SPANS", "introduced_mentions", "authors_verbs"]

INTRODUCED_SPANS = "kg_introduced"
_VERBS = (
    "propose|proposes|proposed|introduce|introduces|introduced|present|presents|presented|release|releases|"
    "released|develop|develops|developed|design|designs|designed|build|builds|construct|constructs|constructed|"
    "create|creates|created|curate|curates|curated|contribute|contributes|offer|offers|unveil|unveils|describe|"
    "describes|devise|devises|formulate|formulates|collect|collects|train|trains|proposing|introducing|presenting|"
    "releasing|developing|designing|building|constructing|creating|curating"
)
# the authors as subject, then within the clause (100 characters, no ".;:") a contribution verb
# what ``\b(?:[Ww]e|[Tt]his (?:paper|work|study|article|report)|[Ii]n this (?:paper|work))\b`` matches
_AUTHORS = (
    "We", "we", *(f"{this} {what}" for this in ("This", "this") for what in ("paper", "work", "study", "article", "report")),
    "In this paper", "in this paper", "In this work", "in this work",
)


def _by_first_letter(words: list[str]) -> str:
    """The alternation of ``words`` grouped by first letter: the regex engine tries a group only
    where its letter stands (between two word boundaries one word fits: the same matches).

    Examples
    --------
    >>> _by_first_letter(["propose", "present", "introduce"])
    'p(?:ropose|resent)|i(?:ntroduce)'
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{letter}(?:{'|'.join(rests)})" for letter, rests in groups.items())


_VERB = re.compile(r"\b(?:" + _by_first_letter(_VERBS.split("|")) + r")\b")
_CLAUSE_STOP = re.compile(r"[.;:]")
_VERB_REACH = 100
_LONGEST_VERB = max(len(verb) for verb in _VERBS.split("|"))


def whole_words(text: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of one of ``phrases`` in ``text`` that neither starts
    nor ends inside a word, in order: every place where ``\\b(?:phrase|...)\\b`` matches,
    when no two phrases can match at one place (one may hold another: "In this paper").
    ``str.find`` skips to each phrase; the regex engine, held back by the leading ``\\b``,
    tried the alternatives at every character (5x slower).

    Examples
    --------
    >>> whole_words("We owe it to our new renewal.", ("We", "we", "our", "new"))
    [(0, 2), (13, 16), (17, 20)]
    """
    found = []
    size = len(text)
    for phrase in phrases:
        at = text.find(phrase)
        while at != -1:
            end = at + len(phrase)
            before = text[at - 1] if at else " "
            after = text[end] if end < size else " "
            if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
                found.append((at, end))
            at = text.find(phrase, at + 1)
    found.sort()
    return found


_THIS_WHAT = ("paper", "work", "study", "article", "report")
_IN_THIS_WHAT = ("paper", "work")


def _author_subjects(text: str) -> list[tuple[int, int]]:
    """``whole_words(text, _AUTHORS)``, the phrases with "this" found from its occurrences:
    a search for each of the 14 phrases cost more than the rest of the rule.

    Examples
    --------
    >>> _author_subjects("In this paper, we study this work. This study_ x")
    [(0, 13), (3, 13), (15, 17), (24, 33)]
    """
    found = whole_words(text, ("We", "we"))
    size = len(text)
    for this in ("This", "this"):
        at = text.find(this)
        while at != -1:
            if (at == 0 or not _is_word_char(text[at - 1])) and at + 5 < size and text[at + 4] == " ":
                for what in _THIS_WHAT:
                    end = at + 5 + len(what)
                    if text.startswith(what, at + 5) and (end == size or not _is_word_char(text[end])):
                        found.append((at, end))
                        if this == "this" and what in _IN_THIS_WHAT and at >= 3 and text[at - 3 : at] in ("In ", "in ") and (at == 3 or not _is_word_char(text[at - 4])):
                            found.append((at - 3, end))
                        break
            at = text.find(this, at + 1)
    found.sort()
    return found


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def authors_verbs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each "<the authors> ... <contribution verb>" of ``text``, left to right.

    The same matches as one regex ``_AUTHORS[^.;:]{0,100}?_VERB``, found in two steps: that
    regex tries the verb list at every character after every "we" (85 us an abstract);
    here the verb is searched once, in the clause's first 100 characters.

    Examples
    --------
    >>> text = "We study X. In this paper, we propose Y; we then release Z."
    >>> [text[start:end] for start, end in authors_verbs(text)]
    ['In this paper, we propose', 'we then release']
    """
    found = []
    subjects = _author_subjects(text)
    starts = [start for start, _ in subjects]
    k = 0
    while k < len(subjects):
        subject_start, subject_end = subjects[k]
        reach = subject_end + _VERB_REACH
        stop = _CLAUSE_STOP.search(text, subject_end, reach)
        last_start = stop.start() if stop is not None else reach
        # the search may read one character past the longest verb, so that its final \b sees the text
        verb = _VERB.search(text, subject_end, last_start + _LONGEST_VERB + 1)
        if verb is not None and verb.start() <= last_start:
            found.append((subject_start, verb.end()))
            k = bisect_left(starts, verb.end(), k + 1)  # the next subject after the verb
        else:
            k += 1
    return found


_OWNER_BEFORE = re.compile(r"(?:\b[Oo]ur(?:\s+(?:proposed|new|novel|own))?|\b(?:called|named|dubbed|termed|coined|namely))\s+$")
# a naming verb coins the name even where a list knows it ("a 7B LLM called Janus")
_NAMING_BEFORE = re.compile(r"\b(?:called|named|dubbed|termed|coined)\s+$")
# a word every match of `_OWNER_BEFORE` and `_NAMED_BEFORE` holds (their letters' case aside): most of
# the 80 characters before a name hold none, and a few substring tests cost less than the two
# searches (test: tests/test_extract_keyword_gate.py)
_OWNED_OR_NAMED_GATE = KeywordGate(("our", "new", "novel", "call", "name", "term", "dub", "coin", "refer"))
# "X, a new approach for ...", "a multi-perspective course learning (MCL) method is proposed"
_CLAIM_AFTER = re.compile(
    r"\s*,\s*(?:a|an)\s+(?:new|novel)\b|(?:\s*\([^()]{1,20}\))?\s+(?:[\w-]+\s+){0,2}?(?:is|are)\s+(?:newly\s+)?(?:proposed|introduced|presented)\b"
)
# "our approach, X", "a new dataset, X", "we name the algorithm X", "we refer to ... as X",
# "our best models, X and Y": the text names its own contribution right before the mention
_NAMED_BEFORE = re.compile(
    r"(?:\b[Oo]ur\s+(?:[\w-]+\s+){0,3}?[\w-]+\s*,|\b[Aa]\s+(?:new|novel)\s+(?:[\w-]+\s+){0,2}?[\w-]+\s*,"
    r"|\b[Ww]e\s+(?:call|name|term|dub|coin)\b[^.;:,]{0,40}|\b[Ww]e\s+refer\s+to\b[^.;:]{0,60}\bas)\s+$"
)
_CLAIM_WORDS = ("Our", "our", "called", "named", "dubbed", "termed", "novel", "new")
_SMALL_WORDS = frozenset({"of", "for", "with", "and", "in", "on", "to", "the", "a", "an", "via", "from", "by"})
# between two names of one contribution: an apposition or the next item of a list
_APPOSITION_GAPS = frozenset({",", "(", "and", ", and", "or", ", or", ";"})
_WINDOW = 90  # characters after the verb in which the contribution is named


def introduced_mentions(doc: Doc, known: frozenset[str] = frozenset()) -> list[Span]:
    """Mentions of ``doc.spans["kg_entities"]`` that the paper introduces.

    ``known`` holds the lower-cased names that are never introduced by the cues in the
    abstract (the lexicon's); the title's own name is introduced whatever it is.
    """
    text = text_of(doc)
    title_end = doc.user_data.get(TITLE_CHARS, 0)
    everything = spans_of(doc, ENTITY_SPANS)
    texts = {m.start: text[m.start_char : m.end_char] for m in everything}
    introduced: dict[int, Span] = {}
    defined = title_name(doc)
    if defined is not None:
        name = span_text(defined)
        for mention in everything:
            # the title's name, and its variants ("MusicRL" -> "MusicRL-R")
            if texts[mention.start] == name or (texts[mention.start].startswith(name + "-") and mention.label_ != "Task"):
                introduced[mention.start] = mention
    by_start = {m.start: m for m in everything}
    for phrase in title_phrases(doc):
        # "... via Iterative Preference Learning": the title's own method, unless the
        # title names it ("FIRST: ... with Single Token Decoding" introduces FIRST)
        if defined is None and phrase.introduced and span_text(phrase.span).lower() not in known and phrase.span.start in by_start:
            introduced[phrase.span.start] = by_start[phrase.span.start]
    candidates = [m for m in everything if m.label_ not in ("Task", "Metric")]
    mentions = [m for m in candidates if texts[m.start].lower() not in known]
    in_title = {texts[m.start] for m in mentions if m.end_char <= title_end}
    defined_forms = {span_text(s) for s in spans_of(doc, LONG_FORMS)} | {span_text(s) for s in spans_of(doc, SHORT_FORMS)}
    sentences = sentence_starts(doc)
    for k, mention in enumerate(mentions):
        start = mention.start_char
        if (
            (_OWNED_OR_NAMED_GATE.may_match(text[max(0, start - 80) : start])
             and (_OWNER_BEFORE.search(text, max(0, start - 20), start) or _NAMED_BEFORE.search(text, max(0, start - 80), start)))
            or _CLAIM_AFTER.match(text, mention.end_char)
        ):
            introduced[mention.start] = mention
            _follow_list(mentions, k, text, sentences, defined_forms, introduced)
    for mention in candidates:
        start = mention.start_char
        # every naming verb ends in "ed": most names have none before them
        if "ed" in text[max(0, start - 10) : start] and _NAMING_BEFORE.search(text, max(0, start - 10), start):
            introduced[mention.start] = mention
    for mention in everything:
        # a name the abstract defines (an acronym) that the title also uses
        if texts[mention.start] in in_title and texts[mention.start] in defined_forms:
            introduced[mention.start] = mention
    starts = [m.start_char for m in mentions]
    candidate_starts = [m.start_char for m in candidates]
    verbs = authors_verbs(text)
    for _, verb_end in verbs:
        sentence_end = _sentence_end(sentences, verb_end, len(text))
        # a known name right after the verb is presented too ("Here we present Med-PaLM 2")
        j = bisect_right(candidate_starts, verb_end)
        if j < len(candidates) and candidate_starts[j] <= verb_end + 1:
            introduced[candidates[j].start] = candidates[j]
        k = bisect_right(starts, verb_end - 1)
        if k >= len(mentions) or starts[k] >= min(sentence_end, verb_end + _WINDOW):
            continue
        introduced[mentions[k].start] = mentions[k]
        _follow_list(mentions, k, text, sentences, defined_forms, introduced)
    # a Title Case long form that no list knows, defined where the authors present their
    # work, is their own coinage: "we propose Contextualized Critiques with ... (C3PO)"
    coined = set()
    pairs = list(zip(spans_of(doc, LONG_FORMS), spans_of(doc, SHORT_FORMS)))
    claim_sentences = set()
    if pairs:  # only long forms need them
        claim_sentences = {bisect_right(sentences, start) for start, _ in verbs}
        claim_sentences |= {bisect_right(sentences, start) for start, _ in whole_words(text, _CLAIM_WORDS)}
    for long_span, short_span in pairs:
        if bisect_right(sentences, long_span.start_char) not in claim_sentences:
            continue  # defined in passing, not where the authors present their work
        long_text = span_text(long_span)
        words = [w for w in long_text.split() if w.lower() not in _SMALL_WORDS]
        if len(words) >= 2 and all(w[:1].isupper() for w in words) and long_text.lower() not in known and span_text(short_span).lower() not in known:
            coined |= {long_text, span_text(short_span)}
    for mention in mentions:
        if texts[mention.start] in coined:
            introduced[mention.start] = mention
    return [introduced[start] for start in sorted(introduced)]


def _sentence_end(sentences: list[int], position: int, text_end: int) -> int:
    """Where the sentence holding ``position`` ends (the next sentence's start)."""
    k = bisect_right(sentences, position)
    return sentences[k] if k < len(sentences) else text_end


def _follow_list(mentions: list[Span], k: int, text: str, sentences: list[int], defined_forms: set[str], introduced: dict[int, Span]) -> None:
    """Mark the names after ``mentions[k]`` in its sentence that it defines (acronyms), sets
    in apposition or lists with it ("A, B and C")."""
    first = mentions[k]
    sentence_end = _sentence_end(sentences, first.start_char, len(text))
    for j in range(k + 1, len(mentions)):  # indices, not a slice: linear in the sentence's names
        later = mentions[j]
        if later.start_char >= sentence_end:
            break
        gap = text[first.end_char : later.start_char].strip()
        if gap in _APPOSITION_GAPS or span_text(later) in defined_forms:
            introduced[later.start] = later
            first = later  # the next item of the list follows this one


class RoleTagger(BatchedComponent):
    def __init__(self, known: frozenset[str]):
        self.known = known

    def __call__(self, doc: Doc) -> Doc:
        set_spans(doc, INTRODUCED_SPANS, introduced_mentions(doc, self.known))
        return doc


@Language.factory("kg_roles", default_config={"lexicon_path": None})
def make_role_tagger(nlp: Language, name: str, lexicon_path: str | None):
    """Pipeline component: marks introduced mentions (lexicon names are never introduced)."""
    from extractors.lexicon import load_lexicon

    lexicon = load_lexicon(lexicon_path)
    known = frozenset(form.lower() for form in (*lexicon.exact, *lexicon.folded))
    return RoleTagger(known)
