"""Write a `QueryResult` as text: an aligned table for people, or a standard format.

SELECT/ASK results: ``table``, ``csv``, ``tsv`` (SPARQL 1.1 CSV/TSV), ``json``
(SPARQL 1.1 Query Results JSON) and ``xml``; JSON and XML go through rdflib's own
results serializers, CSV through the csv module. CONSTRUCT/DESCRIBE results: ``turtle``, ``nt``, ``xml`` (RDF/XML)
and ``json-ld``, through rdflib's graph serializers with the predeclared prefixes bound.
"""

from __future__ import annotations

import csv
import io
import re

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result
from rdflib.term import Node, Variable

from kg.sparql.engine import QueryError, QueryResult
from kg.sparql.prefixes import PREFIXES

__all__ = ["RESULT_FORMATS", "GRAPH_FORMATS", "MEDIA_TYPES", "format_result", "compact"]

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "xml", "json-ld")
MEDIA_TYPES = {
    ("select", "table"): "text/plain; charset=utf-8",
    ("select", "csv"): "text/csv; charset=utf-8",
    ("select", "tsv"): "text/tab-separated-values; charset=utf-8",
    ("select", "json"): "application/sparql-results+json",
    ("select", "xml"): "application/sparql-results+xml",
    ("graph", "turtle"): "text/turtle; charset=utf-8",
    ("graph", "nt"): "application/n-triples",
    ("graph", "xml"): "application/rdf+xml",
    ("graph", "json-ld"): "application/ld+json",
}
_GRAPH_SERIALIZERS = {"turtle": "turtle", "nt": "nt", "xml": "xml", "json-ld": "json-ld"}
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def compact(term: Node | None) -> str:
    """A term as people read it: prefixed IRIs, bare literal values, "" for unbound.

    Examples
    --------
    >>> compact(URIRef("https://w3id.org/kg/ontology#Model"))
    'kg:Model'
    >>> compact(Literal("LoRA", lang="en"))
    'LoRA'
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        for name, iri in PREFIXES.items():
            if term.startswith(iri) and term[len(iri):].replace("_", "a").replace("-", "a").isalnum():
                return f"{name}:{term[len(iri):]}"
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _tsv_term(term: Node | None) -> str:
    """SPARQL TSV: terms in Turtle syntax, with tabs and newlines escaped."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = f'"{str(term).translate(_TSV_ESCAPES)}"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{text}^^<{term.datatype}>"
    return text


def _table(result: QueryResult, max_width: int) -> str:
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    header = [f"?{name}" for name in result.variables]
    cells = [[compact(term) for term in row] for row in result.rows]
    cells = [[" ".join(c.split()) for c in row] for row in cells]  # one line per row
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _rdflib_result(result: QueryResult) -> Result:
    if result.kind == "ask":
        answer = Result("ASK")
        answer.askAnswer = bool(result.boolean)
        return answer
    answer = Result("SELECT")
    answer.vars = [Variable(name) for name in result.variables]
    answer.bindings = [
        {Variable(name): term for name, term in zip(result.variables, row) if term is not None} for row in result.rows
    ]
    return answer


def _delimited(result: QueryResult, fmt: str) -> str:
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    if fmt == "tsv":
        lines = ["\t".join(f"?{name}" for name in result.variables)]
        lines += ["\t".join(_tsv_term(term) for term in row) for row in result.rows]
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as SPARQL CSV asks
    writer.writerow(result.variables)
    writer.writerows([[("" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row] for row in result.rows])
    return buffer.getvalue()


# Characters XML 1.0 cannot carry (it has no escape for them): rdflib would write them
# raw and the document would be ill-formed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class NotRepresentable(QueryError):
    """The result holds characters the requested format cannot represent."""


def _check_xml(terms) -> None:
    for term in terms:
        if term is not None and (found := _NOT_XML.search(str(term))):
            raise NotRepresentable(
                f"the result holds U+{ord(found.group()):04X}, which XML 1.0 cannot represent; "
                "ask for JSON, CSV, TSV or Turtle instead"
            )


def format_result(result: QueryResult, fmt: str, *, max_width: int = 60) -> str:
    """Serialise ``result`` in ``fmt`` (see `RESULT_FORMATS` and `GRAPH_FORMATS`).

    ``max_width`` cuts long cells of the ``table`` format only.

    Examples
    --------
    >>> r = QueryResult("select", ("type", "n"), ((URIRef(PREFIXES["kg"] + "Model"), Literal(3)),))
    >>> print(format_result(r, "table"), end="")
    ?type     ?n
    --------  --
    kg:Model  3
    (1 row)
    >>> format_result(r, "tsv").splitlines()[1]
    '<https://w3id.org/kg/ontology#Model>\\t"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    if result.kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise ValueError(f"a CONSTRUCT/DESCRIBE result is written as {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
        graph = rdflib.Graph()
        for name, iri in PREFIXES.items():
            graph.bind(name, iri, override=True, replace=True)
        if fmt == "xml":
            _check_xml(term for triple in result.triples for term in triple)
        for triple in result.triples:
            graph.add(triple)
        return graph.serialize(format=_GRAPH_SERIALIZERS[fmt])
    if fmt not in RESULT_FORMATS:
        raise ValueError(f"a SELECT/ASK result is written as {', '.join(RESULT_FORMATS)}, not {fmt!r}")
    if fmt == "table":
        return _table(result, max_width)
    if fmt == "xml":
        _check_xml(term for row in result.rows for term in row)
    if fmt in ("json", "xml"):
        return _rdflib_result(result).serialize(format=fmt).decode("utf-8")
    return _delimited(result, fmt)
