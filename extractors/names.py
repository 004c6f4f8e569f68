"""Candidate names that no list knows: by their shape and by the words around them.

* Shape: CamelCase and inner capitals (``LoRA``, ``OpenChat``), capitals with digits
  and versions (``LLaMA-2-7B``, ``GPT-4o``, ``Qwen2.5-Math``), extended by a trailing
  version or size (``Orca 2``, ``Llama 3 8B``).
* Head-word cues: ``X-Bench`` / ``X-QA`` / ``X-Eval`` suffixes, "the X benchmark",
  "the X dataset", "the X framework", and appositions "X, a framework ...".
* Naming verbs: "called X", "named X", "dubbed X", "termed X".
* Head phrases (`extractors.head_phrases`): lower-case phrases ending in a task or
  method head noun ("code generation", "preference tuning") and capitalised method
  names ("Ghost Batch Normalization").

Each found span goes to ``doc.spans["kg_names"]``; its label is the type the cue
gives, or ``"?"`` when only the shape speaks (typing decides later). All rules are
regular expressions or bounded token windows, so the cost is linear in the text.
"""

# no `from __future__ import annotations`: spaCy resolves factory signatures at run time
import re
from functools import lru_cache
from importlib.resources import files

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractors.batching import batched
from extractors.head_phrases import head_phrases, title_case_methods
from extractors.offsets import aligned_span, set_spans, span_at, text_of, token_starts
from extractors.rule_words import CUE_IDS, CUE_TYPES, METHOD_HEAD_IDS, STOP_CAPITALISED, TASK_HEAD_IDS, WORD_CHARS, tokens_in

__all__ = ["ADJECTIVE_SUFFIX", "NAME_SPANS", "UNTYPED", "CUE_TYPES", "looks_like_name", "not_entities", "find_names", "extend_version"]

NAME_SPANS = "kg_names"
UNTYPED = "?"


_WORD = re.compile(r"(?<![\w\-./@:])[A-Za-z0-9][A-Za-z0-9+]*(?:[-./][A-Za-z0-9]+\+*)*(?![\w\-@])")
_PLAIN_WORD = re.compile(r"^(?:[A-Z]?[a-z]+|\d+[a-z]*)$")
ADJECTIVE_SUFFIX = re.compile(
    r"-(?:based|aware|augmented|assisted|driven|powered|guided|generated|like|style|specific|level|free|only|"
    r"centric|enhanced|tuned|trained|scale|sized|related|oriented|inspired|agnostic|friendly|compatible|native|ready|"
    r"grounded|specialized|specialised|input|conditioned|constrained|informed|intensive|dependent|efficient|wise)$"
)
_SHAPE_HINT = re.compile(r"[A-Za-z0-9][A-Z]|[A-Za-z]-?\d|\d[A-Za-z]")
_SIZE_OR_NUMBER = re.compile(r"^(?:v?\d+(?:[.,]\d+)*[KMBTkmbx%]?|\d+[a-z]{1,2}|[IVX]+|\d+(?:\.\d+)?[KMBT]?-\w+)$")
_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z].*[A-Z]|[A-Z].*\d|\d.*[A-Z]")
_VERSION_TAIL = re.compile(
    r"(?:[ -]v?\d+(?:\.\d+)*[a-z]?\b|[ -]\d+(?:\.\d+)?[BMK]\b|[ -](?:mini|Mini|Pro|Flash|Turbo|Instruct|Chat|Base|Large|XL|Ultra|Nano|Plus)\b){1,3}"
    r"(?=$|[,.;:)\]]| (?:and|or|with|model|models|on|in|to|as|is|are|achieves|outperforms)\b)"
)
_SUFFIX_BENCHMARK = re.compile(r"(?:-?Bench|(?<=\w)-?QA|-Eval|Eval|-Arena|Arena)(?:[-\s]?\d+(?:\.\d+)*)?$")


