"""OpenAlex work records (JSON Lines, or an API page ``{"results": [...]}``).

OpenAlex gives no abstract text, only ``abstract_inverted_index`` (word -> positions),
which is turned back into text here. Ids: the DOI, and an arXiv id when a location
points at arxiv.org. Categories are the work's topics (else its concepts).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from kg.papers import Paper, SourceLocation
from kg.problems import ProblemLog
from kg.readers.dates import iso_date
from kg.readers.fields import FieldNames, as_strings, paper_from_record
from kg.readers.identifiers import arxiv_id_from, doi_from
from kg.readers.jsonrecords import iter_json_records
from kg.readers.source import Input

__all__ = ["read_openalex", "abstract_from_inverted_index", "OPENALEX_KEYS"]

OPENALEX_KEYS = ("abstract_inverted_index",)


def abstract_from_inverted_index(index: Mapping[str, list[int]]) -> str:
    """The text an OpenAlex inverted index encodes.

    Raises ValueError when positions are not lists of non-negative integers.

    Examples
    --------
    >>> abstract_from_inverted_index({"Despite": [0], "growing": [1], "interest,": [2], "the": [3, 5], "of": [4]})
    'Despite growing interest, the of the'
    """
    slots: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list) or not all(isinstance(p, int) and p >= 0 for p in positions):
            raise ValueError(f"positions of {word!r} are not a list of non-negative integers")
        for position in positions:
            slots[position] = word
    return " ".join(slots[position] for position in sorted(slots))


def _urls(record: dict) -> tuple[str, ...]:
    locations = [record.get("primary_location"), *(record.get("locations") or [])]
    urls = [loc.get(key) for loc in locations if isinstance(loc, dict) for key in ("landing_page_url", "pdf_url")]
    return tuple(dict.fromkeys(url for url in urls if isinstance(url, str) and url))


def _categories(record: dict) -> tuple[str, ...]:
    for key in ("topics", "concepts", "keywords"):
        names = as_strings(record.get(key))
        if names:
            return tuple(dict.fromkeys(names))
    return ()


def read_openalex(stream_or_path: Input, *, source: str, problems: ProblemLog, **_: object) -> Iterator[Paper]:
    """Papers from OpenAlex work records.

    Examples
    --------
    >>> import io, json
    >>> work = {"id": "https://openalex.org/W1", "doi": "https://doi.org/10.7717/PeerJ.4375", "title": "A title",
    ...         "publication_date": "2018-02-13", "authorships": [{"author": {"display_name": "Ada Lovelace"}}],
    ...         "abstract_inverted_index": {"We": [0], "study": [1], "graphs.": [2]}}
    >>> paper, = read_openalex(io.StringIO(json.dumps(work)), source="works.jsonl", problems=ProblemLog())
    >>> paper.id, paper.abstract, paper.authors, paper.date
    ('doi:10.7717/peerj.4375', 'We study graphs.', ('Ada Lovelace',), '2018-02-13')
    """
    names = FieldNames()
    for line, record in iter_json_records(stream_or_path, source=source, problems=problems):
        location = SourceLocation(source, line)
        index = record.get("abstract_inverted_index")
        try:
            abstract = abstract_from_inverted_index(index) if isinstance(index, dict) else None
        except ValueError as error:
            problems.report(source, line, f"bad abstract_inverted_index: {error}")
            continue
        if index is not None and not isinstance(index, dict):
            problems.report(source, line, "bad abstract_inverted_index: not an object")
            continue
        urls = _urls(record)
        ids = record.get("ids") if isinstance(record.get("ids"), dict) else {}
        doi = doi_from(str(record.get("doi") or ids.get("doi") or ""))
        arxiv_id = next(filter(None, map(arxiv_id_from, urls)), None)
        authors = tuple(
            name for item in record.get("authorships") or [] if isinstance(item, dict) for name in as_strings(item.get("author"))
        )
        paper = paper_from_record(
            {"title": record.get("title") or record.get("display_name")},
            names=names,
            location=location,
            problems=problems,
            abstract=abstract,
            doi=doi,
            arxiv_id=arxiv_id,
            urls=urls or tuple(filter(None, [record.get("doi")])),
            date=iso_date(record.get("publication_date") or record.get("publication_year")),
            authors=authors,
            categories=_categories(record),
        )
        if paper is not None:
            yield paper
