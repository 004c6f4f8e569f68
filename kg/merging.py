"""One paper from many records: duplicate detection by identity and the merge rule.

Two records are the same paper when they share an id, an arXiv id or a DOI, or when
their normalised titles match and at least one of them has neither arXiv id nor DOI
(two different DOIs with one title stay two papers: a preprint and its journal version
are the user's call). The merged paper keeps the longer abstract (the first seen on a
tie), fills missing metadata from the other, and keeps every source location.
"""

from __future__ import annotations

from dataclasses import replace

from kg.papers import Paper, paper_id

__all__ = ["merge_papers", "PaperMerger", "identity_keys"]


def _strong_keys(paper: Paper) -> list[str]:
    keys = [paper.id]
    if paper.arxiv_id:
        keys.append(paper_id("", arxiv_id=paper.arxiv_id))
    if paper.doi:
        keys.append(paper_id("", doi=paper.doi))
    return [key for key in keys if not key.startswith("title:")]


def _title_key(paper: Paper) -> str:
    return paper_id(paper.title)


def identity_keys(paper: Paper) -> tuple[list[str], str]:
    """(the keys that make two records one paper whatever their titles, the key of its title).

    Examples
    --------
    >>> sorted(set(identity_keys(Paper("arxiv:2401.00001", "A Study", "x", arxiv_id="2401.00001", doi="10.1/Y"))[0]))
    ['arxiv:2401.00001', 'doi:10.1/y']
    >>> identity_keys(Paper(paper_id("A study"), "A study", "x")) == ([], paper_id("A Study!"))
    True
    """
    return _strong_keys(paper), _title_key(paper)


def _better_date(first: str | None, second: str | None) -> str | None:
    # A date with a year beats a partial `--MM-DD`; then the more precise one.
    dates = [date for date in (first, second) if date]
    return max(dates, key=lambda d: (not d.startswith("--"), len(d)), default=None)


def merge_papers(kept: Paper, other: Paper) -> Paper:
    """``kept`` and ``other`` as one paper (``kept`` was seen first).

    Examples
    --------
    >>> from kg.papers import SourceLocation
    >>> a = Paper("title:1", "T", "short", date="--03-14", sources=(SourceLocation("a.txt", 7),))
    >>> b = Paper("title:1", "T", "a longer abstract", authors=("Ada",), sources=(SourceLocation("b.txt", 9),))
    >>> m = merge_papers(a, b)
    >>> m.abstract, m.date, m.authors, [str(s) for s in m.sources]
    ('a longer abstract', '--03-14', ('Ada',), ['a.txt:7', 'b.txt:9'])
    """
    base, donor = (other, kept) if len(other.abstract) > len(kept.abstract) else (kept, other)
    arxiv_id = base.arxiv_id or donor.arxiv_id
    doi = base.doi or donor.doi
    return replace(
        base,
        id=paper_id(base.title, arxiv_id=arxiv_id, doi=doi),
        date=_better_date(base.date, donor.date),
        authors=base.authors or donor.authors,
        urls=tuple(dict.fromkeys(base.urls + donor.urls)),
        categories=tuple(dict.fromkeys(base.categories + donor.categories)),
        arxiv_id=arxiv_id,
        doi=doi,
        sources=kept.with_sources(*other.sources).sources,
    )


class PaperMerger:
    """Collects papers in first-seen order, merging each duplicate into the paper it repeats.

    Examples
    --------
    >>> merger = PaperMerger()
    >>> merger.add(Paper(paper_id("A study"), "A study", "x"))
    0
    >>> merger.add(Paper("arxiv:2401.00001", "A Study!", "xy", arxiv_id="2401.00001"))  # merged into paper 0
    0
    >>> [p.id for p in merger.papers()], merger.merged
    (['arxiv:2401.00001'], 1)
    """

    def __init__(self) -> None:
        self._papers: list[Paper] = []
        self._slots: dict[str, int] = {}  # identity key -> index in _papers
        self.merged = 0

    def _find(self, paper: Paper) -> int | None:
        for key in _strong_keys(paper):
            if key in self._slots:
                return self._slots[key]
        slot = self._slots.get(_title_key(paper))
        if slot is None:
            return None
        # Same title: one paper unless both carry (different) arXiv ids or DOIs.
        if _strong_keys(paper) and _strong_keys(self._papers[slot]):
            return None
        return slot

    def _register(self, paper: Paper, slot: int) -> None:
        for key in (*_strong_keys(paper), _title_key(paper)):
            self._slots.setdefault(key, slot)

    def add(self, paper: Paper) -> int:
        """Add one paper, merging it if it repeats one already added; returns its place in `papers`."""
        slot = self._find(paper)
        if slot is None:
            self._papers.append(paper)
            self._register(paper, len(self._papers) - 1)
            return len(self._papers) - 1
        self._papers[slot] = merge_papers(self._papers[slot], paper)
        self._register(self._papers[slot], slot)
        self._register(paper, slot)
        self.merged += 1
        return slot

    def papers(self) -> tuple[Paper, ...]:
        """The distinct papers, in the order they were first seen."""
        return tuple(self._papers)
