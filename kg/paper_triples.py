"""A paper's metadata as triples: identifiers, title, abstract, date, authors, links, code.

Code repositories are the links of the paper (`Paper.urls`) and the URLs written in its
abstract that point to a code host; they become `schema:codeRepository`, every other link
`schema:url`. The date is typed by its precision (xsd:date, xsd:gYearMonth, xsd:gYear,
xsd:gMonthDay) and kept as a plain string when it is none of those.

Examples
--------
>>> code_urls("Code: https://github.com/org/repo. Data at https://example.org/x and huggingface.co/org/m.")
['https://github.com/org/repo', 'huggingface.co/org/m']
>>> date_literal("2024-02").datatype
rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from rdflib import DCTERMS, RDF, XSD, Literal, URIRef

from kg.iris import code_iri
from kg.papers import Paper
from kg.vocab import KG, SCHEMA

__all__ = ["CODE_HOSTS", "urls_in", "code_urls", "date_literal", "paper_triples"]

CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org", "sourceforge.net",
              "gitee.com", "git.")

_URL = re.compile(r"(?:https?://|www\.|(?<![\w@/.])(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org)/)[^\s<>\"'{}|\\^`]+",
                  re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


def urls_in(text: str) -> list[str]:
    """URLs written in ``text``, without trailing punctuation, in order, without repeats."""
    found = []
    for match in _URL.finditer(text or ""):
        url = match.group(0)
        while url and url[-1] in _TRAILING and not (url[-1] == ")" and url.count("(") >= url.count(")")):
            url = url[:-1]
        if url not in found:
            found.append(url)
    return found


def _is_code(url: str) -> bool:
    host = re.sub(r"^[a-z]+://", "", url.lower()).removeprefix("www.").split("/", 1)[0]
    return any(host == h or host.endswith("." + h) or (h.endswith(".") and host.startswith(h)) for h in CODE_HOSTS)


def code_urls(text: str) -> list[str]:
    """The URLs of ``text`` that point to a code host."""
    return [url for url in urls_in(text) if _is_code(url)]


def date_literal(value: str) -> Literal:
    """``value`` (ISO 8601, possibly partial) as a literal typed by its precision."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            date.fromisoformat(value)
            return Literal(value, datatype=XSD.date)
        except ValueError:
            return Literal(value)
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    if re.fullmatch(r"--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", value):
        return Literal(value, datatype=XSD.gMonthDay)
    return Literal(value)


def paper_triples(paper: Paper, node: URIRef) -> Iterator[tuple]:
    """The metadata triples of ``paper`` about ``node`` (plain str objects are string literals)."""
    yield node, RDF.type, KG.Paper
    yield node, DCTERMS.identifier, paper.id
    yield node, DCTERMS.title, paper.title or paper.id
    if paper.abstract:
        yield node, DCTERMS.abstract, paper.abstract
    if paper.date:
        yield node, DCTERMS.date, date_literal(paper.date)
    for author in paper.authors:
        if author.strip():
            yield node, DCTERMS.creator, author
    for category in paper.categories:
        if category.strip():
            yield node, DCTERMS.subject, category
    if paper.arxiv_id:
        yield node, KG.arxivId, paper.arxiv_id
        yield node, SCHEMA.sameAs, code_iri(f"https://arxiv.org/abs/{paper.arxiv_id}")
    if paper.doi and paper.doi.startswith("10."):
        yield node, KG.doi, paper.doi
        yield node, SCHEMA.sameAs, code_iri(f"https://doi.org/{paper.doi}")
    links = list(dict.fromkeys([*paper.urls, *urls_in(paper.abstract)]))
    for url in links:
        yield node, SCHEMA.codeRepository if _is_code(url) else SCHEMA.url, code_iri(url)
