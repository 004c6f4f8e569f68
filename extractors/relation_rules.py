"""The ``fast`` profile's relations: a few precise patterns, no statistical model.

The pair rules read two mentions of one sentence, in text order, and the words between
them: the head's words, up to 40 characters of them and no other mention (", a
retrieval model,"), then the trigger, then only list glue and other list items before
the tail ("outperforms strong baselines such as A, B and C"). Their triggers are the
unambiguous ones of `extractors.relation_patterns` (measured on the fast profile's
entities of the training papers: right about twice as often as every trigger word of
the classifier's features).

The paper rules read the paper as a whole, the way the guidelines annotate it (four in
five relations of the training papers start at the introduced entity): the paper's own
system (its first introduced Method or Model; its named Model for what is evaluated) is
evaluated on every Dataset or Benchmark of a sentence that speaks of evaluation
("Experiments on A, B and C"), applied to the Tasks of the title, of such a sentence and
those the paper names more than once, based on a Method or Model its name begins with
("LoRA-Pro", "LoRA"), and, in a sentence about it ("we", "it", "our model" or its name
before the tail), applied to the Task after "for"/"address", better than the Method or
Model after "outperforms"/"gains over" and based on the one right after "based
on"/"leverages"/"built on" or before "-based" (see `_own_findings`).

The rules scan mention pairs and their gaps with a few regular expressions; the entity
groups of `extractors.aggregate` are computed only for a Doc where a pair rule fires or
that introduces a system.

Examples
--------
>>> import spacy
>>> from spacy.tokens import Span
>>> from extractors.sentences import split_sentences
>>> doc = split_sentences(spacy.blank("en")("ToolX clearly outperforms BaseNet and OldNet on QuestBench."))
>>> doc.spans["kg_entities"] = [Span(doc, 0, 1, "Method"), Span(doc, 3, 4, "Method"), Span(doc, 5, 6, "Method"), Span(doc, 7, 8, "Benchmark")]
>>> [(f.head, f.relation, f.tail, f.trigger) for f in rule_findings(doc)]
[('toolx', 'outperforms', 'basenet', 'clearly outperforms'), ('toolx', 'outperforms', 'oldnet', 'clearly outperforms')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc, Span

from extractors.aggregate import group_mentions, normalise_name, typing_sources, vote_type
from extractors.candidates import ENTITY_SPANS, TITLE_CHARS
from extractors.offsets import span_text, spans_of, text_of
from extractors.relation_features import allowed
from extractors.relation_patterns import OWN_SUBJECT
from extractors.roles import INTRODUCED_SPANS
from extractors.sentences import sentence_starts

__all__ = ["Finding", "COMPONENT", "CONFIDENCE", "rule_findings"]

COMPONENT = "kg_relations/patterns"
CONFIDENCE = 0.6
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
# what may follow the trigger before the tail: articles, list glue, "(strong) baselines such as"
_TAIL_GLUE = re.compile(
    r"(?:\s|,|\(|\)|\band\b|\bor\b|\bthe\b|\ba\b|\ban\b|\bstrong\b|\bexisting\b|\bprior\b|\bprevious\b|\bbaselines?\b|\bsuch as\b"
    r"|\bincluding\b|\blike\b|\bboth\b|\bmodels?\b|\bmethods?\b|\bwidely[- ]used\b|\bpopular\b|\bseveral\b|\bstandard\b"
    r"|\bbenchmarks?\b|\bdatasets?\b|\btasks?\b|\bof\b|\bas well as\b)*",
    re.IGNORECASE,
)
_EVALUATION = re.compile(r"(?<![\w-])(?:evaluat\w*|experiments?|results?|achiev\w*|state-of-the-art|outperform\w*|accuracy|tested)(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One relation between two entities of a Doc (keys of ``group_mentions``, or the
    entity names of `extractors.relation_features.record_views`); the rules' and the
    classifier's (`extractors.relations`) alike."""

    head: str
    relation: str
    tail: str
    start: int  # evidence sentence, Doc characters
    end: int
    trigger: str
    confidence: float
    component: str


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
# "a GraphNet-based reasoner"
_BASED_AFTER = re.compile(r"[- ](?:based|powered|driven|augmented|enhanced)\b", re.IGNORECASE)
_BEAT_REACH = 200  # characters from "outperforms" to its tail ("outperforms strong baselines such as A")
_BASE_REACH = 60
# what ends the trigger's reach: "beats A on B", "built on A by B", "outperforms methods that use B"
_CLAUSE_BREAK = re.compile(r"[;:]|\b(?:on|in|by|while|but|which|that|to)\b")


