"""The arXiv metadata snapshot (Kaggle ``arxiv-metadata-oai-snapshot.json``): one JSON record a line.

Records carry ``id``, ``title``, ``abstract``, ``authors`` (and ``authors_parsed``),
``categories`` (space separated), ``doi``, ``versions`` and ``update_date``. A paper's
date is the submission date of its first version, else ``update_date``.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.papers import Paper, SourceLocation
from kg.problems import ProblemLog
from kg.readers.dates import iso_date
from kg.readers.fields import FieldNames, paper_from_record, split_authors
from kg.readers.identifiers import arxiv_id_from
from kg.readers.jsonrecords import iter_json_records
from kg.readers.source import Input
from kg.textclean import clean_text

__all__ = ["read_arxiv", "ARXIV_KEYS"]

# Keys that only the arXiv snapshot has (used by format detection).
ARXIV_KEYS = ("authors_parsed", "update_date", "versions")


def _authors(record: dict) -> tuple[str, ...]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        # [last, first, suffix] -> "First Last Suffix"
        names = (" ".join(part for part in (p[1:2] + p[:1] + p[2:3]) if part) for p in parsed if isinstance(p, list))
        return tuple(name for name in map(clean_text, names) if name)
    return split_authors(record.get("authors"))


def _first_version_date(record: dict) -> str | None:
    versions = record.get("versions")
    if isinstance(versions, list):
        for version in versions:
            if isinstance(version, dict) and (date := iso_date(version.get("created"))):
                return date
    return iso_date(record.get("update_date"))


def read_arxiv(stream_or_path: Input, *, source: str, problems: ProblemLog, **_: object) -> Iterator[Paper]:
    """Papers from arXiv metadata snapshot records.

    Examples
    --------
    >>> import io, json
    >>> line = json.dumps({"id": "0704.0001", "title": "Calculation of prompt diphoton production",
    ...     "abstract": "  A fully differential calculation.\\n", "authors": "C. Bal\\\\'azs, E. L. Berger",
    ...     "authors_parsed": [["Bal\\\\'azs", "C.", ""], ["Berger", "E. L.", ""]], "categories": "hep-ph hep-ex",
    ...     "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}], "update_date": "2008-11-13"})
    >>> paper, = read_arxiv(io.StringIO(line), source="snap.jsonl", problems=ProblemLog())
    >>> paper.id, paper.authors, paper.date, paper.categories
    ('arxiv:0704.0001', ('C. Balázs', 'E. L. Berger'), '2007-04-02', ('hep-ph', 'hep-ex'))
    """
    names = FieldNames()
    for line, record in iter_json_records(stream_or_path, source=source, problems=problems):
        raw_id = str(record.get("id") or "").strip()
        arxiv_id = arxiv_id_from(raw_id)
        if raw_id and arxiv_id is None:
            problems.report(source, line, f"not an arXiv id: {raw_id[:40]!r}")
            continue
        paper = paper_from_record(
            record,
            names=names,
            location=SourceLocation(source, line),
            problems=problems,
            arxiv_id=arxiv_id,
            urls=(f"https://arxiv.org/abs/{arxiv_id}",) if arxiv_id else (),
            date=_first_version_date(record),
            authors=_authors(record),
        )
        if paper is not None:
            yield paper
