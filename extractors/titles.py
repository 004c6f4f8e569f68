"""What a paper's title names: the name it defines, and the phrases around its connectives.

* "OMNI: Open-endedness via ..." and "PaLM 2 Technical Report" define a name
  (`title_name`).
* Title Case phrases after "via / through / with / using / by" name the paper's
  method, after "for" the task it addresses, and the phrase before such a "for" names
  the method ("Retrieval-Augmented Meta Learning for Low-Resource Text Classification").

The pipeline puts the title first in the Doc text; ``doc.user_data[TITLE_CHARS]`` is its
length.
"""

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from extractors.entity_typing import type_of_phrase
from extractors.generic import is_generic
from extractors.names import looks_like_name, not_entities
from extractors.offsets import aligned_span, text_of

__all__ = ["TITLE_CHARS", "TitlePhrase", "title_name", "title_phrases"]

TITLE_CHARS = "kg_title_chars"  # doc.user_data key: length of the title at the start of the text
# several components ask; computed once per Doc (token offsets, so user_data stays serialisable)
_NAME_CACHE = "kg_title_name"
_PHRASES_CACHE = "kg_title_phrases"
_REPORT_KINDS = ("Technical Report", "Model Card", "System Card")
_REPORT_TITLE = re.compile(r"(.+?)\s+(?:Technical Report|Model Card|System Card)\b")
_NOT_NAME_STARTS = {"the", "a", "an", "on", "towards", "toward", "beyond", "when", "why", "how", "what"}
# every connective starts at a space or a punctuation mark: the lookahead rejects other characters at once
_CONNECTIVE = re.compile(
    r"(?=[\s:,;?!()])(?:\s+(via|through|with|using|by|for|and|in|on|from|to|towards|without|beyond|under|as|at)\s+|\s*[:,;?!()]\s*|\s+[-–—]+\s+)"
)
_METHOD_AFTER = {"via", "through", "with", "using", "by"}
_SMALL_WORDS = {"of", "the", "and", "to", "in", "for", "a", "an"}
_NOT_PHRASE_STARTS = {"Use", "Your", "Our", "Its", "Their", "How", "What", "When", "Why", "Towards", "Toward", "Beyond", "On", "Is", "Are", "Do", "Does", "Can", "Make", "Effectiveness", "Role", "Impact", "Power"}


@dataclass(frozen=True)
class TitlePhrase:
    span: Span
    type: str
    introduced: bool  # the title presents it as the paper's own method


def title_name(doc: Doc) -> Span | None:
    """The name a title defines: before its colon ("OMNI: Open-endedness via ..."), or
    of a report ("PaLM 2 Technical Report")."""
    if _NAME_CACHE not in doc.user_data:
        span = _title_name(doc)
        doc.user_data[_NAME_CACHE] = None if span is None else (span.start, span.end)
    cached = doc.user_data[_NAME_CACHE]
    return None if cached is None else Span(doc, cached[0], cached[1])  # a third of doc[a:b]'s cost


def _title_name(doc: Doc) -> Span | None:
    title_end = doc.user_data.get(TITLE_CHARS, 0)
    text = text_of(doc)
    title = text[:title_end]
    # the regex tries every start of the title for one of three phrases; most titles have none
    report = _REPORT_TITLE.match(text, 0, title_end) if any(kind in title for kind in _REPORT_KINDS) else None
    colon = report.end(1) if report is not None else text.find(":", 0, title_end)
    if colon <= 0:
        return None
    span = doc.char_span(0, colon, alignment_mode="contract")
    if span is None or not 1 <= len(span) <= 5:
        return None
    name = text[span.start_char : span.end_char]  # span.text, without joining the tokens again
    if not any(c.isupper() for c in name) or "," in name:
        return None
    words = name.split()
    if len(words) > 2 and not any(looks_like_name(word) for word in words):
        return None  # a plain phrase ("Prompt Engineering or Fine Tuning"), not a name
    if name in not_entities() or span[0].lower_ in _NOT_NAME_STARTS:
        return None
    return span


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and word[:-1].isalpha() and word[:1].isupper() and not word.isupper()


def _title_case(words: list[str]) -> bool:
    return all(w[:1].isupper() or w[:1].isdigit() or w in _SMALL_WORDS for w in words) and words[-1] not in _SMALL_WORDS


def title_phrases(doc: Doc) -> list[TitlePhrase]:
    """Title Case phrases that the title's connectives mark as method or task.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("Retrieval-Augmented Meta Learning for Low-Resource Text Classification\\n\\nAbstract.")
    >>> doc.user_data[TITLE_CHARS] = len("Retrieval-Augmented Meta Learning for Low-Resource Text Classification")
    >>> [(p.span.text, p.type, p.introduced) for p in title_phrases(doc)]
    [('Retrieval-Augmented Meta Learning', 'Method', True), ('Low-Resource Text Classification', 'Task', False)]
    """
    if _PHRASES_CACHE not in doc.user_data:
        # plain values: user_data must stay serialisable
        doc.user_data[_PHRASES_CACHE] = [(p.span.start, p.span.end, p.type, p.introduced) for p in _title_phrases(doc)]
    return [TitlePhrase(Span(doc, start, end), entity_type, introduced) for start, end, entity_type, introduced in doc.user_data[_PHRASES_CACHE]]


def _title_phrases(doc: Doc) -> list[TitlePhrase]:
    title_end = doc.user_data.get(TITLE_CHARS, 0)
    text = text_of(doc)
    defined = title_name(doc)
    start = defined.end_char if defined is not None else 0
    pieces = []  # (start, end, connective before, connective after)
    before = ""
    for connective in _CONNECTIVE.finditer(text, start, title_end):
        pieces.append((start, connective.start(), before, (connective.group(1) or connective.group().strip()).lower()))
        before, start = (connective.group(1) or connective.group().strip()).lower(), connective.end()
    pieces.append((start, title_end, before, ""))
    found = []
    for first, (piece_start, piece_end, before, after) in enumerate(pieces):
        words = text[piece_start:piece_end].split()
        if words and words[0].lower() in {"a", "an", "the"}:
            piece_start += len(words[0]) + 1
            words = words[1:]
        # a gerund opens a clause ("Aligning Large Language Models"); a plural head is a description
        if not 2 <= len(words) <= 6 or not _title_case(words) or words[0].endswith(("ing", "ly")) or _plural(words[-1]):
            continue
        if words[0] in _NOT_PHRASE_STARTS:
            continue
        phrase = text[piece_start:piece_end]
        if is_generic(phrase) or phrase in not_entities():
            continue
        head_type = type_of_phrase(phrase)
        if before in _METHOD_AFTER or (first == 0 and after == "for" and defined is None):
            entity_type, introduced = head_type or "Method", True
        elif before == "for" and head_type == "Task":
            entity_type, introduced = "Task", False
        else:
            continue
        if entity_type not in ("Method", "Task", "Benchmark"):
            continue  # "... with Limited Data", "... Contrastive Loss": descriptions, not names
        span = aligned_span(doc, piece_start, piece_end)
        if span is not None:
            found.append(TitlePhrase(span, entity_type, introduced and entity_type in ("Method", "Model", "Dataset", "Benchmark")))
    return found
