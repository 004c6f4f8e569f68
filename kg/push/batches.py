"""Cut a graph into deterministic, idempotent batches of triples, one named graph at a time.

Two properties make a push resumable:

- *Determinism*: the triples of each graph are sorted and cut into batches of
  ``batch_size``, and each batch is identified by a SHA-256 digest of its graph and its
  N-Triples body, so a re-run of the same push produces the same batches with the same
  digests, which the journal recognises.
- *Idempotence*: an RDF graph is a set, so inserting a batch twice stores its triples
  once. Blank nodes would break this (each request mints fresh ones), so they are
  replaced by skolem IRIs (RDF 1.1 Concepts §3.5) derived from the RDFC-1.0 canonical
  labels of the dataset: the same data gives the same IRIs on every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kg.quadstore import Quads

__all__ = ["SKOLEM_BASE", "Batch", "GraphPlan", "plan_graphs", "skolemize"]

SKOLEM_BASE = "https://w3id.org/kg/.well-known/genid/"

GraphName = ox.NamedNode | ox.DefaultGraph


@dataclass(frozen=True)
class Batch:
    """Triples bound for one graph, serialised as N-Triples (also valid Turtle and SPARQL)."""

    graph: GraphName
    index: int  # 0-based position within its graph
    total: int  # batches in its graph
    size: int  # triples
    body: bytes  # N-Triples
    digest: str

    @property
    def graph_key(self) -> str:
        """The graph as text: its IRI, or ``"default"``."""
        return graph_key(self.graph)


@dataclass(frozen=True)
class GraphPlan:
    """One graph's triples, sorted, ready to be cut into batches."""

    graph: GraphName
    lines: tuple[str, ...]  # N-Triples statements without the final " .", sorted

    def batches(self, batch_size: int) -> Iterator[Batch]:
        total = max(1, -(-len(self.lines) // batch_size))
        for index in range(total):
            chunk = self.lines[index * batch_size : (index + 1) * batch_size]
            body = "".join(line + " .\n" for line in chunk).encode("utf-8")
            digest = hashlib.sha256(graph_key(self.graph).encode() + b"\n" + body).hexdigest()
            yield Batch(self.graph, index, total, len(chunk), body, digest)


def graph_key(graph: GraphName) -> str:
    return "default" if isinstance(graph, ox.DefaultGraph) else graph.value


def skolemize(quads: Quads) -> ox.Store:
    """The quads with every blank node replaced by a deterministic skolem IRI.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.BlankNode()))
    >>> [str(q.object).startswith("<" + SKOLEM_BASE) for q in skolemize(Quads(store))]
    [True]
    """
    if not any(_has_blank_node(quad) for quad in quads.store):
        return quads.store
    dataset = ox.Dataset(quads.store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    # Scope the canonical labels (c14n0, c14n1...) by the data they describe, so two
    # different datasets appended to one store cannot share a skolem IRI.
    canonical = "\n".join(sorted(str(q) for q in dataset if _has_blank_node(q))).encode()
    scope = hashlib.sha256(canonical).hexdigest()[:16]

    def term(node):
        return ox.NamedNode(f"{SKOLEM_BASE}{scope}-{node.value}") if isinstance(node, ox.BlankNode) else node

    store = ox.Store()
    store.extend(
        ox.Quad(term(q.subject), q.predicate, term(q.object), term(q.graph_name)) for q in dataset
    )
    return store


def _has_blank_node(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode) or isinstance(quad.graph_name, ox.BlankNode)


def plan_graphs(quads: Quads) -> list[GraphPlan]:
    """Every graph of ``quads`` (named graphs by IRI, then the default graph), skolemised and sorted.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/b"), ox.NamedNode("http://x/p"), ox.Literal("2"), ox.NamedNode("http://x/g")))
    >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("1"), ox.NamedNode("http://x/g")))
    >>> [batch.body for batch in plan_graphs(Quads(store))[0].batches(batch_size=1)]
    [b'<http://x/a> <http://x/p> "1" .\\n', b'<http://x/b> <http://x/p> "2" .\\n']
    """
    store = skolemize(quads)
    skolemized = Quads(store)
    return [
        GraphPlan(name, tuple(sorted(str(triple) for triple in skolemized.triples(name))))
        for name in skolemized.graph_names()
    ]
