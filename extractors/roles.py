"""Roles: which entity mentions the paper introduces as its own contribution.

A mention is ``introduced`` when
* the title defines it ("OMNI: Open-endedness via ..."),
* it follows "our" ("our X"), or a naming verb ("called X", "dubbed X"),
* it is the first entity after a contribution verb whose subject is the authors
  ("we propose / introduce / present / release ... X", "this paper presents X"),
  or an apposition of it ("we introduce a benchmark, X, ...").
Well-known names from the lexicon are never introduced by these cues: a paper that
"proposes to use LoRA" does not introduce LoRA. Everything else is ``used``.

The component writes ``doc.spans["kg_introduced"]``: the introduced mentions of
``doc.spans["kg_entities"]``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.candidates import ENTITY_SPANS, title_name
from extractors.offsets import text_of
from extractors.sentences import sentence_starts

__all__ = ["INTRODUCED_SPANS", "introduced_mentions"]

INTRODUCED_SPANS = "kg_introduced"
_VERBS = (
    "propose|proposes|proposed|introduce|introduces|introduced|present|presents|presented|release|releases|"
    "released|develop|develops|developed|design|designs|designed|build|builds|construct|constructs|constructed|"
    "create|creates|created|curate|curates|curated|contribute|contributes|offer|offers|unveil|unveils|describe|"
    "describes|devise|devises|formulate|formulates|collect|collects|train|trains"
)
# the authors as subject, then within the clause a contribution verb
_AUTHORS_VERB = re.compile(
    r"\b(?:[Ww]e|[Tt]his (?:paper|work|study|article|report)|[Ii]n this (?:paper|work))\b[^.;:]{0,60}?\b(?:" + _VERBS + r")\b"
)
_OWNER_BEFORE = re.compile(r"(?:\b[Oo]ur|\b(?:called|named|dubbed|termed|coined|namely))\s+$")
_WINDOW = 90  # characters after the verb in which the contribution is named


def introduced_mentions(doc: Doc, known: frozenset[str] = frozenset()) -> list[Span]:
    """Mentions of ``doc.spans["kg_entities"]`` that the paper introduces.

    ``known`` holds the lower-cased names that are never introduced (the lexicon's).
    """
    text = text_of(doc)
    mentions = [m for m in doc.spans[ENTITY_SPANS] if m.text.lower() not in known and m.label_ not in ("Task", "Metric")]
    introduced: dict[int, Span] = {}
    defined = title_name(doc)
    for mention in mentions:
        if defined is not None and mention.text == defined.text:
            introduced[mention.start] = mention
        if _OWNER_BEFORE.search(text, max(0, mention.start_char - 12), mention.start_char):
            introduced[mention.start] = mention
    starts = [m.start_char for m in mentions]
    sentences = sentence_starts(doc)
    for verb in _AUTHORS_VERB.finditer(text):
        sentence_end = next((c for c in sentences[bisect_right(sentences, verb.end()) :]), len(text))
        k = bisect_right(starts, verb.end() - 1)
        if k >= len(mentions) or starts[k] >= min(sentence_end, verb.end() + _WINDOW):
            continue
        first = mentions[k]
        introduced[first.start] = first
        # an apposition right after it names the same contribution: "a benchmark, X,"
        if k + 1 < len(mentions) and text[first.end_char : mentions[k + 1].start_char].strip() in {",", "("}:
            introduced[mentions[k + 1].start] = mentions[k + 1]
    return [introduced[start] for start in sorted(introduced)]


class RoleTagger:
    def __init__(self, known: frozenset[str]):
        self.known = known

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[INTRODUCED_SPANS] = introduced_mentions(doc, self.known)
        return doc


@Language.factory("kg_roles", default_config={"lexicon_path": None})
def make_role_tagger(nlp: Language, name: str, lexicon_path: str | None):
    """Pipeline component: marks introduced mentions (lexicon names are never introduced)."""
    from extractors.lexicon import load_lexicon

    lexicon = load_lexicon(lexicon_path)
    known = frozenset(form.lower() for form in (*lexicon.exact, *lexicon.folded))
    return RoleTagger(known)
