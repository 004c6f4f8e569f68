"""Candidates for what a paper says it contributes: the phrase after "we propose a ...".

A third of the entities that the training papers introduce are descriptive phrases that
no name shape or list finds and the span classifier rarely keeps ("note-based
stop-exploration strategy", "learnable consistency loss", "rank-based random
estimator"); the guidelines count them because the paper presents them as its own
("we propose a novel X", "we introduce Medprompt", "a novel X"). This module reads the
noun phrase right after such an introducing phrase, without its determiner and its
praise ("a novel", "the first", "an efficient"), up to the first function word or
punctuation, and proposes it as a candidate (component ``"kg_own"``) for the entity
filter to judge, like the span classifier's windows. Generic phrases ("a novel
framework", "a simple method") are not proposed.

Examples
--------
>>> [(e.name, e.type) for e in own_phrases("A title", "We propose a novel learnable consistency loss that helps. We introduce Medprompt.")]
[('learnable consistency loss', 'Method'), ('Medprompt', 'Method')]
>>> own_phrases("A title", "We propose a novel framework for graphs.")
[]
"""

from __future__ import annotations

import re
from bisect import bisect_left

from extractors.aggregate import normalise_name
from extractors.records import Entity, Mention
from extractors.span_classifier import Token, tokenize

__all__ = ["COMPONENT", "MAX_WORDS", "own_phrases"]

COMPONENT = "kg_own"
MAX_WORDS = 6
_CONFIDENCE = 0.5
_VERBS = frozenset("""propose proposes introduce introduces present presents design designs develop develops devise devises build
builds create creates construct constructs curate curates release releases formulate formulates contribute contributes""".split())
_AUTHORS = frozenset("we paper work study research".split())  # "we propose", "this paper introduces", "our research introduces"
_NAMING = frozenset("termed called dubbed named".split())
_NOVEL = frozenset("novel new".split())
# what may stand between the introducing word and the name: determiners and praise
_LEAD = frozenset("""a an the two three this these our novel new simple first effective efficient unified general generic
principled lightweight stronger strong powerful robust scalable practical yet""".split())
# a phrase ends at one of these (or at punctuation)
_STOP = frozenset("""a an the of in on for to from with by and or but as at into via over under than that this these those
their its our we it they is are was were be been being has have had do does can could may might will would should such which
who whom whose what when where while also both each either more most less other same some any all no not only very then thus
hence however here there using based between among across through about upon without within after before called named
termed dubbed""".split())
# a phrase made only of these (and the lead words) names nothing
_GENERIC = frozenset("""framework method methods approach model models technique techniques algorithm strategy system
pipeline architecture mechanism module scheme paradigm solution way set series family suite benchmark benchmarks dataset
datasets metric metrics measure loss objective task tasks problem analysis study experiments evaluation variant version
extension alternative improvement tool toolkit library resource design theory corpus collection data network
networks""".split())
# the head of a phrase that says what the paper does or shows, not a thing it names
_REPORTS = frozenset("""study studies analysis evaluation evaluations experiment experiments evidence survey characterization definition
explanation report contributions practices implementation code demonstration perspective concept abstraction formulation baselines
variants tools tests type number level issue environment environments problem interventions recipe protocol investigation
understanding insights results""".split())
_KIND_TYPES = {"dataset": "Dataset", "corpus": "Dataset", "collection": "Dataset", "benchmark": "Benchmark", "suite": "Benchmark",
               "metric": "Metric", "measure": "Metric", "score": "Metric", "task": "Task", "problem": "Task"}
_WORDLIKE = re.compile(r"[A-Za-z0-9]")
# an abstract without one of these introduces nothing (most of the triggers' stems)
_TRIGGER_TEXT = re.compile(r"propos|introduc|present|design|develop|devis|build|creat|construct|curat|releas|formulat|contribut|"
                           r"termed|called|dubbed|named|novel|new\b", re.IGNORECASE)


_TRIGGERS = _NAMING | _NOVEL | _VERBS


