"""Corpus readers, one module per input format, and how a file's format is chosen.

Every reader is a generator ``read_<format>(stream_or_path, *, source, problems, ...)``
yielding `kg.papers.Paper` records and reporting bad records to the
`kg.problems.ProblemLog` it is given. `READERS` maps a format name to its reader
(imported on first use); `detect_format` picks one from the file name and its first
bytes; ``--format`` overrides it.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from pathlib import PurePath

from kg.papers import Paper

__all__ = ["READERS", "FORMATS", "FORMAT_NAMES", "get_reader", "detect_format", "has_known_extension", "UnknownFormat"]

Reader = Callable[..., Iterator[Paper]]

# format name -> "module:function"
READERS: dict[str, str] = {
    "listing": "kg.readers.listing:read_listing",
    "json": "kg.readers.jsonrecords:read_json",
    "csv": "kg.readers.csvfile:read_csv",
    "tsv": "kg.readers.csvfile:read_tsv",
    "arxiv": "kg.readers.arxiv:read_arxiv",
    "openalex": "kg.readers.openalex:read_openalex",
    "bibtex": "kg.readers.bibtex:read_bibtex",
}
FORMATS = tuple(READERS)
_ALIASES = {"jsonl": "json", "ndjson": "json", "bib": "bibtex", "txt": "listing", "text": "listing"}
FORMAT_NAMES = FORMATS + tuple(_ALIASES)  # what --format accepts

_EXTENSIONS = {
    ".bib": "bibtex", ".bibtex": "bibtex",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
    ".txt": "listing",
}
_BIBTEX_START = re.compile(rb"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)
_OPENALEX_KEY = re.compile(rb'"abstract_inverted_index"\s*:')
_ARXIV_KEY = re.compile(rb'"(?:authors_parsed|update_date)"\s*:')


class UnknownFormat(ValueError):
    """A format name that no reader handles, or a file whose format cannot be told."""


def get_reader(format: str) -> Reader:
    """The reader function of a format name (or alias such as ``jsonl``, ``bib``).

    Examples
    --------
    >>> get_reader("jsonl").__name__
    'read_json'
    """
    name = _ALIASES.get(format.lower(), format.lower())
    if name not in READERS:
        raise UnknownFormat(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    module_name, _, function = READERS[name].partition(":")
    return getattr(importlib.import_module(module_name), function)


def _json_flavour(head: bytes) -> str:
    if _OPENALEX_KEY.search(head):
        return "openalex"
    if _ARXIV_KEY.search(head):
        return "arxiv"
    return "json"


def _inner_path(name: str | PurePath) -> PurePath:
    path = PurePath(name)
    return path.with_suffix("") if path.suffix.lower() == ".gz" else path  # works.jsonl.gz


def has_known_extension(name: str | PurePath) -> bool:
    """Whether a file name has an extension some reader handles (``.gz`` looked through).

    Directories given as input are read for these files only, so a README beside the
    data is not an error.

    Examples
    --------
    >>> has_known_extension("a/works.jsonl.gz"), has_known_extension("README.md")
    (True, False)
    """
    return _inner_path(name).suffix.lower() in _EXTENSIONS


def detect_format(name: str | PurePath, head: bytes) -> str:
    """The format of a file from its name and first bytes (a few KiB, already inflated if gzip).

    JSON files are told apart by their keys (OpenAlex: ``abstract_inverted_index``;
    arXiv snapshot: ``authors_parsed``/``update_date``). Without a known extension the
    content decides. Raises `UnknownFormat` when neither tells.

    Examples
    --------
    >>> detect_format("works.jsonl", b'{"id": "W1", "abstract_inverted_index": {}}')
    'openalex'
    >>> detect_format("-", b"@article{key, title={A}}"), detect_format("papers.tsv", b"title\\tabstract")
    ('bibtex', 'tsv')
    """
    suffix = _inner_path(name).suffix.lower()
    by_extension = _EXTENSIONS.get(suffix)
    if by_extension == "json":
        return _json_flavour(head)
    if by_extension and by_extension != "listing":
        return by_extension
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return _json_flavour(head)
    if _BIBTEX_START.search(head):
        return "bibtex"
    first_line = stripped.split(b"\n", 1)[0].lower()
    if b"title" in first_line and b"abstract" in first_line:
        if b"\t" in first_line:
            return "tsv"
        if b"," in first_line or b";" in first_line:
            return "csv"
    if by_extension == "listing":
        return "listing"
    from kg.readers.listing import looks_like_listing

    if looks_like_listing(head.decode("utf-8", "replace")):
        return "listing"
    raise UnknownFormat(f"{name}: cannot tell the format from the name or content; pass --format ({', '.join(FORMATS)})")
