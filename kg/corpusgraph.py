"""The corpus graph of a build directory's store, rewritten subject by subject.

The corpus graph holds what no single paper graph owns: each paper graph's description and
the run that made it, the resolved entities (labels, types, counts), relation support across
papers and the extraction runs. A build generates the subjects it can have changed, compares
each subject's lines with the digest the build state keeps, and rewrites only those that
differ; a rewritten subject loses only the quads it no longer has (Oxigraph removes a quad in
a transaction of its own, tens of microseconds each), found from its lines as the state keeps
them where it can, not read back from the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from itertools import chain, groupby

import pyoxigraph as ox
import rdflib

from kg.buildstate import BuildState
from kg.graph import entity_triples, paper_graph_triples, support_triples
from kg.graphdelta import GraphDelta
from kg.graphstore import QuadLoader, nquads_object
from kg.iris import ResourceIRIs
from kg.namestate import NameState
from kg.provenance import ExtractionRun, run_triples

__all__ = ["write_corpus_graph"]

# Changed corpus subjects forgotten (one state transaction) and replaced together.
_REPLACED_BATCH = 2_000


def write_corpus_graph(dataset: rdflib.Dataset, state: BuildState, names_db: NameState, delta: GraphDelta,
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
