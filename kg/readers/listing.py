"""The daily-paper listing pages of the bundled corpus.

A page is a few header lines (``new``, ``Subscribe``...), a date line such as ``Mar 14``,
then a title line and an abstract line per paper, with blank lines in between. The date
has no year, so papers get the ISO 8601 partial date ``--03-14``. A later date line
starts a new day. A title whose abstract is missing, or an abstract without a title,
is reported and skipped without losing step with the rest of the page.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.papers import Paper, SourceLocation
from kg.problems import ProblemLog
from kg.readers.dates import LISTING_DATE, iso_date
from kg.readers.fields import FieldNames, paper_from_record
from kg.readers.source import Input, Line, iter_lines

__all__ = ["read_listing", "looks_like_listing"]

# Page furniture of the digest site above the first date line.
_HEADER_LINES = frozenset({"new", "get trending papers in your email inbox!", "subscribe", "byak and the research community"})
# Titles in the corpus run to ~170 characters and abstracts start near 1,300; a line
# longer than this is an abstract, a shorter one followed by a long one is a title.
TITLE_MAX_CHARS = 300
_HEADER_SCAN_LINES = 12


def looks_like_listing(head: str) -> bool:
    """Whether the start of a text file looks like a daily listing page (a date line near the top).

    Examples
    --------
    >>> looks_like_listing("new\\n\\nSubscribe\\n\\nMar 14\\n\\nA title\\n\\nAn abstract.")
    True
    """
    lines = [line.strip() for line in head.splitlines() if line.strip()][:_HEADER_SCAN_LINES]
    return any(LISTING_DATE.match(line) and iso_date(line) for line in lines)


def _is_title(line: Line, following: Line | None) -> bool:
    """At an abstract position: is this short line really the next paper's title?"""
    text = line.text.strip()
    return (
        len(text) <= TITLE_MAX_CHARS
        and not text.endswith((".", "!", "?"))
        and following is not None
        and len(following.text.strip()) > TITLE_MAX_CHARS
    )


def _report_lone_title(title: Line, source: str, problems: ProblemLog) -> None:
    problems.report(source, title.number, f"title with no abstract after it: {title.text.strip()[:60]!r}")


def read_listing(stream_or_path: Input, *, source: str, problems: ProblemLog, **_: object) -> Iterator[Paper]:
    """Papers of one daily-listing page, in page order.

    Examples
    --------
    >>> import io
    >>> page = io.StringIO("new\\n\\nMar 14\\n\\nT\\\\\\"ulu 3\\n\\nWe release T\\\\\\"ulu 3.\\n")
    >>> [(p.title, p.date, str(p.sources[0])) for p in read_listing(page, source="page.txt", problems=ProblemLog())]
    [('Tülu 3', '--03-14', 'page.txt:5')]
    """
    lines = [line for line in iter_lines(stream_or_path, source=source, problems=problems) if line.text.strip()]
    start = _body_start(lines)
    date: str | None = None
    title: Line | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        text = line.text.strip()
        if title is None:
            if LISTING_DATE.match(text) and (day := iso_date(text)):
                date = day
            elif len(text) > TITLE_MAX_CHARS:
                problems.report(source, line.number, "abstract with no title before it")
            else:
                title = line
            continue
        if LISTING_DATE.match(text) and (day := iso_date(text)):
            _report_lone_title(title, source, problems)
            date, title = day, None
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        if _is_title(line, following):
            _report_lone_title(title, source, problems)
            title = line
            continue
        if title.valid and line.valid:  # bad bytes were reported when the line was read
            record = {"title": title.text, "abstract": text}
            paper = paper_from_record(
                record, names=FieldNames(), location=SourceLocation(source, title.number), problems=problems, date=date
            )
            if paper is not None:
                yield paper
        title = None
    if title is not None:
        _report_lone_title(title, source, problems)


def _body_start(lines: list[Line]) -> int:
    """Index of the first line after the page header (the header ends at its date line)."""
    for index, line in enumerate(lines[:_HEADER_SCAN_LINES]):
        if LISTING_DATE.match(line.text.strip()) and iso_date(line.text.strip()):
            return index  # the date line itself is read by the loop
    index = 0
    while index < len(lines) and lines[index].text.strip().casefold() in _HEADER_LINES:
        index += 1
    return index
