"""After a push: ask the store how many triples each graph holds and compare.

Counts are asked for a few hundred graphs at a time (``VALUES`` lists the graph IRIs,
serialised by pyoxigraph), so the answer stays small and below result-size limits such
as Virtuoso's ``ResultSetMaxRows``.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.push.batches import graph_key
from kg.push.client import StoreClient

__all__ = ["count_triples", "count_query"]

_CHUNK = 200


def count_query(graphs: list[ox.NamedNode]) -> str:
    """The query counting the triples of ``graphs`` (an empty list counts the default graph).

    Examples
    --------
    >>> print(count_query([ox.NamedNode("http://x/g")]))
    SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { <http://x/g> } GRAPH ?g { ?s ?p ?o } } GROUP BY ?g
    """
    if not graphs:
        return "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    values = " ".join(str(graph) for graph in graphs)
    return f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"


def _select(client: StoreClient, url: str, query: str) -> list[dict]:
    response = client.request(
        "POST", url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    return response.json()["results"]["bindings"]


def count_triples(client: StoreClient, query_url: str, graphs: list, *, default_graph: bool) -> dict[str, int]:
    """Triples per graph key (IRI, or ``"default"`` when ``default_graph``) as the store reports them."""
    named = [g for g in graphs if isinstance(g, ox.NamedNode)]
    counts = {graph_key(g): 0 for g in named}  # graphs the store does not know hold 0 triples
    for start in range(0, len(named), _CHUNK):
        for row in _select(client, query_url, count_query(named[start : start + _CHUNK])):
            counts[row["g"]["value"]] = int(row["n"]["value"])
    if default_graph:
        rows = _select(client, query_url, count_query([]))
        counts["default"] = int(rows[0]["n"]["value"]) if rows else 0
    return counts
