"""Prefixes every query may use without declaring them: the ontology's and the standard ones."""

from __future__ import annotations

from kg.vocab import PREFIXES as GRAPH_PREFIXES

__all__ = ["PREFIXES", "prefix_header"]

# The vocabularies the graph is written in (kg.vocab) plus companions queries often need.
PREFIXES: dict[str, str] = {
    **GRAPH_PREFIXES,
    "sh": "http://www.w3.org/ns/shacl#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def prefix_header() -> str:
    """The predeclared prefixes as SPARQL ``PREFIX`` lines (shown by the query page and ``--list``).

    Examples
    --------
    >>> prefix_header().splitlines()[0]
    'PREFIX kg: <https://w3id.org/kg/ontology#>'
    """
    return "\n".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items())
