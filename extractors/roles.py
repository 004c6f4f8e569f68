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

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.candidates import ENTITY_SPANS, title_name

__all__ = ["INTRODUCED_SPANS", "introduced_mentions"]

INTRODUCED_SPANS = "kg_introduced"
_VERBS = frozenset(
    """propose proposes proposed introduce introduces introduced present presents presented
    release releases released develop develops developed design designs designed build builds
    construct constructs constructed create creates created curate curates curated contribute
    contributes offer offers unveil unveils describe describes devise devises formulate formulates
    collect collects train trains""".split()
)
_SUBJECTS = frozenset({"we", "paper", "work", "study", "article", "report"})
_NAMING = frozenset({"called", "named", "dubbed", "termed", "coined", "namely"})
_WINDOW = 14  # tokens after the verb in which the contribution is named


def _authors_verb(sentence: Span) -> list[int]:
    """Token indices of contribution verbs with the authors as subject."""
    verbs = []
    subject_seen = False
    for token in sentence:
        if token.lower_ in _SUBJECTS:
            subject_seen = True
        elif subject_seen and token.lower_ in _VERBS:
            verbs.append(token.i)
    return verbs


def introduced_mentions(doc: Doc, known: frozenset[str] = frozenset()) -> list[Span]:
    """Mentions of ``doc.spans["kg_entities"]`` that the paper introduces.

    ``known`` holds the lower-cased names that are never introduced (the lexicon's).
    """
    mentions = [m for m in doc.spans[ENTITY_SPANS] if m.text.lower() not in known and m.label_ != "Task" and m.label_ != "Metric"]
    introduced: dict[int, Span] = {}
    defined = title_name(doc)
    by_start = {m.start: m for m in mentions}
    for mention in mentions:
        if defined is not None and mention.text == defined.text:
            introduced[mention.start] = mention
        before = doc[mention.start - 1] if mention.start > 0 else None
        if before is not None and (before.lower_ == "our" or before.lower_ in _NAMING):
            introduced[mention.start] = mention
    for sentence in doc.sents:
        for verb in _authors_verb(sentence):
            end = min(sentence.end, verb + _WINDOW)
            first = next((by_start[i] for i in range(verb + 1, end) if i in by_start), None)
            if first is None:
                continue
            introduced[first.start] = first
            # an apposition right after it names the same contribution: "a benchmark, X,"
            after = first.end
            if after + 1 < sentence.end and doc[after].text in {",", "("} and (after + 1) in by_start:
                introduced[after + 1] = by_start[after + 1]
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