def _introduces(lower: list[str], k: int) -> bool:
    """Whether token ``k`` (of the tokens' lower-case texts ``lower``) opens a phrase the paper presents as its own."""
    word = lower[k]
    if word in _NAMING:
        return True
    if word in _NOVEL:
        return k > 0 and lower[k - 1] in ("a", "an", "the", "two", "three")
    return word in _VERBS and any(w in _AUTHORS for w in lower[max(0, k - 3) : k])


def _phrase(tokens: list[Token], k: int) -> tuple[int, int] | None:
    """The token range [start, end) of the phrase after the introducing token ``k``."""
    start = k + 1
    while start < len(tokens) and (tokens[start].text.lower() in _LEAD or tokens[start].text in ('"', "“", ",")):
        start += 1
    end = start
    while (end < len(tokens) and end - start < MAX_WORDS and _WORDLIKE.search(tokens[end].text) and tokens[end].text.lower() not in _STOP
           and not (end > start and tokens[end].text.endswith("ly"))):  # "a benchmark specifically designed"
        end += 1
    heads = [j for j in range(start, end) if tokens[j].text.lower() in _GENERIC]
    if heads and heads[-1] < end - 1:
        # "a framework W2PGNN": the name after the kind word; "an approach aimed at": the kind word ends it
        named = any(c.isupper() for t in tokens[heads[-1] + 1 : end] for c in t.text)
        start, end = (heads[-1] + 1, end) if named else (start, heads[-1] + 1)
    if end == start or all(t.text.lower() in _GENERIC | _LEAD for t in tokens[start:end]):
        return None
    if k + 1 == start and tokens[start].text.islower() and (end - start == 1 or tokens[start].text.endswith("ing")):
        return None  # "we propose adding noise", "we present results": a verb's clause or a lone common word
    words = [t.text for t in tokens[start:end]]
    if words[-1].lower() in _REPORTS:
        return None  # "we present a thorough empirical study": what the paper does, not a thing it names
    if all(w.islower() or not w[:1].isalpha() for w in words) and not any("-" in w for w in words) and len(words) < 3:
        return None  # "a learning framework", "a training strategy": too plain to be a name; "GNN-based soft verbalizer" is not
    if len(words) == 1 and len(words[0]) < 3:
        return None
    return start, end


def _type(words: list[str]) -> str:
    head = words[-1].lower().rstrip("s") if words else ""
    return _KIND_TYPES.get(head, "Method")


def own_phrases(title: str, abstract: str) -> list[Entity]:
    """The phrases the abstract introduces as the paper's own, one `Entity` per name (all
    its occurrences in title and abstract as mentions), in order of first introduction."""
    if not _TRIGGER_TEXT.search(abstract):
        return []
    tokens = tokenize(abstract, "abstract")
    lower = [t.text.lower() for t in tokens]
    found: dict[str, Entity] = {}
    title_tokens: list[Token] | None = None
    for k in (k for k, word in enumerate(lower) if word in _TRIGGERS):
        if not _introduces(lower, k) or (span := _phrase(tokens, k)) is None:
            continue
        first, last = tokens[span[0]], tokens[span[1] - 1]
        name = abstract[first.start : last.end]
        key = normalise_name(name)
        if key in found:
            continue
        title_tokens = tokenize(title, "title") if title_tokens is None else title_tokens
        mentions = tuple(_occurrences(name, title, "title", title_tokens) + _occurrences(name, abstract, "abstract", tokens))
        found[key] = Entity(name, _type(name.split()), "used", (), mentions, _CONFIDENCE)
    return list(found.values())


def _occurrences(name: str, text: str, field: str, tokens: list[Token]) -> list[Mention]:
    """Every whole-word occurrence of ``name`` in ``text`` (case folded), with the sentence
    of the token it starts at (``tokens``: the field's, from `tokenize`)."""
    starts = [t.start for t in tokens]
    mentions = []
    for match in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text, re.IGNORECASE):
        at = bisect_left(starts, match.start())
        sentence = tokens[at].sentence if at < len(tokens) else 0
        mentions.append(Mention(match.group(), field, match.start(), match.end(), sentence, _CONFIDENCE, COMPONENT))
    return mentions
