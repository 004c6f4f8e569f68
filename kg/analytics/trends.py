"""Trends: mentions per entity per period, and the entities whose share of papers rises.

Paper dates come as ``dcterms:date`` strings: full (``2024-03-14``), partial
(``2024-03``, ``2024``) or without a year (``--03-14``, as on daily listing pages). Dates
with a year are ordered by it; when no date has a year they are taken to be in one year;
when both kinds appear, the year-less ones cannot be placed and are counted as unordered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain

import numpy as np

from kg.analytics.mentions import MentionTable

__all__ = ["PaperDate", "parse_date", "TrendTable", "RisingEntity", "mention_trends", "rising_entities"]

_DATE = re.compile(r"^(?:(?P<year>\d{4})|-)-?(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?:[T ].*)?$")


@dataclass(frozen=True, order=True)
class PaperDate:
    """A possibly partial date; ``year`` is None for ``--MM-DD`` dates."""

    year: int | None
    month: int | None
    day: int | None

    def label(self, granularity: str) -> str:
        """The period this date falls in: ``2024``, ``2024-03``, ``2024-03-14`` or ``--03-14``."""
        year = f"{self.year:04d}" if self.year is not None else "-"
        if granularity == "year" or self.month is None:
            return year
        if granularity == "month" or self.day is None:
            return f"{year}-{self.month:02d}"
        return f"{year}-{self.month:02d}-{self.day:02d}"


def parse_date(text: str) -> PaperDate | None:
    """The `PaperDate` of an ISO 8601 date string, or None when it is not one.

    Examples
    --------
    >>> parse_date("2024-03-14"), parse_date("--03-14")
    (PaperDate(year=2024, month=3, day=14), PaperDate(year=None, month=3, day=14))
    >>> parse_date("2024-03-14T10:00:00Z").label("month"), parse_date("Mar 14")
    ('2024-03', None)
    """
    match = _DATE.match(text.strip())
    if not match or (match["year"] is None and match["month"] is None):
        return None
    year, month, day = (int(match[k]) if match[k] else None for k in ("year", "month", "day"))
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    return PaperDate(year, month, day)


@dataclass(frozen=True)
class TrendTable:
    """Mentions per entity per period, oldest period first.

    ``counts[entity][i]`` is the number of papers of ``periods[i]`` mentioning the entity
    (entities never mentioned in a dated paper are absent); ``undated`` papers have no
    usable date, ``unordered`` ones a year-less date among dates with years.
    """

    granularity: str
    periods: tuple[str, ...]
    papers: tuple[int, ...]
    counts: dict[str, tuple[int, ...]]
    undated: int
    unordered: int


def _granularity(dates: list[PaperDate]) -> str:
    if len({(d.year, d.month, d.day) for d in dates}) <= 31:
        return "day"
    if len({(d.year, d.month) for d in dates}) <= 36 or any(d.year is None for d in dates):
        return "month"
    return "year"


def mention_trends(table: MentionTable, *, granularity: str = "auto") -> TrendTable:
    """Count, per period (``day``, ``month``, ``year`` or ``auto``), papers mentioning each entity.

    ``auto`` picks days for up to 31 distinct days, else months for up to 36 months, else years.

    Examples
    --------
    >>> t = MentionTable.from_lists({"p1": ["a"], "p2": ["a", "b"], "p3": ["b"], "p4": ["b"]},
    ...     dates={"p1": "--03-11", "p2": "--03-14", "p3": "--03-14", "p4": "Thursday"})
    >>> trends = mention_trends(t)
    >>> trends.periods, trends.papers, trends.counts["b"], trends.undated
    (('--03-11', '--03-14'), (1, 2), (0, 2), 1)
    """
    distinct = {text: parse_date(text) for text in set(table.dates.values())}  # few dates, many papers
    parsed = {paper: distinct[table.dates[paper]] for paper in table.papers if paper in table.dates}
    dated = {paper: date for paper, date in parsed.items() if date is not None}
    undated = len(table.papers) - len(dated)
    with_year = {p: d for p, d in dated.items() if d.year is not None}
    unordered = 0
    if with_year and len(with_year) < len(dated):
        unordered = len(dated) - len(with_year)
        dated = with_year
    if granularity == "auto":
        granularity = _granularity(list(dated.values())) if dated else "day"
    if granularity not in ("day", "month", "year"):
        raise ValueError(f"unknown granularity {granularity!r}: use day, month, year or auto")
    if granularity == "year" and any(d.year is None for d in dated.values()):
        raise ValueError("dates without a year cannot be grouped by year")
    # Labels share one zero-padded shape per kind, so text order is time order.
    label_of = {date: date.label(granularity) for date in set(dated.values())}  # few dates, many papers
    periods = tuple(sorted(set(label_of.values())))
    position = {period: i for i, period in enumerate(periods)}
    slot_of = {date: position[label] for date, label in label_of.items()}
    # Counted as one bincount over (entity, period) cells: 100,000 papers' 1.6 million
    # mentions in a tenth of a second, not one dictionary update each.
    slots = np.fromiter((slot_of[date] for date in dated.values()), dtype=np.int64, count=len(dated))
    mentioned = [table.papers[paper] for paper in dated]
    sizes = np.fromiter(map(len, mentioned), dtype=np.int64, count=len(mentioned))
    entities = sorted(set().union(*mentioned))
    index = {entity: i for i, entity in enumerate(entities)}
    rows = np.fromiter(map(index.__getitem__, chain.from_iterable(mentioned)), dtype=np.int64, count=int(sizes.sum()))
    cells = np.bincount(rows * len(periods) + np.repeat(slots, sizes), minlength=len(entities) * len(periods))
    counts = {entity: tuple(row) for entity, row in zip(entities, cells.reshape(len(entities), len(periods)).tolist())}
    papers = np.bincount(slots, minlength=len(periods)).tolist()
    return TrendTable(granularity, periods, tuple(papers), counts, undated, unordered)


@dataclass(frozen=True)
class RisingEntity:
    """An entity whose share of papers is higher in the late periods than in the early ones."""

    iri: str
    label: str
    early: int  # papers mentioning it in the early periods
    late: int
    early_share: float
    late_share: float
    lift: float  # smoothed late share / early share


def rising_entities(
    table: MentionTable, trends: TrendTable, *, min_mentions: int = 3, top: int = 20
) -> list[RisingEntity]:
    """Entities ranked by how much their share of papers grows from early to late periods.

    The periods are split where the late side holds about half of the dated papers. The
    lift adds half a paper to both counts so that an entity absent early does not get an
    infinite lift; entities with fewer than ``min_mentions`` late papers are left out.
    No split, no rising entities: fewer than two periods give an empty list.

    Examples
    --------
    >>> t = MentionTable.from_lists({"p1": ["old"], "p2": ["old"], "p3": ["new", "old"], "p4": ["new"]},
    ...     dates={"p1": "2024-01", "p2": "2024-01", "p3": "2024-02", "p4": "2024-02"})
    >>> [(r.iri, r.early, r.late) for r in rising_entities(t, mention_trends(t), min_mentions=1)]
    [('new', 0, 2)]
    """
    if len(trends.periods) < 2:
        return []
    total = sum(trends.papers)
    split, late_papers = len(trends.periods) - 1, trends.papers[-1]
    while split > 1 and late_papers + trends.papers[split - 1] <= total / 2:
        split -= 1
        late_papers += trends.papers[split]
    early_papers = total - late_papers
    rising = []
    for entity, series in trends.counts.items():
        early, late = sum(series[:split]), sum(series[split:])
        if late < min_mentions:
            continue
        early_share, late_share = early / early_papers, late / late_papers
        lift = ((late + 0.5) / (late_papers + 0.5)) / ((early + 0.5) / (early_papers + 0.5))
        if lift > 1:
            rising.append(RisingEntity(entity, table.entities[entity].label, early, late, early_share, late_share, lift))
    rising.sort(key=lambda r: (-r.lift, -r.late, r.label, r.iri))
    return rising[:top]
