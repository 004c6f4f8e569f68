"""Entity extraction for `kg`: papers in, frozen `PaperExtraction` records out.

The only door from `kg` into `extractors`: it hands over plain strings and gets
records back, never a spaCy object.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from extractors.records import PaperExtraction
from kg.papers import Paper

__all__ = ["PROFILES", "extract_papers"]

PROFILES = ("accurate", "fast")


def extract_papers(
    papers: Iterable[Paper],
    *,
    profile: str = "accurate",
    batch_size: int = 64,
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
    items = ((paper.id, paper.title, paper.abstract) for paper in papers)
    records = extract(nlp, items, batch_size=batch_size)
    if progress:
        from tqdm import tqdm

        records = tqdm(records, desc="extracting", unit="paper", delay=1.0)
    yield from records
