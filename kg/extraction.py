"""Entity extraction for `kg`: papers in, frozen `PaperExtraction` records out.

The only door from `kg` into `extractors`: it hands over plain strings and gets
records back, never a spaCy object.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from extractors.records import PaperExtraction
from kg.papers import Paper

__all__ = ["PROFILES", "extract_papers"]

PROFILES = ("accurate", "fast")
log = logging.getLogger("kg.extraction")


def _within(paper: Paper, max_length: int) -> tuple[str, str, str]:
    """(id, title, abstract) cut to what spaCy accepts (``nlp.max_length`` characters in all).

    spaCy raises on a longer text, which would end the whole run; a prefix keeps every
    offset valid, so the rest is left out with a warning instead.
    """
    room = max_length - 64  # the field separator, with room to spare
    title = paper.title[: room // 2]
    abstract = paper.abstract[: room - len(title)]
    if len(title) < len(paper.title) or len(abstract) < len(paper.abstract):
        log.warning("%s: only the first %d characters are extracted (the text has %d)",
                    paper.id, room, len(paper.title) + len(paper.abstract))
    return paper.id, title, abstract


def extract_papers(
    papers: Iterable[Paper],
    *,
    profile: str = "accurate",
    batch_size: int = 256,  # extractors.pipeline.BATCH_SIZE (kg/ imports no spaCy module until it extracts)
    progress: bool = False,
) -> Iterator[PaperExtraction]:
    """One `PaperExtraction` per paper, in input order.

    Parameters
    ----------
    papers : the papers; offsets in the records index their ``title`` and ``abstract``.
    profile : ``"accurate"`` (rules and the trained tagger) or ``"fast"`` (rules only).
    batch_size : papers per spaCy batch.
    progress : show a progress bar on stderr.

    Examples
    --------
    >>> paper = Paper(id="p1", title="LoRA-Pro: better adapters", abstract="We propose LoRA-Pro.")
    >>> [record] = extract_papers([paper], profile="fast")
    >>> [(e.name, e.type, e.role) for e in record.entities]
    [('LoRA-Pro', 'Method', 'introduced'), ('adapters', 'Method', 'used')]
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    from extractors.pipeline import extract, load_pipeline

    nlp = load_pipeline(profile)
    items = (_within(paper, nlp.max_length) for paper in papers)
    records = extract(nlp, items, batch_size=batch_size)
    if progress:
        from tqdm import tqdm

        records = tqdm(records, desc="extracting", unit="paper", delay=1.0)
    yield from records
