"""Merging the candidates of all components into typed entity mentions.

Inputs are the span groups the earlier components wrote (`extractors.candidate_sources`):
abbreviation long and short forms, lexicon matches, shape/cue names, the statistical
``kg_ner`` spans when that component runs, and the name a title defines ("OMNI:
Open-endedness via ..."). Where
candidates overlap the longer one wins (ties: the more reliable component). Generic
phrases ("our method", "several benchmarks") are dropped, lists ("Averaging, Task
Arithmetic, Dare, and TIES") are completed, and every mention is typed by context.

The result is ``doc.spans["kg_entities"]`` (label = type) with parallel lists
``attrs["components"]``, ``attrs["confidences"]`` and ``attrs["typed_by"]``.
"""

# no `from __future__ import annotations`: spaCy resolves factory signatures at run time
import re
from bisect import bisect_left
from collections import Counter

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.batching import BatchedComponent
from extractors.candidate_sources import RELIABILITY, Candidate, collect_candidates
from extractors.entity_typing import typing_by_context
from extractors.generic import is_generic
from extractors.lexicon import load_lexicon
from extractors.names import ADJECTIVE_SUFFIX, UNTYPED, not_entities
from extractors.offsets import set_spans, span_at, span_text, text_of, token_starts
from extractors.titles import TITLE_CHARS

__all__ = ["ENTITY_SPANS", "TITLE_CHARS", "Candidate", "merge_candidates"]

ENTITY_SPANS = "kg_entities"
_NOT_LIST_ITEMS = frozenset({"We", "Our", "The", "This", "These", "It", "In", "On", "For", "With", "However", "Moreover", "Finally", "Specifically", "Additionally", "Furthermore", "Experiments", "Results",
    "Recently", "Notably", "Overall", "Thus", "Therefore", "Hence", "Meanwhile", "Consequently", "Importantly",
    "Interestingly", "Surprisingly", "Unlike", "Despite", "Although", "While", "First", "Second", "Third", "Then",
    "Next", "Lastly", "Here", "Together", "Instead", "Also", "Yet", "But", "And", "Or", "Both", "Such", "Using",
    "Compared", "Beyond", "Besides", "Similarly", "Currently", "Existing", "Previous", "Prior", "Many", "Most",
    "Some", "All", "Each", "Every", "Other", "Several", "Various", "Current", "Today", "Nowadays", "Traditionally"})


def _resolve_overlaps(candidates: list[Candidate], statistical: frozenset[str] = frozenset()) -> list[Candidate]:
    """Rules before the statistical groups, then longest first, then most reliable;
    a token belongs to one candidate at most."""
    # each candidate's span read once into a tuple that sorts as the ranking does (ties: in input
    # order, as a stable sort by the ranking alone keeps them)
    ranked = sorted(
        [(c.component in statistical, (span := c.span).start_char - span.end_char, -c.confidence, span.start, span.end, k)
         for k, c in enumerate(candidates)]
    )
    taken: set[int] = set()
    kept = []
    for _, _, _, start, end, k in ranked:
        tokens = range(start, end)
        if not taken.isdisjoint(tokens):
            continue
        taken.update(tokens)
        kept.append((start, len(kept), k))  # by start, and in the ranking's order at one start
    kept.sort()
    return [candidates[k] for _, _, k in kept]


# the next item of a list: ", Item", ", and Item", " and Item" (an item: 1-3 capitalised words)
_LIST_NEXT = re.compile(r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)([A-Z][\w\-.+]*(?:[ ][A-Z][\w\-.+]*){0,2})(?=\s*(?:,|\band\b|\bor\b|\.|\)|;|$))")


# (?=[A-Z]) first: the regex engine skips to capitals instead of trying every character
_LIST_PREVIOUS = re.compile(r"(?=[A-Z])(?<![\w\-.])([A-Z][\w\-.+]*(?:[ ][A-Z][\w\-.+]*){0,2})(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")


def _may_end_with_separator(text: str, position: int) -> bool:
    """Whether ``text[:position]`` ends as `_LIST_PREVIOUS` needs: in a comma (and spaces),
    or in "and" / "or" and at least one space.

    Examples
    --------
    >>> [_may_end_with_separator(t, len(t)) for t in ["A, ", "A and ", "A,", "A and", "A band ", "A"]]
    [True, True, True, False, True, False]
    """
    tail = text[max(0, position - 80) : position]
    before = tail.rstrip()
    return before.endswith(",") or (len(before) < len(tail) and before.endswith(("and", "or")))


