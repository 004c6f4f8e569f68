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
  whose triples' digest changed are rewritten (a changed subject loses only the quads it
  no longer has: removing quads from Oxigraph is slow).

Crash safety: a graph's key is deleted before the graph is touched and stored after the
store is flushed, so whatever point a run is killed at, the next run finds every graph
either complete with its key or keyless, and rewrites the keyless ones. The name tables
change in one transaction with forgetting the keys they invalidate and marking the
corpus graph dirty; a run that finds it dirty generates the whole corpus graph.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import chain, groupby
from pathlib import Path

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore

from extractors.records import PaperExtraction
from kg.analytics.terms import ANALYTICS_GRAPH
from kg.buildstate import BuildError, BuildState
from kg.graphfile import BUILD_STORE
from kg.graph import entity_triples, paper_facts, paper_graph_triples, paper_mentions, support_triples
from kg.graphstore import QuadLoader, nquads_object
from kg.graphdelta import GraphDelta, make_outlines, resolve_delta
from kg.graphpatch import patch_lines
from kg.iris import ResourceIRIs
from kg.mentionsource import MentionSource
from kg.namestate import NameState
from kg.provenance import ExtractionRun, run_triples
from kg.storeorder import in_store_order
from kg.vocab import PREFIXES

__all__ = ["STORE_DIR", "GraphUpdate", "open_store", "update_graph", "mention_table", "drop_analytics_graph"]

log = logging.getLogger("kg.graph")

STORE_DIR = BUILD_STORE
# Papers rewritten per step: one step = forget keys, remove + load graphs, flush, store keys.
_STEP = 5_000
# Changed corpus subjects forgotten (one state transaction) and replaced together.
_REPLACED_BATCH = 2_000


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
    _write_corpus_graph(dataset, state, names_db, delta, iris, full=delta.anew or not corpus_known)
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


def _write_corpus_graph(dataset: rdflib.Dataset, state: BuildState, names_db: NameState, delta: GraphDelta,
                        iris: ResourceIRIs, *, full: bool) -> int:
    """Bring the corpus graph to what `corpus_triples` gives now, rewriting only the subjects whose triples changed.

    Returns how many subjects were rewritten or removed. Removing a quad from Oxigraph
    costs tens of microseconds, so rewriting a corpus graph of millions of quads on
    every build would dominate an incremental one; its subjects' digests in the build
    state tell which few changed. Unless ``full`` (a first build, or one after an
    interrupted run), only the subjects this run can have changed are generated: the
    paper graphs of the candidate papers, every entity, the relations whose support
    changed, and the runs.
    """
    store: ox.Store = dataset.store._inner
    corpus_node = ox.NamedNode(str(iris.corpus_graph))
    started = datetime.now(timezone.utc)
    paper_runs = names_db.runs(None if full else delta.candidates)
    present = delta.wanted if full else delta.candidates
    papers = [(pid, [paper_runs[pid]] if pid in paper_runs else []) for pid in sorted(present)]
    runs = {pair: ExtractionRun(pair[0], pair[1], started, started) for pair in sorted(names_db.run_pairs())}
    support = names_db.support(None if full else delta.relations)
    triples = chain(paper_graph_triples(papers, iris), entity_triples(delta.resolution.entities, iris),
                    support_triples(support, iris),
                    chain.from_iterable(run_triples(iris.run(*pair), record) for pair, record in runs.items()))
    unknown: set[str] = set()
    if full:
        stored = state.corpus_digests()
        if stored and next(store.quads_for_pattern(None, None, None, corpus_node), None) is None:
            stored = {}  # the store was replaced under the state: nothing of it is there
        # An interrupted run (or a build directory from before the digests): what the store holds, the state may not know.
        unknown = {quad.subject.value for quad in store.quads_for_pattern(None, None, None, corpus_node)} - set(stored)
        gone_candidates: Iterable[str] = (*stored, *unknown)
    else:
        graphs = [str(iris.paper_graph(pid)) for pid in delta.candidates | delta.gone_papers]
        relations = [str(iris.relation(*rel.split("\x1f"))) for rel in delta.relations]
        stored = {**state.corpus_digests(prefix=iris.base + "entity/"), **state.corpus_digests(prefix=iris.base + "run/"),
                  **state.corpus_digests(subjects=graphs + relations)}
        gone_candidates = stored
    state.set_meta("corpus", "dirty")
    loader = QuadLoader(dataset)
    seen: set[str] = set()
    written: list[tuple[str, str, int, str | None]] = []
    tail = f" <{iris.corpus_graph}> .\n"
    entity_prefix = iris.base + "entity/"
    replaced: list[tuple[str, list[str]]] = []  # changed subjects the store holds: replaced a batch at a time

    # a relation whose support changed: its old lines are made again from its support before
    # this run, and used when they match the digest stored (reading them would cost a cold page each)
    relation_before = {str(iris.relation(*rel)): rel for rel in delta.support_before}

    def lines_before(key: str) -> str | None:
        rel = relation_before.get(key)
        if rel is None:
            return None
        lines = "".join(next(_subject_lines(support_triples({rel: delta.support_before[rel]}, iris), tail))[1])
        return lines if _lines_digest(lines) == stored.get(key) else None

    def replace_batch() -> None:
        keys = [key for key, _ in replaced]
        old = state.corpus_lines(keys)
        old.update({key: lines for key in keys if key not in old and (lines := lines_before(key)) is not None})
        state.forget_corpus(keys)  # one transaction for the batch, before any of it is touched
        for key, lines in replaced:
            _remove_subject(store, ox.NamedNode(key), corpus_node, keep=lines, old=old.get(key))
            loader.add_nquads(lines)
        replaced.clear()

    for key, lines in _subject_lines(triples, tail):
        if key in seen:
            raise RuntimeError(f"corpus graph subject {key} is not contiguous")  # corpus_triples yields each once
        seen.add(key)
        digest = _lines_digest("".join(lines))
        if stored.get(key) == digest:
            continue
        if key in stored or key in unknown:
            replaced.append((key, lines))
            if len(replaced) >= _REPLACED_BATCH:
                replace_batch()
        else:
            loader.add_nquads(lines)
        # an entity's lines are kept: its counts change in most increments
        written.append((key, digest, len(set(lines)), "".join(lines) if key.startswith(entity_prefix) else None))
    replace_batch()
    gone = [key for key in gone_candidates if key not in seen]
    old_lines = state.corpus_lines(gone)
    for key in gone:
        _remove_subject(store, ox.NamedNode(key), corpus_node,
                        old=old_lines[key] if key in old_lines else lines_before(key))
    loader.flush()
    store.flush()
    state.forget_corpus(gone)
    state.put_corpus_digests(written)
    state.set_meta("corpus", None)
    return len(written) + len(gone)


