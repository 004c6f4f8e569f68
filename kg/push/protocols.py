"""The two standard ways to load triples: Graph Store HTTP Protocol and SPARQL 1.1 Update.

Both are idempotent under RDF set semantics, so a batch whose answer was lost can be
sent again. Update sends a whole `Batch` (one ``GRAPH`` block per graph in it) in one
request; the Graph Store Protocol addresses one graph per request, so it sends one
request per part. With ``replace``, the part holding a graph's first triples also
empties it: a ``PUT`` instead of a ``POST``, or a ``CLEAR SILENT GRAPH`` before the
``INSERT DATA`` in the same request.
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
        for part in batch.parts:
            method = "PUT" if replace and part.starts_graph else "POST"
            if isinstance(part.graph, ox.DefaultGraph):
                target = {"url": self._url + ("&" if "?" in self._url else "?") + "default"}
            else:
                target = {"url": self._url, "params": {"graph": part.graph.value}}
            self._client.request(method, content=part.body, headers={"Content-Type": _TURTLE}, **target)


def update_request(batch: Batch, *, replace: bool) -> str:
    """The SPARQL Update text that loads ``batch``.

    Examples
    --------
    >>> from kg.push.batches import Batch, BatchPart
    >>> part = BatchPart(ox.NamedNode("http://x/g"), b'<http://x/a> <http://x/b> "c" .\\n', 1, True)
    >>> print(update_request(Batch(0, 1, (part,), "digest"), replace=True))
    CLEAR SILENT GRAPH <http://x/g> ;
    INSERT DATA {
    GRAPH <http://x/g> {
    <http://x/a> <http://x/b> "c" .
    }
    }
    """
    clears, blocks = [], []
    for part in batch.parts:
        body = part.body.decode("utf-8")
        if isinstance(part.graph, ox.DefaultGraph):
            clear, block = "CLEAR SILENT DEFAULT ;\n", body
        else:
            name = str(part.graph)  # "<iri>", serialised by pyoxigraph
            clear, block = f"CLEAR SILENT GRAPH {name} ;\n", f"GRAPH {name} {{\n{body}}}\n"
        if replace and part.starts_graph:
            clears.append(clear)
        blocks.append(block)
    return "".join(clears) + "INSERT DATA {\n" + "".join(blocks) + "}"


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
