"""What the relation rules read and write: a sentence's mentions, the Doc's entity
groups, and `Finding`, one relation between two entities (the rules' and the relation
classifier's alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc, Span

from extractors.aggregate import group_mentions, group_types, normalise_name
from extractors.offsets import span_text, spans_of
from extractors.roles import INTRODUCED_SPANS

__all__ = ["COMPONENT", "CONFIDENCE", "Finding", "RuleMention", "EntityGroups"]

COMPONENT = "kg_relations/patterns"
CONFIDENCE = 0.6


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


class RuleMention(NamedTuple):
    span: Span
    start: int  # Doc characters
    end: int
    sentence: int


class EntityGroups:
    """The Doc's entity groups, computed on the first rule that fires."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.key_of: dict[tuple[int, int], str] | None = None
        self.type_of: dict[str, str] = {}

    def entity(self, span: Span) -> tuple[str, str]:
        """(group key, voted type) of the mention ``span``."""
        if self.key_of is None:
            self.type_of = group_types(self.doc)
            self.key_of = {}
            for key, members in group_mentions(self.doc).items():
                self.key_of.update(((s.start, s.end), key) for s, _, _ in members)
        key = self.key_of.get((span.start, span.end))
        if key is None:  # a mention no group holds: its own name
            key = normalise_name(span_text(span))
        voted = self.type_of.get(key)
        return key, voted if voted is not None else span.label_  # a label's text is a string store lookup

    def introduced(self) -> set[str]:
        """The keys of the entities the paper introduces."""
        return {self.entity(span)[0] for span in spans_of(self.doc, INTRODUCED_SPANS)}
