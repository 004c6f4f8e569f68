"""Where the graph lives: rdflib's in-memory store, or Oxigraph for big graphs; and writing it out.

Small graphs (the bundled corpus) are fastest in rdflib's own memory store. Above
`OXIGRAPH_THRESHOLD` quads a build switches to the Oxigraph store (oxrdflib), still used
through rdflib's API, and loads it in bulk: quads go to pyoxigraph in batches with
``Store.bulk_extend``, never one `Graph.add` at a time through rdflib.

`write_graph` writes ``graph.trig`` (one named graph per paper) and ``graph.ttl`` (every
graph merged) with pyoxigraph's serialisers, each file atomically.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import weakref
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore
from rdflib import Literal, URIRef

from kg.atomic import atomic_write
from kg.nquads import nquads_object
from kg.oxigraph_store import KGOxigraphStore
from kg.quadstore import Quads, open_quads
from kg.sparql.terms import from_oxigraph
from kg.vocab import PREFIXES

__all__ = ["OXIGRAPH_THRESHOLD", "OXIGRAPH_DISK_THRESHOLD", "STORES", "choose_store", "new_dataset", "nquads_object",
           "QuadLoader", "write_graph"]

log = logging.getLogger("kg.graph")

# Above this many quads Oxigraph loads several times faster than rdflib's memory store
# (about 10 us per quad there), and at millions of quads rdflib would need several GB.
OXIGRAPH_THRESHOLD = 50_000
# Above this many quads even Oxigraph's in-memory store grows past a few GB (~350 bytes a
# quad); its on-disk store (RocksDB in a temporary directory) keeps memory flat.
OXIGRAPH_DISK_THRESHOLD = 3_000_000
STORES = ("auto", "memory", "oxigraph", "oxigraph-disk")
# Graphs up to this size are written sorted (same graph, same bytes; grouped by subject).
SORTED_WRITE_LIMIT = 2_000_000


def choose_store(store: str, estimated_quads: int) -> str:
    """The store to use: ``store`` itself, or for ``"auto"`` the one that suits the size of the graph.

    Examples
    --------
    >>> [choose_store("auto", n) for n in (40_000, 500_000, 20_000_000)]
    ['memory', 'oxigraph', 'oxigraph-disk']
    >>> choose_store("memory", 10**9)
    'memory'
    """
    if store not in STORES:
        raise ValueError(f"store must be one of {', '.join(STORES)}, not {store!r}")
    if store != "auto":
        return store
    if estimated_quads > OXIGRAPH_DISK_THRESHOLD:
        return "oxigraph-disk"
    return "oxigraph" if estimated_quads > OXIGRAPH_THRESHOLD else "memory"


def new_dataset(store: str = "memory", *, base_iri: str | None = None) -> rdflib.Dataset:
    """An empty dataset (default graph = union of the named graphs) with the project's prefixes bound.

    ``"oxigraph-disk"`` keeps the quads in a temporary directory, removed when the dataset
    is garbage-collected or the process exits.
    """
    if store == "oxigraph-disk":
        directory = tempfile.mkdtemp(prefix="kg-oxigraph-")
        dataset = rdflib.Dataset(store=KGOxigraphStore(store=ox.Store(directory)), default_union=True)
        weakref.finalize(dataset, shutil.rmtree, directory, True)
    elif store == "oxigraph":
        dataset = rdflib.Dataset(store=KGOxigraphStore(), default_union=True)
    else:
        dataset = rdflib.Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    if base_iri:  # readable Turtle: entity:gpt-4o, paper:arxiv:2403.01234
        dataset.bind("entity", base_iri + "entity/", override=True)
        dataset.bind("paper", base_iri + "paper/", override=True)
    return dataset


# Bulk loads run here, overlapping the Python that writes the next batch's N-Quads (the
# GIL is released while Oxigraph loads). One at a time: two in flight took as long on 2
# cores (RocksDB's own threads already use the second) and 150 MB more memory at 10,000 papers.
_LOADER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-bulk-load")


class QuadLoader:
    """Adds triples to named graphs of a dataset in batches, by the fastest path its store has.

    Objects may be rdflib terms or plain Python values standing for literals: ``str`` is
    an xsd:string, ``int`` an xsd:integer, ``Decimal`` an xsd:decimal and ``float`` an
    xsd:double. For Oxigraph the
    quads are written as N-Quads text and bulk-loaded by pyoxigraph's Rust parser (no
    rdflib or pyoxigraph term object per quad in Python), each batch in a background
    thread while the next is written; `flush` waits for them. For rdflib's memory store
    they go to the store's ``addN``.
    """

    def __init__(self, dataset: rdflib.Dataset, *, batch: int = 200_000):
        self.dataset = dataset
        self.batch = batch
        self.count = 0
        self._oxigraph = isinstance(dataset.store, OxigraphStore)
        self._pending: list = []
        self._graphs: dict[URIRef, rdflib.Graph] = {}
        self._loading: Future | None = None  # the batch pyoxigraph is loading while Python writes the next

    def _context(self, graph: URIRef) -> rdflib.Graph:
        context = self._graphs.get(graph)
        if context is None:
            context = self._graphs[graph] = self.dataset.graph(graph)
        return context

    @staticmethod
    def _rdflib(value) -> rdflib.term.Node:
        return Literal(value) if type(value) in (str, int, float, Decimal) else value

    def add(self, graph: URIRef, triples: Iterable[tuple]) -> int:
        """Queue ``triples`` for named graph ``graph``; returns how many distinct quads they are."""
        if self._oxigraph:
            tail = f" <{graph}> .\n"
            obj = nquads_object
            added = [f"<{s}> <{p}> {obj(o)}{tail}" for s, p, o in triples]
        else:
            context = self._context(graph)
            term = self._rdflib
            added = [(s, p, term(o), context) for s, p, o in triples]
        self._pending.extend(added)
        if len(self._pending) >= self.batch:
            self._send()
        return len(set(added))

    def add_nquads(self, lines: Iterable[str]) -> None:
        """Add quads already written as N-Quads lines (`kg.nquads`), each ending in its graph name."""
        if self._oxigraph:
            self._pending.extend(lines)
        else:  # rdflib's store: read back as rdflib terms (small graphs only go there)
            for quad in ox.parse(input="".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS):
                self._pending.append((from_oxigraph(quad.subject), from_oxigraph(quad.predicate),
                                      from_oxigraph(quad.object), self._context(URIRef(quad.graph_name.value))))
        if len(self._pending) >= self.batch:
            self._send()

    def _send(self) -> None:
        """Hand the pending quads to the store; for Oxigraph, in the background (it releases the GIL)."""
        if not self._pending:
            return
        self.count += len(self._pending)
        if self._oxigraph:
            data = "".join(self._pending).encode("utf-8")
            self._wait()  # one batch in flight at a time: memory stays at two batches
            # lenient: no IRI validation while parsing (13 % of the load's CPU); every IRI comes from
            # kg.iris, which mints valid ones, and tests/test_paper_nquads.py parses the lines strictly
            self._loading = _LOADER.submit(self.dataset.store._inner.bulk_load, input=data, format=ox.RdfFormat.N_QUADS,
                                           lenient=True)
        else:
            # Straight to the store: Dataset.addN re-resolves every quad's context.
            self.dataset.store.addN(self._pending)
        self._pending = []

    def _wait(self) -> None:
        if self._loading is not None:
            loading, self._loading = self._loading, None
            loading.result()  # re-raises what the load raised

    def flush(self) -> None:
        """Load every quad added so far; when it returns, the store has them all."""
        self._send()
        self._wait()


def _quads_of(dataset: rdflib.Graph) -> Quads:
    prefixes = {prefix: str(ns) for prefix, ns in dataset.namespace_manager.namespaces() if prefix}
    if isinstance(dataset.store, OxigraphStore):
        return Quads(dataset.store._inner, prefixes)
    return open_quads(dataset)


def write_graph(dataset: rdflib.Graph, out_dir: str | Path) -> list[Path]:
    """Write ``graph.trig`` (named graphs) and ``graph.ttl`` (merged) into ``out_dir``; returns their paths.

    Both are written to a temporary file and renamed into place. Small graphs are written
    sorted (graph, subject, predicate, object), so the same graph gives the same bytes.

    Examples
    --------
    >>> import tempfile
    >>> ds = new_dataset()
    >>> ds.graph(URIRef("http://x/g")).add((URIRef("http://x/a"), URIRef("http://x/b"), URIRef("http://x/c")))
    <Graph identifier=http://x/g (<class 'rdflib.graph.Graph'>)>
    >>> [p.name for p in write_graph(ds, tempfile.mkdtemp())]
    ['graph.trig', 'graph.ttl']
    """
    out = Path(out_dir)
    quads = _quads_of(dataset)
    prefixes = quads.used_prefixes() | {p: ns for p, ns in quads.prefixes.items() if p in ("entity", "paper")}
    ordered = len(quads.store) <= SORTED_WRITE_LIMIT
    trig, turtle = out / "graph.trig", out / "graph.ttl"
    with atomic_write(trig, "wb") as handle:
        if ordered:
            ox.serialize(sorted(quads.store, key=_quad_order), handle, ox.RdfFormat.TRIG, prefixes=prefixes)
        else:
            quads.store.dump(handle, ox.RdfFormat.TRIG, prefixes=prefixes)
    with atomic_write(turtle, "wb") as handle:
        if ordered:
            triples = sorted({quad.triple for quad in quads.store}, key=_triple_order)
        else:
            triples = quads.union_triples()
        ox.serialize(triples, handle, ox.RdfFormat.TURTLE, prefixes=prefixes)
    log.info("wrote %s and %s (%d quads)", trig, turtle, len(quads.store))
    return [trig, turtle]


def _triple_order(triple: ox.Triple) -> tuple[str, str, str]:
    return str(triple.subject), str(triple.predicate), str(triple.object)


def _quad_order(quad: ox.Quad) -> tuple[str, str, str, str]:
    return str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object)
