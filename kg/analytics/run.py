"""`run_analytics`: what `kg build` and `kg analyze` call: compute, write back, write files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import rdflib

from kg.analytics.analyze import AnalyticsResult, analyze_mentions
from kg.analytics.backends import LARGE_GRAPH_NODES
from kg.comentionfiles import COMENTIONS_CSV, LinkFileWriter, link_columns, write_comentions_csv, write_link_statements
from kg.analytics.mentions import MentionTable, read_mentions
from kg.analytics.outputs import write_outputs
from kg.analytics.writeback import analytics_graph, analytics_ntriples, write_back
from kg.atomic import atomic_write, move_into_place
from kg.parallel import batched
from kg.vocab import resolve_base_iri

__all__ = ["AnalyticsRun", "run_analytics"]


@dataclass(frozen=True)
class AnalyticsRun:
    """The files written and the headline figures of one analytics run."""

    result: AnalyticsResult | None  # None from a helper asked for the files and figures only
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


# rdflib's Turtle serialiser (grouped, sorted) takes 150 us a triple; N-Triples lines 2 us.
RDFLIB_TURTLE_LIMIT = 50_000
# Fewer links are written in this process: the helper interpreter costs about half a second.
BACKGROUND_LINKS = 20_000


def _analytics_size(result: AnalyticsResult) -> int:
    """About how many triples `write_back` writes for ``result``."""
    return 7 * len(result.concepts) + 4 * len(result.communities.communities) + 6 * len(result.comentions)


def _write_analytics_ttl(result: AnalyticsResult, path: Path, *, base_iri: str | None, links: Path | None = None) -> None:
    """``analytics.ttl``: by rdflib while few triples (the same bytes as ever), else written as
    text: the co-mention links first, a Turtle statement (one line) each under three prefixes
    (`kg.comentionfiles.comention_turtle`), then the other results as N-Triples lines (valid Turtle).

    ``links`` is the file of prefixes and co-mention lines a helper wrote already (`LinkFileWriter`,
    complete and synced): the other lines are appended to it and it is renamed into place, so its
    hundreds of megabytes are not copied (a fresh file of the same bytes is written otherwise).
    """
    if links is None and _analytics_size(result) <= RDFLIB_TURTLE_LIMIT:
        with atomic_write(path, "wb") as handle:
            analytics_graph(result, base_iri=base_iri).serialize(handle, format="turtle")
        return
    rest = batched(analytics_ntriples(result, base_iri=base_iri, links=False), 20_000)
    if links is None:
        with atomic_write(path, "wb") as handle:
            write_link_statements(handle, link_columns(result.comentions), base=resolve_base_iri(base_iri))
            for batch in rest:
                handle.write("".join(batch).encode("utf-8"))
        return
    with open(links, "ab") as handle:
        for batch in rest:
            handle.write("".join(batch).encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    move_into_place(links, path)


def run_analytics(
    graph: rdflib.Graph, *, out: str | Path, seed: int = 0, base_iri: str | None = None, into_graph: bool = True,
    table: MentionTable | None = None, **options
) -> AnalyticsRun:
    """Analyze ``graph``, add the results to it (`write_back`) and write the files into ``out``.

    Besides the report, JSON and CSV files, ``analytics.ttl`` holds the written-back triples
    alone, for loading next to a graph that was built without them. ``into_graph=False``
    leaves ``graph`` as it is (the results go to the files only). ``table`` is
    `read_mentions` of ``graph`` when the caller has it already. ``options`` go to
    `kg.analytics.analyze`.
    """
    out = Path(out)
    table = table if table is not None else read_mentions(graph)
    labels = {iri: info.label for iri, info in table.entities.items()}
    # Many links: their files are written by a second process while the measures are computed
    # (only links that make analytics.ttl text lines: the helper writes no rdflib Turtle).
    with LinkFileWriter(out, labels=labels, base=resolve_base_iri(base_iri),
                        background=len(table.entities) > LARGE_GRAPH_NODES,
                        least_links=max(BACKGROUND_LINKS, RDFLIB_TURTLE_LIMIT // 6 + 1)) as links:
        result = analyze_mentions(table, seed=seed, links_ready=links.start, **options)
        if into_graph:
            write_back(graph, result, base_iri=base_iri)
        files = [path.name for path in write_outputs(result, out, comentions=not links.started)]
        written = links.finish()
        if links.started and written is None:  # the helper failed: its files are written here
            write_comentions_csv(out / COMENTIONS_CSV, link_columns(result.comentions), result.labels)
        _write_analytics_ttl(result, out / "analytics.ttl", base_iri=base_iri, links=written)
    files.append("analytics.ttl")
    return AnalyticsRun(
        result=result,
        files=tuple(files),
        entities=result.entities,
        top_concepts=tuple((c.label, c.type, c.score) for c in result.concepts[:10]),
        top_links=tuple((result.labels[l.source], result.labels[l.target], l.support, l.npmi) for l in result.links_by_support[:10]),
    )
