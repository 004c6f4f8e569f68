"""`build`: the one library entry point behind `kg build` and the notebook.

papers -> extraction records -> RDF graph -> analytics -> views, each stage written
into the build directory as soon as it is done (atomically), so a failed run never
leaves a half-written file and never loses what an earlier run wrote.

The build directory is persistent and builds into it are incremental: ``state.sqlite``
(`kg.buildstate`) keeps every paper and its extraction record, ``store/`` the graph
(on-disk Oxigraph, `kg.graphupdate`). A run extracts only papers that are new or whose
text changed (in ``workers`` processes or on Dask, `kg.parallel`, `kg.distributed`),
storing records batch by batch, so a killed run resumes where it stopped; then it
resolves entities over all papers again, rewrites the graphs that changed and redoes
the analytics, so the result equals a fresh build of the same papers.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from kg import __version__
from kg.atomic import atomic_write

__all__ = ["BuildResult", "GRAPH_FILES_LIMIT", "build"]

# Up to this many quads a build also writes its graph as files (sorted, in Python: 100 s
# at 2 M quads); above, ``store/`` alone is the graph (Oxigraph's own dump of 36 M quads
# would take 10 minutes and 20 GB on every build). `kg build --graph-files` writes them anyway.
GRAPH_FILES_LIMIT = 2_000_000


@dataclass(frozen=True)
class BuildResult:
    """What a build read, found and wrote."""

    out: str
    papers: int
    read: int
    skipped: int
    merged: int
    entities: int  # distinct resolved entities in the graph
    mentions: int  # entity-in-paper records from extraction
    relations: int
    triples: int
    seconds: float
    files: tuple[str, ...]
    extracted: int = 0  # papers extracted by this run (the others reused their stored record)
    removed: int = 0  # papers pruned from the build
    graphs_rewritten: int = 0  # paper graphs written to the store (new, changed, or whose entity IRIs moved)
    stages: tuple[tuple[str, float], ...] = field(default=())  # (stage, seconds) in run order
    top_concepts: tuple[tuple[str, str, float], ...] = field(default=())  # (label, type, score)
    top_links: tuple[tuple[str, str, int, float], ...] = field(default=())  # (a, b, support, npmi)

    def summary(self) -> str:
        """The one line the CLI prints at the end."""
        return (
            f"{self.papers} papers ({self.read} records read, {self.skipped} skipped, {self.merged} merged), "
            f"{self.extracted} extracted, {self.removed} removed; "
            f"{self.entities} entities, {self.relations} relations, {self.triples} triples "
            f"in {self.seconds:.1f} s -> {self.out}"
        )


def build(
    *,
    inputs: Sequence[str] = (),
    out: str | Path = "kg-out",
    profile: str = "accurate",
    format: str | None = None,
    fields: dict[str, str] | None = None,
    strict: bool = False,
    base_iri: str | None = None,
    seed: int = 0,
    view: bool = True,
    progress: bool = False,
    workers: int = 1,
    dask: str | None = None,
    prune: bool = False,
    batch_size: int = 256,
    graph_files: bool | None = None,
) -> BuildResult:
    """Build the knowledge graph of ``inputs`` (default: the bundled corpus) into ``out``.

    Parameters
    ----------
    inputs : paths, directories or globs of paper files (``-`` for stdin); empty for
        the bundled corpus.
    out : the build directory; created when missing, its files replaced atomically.
    profile : extraction profile, ``"accurate"`` or ``"fast"``.
    format, fields, strict : passed to `kg.corpus.read_corpus`.
    base_iri : base of resource IRIs (default: ``$KG_BASE_IRI``, else `kg.vocab.DEFAULT_BASE`).
    seed : seed of every randomised analytics step.
    view : also write the interactive overview ``graph.html``.
    progress : show progress bars on stderr.
    workers : extraction processes (the pipeline is loaded once in each); with ``dask="local"``
        the number of workers of the LocalCluster.
    dask : extract on the Dask cluster at this scheduler address (``tcp://host:8786``), or
        ``"local"`` for a LocalCluster; needs the ``dask`` extra.
    prune : remove papers of earlier builds into ``out`` that are not in ``inputs``
        (without it a build adds to and updates what ``out`` holds).
    batch_size : papers per extraction task (and per state transaction).
    graph_files : write ``graph.trig`` and ``graph.ttl`` (True), or not (False); None (the
        default) writes them while the store holds at most `GRAPH_FILES_LIMIT` quads. Without
        them ``store/`` is the build's graph (every command taking a GRAPH reads it from the
        build directory) and the analytics go to their files only, not into the store.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "papers.jsonl").write_text(json.dumps({"id": "p1", "title": "LoRA for GSM8K",
    ...     "abstract": "We fine-tune LLaMA-2-7B with LoRA and evaluate it on the GSM8K benchmark."}) + "\\n")
    >>> result = build(inputs=[str(folder / "papers.jsonl")], out=folder / "kg-out", profile="fast", view=False)
    >>> result.papers, result.extracted, "graph.trig" in result.files
    (1, 1, True)
    >>> build(inputs=[str(folder / "papers.jsonl")], out=folder / "kg-out", profile="fast", view=False).extracted
    0
    """
    from kg.analytics import run_analytics
    from kg.analytics.background import BACKGROUND_PAPERS, BackgroundAnalytics
    from kg.buildstate import BuildState
    from kg.corpus import read_corpus
    from kg.extraction import PROFILES
    from kg.graph import write_graph
    from kg.graphupdate import drop_analytics_graph, mention_table, open_store, update_graph
    from kg.iris import ResourceIRIs
    from kg.recordfiles import RecordFileWriter
    from kg.vocab import resolve_base_iri

    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []

    stages: list[tuple[str, float]] = []
    lap = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal lap
        now = time.perf_counter()
        stages.append((name, round(now - lap, 3)))
        lap = now

    state = BuildState(out)
    stack = contextlib.ExitStack()
    try:
        known = state.input_files()
        touched = _touched_bytes(inputs, known)
        large_increment = state.graph_count() >= BACKGROUND_PAPERS and touched != 0
        pool = None
        if workers > 1 and dask is None and profile in PROFILES and large_increment:
            from kg.parallel import start_workers, workers_worth_starting

            # An increment of a large build: the workers load the pipeline while the input is read,
            # as many as the papers the touched files hold are worth (the other core reads and counts).
            pool = start_workers(profile, workers_worth_starting(profile, workers, _papers_in(touched, known)))
            stack.callback(pool.shutdown, wait=False, cancel_futures=True)
        iris = ResourceIRIs(resolve_base_iri(base_iri))
        # And its analytics helper imports, reads the stored mention rows and counts their
        # co-mentions (three CPU-seconds at 100,000 papers) while the input is read and extracted.
        background = stack.enter_context(BackgroundAnalytics(
            out, seed=seed, base_iri=iris.base, prestart=graph_files is not True and large_increment, keep_result=view))
        # Files unchanged since the last read are not parsed again: their papers are in the state.
        corpus = read_corpus(inputs, format=format, fields=fields, strict=strict, progress=progress, known=known)
        options = json.dumps([__version__, profile, base_iri, resolve_base_iri(base_iri), seed, view, graph_files])
        # Cleared before anything changes: a run killed from here on leaves the directory "unfinished".
        last_finished = state.finished()
        state.set_finished(None)
        state.put_input_files(None)  # until the papers of this read are stored
        changed = state.put_papers(corpus.papers)
        removed = 0
        if prune:
            removed = state.remove_papers(state.paper_ids() - {paper.id for paper in corpus.papers} - set(corpus.unchanged))
        state.put_input_files(corpus.files)
        stage("read")
        extracted = _extract_pending(state, profile=profile, workers=workers, dask=dask, batch_size=batch_size,
                                     progress=progress, pool=pool)
        if pool is not None:  # done with: the workers' memory goes back before the graph is built
            pool.shutdown(wait=False, cancel_futures=True)
        stage("extract")
        unchanged = not (changed or removed or extracted) and last_finished == options
        previous = _previous_result(out) if unchanged else None
        if previous is not None:  # the last build finished on exactly these papers and options
            state.set_finished(options)
            return replace(previous, read=corpus.read, skipped=corpus.skipped, merged=corpus.merged,
                           extracted=0, removed=0, graphs_rewritten=0, stages=tuple(stages),
                           seconds=time.perf_counter() - started)
        # papers.jsonl and extractions.jsonl: written by a helper process while the graph is updated.
        record_files = stack.enter_context(RecordFileWriter(out))
        stage("records")

        sources: list = []

        def mentions_ready(source) -> None:
            sources.append(source)
            # A large build's analytics go to files only: they run beside the store's last writes.
            if source.before_writes and graph_files is not True and source.papers >= BACKGROUND_PAPERS:
                background.start(source)

        store = contextlib.ExitStack()
        with store:
            dataset = store.enter_context(open_store(out, base_iri=iris.base))
            update = update_graph(dataset, state, iris=iris, mentions_ready=mentions_ready)
            stage("graph")
            files = graph_files if graph_files is not None else update.quads <= GRAPH_FILES_LIMIT
            if not files:
                drop_analytics_graph(dataset, iris)
            closed = background.started and not files and not view
            if closed:
                # Nothing reads the store any more: closed now, RocksDB stops scheduling merges
                # that would take the cores the analytics helper is finishing on.
                store.close()
            analytics = background.finish()
            if analytics is None or files:  # no helper, it failed, or the analytics go into the store after all
                if closed:
                    dataset = store.enter_context(open_store(out, base_iri=iris.base))
                table = sources[0].table() if sources else None
                analytics = run_analytics(dataset, out=out, seed=seed, base_iri=iris.base, into_graph=files,
                                          table=table or mention_table(dataset, state))
            written += list(analytics.files)
            stage("analytics")
            written[:0] = record_files.finish()  # first in the list, as they were written before
            if files:
                written += [Path(p).name for p in write_graph(dataset, out)]
                triples = len(dataset.store._inner)
            else:
                for name in ("graph.trig", "graph.ttl"):  # an earlier, smaller build's: now out of date
                    (out / name).unlink(missing_ok=True)
                triples = update.quads
            stage("write")
            if view:
                from kg.views import write_overview

                written.append(Path(write_overview(dataset, out / "graph.html", seed=seed, analytics=analytics.result)).name)
                stage("view")
        mentions, relations = update.mentions, update.relations
    finally:
        stack.close()
        state.close()

    result = BuildResult(
        out=str(out),
        papers=update.papers,
        read=corpus.read,
        skipped=corpus.skipped,
        merged=corpus.merged,
        entities=analytics.entities,
        mentions=mentions,
        relations=relations,
        triples=triples,
        seconds=time.perf_counter() - started,
        files=tuple(written),
        extracted=extracted,
        removed=removed,
        graphs_rewritten=update.rewritten,
        stages=tuple(stages),
        top_concepts=tuple(analytics.top_concepts[:10]),
        top_links=tuple(analytics.top_links[:10]),
    )
    with atomic_write(out / "build.json") as handle:
        json.dump(asdict(result) | {"kg_version": __version__, "profile": profile}, handle, indent=2)
    state = BuildState(out)
    try:
        state.set_finished(options)
    finally:
        state.close()
    return result


def _previous_result(out: Path) -> BuildResult | None:
    """The result recorded in ``out/build.json``, if it and every file it lists are there."""
    try:
        data = json.loads((out / "build.json").read_text(encoding="utf-8"))
        names = {f.name for f in fields(BuildResult)}
        values = {k: v for k, v in data.items() if k in names}
        for key in ("files", "top_concepts", "top_links", "stages"):
            values[key] = tuple(tuple(v) if isinstance(v, list) else v for v in values.get(key, ()))
        result = BuildResult(**values)
    except (OSError, ValueError, TypeError):
        return None
    return result if all((out / name).exists() for name in result.files) else None


def _touched_bytes(inputs: Sequence[str], known: dict) -> int | None:
    """The bytes of ``inputs`` that reading them with the ``known`` files of the last read will
    parse: those of files never read or whose size or time changed (0: none); None when that
    is not known beforehand (stdin, a name that finds no file)."""
    from kg.corpus import STDIN, bundled_corpus_paths, expand_inputs
    from kg.problems import ProblemLog

    class Unreported(ProblemLog):  # the read that follows reports them
        def report(self, path, line, message) -> None:
            self.problems.append(message)

    if any(str(item) == STDIN for item in inputs):
        return None
    problems = Unreported()
    files = list(bundled_corpus_paths()) if not inputs else expand_inputs(inputs, problems)
    touched = 0
    for path in files:
        record = known.get(str(path))
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if record is None or (stat.st_size, stat.st_mtime_ns) != (record.size, record.mtime_ns):
            touched += stat.st_size
    return None if problems.problems else touched


def _papers_in(touched: int | None, known: dict) -> int | None:
    """About how many papers ``touched`` bytes hold, at the known files' bytes per paper."""
    size, papers = sum(f.size for f in known.values()), sum(f.read for f in known.values())
    if touched is None or not papers:
        return None
    return touched * papers // size


