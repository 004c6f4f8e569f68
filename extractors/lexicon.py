"""A hand-curated lexicon of well-known names of the field, with their types.

The lexicon (``resources/lexicon.tsv``) is written from general knowledge of machine
learning and NLP; it never takes names from annotated gold files. Each line gives a
type and the surface forms of one concept separated by ``|``. Forms with a capital
after their first character ("LoRA", "GSM8K", "MATH", "RE") are matched exactly,
because their lower-case spelling is often an ordinary word; all others ignore case,
and match with "-" and " " swapped. Method, Task and Metric forms also match in the plural.

The component writes its matches (longest first, no overlaps) to
``doc.spans["kg_lexicon"]`` with the type as the span label.
"""

# no `from __future__ import annotations`: spaCy resolves factory signatures at run time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from extractors.batching import BatchedComponent
from extractors.offsets import set_spans
from extractors.records import ENTITY_TYPES

__all__ = ["Lexicon", "LexiconError", "load_lexicon", "LexiconMatcher", "LEXICON_SPANS", "longest_matches"]

LEXICON_SPANS = "kg_lexicon"
_PLURAL_TYPES = {"Method", "Task", "Metric"}


class LexiconError(ValueError):
    """A malformed lexicon line; the message names the file and line."""


@dataclass(frozen=True)
class Lexicon:
    """Surface form -> type, with case-sensitive forms kept apart."""

    exact: dict[str, str]  # matched on the exact spelling
    folded: dict[str, str]  # lower-cased form -> type

    def type_of(self, text: str) -> str | None:
        """The type of ``text`` if the lexicon knows it.

        Examples
        --------
        >>> lexicon = load_lexicon()
        >>> lexicon.type_of("LoRA"), lexicon.type_of("Question Answering"), lexicon.type_of("lora")
        ('Method', 'Task', None)
        """
        return self.exact.get(text) or self.folded.get(text.lower())


def _is_exact(form: str) -> bool:
    return any(c.isupper() for c in form[1:])


def _plural(form: str) -> str:
    if form.endswith("y") and form[-2:-1] not in tuple("aeiou"):
        return form[:-1] + "ies"
    return form + ("es" if form.endswith(("s", "x", "sh", "ch")) else "s")


def _spellings(form: str, entity_type: str) -> list[str]:
    """``form``, its plural, and "-"/" " swapped in multi-word forms ("instruction-following")."""
    variants = [form]
    if not _is_exact(form) and ("-" in form or " " in form):
        variants += [form.replace("-", " "), form.replace(" ", "-")]
    if entity_type == "Model" and _is_exact(form) and any(c.isdigit() for c in form):
        variants.append(form.lower())  # "gpt-4", "llama-2": versioned names are unambiguous in lower case
    if entity_type in _PLURAL_TYPES:
        variants += [_plural(v) for v in variants]
    return list(dict.fromkeys(variants))


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read a lexicon file (default: the one shipped in ``extractors/resources``).

    Raises `LexiconError` naming the file and line for an unknown type, an empty form
    or a form listed under two different types.
    """
    source = Path(path) if path is not None else files("extractors") / "resources" / "lexicon.tsv"
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    seen: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        entity_type, sep, forms = line.partition("\t")
        where = f"{source}:{number}"
        if not sep or entity_type not in ENTITY_TYPES:
            raise LexiconError(f"{where}: expected 'TYPE<TAB>form|form...' with TYPE one of {ENTITY_TYPES}")
        for form in forms.split("|"):
            form = form.strip()
            if not form:
                raise LexiconError(f"{where}: empty form")
            for variant in _spellings(form, entity_type):
                key = variant if _is_exact(variant) else variant.lower()
                previous = seen.get(key)
                if previous and previous[0] != entity_type:
                    if variant is form:  # plural clashes with a listed form are harmless
                        raise LexiconError(f"{where}: {form!r} is already a {previous[0]} (line {previous[1]})")
                    continue
                seen[key] = (entity_type, number)
                (exact if _is_exact(variant) else folded)[key] = entity_type
    return Lexicon(exact=exact, folded=folded)


class LexiconMatcher(BatchedComponent):
    """Finds lexicon forms in a Doc; the longest match wins where they overlap."""

    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lexicon = lexicon
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        for table, matcher in ((lexicon.exact, self.exact), (lexicon.folded, self.folded)):
            for entity_type in ENTITY_TYPES:
                forms = [form for form, t in table.items() if t == entity_type]
                matcher.add(entity_type, list(nlp.tokenizer.pipe(forms)))

    def __call__(self, doc: Doc) -> Doc:
        # Spans only for the matches kept (each Span reads three Token objects)
        kept = longest_matches(self.exact(doc) + self.folded(doc))
        set_spans(doc, LEXICON_SPANS, [Span(doc, start, end, label=key) for key, start, end in kept])
        return doc


def longest_matches(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """``spacy.util.filter_spans`` on a matcher's (key, start, end) tuples: longest first
    (ties: the earlier start, then the earlier match), no two sharing a first or last
    token, in order of start.

    Examples
    --------
    >>> longest_matches([(1, 0, 1), (2, 0, 2), (3, 1, 3), (4, 3, 4)])
    [(2, 0, 2), (4, 3, 4)]
    """
    ranked = sorted(matches, key=lambda match: (match[2] - match[1], -match[1]), reverse=True)
    kept = []
    seen: set[int] = set()
    for match in ranked:
        # the first and last tokens, as filter_spans tests them
        if match[1] not in seen and match[2] - 1 not in seen:
            kept.append(match)
            seen.update(range(match[1], match[2]))
    kept.sort(key=lambda match: match[1])
    return kept


@Language.factory("kg_lexicon", default_config={"path": None})
def make_lexicon_matcher(nlp: Language, name: str, path: str | None):
    """Pipeline component: matches the curated lexicon (``path`` None = the shipped one)."""
    return LexiconMatcher(nlp, load_lexicon(path))
