"""Run one read-only SPARQL query on rdflib or on Oxigraph, with parameters bound as terms.

Small graphs stay in rdflib (``prepareQuery`` + ``initBindings``); large graph files are
loaded into an in-memory Oxigraph store, which parses and answers orders of magnitude
faster, and parameters go in as a ``VALUES`` block of serialised terms (`kg.sparql.values`).
Either way the answer is a `QueryResult` of rdflib terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.term import Node, Variable

from kg.graphfile import is_build_store, load_graph, oxigraph_format, rdf_format_for, resolve_graph_path
from kg.sparql.federation import uses_service
from kg.sparql.prefixes import PREFIXES
from kg.sparql.terms import from_oxigraph
from kg.sparql.values import bind_with_values

__all__ = [
    "OXIGRAPH_THRESHOLD_BYTES",
    "QueryError",
    "UpdateRefused",
    "ServiceRefused",
    "ResultTooLarge",
    "QueryResult",
    "load_oxigraph",
    "open_store",
    "run_query",
]

# rdflib parses ~30k triples/s: above ~4 MB of RDF (about 40k triples) loading alone
# passes a second, while Oxigraph loads a million triples in a few seconds.
OXIGRAPH_THRESHOLD_BYTES = 4_000_000

Store = rdflib.Graph | ox.Store


class QueryError(ValueError):
    """The query text is not valid SPARQL 1.1 (the message says where)."""


class UpdateRefused(QueryError):
    """A SPARQL Update was sent: every graph served or queried here is read-only."""


class ServiceRefused(QueryError):
    """The query has a SERVICE clause and federated calls were not allowed."""


class ResultTooLarge(QueryError):
    """The answer has more rows or triples than the caller allowed."""


@dataclass(frozen=True)
class QueryResult:
    """The answer to one query.

    ``kind`` is ``"select"`` (``variables`` and ``rows``, None for unbound), ``"ask"``
    (``boolean``) or ``"graph"`` for CONSTRUCT/DESCRIBE (``triples``).
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple[Node, Node, Node], ...] = ()

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1


def load_oxigraph(path: str | Path, store: ox.Store | None = None) -> ox.Store:
    """Bulk-load a graph file or build directory into ``store`` (default: a new in-memory one).

    Bad input raises `ValueError` naming the file, with the parser's line and column.
    """
    source = resolve_graph_path(path)
    fmt = rdf_format_for(source)
    # Queries over N3 data can live with pyoxigraph's subset of N3.
    ox_format = ox.RdfFormat.N3 if fmt == "n3" else oxigraph_format(fmt)
    if ox_format is None:
        raise ValueError(f"{source}: Oxigraph cannot read {fmt}; use the rdflib engine")
    store = ox.Store() if store is None else store
    try:
        store.bulk_load(path=str(source), format=ox_format)
    except SyntaxError as error:
        raise ValueError(f"{source}: {error}") from error
    return store


def open_store(path: str | Path, *, engine: str = "auto") -> Store:
    """Load a graph file or build directory for querying.

    ``engine`` is ``"rdflib"``, ``"oxigraph"`` or ``"auto"`` (Oxigraph above
    `OXIGRAPH_THRESHOLD_BYTES`). Named graphs are kept; queries see their union.
    A store directory made by `kg.sparql.diskstore.ensure_store` opens read-only at once.
    """
    from kg.sparql.diskstore import is_store_directory, open_read_only  # it builds on this module

    if engine not in ("auto", "rdflib", "oxigraph"):
        raise ValueError(f"engine must be auto, rdflib or oxigraph, not {engine!r}")
    if is_store_directory(path):
        return open_read_only(path)
    source = resolve_graph_path(path)
    if is_build_store(source):  # a big build's graph: its own store, read-only
        return open_read_only(source)
    if engine == "rdflib" or (engine == "auto" and source.stat().st_size <= OXIGRAPH_THRESHOLD_BYTES):
        return load_graph(source)
    return load_oxigraph(source)