def _subject_lines(triples: Iterable[tuple], tail: str) -> Iterator[tuple[str, list[str]]]:
    """(subject IRI, its N-Quads lines ending in ``tail``) of each run of ``triples`` with one subject."""
    for subject, group in groupby(triples, key=lambda triple: triple[0]):
        key = str(subject)
        yield key, [f"<{key}> <{p}> {nquads_object(o)}{tail}" for _, p, o in group]


def _lines_digest(text: str) -> str:
    """The digest a corpus subject's lines are kept under (`BuildState.put_corpus_digests`)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _remove_subject(store: ox.Store, subject: ox.NamedNode, graph: ox.NamedNode, *, keep: list[str] = (),
                    old: str | None = None) -> None:
    """Remove the quads of ``subject`` in ``graph``, except those among the N-Quads lines ``keep``.

    ``old`` are the subject's lines as stored (`BuildState.corpus_lines`), when kept: then
    nothing is read from the store (reading a subject's quads costs up to a millisecond
    while the store's caches are cold). A subject whose counts moved loses only its old
    counts, and a relation with one more supporting paper loses only its old count, not
    its whole list of papers.
    """
    if old is not None:  # compared as lines (one writer, one form per term): only the lines gone are parsed
        kept_lines = set(keep)
        gone = "".join(line for line in old.splitlines(keepends=True) if line not in kept_lines)
        for quad in ox.parse(gone, format=ox.RdfFormat.N_QUADS):
            store.remove(quad)
        return
    kept = set(ox.parse("".join(keep), format=ox.RdfFormat.N_QUADS)) if keep else set()
    for quad in list(store.quads_for_pattern(subject, None, None, graph)):
        if quad not in kept:
            store.remove(quad)


def drop_analytics_graph(dataset: rdflib.Dataset, iris: ResourceIRIs) -> None:
    """Remove the written-back analytics from the store (a big build keeps them in files only)."""
    store: ox.Store = dataset.store._inner
    name = ox.NamedNode(iris.base + ANALYTICS_GRAPH)
    # removing costs about 40 us a quad (a transaction per quad): probe first, it is usually absent
    if next(store.quads_for_pattern(None, None, None, name), None) is not None:
        store.remove_graph(name)
