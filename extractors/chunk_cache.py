"""spaCy's tokenizer cache, filled also for the chunks that follow a special case.

spaCy's tokenizer splits a text at whitespace into chunks, and caches the tokens of each
chunk it had to split with its affix rules. But once one chunk of a text hits a special
case ("e.g.", "i.e.", a quote "'", "cannot", "model's"), it caches no later chunk of that
text: the flag that keeps a special case's tokens out of the cache is one per call, not
one per chunk. A chunk that only ever comes after a special case is split by the prefix,
suffix and infix regexes each time it is seen: 40% of the bundled corpus's abstracts hold
one of these special cases, and their tokenizing took 2-6 times as long as the others'.

`ChunkCache.fill` hands the tokenizer, once per distinct chunk, the chunks of a text that
follow its first special-case trigger, in a call of their own whose special cases come
last, so the tokenizer caches them as it caches any chunk of a text without one. The
tokens are the same (a cached chunk gives what its affix rules give it, in whatever call
it was first split); only where they are computed changes.
"""

from __future__ import annotations

import weakref

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

__all__ = ["ChunkCache", "attach_chunk_cache", "make_doc"]

# where abstracts' special cases start: Latin abbreviations, quotes, possessives, contractions
_TRIGGERS = ("e.g.", "i.e.", "'", "annot")

_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Language -> its ChunkCache


def _has_trigger(chunk: str) -> bool:
    return any(trigger in chunk for trigger in _TRIGGERS)


class ChunkCache:
    """The chunks a spaCy tokenizer was handed after a special-case trigger, each once.

    At most the tokenizer's ``max_cache_size`` chunks are remembered: past that the
    tokenizer caches nothing more, and nothing is handed to it.

    Examples
    --------
    >>> import spacy
    >>> cache = ChunkCache(spacy.blank("en").tokenizer)
    >>> cache.fill("Some models (e.g., LoRA-style adapters) help.")
    ['LoRA-style', 'adapters)', 'help.', '(e.g.,']
    >>> cache.fill("Adapters (e.g., LoRA-style adapters) help.")
    []
    """

    def __init__(self, tokenizer: Tokenizer):
        self.tokenizer = tokenizer
        self.seen: set[str] = set()

    def fill(self, text: str) -> list[str]:
        """Hand the tokenizer the chunks of ``text`` after its first trigger that it was
        not handed before (those without a trigger first); return them in that order."""
        first = len(text)
        for trigger in _TRIGGERS:  # each search stops where an earlier trigger was found
            at = text.find(trigger, 0, first + len(trigger) - 1)
            if at >= 0:
                first = at
        if first == len(text) or len(self.seen) >= self.tokenizer.max_cache_size:
            return []
        # the chunk that holds the trigger starts at the whitespace before it
        start = max(text.rfind(" ", 0, first), text.rfind("\n", 0, first), 0)
        chunks = text[start:].split()
        if self.seen.issuperset(chunks):  # most texts, once a corpus is under way (a C loop, no new set)
            return []
        new = set(chunks).difference(self.seen)
        self.seen.update(new)
        # after a chunk that hits a special case the call caches nothing: those go last
        ordered = sorted(new, key=lambda chunk: (_has_trigger(chunk), chunk))
        self.tokenizer(" ".join(ordered))
        return ordered


def attach_chunk_cache(nlp: Language) -> None:
    """Give ``nlp`` (a pipeline with spaCy's own tokenizer) a `ChunkCache` that `make_doc` fills."""
    if isinstance(nlp.tokenizer, Tokenizer):
        _CACHES[nlp] = ChunkCache(nlp.tokenizer)


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, its chunk cache filled first (if `attach_chunk_cache` gave it one)."""
    cache = _CACHES.get(nlp)
    if cache is not None:
        cache.fill(text)
    return nlp.make_doc(text)