def _list_members(doc: Doc, kept: list[Candidate]) -> list[Candidate]:
    """Capitalised items of a list whose other items are typed candidates."""
    text = text_of(doc)
    starts = {c.span.start_char for c in kept}
    ends = {c.span.end_char for c in kept}
    added = []
    for candidate in kept:
        position = candidate.span.start_char
        while True:  # leftwards: "Averaging, " before "Task Arithmetic"
            if not _may_end_with_separator(text, position):
                break  # the regex would fail: tried at every capital of the window, it costs more
            item = _LIST_PREVIOUS.search(text, max(0, position - 80), position)
            if item is None or item.end(1) in ends or item.group(1).split()[0] in _NOT_LIST_ITEMS:
                break
            if " " not in item.group(1) and item.group(1).endswith("ly"):
                break  # "Unfortunately, X and Y": an adverb, not an item
            name = item.group(1)
            if ADJECTIVE_SUFFIX.search(name) or name in not_entities() or is_generic(name) or "\n" in text[item.end(1) : position]:
                break
            span = span_at(doc, item.start(1), item.end(1))
            if span is None:
                break
            added.append(Candidate(span, candidate.prior, "kg_lists", RELIABILITY["kg_lists"]))
            ends.add(item.end(1))
            position = span.start_char
        position = candidate.span.end_char
        while True:
            item = _LIST_NEXT.match(text, position)
            if item is None or item.start(1) in starts or item.group(1).split()[0] in _NOT_LIST_ITEMS:
                break
            name = item.group(1).rstrip(".")
            suffix = ADJECTIVE_SUFFIX.search(name)
            if suffix is not None:  # "SFT-based": the item is SFT, and the list ends here
                name = name[: suffix.start()]
            if name in not_entities() or is_generic(name) or "\n" in text[position : item.start(1)]:
                break
            span = span_at(doc, item.start(1), item.start(1) + len(name))
            if span is None:
                break
            added.append(Candidate(span, candidate.prior, "kg_lists", RELIABILITY["kg_lists"]))
            starts.add(item.start(1))
            position = span.end_char
            if suffix is not None:
                break
    return added


_FEW_NAMES = 16  # up to this many names, their occurrences are found in the text, not token by token


def _name_start_tokens(doc: Doc, text: str, positions: list[int], by_first: dict[int, list[str]]) -> list[int]:
    """Indices, in order, of the tokens whose ORTH id is a key of ``by_first``, at least
    those where one of its names starts.

    A few names are found by ``str.find`` at C speed, each place checked for a token of
    that ORTH; many names (hostile input) by one pass over the ORTH array, which is linear
    whatever their number. Either way a token that starts a name is listed.
    """
    count = sum(len(names) for names in by_first.values())
    if count > _FEW_NAMES:
        return [index for index, orth in enumerate(doc.to_array(ORTH).tolist()) if orth in by_first]
    places = set()
    for names in by_first.values():
        for name in names:
            place = text.find(name)
            while place != -1:
                places.add(place)
                place = text.find(name, place + 1)
    found = []
    for place in sorted(places):
        index = bisect_left(positions, place)
        if index < len(positions) and positions[index] == place and doc[index].orth in by_first:
            found.append(index)
    return found


def _other_occurrences(doc: Doc, kept: list[Candidate]) -> list[Candidate]:
    """Every other occurrence of a name that only context found once (title, list, naming).

    One pass over the tokens with the names indexed by their first token: linear in the
    text however many names there are (a search per name was quadratic on hostile input).
    """
    text = text_of(doc)
    taken = {c.span.start_char for c in kept}
    added = []
    names = {span_text(c.span): c for c in kept if c.component in ("kg_title", "kg_lists", "kg_names")}
    by_first: dict[int, list[str]] = {}  # first token's ORTH id -> names
    for name, source in names.items():
        if len(name) > 2:
            by_first.setdefault(source.span[0].orth, []).append(name)  # in order of first finding
    if not by_first:
        return added
    positions = token_starts(doc)
    for index in _name_start_tokens(doc, text, positions, by_first):
        starting = by_first[doc[index].orth]
        position = positions[index]
        if position in taken or (position > 0 and text[position - 1].isalnum()):
            continue
        for name in starting:
            end = position + len(name)
            if not text.startswith(name, position) or (end < len(text) and text[end].isalnum()):
                continue
            span = span_at(doc, position, end)
            if span is not None and text[span.start_char : span.end_char] == name:  # span.text, without joining tokens
                source = names[name]
                added.append(Candidate(span, source.prior, source.component, source.confidence))
                taken.add(position)
                break
    return added


