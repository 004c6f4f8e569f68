"""BibTeX files whose entries carry an ``abstract`` field (parsed by bibtexparser v2).

Title, abstract and author names are LaTeX; they go through `kg.textclean` like every
other text. Ids come from ``doi``, ``eprint`` (with ``archivePrefix = arXiv``) or an
arXiv ``url``/``journal``; the date from ``date``, else ``year`` and ``month``.
"""

from __future__ import annotations

from collections.abc import Iterator

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from kg.papers import Paper, SourceLocation
from kg.problems import ProblemLog
from kg.readers.dates import iso_date, month_number
from kg.readers.fields import FieldNames, paper_from_record, split_categories
from kg.readers.identifiers import arxiv_id_from, doi_from
from kg.readers.source import Input, SourceText, read_text
from kg.textclean import clean_text

__all__ = ["read_bibtex"]


def _authors(names: object) -> tuple[str, ...]:
    if not isinstance(names, list):
        return ()
    people = []
    for name in names:
        if isinstance(name, middlewares.NameParts):
            text = " ".join(name.first + name.von + name.last) + (", " + " ".join(name.jr) if name.jr else "")
        else:
            text = str(name)
        text = clean_text(text)
        if text and text.casefold() != "others":
            people.append(text)
    return tuple(people)


def _date(fields: dict[str, str]) -> str | None:
    if date := iso_date(fields.get("date")):
        return date
    year = iso_date(fields.get("year"))
    month = month_number(fields.get("month"))
    return f"{year}-{month:02d}" if year and len(year) == 4 and month else year


def _arxiv_id(fields: dict[str, str]) -> str | None:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if fields.get("eprint") and prefix in ("arxiv", ""):
        if found := arxiv_id_from(fields["eprint"]):
            return found
    for key in ("url", "journal", "doi"):
        if found := arxiv_id_from(fields.get(key)) or arxiv_id_from((fields.get(key) or "").rpartition(" ")[2]):
            return found
    return None


def _entry_paper(entry: Entry, text: SourceText, source: str, problems: ProblemLog) -> Paper | None:
    first = entry.start_line + 1
    if text.spans_bad_line(first, first + entry.raw.count("\n")):
        return None  # bad bytes were reported when the line was read
    fields = {key.lower(): value for key, value in ((f.key, f.value) for f in entry.fields)}
    plain = {key: value for key, value in fields.items() if isinstance(value, str)}
    url = plain.get("url")
    return paper_from_record(
        plain,
        names=FieldNames(),
        location=SourceLocation(source, first),
        problems=problems,
        arxiv_id=_arxiv_id(plain),
        doi=doi_from(plain.get("doi")),
        urls=(url.strip(),) if url and url.strip() else (),
        date=_date(plain),
        authors=_authors(fields.get("author")),
        categories=split_categories(plain.get("keywords")),
    )


def read_bibtex(stream_or_path: Input, *, source: str, problems: ProblemLog, **_: object) -> Iterator[Paper]:
    """Papers from the entries of a BibTeX file; unparsable entries are reported with their line.

    Examples
    --------
    >>> import io
    >>> bib = io.StringIO('@article{k, title={T\\\\"ulu 3}, abstract={We \\\\emph{release} it.},\\n'
    ...                   ' author={Lambert, Nathan and M{\\\\"u}ller, Hans}, year=2024, month=nov,'
    ...                   ' eprint={2411.15124v2}, archivePrefix={arXiv}}')
    >>> paper, = read_bibtex(bib, source="refs.bib", problems=ProblemLog())
    >>> paper.id, paper.title, paper.abstract, paper.authors, paper.date
    ('arxiv:2411.15124', 'Tülu 3', 'We release it.', ('Nathan Lambert', 'Hans Müller'), '2024-11')
    """
    text = read_text(stream_or_path, source=source, problems=problems)
    if text is None or not text.text.strip():
        return
    library = _parse(text.text)
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            # A repeated key is still a record (ids decide duplicates), but bibtexparser
            # skips its middlewares: parse it again on its own, keeping its line.
            block = _reparse(block)
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", None) or str(block.error) or type(block.error).__name__
            problems.report(source, block.start_line + 1, f"malformed BibTeX entry: {reason.strip()}")
            continue
        if isinstance(block, Entry):
            paper = _entry_paper(block, text, source, problems)
            if paper is not None:
                yield paper


def _parse(text: str) -> bibtexparser.Library:
    return bibtexparser.parse_string(text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()])


def _reparse(block: DuplicateBlockKeyBlock) -> Entry | None:
    entries = _parse("\n" * block.start_line + block.raw).entries  # newlines keep its line number
    return entries[0] if entries else None
