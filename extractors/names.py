"""Candidate names that no list knows: by their shape and by the words around them.

* Shape: CamelCase and inner capitals (``LoRA``, ``OpenChat``), capitals with digits
  and versions (``LLaMA-2-7B``, ``GPT-4o``, ``Qwen2.5-Math``), extended by a trailing
  version or size (``Orca 2``, ``Llama 3 8B``).
* Head-word cues: ``X-Bench`` / ``X-QA`` / ``X-Eval`` suffixes, "the X benchmark",
  "the X dataset", "the X framework", and appositions "X, a framework ...".
* Naming verbs: "called X", "named X", "dubbed X", "termed X".
* Task phrases: lower-case phrases ending in a task head noun ("code generation",
  "molecule property prediction"), verbs and qualifiers cut off their front.

Each found span goes to ``doc.spans["kg_names"]``; its label is the type the cue
gives, or ``"?"`` when only the shape speaks (typing decides later). All rules are
regular expressions or bounded token windows, so the cost is linear in the text.
"""

# no `from __future__ import annotations`: spaCy resolves factory signatures at run time
import re
from functools import lru_cache
from importlib.resources import files

import numpy as np
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractors.batching import batched
from extractors.offsets import set_spans, span_at, text_of, token_starts

__all__ = ["ADJECTIVE_SUFFIX", "NAME_SPANS", "UNTYPED", "CUE_TYPES", "looks_like_name", "not_entities", "find_names", "extend_version"]

NAME_SPANS = "kg_names"
UNTYPED = "?"

# head word -> the type it gives the name in front of it
CUE_TYPES = {
    "benchmark": "Benchmark", "benchmarks": "Benchmark", "bench": "Benchmark", "suite": "Benchmark",
    "leaderboard": "Benchmark", "testbed": "Benchmark", "arena": "Benchmark",
    "dataset": "Dataset", "datasets": "Dataset", "corpus": "Dataset", "corpora": "Dataset", "data": "Dataset",
    "framework": "Method", "method": "Method", "algorithm": "Method", "approach": "Method",
    "technique": "Method", "architecture": "Method", "pipeline": "Method", "strategy": "Method",
    "paradigm": "Method", "system": "Method", "agent": "Method", "protocol": "Method", "loss": "Method",
    "model": "Model", "models": "Model", "llm": "Model", "checkpoint": "Model", "family": "Model",
    "metric": "Metric", "score": "Metric", "measure": "Metric",
    "task": "Task",
}

_WORD = re.compile(r"(?<![\w\-./@:])[A-Za-z0-9][A-Za-z0-9+]*(?:[-./][A-Za-z0-9]+\+*)*(?![\w\-@])")
_PLAIN_WORD = re.compile(r"^(?:[A-Z]?[a-z]+|\d+[a-z]*)$")
ADJECTIVE_SUFFIX = re.compile(
    r"-(?:based|aware|augmented|assisted|driven|powered|guided|generated|like|style|specific|level|free|only|"
    r"centric|enhanced|tuned|trained|scale|sized|related|oriented|inspired|agnostic|friendly|compatible|native|ready|"
    r"grounded|specialized|specialised|input|conditioned|constrained|informed|intensive|dependent|efficient|wise)$"
)
_SHAPE_HINT = re.compile(r"[A-Za-z0-9][A-Z]|[A-Za-z]-?\d|\d[A-Za-z]")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-./")
_SIZE_OR_NUMBER = re.compile(r"^(?:v?\d+(?:[.,]\d+)*[KMBTkmbx%]?|\d+[a-z]{1,2}|[IVX]+|\d+(?:\.\d+)?[KMBT]?-\w+)$")
_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z].*[A-Z]|[A-Z].*\d|\d.*[A-Z]")
_VERSION_TAIL = re.compile(
    r"(?:[ -]v?\d+(?:\.\d+)*[a-z]?\b|[ -]\d+(?:\.\d+)?[BMK]\b|[ -](?:mini|Mini|Pro|Flash|Turbo|Instruct|Chat|Base|Large|XL|Ultra|Nano|Plus)\b){1,3}"
    r"(?=$|[,.;:)\]]| (?:and|or|with|model|models|on|in|to|as|is|are|achieves|outperforms)\b)"
)
_SUFFIX_BENCHMARK = re.compile(r"(?:-?Bench|(?<=\w)-?QA|-Eval|Eval|-Arena|Arena)(?:[-\s]?\d+(?:\.\d+)*)?$")
_STOP_CAPITALISED = {
    "The", "A", "An", "Our", "We", "This", "These", "That", "Those", "In", "On", "For", "To", "With",
    "By", "Its", "Their", "It", "As", "At", "From", "Each", "All", "Both", "Such", "New", "Novel",
}


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
    return text not in _STOP_CAPITALISED and (text[:1].isupper() or looks_like_name(text)) and text not in not_entities()


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


