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


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", re.IGNORECASE)


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
    ("outperforms", _words(_OUTPERFORM)),
    ("basedOn", _words(_BASED)),
    ("evaluatedOn", _words(_EVALUATED)),
    ("appliedTo", _words(_APPLIED)),
)
# the tail is written first: "Y is outperformed by X", "on Y, X ...", "Y with X"
_REVERSE = (
    ("outperforms", _words(r"(?:is|are|was|were|being)? ?(?:outperformed|surpassed|beaten|exceeded) by|compared (?:to|with)|over")),
    ("basedOn", _words(r"-?based|fine-?tun(?:e|es|ed|ing)|(?:we )?extend|upon which|backbone|to (?:obtain|produce|create|build|get)")),
    ("evaluatedOn", _words(r"on|in|,")),  # "On Y, X reaches ..."
    ("appliedTo", _words(r"with|using|via|by|through|based on|-based")),
)
_SENTENCE = (
    ("outperforms", _words(_OUTPERFORM + r"|state-of-the-art|baselines?")),
    ("basedOn", _words(r"based on|built (?:up)?on|builds? (?:up)?on|on top of|extend(?:s|ed|ing)?|fine-?tun(?:e|es|ed|ing)|initiali[sz]ed|distill(?:s|ed|ing)?|adapt(?:s|ed|ing)?|backbone|leverag(?:e|es|ing)")),
    ("evaluatedOn", _words(r"evaluat(?:e|es|ed|ing|ion)|experiments?|benchmarks?|results?|achiev(?:e|es|ed|ing)|test(?:s|ed)?|accuracy|performance|state-of-the-art")),
    ("appliedTo", _words(r"for|task|address(?:es|ing)?|tackl(?:e|es|ing)|solv(?:e|es|ing)|applied|application")),
)
# "our model/method/approach ...", "it", "we": the paper's own system as the subject
OWN_SUBJECT = re.compile(
    r"\b(?:[Oo]ur (?:\w+[ -]){0,2}?(?:model|method|approach|framework|system|algorithm|technique|pipeline|architecture|agent|benchmark|dataset)s?|[Ww]e|[Ii]t|[Tt]he proposed \w+)\b"
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
    for relation, pattern in _FORWARD if head_first else _REVERSE:
        match = pattern.search(between)
        if match:
            found.append(Trigger(relation, match.group(0).strip(), head_first))
    return found


def sentence_triggers(sentence: str) -> list[Trigger]:
    """Relations that a sentence about the paper's own system signals ("we", "our model")."""
    found = []
    for relation, pattern in _SENTENCE:
        match = pattern.search(sentence)
        if match:
            found.append(Trigger(relation, match.group(0), True))
    return found
