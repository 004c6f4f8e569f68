"""A fast rule-based sentence splitter for abstracts (no parser needed).

A sentence ends at ".", "!" or "?" followed by space and a token that does not start
in lower case (so "e.g. the" stays together; "e.g.", "i.e.", "et al." and "Fig." never
end one), and at any line break: the pipeline joins title and abstract with a blank
line, so the title is always its own sentence. Boundaries are found with one regex
over the text and set with one array write, so the cost is linear and small.
"""

# no `from __future__ import annotations`: spaCy resolves factory signatures at run time
import re
from bisect import bisect_right

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from extractors.batching import batched
from extractors.offsets import text_of, token_starts

__all__ = ["split_sentences", "sentence_boundaries", "sentence_starts"]

_STARTS = "kg_sentence_starts"  # doc.user_data: start characters of the sentences

# the end of a sentence (r"[.!?]+[\"')\]]*\s+(?=[^\sa-z])|\n\s*"), written to open with one character
# class so that the regex engine skips to its few characters instead of trying both branches at each
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=\n)\s*|(?<=[.!?])[.!?]*[\"')\]]*\s+(?=[^\sa-z]))")
_NOT_ENDS = ("e.g.", "i.e.", "al.", "Fig.", "vs.", "cf.", "Eq.", "Sec.", "etc.")


def sentence_boundaries(text: str) -> list[int]:
    """Start characters of the sentences of ``text`` after the first.

    Examples
    --------
    >>> sentence_boundaries("We use BERT, e.g. Here. It works!")
    [24]
    """
    return [
        m.end()
        for m in _BOUNDARY.finditer(text)
        if m.end() < len(text) and not (text[m.start()] == "." and text.endswith(_NOT_ENDS, max(0, m.start() - 4), m.start() + 1))
    ]


def split_sentences(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on every token of ``doc``.

    Examples
    --------
    >>> import spacy
    >>> doc = split_sentences(spacy.blank("en")("A title\\n\\nWe use BERT, e.g. here. It works!"))
    >>> [s.text for s in doc.sents]
    ['A title\\n\\n', 'We use BERT, e.g. here.', 'It works!']
    """
    if len(doc) == 0:
        return doc
    starts = np.full(len(doc), -1, dtype=np.int64)
    starts[0] = 1
    chars = [0]
    positions = token_starts(doc)
    for char in sentence_boundaries(text_of(doc)):
        index = max(0, bisect_right(positions, char) - 1)  # `token_at`
        if positions[index] == char:
            starts[index] = 1
            chars.append(char)
    doc.from_array([SENT_START], starts.astype(np.uint64).reshape(-1, 1))
    doc.user_data[_STARTS] = chars
    return doc


def sentence_starts(doc: Doc) -> list[int]:
    """Start characters of the sentences of ``doc`` (from the splitter, else ``doc.sents``)."""
    chars = doc.user_data.get(_STARTS)
    if chars is None:
        chars = doc.user_data[_STARTS] = [sentence.start_char for sentence in doc.sents] if len(doc) else [0]
    return chars


@Language.factory("kg_sentences", default_config={})
def make_sentence_splitter(nlp: Language, name: str):
    """Pipeline component: `split_sentences`."""
    return batched(split_sentences)