def _with_tagger_labels(collected: list[Candidate], statistical: frozenset[str], min_repeats: int) -> list[Candidate]:
    """The tagger's spans whose words occur ``min_repeats`` times, and the labels they
    give to rule spans of the same words that only their shape found."""
    if min_repeats > 1:
        # a tagger span whose words occur once in the paper is too often a false alarm
        counts = Counter(span_text(c.span).lower() for c in collected)
        collected = [c for c in collected if c.component not in statistical or counts[span_text(c.span).lower()] >= min_repeats]
    # Dataset versus Benchmark is the text's word's to decide (typing by context), not the tagger's
    labels = {
        (c.span.start, c.span.end): c.prior
        for c in collected
        if c.component in statistical and c.prior not in ("Dataset", "Benchmark")
    }
    return [
        Candidate(c.span, labels.get((c.span.start, c.span.end), c.prior), c.component, c.confidence) if c.prior == UNTYPED else c
        for c in collected
    ]


def merge_candidates(
    doc: Doc, lexicon, extra_groups: tuple[str, ...] = (), threshold: float = 0.5, min_repeats: int = 1
) -> list[tuple[Span, str, str, float]]:
    """Typed, non-overlapping mentions: (span, type, typed by, component, confidence);
    "typed by" says what decided the type (`extractors.entity_typing.typing_by_context`).

    Spans of ``extra_groups`` (the statistical tagger) below ``threshold``, or whose
    words occur fewer than ``min_repeats`` times among all candidates, are dropped;
    the others fill the gaps the rules leave, and give their label to a rule span of
    exactly the same words that only its shape found.
    """
    collected = [c for c in collect_candidates(doc, lexicon, extra_groups) if c.component not in extra_groups or c.confidence >= threshold]
    statistical = frozenset(extra_groups)
    if statistical:  # the tagger's spans and labels (none in the fast profile: nothing to do)
        collected = _with_tagger_labels(collected, statistical, min_repeats)
    kept = _resolve_overlaps(collected, statistical)
    typed_priors = [c for c in kept if c.prior != UNTYPED]
    # kept is resolved already: only what a step adds can change it
    members = _list_members(doc, typed_priors)
    if members:
        kept = _resolve_overlaps(kept + members, statistical)
    occurrences = _other_occurrences(doc, kept)
    if occurrences:
        kept = _resolve_overlaps(kept + occurrences, statistical)
    return [(c.span, *typing_by_context(c.span, c.prior), c.component, c.confidence) for c in kept]


class CandidateMerger(BatchedComponent):
    def __init__(self, lexicon, extra_groups: tuple[str, ...], threshold: float, min_repeats: int):
        self.lexicon = lexicon
        self.extra_groups = extra_groups
        self.threshold = threshold
        self.min_repeats = min_repeats
        self.label_ids: dict[str, int] = {}  # entity type -> its string id

    def __call__(self, doc: Doc) -> Doc:
        merged = merge_candidates(doc, self.lexicon, self.extra_groups, self.threshold, self.min_repeats)
        spans = []
        label_ids = self.label_ids
        for span, entity_type, _, _, _ in merged:
            label = label_ids.get(entity_type)
            if label is None:
                label = label_ids[entity_type] = doc.vocab.strings.add(entity_type)
            # a span that has its type as its label already (most: the lexicon's) is kept, not made again;
            # labels compared and given as string ids (a label's text is a string store lookup)
            spans.append(span if span.label == label else Span(doc, span.start, span.end, label=label))
        attrs = set_spans(doc, ENTITY_SPANS, spans).attrs
        attrs["typed_by"] = [typed_by for _, _, typed_by, _, _ in merged]
        attrs["components"] = [component for _, _, _, component, _ in merged]
        attrs["confidences"] = [confidence for _, _, _, _, confidence in merged]
        return doc


@Language.factory(
    "kg_candidates", default_config={"extra_groups": [], "threshold": 0.5, "min_repeats": 2, "lexicon_path": None}
)
def make_candidate_merger(
    nlp: Language, name: str, extra_groups: list[str], threshold: float, min_repeats: int, lexicon_path: str | None
):
    """Pipeline component: merges, filters and types candidates.

    ``extra_groups`` names span groups of statistical components (e.g. ["kg_ner"]) whose
    spans with a score of at least ``threshold``, and words found ``min_repeats`` times
    in the paper, join the rule candidates.
    """
    return CandidateMerger(load_lexicon(lexicon_path), tuple(extra_groups), threshold, min_repeats)
