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

from spacy.tokens import Span

from extractors.names import CUE_TYPES, UNTYPED

__all__ = ["type_of_phrase", "type_of_name", "type_by_context"]

_MODEL_FAMILY = re.compile(
    r"^(?:gpt|llama|llava|qwen|mistral|mixtral|gemma|gemini|claude|phi|t5|flan|bert|roberta|deberta|vicuna|alpaca|"
    r"deepseek|falcon|bloom|palm|yi|internlm|internvl|chatglm|glm|baichuan|olmo|pythia|starcoder|codegen|codellama|"
    r"blip|clip|vit|resnet|whisper|wizard|opt|orca|zephyr|tulu|minicpm|stable|sdxl|dall|imagen|sam|dino|yolo|"
    r"o1|o3|o4|e5|bge|nemotron|granite|jamba|command|grok|ernie|pangu|kimi|hunyuan|doubao|cogvlm|idefics)",
    re.IGNORECASE,
)
_MODEL_SIZE = re.compile(r"\d+(?:\.\d+)?[BM]\b|-(?:Instruct|Chat|Base|Coder|Math|Turbo|mini|Pro|Ultra|Flash|Sonnet|Opus|Haiku)\b")
_BENCHMARK_SUFFIX = re.compile(r"(?:Bench|QA|Eval|Arena|GLUE|Hard)(?:[-\s]?v?\d+(?:\.\d+)*)?$")
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
    if _MODEL_SIZE.search(text):
        return "Model"
    return None


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


def _cue_after(span: Span) -> str | None:
    """The head word after the span, skipping the rest of a list ("X, Y and Z benchmarks")."""
    doc = span.doc
    i = span.end
    limit = min(len(doc), span.end + 12)
    while i < limit:
        token = doc[i]
        cue = CUE_TYPES.get(token.lower_)
        if cue is not None:
            return cue
        if token.is_sent_start or not (token.lower_ in _LEFT_LIST or token.text[:1].isupper() or any(c.isdigit() for c in token.text)):
            break
        i += 1
    return None


def _cue_in_apposition(span: Span) -> str | None:
    """"X, a new benchmark for ..." / "X is a framework" / "X (a dataset ...)"."""
    doc = span.doc
    i = span.end
    if i < len(doc) and doc[i].text in {",", "(", ":"}:
        i += 1
    elif i + 1 < len(doc) and doc[i].lower_ in {"is", "as"}:
        i += 1
    else:
        return None
    if i >= len(doc) or doc[i].lower_ not in {"a", "an", "the", "which", "our"}:
        return None
    for token in doc[i + 1 : min(len(doc), i + 7)]:
        if token.is_sent_start or token.text in {",", ";", "(", ")", "."}:
            return None
        if token.lower_ in {"of", "for", "with", "that", "to", "on", "in"}:
            return None
        cue = CUE_TYPES.get(token.lower_)
        if cue is not None:
            return cue
    return None


def _cue_before(span: Span) -> str | None:
    """"benchmarks such as X", "datasets including X", "the dataset X"."""
    doc = span.doc
    start = max(0, span.start - 6)
    for token in reversed(doc[start : span.start]):
        if token.is_sent_start and token.i != span.start:
            break
        cue = CUE_TYPES.get(token.lower_)
        if cue in ("Benchmark", "Dataset"):
            return cue
        if token.text in {".", ";", ":"}:
            break
    return None


def type_by_context(span: Span, prior: str) -> str:
    """The type of candidate ``span`` given its ``prior`` (lexicon or cue type, or "?").

    Dataset/Benchmark and untyped priors yield to the text's words; Method, Model,
    Task and Metric priors are kept ("GPT-4 benchmark results" keeps GPT-4 a Model).
    """
    word = _cue_in_apposition(span) or _cue_after(span)
    if word == "Model" and prior not in (UNTYPED, "Model"):
        word = None  # "diffusion models", "LoRA models": the head is not the type here
    if word == "Task":
        word = None  # "the X task" usually names a dataset or benchmark, rarely a task
    if word is not None and prior in (UNTYPED, "Dataset", "Benchmark"):
        return word
    if prior != UNTYPED:
        if prior in ("Dataset", "Benchmark"):
            return _cue_before(span) or prior
        return prior
    return type_of_name(span.text) or (" " in span.text and type_of_phrase(span.text)) or _cue_before(span) or "Method"
