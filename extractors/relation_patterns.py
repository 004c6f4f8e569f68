"""Trigger patterns of the four relations, read off the words around an entity pair.

Two places carry a relation in an abstract:

* the words *between* two mentions of one sentence: "X outperforms Y", "X is based on Y",
  "X achieves 81% on Y", "X for Y"; and the reverse order, "Y is outperformed by X",
  "on Y, X reaches ...", "Y with X";
* the *sentence* of a mention when the subject is the paper's own system, named
  elsewhere: "Our model is evaluated on A, B and C", "We fine-tune it from Y", "It beats Y".

Both give `Trigger` hits (relation, direction, the trigger words). They are features of
the trained relation classifier and, without a model, the relations themselves. Lists
need no pattern of their own: every item of "evaluated on A, B and C" has the trigger
between it and the subject, with only other items and commas in between.

Examples
--------
>>> [(t.relation, t.words) for t in between_triggers(" clearly outperforms ", head_first=True)]
[('outperforms', 'outperforms')]
>>> [(t.relation, t.words) for t in between_triggers(" is outperformed by ", head_first=False)]
[('outperforms', 'is outperformed by'), ('appliedTo', 'by')]
>>> [(t.relation, t.words) for t in sentence_triggers("We evaluate it on three benchmarks: ")]
[('evaluatedOn', 'evaluate')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Trigger", "between_triggers", "sentence_triggers", "OWN_SUBJECT", "LIST_GLUE"]


@dataclass(frozen=True)
class Trigger:
    relation: str
    words: str  # the trigger words as written
    head_first: bool  # True: the head is the earlier mention of the pair


class _Words:
    """Whole words of a lower-case ``pattern``, in any case.

    Compiled twice: ASCII text is lower-cased once and matched case-sensitively (a third
    faster than ignoring case), other text is matched ignoring case; for ASCII both find
    the same matches, and the words are read from the text as written.
    """

    def __init__(self, pattern: str):
        words = r"(?<![\w-])(?:" + pattern + r")(?![\w-])"
        self.any_case = re.compile(words, re.IGNORECASE)
        self.lower_case = re.compile(words)

    def search(self, text: str, lowered: str | None) -> str | None:
        """The first match in ``text`` as written; ``lowered`` is ``text.lower()`` for ASCII
        text, else None."""
        match = self.any_case.search(text) if lowered is None else self.lower_case.search(lowered)
        return None if match is None else text[match.start() : match.end()]


def _lowered(text: str) -> str | None:
    return text.lower() if text.isascii() else None


_OUTPERFORM = r"outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|exceed(?:s|ed|ing)?|better than|superior to|improv(?:es|ed|ing) (?:up)?on|outstrip(?:s|ped)?|outmatch(?:es|ed)?"
_BASED = (
    r"based on|built (?:up)?on|builds? (?:up)?on|on top of|extend(?:s|ed|ing)?|extension of|variant of|version of"
    r"|fine-?tuned (?:from|on top of)|initiali[sz]ed (?:from|with)|derived from|adapt(?:s|ed|ing)?|inspired by"
    r"|distill(?:ed|s)? from|generali[sz](?:es|ing)|modif(?:ies|ied|ication of)|improv(?:es|ed|ing)|augment(?:s|ed|ing)?"
    r"|upon|leverag(?:es|ing|ed)|combin(?:es|ing|ed)|integrat(?:es|ing|ed)|us(?:es|ing)|employ(?:s|ing)|incorporat(?:es|ing)"
)
_EVALUATED = (
    r"evaluated on|tested on|benchmarked on|validated on|assessed on|experiments? on|results? on|accuracy on|performance on"
    r"|achiev(?:es|ed|ing)|reach(?:es|ed|ing)?|scor(?:es|ed|ing)|attain(?:s|ed|ing)?|obtain(?:s|ed|ing)?|sets?|on|across"
)
_APPLIED = r"for|to|towards?|address(?:es|ing)?|tackl(?:es|ing)|solv(?:es|ing)|applied to|designed for|tailored (?:for|to)|in"

_FORWARD = (
    ("outperforms", _Words(_OUTPERFORM)),
    ("basedOn", _Words(_BASED)),
    ("evaluatedOn", _Words(_EVALUATED)),
    ("appliedTo", _Words(_APPLIED)),
)
# the tail is written first: "Y is outperformed by X", "on Y, X ...", "Y with X"
_REVERSE = (
    ("outperforms", _Words(r"(?:is|are|was|were|being)? ?(?:outperformed|surpassed|beaten|exceeded) by|compared (?:to|with)|over")),
    ("basedOn", _Words(r"-?based|fine-?tun(?:e|es|ed|ing)|(?:we )?extend|upon which|backbone|to (?:obtain|produce|create|build|get)")),
    ("evaluatedOn", _Words(r"on|in|,")),  # "On Y, X reaches ..."
    ("appliedTo", _Words(r"with|using|via|by|through|based on|-based")),
)
_SENTENCE = (
    ("outperforms", _Words(_OUTPERFORM + r"|state-of-the-art|baselines?")),
    ("basedOn", _Words(r"based on|built (?:up)?on|builds? (?:up)?on|on top of|extend(?:s|ed|ing)?|fine-?tun(?:e|es|ed|ing)|initiali[sz]ed|distill(?:s|ed|ing)?|adapt(?:s|ed|ing)?|backbone|leverag(?:e|es|ing)")),
    ("evaluatedOn", _Words(r"evaluat(?:e|es|ed|ing|ion)|experiments?|benchmarks?|results?|achiev(?:e|es|ed|ing)|test(?:s|ed)?|accuracy|performance|state-of-the-art")),
    ("appliedTo", _Words(r"for|task|address(?:es|ing)?|tackl(?:e|es|ing)|solv(?:e|es|ing)|applied|application")),
)
# "our model/method/approach ...", "it", "we": the paper's own system as the subject (the lookahead
# lets the regex engine skip to the letters a subject starts with: a quarter faster than the bare \b)
OWN_SUBJECT = re.compile(
    r"(?=[OoWwIiTt])\b(?:[Oo]ur (?:\w+[ -]){0,2}?(?:model|method|approach|framework|system|algorithm|technique|pipeline|architecture|agent|benchmark|dataset)s?|[Ww]e|[Ii]t|[Tt]he proposed \w+)\b"
)
# what may stand between two items of one list: commas, "and", "or", "as well as"
LIST_GLUE = re.compile(r"\s*(?:,|;|\band\b|\bor\b|\bas well as\b|\s)+\s*", re.IGNORECASE)
_MAX_BETWEEN = 120  # characters; further apart, the words between say little


def between_triggers(between: str, *, head_first: bool) -> list[Trigger]:
    """Relations that the words ``between`` two mentions signal, head written first or not.

    Only the first hit of each relation counts; the nearest words are the telling ones.
    """
    if len(between) > _MAX_BETWEEN:
        return []
    found = []
    lowered = _lowered(between)
    for relation, pattern in _FORWARD if head_first else _REVERSE:
        words = pattern.search(between, lowered)
        if words is not None:
            found.append(Trigger(relation, words.strip(), head_first))
    return found


def sentence_triggers(sentence: str) -> list[Trigger]:
    """Relations that a sentence about the paper's own system signals ("we", "our model")."""
    found = []
    lowered = _lowered(sentence)
    for relation, pattern in _SENTENCE:
        words = pattern.search(sentence, lowered)
        if words is not None:
            found.append(Trigger(relation, words, True))
    return found
