"""The two standard ways to load triples: Graph Store HTTP Protocol and SPARQL 1.1 Update.

Both send a `Batch` per request and both are idempotent under RDF set semantics, so a
batch whose answer was lost can be sent again. With ``replace``, the first batch of a
graph also empties it: a ``PUT`` instead of a ``POST`` (Graph Store Protocol), or a
``CLEAR SILENT GRAPH`` before the ``INSERT DATA`` in the same request (Update).
Graph names and triples are written by pyoxigraph's N-Triples serialiser, which is valid
SPARQL syntax; no data is pasted into a query as raw text.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.push.batches import Batch
from kg.push.client import StoreClient
from kg.push.errors import PushError
from kg.push.profiles import StoreURLs

__all__ = ["PROTOCOLS", "GraphStoreSender", "UpdateSender", "update_request", "make_sender"]

PROTOCOLS = ("gsp", "update")

# N-Triples is a subset of Turtle, and every store takes Turtle.
_TURTLE = "text/turtle; charset=utf-8"


class GraphStoreSender:
    """SPARQL 1.1 Graph Store HTTP Protocol: ``PUT``/``POST`` to ``?graph=IRI`` or ``?default``."""

    def __init__(self, client: StoreClient, urls: StoreURLs, store: str):
        if urls.graph_store is None:
            raise PushError(f"store {store!r} has no Graph Store Protocol endpoint; use --protocol update")
        self._client = client
        self._url = urls.graph_store

    def send(self, batch: Batch, *, replace: bool) -> None:
        method = "PUT" if replace and batch.index == 0 else "POST"
        if isinstance(batch.graph, ox.DefaultGraph):
            target = {"url": self._url + ("&" if "?" in self._url else "?") + "default"}
        else:
            target = {"url": self._url, "params": {"graph": batch.graph.value}}
        self._client.request(method, content=batch.body, headers={"Content-Type": _TURTLE}, **target)


def update_request(batch: Batch, *, replace: bool) -> str:
    """The SPARQL Update text that loads ``batch``.

    Examples
    --------
    >>> from kg.push.batches import Batch
    >>> b = Batch(ox.NamedNode("http://x/g"), 0, 1, 1, b'<http://x/a> <http://x/b> "c" .\\n', "d")
    >>> print(update_request(b, replace=True))
    CLEAR SILENT GRAPH <http://x/g> ;
    INSERT DATA { GRAPH <http://x/g> {
    <http://x/a> <http://x/b> "c" .
    } }
    """
    body = batch.body.decode("utf-8")
    if isinstance(batch.graph, ox.DefaultGraph):
        clear, insert = "CLEAR SILENT DEFAULT ;\n", f"INSERT DATA {{\n{body}}}"
    else:
        name = str(batch.graph)  # "<iri>", serialised by pyoxigraph
        clear, insert = f"CLEAR SILENT GRAPH {name} ;\n", f"INSERT DATA {{ GRAPH {name} {{\n{body}}} }}"
    return (clear if replace and batch.index == 0 else "") + insert


class UpdateSender:
    """SPARQL 1.1 Update: ``INSERT DATA`` posted as ``application/sparql-update``."""

    def __init__(self, client: StoreClient, urls: StoreURLs, store: str):
        self._client = client
        self._url = urls.update

    def send(self, batch: Batch, *, replace: bool) -> None:
        self._client.request(
            "POST",
            self._url,
            content=update_request(batch, replace=replace).encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )


def make_sender(protocol: str, client: StoreClient, urls: StoreURLs, store: str) -> GraphStoreSender | UpdateSender:
    if protocol == "gsp":
        return GraphStoreSender(client, urls, store)
    if protocol == "update":
        return UpdateSender(client, urls, store)
    raise ValueError(f"unknown protocol {protocol!r}; use one of {', '.join(PROTOCOLS)}")
