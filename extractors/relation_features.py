"""Candidate entity pairs of one paper and the features that describe each.

A candidate is an ordered pair (head, tail) of two entities of one Doc whose types
allow at least one relation (`ALLOWED`: evaluatedOn goes from a Method/Model to a
Dataset/Benchmark, appliedTo from a Method/Model/Dataset/Benchmark to a Task, basedOn
between Methods, Models, Datasets and Benchmarks, outperforms between Methods and
Models). The pair needs a *context*, a sentence that ties the two together:

* ``same``: a sentence mentions both (the nearest two mentions are read);
* ``own``: the head is one of the paper's own systems (introduced, or a Method/Model
  named in the title) and the sentence mentions the tail but not the head; when that
  sentence has the paper's own system as its subject ("Our model ... on Y", "We ... Y",
  "It ...") its trigger words count: the introduced entity is the default subject of
  "our model/method/approach".

Features are strings (types, roles, the words between, trigger hits of
`extractors.relation_patterns`, the word before each mention, list membership) that the
classifier of `extractors.sparse_logistic` weighs, and what the whole paper says of the
pair, joined with its types: whether the head is the paper's main or an introduced
system, whether the two share a sentence, the tail's standing (rivals of its type, where
it first stands, the title), the relations its sentences signal, and where its sentences
stand in the abstract's story (`extractors.relation_discourse`). A relation of the
paper's own system is often read across sentences (a third of the annotated ones): a
benchmark in the results sentence, a task in the title. The context with the strongest
trigger gives the evidence sentence.
"""

from __future__ import annotations

from collections.abc import Iterator

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span

from extractors.aggregate import FIELD_SEPARATOR, group_mentions, typing_sources, vote_type
from extractors.candidates import TITLE_CHARS
from extractors.offsets import span_at, span_text, text_of
from extractors.records import Entity
from extractors.relation_discourse import contribution, family, own_work_start, story_features
from extractors.relation_patterns import LIST_GLUE, OWN_SUBJECT, Trigger, between_triggers, sentence_triggers
from extractors.roles import INTRODUCED_SPANS
from extractors.sentences import sentence_starts

__all__ = ["ALLOWED", "EntityView", "PairContext", "PairCandidate", "entity_views", "record_views", "pair_candidates", "allowed"]

_ACTORS = frozenset({"Method", "Model"})
_DATA = frozenset({"Dataset", "Benchmark"})
_SYSTEMS = _ACTORS | _DATA
ALLOWED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "basedOn": (_SYSTEMS, _SYSTEMS),
    "evaluatedOn": (_ACTORS, _DATA),
    "appliedTo": (_SYSTEMS, frozenset({"Task"})),
    "outperforms": (_ACTORS, _ACTORS),
}
_ALLOWED_PAIRS = frozenset((h, t) for heads, tails in ALLOWED.values() for h in heads for t in tails)
_WORD = re.compile(r"[\w][\w\-]*|[^\w\s]")
_FOLD = re.compile(r"[\s\-_]+")
_MAX_OWN = 5  # own systems per paper; a paper introduces one to three, a pathological text hundreds
# In a sentence with more entities than a real one has (lists of a few dozen at most),
# pair each entity only with its nearest neighbours in text order: all pairs would be
# quadratic in a pathological sentence of thousands of names.
_MAX_SENTENCE_PAIRING = 40
_NEIGHBOURS = 8


def _any_allowed(head_type: str, tail_type: str) -> bool:
    return (head_type, tail_type) in _ALLOWED_PAIRS


def allowed(relation: str, head_type: str, tail_type: str) -> bool:
    """Whether the guidelines' type constraints let ``relation`` join these types.

    Examples
    --------
    >>> allowed("evaluatedOn", "Model", "Benchmark"), allowed("evaluatedOn", "Task", "Benchmark")
    (True, False)
    """
    heads, tails = ALLOWED[relation]
    return head_type in heads and tail_type in tails


