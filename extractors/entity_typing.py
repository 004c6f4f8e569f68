"""Typing by context: which of the six types a candidate name takes in its sentence.

The text's own word wins (guidelines): "the X dataset" is a Dataset, "X, a benchmark"
a Benchmark, "X, a framework" a Method; a list shares the head word at its end ("on
MMLU, GSM8K and HumanEval benchmarks"). Without a word, the name decides: known model
families and sizes ("-7B") make a Model, "-Bench" / "-QA" suffixes a Benchmark, and a
phrase's head word ("... generation", "... score", "... models") its type. The rest
is a Method, the most common type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice

from spacy.tokens import Span

from extractors.names import CUE_TYPES, UNTYPED
from extractors.offsets import text_of

__all__ = ["type_of_phrase", "type_of_name", "type_by_context", "typing_by_context"]

_MODEL_FAMILY = re.compile(
    r"^(?:gpt|llama|llava|qwen|mistral|mixtral|gemma|gemini|claude|phi|t5|flan|bert|roberta|deberta|vicuna|alpaca|"
    r"deepseek|falcon|bloom|palm|yi|internlm|internvl|chatglm|glm|baichuan|olmo|pythia|starcoder|codegen|codellama|"
    r"blip|clip|vit|resnet|whisper|wizard|opt|orca|zephyr|tulu|minicpm|stable|sdxl|dall|imagen|sam|dino|yolo|"
    r"o1|o3|o4|e5|bge|nemotron|granite|jamba|command|grok|ernie|pangu|kimi|hunyuan|doubao|cogvlm|idefics)",
    re.IGNORECASE,
)
_MODEL_SIZE = re.compile(r"\d+(?:\.\d+)?[BM]\b|-(?:Instruct|Chat|Base|Turbo)\b")
# a family name inside a longer name: "ChatGPT-4", "Turbo-GPT3.5", "Mental-FLAN-T5", "OpenSora"
_MODEL_INSIDE = re.compile(r"GPT|LLaMA|Llama|Qwen|Mistral|Gemma|Claude|BERT|FLAN-T5|Vicuna|Alpaca|Sora|PaLM|Gemini|DeepSeek|Falcon")
_BENCHMARK_SUFFIX = re.compile(r"(?:(?<=[\w-])(?:QA|Hard)|Bench|Eval|Arena|GLUE)(?:[-\s]?v?\d+(?:\.\d+)*)?$")
_HEAD_TYPES = (
    (re.compile(r"\b(?:benchmarks?|bench|suite|leaderboard|arena|challenge|testbed|evaluation harness)$", re.I), "Benchmark"),
    (re.compile(r"\b(?:datasets?|corpus|corpora|collection|data|dataset)$", re.I), "Dataset"),
    (re.compile(r"\b(?:metrics?|scores?|rates?|accuracy|error|distance|coefficient|index|precision|recall|ratio|divergence|similarity|loss)$", re.I), "Metric"),
    (re.compile(
        r"(?:generation|recognition|detection|classification|segmentation|answering|translation|summari[sz]ation|"
        r"retrieval|reasoning|prediction|understanding|estimation|completion|synthesis|extraction|forecasting|"
        r"captioning|editing|parsing|tracking|localization|verification|diagnosis|discovery|planning|navigation|"
        r"manipulation|inference|comprehension|following|analysis|modell?ing|identification|matching|search)$", re.I), "Task"),
)
_LEFT_LIST = {",", "and", "or", "&", "-", "/"}
_SENTENCE_ENDS = {".", "!", "?"}
# "... evaluated on X" names an evaluation set, "... trained on X" a training set
_EVALUATION_STEMS = ("evaluat", "experiment", "result", "perform", "accura", "test", "benchmark", "outperform", "score", "achiev", "state-of-the-art", "sota")
_TRAINING_STEMS = ("train", "pretrain", "pre-train", "fine-tun", "finetun")
_NAMING = {",", "called", "named", "dubbed", "termed", "coined", ":"}
_BREAKS = {"of", "for", "with", "that", "to", "on", "in", "which", "where", "by", "from", "using", "via", "based", "trained", "built"}
# words, and the punctuation that ends a list or clause, as separate items
_WORD = re.compile(r"[\w][\w\-+/@]*(?:\.\d+[\w\-+]*)*|[,;:().!?]")
_APPOSITION_OPENERS = frozenset({",", "(", ":", "is", "as"})
_CONTEXT_WORDS = frozenset({*CUE_TYPES, "on", "across"})  # what `_cue_before` answers from


# names and phrases repeat across papers: each distinct one is typed once (bounded caches)
@lru_cache(maxsize=65_536)
def type_of_name(text: str) -> str | None:
    """The type a single name's shape gives, or None when it does not decide.

    Examples
    --------
    >>> type_of_name("LLaMA-2-7B"), type_of_name("MT-Bench"), type_of_name("FooNet")
    ('Model', 'Benchmark', None)
    """
    if _BENCHMARK_SUFFIX.search(text):
        return "Benchmark"
    if _MODEL_FAMILY.match(text) and (any(c.isdigit() for c in text) or "-" in text or " " in text):
        return "Model"
    if _MODEL_SIZE.search(text) or _MODEL_INSIDE.search(text):
        return "Model"
    return None


@lru_cache(maxsize=65_536)
def type_of_phrase(text: str) -> str | None:
    """The type a multi-word phrase's head word gives, or None.

    Examples
    --------
    >>> type_of_phrase("Chinese Instruction-Following Benchmark"), type_of_phrase("text-to-3D generation")
    ('Benchmark', 'Task')
    >>> type_of_phrase("Dice Similarity Coefficient"), type_of_phrase("Direct Nash Optimization") is None
    ('Metric', True)
    """
    for pattern, entity_type in _HEAD_TYPES:
        if pattern.search(text):
            return entity_type
    return None


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _first_words(text: str, start: int, end: int, count: int) -> Iterator[str]:
    """The first ``count`` words of ``text[start:end]``, lazily: the words after a name are
    read from the left and a decision comes within a few, so the rest are never split."""
    return (match.group() for match in islice(_WORD.finditer(text, start, end), count))


def _cue_after(text: str, end: int, first: re.Match) -> str | None:
    """The head word after a name, skipping the rest of a list ("X, Y and Z benchmarks"):
    of the first 12 words of the 120 characters after it, ``first`` the first."""
    word, rest = first.group(), None
    for _ in range(12):
        cue = CUE_TYPES.get(word.lower())
        if cue is not None:
            return cue
        if word in _SENTENCE_ENDS or not (word.lower() in _LEFT_LIST or word[:1].isupper() or any(c.isdigit() for c in word)):
            return None  # most names: at the first word
        if rest is None:
            rest = _WORD.finditer(text, first.end(), end + 120)
        following = next(rest, None)
        if following is None:
            return None
        word = following.group()
    return None


def _cue_in_apposition(text: str, end: int, first: re.Match) -> str | None:
    """"X, a new benchmark for ..." / "X is a framework" / "X (a dataset ...)": of the 100
    characters after a name (``first``: the first word of the 120 after it)."""
    if first.end() > end + 100 or first.group().lower() not in _APPOSITION_OPENERS:
        # past the 100 characters, they hold at most a part of this word: no apposition of three
        return None  # most names are followed by no apposition: one word decides
    words = list(_first_words(text, end, end + 100, 8))
    if len(words) < 3:
        return None
    if words[1].lower() not in {"a", "an", "the", "which", "our"}:
        return None
    head = None  # the last cue word before the phrase ends: "A Model Update Strategy" is a strategy
    for word in words[2:8]:
        lower = word.lower()
        if word in _SENTENCE_ENDS or word in {",", "(", ")"} or lower in _BREAKS:
            break
        head = CUE_TYPES.get(lower, head)
    return head


def _cue_before(text: str, start: int) -> str | None:
    """"benchmarks such as X", "the dataset X"; "evaluated on X" (Benchmark), "trained on X" (Dataset)."""
    window = text[max(0, start - 90) : start]
    if window.isascii():
        # the same words, lower-cased once (the walk reads them lower-cased but for punctuation)
        words = _words(window.lower())[-10:]
        if _CONTEXT_WORDS.isdisjoint(words):
            return None  # every answer but None needs a cue word or "on" (most names have neither)
    else:
        words = _words(window)[-10:]
        if _CONTEXT_WORDS.isdisjoint([word.lower() for word in words]):
            return None
    after_on = False
    for k, word in enumerate(reversed(words)):
        lower = word.lower()
        if word in _SENTENCE_ENDS or word in {";", ":"}:
            return None
        cue = CUE_TYPES.get(lower)
        if cue in ("Benchmark", "Dataset") and k < 6:
            return cue
        if cue == "Model" and k < 3 and all(w.lower() in _NAMING for w in reversed(words[len(words) - k :])):
            return cue  # "a 7B LLM called X", "a new model, X"
        if lower in {"on", "across"}:
            after_on = True
        elif after_on and lower.startswith(_EVALUATION_STEMS):
            return "Benchmark"
        elif after_on and lower.startswith(_TRAINING_STEMS):
            return "Dataset"
    return None


def type_by_context(span: Span, prior: str) -> str:
    """The type of candidate ``span`` given its ``prior`` (lexicon or cue type, or "?").

    Dataset/Benchmark and untyped priors yield to the text's words; Method, Model,
    Task and Metric priors are kept ("GPT-4 benchmark results" keeps GPT-4 a Model).
    """
    return typing_by_context(span, prior)[0]


def typing_by_context(span: Span, prior: str) -> tuple[str, str]:
    """`type_by_context` with what decided it: "word" (the text's own word, which the
    guidelines let win over every other mention's guess), "context" (the words before it:
    "evaluated on X"), "prior", "name" or "default"."""
    if prior not in (UNTYPED, "Dataset", "Benchmark"):
        return prior, "prior"  # the text's words could not change it
    text, start, end = text_of(span.doc), span.start_char, span.end_char
    first = _WORD.search(text, end, end + 120)  # the first word after the name: both cues read it
    word = None if first is None else _cue_in_apposition(text, end, first) or _cue_after(text, end, first)
    if word == "Model" and prior != UNTYPED:
        word = None  # "the GSM8K models": the head is not the type here
    if word is not None and word != "Task":  # "the X task" usually names a dataset, not a task
        return word, "word"
    before = _cue_before(text, start)
    if prior != UNTYPED:
        return (before, "context") if before else (prior, "prior")
    name = text[start:end]
    by_name = type_of_name(name) or (" " in name and type_of_phrase(name))
    if by_name:
        return by_name, "name"
    return (before, "context") if before else ("Method", "default")
