"""`build`: the one library entry point behind `kg build` and the notebook.

papers -> extraction records -> RDF graph -> analytics -> views, each stage written
into the build directory as soon as it is done (atomically), so a failed run never
leaves a half-written file and never loses what an earlier run wrote.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg import __version__
from kg.atomic import atomic_write

__all__ = ["BuildResult", "build"]


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
    top_concepts: tuple[tuple[str, str, float], ...] = field(default=())  # (label, type, score)
    top_links: tuple[tuple[str, str, int, float], ...] = field(default=())  # (a, b, support, npmi)

    def summary(self) -> str:
        """The one line the CLI prints at the end."""
        return (
            f"{self.papers} papers ({self.read} records read, {self.skipped} skipped, {self.merged} merged), "
            f"{self.entities} entities, {self.relations} relations, {self.triples} triples "
            f"in {self.seconds:.1f} s -> {self.out}"
        )


def _write_jsonl(path: Path, rows) -> None:
    with atomic_write(path) as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


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
) -> BuildResult:
    """Build the knowledge graph of ``inputs`` (default: the bundled corpus) into ``out``.

    Parameters
    ----------
    inputs : paths, directories or globs of paper files (``-`` for stdin); empty for
        the bundled corpus.
    out : the build directory; created when missing, its files replaced atomically.
    profile : extraction profile, ``"accurate"`` or ``"fast"``.
    format, fields, strict : passed to `kg.corpus.read_corpus`.
    base_iri : base of resource IRIs (default `kg.graph.DEFAULT_BASE`).
    seed : seed of every randomised analytics step.
    view : also write the interactive overview ``graph.html``.
    progress : show progress bars on stderr.
    """
    from kg.analytics import run_analytics
    from kg.corpus import paper_to_json, read_corpus
    from kg.extraction import extract_papers
    from kg.graph import DEFAULT_BASE, build_graph, write_graph

    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []

    corpus = read_corpus(inputs, format=format, fields=fields, strict=strict, progress=progress)
    _write_jsonl(out / "papers.jsonl", (paper_to_json(p) for p in corpus.papers))
    written.append("papers.jsonl")

    extractions = list(extract_papers(corpus.papers, profile=profile, progress=progress))
    _write_jsonl(out / "extractions.jsonl", (e.to_json() for e in extractions))
    written.append("extractions.jsonl")

    dataset = build_graph(corpus.papers, extractions, base_iri=base_iri or DEFAULT_BASE)
    analytics = run_analytics(dataset, out=out, seed=seed)
    written += list(analytics.files)
    written += [Path(p).name for p in write_graph(dataset, out)]

    if view:
        from kg.views import write_overview

        written.append(Path(write_overview(dataset, out / "graph.html", seed=seed, analytics=analytics.result)).name)

    result = BuildResult(
        out=str(out),
        papers=len(corpus.papers),
        read=corpus.read,
        skipped=corpus.skipped,
        merged=corpus.merged,
        entities=analytics.entities,
        mentions=sum(len(e.entities) for e in extractions),
        relations=sum(len(e.relations) for e in extractions),
        triples=len(dataset),
        seconds=time.perf_counter() - started,
        files=tuple(written),
        top_concepts=tuple(analytics.top_concepts[:10]),
        top_links=tuple(analytics.top_links[:10]),
    )
    with atomic_write(out / "build.json") as handle:
        json.dump(asdict(result) | {"kg_version": __version__, "profile": profile}, handle, indent=2)
    return result
