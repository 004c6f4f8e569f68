"""RDF terms written as N-Quads text: how the graph's writers hand quads to Oxigraph.

A big build makes tens of millions of quads; an rdflib term object per term and a
conversion per quad cost more than Oxigraph's bulk loader itself. The paper graphs are
therefore written straight as N-Quads lines (`kg.graph.paper_facts`) from these pieces:
IRIs in angle brackets, string literals escaped as N-Quads requires, integers and
decimals typed. `kg.graphstore.QuadLoader` bulk-loads the lines (or, for rdflib's
in-memory store, reads them back as rdflib terms).

Examples
--------
>>> iri("https://example.org/a"), string('say "hi"\\n'), integer(3)
('<https://example.org/a>', '"say \\\\"hi\\\\"\\\\n"', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>')
>>> predicate("https://example.org/p")
' <https://example.org/p> '
>>> nquads_object(Decimal("0.5"))
'"0.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import XSD, Literal, URIRef

__all__ = ["iri", "predicate", "string", "integer", "decimal", "nquads_object", "quad_tail"]

_XSD_INTEGER = f"^^<{XSD.integer}>"
_XSD_DOUBLE = f"^^<{XSD.double}>"
_XSD_DECIMAL = f"^^<{XSD.decimal}>"
# N-Quads string escapes (everything else may stay as UTF-8).
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    """An IRI as an N-Quads term (the IRI must be valid: `kg.iris` mints only valid ones)."""
    return f"<{value}>"


def predicate(value: str) -> str:
    """An IRI as the middle of a line: ``subject + predicate(p) + object``."""
    return f" <{value}> "


def string(value: str) -> str:
    """An xsd:string literal."""
    return f'"{value.translate(_ESCAPES)}"'


def integer(value: int) -> str:
    """An xsd:integer literal."""
    return f'"{value}"{_XSD_INTEGER}'


def decimal(value: Decimal) -> str:
    """An xsd:decimal literal."""
    return f'"{value}"{_XSD_DECIMAL}'


def quad_tail(graph: str) -> str:
    """What ends every line of named graph ``graph``: its name and the full stop."""
    return f" <{graph}> .\n"


def nquads_object(value) -> str:
    """``value`` as an N-Quads object: an IRI, a literal, or a plain str/int/float/Decimal literal."""
    kind = type(value)
    if kind is URIRef:
        return f"<{value}>"
    if kind is str:
        return string(value)
    if kind is int:
        return integer(value)
    if kind is float:
        return f'"{value!r}"{_XSD_DOUBLE}'
    if kind is Decimal:
        return decimal(value)
    if isinstance(value, Literal):
        lexical = string(str(value))
        if value.language:
            return f"{lexical}@{value.language}"
        return f"{lexical}^^<{value.datatype}>" if value.datatype else lexical
    raise TypeError(f"cannot write {value!r} as an RDF object")
