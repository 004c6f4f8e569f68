"""From one processed Doc (title + blank line + abstract) to a `PaperExtraction`.

Mentions are grouped into entities by their normalised text (case, spaces, hyphens and
a final plural "s" folded, as the guidelines' matching does) and by the abbreviation
pairs the text defines, so "Direct Nash Optimization" and "DNO" become one entity
named by its fullest form with the other forms as aliases. An entity takes the type
most of its mention weight votes for (a type the text's own word gives weighs most), and is ``introduced`` if any mention is.
Relations found by the ``kg_relations`` component (keyed by the same groups) become
`Relation` records between the entity names, with their evidence sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from functools import lru_cache

from spacy.tokens import Doc, Span

from extractors.abbreviations import LONG_FORMS, SHORT_FORMS
from extractors.candidates import ENTITY_SPANS, TITLE_CHARS
from extractors.offsets import span_store, span_text, spans_of, text_of
from extractors.records import Entity, Evidence, Mention, PaperExtraction, Relation
from extractors.roles import INTRODUCED_SPANS
from extractors.sentences import sentence_starts

__all__ = ["FIELD_SEPARATOR", "RELATION_FINDINGS", "normalise_name", "group_mentions", "group_types", "typing_sources", "vote_type",
           "doc_to_extraction"]

FIELD_SEPARATOR = "\n\n"  # between title and abstract in the one Doc per paper
# doc.user_data key: the relation component's findings (extractors.relations.Finding)
RELATION_FINDINGS = "kg_relation_findings"
# the text's own word ("REFUTE, a benchmark") outvotes the guesses of the other mentions
_TYPING_WEIGHT = {"word": 4.0, "context": 1.0, "prior": 1.0, "name": 1.0, "default": 0.5}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,4}s?$")
_FOLD = re.compile(r"[\s\-\u2010-\u2015_]+")
_LEADING_THE = re.compile(r"^the\s+")
_GROUPED = "grouped mentions"  # span_store key: (the entity Span list, its groups)
_TYPED = "group types"  # span_store key: (the groups, their voted types)
_SOURCES = "typing sources"  # span_store key: (the entity Span list, how each mention got its type)


# names repeat across papers (a field's vocabulary of names); bounded, so memory stays flat
@lru_cache(maxsize=65_536)
def normalise_name(text: str) -> str:
    """The key under which two surface forms count as the same name.

    Examples
    --------
    >>> normalise_name("Large Language Models") == normalise_name("large-language model")
    True
    >>> normalise_name("the MMLU")
    'mmlu'
    """
    key = _FOLD.sub("", _LEADING_THE.sub("", text.lower().strip().rstrip(".")))
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


class _Groups:
    """Union-find over name keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _sentence_index(doc: Doc, abstract_start: int) -> tuple[list[int], list[tuple[str, int]]]:
    """Sentence start characters, and for each its (field, index within the field)."""
    starts = sentence_starts(doc)
    title_sentences = bisect_right(starts, abstract_start - 1)
    where = [("title", k) if k < title_sentences else ("abstract", k - title_sentences) for k in range(len(starts))]
    return starts, where


def _mention(text: str, start_char: int, end_char: int, component: str, confidence: float, where: tuple[str, int],
             abstract_start: int) -> Mention:
    field, sentence = where
    shift = 0 if field == "title" else abstract_start
    mention_text = text[start_char:end_char]
    if mention_text.endswith(".") and len(mention_text) > 2:
        mention_text = mention_text[:-1]  # the tokenizer keeps "R." of "MusicRL-R." together
    return Mention(mention_text, field, start_char - shift, start_char - shift + len(mention_text), sentence, round(confidence, 4),
                   component)


def doc_to_extraction(doc: Doc, *, paper_id: str, title: str, extractor: str, version: str) -> PaperExtraction:
    """The records of one paper's Doc (text = title + `FIELD_SEPARATOR` + abstract)."""
    title_chars = doc.user_data.get(TITLE_CHARS, len(title))
    abstract_start = title_chars + len(FIELD_SEPARATOR)
    if not spans_of(doc, ENTITY_SPANS):
        return PaperExtraction(paper_id, title, (), (), extractor, version)
    introduced = {(s.start, s.end) for s in spans_of(doc, INTRODUCED_SPANS)}
    typed_by = typing_sources(doc)
    starts, where_of = _sentence_index(doc, abstract_start)
    text = text_of(doc)
    records = []
    names: dict[str, str] = {}
    types = group_types(doc)
    for root, spans in group_mentions(doc).items():
        if _bare_acronym(spans, typed_by, introduced):
            continue
        if len(spans) == 1:  # most entities: one mention, its text the name, no aliases
            span, component, confidence = spans[0]
            start_char = span.start_char
            mention = _mention(text, start_char, span.end_char, component, confidence,
                               where_of[max(0, bisect_right(starts, start_char) - 1)], abstract_start)
            records.append(Entity(mention.text, types[root], "introduced" if (span.start, span.end) in introduced else "used", (),
                                  (mention,), round(confidence, 4)))
            names[root] = mention.text
            continue
        forms: dict[str, str] = {}
        mentions = []
        for span, component, confidence in spans:
            start_char = span.start_char
            mention = _mention(text, start_char, span.end_char, component, confidence,
                               where_of[max(0, bisect_right(starts, start_char) - 1)], abstract_start)
            mentions.append(mention)
            forms.setdefault(normalise_name(mention.text), mention.text)
        name = max(forms.values(), key=lambda form: (len(form.split()), len(form)))
        aliases = tuple(sorted((form for form in forms.values() if form != name), key=str.lower))
        records.append(
            Entity(
                name=name,
                type=types[root],
                role="introduced" if any((s.start, s.end) in introduced for s, _, _ in spans) else "used",
                aliases=aliases,
                mentions=tuple(mentions),
                confidence=round(max(c for _, _, c in spans), 4),
            )
        )
        names[root] = name
    relations = _relations(doc, names, starts, where_of, abstract_start)
    return PaperExtraction(paper_id, title, tuple(records), relations, extractor, version)


