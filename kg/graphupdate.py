"""The build directory's graph: an on-disk Oxigraph store kept equal to a fresh build of its papers.

A fresh `kg.graph.build_graph` of the same papers and records gives the same quads; this
module gets there by rewriting only what changed, and works out (in `kg.graphdelta`) only
what can have changed:

- entity resolution is global (a new paper can merge two entities), but it runs over the
  distinct full names, whose sums over the papers the build state keeps (`kg.namestate`):
  a run counts the names of new and changed records in and those of changed and removed
  ones out, then resolves the names again (thousands, not the per-paper entities);
- each paper's named graph depends on the paper, its record and the entity IRIs its
  names resolved to; their digest is the graph's *key* (kept in `kg.buildstate`). Keys
  are worked out again only for papers with a new record or metadata and papers using a
  name whose IRI moved (an entity's IRI does not follow its label: `kg.resolve`); only
  graphs whose key changed are rewritten, graphs of papers no longer in the build and
  graphs an interrupted run left without a key are removed;
- the corpus graph (entities, relation support, runs, which run made which paper graph)
  is written subject by subject: the subjects of the papers above, every entity, the
  relations those papers state or stated, and the runs are generated, and only those
  whose triples' digest changed are rewritten (`kg.corpusgraph`);
- a kept paper whose graph changes only because an entity IRI moved is patched
  (`kg.graphpatch`).

Crash safety: a graph's key is deleted before the graph is touched and stored after the
store is flushed, so whatever point a run is killed at, the next run finds every graph
either complete with its key or keyless, and rewrites the keyless ones. The name tables
change in one transaction with forgetting the keys they invalidate and marking the
corpus graph dirty; a run that finds it dirty generates the whole corpus graph.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore

from extractors.records import PaperExtraction
from kg.analytics.terms import ANALYTICS_GRAPH
from kg.buildstate import BuildError, BuildState
from kg.corpusgraph import write_corpus_graph
from kg.graphfile import BUILD_STORE
from kg.graph import paper_facts, paper_mentions
from kg.graphstore import QuadLoader
from kg.graphdelta import GraphDelta, make_outlines, resolve_delta
from kg.graphpatch import patch_lines
from kg.iris import ResourceIRIs
from kg.mentionsource import MentionSource
from kg.namestate import NameState
from kg.storeorder import in_store_order
from kg.vocab import PREFIXES

__all__ = ["STORE_DIR", "GraphUpdate", "open_store", "update_graph", "mention_table", "drop_analytics_graph"]

log = logging.getLogger("kg.graph")

STORE_DIR = BUILD_STORE
# Papers rewritten per step: one step = forget keys, remove + load graphs, flush, store keys.
_STEP = 5_000


@dataclass(frozen=True)
class GraphUpdate:
    """What `update_graph` did."""

    papers: int  # paper graphs in the store now
    rewritten: int  # paper graphs (re)written this run
    removed: int  # paper graphs removed (papers gone, or left keyless by a killed run)
    entities: int
    quads: int  # quads in the store, analytics excluded
    mentions: int  # entity-in-paper records over all stored records
    relations: int  # relations over all stored records


@contextlib.contextmanager
def open_store(out: str | Path, *, base_iri: str) -> Iterator[rdflib.Dataset]:
    """The dataset (default graph = union) of the on-disk store in build directory ``out``.

    The store is closed on exit (RocksDB allows one open store per directory and process).
    """
    path = Path(out) / STORE_DIR
    try:
        store = ox.Store(str(path))
    except OSError as error:
        raise BuildError(f"{path}: cannot open the graph store ({error}); is another kg build using it?") from None
    dataset = rdflib.Dataset(store=OxigraphStore(store=store), default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    dataset.bind("entity", base_iri + "entity/", override=True)
    dataset.bind("paper", base_iri + "paper/", override=True)
    try:
        yield dataset
    finally:
        dataset.store.close()


def update_graph(dataset: rdflib.Dataset, state: BuildState, *, iris: ResourceIRIs,
                 mentions_ready: Callable[[MentionSource], None] | None = None) -> GraphUpdate:
    """Bring the store behind ``dataset`` to the graph of the papers and records in ``state``.

    Records are parsed only when new (their outlines are kept in the state), entities are
    resolved over the distinct full names (`kg.namestate`), and only the papers and records
    of graphs to rewrite are read back, ``_STEP`` at a time. ``mentions_ready`` is called
    with the `kg.mentionsource.MentionSource` of the updated graph as soon as it is known:
    for a run that rewrites up to ``_STEP`` papers before anything is written (the build
    starts the analytics then), for a bigger one after its paper graphs.
    """
    store: ox.Store = dataset.store._inner
    corpus_known = state.meta("corpus") != "dirty" and bool(state.corpus_digests(prefix=iris.base, limit=1))
    graphs_known = state.meta("graphs") != "dirty"
    make_outlines(state)
    names_db = NameState(state.connection())
    delta = resolve_delta(state, names_db, iris)
    wanted, resolution = delta.wanted, delta.resolution
    keys = state.graph_keys()
    shared = {str(iris.corpus_graph), iris.base + ANALYTICS_GRAPH}
    # Graphs not wanted (paper gone, old base IRI) or not known complete: remove them. Listing
    # the store's graphs costs seconds at 20,000 papers; it is needed only after a run that did
    # not finish (or a first run): otherwise the graphs to remove are those of the papers gone,
    # none of them wanted (so no graph name of a wanted paper is needed: 0.2 s at 100,000 papers).
    if delta.anew or not graphs_known:
        graph_of = {str(iris.paper_graph(pid)): pid for pid in wanted}
        names = store.named_graphs()
    else:
        graph_of = {}
        names = (ox.NamedNode(str(iris.paper_graph(pid))) for pid in sorted(delta.gone_papers))
    stale = [name for name in names
             if name.value not in shared and (graph_of.get(name.value) is None or keys.get(graph_of[name.value]) is None)]
    # In the store's order of graph names: each bulk-loaded batch then has a key range of its own
    # in the graph-major indexes, which RocksDB never has to merge again (kg.storeorder).
    todo = in_store_order((pid for pid in wanted if keys.get(pid) != wanted[pid]), iris.paper_graph)
    # A paper no run ever worked out a key for has no graph, provided the last run finished its
    # graph stage (a killed one may leave graphs of papers since pruned and added again).
    unwritten = delta.never_keyed if graphs_known and not delta.anew else frozenset()
    # A graph that only a moved entity IRI changes is patched, where the last run finished its
    # graph stage (so the store holds the lines it wrote): kg.graphpatch.
    patched = delta.moved_only if graphs_known and not delta.anew else frozenset()
    state.set_meta("graphs", "dirty")

    steps = [todo[start:start + _STEP] for start in range(0, len(todo), _STEP)]
    # An increment (one step) is read first: its rows complete the analytics' mention table
    # before anything is written, so they can run beside all of it. A bigger run's table is
    # complete after its last step (analytics beside that would add their memory to the
    # build's at its peak), and its records are parsed one at a time.
    read = _read_step(state, steps[0]) if len(steps) == 1 else None
    if len(steps) <= 1:
        _announce_mentions(mentions_ready, state, delta, iris, _fresh_mentions(read, resolution, iris),
                           before_writes=True)
    # The corpus graph before the paper graphs: reading a changed subject's quads costs
    # milliseconds right after a bulk load, a fraction of that before.
    write_corpus_graph(dataset, state, names_db, delta, iris, full=delta.anew or not corpus_known)
    for step in steps:
        if read is not None:
            papers, extractions = read
            records = {}
        else:
            papers, records, extractions = state.papers_by_ids(step), state.records_by_ids(step), {}
        for pid in step:
            if pid in unwritten or pid in patched:
                continue
            graph = ox.NamedNode(str(iris.paper_graph(pid)))
            # remove_graph costs milliseconds even for an absent graph; a one-quad probe costs microseconds
            # (a millisecond or two on a large store's cold pages: papers never written are not probed)
            if store.contains_named_graph(graph) or next(store.quads_for_pattern(None, None, None, graph), None):
                store.remove_graph(graph)
        loader = QuadLoader(dataset)
        rows = []
        for pid in step:
            record = records.get(pid)
            extraction = extractions.get(pid) if record is None else PaperExtraction.from_json(json.loads(record))
            facts = paper_facts(papers[pid], extraction, resolution, iris, defaultdict(set))
            if pid in patched:
                before = paper_facts(papers[pid], extraction, delta.earlier, iris, defaultdict(set))
                loader.add_nquads(patch_lines(store, before.lines, facts.lines))
            else:
                loader.add_nquads(facts.lines)
            # what kg.analytics.mentions.read_mentions would read of the paper, kept for the analytics
            rows.append((pid, wanted[pid], len(set(facts.lines)), (str(iris.paper(pid)), facts.date, list(facts.mentioned))))
        loader.flush()
        store.flush()
        state.put_graph_keys(rows)
    removed = 0
    for name in stale:
        if name.value not in graph_of and (store.contains_named_graph(name) or
                                           next(store.quads_for_pattern(None, None, None, name), None)):
            store.remove_graph(name)
            removed += 1
    store.flush()
    if len(steps) > 1:  # every row is stored now
        _announce_mentions(mentions_ready, state, delta, iris, {}, before_writes=False)
    state.set_meta("graphs", None)
    log.info("store: %d paper graphs (%d rewritten, %d removed), %d entities", len(wanted), len(todo), removed,
             len(resolution.entities))
    quads = state.stored_quads()
    if quads is None:  # a build directory from before the sizes were kept: count once
        quads = len(store) - _analytics_quads(store, iris)
    return GraphUpdate(papers=len(wanted), rewritten=len(todo), removed=removed, entities=len(resolution.entities),
                       quads=quads, mentions=delta.mentions, relations=delta.relations_stated)


def _analytics_quads(store: ox.Store, iris: ResourceIRIs) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(iris.base + ANALYTICS_GRAPH)))


def _read_step(state: BuildState, step: list[str]) -> tuple[dict, dict[str, PaperExtraction]]:
    """The papers and parsed records of the paper ids ``step``."""
    records = state.records_by_ids(step)
    return state.papers_by_ids(step), {pid: PaperExtraction.from_json(json.loads(records[pid])) for pid in step
                                       if pid in records}


def _fresh_mentions(read: tuple[dict, dict] | None, resolution, iris: ResourceIRIs) -> dict:
    """(mentioned, date) by paper id of the papers `_read_step` read."""
    if read is None:
        return {}
    papers, extractions = read
    return {pid: paper_mentions(paper, extractions.get(pid), resolution, iris) for pid, paper in papers.items()}


def _announce_mentions(mentions_ready: Callable[[MentionSource], None] | None, state: BuildState, delta: GraphDelta,
                       iris: ResourceIRIs, fresh: dict[str, tuple[tuple[str, ...], str | None]], *,
                       before_writes: bool) -> None:
    """Call ``mentions_ready`` with the `MentionSource` of the graph this run leaves:
    ``fresh`` holds (mentioned, date) by paper id of the papers rewritten."""
    if mentions_ready is not None:
        mentions_ready(MentionSource(
            str(state.path.parent), frozenset(delta.wanted),
            tuple((pid, str(iris.paper(pid)), date, mentioned) for pid, (mentioned, date) in fresh.items()),
            # labels and types as the corpus graph states them (entity_triples), without querying it
            tuple((str(iris.entity(e.slug)), str(e.pref_label), e.type) for e in delta.resolution.entities),
            before_writes))


def mention_table(dataset: rdflib.Dataset, state: BuildState):
    """The `kg.analytics.mentions.MentionTable` of the store behind ``dataset``, from the
    per-paper rows the graph update keeps: what `read_mentions` reads from the store, without
    a query over every ``kg:mentions`` of the corpus. None when a paper graph has no row
    (a build directory from before the rows were kept)."""
    from kg.analytics.mentions import MentionTable, entity_infos

    rows = state.paper_mentions()
    if rows is None:
        return None
    papers, dates = {}, {}
    for paper, date, entities in sorted(rows):
        papers[paper] = frozenset(entities)
        if date:
            dates[paper] = date
    mentioned = {e for entities in papers.values() for e in entities}
    return MentionTable(entity_infos(dataset.store._inner, mentioned), papers, dates)


def drop_analytics_graph(dataset: rdflib.Dataset, iris: ResourceIRIs) -> None:
    """Remove the written-back analytics from the store (a big build keeps them in files only)."""
    store: ox.Store = dataset.store._inner
    name = ox.NamedNode(iris.base + ANALYTICS_GRAPH)
    # removing costs about 40 us a quad (a transaction per quad): probe first, it is usually absent
    if next(store.quads_for_pattern(None, None, None, name), None) is not None:
        store.remove_graph(name)
