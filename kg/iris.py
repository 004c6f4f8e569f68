"""IRIs of the resources the graph describes, all under one base IRI.

Layout (``{base}`` is `kg.vocab.DEFAULT_BASE` unless configured)::

    {base}paper/{paper id}                 a paper (``arxiv:2403.01234``, ``doi:10.1%2Fx``)
    {base}entity/{slug}                    a resolved entity (`kg.resolve`)
    {base}mention/{paper id}/{field}-{start}-{end}-{entity slug}
    {base}sentence/{paper id}/{field}-{start}-{end}
    {base}evidence/{paper id}/{relation}-{digest}
    {base}relation/{relation}-{digest}     a relation with its support across papers
    {base}run/{digest}                     an extraction run
    {base}graph/paper/{paper id}           the named graph of one paper
    {base}graph/corpus                     the shared named graph

Every segment made from data is percent-encoded down to unreserved ASCII characters (and
``:``), so no text from a paper can put a space, quote or angle bracket into an IRI.

Examples
--------
>>> iris = ResourceIRIs("https://example.org/kg/")
>>> iris.paper("doi:10.1000/a b")
rdflib.term.URIRef('https://example.org/kg/paper/doi:10.1000%2Fa%20b')
>>> code_iri('github.com/a/b"c<d>')
rdflib.term.URIRef('https://github.com/a/b%22c%3Cd%3E')
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph
from rdflib import URIRef

__all__ = ["ResourceIRIs", "segment", "digest", "code_iri", "is_valid_iri"]

# Characters N-Triples forbids in an IRI, plus anything non-printing.
_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|^`\\\x7f-\x9f]")
# What may stay in a URL found in text: RFC 3986 reserved + unreserved characters and '%'.
_URL_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


@functools.lru_cache(maxsize=1 << 16)
def segment(text: str) -> str:
    """``text`` percent-encoded as one path segment (only ``A-Za-z0-9-._~:`` stay as they are)."""
    return quote(text, safe=":")


def digest(*parts: str, length: int = 12) -> str:
    """A short, stable hex digest of ``parts``."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def is_valid_iri(iri: str) -> bool:
    """True when ``iri`` is absolute, has no character N-Triples forbids and is an RFC 3987
    IRI (Oxigraph's strict parser accepts it: a port is digits, ``%`` starts an escape...).

    Examples
    --------
    >>> is_valid_iri("https://github.com/a/b"), is_valid_iri("https://a:b@c:x/"), is_valid_iri("https://a/%zz")
    (True, False, False)
    """
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", iri) or _FORBIDDEN.search(iri):
        return False
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError:
        return False
    return True


def code_iri(url: str) -> URIRef:
    """A URL seen in text as a valid IRI: scheme added when missing, unsafe characters escaped.

    A URL that is still no IRI after that (``<a data="javascript:x">`` read as host
    ``<a data="javascript`` with port ``x">``, a stray ``%``) keeps only its scheme and
    ``/`` unescaped, so the graph stays loadable by strict parsers.

    Examples
    --------
    >>> code_iri('x.org:js:alert(1)')
    rdflib.term.URIRef('https://x.org%3Ajs%3Aalert%281%29')
    """
    url = url.strip()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*://", url):
        url = "https://" + url.lstrip("/")
    iri = quote(url, safe=_URL_SAFE)
    if not is_valid_iri(iri):
        scheme, _, rest = url.partition("://")
        iri = f"{scheme}://{quote(rest, safe='/')}"
    return URIRef(iri)


@dataclass(frozen=True)
class ResourceIRIs:
    """Mints the IRIs of one graph under ``base`` (see the module docstring for the layout)."""

    base: str

    def paper(self, paper_id: str) -> URIRef:
        return URIRef(f"{self.base}paper/{segment(paper_id)}")

    def paper_graph(self, paper_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/paper/{segment(paper_id)}")

    @property
    def corpus_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/corpus")

    def entity(self, slug: str) -> URIRef:
        return URIRef(f"{self.base}entity/{slug}")

    def mention(self, paper_id: str, field: str, start: int, end: int, entity_slug: str) -> URIRef:
        return URIRef(f"{self.base}mention/{segment(paper_id)}/{segment(field)}-{start}-{end}-{entity_slug}")

    def sentence(self, paper_id: str, field: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}sentence/{segment(paper_id)}/{segment(field)}-{start}-{end}")

    def evidence(self, paper_id: str, relation: str, *key: str) -> URIRef:
        return URIRef(f"{self.base}evidence/{segment(paper_id)}/{segment(relation)}-{digest(*key)}")

    def relation(self, head_slug: str, relation: str, tail_slug: str) -> URIRef:
        return URIRef(f"{self.base}relation/{segment(relation)}-{digest(head_slug, relation, tail_slug)}")

    def run(self, *key: str) -> URIRef:
        return URIRef(f"{self.base}run/{digest(*key)}")
