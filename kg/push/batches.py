"""Cut a graph into deterministic, idempotent batches of triples.

Two properties make a push resumable:

- *Determinism*: the triples are sorted (by graph, then as N-Triples text) and cut into
  batches of ``batch_size`` triples, which may span several small graphs; each batch is
  identified by a SHA-256 digest of its graphs and N-Triples bodies, so a re-run of the
  same push produces the same batches with the same digests, which the journal knows.
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

__all__ = ["SKOLEM_BASE", "Batch", "BatchPart", "PushPlan", "plan_push", "skolemize", "graph_key"]

SKOLEM_BASE = "https://w3id.org/kg/.well-known/genid/"

GraphName = ox.NamedNode | ox.DefaultGraph


def graph_key(graph: GraphName) -> str:
    """A graph as text: its IRI, or ``"default"``."""
    return "default" if isinstance(graph, ox.DefaultGraph) else graph.value


@dataclass(frozen=True)
class BatchPart:
    """The triples of one graph within a batch, as N-Triples (also valid Turtle and SPARQL)."""

    graph: GraphName
    body: bytes
    size: int
    starts_graph: bool  # holds the graph's first triples: ``replace`` empties the graph here

    @property
    def graph_key(self) -> str:
        return graph_key(self.graph)


@dataclass(frozen=True)
class Batch:
    """Up to ``batch_size`` triples, in one or more graphs (many papers' graphs are small)."""

    index: int  # 0-based
    total: int
    parts: tuple[BatchPart, ...]
    digest: str

    @property
    def size(self) -> int:
        return sum(part.size for part in self.parts)


@dataclass(frozen=True)
class PushPlan:
    """Every graph's triples, sorted (graphs by IRI, then the default graph), ready to cut."""

    graphs: tuple[tuple[GraphName, tuple[str, ...]], ...]  # (graph, sorted N-Triples lines)

    @property
    def triples(self) -> int:
        return sum(len(lines) for _, lines in self.graphs)

    def counts(self) -> dict[str, int]:
        """Triples per graph key."""
        return {graph_key(graph): len(lines) for graph, lines in self.graphs}

    def batch_count(self, batch_size: int) -> int:
        return max(1, -(-self.triples // batch_size))

    def batches(self, batch_size: int) -> Iterator[Batch]:
        """The batches, in order; the same plan and size always give the same batches."""
        total = self.batch_count(batch_size)
        parts: list[BatchPart] = []
        room, index = batch_size, 0
        for graph, lines in self.graphs:
            start = 0
            while start < len(lines):
                chunk = lines[start : start + room]
                body = "".join(line + "\n" for line in chunk).encode("utf-8")
                parts.append(BatchPart(graph, body, len(chunk), start == 0))
                start += len(chunk)
                room -= len(chunk)
                if room == 0:
                    yield _batch(index, total, parts)
                    parts, room, index = [], batch_size, index + 1
        if parts or index == 0:
            yield _batch(index, total, parts)


def _batch(index: int, total: int, parts: list[BatchPart]) -> Batch:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.graph_key.encode() + b"\n" + part.body + b"\n")
    return Batch(index, total, tuple(parts), digest.hexdigest())


def skolemize(quads: Quads) -> ox.Store:
    """The quads with every blank node replaced by a deterministic skolem IRI.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.BlankNode()))
    >>> [str(q.object).startswith("<" + SKOLEM_BASE) for q in skolemize(Quads(store))]
    [True]
    """
    # Asked in Rust: scanning a million quads from Python takes seconds.
    blank_graph_names = any(isinstance(name, ox.BlankNode) for name in quads.store.named_graphs())
    if not blank_graph_names and not quads.store.query(
        "ASK { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }", use_default_graph_as_union=True
    ):
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


def plan_push(quads: Quads) -> PushPlan:
    """The sorted, skolemised triples of every graph of ``quads``.

    Examples
    --------
    >>> store = ox.Store()
    >>> for s, graph in (("b", "g1"), ("a", "g1"), ("c", "g2")):
    ...     store.add(ox.Quad(ox.NamedNode(f"http://x/{s}"), ox.NamedNode("http://x/p"), ox.Literal("1"), ox.NamedNode(f"http://x/{graph}")))
    >>> batches = list(plan_push(Quads(store)).batches(batch_size=2))
    >>> [[(part.graph_key, part.size, part.starts_graph) for part in batch.parts] for batch in batches]
    [[('http://x/g1', 2, True)], [('http://x/g2', 1, True)]]
    >>> batches[0].parts[0].body
    b'<http://x/a> <http://x/p> "1" .\\n<http://x/b> <http://x/p> "1" .\\n'
    """
    store = skolemize(quads)
    graphs = []
    for name in Quads(store).graph_names():
        # Serialised by pyoxigraph in Rust, one line per triple; sorted for determinism.
        lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name).decode("utf-8").splitlines()
        graphs.append((name, tuple(sorted(line for line in lines if line))))
    return PushPlan(tuple(graphs))