def _refuse_if_update(query: str, error: Exception) -> None:
    """Tell a SPARQL Update (refused) apart from a plain syntax error."""
    from rdflib.plugins.sparql.parser import parseUpdate  # 0.3 s of imports: only on this path

    header = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    try:
        parseUpdate(header + query)
    except Exception:
        raise QueryError(f"malformed query: {error}") from error
    raise UpdateRefused("updates are refused: this graph is read-only (send a SELECT, ASK, CONSTRUCT or DESCRIBE)")


def _check_size(count: int, max_rows: int | None, what: str) -> None:
    if max_rows is not None and count > max_rows:
        raise ResultTooLarge(f"the result has more than {max_rows} {what}; add a LIMIT or raise the result limit")


def _run_rdflib(graph: rdflib.Graph, query: str, bindings: Mapping[str, Node], max_rows: int | None) -> QueryResult:
    from rdflib.plugins.sparql import prepareQuery  # 0.3 s of imports: not on the Oxigraph path

    try:
        prepared = prepareQuery(query, initNs=PREFIXES)
    except Exception as error:  # pyparsing raises its own exception types
        _refuse_if_update(query, error)
    result = graph.query(prepared, initBindings={Variable(k): v for k, v in bindings.items()})
    if result.type == "ASK":
        return QueryResult("ask", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        triples = tuple(result.graph)
        _check_size(len(triples), max_rows, "triples")
        return QueryResult("graph", triples=triples)
    variables = tuple(str(v) for v in result.vars)
    rows = []
    for row in result:
        rows.append(tuple(row))
        _check_size(len(rows), max_rows, "rows")
    return QueryResult("select", variables=variables, rows=tuple(rows))


def _run_oxigraph(store: ox.Store, query: str, bindings: Mapping[str, Node], max_rows: int | None) -> QueryResult:
    try:
        answer = store.query(bind_with_values(query, bindings), prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as error:
        _refuse_if_update(query, error)
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        triples = []
        for triple in answer:  # lazy: stop as soon as the limit is passed
            triples.append((from_oxigraph(triple.subject), from_oxigraph(triple.predicate), from_oxigraph(triple.object)))
            _check_size(len(triples), max_rows, "triples")
        return QueryResult("graph", triples=tuple(triples))
    variables = tuple(v.value for v in answer.variables)
    rows = []
    for solution in answer:
        rows.append(tuple(map(from_oxigraph, solution)))  # values in the order of `variables`, None if unbound
        _check_size(len(rows), max_rows, "rows")
    return QueryResult("select", variables=variables, rows=tuple(rows))


def run_query(
    store: Store,
    query: str,
    *,
    bindings: Mapping[str, Node] | None = None,
    max_rows: int | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Answer a SPARQL query; ``bindings`` map variable names to terms (see `parse_binding`).

    Raises `QueryError` for malformed text, `UpdateRefused` for updates,
    `ServiceRefused` for a SERVICE clause unless ``allow_service`` (both engines would
    fetch from the IRI it names; see `kg.sparql.federation`) and `ResultTooLarge` when
    more than ``max_rows`` rows or triples come back.

    Examples
    --------
    >>> g = rdflib.Graph().parse(data='<http://x/a> <http://x/label> "LoRA" .', format="nt")
    >>> run_query(g, "SELECT ?e WHERE { ?e <http://x/label> ?l }", bindings={"l": rdflib.Literal("LoRA")}).rows
    ((rdflib.term.URIRef('http://x/a'),),)
    """
    if not allow_service and uses_service(query):
        raise ServiceRefused("SERVICE (federated) queries are refused: they would make this machine fetch from other hosts; allow them with --allow-service")
    bindings = dict(bindings or {})
    if isinstance(store, ox.Store):
        return _run_oxigraph(store, query, bindings, max_rows)
    return _run_rdflib(store, query, bindings, max_rows)
