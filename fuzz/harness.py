"""What every fuzz target checks: one input through one reader or the text clean-up.

A reader given any bytes must yield well-formed `kg.papers.Paper` records and report
everything else to its `ProblemLog`; in strict mode the only exception allowed is
`kg.problems.InputError`. `clean_text` must return a string without control
characters, and cleaning must be stable (cleaning the result again changes nothing).
Anything else raised here is a bug the fuzzer has found.
"""

from __future__ import annotations

import io
import json

from kg.corpus import paper_to_json
from kg.papers import Paper
from kg.problems import InputError, ProblemLog
from kg.readers import get_reader
from kg.textclean import clean_text

__all__ = ["check_reader", "check_clean_text", "READER_TARGETS"]

# One fuzz target per reader format (kg.readers.READERS) plus the text clean-up.
READER_TARGETS = ("listing", "json", "csv", "tsv", "arxiv", "openalex", "bibtex")


def _check_paper(paper: object, fmt: str) -> None:
    if not isinstance(paper, Paper):
        raise AssertionError(f"{fmt} reader yielded {type(paper).__name__}, not a Paper")
    if not paper.id or not paper.title or not paper.abstract:
        raise AssertionError(f"{fmt} reader yielded a paper without id, title or abstract: {paper!r}")
    for text in (paper.id, paper.title, paper.abstract):
        if not isinstance(text, str) or "\x00" in text:
            raise AssertionError(f"{fmt} reader yielded a NUL or non-text field: {paper!r}")
    if not paper.sources:
        raise AssertionError(f"{fmt} reader yielded a paper without a source location: {paper!r}")
    try:  # every output (papers.jsonl, RDF, HTML) is UTF-8: a lone surrogate would crash it
        json.dumps(paper_to_json(paper), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        raise AssertionError(f"{fmt} reader yielded text no UTF-8 output can hold: {error}") from None


def check_reader(fmt: str, data: bytes) -> list[Paper]:
    """Read ``data`` with the ``fmt`` reader, leniently then strictly; the papers read.

    Examples
    --------
    >>> [p.title for p in check_reader("json", b'{"title": "A", "abstract": "B"}')]
    ['A']
    >>> check_reader("csv", b"\\x00\\xff")
    []
    """
    reader = get_reader(fmt)
    problems = ProblemLog()
    papers = list(reader(io.BytesIO(data), source="fuzz-input", problems=problems))
    for paper in papers:
        _check_paper(paper, fmt)
    try:
        strict = list(reader(io.BytesIO(data), source="fuzz-input", problems=ProblemLog(strict=True)))
    except InputError:
        if not problems.problems:
            raise AssertionError(f"{fmt} reader raised in strict mode but reported nothing when lenient") from None
    else:
        if problems.problems:
            raise AssertionError(f"{fmt} reader reported {problems.problems[0]} but strict mode did not raise")
        if strict != papers:
            raise AssertionError(f"{fmt} reader read different papers in strict mode")
    return papers


def check_clean_text(text: str) -> str:
    """Clean ``text`` and check the result: a string without control characters, lone
    surrogates or surrounding space.

    Examples
    --------
    >>> check_clean_text("T\\\\\\"ulu &amp; \\x07 $k$-means")
    'Tülu & k-means'
    """
    cleaned = clean_text(text)
    if not isinstance(cleaned, str):
        raise AssertionError(f"clean_text returned {type(cleaned).__name__}")
    # Controls, lone surrogates and non-characters: no XML 1.0 output (RDF/XML, SPARQL XML) can hold them.
    bad = [ch for ch in cleaned if ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or 0xD800 <= ord(ch) <= 0xDFFF or ch in "\ufffe\uffff"]
    if bad:
        raise AssertionError(f"clean_text left control characters {bad!r} in {cleaned!r}")
    if cleaned != cleaned.strip():
        raise AssertionError(f"clean_text left surrounding whitespace in {cleaned!r}")
    return cleaned