_CAPITALS_OR_DIGITS = re.compile(r"[A-Z0-9]+")  # every shape hint holds one: found by a fast charset scan


def hinted_words(text: str) -> list[re.Match]:
    """The `_WORD` matches of ``text`` that a `_SHAPE_HINT` falls in (an inner capital or a
    digit next to a letter), each once, in order.

    What ``_SHAPE_HINT.finditer`` over the whole text found, read from the runs of word
    characters around its capitals and digits: the regex tried three branches at every
    character (half the cost of the name rules), and walking left from every hint was
    quadratic in a long run.

    Examples
    --------
    >>> [m.group() for m in hinted_words("We tune LLaMA-2 and GPT-4o, not Adam or (x2y).")]
    ['LLaMA-2', 'GPT-4o', 'x2y']
    """
    found = []
    floor = 0  # end of the previous capital-or-digit group: a run that reaches it was seen
    for pivot in _CAPITALS_OR_DIGITS.finditer(text):
        left = pivot.start()
        while left > floor and text[left - 1] in _WORD_CHARS:
            left -= 1
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
        span = doc.char_span(match.start(), match.start() + length, label=label)
        if span is not None:
            found.append(extend_version(doc, span))
    return found


_CUE_WORD = re.compile(r"\b(" + "|".join(sorted(CUE_TYPES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_NON_SPACE = re.compile(r"\S+")
_CUE_HASHES = frozenset(get_string_id(word) for word in CUE_TYPES)  # as in the LOWER token attribute
# the lookahead lets the regex engine skip to the few candidate letters (a third faster)
_NAMING_VERB = re.compile(r"(?=[cndt])\b(?:called|named|dubbed|termed|coined)[ \t]+((?:[^\s,;:.()]+[ \t]*){1,4})", re.IGNORECASE)


_RULE_WORDS = "kg_rule_words"  # doc.user_data: (Doc length, [(index, LOWER id)] of its rule words)


def _tokens_in(doc: Doc, lowers: frozenset[int]) -> list[int]:
    """Indices of the tokens whose lower-case form (its string id) is one of ``lowers``, a
    subset of `_RULE_WORD_HASHES`: the tokens of every rule's head and cue words are found
    in one pass over the token array per Doc (a pass per rule cost four)."""
    cached = doc.user_data.get(_RULE_WORDS)
    if cached is None or cached[0] != len(doc):
        ids = doc.to_array(LOWER)
        # the few tokens whose id shares its low 16 bits with a rule word's, then the exact test
        # (a Python int per token, and a set lookup each, cost twice as much)
        maybe = np.flatnonzero(_RULE_WORD_LOW_BITS[(ids & _LOW_BITS).astype(np.intp)])
        rule_words = [(i, lower) for i, lower in zip(maybe.tolist(), ids[maybe].tolist()) if lower in _RULE_WORD_HASHES]
        cached = doc.user_data[_RULE_WORDS] = (len(doc), rule_words)
    return [index for index, lower in cached[1] if lower in lowers]


def _cue_names(doc: Doc) -> list[Span]:
    """Name-like words right before a head word: "the MMLU benchmark", "CIF Benchmark"."""
    found = []
    text = text_of(doc)
    if len(doc) == 0:
        return found
    positions = token_starts(doc)
    for index in _tokens_in(doc, _CUE_HASHES):
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


_TASK_HEADS = frozenset(
    """generation detection classification recognition segmentation prediction estimation retrieval translation
    summarization summarisation answering synthesis extraction forecasting captioning editing tracking
    localization verification completion parsing reconstruction qa reasoning processing""".split()
)
_UPPER_HEADS = frozenset({"QA"})  # "open-domain QA", "multi-hop QA"
_TASK_HEAD_HASHES = frozenset(get_string_id(word) for word in _TASK_HEADS)
_MODIFIER_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_MODIFIER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_NOT_BEFORE_MODIFIERS = frozenset("-./@")  # nor a word character


def modifier_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of the 1-3 lower-case words, each followed by one space, that end
    ``text[start:end]`` (the first word not glued to a word, ".", "/" or "@"), or None.

    The leftmost match of ``(?<![\\w\\-./@])((?:[a-z][a-z0-9]*(?:-[a-z0-9]+)*[ ]){1,3})$`` in
    that range, read right to left: the regex retried every start in the range (8 us a head).

    Examples
    --------
    >>> text = "we study molecule property prediction"
    >>> found = modifier_words(text, 0, text.index("prediction"))
    >>> text[found[0] : found[1]], modifier_words("x.y ", 0, 4)
    ('study molecule property ', None)
    """
    if start < end and text[end - 1] == "\n":
        end -= 1  # "$" also matches before a final line break
    found, last = None, end
    for _ in range(3):
        if end - 1 < start or text[end - 1] != " ":
            break
        word_start = end - 1
        while word_start > 0 and text[word_start - 1] in _MODIFIER_CHARS:
            word_start -= 1
        if word_start < start or _MODIFIER_WORD.fullmatch(text, word_start, end - 1) is None:
            break
        before = text[word_start - 1] if word_start > 0 else " "
        if not (before.isalnum() or before == "_" or before in _NOT_BEFORE_MODIFIERS):
            found = word_start
        if before != " ":
            break
        end = word_start
    return None if found is None else (found, last)
# words that open a clause or only qualify: never the first word of a task's name
_NOT_TASK_MODIFIERS = frozenset(
    """a an the our their its this these that those such each any some all both and or of for to in on with by
    from via as at into than is are be was were been being we it which who can could may might will would should
    better best improved efficient effective high-quality low-quality good accurate robust fast faster new novel
    existing previous prior current various different diverse several many multiple general specific overall
    downstream final further joint end-to-end automatic automated manual human-level strong weak simple complex
    standard traditional conventional accurate reliable scalable controllable consistent successful perform
    enable handle guide allow apply suggest produce generate demonstrate keep make improve enhance support like
    first second main other limited theoretical mechanistic comprehensive preliminary toward towards two three
    four five zero-shot few-shot high low higher lower highest lowest competitive superior comparable mean
    average significant substantial state-of-the-art sota great greater where when while whereas before after
    through without over under within across between during despite via use uses require requires undergone
    undergo but not no nor more most less least little much considerable additional appropriate massive powerful
    extensive naive stronger weaker generic recent popular common typical standard vanilla plain basic traditional
    classical modern widespread current future prior its their his her whose if then so also only even just
    very thus hence here there what which how why adopt implement predict combine exhibit fine-tune apply employ
    leverage achieve conduct study explore investigate propose introduce present show find about practical
    impressive correct incorrect intricate distinct wrong remarkable hard unnecessary incomplete intermediate proper
    zero core learn detect mitigate poor excellent strong sophisticated advanced improve emerging challenging""".split()
)


_CLAUSE_ENDINGS = ("s", "ly", "ing", "ed")


def _head_phrases(doc: Doc, heads: frozenset[int], label: str, max_words: int) -> list[Span]:
    """Lower-case phrases ending in a head noun of ``heads`` (hashes of lower-case forms):
    "code generation" (Task), "retrieval accuracy" (Metric). Clause openers and
    qualifiers are cut off the front; at most ``max_words`` words stay before the head."""
    found = []
    text = text_of(doc)
    positions = token_starts(doc)
    for index in _tokens_in(doc, heads):
        if index == 0:
            continue
        head_text = doc[index].text
        if not (head_text.islower() or head_text in _UPPER_HEADS) or (index + 1 < len(doc) and doc[index + 1].text == "-"):
            continue  # "Generation" opens a title phrase; "generation-based" is no task
        head_start = positions[index]
        modifiers = modifier_words(text, max(0, head_start - 60), head_start)
        if modifiers is None or (modifiers[0] > 0 and text[modifiers[0] - 1] in _WORD_CHARS):
            continue
        words = text[modifiers[0] : modifiers[1]].split()[-max_words:]
        start = head_start - len(" ".join(words)) - 1
        # verbs, adverbs and plurals open clauses ("significantly outperforms retrieval")
        cut = max((k + 1 for k, w in enumerate(words) if w in _NOT_TASK_MODIFIERS or w.endswith(_CLAUSE_ENDINGS)), default=0)
        for word in words[:cut]:
            start += len(word) + 1
        if cut == len(words):
            continue
        span = doc.char_span(start, head_start + len(head_text), label=label)
        if span is not None:
            found.append(span)
    return found


_METHOD_HEADS = frozenset(
    """learning tuning fine-tuning prompting distillation regularization augmentation""".split()
)
_METHOD_HEAD_HASHES = frozenset(get_string_id(word) for word in _METHOD_HEADS)


_TITLE_CASE_METHOD_HEADS = frozenset(
    get_string_id(word)
    for word in """learning optimization attention network networks tuning search sampling decoding distillation
    regularization normalization prompting transformer transformers descent""".split()
)


# every word a rule looks for (`_tokens_in`), and a table of their ids' low 16 bits
_RULE_WORD_HASHES = _CUE_HASHES | _TASK_HEAD_HASHES | _METHOD_HEAD_HASHES | _TITLE_CASE_METHOD_HEADS
_LOW_BITS = np.uint64(0xFFFF)
_RULE_WORD_LOW_BITS = np.zeros(1 << 16, dtype=bool)
_RULE_WORD_LOW_BITS[[word & 0xFFFF for word in _RULE_WORD_HASHES]] = True


def _title_case_methods(doc: Doc) -> list[Span]:
    """Capitalised phrases of the abstract ending in a method head: "Ghost Batch
    Normalization", "Low-Rank Adaptation Tuning" (the title has its own analysis)."""
    found = []
    title_end = doc.user_data.get("kg_title_chars", 0)
    text, positions = text_of(doc), token_starts(doc)
    for index in _tokens_in(doc, _TITLE_CASE_METHOD_HEADS):
        if positions[index] < title_end or not text[positions[index]].isupper():  # the token's first character
            continue
        start, words = index, 0
        while start > 0 and words < 4:
            token = doc[start - 1]
            if token.text == "-" and start > 1 and not doc[start - 2].whitespace_ and not token.whitespace_:
                start -= 1  # "Low-Rank": the hyphen joins two capitalised words
                continue
            if not token.text[:1].isupper() or token.text in _STOP_CAPITALISED or token.is_sent_start or any(c.isdigit() for c in token.text):
                break
            start, words = start - 1, words + 1
        # a phrase cut at a hyphen is part of a longer name ("In-Context Learning")
        if words and doc[start].text != "-" and doc[start].idx >= title_end:
            found.append(Span(doc, start, index + 1, label="Method"))
    return found


def find_names(doc: Doc) -> list[Span]:
    """All name candidates of ``doc``, longest first where they overlap."""
    tasks = _head_phrases(doc, _TASK_HEAD_HASHES, "Task", 2)
    methods = _head_phrases(doc, _METHOD_HEAD_HASHES, "Method", 2)
    return filter_spans(_cue_names(doc) + _named_names(doc) + _shape_names(doc) + tasks + methods + _title_case_methods(doc))


def detect_names(doc: Doc) -> Doc:
    set_spans(doc, NAME_SPANS, find_names(doc))
    return doc


@Language.factory("kg_names", default_config={})
def make_name_finder(nlp: Language, name: str):
    """Pipeline component: candidate names by shape and cue words."""
    return batched(detect_names)
