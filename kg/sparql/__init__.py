"""SPARQL over the knowledge graph: queries with bound parameters, named queries, an endpoint.

`query_graph` is the one entry point of ``kg query``; ``kg serve`` runs `kg.sparql.server`.

Examples
--------
>>> from pathlib import Path
>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "g.ttl"
>>> _ = path.write_text("@prefix kg: <https://w3id.org/kg/ontology#> . "
...                     "<http://x/bert> a kg:Model ; <http://www.w3.org/2004/02/skos/core#prefLabel> 'BERT' .")
>>> result = query_graph(path, query="SELECT ?label WHERE { ?m a kg:Model ; skos:prefLabel ?label }")
>>> [str(row[0]) for row in result.rows]
['BERT']
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rdflib.term import Node

from kg.sparql.engine import (
    OXIGRAPH_THRESHOLD_BYTES,
    QueryError,
    QueryResult,
    ResultTooLarge,
    Store,
    UpdateRefused,
    open_store,
    run_query,
)
from kg.sparql.named import NamedQuery, NamedQueryError, named_queries, named_query
from kg.sparql.prefixes import PREFIXES
from kg.sparql.terms import BindingError, parse_binding, parse_term

__all__ = [
    "OXIGRAPH_THRESHOLD_BYTES",
    "PREFIXES",
    "BindingError",
    "NamedQuery",
    "NamedQueryError",
    "QueryError",
    "QueryResult",
    "ResultTooLarge",
    "UpdateRefused",
    "named_queries",
    "named_query",
    "open_store",
    "parse_binding",
    "parse_term",
    "query_graph",
    "run_query",
]


def query_graph(
    graph: str | Path | Store,
    *,
    query: str | None = None,
    name: str | None = None,
    bindings: Mapping[str, Node] | None = None,
    engine: str = "auto",
    max_rows: int | None = None,
    store_dir: str | Path | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Answer ``query`` (SPARQL text) or the named query ``name`` over ``graph``.

    ``graph`` is a graph file, a build directory, or a store from `open_store`.
    ``bindings`` map variable names to rdflib terms (`parse_term` reads them from text);
    named queries check them against their declared parameters. With ``store_dir``
    the graph is kept in an on-disk Oxigraph store there and reused while unchanged.
    SERVICE (federated) clauses are refused unless ``allow_service``.
    """
    if (query is None) == (name is None):
        raise ValueError("give exactly one of query= and name=")
    bindings = dict(bindings or {})
    if name is not None:
        named = named_query(name)
        named.check_bindings(bindings)
        query = named.text
    if isinstance(graph, Store):
        store = graph
    elif store_dir is not None:
        from kg.sparql.diskstore import ensure_store, open_read_only

        store = open_read_only(ensure_store(graph, store_dir))
    else:
        store = open_store(graph, engine=engine)
    return run_query(store, query, bindings=bindings, max_rows=max_rows, allow_service=allow_service)