def _extract_pending(state, *, profile: str, workers: int, dask: str | None, batch_size: int, progress: bool,
                     pool=None) -> int:
    """Extract the papers of ``state`` without a current record; each batch is stored as it
    comes back. ``pool``: worker processes started already (`kg.parallel.start_workers`; the caller shuts it down)."""
    from kg.buildstate import extractor_version, text_hash
    from kg.extraction import PROFILES
    from kg.parallel import batched, extract_batches

    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    version = extractor_version(profile)
    pending = state.pending_extraction(profile=profile, version=version)  # by id
    if not pending:
        return 0
    # Only the pending papers are read back (an increment of 1,000 on 100,000 reads 1,000).
    found = state.papers_by_ids(pending)
    papers = [found[pid] for pid in pending]
    hashes = {paper.id: text_hash(paper) for paper in papers}
    batches = batched(((p.id, p.title, p.abstract) for p in papers), batch_size)
    if dask:
        from kg.distributed import extract_batches_dask

        done = extract_batches_dask(batches, profile=profile, address=dask, workers=workers)
    else:
        # One batch needs one process: this one (no interpreters spawned to each load the pipeline),
        # unless they were started before the read
        done = extract_batches(batches, profile=profile, workers=workers if len(papers) > batch_size or pool else 1,
                               pool=pool)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(papers), desc="extracting", unit=" papers", delay=1.0, leave=False)
    try:
        for records in done:
            state.put_extractions(((pid, hashes[pid], record) for pid, record in records),
                                  profile=profile, version=version)
            if bar is not None:
                bar.update(len(records))
    finally:
        if bar is not None:
            bar.close()
    return len(papers)
