"""Project per-paper gold entities (names and aliases, no offsets) onto the paper text.

The annotation files list each entity of a paper once, by name and aliases, without
character offsets. To train a tagger we need every occurrence in the text: each surface
form is searched case-insensitively, with spaces and hyphens interchangeable and an
optional plural ending (the scorer ignores the same differences); matches must start and
end on word boundaries, and overlapping matches are resolved longest first.

Examples
--------
>>> text = "We propose Direct Nash Optimization (DNO) and test DNO on GSM8K."
>>> entities = [
...     {"name": "Direct Nash Optimization", "type": "Method", "aliases": ["DNO"]},
...     {"name": "GSM8K", "type": "Benchmark", "aliases": []},
... ]
>>> [(text[s.start:s.end], s.label) for s in project_entities(text, entities)]
[('Direct Nash Optimization', 'Method'), ('DNO', 'Method'), ('DNO', 'Method'), ('GSM8K', 'Benchmark')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["LabelledSpan", "Projection", "project_entities", "project_paper", "surface_pattern"]

# Same separators the scorer folds (hyphen-like dashes and whitespace).
_SEPARATOR = r"[\s\-\u2010-\u2015_]*"
_SEPARATOR_CHARS = re.compile(r"[\s\-\u2010-\u2015_]+")


@dataclass(frozen=True, order=True)
class LabelledSpan:
    """A character span of the text with an entity type; end exclusive."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Projection:
    """The spans found for one paper and which gold entities they cover."""

    text: str
    spans: tuple[LabelledSpan, ...]
    found: tuple[str, ...]  # gold entity names with at least one occurrence
    missing: tuple[str, ...]  # gold entity names never found in the text


@lru_cache(maxsize=4096)
def surface_pattern(form: str) -> re.Pattern[str] | None:
    """A regex for one surface form: separators interchangeable, optional plural.

    Returns None for a form with no letters or digits (nothing safe to search for).

    Examples
    --------
    >>> bool(surface_pattern("large language model").search("Large-language models work"))
    True
    >>> surface_pattern("GPT-4o").search("GPT-4o-mini") is None
    True
    """
    pieces = [re.escape(piece) for piece in _SEPARATOR_CHARS.split(form.strip()) if piece]
    if not pieces or not any(ch.isalnum() for ch in form):
        return None
    body = _SEPARATOR.join(pieces)
    plural = "(?:e?s)?" if form[-1:].isalpha() and len(form) > 3 else ""
    # Word boundaries; a hyphen followed by a word character continues the name
    # ("GPT-4o" is not inside "GPT-4o-mini").
    return re.compile(rf"(?<!\w)(?<!\w-){body}{plural}(?!\w)(?!-\w)", re.IGNORECASE)


def project_entities(text: str, entities: list[dict]) -> list[LabelledSpan]:
    """Every non-overlapping occurrence of the entities' names and aliases, in text order.

    Parameters
    ----------
    text
        The text to search.
    entities
        Gold entities: dicts with ``name``, ``type`` and optional ``aliases``.

    Returns
    -------
    list of LabelledSpan
        Longest matches win where occurrences overlap; ties go to the earlier start.
    """
    return list(_project(text, entities)[0])


def _project(text: str, entities: list[dict]) -> tuple[list[LabelledSpan], set[str]]:
    candidates: list[tuple[int, int, str, str]] = []
    for entity in entities:
        forms = {entity["name"], *(entity.get("aliases") or ())}
        for form in forms:
            pattern = surface_pattern(form)
            if pattern is None:
                continue
            for match in pattern.finditer(text):
                candidates.append((match.start(), match.end(), entity["type"], entity["name"]))
    # Longest first, then leftmost; a span is kept only if it overlaps nothing kept.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken = bytearray(len(text))
    kept: list[LabelledSpan] = []
    found: set[str] = set()
    for start, end, label, name in candidates:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append(LabelledSpan(start, end, label))
        found.add(name)
    kept.sort()
    return kept, found


def project_paper(title: str, abstract: str, entities: list[dict], *, separator: str = "\n\n") -> Projection:
    """Project a paper's gold entities onto ``title + separator + abstract``."""
    text = f"{title}{separator}{abstract}" if abstract else title
    spans, found = _project(text, entities)
    names = [entity["name"] for entity in entities]
    return Projection(
        text=text,
        spans=tuple(spans),
        found=tuple(n for n in names if n in found),
        missing=tuple(n for n in names if n not in found),
    )