@lru_cache(maxsize=1)
def not_entities() -> frozenset[str]:
    """Name-shaped words that are never entities (organisations, languages, units...)."""
    text = (files("extractors") / "resources" / "not_entities.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# word-level tests are pure and a field's words repeat from paper to paper: each distinct
# word is classified once (bounded caches, so memory stays flat on any corpus)
@lru_cache(maxsize=65_536)
def looks_like_name(word: str) -> bool:
    """Whether a single word has the shape of a proper name of the field.

    Examples
    --------
    >>> [looks_like_name(w) for w in ["LoRA", "GPT-4o", "Qwen2.5-Math", "7B", "model", "Averaging", "OpenAI"]]
    [True, True, True, False, False, False, False]
    """
    if len(word) < 2 or word[1:].islower():  # the common case, decided cheaply
        return False
    if word in not_entities() or _SIZE_OR_NUMBER.match(word):
        return False
    if "http" in word or "www." in word or ".com" in word or ".org" in word:
        return False
    if "-" in word and all(_PLAIN_WORD.match(part) for part in word.split("-")):
        return False  # "Retrieval-Augmented", "Low-Resource": ordinary words joined
    return bool(_CAMEL.search(word))


@lru_cache(maxsize=65_536)
def _name_like_token(text: str) -> bool:
    return text not in STOP_CAPITALISED and (text[:1].isupper() or looks_like_name(text)) and text not in not_entities()


def extend_version(doc: Doc, span: Span) -> Span:
    """``span`` widened over a following version, size or variant ("Orca" + " 2",
    "Llama 3" + " 8B Instruct", "GPT-4o" + " mini")."""
    match = _VERSION_TAIL.match(text_of(doc), span.end_char)
    if match is None or match.end() == span.end_char:
        return span
    wider = doc.char_span(span.start_char, match.end(), label=span.label, alignment_mode="contract")
    return wider if wider is not None else span


@lru_cache(maxsize=65_536)
def _shape_name(word: str) -> tuple[int, str] | None:
    """(length, label) of the name that ``word`` is by its shape, or None."""
    suffix = ADJECTIVE_SUFFIX.search(word)
    if suffix is not None:  # "LLM-based" names LLM
        word = word[: suffix.start()]
    if not looks_like_name(word):
        return None
    return len(word), "Benchmark" if _SUFFIX_BENCHMARK.search(word) else UNTYPED


# one byte per character of a text (its Latin-1 byte, "?" for any other): "A" a capital, "D" a
# digit, "a" a small letter, "w" another character of a name-shaped word (`WORD_CHARS`), " " the rest
_CLASSES = bytes(
    ord("A") if "A" <= chr(b) <= "Z" else ord("D") if "0" <= chr(b) <= "9" else ord("a") if "a" <= chr(b) <= "z"
    else ord("w") if chr(b) in WORD_CHARS else ord(" ")
    for b in range(256)
)
# a run of capitals and digits, but not one capital that opens small letters in a word of its own
# ("The", "Large": most capitals of an abstract), in which no hint can fall
_PIVOT = re.compile(rb"D[AD]*|A(?:[AD]+|(?<=[aw]A)|(?=a*[ADw]))")


def hinted_words(text: str) -> list[re.Match]:
    """The `_WORD` matches of ``text`` that a `_SHAPE_HINT` falls in (an inner capital or a
    digit next to a letter), each once, in order.

    What ``_SHAPE_HINT.finditer`` over the whole text found, read from the runs of word
    characters around its capitals and digits: the regex tried three branches at every
    character (half the cost of the name rules), and walking left from every hint was
    quadratic in a long run. The runs are found on the text's character classes, one byte
    per character (`_CLASSES`), where the regex engine skips to the next capital or digit
    at C speed and passes over the capitals that open ordinary words ("The"); a regex for
    capitals and digits on the text itself tried a character set at every character.

    Examples
    --------
    >>> [m.group() for m in hinted_words("We tune LLaMA-2 and GPT-4o, not Adam or (x2y).")]
    ['LLaMA-2', 'GPT-4o', 'x2y']
    """
    classes = text.encode("latin-1", "replace").translate(_CLASSES)  # one byte per character
    found = []
    floor = 0  # end of the previous run: a word that reaches it was seen
    for pivot in _PIVOT.finditer(classes):
        start = pivot.start()
        left = max(classes.rfind(b" ", floor, start) + 1, floor)  # the word's start, not before the floor
        reached_previous = left == floor and floor > 0  # text[floor - 1] is a capital or digit
        floor = pivot.end()
        if reached_previous:
            continue
        match = _WORD.match(text, left)
        # a hint past the word's end lies outside it (the word ends before a non-word character)
        if match is not None and _SHAPE_HINT.search(text, left, match.end()) is not None:
            found.append(match)
    return found


def _shape_names(doc: Doc) -> list[Span]:
    found = []
    for match in hinted_words(text_of(doc)):
        shape = _shape_name(match.group())
        if shape is None:
            continue
        length, label = shape
        # strict alignment: a word glued to other text ("Learning(RAML") is not a name
        span = aligned_span(doc, match.start(), match.start() + length, label)
        if span is not None:
            found.append(extend_version(doc, span))
    return found


_CUE_WORD = re.compile(r"\b(" + "|".join(sorted(CUE_TYPES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_NON_SPACE = re.compile(r"\S+")
# the lookahead lets the regex engine skip to the few candidate letters (a third faster)
_NAMING_VERB = re.compile(r"(?=[cndt])\b(?:called|named|dubbed|termed|coined)[ \t]+((?:[^\s,;:.()]+[ \t]*){1,4})", re.IGNORECASE)



def _cue_names(doc: Doc) -> list[Span]:
    """Name-like words right before a head word: "the MMLU benchmark", "CIF Benchmark"."""
    found = []
    text = text_of(doc)
    if len(doc) == 0:
        return found
    positions = token_starts(doc)
    for index in tokens_in(doc, CUE_IDS):
        if index == 0:
            continue
        idx = positions[index]
        if not text[idx - 1].isspace():
            continue  # inside a word: "CIF-Bench"
        previous = text[max(0, idx - 40) : idx].rsplit(None, 1)
        if not previous or not _name_like_token(previous[-1]):
            continue  # cheap test first: most head words follow an ordinary word
        cue = _CUE_WORD.match(text, idx)
        if cue is None:
            continue
        cue_type = CUE_TYPES[cue.group(1).lower()]
        window_start = max(0, cue.start() - 120)
        window = text[window_start : cue.start()]
        words = list(_NON_SPACE.finditer(window))[-6:]
        if not words or "\n" in window[words[0].start() :]:
            continue
        kept = 0
        for word in reversed(words):
            if word.group().endswith((".", ",", ";", ":", ")", "(")) or not _name_like_token(word.group()):
                break
            kept += 1
        if kept == 0:
            continue
        name_words = [w.group() for w in words[len(words) - kept :]]
        start = window_start + words[len(words) - kept].start()
        # a capitalised head word belongs to the name ("Chinese Instruction-Following Benchmark")
        head_inside = cue.group(1)[:1].isupper() and cue_type in ("Benchmark", "Dataset")
        if not (head_inside or any(looks_like_name(w) for w in name_words)):
            continue
        end = cue.end() if head_inside else cue.start()
        span = span_at(doc, start, end, label=cue_type)
        if span is not None:
            found.append(span)
    return found


_NAMING_WORDS = ("called", "named", "dubbed", "termed", "coined")
# besides the capitals, the case-blind "i" also matches these two, which str.lower() leaves apart from "i"
_OTHER_I = ("\u0130", "\u0131")


def may_name(text: str) -> bool:
    """Whether `_NAMING_VERB` can match in ``text``: one of its words is there in some case.
    Most abstracts name nothing, and two substring tests cost less than the regex's scan.

    Examples
    --------
    >>> may_name("a method Called X"), may_name("a method we propose")
    (True, False)
    """
    lower = text.lower()
    return any(word in lower for word in _NAMING_WORDS) or any(i in text for i in _OTHER_I)


def _named_names(doc: Doc) -> list[Span]:
    """The name after "called / named / dubbed / termed"."""
    found = []
    text = text_of(doc)
    if not may_name(text):
        return found
    for match in _NAMING_VERB.finditer(text):
        words = match.group(1).split()
        kept = 0
        for word in words:
            if not _name_like_token(word):
                break
            kept += 1
        if kept:
            start = match.start(1)
            end = start + len(" ".join(words[:kept]))
            span = span_at(doc, start, end, label=UNTYPED)
            if span is not None:
                found.append(span)
    return found


def find_names(doc: Doc) -> list[Span]:
    """All name candidates of ``doc``, longest first where they overlap."""
    tasks = head_phrases(doc, TASK_HEAD_IDS, "Task", 2)
    methods = head_phrases(doc, METHOD_HEAD_IDS, "Method", 2)
    return filter_spans(_cue_names(doc) + _named_names(doc) + _shape_names(doc) + tasks + methods + title_case_methods(doc))


def detect_names(doc: Doc) -> Doc:
    set_spans(doc, NAME_SPANS, find_names(doc))
    return doc


@Language.factory("kg_names", default_config={})
def make_name_finder(nlp: Language, name: str):
    """Pipeline component: candidate names by shape and cue words."""
    return batched(detect_names)
