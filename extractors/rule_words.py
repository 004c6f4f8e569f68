"""The words the name rules look for, and their tokens in a Doc, found in one pass.

Cue words give the type of the name before them ("the MMLU benchmark"); head nouns end
task and method phrases ("code generation", "preference tuning", "Ghost Batch
Normalization"). `tokens_in` finds the tokens of all of them in one pass over a Doc's
LOWER array and hands each rule its own.
"""

import numpy as np
from spacy.strings import get_string_id
from spacy.tokens import Doc

from extractors.offsets import token_lowers

__all__ = [
    "CUE_TYPES", "STOP_CAPITALISED", "WORD_CHARS", "TASK_HEADS", "CUE_IDS", "TASK_HEAD_IDS", "METHOD_HEAD_IDS",
    "TITLE_CASE_METHOD_HEAD_IDS", "tokens_in",
]

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

# capitalised words that open sentences and phrases, never a name's first word
STOP_CAPITALISED = {
    "The", "A", "An", "Our", "We", "This", "These", "That", "Those", "In", "On", "For", "To", "With",
    "By", "Its", "Their", "It", "As", "At", "From", "Each", "All", "Both", "Such", "New", "Novel",
}
# the characters of a name-shaped word
WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-./")

TASK_HEADS = frozenset(
    """generation detection classification recognition segmentation prediction estimation retrieval translation
    summarization summarisation answering synthesis extraction forecasting captioning editing tracking
    localization verification completion parsing reconstruction qa reasoning processing""".split()
)
_METHOD_HEADS = frozenset(
    """learning tuning fine-tuning prompting distillation regularization augmentation""".split()
)
# the heads of capitalised method names ("Ghost Batch Normalization"), as string ids
TITLE_CASE_METHOD_HEAD_IDS = frozenset(
    get_string_id(word)
    for word in """learning optimization attention network networks tuning search sampling decoding distillation
    regularization normalization prompting transformer transformers descent""".split()
)


# the string ids of the words, as in the LOWER token attribute
CUE_IDS = frozenset(get_string_id(word) for word in CUE_TYPES)
TASK_HEAD_IDS = frozenset(get_string_id(word) for word in TASK_HEADS)
METHOD_HEAD_IDS = frozenset(get_string_id(word) for word in _METHOD_HEADS)

# every word a rule looks for (`tokens_in`), and a table of their ids' low 16 bits
_RULE_WORD_HASHES = CUE_IDS | TASK_HEAD_IDS | METHOD_HEAD_IDS | TITLE_CASE_METHOD_HEAD_IDS
_LOW_BITS = np.uint64(0xFFFF)
_RULE_WORD_LOW_BITS = np.zeros(1 << 16, dtype=bool)
_RULE_WORD_LOW_BITS[[word & 0xFFFF for word in _RULE_WORD_HASHES]] = True


_RULE_WORDS = "kg_rule_words"  # doc.user_data: (Doc length, [(index, LOWER id)] of its rule words)


def tokens_in(doc: Doc, lowers: frozenset[int]) -> list[int]:
    """Indices of the tokens whose lower-case form (its string id) is one of ``lowers``, a
    subset of the words' ids: the tokens of every rule's head and cue words are found
    in one pass over the token array per Doc (a pass per rule cost four).

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("The MMLU benchmark tests code generation.")
    >>> tokens_in(doc, CUE_IDS), tokens_in(doc, TASK_HEAD_IDS)
    ([2], [5])
    """
    cached = doc.user_data.get(_RULE_WORDS)
    if cached is None or cached[0] != len(doc):
        ids = token_lowers(doc)
        # the few tokens whose id shares its low 16 bits with a rule word's, then the exact test
        # (a Python int per token, and a set lookup each, cost twice as much)
        maybe = np.flatnonzero(_RULE_WORD_LOW_BITS[(ids & _LOW_BITS).astype(np.intp)])
        rule_words = [(i, lower) for i, lower in zip(maybe.tolist(), ids[maybe].tolist()) if lower in _RULE_WORD_HASHES]
        cached = doc.user_data[_RULE_WORDS] = (len(doc), rule_words)
    return [index for index, lower in cached[1] if lower in lowers]

