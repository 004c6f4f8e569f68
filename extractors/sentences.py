"""A fast rule-based sentence splitter for abstracts (no parser needed).

A sentence ends at ".", "!" or "?" when the next token does not start in lower case
(so "e.g. the" and "Fig. 3" inside a sentence stay together), and at any line break:
the pipeline joins title and abstract with a blank line, so the title is always its
own sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["split_sentences"]

_ENDS = {".", "!", "?"}


def split_sentences(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on every token of ``doc``.

    Examples
    --------
    >>> import spacy
    >>> doc = split_sentences(spacy.blank("en")("A title\\n\\nWe use BERT, e.g. here. It works!"))
    >>> [s.text for s in doc.sents]
    ['A title\\n\\n', 'We use BERT, e.g. here.', 'It works!']
    """
    previous = None
    for token in doc:
        if previous is None:
            token.is_sent_start = True
        elif "\n" in previous.text_with_ws[len(previous.text) :] or "\n" in previous.text:
            token.is_sent_start = True
        elif previous.text in _ENDS and not token.text[:1].islower():
            token.is_sent_start = True
        else:
            token.is_sent_start = False
        previous = token
    return doc


@Language.factory("kg_sentences", default_config={})
def make_sentence_splitter(nlp: Language, name: str):
    """Pipeline component: `split_sentences`."""
    return split_sentences
