"""The build directory's graph: an on-disk Oxigraph store kept equal to a fresh build of its papers.

A fresh `kg.graph.build_graph` of the same papers and records gives the same quads; this
module gets there by rewriting only what changed. Entity resolution is global (a new
paper can merge two entities or change a preferred label), so every run resolves all
records again (cheap next to extraction) and then:

- each paper's named graph depends on the paper, its record and the entity IRIs its
  names resolved to; their digest is the graph's *key* (kept in `kg.buildstate`). Only
  graphs whose key changed are rewritten, graphs of papers no longer in the build and
  graphs an interrupted run left without a key are removed;
- the corpus graph (entities, relation support, runs, which run made which paper graph)
  is generated whole, but only the subjects whose triples changed are rewritten (their
  digests are kept in the build state; removing quads from Oxigraph is slow).

Crash safety: a graph's key is deleted before the graph is touched and stored after the
store is flushed, so whatever point a run is killed at, the next run finds every graph
either complete with its key or keyless, and rewrites the keyless ones.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore

from extractors.records import PaperExtraction
from kg.analytics.terms import ANALYTICS_GRAPH
from kg.buildstate import BuildError, BuildState
from kg.graphfile import BUILD_STORE
from kg.graph import corpus_triples, paper_facts, resolved_relation
from kg.graphstore import QuadLoader, nquads_object
from kg.iris import ResourceIRIs
from kg.provenance import ExtractionRun
from kg.resolve import Resolution, locals_from_json, locals_to_json, paper_locals, resolve_locals
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


@dataclass(frozen=True, slots=True)
class _Outline:
    """What the graph update keeps of one record while resolving (not the record: 10^6 of these must fit)."""

    record_hash: str
    run: tuple[str, str]  # extractor, version
    names: tuple[str, ...]  # entity names, then each relation's head and tail
    relations: tuple[str, ...]  # relation types, one per (head, tail) pair at the end of names


def _outlines(state: BuildState, into: dict[str, _Outline]) -> list:
    """The `kg.resolve.paper_locals` of every stored record, for the resolver; each record's outline goes into ``into``.

    Records stored since the last run are parsed once and their outline and locals kept in
    the state; the others are read from there (5 times faster than parsing and normalising
    every name again).
    """
    todo = state.records_without_outline()
    for start in range(0, len(todo), 2_000):
        rows = []
        for pid, text in state.records_by_ids(todo[start:start + 2_000]).items():
            record = PaperExtraction.from_json(json.loads(text))
            rows.append((pid, json.dumps([
                hashlib.sha256(text.encode("utf-8")).hexdigest()[:32],
                record.extractor or "unknown", record.extractor_version or "unknown",
                [e.name for e in record.entities] + [n for r in record.relations for n in (r.head, r.tail)],
                [r.relation for r in record.relations],
                locals_to_json(paper_locals(record)),
            ], ensure_ascii=False)))
        state.put_outlines(rows)
    found = []
    for pid, text in state.outlines():
        record_hash, extractor, version, names, relations, locals_ = json.loads(text)
        into[pid] = _Outline(record_hash, (extractor, version), tuple(names), tuple(relations))
        found.extend(locals_from_json(locals_))
    found.sort(key=lambda local: (local.paper_id, local.full_key))
    return found


def _support(outlines: dict[str, _Outline], resolution: Resolution) -> dict:
    """Relation (head slug, relation, tail slug) -> ids of the papers that state it (as `build_graph` counts)."""
    support: dict = defaultdict(set)
    for pid, outline in outlines.items():
        pairs = outline.names[len(outline.names) - 2 * len(outline.relations):]
        for index, relation in enumerate(outline.relations):
            ends = resolved_relation(resolution, pid, pairs[2 * index], relation, pairs[2 * index + 1])
            if ends is not None:
                support[(ends[0].slug, relation, ends[1].slug)].add(pid)
    return support


def _graph_key(pid: str, paper_hash: str, outline: _Outline | None, resolution: Resolution, base: str) -> str:
    parts = [base, paper_hash]
    if outline is not None:
        parts.append(outline.record_hash)
        parts += [getattr(resolution.lookup(pid, name), "slug", "") for name in outline.names]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def update_graph(dataset: rdflib.Dataset, state: BuildState, *, iris: ResourceIRIs) -> GraphUpdate:
    """Bring the store behind ``dataset`` to the graph of the papers and records in ``state``.

    Records are parsed only when new (their outlines are kept in the state for the
    resolver), and only the papers and records of graphs to rewrite are read back,
    ``_STEP`` at a time.
    """
    store: ox.Store = dataset.store._inner
    outlines: dict[str, _Outline] = {}
    resolution = resolve_locals(_outlines(state, outlines))
    paper_hashes = state.paper_hashes()
    wanted = {pid: _graph_key(pid, digest, outlines.get(pid), resolution, iris.base)
              for pid, digest in paper_hashes.items()}
    graph_of = {str(iris.paper_graph(pid)): pid for pid in wanted}
    keys = state.graph_keys()
    shared = {str(iris.corpus_graph), iris.base + ANALYTICS_GRAPH}
    # Graphs not wanted (paper gone, old base IRI) or not known complete: remove them.
    stale = [name for name in store.named_graphs()
             if name.value not in shared and (graph_of.get(name.value) is None
                                               or keys.get(graph_of[name.value]) != wanted[graph_of[name.value]])]
    state.forget_graphs(set(keys) - set(wanted))
    todo = sorted(pid for pid in wanted if keys.get(pid) != wanted[pid])

    for start in range(0, len(todo), _STEP):
        step = todo[start:start + _STEP]
        state.forget_graphs(step)
        for pid in step:
            graph = ox.NamedNode(str(iris.paper_graph(pid)))
            # remove_graph costs milliseconds even for an absent graph; a one-quad probe costs microseconds
            if store.contains_named_graph(graph) or next(store.quads_for_pattern(None, None, None, graph), None):
                store.remove_graph(graph)
        papers, records = state.papers_by_ids(step), state.records_by_ids(step)
        loader = QuadLoader(dataset)
        keys = []
        for pid in step:
            record = records.get(pid)
            extraction = None if record is None else PaperExtraction.from_json(json.loads(record))
            facts = paper_facts(papers[pid], extraction, resolution, iris, defaultdict(set))
            loader.add_nquads(facts.lines)
            # what kg.analytics.mentions.read_mentions would read of the paper, kept for the analytics
            keys.append((pid, wanted[pid], len(set(facts.lines)), (str(iris.paper(pid)), facts.date, list(facts.mentioned))))
        loader.flush()
        store.flush()
        state.put_graph_keys(keys)
    removed = 0
    for name in stale:
        if name.value not in graph_of:
            store.remove_graph(name)
            removed += 1

    _write_corpus_graph(dataset, state, sorted(wanted), outlines, resolution, iris)
    log.info("store: %d paper graphs (%d rewritten, %d removed), %d entities", len(wanted), len(todo), removed,
             len(resolution.entities))
    quads = state.stored_quads()
    if quads is None:  # a build directory from before the sizes were kept: count once
        quads = len(store) - _analytics_quads(store, iris)
    names = sum(len(o.names) for o in outlines.values())
    relations = sum(len(o.relations) for o in outlines.values())
    return GraphUpdate(papers=len(wanted), rewritten=len(todo), removed=removed, entities=len(resolution.entities),
                       quads=quads, mentions=names - 2 * relations, relations=relations)


def _analytics_quads(store: ox.Store, iris: ResourceIRIs) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(iris.base + ANALYTICS_GRAPH)))


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


def _write_corpus_graph(dataset: rdflib.Dataset, state: BuildState, papers: list[str], outlines: dict[str, _Outline],
                        resolution: Resolution, iris: ResourceIRIs) -> int:
    """Bring the corpus graph to what `corpus_triples` gives now, rewriting only the subjects whose triples changed.

    Returns how many subjects were rewritten or removed. Removing a quad from Oxigraph
    costs tens of microseconds, so rewriting a corpus graph of millions of quads on
    every build would dominate an incremental one; its subjects' digests in the build
    state tell which few changed.
    """
    store: ox.Store = dataset.store._inner
    corpus = iris.corpus_graph
    corpus_node = ox.NamedNode(str(corpus))
    started = datetime.now(timezone.utc)
    runs = {pair: ExtractionRun(pair[0], pair[1], started, started) for pair in sorted({o.run for o in outlines.values()})}
    paper_runs = [(pid, [outlines[pid].run] if pid in outlines else []) for pid in papers]
    triples = corpus_triples(paper_runs, runs, resolution=resolution, support=_support(outlines, resolution), iris=iris)
    stored = state.corpus_digests()
    if stored and next(store.quads_for_pattern(None, None, None, corpus_node), None) is None:
        stored = {}  # the store was replaced under the state: nothing of it is there
    unknown: set[str] = set()
    if state.meta("corpus") == "dirty" or not stored:
        # An interrupted run (or a build directory from before the digests): what the store holds, the state may not know.
        unknown = {quad.subject.value for quad in store.quads_for_pattern(None, None, None, corpus_node)} - set(stored)
    state.set_meta("corpus", "dirty")
    tail = f" <{corpus}> .\n"
    loader = QuadLoader(dataset)
    seen: set[str] = set()
    written: list[tuple[str, str]] = []
    for subject, group in groupby(triples, key=lambda triple: triple[0]):
        key = str(subject)
        if key in seen:
            raise RuntimeError(f"corpus graph subject {key} is not contiguous")  # corpus_triples yields each once
        seen.add(key)
        lines = [f"<{key}> <{p}> {nquads_object(o)}{tail}" for _, p, o in group]
        digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()[:24]
        if stored.get(key) == digest:
            continue
        if key in stored or key in unknown:
            state.forget_corpus((key,))
            _remove_subject(store, ox.NamedNode(key), corpus_node)
        loader.add_nquads(lines)
        written.append((key, digest, len(set(lines))))
    gone = [key for key in (*stored, *unknown) if key not in seen]
    for key in gone:
        _remove_subject(store, ox.NamedNode(key), corpus_node)
    loader.flush()
    store.flush()
    state.forget_corpus(gone)
    state.put_corpus_digests(written)
    state.set_meta("corpus", None)
    return len(written) + len(gone)


def _remove_subject(store: ox.Store, subject: ox.NamedNode, graph: ox.NamedNode) -> None:
    for quad in list(store.quads_for_pattern(subject, None, None, graph)):
        store.remove(quad)


def drop_analytics_graph(dataset: rdflib.Dataset, iris: ResourceIRIs) -> None:
    """Remove the written-back analytics from the store (a big build keeps them in files only)."""
    store: ox.Store = dataset.store._inner
    name = ox.NamedNode(iris.base + ANALYTICS_GRAPH)
    # removing costs about 40 us a quad (a transaction per quad): probe first, it is usually absent
    if next(store.quads_for_pattern(None, None, None, name), None) is not None:
        store.remove_graph(name)