def typing_sources(doc: Doc) -> dict[tuple[int, int], str]:
    """How each entity mention got its type (token span -> "word", "context", ...).

    Computed once per entity list (the group types and the records both ask); callers must
    not change it.
    """
    entities = spans_of(doc, ENTITY_SPANS)
    store = span_store(doc)
    kept = store.get(_SOURCES)
    if kept is not None and kept[0] is entities:
        return kept[1]
    sources = dict(zip(((s.start, s.end) for s in entities), doc.spans[ENTITY_SPANS].attrs.get("typed_by", ()) if entities else ()))
    store[_SOURCES] = (entities, sources)
    return sources


def vote_type(members: list[tuple[Span, str, float]], typed_by: dict[tuple[int, int], str]) -> str:
    """The type most of an entity's mention weight votes for (see `_TYPING_WEIGHT`)."""
    if len(members) == 1:  # most entities: one mention, one vote
        return members[0][0].label_
    votes: dict[str, float] = defaultdict(float)
    for span, _, confidence in members:
        votes[span.label_] += confidence * _TYPING_WEIGHT.get(typed_by.get((span.start, span.end)), 1.0)
    return max(votes, key=lambda t: (votes[t], t))


def _bare_acronym(spans: list[tuple[Span, str, float]], typed_by: dict, introduced: set) -> bool:
    """An acronym that only its shape found, that the text neither expands, types nor
    claims ("SAT", "ROS", "MAE"): as often a test, a unit or an organisation as a method."""
    if spans[0][1] != "kg_names":
        return False  # most entities: their first mention says no (without a generator's set-up)
    return all(
        component == "kg_names"
        and typed_by.get((span.start, span.end)) == "default"
        and (span.start, span.end) not in introduced
        and _ACRONYM.match(span_text(span)) is not None
        for span, component, _ in spans
    )


def group_mentions(doc: Doc) -> dict[str, list[tuple[Span, str, float]]]:
    """The mentions of ``doc.spans["kg_entities"]`` grouped into entities, in order of
    first mention: group key -> [(span, component, confidence)].

    Computed once per entity list (the relation rules and the records both ask); callers
    must not change it.
    """
    entities = spans_of(doc, ENTITY_SPANS)
    store = span_store(doc)
    grouped = store.get(_GROUPED)
    if grouped is not None and grouped[0] is entities:
        return grouped[1]
    attrs = doc.spans[ENTITY_SPANS].attrs if entities else {}
    components = attrs.get("components", ["?"] * len(entities))
    confidences = attrs.get("confidences", [0.5] * len(entities))
    groups = _Groups()
    text = text_of(doc)
    for long_span, short_span in zip(spans_of(doc, LONG_FORMS), spans_of(doc, SHORT_FORMS)):
        groups.union(normalise_name(text[short_span.start_char : short_span.end_char]),
                     normalise_name(text[long_span.start_char : long_span.end_char]))
    members: dict[str, list[tuple[Span, str, float]]] = {}
    for span, component, confidence in zip(entities, components, confidences):
        key = groups.find(normalise_name(text[span.start_char : span.end_char]))
        members.setdefault(key, []).append((span, component, float(confidence)))
    store[_GROUPED] = (entities, members)
    return members


def group_types(doc: Doc) -> dict[str, str]:
    """The type each group of `group_mentions` votes for (`vote_type`), computed once per
    entity list (the relation rules and the records both ask); callers must not change it."""
    members = group_mentions(doc)
    store = span_store(doc)
    typed = store.get(_TYPED)
    if typed is not None and typed[0] is members:
        return typed[1]
    typed_by = typing_sources(doc)
    types = {key: vote_type(spans, typed_by) for key, spans in members.items()}
    store[_TYPED] = (members, types)
    return types


def _relations(doc: Doc, names: dict[str, str], starts: list[int], where_of, abstract_start: int) -> tuple[Relation, ...]:
    """`Relation` records from the relation component's findings (keyed by group)."""
    found = []
    for item in doc.user_data.get(RELATION_FINDINGS, ()):
        head, tail = names.get(item.head), names.get(item.tail)
        if head is None or tail is None or head == tail:
            continue
        field, sentence = where_of[max(0, bisect_right(starts, item.start) - 1)]
        shift = 0 if field == "title" else abstract_start
        text = doc.user_data.get("kg_text") or doc.text
        evidence = Evidence(field, sentence, item.start - shift, item.end - shift, text[item.start : item.end], item.trigger)
        found.append(Relation(head, item.relation, tail, evidence, round(item.confidence, 4), item.component))
    return tuple(found)
