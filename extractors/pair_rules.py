"""The pair rules of the ``fast`` profile's relations: two mentions of one sentence, in
text order, and the words between them: the head's words, up to 40 characters of them and
no other mention (", a retrieval model,"), then the trigger, then only list glue and other
list items before the tail ("outperforms strong baselines such as A, B and C").
"""

from __future__ import annotations

import re

from extractors.keyword_gate import KeywordGate
from extractors.relation_features import allowed
from extractors.relation_findings import COMPONENT, CONFIDENCE, EntityGroups, Finding, RuleMention

__all__ = ["pair_findings", "may_trigger"]

_HEAD_GLUE = 40  # characters between the head and the trigger
_REACH = 4  # mentions ahead of the head that a rule looks at (list items)

# (relation, head written first, trigger): the words right before the tail's list
_TRIGGERS = tuple(
    (relation, head_first, re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", re.IGNORECASE))
    for relation, head_first, pattern in (
        ("outperforms", True, r"(?:consistently |significantly |clearly |also |substantially |greatly )?"
                              r"(?:outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|(?:is|are) (?:better than|superior to))"),
        ("outperforms", False, r"(?:is|are) (?:outperformed|surpassed) by"),
        ("basedOn", True, r"(?:is |are )?(?:based on|built (?:up)?on(?: top of)?|fine-?tuned from|initiali[sz]ed from|derived from"
                          r"|distilled from|an extension of|a variant of|extends|extending)"),
        ("evaluatedOn", True, r"(?:is |are )?(?:evaluated|tested|benchmarked|validated|assessed) on|achiev(?:es|ed|ing) (?:[^.;]|\.\d){0,40}?\bon"),
        ("appliedTo", True, r"(?:designed |tailored |applied |specifically )?(?:for|to)|address(?:es|ing)|tackl(?:es|ing)|solv(?:es|ing)"),
    )
)
# "A outperforms B and is evaluated on C": the trigger's subject stands before B
_NEW_CLAUSE = re.compile(r"\s*(?:and|or|but|while)\b", re.IGNORECASE)
_ANY_TRIGGER = re.compile("|".join(f"(?:{trigger.pattern})" for _, _, trigger in _TRIGGERS), re.IGNORECASE)
# a word every trigger holds: most gaps between two mentions hold none (test: tests/test_extract_keyword_gate.py)
ANY_TRIGGER_GATE = KeywordGate((
    "outperform", "surpass", "beat", "better than", "superior to", "based on", "built", "tuned from", "initiali",
    "derived from", "distilled from", "extension of", "variant of", "extend", "evaluated", "tested", "benchmarked",
    "validated", "assessed", "achiev", "for", "to", "address", "tackl", "solv",
))
# `_ANY_TRIGGER` without ignoring case, for lower-case ASCII text (a third faster)
_ANY_TRIGGER_LOWER = re.compile(_ANY_TRIGGER.pattern)


def may_trigger(text: str, start: int, end: int) -> bool:
    """Whether a trigger (`_ANY_TRIGGER`) stands in ``text[start:end]``: the window is
    lower-cased once, for the gate and the search both (ASCII text; other text goes to the
    case-blind regex).

    Examples
    --------
    >>> text = "ToolX clearly Outperforms BaseNet"
    >>> may_trigger(text, 5, 26), may_trigger(text, 5, 13), may_trigger("Xfor Y", 1, 6)
    (True, False, False)
    """
    before = max(0, start - 1)  # the character before the window: the trigger's lookbehind reads it
    window = text[before:end]
    if not window.isascii():
        return _ANY_TRIGGER.search(text, start, end) is not None
    lower = window.lower()
    return ANY_TRIGGER_GATE.holds_word(lower, start - before) and _ANY_TRIGGER_LOWER.search(lower, start - before) is not None


# what may follow the trigger before the tail: articles, list glue, "(strong) baselines such as"
_TAIL_GLUE = re.compile(
    r"(?:\s|,|\(|\)|\band\b|\bor\b|\bthe\b|\ba\b|\ban\b|\bstrong\b|\bexisting\b|\bprior\b|\bprevious\b|\bbaselines?\b|\bsuch as\b"
    r"|\bincluding\b|\blike\b|\bboth\b|\bmodels?\b|\bmethods?\b|\bwidely[- ]used\b|\bpopular\b|\bseveral\b|\bstandard\b"
    r"|\bbenchmarks?\b|\bdatasets?\b|\btasks?\b|\bof\b|\bas well as\b)*",
    re.IGNORECASE,
)


def pair_findings(mentions: list[RuleMention], text: str, bounds, groups: EntityGroups) -> list[Finding]:
    """The findings of the pair rules among ``mentions`` (in text order); ``bounds`` gives a
    sentence's (start, end) characters."""
    found = []
    for i, first in enumerate(mentions[:-1]):
        # every rule's trigger stands before the next mention: most heads stop at one search
        after = mentions[i + 1]
        if after.sentence != first.sentence:
            continue
        lead_end = min(after.start, first.end + _HEAD_GLUE + 60)
        if not may_trigger(text, first.end, lead_end):
            continue
        for j in range(i + 1, min(i + 1 + _REACH, len(mentions))):
            second = mentions[j]
            if second.sentence != first.sentence:
                break
            between = text[first.end : second.start]
            # the tail's list: other mentions between the trigger and the tail are list items
            blanked = between
            for other in reversed(mentions[i + 1 : j]):
                blanked = blanked[: other.start - first.end] + " " * (other.end - other.start) + blanked[other.end - first.end :]
            lead = min(after.start - first.end, _HEAD_GLUE + 60)
            for relation, head_first, trigger in _TRIGGERS:
                head, tail = (first, second) if head_first else (second, first)
                if not allowed(relation, head.span.label_, tail.span.label_):
                    continue
                match = trigger.search(between, 0, lead)
                if (match is None or match.start() > _HEAD_GLUE or not _TAIL_GLUE.fullmatch(blanked, match.end())
                        or _NEW_CLAUSE.match(between, 0, match.start())):
                    continue
                (head_key, head_type), (tail_key, tail_type) = groups.entity(head.span), groups.entity(tail.span)
                # "X for Y" of a general X ("diffusion models for 3D generation") is no annotated
                # relation: the task of the paper's own system is
                if relation == "appliedTo" and head_key not in groups.introduced():
                    break
                if head_key != tail_key and allowed(relation, head_type, tail_type):
                    found.append(Finding(head_key, relation, tail_key, *bounds(first.sentence), match.group().strip(), CONFIDENCE, COMPONENT))
                break
    return found
