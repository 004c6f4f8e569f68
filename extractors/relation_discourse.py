"""Where a candidate pair's sentences stand in the abstract's story.

An abstract tells its story in order: the field and earlier work first ("Large language
models have shown ..."; "However, existing methods ..."), then the paper's own work from
the first sentence that speaks of it ("We propose X, which builds on Y"), then the
experiments. The annotations follow that story: a Method named in the background is
seldom what the paper's system is based on, and what is named after the system's first
mention is what it uses, addresses and is evaluated on. The pair features of
`extractors.relation_features` read the words around the two mentions; these read where
each joining sentence stands:

* against the paper's *own-work boundary*: the first sentence after the title that says
  "we", "our", "this paper" or "the proposed" (`own_work_start`); a sentence is the
  ``title``, ``background`` (before the boundary), ``boundary`` or ``after`` it;
* against the head's first mention: ``before``, ``same`` sentence or ``after``; and where
  the tail first stands against it;
* and what kind of story it is: how many systems the paper introduces (`contribution`). A
  study that introduces none is annotated with few relations: 35 of the 65 training papers
  without an introduced entity list none, against 15 of the other 217.

Each is joined with the kind of context (``same``, ``own``, ``near``) and the pair's
relation family (`family`), since a background sentence says different things of a Task
than of a Method. (Cross-validated on the training papers, 3 seeds: relation F1 0.355 ->
0.382 with the pipeline's entities, 0.507 -> 0.532 with the gold ones; the contribution on
top, on the entity filter of extractor 0.3.3: 0.388 -> 0.402 and 0.535 -> 0.544.)

Examples
--------
>>> text = "A title. Older nets are popular. We build NetX on them. It beats them."
>>> sentences = [(0, 8), (9, 32), (33, 55), (56, 70)]
>>> own_work_start(text, sentences)
2
>>> place(1, boundary=2), place(3, boundary=2), against(3, 2)
('background', 'after', 'after')
"""

from __future__ import annotations

import re

__all__ = ["OWN_WORK", "against", "contribution", "family", "own_work_start", "place", "story_features"]

# what marks the paper's own work in a sentence ("us": "allows us to ...")
OWN_WORK = re.compile(r"\b(?:we|our|us|this (?:paper|work|study)|the proposed)\b", re.IGNORECASE)

_ACTORS = frozenset({"Method", "Model"})
_DATA = frozenset({"Dataset", "Benchmark"})


def family(head_type: str, tail_type: str) -> str:
    """The pair's relation family: ``task`` (appliedTo), ``data`` (a Method/Model and a
    Dataset/Benchmark), ``actors`` (two Methods/Models: basedOn or outperforms), ``other``.

    Examples
    --------
    >>> family("Model", "Task"), family("Method", "Benchmark"), family("Model", "Method"), family("Dataset", "Model")
    ('task', 'data', 'actors', 'other')
    """
    if tail_type == "Task":
        return "task"
    if head_type in _ACTORS:
        if tail_type in _DATA:
            return "data"
        if tail_type in _ACTORS:
            return "actors"
    return "other"


def own_work_start(text: str, sentence_spans: list[tuple[int, int]]) -> int:
    """Index of the first sentence after the title (sentence 0) that speaks of the paper's
    own work; the sentence count when none does (all background)."""
    for index, (start, end) in enumerate(sentence_spans[1:], start=1):
        if OWN_WORK.search(text, start, end):
            return index
    return len(sentence_spans)


def against(sentence: int, reference: int) -> str:
    """Where sentence ``sentence`` stands against sentence ``reference``."""
    return "before" if sentence < reference else "same" if sentence == reference else "after"


def place(sentence: int, *, boundary: int) -> str:
    """A sentence's place in the story: the ``title``, ``background`` (before the
    own-work ``boundary``), the ``boundary`` itself or ``after`` it."""
    if sentence == 0:
        return "title"
    return "background" if sentence < boundary else "boundary" if sentence == boundary else "after"


def story_features(contexts: list, head_sentences, tail_sentences, pair_family: str, boundary: int) -> set[str]:
    """The story features of one pair: for each joining sentence (`PairContext`) its place
    in the story and against the head's first mention, with its context kind; where the
    tail first stands against the head. Each joined with the pair's family.

    Examples
    --------
    >>> from types import SimpleNamespace as Context
    >>> sorted(story_features([Context(kind="own", sentence=1)], {2}, {1, 3}, "actors", boundary=2))
    ['STH:own:actors:before', 'STP:own:actors:background', 'STT:actors:before']
    """
    head_first = min(head_sentences)
    features = {f"STT:{pair_family}:{against(min(tail_sentences), head_first)}"}
    for context in contexts:
        features.add(f"STP:{context.kind}:{pair_family}:{place(context.sentence, boundary=boundary)}")
        features.add(f"STH:{context.kind}:{pair_family}:{against(context.sentence, head_first)}")
    return features


def contribution(pair_family: str, introduced: int) -> str:
    """The feature of how many systems the paper introduces (none, 1, 2, 3 or more), with
    the pair's family.

    Examples
    --------
    >>> contribution("task", 0), contribution("data", 5)
    ('NI:task:0', 'NI:data:3')
    """
    return f"NI:{pair_family}:{min(introduced, 3)}"
