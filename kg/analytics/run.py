"""`run_analytics`: what `kg build` and `kg analyze` call: compute, write back, write files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib

from kg.analytics.analyze import AnalyticsResult, analyze
from kg.analytics.outputs import write_outputs
from kg.analytics.writeback import write_back
from kg.atomic import atomic_write

__all__ = ["AnalyticsRun", "run_analytics"]


@dataclass(frozen=True)
class AnalyticsRun:
    """The files written and the headline figures of one analytics run."""

    result: AnalyticsResult
    files: tuple[str, ...]  # names inside the output directory
    entities: int
    top_concepts: tuple[tuple[str, str, float], ...]  # (label, type, score)
    top_links: tuple[tuple[str, str, int, float], ...]  # (label, label, support, npmi)

    def summary_lines(self, top: int = 10) -> list[str]:
        """The top ``top`` central concepts and co-mention links, as `kg build` prints them."""
        lines = ["Top central concepts:"]
        lines += [f"  {i:2d}. {label} ({kind}) {score:.3f}" for i, (label, kind, score) in enumerate(self.top_concepts[:top], 1)]
        lines += ["Top co-mention links:"]
        lines += [f"  {i:2d}. {a} -- {b}  papers={n} npmi={npmi:.2f}" for i, (a, b, n, npmi) in enumerate(self.top_links[:top], 1)]
        return lines


def run_analytics(
    graph: rdflib.Graph, *, out: str | Path, seed: int = 0, base_iri: str | None = None, **options
) -> AnalyticsRun:
    """Analyze ``graph``, add the results to it (`write_back`) and write the files into ``out``.

    Besides the report, JSON and CSV files, ``analytics.ttl`` holds the written-back triples
    alone, for loading next to a graph that was built without them. ``options`` go to
    `kg.analytics.analyze`.
    """
    out = Path(out)
    result = analyze(graph, seed=seed, **options)
    added = write_back(graph, result, base_iri=base_iri)
    files = [path.name for path in write_outputs(result, out)]
    with atomic_write(out / "analytics.ttl", "wb") as handle:
        added.serialize(handle, format="turtle")
    files.append("analytics.ttl")
    return AnalyticsRun(
        result=result,
        files=tuple(files),
        entities=result.entities,
        top_concepts=tuple((c.label, c.type, c.score) for c in result.concepts[:10]),
        top_links=tuple((result.labels[l.source], result.labels[l.target], l.support, l.npmi) for l in result.links_by_support[:10]),
    )