class _Mention(NamedTuple):
    span: Span
    start: int  # Doc characters
    end: int
    sentence: int


class _Groups:
    """The Doc's entity groups, computed on the first rule that fires."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.key_of: dict[tuple[int, int], str] | None = None
        self.type_of: dict[str, str] = {}

    def entity(self, span: Span) -> tuple[str, str]:
        """(group key, voted type) of the mention ``span``."""
        if self.key_of is None:
            typed_by = typing_sources(self.doc)
            self.key_of = {}
            for key, members in group_mentions(self.doc).items():
                self.type_of[key] = vote_type(members, typed_by)
                self.key_of.update(((s.start, s.end), key) for s, _, _ in members)
        key = self.key_of.get((span.start, span.end))
        if key is None:  # a mention no group holds: its own name
            key = normalise_name(span_text(span))
        return key, self.type_of.get(key, span.label_)

    def introduced(self) -> set[str]:
        """The keys of the entities the paper introduces."""
        return {self.entity(span)[0] for span in spans_of(self.doc, INTRODUCED_SPANS)}


def _pair_findings(mentions: list[_Mention], text: str, bounds, groups: _Groups) -> list[Finding]:
    found = []
    for i, first in enumerate(mentions[:-1]):
        # every rule's trigger stands before the next mention: most heads stop at one search
        after = mentions[i + 1]
        if after.sentence != first.sentence or _ANY_TRIGGER.search(text, first.end, min(after.start, first.end + _HEAD_GLUE + 60)) is None:
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


def _cue_before(cue: re.Pattern, text: str, start: int, end: int, reach: int) -> re.Match | None:
    """The last ``cue`` in ``text[start:end]`` when at most ``reach`` characters and no
    clause break ("on", "by", "which", a colon...) stand between it and ``end``."""
    last = None
    for last in cue.finditer(text, max(start, end - reach - 40), end):
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


def _own_findings(doc: Doc, mentions: list[_Mention], text: str, bounds, groups: _Groups) -> list[Finding]:
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

    def anchor(mention: _Mention) -> int | None:
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
            relation, signal = "outperforms", _cue_before(_BEATING, text, after, mention.start, _BEAT_REACH)
            if signal is None:
                relation, signal = "basedOn", _cue_before(_BASING, text, after, mention.start, _BASE_REACH)
        else:
            continue
        if signal is not None:
            head = tested if relation in ("evaluatedOn", "outperforms") else own
            found.append(Finding(head, relation, key, *bounds(mention.sentence), signal.group(), CONFIDENCE, COMPONENT))
    return found


def rule_findings(doc: Doc) -> list[Finding]:
    """The relations the rules read in ``doc`` (keyed by entity group), each pair once."""
    spans = spans_of(doc, ENTITY_SPANS)
    if len(spans) < 2:
        return []
    text = text_of(doc)
    starts = sentence_starts(doc)
    mentions = [_Mention(span, span.start_char, span.end_char, bisect_right(starts, span.start_char) - 1) for span in spans]

    def bounds(sentence: int) -> tuple[int, int]:
        end = starts[sentence + 1] if sentence + 1 < len(starts) else len(text)
        return starts[sentence], len(text[starts[sentence] : end].rstrip()) + starts[sentence]

    groups = _Groups(doc)
    found, seen = [], set()
    for finding in (*_pair_findings(mentions, text, bounds, groups), *_own_findings(doc, mentions, text, bounds, groups)):
        key = (finding.head, finding.relation, finding.tail)
        if key not in seen:
            seen.add(key)
            found.append(finding)
    return found
