"""Turn one source record (a mapping of field name to value) into a `Paper`.

The JSON, CSV, arXiv-snapshot and OpenAlex readers all end here, so the rules for
titles, abstracts, ids, authors, dates and categories are the same for every format.
Field names are configurable (``--field title=ttl``); each field has default names,
tried in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace

from kg.papers import Paper, SourceLocation, paper_id
from kg.problems import ProblemLog
from kg.readers.dates import iso_date
from kg.readers.identifiers import arxiv_id_from, doi_from
from kg.textclean import clean_text, without_lone_surrogates

__all__ = ["FieldNames", "paper_from_record", "split_authors", "split_categories", "as_strings"]


@dataclass(frozen=True)
class FieldNames:
    """Which source keys hold each `Paper` field (first key present wins).

    Examples
    --------
    >>> FieldNames.parse(["title=ttl", "abstract=summary"]).title
    ('ttl',)
    """

    title: tuple[str, ...] = ("title",)
    abstract: tuple[str, ...] = ("abstract", "summary")
    id: tuple[str, ...] = ("id", "arxiv_id", "doi")
    date: tuple[str, ...] = ("date", "published", "publication_date", "year")
    authors: tuple[str, ...] = ("authors", "author")
    url: tuple[str, ...] = ("url", "urls", "link")
    categories: tuple[str, ...] = ("categories", "keywords")
    doi: tuple[str, ...] = ("doi",)

    @classmethod
    def parse(cls, specs: Iterable[str] | Mapping[str, str] | None) -> "FieldNames":
        """Field names from ``FIELD=KEY`` strings (or a mapping); unknown fields raise ValueError."""
        if not specs:
            return cls()
        pairs = specs.items() if isinstance(specs, Mapping) else (_split_spec(spec) for spec in specs)
        known = {f.name for f in fields(cls)}
        overrides: dict[str, tuple[str, ...]] = {}
        for name, key in pairs:
            if name not in known:
                raise ValueError(f"unknown field {name!r} in --field; choose from {', '.join(sorted(known))}")
            overrides[name] = (key,)
        return replace(cls(), **overrides)

    def value(self, record: Mapping, field_name: str) -> object:
        """The first non-empty value of ``field_name`` in ``record``, or None."""
        for key in getattr(self, field_name):
            value = record.get(key)
            if value not in (None, "", [], {}):
                return value
        return None


def _split_spec(spec: str) -> tuple[str, str]:
    name, sep, key = spec.partition("=")
    if not sep or not name.strip() or not key.strip():
        raise ValueError(f"--field expects FIELD=KEY (like title=ttl), not {spec!r}")
    return name.strip(), key.strip()


def as_strings(value: object) -> list[str]:
    """A value that may be one string, a list, or a list of ``{"name": ...}`` as strings."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("display_name")
        return [str(value)] if value else []
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in as_strings(item)]
    return [str(value)]


def split_authors(value: object) -> tuple[str, ...]:
    """Author names from a list, or a string separated by ``;``, ``and`` or commas.

    Examples
    --------
    >>> split_authors("Ada Lovelace, Alan Turing and Grace Hopper")
    ('Ada Lovelace', 'Alan Turing', 'Grace Hopper')
    >>> split_authors([{"name": "Ada Lovelace"}, "Alan Turing"])
    ('Ada Lovelace', 'Alan Turing')
    """
    names = as_strings(value)
    if len(names) == 1:
        text = names[0]
        separator = r";" if ";" in text else r",|\band\b"
        names = re.split(separator, text)
    cleaned = (clean_text(name) for name in names)
    return tuple(name for name in cleaned if name)


def split_categories(value: object) -> tuple[str, ...]:
    """Categories from a list or a string separated by spaces, commas or semicolons."""
    names = as_strings(value)
    if len(names) == 1:
        names = re.split(r"[;,]" if re.search(r"[;,]", names[0]) else r"\s+", names[0])
    cleaned = (clean_text(name) for name in names)
    return tuple(dict.fromkeys(name for name in cleaned if name))


def paper_from_record(
    record: Mapping, *, names: FieldNames, location: SourceLocation, problems: ProblemLog, **known: object
) -> Paper | None:
    """The `Paper` of one record, or None (reported) when it has no title or no abstract.

    ``known`` gives values a reader already worked out (``arxiv_id=``, ``urls=``,
    ``date=``...); they take precedence over the record's fields.

    Examples
    --------
    >>> from kg.papers import SourceLocation
    >>> paper = paper_from_record(
    ...     {"title": "T\\\\\\"ulu", "abstract": "An &amp; B.", "url": "https://arxiv.org/abs/2411.15124v1"},
    ...     names=FieldNames(), location=SourceLocation("x.jsonl", 3), problems=ProblemLog())
    >>> paper.id, paper.title, paper.abstract
    ('arxiv:2411.15124', 'Tülu', 'An & B.')
    """
    title = clean_text(_text(known.get("title", names.value(record, "title"))))
    abstract = clean_text(_text(known.get("abstract", names.value(record, "abstract"))))
    missing = [what for what, text in (("title", title), ("abstract", abstract)) if not text]
    if missing:
        problems.report(location.path, location.line, f"record has no {' and no '.join(missing)}")
        return None
    urls = tuple(known["urls"]) if "urls" in known else tuple(as_strings(names.value(record, "url")))
    urls = tuple(without_lone_surrogates(url) for url in urls)  # text fields are cleaned; these are not
    identifiers = [without_lone_surrogates(text) for text in (*as_strings(names.value(record, "id")), *as_strings(names.value(record, "doi")))]
    identifiers += urls
    arxiv_id = known.get("arxiv_id") or next(filter(None, map(arxiv_id_from, identifiers)), None)
    doi = known.get("doi") or next(filter(None, map(doi_from, identifiers)), None)
    doi = without_lone_surrogates(doi) if doi else doi
    date = known["date"] if "date" in known else iso_date(names.value(record, "date"))
    authors = known["authors"] if "authors" in known else split_authors(names.value(record, "authors"))
    categories = known["categories"] if "categories" in known else split_categories(names.value(record, "categories"))
    authors, categories = (tuple(without_lone_surrogates(text) for text in texts) for texts in (authors, categories))
    return Paper(
        id=paper_id(title, arxiv_id=arxiv_id, doi=doi),
        title=title,
        abstract=abstract,
        date=date,
        authors=tuple(authors),
        urls=tuple(dict.fromkeys(urls)),
        categories=tuple(categories),
        arxiv_id=arxiv_id,
        doi=doi,
        sources=(location,),
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return " ".join(str(item) for item in value)
    return str(value)
