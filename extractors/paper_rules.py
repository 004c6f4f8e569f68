"""The paper rules of the ``fast`` profile's relations: the paper read as a whole, the
way the guidelines annotate it (four in five relations of the training papers start at
the introduced entity). See `paper_findings`.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc

from extractors.candidates import TITLE_CHARS
from extractors.keyword_gate import KeywordGate
from extractors.offsets import spans_of
from extractors.relation_findings import COMPONENT, CONFIDENCE, EntityGroups, Finding, RuleMention
from extractors.relation_patterns import OWN_SUBJECT
from extractors.roles import INTRODUCED_SPANS

__all__ = ["paper_findings"]

_EVALUATION = re.compile(r"(?<![\w-])(?:evaluat\w*|experiments?|results?|achiev\w*|state-of-the-art|outperform\w*|accuracy|tested)(?![\w-])", re.IGNORECASE)
_ACTORS = frozenset({"Method", "Model"})
# what a sentence about the paper's own system says before a tail of each type: an evaluation
# anywhere after the subject, a task's "for"/"address" right before it
_APPLYING = re.compile(r"(?<![\w-])(?:for|address(?:es|ing)?|tackl(?:e|es|ing)|solv(?:e|es|ing))(?![\w-])", re.IGNORECASE)
_DATA = frozenset({"Dataset", "Benchmark"})
_BEATING = re.compile(r"(?<![\w-])(?:outperform\w*|(?:improv\w*|gains?|advantages?) over|improv(?:es|ed|ing) (?:up)?on|surpass\w*|beat(?:s|ing)?|better than|superior to|exceed\w*)(?![\w-])", re.IGNORECASE)
_BASING = re.compile(
    r"(?<![\w-])(?:based on|built (?:up)?on|builds? (?:up)?on|on top of|extends|extending|an extension of|a variant of"
    r"|fine-?tuned (?:from|on top of)|initiali[sz]ed (?:from|with)|derived from|distilled from|inspired by"
    r"|leverag(?:es|ing)|integrat(?:es|ing)|combin(?:es|ing)|incorporat(?:es|ing)|employ(?:s|ing))(?![\w-])",
    re.IGNORECASE,
)
# a word every match of each holds (test: tests/test_extract_keyword_gate.py)
BEATING_GATE = KeywordGate(("outperform", "improv", "gain", "advantage", "surpass", "beat", "better than", "superior to", "exceed"))
BASING_GATE = KeywordGate((
    "based on", "buil", "on top of", "extend", "extension of", "variant of", "tuned", "initiali", "derived from",
    "distilled from", "inspired by", "leverag", "integrat", "combin", "incorporat", "employ",
))
# "a GraphNet-based reasoner"
_BASED_AFTER = re.compile(r"[- ](?:based|powered|driven|augmented|enhanced)\b", re.IGNORECASE)
_BEAT_REACH = 200  # characters from "outperforms" to its tail ("outperforms strong baselines such as A")
_BASE_REACH = 60
# what ends the trigger's reach: "beats A on B", "built on A by B", "outperforms methods that use B"
_CLAUSE_BREAK = re.compile(r"[;:]|\b(?:on|in|by|while|but|which|that|to)\b")


def _cue_before(cue: re.Pattern, gate: KeywordGate, text: str, start: int, end: int, reach: int) -> re.Match | None:
    """The last ``cue`` in ``text[start:end]`` when at most ``reach`` characters and no
    clause break ("on", "by", "which", a colon...) stand between it and ``end``
    (``gate``: the words every match of ``cue`` holds)."""
    first = max(start, end - reach - 40)
    if not gate.may_match(text[first:end]):
        return None
    last = None
    for last in cue.finditer(text, first, end):
        pass
    if last is None or end - last.end() > reach or _CLAUSE_BREAK.search(text, last.end(), end):
        return None
    return last


def _own_system(introduced: list[tuple[str, str]]) -> tuple[str | None, bool]:
    """(key, whether it is a Method or Model) of the paper's own system, of its introduced
    (key, type) pairs: the first Method or Model, else the first Dataset or Benchmark."""
    for wanted in (_ACTORS, _DATA):
        for key, entity_type in introduced:
            if entity_type in wanted:
                return key, wanted is _ACTORS
    return None, False


def paper_findings(doc: Doc, mentions: list[RuleMention], text: str, bounds, groups: EntityGroups) -> list[Finding]:
    """The paper's own system as the head of the relations the guidelines give it.

    - evaluatedOn: every Dataset or Benchmark of a sentence that speaks of evaluation;
    - appliedTo: every Task of the title, every Task the paper names more than once or in a
      sentence that speaks of evaluation, and a Task right after "for"/"address" in a
      sentence about it;
    - outperforms: a Method or Model after "outperforms"/"surpasses"/"gains over" in a
      sentence about it (these two from the system's named Model where it introduces one);
    - basedOn: a Method or Model right after "based on"/"leverages"/"built on" or right
      before "-based"/"-driven" in one, and one whose name the system's begins with
      ("LoRA-Pro", "LoRA").

    A sentence is about the system when the system, or an own subject ("we", "our model",
    "it"), stands before the tail. A Dataset or Benchmark the paper introduces (no Method or
    Model) heads only appliedTo, and every Method or Model of a sentence that names it and
    speaks of evaluation is evaluated on it.
    """
    introduced = [groups.entity(span) for span in spans_of(doc, INTRODUCED_SPANS)]
    if not introduced:
        return []
    own, actor = _own_system(introduced)
    if own is None:
        return []
    # what is evaluated and compared is the named model a paper releases ("OVM", a method, and
    # "OVM-7B", its model: "our OVM-7B achieves ... on GSM8K")
    tested = next((key for key, entity_type in introduced if entity_type == "Model"), own)
    entities = [groups.entity(mention.span) for mention in mentions]
    mentioned = Counter(key for key, _ in entities)
    own_ends: dict[int, int] = {}  # sentence -> end of the first mention of the system or its model in it
    for mention, (key, _) in zip(mentions, entities):
        if key == own or key == tested:
            own_ends.setdefault(mention.sentence, mention.end)
    title_end = doc.user_data.get(TITLE_CHARS, 0)
    found = []
    subjects: dict[int, re.Match | None] = {}  # each sentence's first own subject
    evaluations: dict[int, re.Match | None] = {}  # each sentence's first word of evaluation

    def anchor(mention: RuleMention) -> int | None:
        """Where the system, or an own subject, ends before ``mention`` in its sentence."""
        own_end = own_ends.get(mention.sentence)
        if own_end is not None and own_end <= mention.start:
            return own_end
        if mention.sentence not in subjects:
            subjects[mention.sentence] = OWN_SUBJECT.search(text, *bounds(mention.sentence))
        subject = subjects[mention.sentence]
        return subject.end() if subject is not None and subject.end() <= mention.start else None

    # the guidelines allow each of these relations from a Method or Model to these tails, and
    # appliedTo from a Dataset or Benchmark
    for mention, (key, entity_type) in zip(mentions, entities):
        if key == own or key == tested:
            continue
        if entity_type == "Task":
            if mention.start < title_end or mentioned[key] > 1:
                # the task of the title is the paper's, and so is one the paper names again and
                # again: no trigger words say so
                found.append(Finding(own, "appliedTo", key, *bounds(mention.sentence), "", CONFIDENCE, COMPONENT))
                continue
            relation, after = "appliedTo", anchor(mention)
            signal = None if after is None else _APPLYING.search(text, max(after, mention.start - 25), mention.start)
            if signal is None:
                if mention.sentence not in evaluations:
                    evaluations[mention.sentence] = _EVALUATION.search(text, *bounds(mention.sentence))
                signal = evaluations[mention.sentence]
        elif not actor:
            if entity_type in _ACTORS and mention.sentence in own_ends:
                if mention.sentence not in evaluations:
                    evaluations[mention.sentence] = _EVALUATION.search(text, *bounds(mention.sentence))
                cue = evaluations[mention.sentence]
                if cue is not None:
                    found.append(Finding(key, "evaluatedOn", own, *bounds(mention.sentence), cue.group(), CONFIDENCE, COMPONENT))
            continue
        elif entity_type in _DATA:
            if mention.sentence not in evaluations:
                evaluations[mention.sentence] = _EVALUATION.search(text, *bounds(mention.sentence))
            relation, signal = "evaluatedOn", evaluations[mention.sentence]
        elif entity_type in _ACTORS:
            if len(key) > 2 and own.startswith(key):  # "LoRA-Pro", "LoRA": a variant named after its base
                found.append(Finding(own, "basedOn", key, *bounds(mention.sentence), "", CONFIDENCE, COMPONENT))
            after = anchor(mention)
            if after is None:
                continue
            based = _BASED_AFTER.match(text, mention.end)
            if based is not None:
                found.append(Finding(own, "basedOn", key, *bounds(mention.sentence), based.group().strip("- "), CONFIDENCE, COMPONENT))
            relation, signal = "outperforms", _cue_before(_BEATING, BEATING_GATE, text, after, mention.start, _BEAT_REACH)
            if signal is None:
                relation, signal = "basedOn", _cue_before(_BASING, BASING_GATE, text, after, mention.start, _BASE_REACH)
        else:
            continue
        if signal is not None:
            head = tested if relation in ("evaluatedOn", "outperforms") else own
            found.append(Finding(head, relation, key, *bounds(mention.sentence), signal.group(), CONFIDENCE, COMPONENT))
    return found
