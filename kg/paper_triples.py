"""A paper's metadata as triples: identifiers, title, abstract, date, authors, links, code.

They are written straight as N-Quads lines (`paper_nquads`, terms from `kg.nquads`): a
big build makes them for every paper, and rdflib term objects would cost more than
loading them.

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
from datetime import date

from rdflib import DCTERMS, RDF, XSD, Literal

from kg.iris import code_iri
from kg.nquads import iri, nquads_object, predicate, string
from kg.papers import Paper
from kg.vocab import KG, SCHEMA

__all__ = ["CODE_HOSTS", "urls_in", "code_urls", "date_literal", "paper_nquads"]

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


_TYPE_PAPER = predicate(str(RDF.type)) + iri(str(KG.Paper))
_IDENTIFIER, _TITLE, _ABSTRACT, _DATE, _CREATOR, _SUBJECT = (
    predicate(str(term)) for term in (DCTERMS.identifier, DCTERMS.title, DCTERMS.abstract, DCTERMS.date,
                                      DCTERMS.creator, DCTERMS.subject))
_ARXIV_ID, _DOI, _SAME_AS, _CODE, _LINK = (
    predicate(str(term)) for term in (KG.arxivId, KG.doi, SCHEMA.sameAs, SCHEMA.codeRepository, SCHEMA.url))


def paper_nquads(paper: Paper, node: str, tail: str) -> list[str]:
    """The metadata of ``paper`` as N-Quads lines about ``node`` (an IRI term, `kg.nquads.iri`),
    each ending in ``tail`` (`kg.nquads.quad_tail` of the paper's graph).

    Examples
    --------
    >>> lines = paper_nquads(Paper(id="p1", title="T", abstract="", date="2024-02"), "<http://x/p1>", " <http://x/g> .\\n")
    >>> len(lines), lines[-1].split()[2]
    (4, '"2024-02"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>')
    """
    lines = [node + _TYPE_PAPER + tail, node + _IDENTIFIER + string(paper.id) + tail,
             node + _TITLE + string(paper.title or paper.id) + tail]
    if paper.abstract:
        lines.append(node + _ABSTRACT + string(paper.abstract) + tail)
    if paper.date:
        lines.append(node + _DATE + nquads_object(date_literal(paper.date)) + tail)
    for author in paper.authors:
        if author.strip():
            lines.append(node + _CREATOR + string(author) + tail)
    for category in paper.categories:
        if category.strip():
            lines.append(node + _SUBJECT + string(category) + tail)
    if paper.arxiv_id:
        lines.append(node + _ARXIV_ID + string(paper.arxiv_id) + tail)
        lines.append(node + _SAME_AS + iri(code_iri(f"https://arxiv.org/abs/{paper.arxiv_id}")) + tail)
    if paper.doi and paper.doi.startswith("10."):
        lines.append(node + _DOI + string(paper.doi) + tail)
        lines.append(node + _SAME_AS + iri(code_iri(f"https://doi.org/{paper.doi}")) + tail)
    for url in dict.fromkeys([*paper.urls, *urls_in(paper.abstract)]):
        lines.append(node + (_CODE if _is_code(url) else _LINK) + iri(code_iri(url)) + tail)
    return lines
