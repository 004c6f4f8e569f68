"""The `Paper` record every corpus reader yields, and how a paper gets its identity."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace

__all__ = ["SourceLocation", "Paper", "paper_id", "normalise_title"]


@dataclass(frozen=True, order=True)
class SourceLocation:
    """Where a record was read: a file (or ``-`` for stdin) and its 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Paper:
    """One paper: title and abstract plus whatever metadata its source gave.

    ``id`` is stable across runs and files: ``arxiv:<id>`` or ``doi:<doi>`` where the
    source gives one, else ``title:<hash>`` of the normalised title (see `paper_id`).
    Text fields are already cleaned (`kg.textclean.clean_text`).
    """

    id: str
    title: str
    abstract: str
    date: str | None = None  # ISO 8601 (YYYY-MM-DD, or YYYY-MM / --MM-DD when partial)
    authors: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    arxiv_id: str | None = None
    doi: str | None = None
    sources: tuple[SourceLocation, ...] = field(default=(), compare=False)

    def with_sources(self, *more: SourceLocation) -> "Paper":
        """A copy with ``more`` source locations appended (duplicates dropped)."""
        seen = list(self.sources)
        for loc in more:
            if loc not in seen:
                seen.append(loc)
        return replace(self, sources=tuple(seen))


_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise_title(title: str) -> str:
    """Casefolded, accent-stripped words of ``title`` joined by single spaces."""
    decomposed = unicodedata.normalize("NFKD", title)
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", no_marks.casefold()).split())


def paper_id(title: str, *, arxiv_id: str | None = None, doi: str | None = None) -> str:
    """The stable identifier of a paper.

    Examples
    --------
    >>> paper_id("Anything", arxiv_id="2403.01234v2")
    'arxiv:2403.01234'
    >>> paper_id("Anything", doi="10.1000/XYZ")
    'doi:10.1000/xyz'
    >>> paper_id("Attention Is All You Need") == paper_id("attention is  all you need!")
    True
    """
    if arxiv_id:
        return "arxiv:" + re.sub(r"v\d+$", "", arxiv_id.strip())
    if doi:
        return "doi:" + doi.strip().lower()
    digest = hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:16]
    return "title:" + digest
