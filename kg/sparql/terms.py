"""Query parameters: ``name=value`` text to RDF terms, and terms between rdflib and Oxigraph.

A value is read with SPARQL's own term syntax where it has one, so users write what they
would write in a query: ``<http://...>`` or ``kg:Model`` for an IRI, ``"text"@en`` or
``"5"^^xsd:integer`` for a literal, bare ``42``/``4.2``/``true`` for numbers and booleans.
Anything else is a plain string literal (``method=LoRA``). Terms reach the engines as
terms (rdflib ``initBindings``) or re-serialised canonically (`kg.sparql.values`), never
as the user's text.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.sparql.prefixes import PREFIXES

__all__ = ["BindingError", "parse_binding", "parse_term", "from_oxigraph"]

_VARIABLE = re.compile(r"^[?$]?([A-Za-z_][A-Za-z0-9_]*)$")
_IRI = re.compile(r'^<([^<>"{}|^`\\\s]*)>$')
_PREFIXED = re.compile(r"^([A-Za-z][\w.-]*)?:([\w.-]*)$")
_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?$', re.DOTALL)
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class BindingError(ValueError):
    """A ``--bind`` argument that is not ``name=value`` or whose value is not a valid term."""


def _iri(text: str, original: str) -> URIRef:
    iri = _IRI.match(text)
    if iri:
        return URIRef(iri.group(1))
    prefixed = _PREFIXED.match(text)
    if prefixed and (prefixed.group(1) or "") in PREFIXES:
        return URIRef(PREFIXES[prefixed.group(1) or ""] + prefixed.group(2))
    raise BindingError(f"{original!r}: not an IRI; write <http://...> or a predeclared prefix such as kg:Model")


def parse_term(text: str) -> Node:
    """One value in SPARQL term syntax, or a plain string literal.

    Examples
    --------
    >>> parse_term("LoRA")
    rdflib.term.Literal('LoRA')
    >>> parse_term("kg:Model")
    rdflib.term.URIRef('https://w3id.org/kg/ontology#Model')
    >>> parse_term('"Transformer"@en').language
    'en'
    >>> parse_term("3").datatype == XSD.integer
    True
    """
    if text.startswith("<") and text.endswith(">"):
        return _iri(text, text)
    literal = _LITERAL.match(text)
    if literal:
        lexical = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), literal.group(1))
        if literal.group(3):
            return Literal(lexical, datatype=_iri(literal.group(3), text))
        return Literal(lexical, lang=literal.group(2))
    if _INTEGER.match(text):
        return Literal(text, datatype=XSD.integer)
    if _DECIMAL.match(text):
        return Literal(text, datatype=XSD.decimal)
    if text in ("true", "false"):
        return Literal(text, datatype=XSD.boolean)
    prefixed = _PREFIXED.match(text)
    if prefixed and (prefixed.group(1) or "") in PREFIXES:
        return _iri(text, text)
    return Literal(text)


def parse_binding(argument: str) -> tuple[str, Node]:
    """``name=value`` (the ``--bind`` option) -> (variable name, term).

    Examples
    --------
    >>> parse_binding("method=LoRA")
    ('method', rdflib.term.Literal('LoRA'))
    >>> parse_binding("?paper=<https://example.org/p/1>")
    ('paper', rdflib.term.URIRef('https://example.org/p/1'))
    """
    name, equals, value = argument.partition("=")
    variable = _VARIABLE.match(name.strip())
    if not equals or not variable:
        raise BindingError(f"{argument!r}: expected name=value, e.g. method=LoRA or paper=<http://...>")
    return variable.group(1), parse_term(value)


# Results repeat terms (predicates, types, the bound entity, shared papers) and building a
# typed rdflib Literal costs 10-20 us (it parses the value), hashing an Oxigraph term 0.1 us.
@lru_cache(maxsize=1 << 16)
def from_oxigraph(term: object) -> Node | None:
    """An Oxigraph term (or None for unbound) as the rdflib term it stands for.

    Examples
    --------
    >>> from_oxigraph(ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer)))).toPython()
    3
    >>> from_oxigraph(None) is None
    True
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"{term!r}: RDF-star triples are not supported in results")