@dataclass
class EntityView:
    """One entity of the Doc as the relation component sees it."""

    key: str  # the group key of `extractors.aggregate.group_mentions`
    type: str
    introduced: bool
    spans: list[Span]
    sentences: list[int]  # sentence index of each span
    by_sentence: dict[int, list[Span]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for span, sentence in zip(self.spans, self.sentences):
            self.by_sentence.setdefault(sentence, []).append(span)


@dataclass(frozen=True)
class PairContext:
    kind: str  # "same" or "own"
    sentence: int
    start: int  # sentence span, characters of the Doc text
    end: int
    triggers: tuple[Trigger, ...]


@dataclass
class PairCandidate:
    head: EntityView
    tail: EntityView
    contexts: list[PairContext] = field(default_factory=list)
    features: set[str] = field(default_factory=set)


def entity_views(doc: Doc) -> list[EntityView]:
    """The entities of ``doc`` (grouped mentions), typed as the records will be."""
    introduced = {(s.start, s.end) for s in doc.spans.get(INTRODUCED_SPANS, [])}
    starts = sentence_starts(doc)
    typed_by = typing_sources(doc)
    views = []
    for key, members in group_mentions(doc).items():
        spans = [span for span, _, _ in members]
        views.append(
            EntityView(
                key=key,
                type=vote_type(members, typed_by),
                introduced=any((s.start, s.end) in introduced for s in spans),
                spans=spans,
                sentences=[bisect_right(starts, s.start_char) - 1 for s in spans],
            )
        )
    return views


def _occurrences(text: str, form: str) -> Iterator[tuple[int, int]]:
    """Where ``form`` stands in ``text`` as whole words (by `str.find`: a regular
    expression per name would be compiled for every paper)."""
    start = text.find(form) if form else -1
    while start != -1:
        end = start + len(form)
        if not (start and _in_word(text[start - 1])) and not (end < len(text) and _in_word(text[end])):
            yield start, end
        start = text.find(form, start + 1)


def _in_word(char: str) -> bool:
    return char.isalnum() or char in "_-"


def record_views(doc: Doc, entities: tuple[Entity, ...]) -> list[EntityView]:
    """The final entities of a paper's record (after the ``accurate`` profile's span
    classifier and filter: their names, types and roles) on its Doc, keyed by name.

    A mention's offsets are characters of its field; the Doc is the title,
    `FIELD_SEPARATOR` and the abstract. Every other occurrence of an entity's name or
    alias that no mention covers counts too (the span classifier keeps a window once, not
    each time the text repeats it).
    """
    text = text_of(doc)
    abstract_start = doc.user_data.get(TITLE_CHARS, 0) + len(FIELD_SEPARATOR)
    starts = sentence_starts(doc)
    covered = bytearray(len(text) + 1)
    placed = []
    for entity in entities:
        chars = []
        for mention in entity.mentions:
            shift = 0 if mention.field == "title" else abstract_start
            chars.append((mention.start + shift, mention.end + shift))
            covered[mention.start + shift : mention.end + shift] = b"\1" * (mention.end - mention.start)
        placed.append(chars)
    views = []
    for entity, chars in zip(entities, placed):
        for form in (entity.name, *entity.aliases):
            for start, end in _occurrences(text, form):
                if not any(covered[start:end]):
                    covered[start:end] = b"\1" * (end - start)
                    chars.append((start, end))
        spans = [span for span in (span_at(doc, start, end, entity.type) for start, end in chars) if span is not None]
        if spans:
            spans.sort(key=lambda s: s.start)
            views.append(EntityView(entity.name, entity.type, entity.role == "introduced", spans,
                                    [bisect_right(starts, s.start_char) - 1 for s in spans]))
    return views


# The features of a pair are pure functions of short strings (the words between two
# mentions, a sentence's prefix before a tail) that repeat within a paper: both orders of
# one pair share their gap, the paper's own systems share each tail's sentence. They are
# computed once per paper (`_Memo`); the feature strings come out in the order computed
# afresh. (A cache across papers would memorise a benchmark corpus, not speed up new text.)


class _Memo(dict):
    """One paper's memo: its own `functools.cache` of each pure feature function (made per
    paper, so nothing outlives it; C-level lookups, not a Python call per hit), and as a
    dict the readings of the own system's sentences (`_own_sentence`)."""

    def __init__(self):
        super().__init__()
        self.words = cache(_words)
        self.between_features = cache(_between_features)


def _words(text: str) -> tuple[str, ...]:
    if text.isascii():  # lower-casing first changes no word boundary: one call, not one per word
        return tuple(_WORD.findall(text.lower()))
    return tuple(w.lower() for w in _WORD.findall(text))


def _bin(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8+"


def _sentence_spans(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """(start, end) characters of every sentence, trailing whitespace left out."""
    spans = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
    return spans


def _between_features(between: str, words: tuple[str, ...], direction: str, types: str) -> tuple[tuple[str, ...], tuple[Trigger, ...], tuple[str, ...]]:
    """The features of the words between two mentions of one sentence (``words``, as
    `_words` reads them): (word features, triggers, trigger features)."""
    if len(words) <= 6:
        word_features = tuple(f"B:{direction}:{w}" for w in words)
    else:
        word_features = (*(f"BL:{direction}:{w}" for w in words[:3]), *(f"BR:{direction}:{w}" for w in words[-3:]))
    # items of a list after the trigger: "X is evaluated on A, B and C" reads the trigger
    # before the first item, so the words between keep it for every item
    triggers = tuple(between_triggers(between, head_first=direction == "hf"))
    trigger_features = []
    for trigger in triggers:
        trigger_features += [f"P:{direction}:{trigger.relation}", f"P:{direction}:{trigger.relation}:{types}",
                             f"PW:{direction}:{trigger.words.lower()}"]
    return word_features, triggers, tuple(trigger_features)


_BINS = ("0", "1", "2-3", "4-7", "8+")
# a pair's place in its sentence (direction, mentions between, tokens between): few enough to spell out once
_GAP_FEATURES = {(d, o, g): (f"S:{d}", f"S:{d}:others={o}", f"S:{d}:dist={g}") for d in ("hf", "tf") for o in _BINS for g in _BINS}


def _same_sentence(text: str, pair: PairCandidate, sentence: int, all_spans: list[Span], span_starts: list[int],
                   sentence_span: tuple[int, int], memo: _Memo, types: str) -> None:
    heads, tails = pair.head.by_sentence[sentence], pair.tail.by_sentence[sentence]
    if len(heads) == 1 and len(tails) == 1:  # the common case: nothing to choose
        h, t = heads[0], tails[0]
    else:
        h, t = min(((h, t) for h in heads for t in tails), key=lambda p: abs(p[0].start - p[1].start))
    head_first = h.start < t.start
    first, second = (h, t) if head_first else (t, h)
    between = text[first.end_char : second.start_char]
    # the mentions between the pair (all_spans is sorted and non-overlapping)
    others = all_spans[bisect_left(span_starts, first.end) : bisect_left(span_starts, second.start)]
    direction = "hf" if head_first else "tf"
    features = pair.features
    features.update(_GAP_FEATURES[direction, _bin(len(others)), _bin(second.start - first.end)])
    # "A, B and C": the pair are items of one list (siblings, not related)
    bare = between
    for other in reversed(others):
        bare = bare[: other.start_char - first.end_char] + " " + bare[other.end_char - first.end_char :]
    if LIST_GLUE.fullmatch(bare or " "):
        features.add("S:siblings")
    # both orders of a pair share the words between (read once), not the triggers
    word_features, triggers, trigger_features = memo.between_features(between, memo.words(between), direction, types)
    features.update(word_features)
    before = memo.words(text[max(0, first.start_char - 25) : first.start_char])[-1:]
    features.update(f"W0:{direction}:{w}" for w in before)
    after = memo.words(text[second.end_char : second.end_char + 25])[:1]
    features.update(f"W2:{direction}:{w}" for w in after)
    features.update(trigger_features)
    pair.contexts.append(PairContext("same", sentence, *sentence_span, triggers))


def _own_reading(prefix: str) -> tuple[bool, tuple[Trigger, ...], tuple[str, ...]]:
    """What the sentence ``prefix`` before a tail says when the head is the paper's own
    system named elsewhere: whether an own subject stands in it, the triggers that count
    (those after an own subject), the last two words."""
    own = OWN_SUBJECT.search(prefix) is not None
    return own, tuple(sentence_triggers(prefix)) if own else (), _words(prefix[-25:])[-2:]


def _own_features(reading: tuple[bool, tuple[Trigger, ...], tuple[str, ...]], types: str, tail_type: str) -> tuple[str, ...]:
    """The features of an `_own_reading` for a pair of these types."""
    own, triggers, before = reading
    features = ["X" if own else "X:noown", f"X:{own}:{types}"]
    for trigger in triggers:
        features += [f"XP:{trigger.relation}", f"XP:{trigger.relation}:{types}", f"XPW:{trigger.words.lower()}"]
    features += [f"XW:{w}" for w in before]
    if before:
        features.append(f"XW1:{before[-1]}:{tail_type}")
    return tuple(features)


def _own_sentence(text: str, pair: PairCandidate, sentence: int, sentence_span: tuple[int, int], memo: _Memo, types: str) -> None:
    # one reading (regular expressions) per tail mention, whichever own system heads the
    # pair; the features once per type pair; keyed by offsets, not by the prefix text
    start, end = sentence_span
    tail_start = pair.tail.by_sentence[sentence][0].start_char
    reading_key = ("own", start, tail_start)
    reading = memo.get(reading_key)
    if reading is None:
        reading = memo[reading_key] = (_own_reading(text[start:tail_start]), {})
    (own, triggers, before), typed = reading
    features = typed.get(types)
    if features is None:
        features = typed[types] = (_own_features((own, triggers, before), types, pair.tail.type),
                                   PairContext("own", sentence, start, end, triggers))
    pair.features.update(features[0])
    pair.contexts.append(features[1])


def _near_sentences(text: str, pair: PairCandidate, sentence: int, sentence_spans: list[tuple[int, int]], memo: _Memo,
                    types: str, head_first: bool) -> None:
    """A pair whose mentions stand in neighbouring sentences (the tail's is ``sentence``):
    the triggers of the tail's sentence before it, whoever its subject."""
    start, end = sentence_spans[sentence]
    tail_start = pair.tail.by_sentence[sentence][0].start_char
    key = ("near", start, tail_start)
    triggers = memo.get(key)
    if triggers is None:
        triggers = memo[key] = tuple(sentence_triggers(text[start:tail_start]))
    direction = "hf" if head_first else "tf"
    pair.features.update((f"NEAR:{types}", f"NEAR:{types}:{direction}", *(f"NP:{t.relation}:{types}" for t in triggers)))
    pair.contexts.append(PairContext("near", sentence, start, end, triggers))


def _forms(view: EntityView, forms: dict[int, frozenset[str]]) -> frozenset[str]:
    found = forms.get(id(view))
    if found is None:
        found = forms[id(view)] = frozenset(_FOLD.sub("", span_text(s).lower()) for s in view.spans)
    return found


def _naming(head_forms: frozenset[str], tail_forms: frozenset[str]) -> str:
    """How the two names relate: the tail's inside the head's ("LoRA-Pro", "LoRA": a variant
    is often named after what it is built on), the other way round, a shared beginning."""
    if any(len(t) >= 3 and t in h and t != h for h in head_forms for t in tail_forms):
        return "contains"
    if any(len(h) >= 3 and h in t and t != h for h in head_forms for t in tail_forms):
        return "inside"
    if any(len(h) >= 4 and len(t) >= 4 and h[:4] == t[:4] for h in head_forms for t in tail_forms):
        return "prefix"
    return ""


def _position(sentence: int, sentence_count: int) -> str:
    """Where a sentence stands: the title, early, middle or late (results come late)."""
    if sentence == 0:
        return "title"
    third = 3 * sentence // max(sentence_count, 1)
    return ("early", "middle", "late")[min(third, 2)]


def _paper_features(pair: PairCandidate, types: str, head_is_main: bool, shared: bool, standing: str) -> tuple[str, ...]:
    """What the whole paper says about a pair, each joined with the type pair ``types``
    (the relations differ by types): the head being the paper's main system or an
    introduced one, whether the two ever share a sentence, the tail's ``standing``
    (`_standing`), which relations the pair's sentences signal."""
    prefix = f"D:{types}:main={int(head_is_main)}{int(pair.head.introduced)}"
    signalled: dict[str, set[str]] = {"same": set(), "own": set(), "near": set()}
    for context in pair.contexts:
        signalled[context.kind].update(trigger.relation for trigger in context.triggers)
    same, own, near = ("+".join(sorted(signalled[kind])) for kind in ("same", "own", "near"))
    return (
        f"{prefix}:shared={int(shared)}",
        f"{prefix}:{standing}",
        f"{prefix}:same={same}:own={own}" + (f":near={near}" if near else ""),
    )


def _standing(tail: EntityView, type_counts: dict[str, int], sentence_count: int) -> str:
    """A tail's standing in its paper: how many entities of its type compete for its slot,
    where it first stands (results come late), whether the title names it."""
    return (f"rivals={_bin(type_counts[tail.type] - 1)}:at={_position(min(tail.by_sentence), sentence_count)}"
            f":title={int(0 in tail.by_sentence)}")


def _sentence_pairs(views: list[EntityView], sentence: int) -> Iterator[tuple[EntityView, EntityView]]:
    """Ordered pairs of the entities of one sentence: all of them, or only near neighbours
    (in order of first mention) when the sentence holds more than `_MAX_SENTENCE_PAIRING`."""
    if len(views) <= _MAX_SENTENCE_PAIRING:
        yield from ((h, t) for h in views for t in views if h is not t)
        return
    ordered = sorted(views, key=lambda v: v.by_sentence[sentence][0].start)
    for i, head in enumerate(ordered):
        for tail in ordered[max(0, i - _NEIGHBOURS): i + _NEIGHBOURS + 1]:
            if tail is not head:
                yield head, tail


def pair_candidates(doc: Doc, views: list[EntityView] | None = None) -> list[PairCandidate]:
    """Ordered entity pairs of ``doc`` that some relation allows and some sentence joins.

    The work follows the sentences (pairs within each) and the paper's own systems
    (at most `_MAX_OWN` of them, against every other entity), never all pairs of a
    long text's entities.
    """
    views = entity_views(doc) if views is None else views
    text = text_of(doc)
    sentence_spans = _sentence_spans(text, sentence_starts(doc))
    memo = _Memo()
    all_spans = sorted((s for v in views for s in v.spans), key=lambda s: s.start)
    span_starts = [s.start for s in all_spans]
    # the paper's main system: its first introduced entity, else the title's first Method/Model
    main = next((v for v in views if v.introduced), None) or next((v for v in views if 0 in v.sentences and v.type in _ACTORS), None)
    rank = {id(v): k for k, v in enumerate(views)}
    members: dict[int, list[EntityView]] = {}
    for view in views:
        for sentence in view.by_sentence:
            members.setdefault(sentence, []).append(view)
    pairs: dict[tuple[int, int], PairCandidate] = {}

    def pair_of(head: EntityView, tail: EntityView) -> PairCandidate | None:
        key = (rank[id(head)], rank[id(tail)])
        if key not in pairs:
            if not _any_allowed(head.type, tail.type):
                return None
            pairs[key] = PairCandidate(head, tail)
        return pairs[key]

    for sentence in sorted(members):
        for head, tail in _sentence_pairs(members[sentence], sentence):
            if (head.type, tail.type) in _ALLOWED_PAIRS:
                pair = pair_of(head, tail)
                _same_sentence(text, pair, sentence, all_spans, span_starts, sentence_spans[sentence], memo, f"{head.type}>{tail.type}")
    # the paper's own system: introduced, or a Method/Model the title names
    own = [v for v in views if v.introduced or (0 in v.by_sentence and v.type in _ACTORS)][:_MAX_OWN]
    for head in own:
        for tail in views:
            pair = None if head is tail else pair_of(head, tail)
            if pair is not None:
                for sentence in sorted(tail.by_sentence.keys() - head.by_sentence.keys()):
                    _own_sentence(text, pair, sentence, sentence_spans[sentence], memo, f"{head.type}>{tail.type}")
    # neighbouring sentences, neither of them the paper's own system: "We test A, B and C.
    # On GSM8K, ..." (a tenth of the annotated relations that no context above reaches)
    own_ids = {id(v) for v in own}
    for sentence in sorted(members):
        following = members.get(sentence + 1)
        if not following or len(following) > _MAX_SENTENCE_PAIRING or len(members[sentence]) > _MAX_SENTENCE_PAIRING:
            continue
        for a in members[sentence]:
            for b in following:
                for head, tail, head_first in ((a, b, True), (b, a, False)):
                    if (head is tail or id(head) in own_ids or (head.type, tail.type) not in _ALLOWED_PAIRS
                            or not head.by_sentence.keys().isdisjoint(tail.by_sentence)):
                        continue
                    pair = pair_of(head, tail)
                    if not any(c.kind == "near" for c in pair.contexts):
                        _near_sentences(text, pair, sentence + head_first, sentence_spans, memo, f"{head.type}>{tail.type}", head_first)
    type_counts: dict[str, int] = {}
    for view in views:
        type_counts[view.type] = type_counts.get(view.type, 0) + 1
    sentence_count = len(sentence_spans)
    boundary = own_work_start(text, sentence_spans)
    introduced = sum(1 for view in views if view.introduced)
    standings: dict[str, str] = {}
    # what each entity adds to its pairs' features: (spans bin, introduced, in the title)
    marks = {id(v): (_bin(len(v.spans)), int(v.introduced), int(0 in v.by_sentence)) for v in views}
    forms: dict[int, frozenset[str]] = {}  # each entity's written forms, folded, once a pair asks
    candidates = []
    for key in sorted(pairs):
        pair = pairs[key]
        head, tail = pair.head, pair.tail
        if not pair.contexts:
            continue
        types = f"{head.type}>{tail.type}"
        (head_spans, head_introduced, head_title), (tail_spans, tail_introduced, tail_title) = marks[id(head)], marks[id(tail)]
        features = pair.features
        features.update((
            f"T:{types}",
            f"TR:{types}:{head_introduced}{tail_introduced}",
            f"N:{head_spans}:{tail_spans}",
            f"M:{int(head is main)}{int(tail is main)}:{types}",
            f"HT:{head_title}{head_introduced}:{tail_title}{tail_introduced}",
        ))
        shared = not head.by_sentence.keys().isdisjoint(tail.by_sentence)
        if not shared:
            features.add("NOS")
        naming = _naming(_forms(head, forms), _forms(tail, forms))
        if naming:
            features.add(f"NAME:{naming}:{types}")
        if head_title and tail_title:
            features.add("TITLE")
        standing = standings.get(tail.key)
        if standing is None:
            standing = standings[tail.key] = _standing(tail, type_counts, sentence_count)
        features.update(_paper_features(pair, types, head is main, shared, standing))
        pair_family = family(head.type, tail.type)
        features.update(story_features(pair.contexts, head.by_sentence, tail.by_sentence, pair_family, boundary))
        features.add(contribution(pair_family, introduced))
        candidates.append(pair)
    return candidates
