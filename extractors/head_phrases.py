"""Phrases named by their head word: lower-case task and method phrases ("code
generation", "molecule property prediction", "preference tuning") and capitalised
method names in the abstract ("Ghost Batch Normalization").

Each rule starts from the tokens of its head words (`extractors.rule_words.tokens_in`)
and reads a bounded window of the text before them, so the cost is linear in the text.
"""

# no `from __future__ import annotations`: the module is imported while spaCy resolves factories
import re

from spacy.tokens import Doc, Span

from extractors.offsets import aligned_span, text_of, token_starts
from extractors.rule_words import STOP_CAPITALISED, TITLE_CASE_METHOD_HEAD_IDS, WORD_CHARS, tokens_in

__all__ = ["modifier_words", "head_phrases", "title_case_methods"]

_UPPER_HEADS = frozenset({"QA"})  # "open-domain QA", "multi-hop QA"
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


def head_phrases(doc: Doc, heads: frozenset[int], label: str, max_words: int) -> list[Span]:
    """Lower-case phrases ending in a head noun of ``heads`` (hashes of lower-case forms):
    "code generation" (Task), "retrieval accuracy" (Metric). Clause openers and
    qualifiers are cut off the front; at most ``max_words`` words stay before the head."""
    found = []
    text = text_of(doc)
    positions = token_starts(doc)
    for index in tokens_in(doc, heads):
        if index == 0:
            continue
        head_text = doc[index].text
        if not (head_text.islower() or head_text in _UPPER_HEADS) or (index + 1 < len(doc) and doc[index + 1].text == "-"):
            continue  # "Generation" opens a title phrase; "generation-based" is no task
        head_start = positions[index]
        modifiers = modifier_words(text, max(0, head_start - 60), head_start)
        if modifiers is None or (modifiers[0] > 0 and text[modifiers[0] - 1] in WORD_CHARS):
            continue
        words = text[modifiers[0] : modifiers[1]].split()[-max_words:]
        start = head_start - len(" ".join(words)) - 1
        # verbs, adverbs and plurals open clauses ("significantly outperforms retrieval")
        cut = max((k + 1 for k, w in enumerate(words) if w in _NOT_TASK_MODIFIERS or w.endswith(_CLAUSE_ENDINGS)), default=0)
        for word in words[:cut]:
            start += len(word) + 1
        if cut == len(words):
            continue
        span = aligned_span(doc, start, head_start + len(head_text), label)
        if span is not None:
            found.append(span)
    return found



def title_case_methods(doc: Doc) -> list[Span]:
    """Capitalised phrases of the abstract ending in a method head: "Ghost Batch
    Normalization", "Low-Rank Adaptation Tuning" (the title has its own analysis)."""
    found = []
    title_end = doc.user_data.get("kg_title_chars", 0)
    text, positions = text_of(doc), token_starts(doc)
    for index in tokens_in(doc, TITLE_CASE_METHOD_HEAD_IDS):
        if positions[index] < title_end or not text[positions[index]].isupper():  # the token's first character
            continue
        start, words = index, 0
        while start > 0 and words < 4:
            token = doc[start - 1]
            if token.text == "-" and start > 1 and not doc[start - 2].whitespace_ and not token.whitespace_:
                start -= 1  # "Low-Rank": the hyphen joins two capitalised words
                continue
            if not token.text[:1].isupper() or token.text in STOP_CAPITALISED or token.is_sent_start or any(c.isdigit() for c in token.text):
                break
            start, words = start - 1, words + 1
        # a phrase cut at a hyphen is part of a longer name ("In-Context Learning")
        if words and doc[start].text != "-" and doc[start].idx >= title_end:
            found.append(Span(doc, start, index + 1, label="Method"))
    return found

