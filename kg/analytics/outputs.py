"""Analytics files: ``report.md`` (tables a person reads first), ``analytics.json`` and CSVs.

Every file is written to a temporary name and renamed into place (`kg.atomic`).
"""

from __future__ import annotations

import csv
import re
import json
from pathlib import Path

from kg.analytics.analyze import AnalyticsResult
from kg.analytics.comention import CoMentionLink
from kg.comentionfiles import COMENTIONS_CSV, link_columns, write_comentions_csv
from kg.csvcells import text_cell
from kg.atomic import atomic_write

__all__ = ["REPORT_FILES", "write_outputs", "render_report"]

REPORT_FILES = ("report.md", "analytics.json", "concepts.csv", "comentions.csv", "communities.csv", "trends.csv")


# Markdown punctuation that could make a name into markup (raw HTML such as `<img onerror=...>`
# renders in many Markdown viewers, `[x](javascript:...)` is a link) or end the table cell.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell: shown as written, never as markup.

    Examples
    --------
    >>> print(_cell("<img src=x onerror=alert(1)> | [a](javascript:b)"))
    \\<img src=x onerror=alert(1)\\> \\| \\[a\\](javascript:b)
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines + [""]


def _link_rows(result: AnalyticsResult, links: tuple[CoMentionLink, ...]) -> list[list[object]]:
    return [
        [i, result.labels[link.source], result.labels[link.target], link.support, f"{link.npmi:.2f}", f"{link.jaccard:.2f}"]
        for i, link in enumerate(links, start=1)
    ]


def render_report(result: AnalyticsResult, *, top: int = 20) -> str:
    """The Markdown report: counts, central concepts overall and per type, strongest links
    by count and by NPMI, communities, and trends."""
    s = result.settings
    lines = [
        "# Analytics report",
        "",
        f"{result.papers} papers, {result.entities} entities, {result.links} co-mention links, "
        f"{len(result.communities.communities)} communities (modularity {result.communities.modularity:.3f}). "
        f"Seed {s.get('seed')}, backend {s.get('backend')}, betweenness from "
        f"{'all' if s.get('betweenness_samples') == result.entities else s.get('betweenness_samples')} sources.",
        "",
        "## Central concepts",
        "",
        "Combined score: mean rank percentile by degree, PageRank, betweenness and eigenvector centrality.",
        "",
    ]
    lines += _table(
        ["rank", "concept", "type", "papers", "degree", "PageRank", "betweenness", "eigenvector", "score"],
        [[c.rank, c.label, c.type, c.papers, c.degree, f"{c.pagerank:.4f}", f"{c.betweenness:.4f}",
          f"{c.eigenvector:.3f}", f"{c.score:.3f}"] for c in result.concepts[:top]],
    )
    lines += ["## Central concepts by type", ""]
    lines += _table(["type", "top concepts"],
                    [[kind, ", ".join(c.label for c in concepts)] for kind, concepts in result.top_by_type(10).items()])
    lines += ["## Strongest co-mention links by number of papers", ""]
    lines += _table(["#", "entity", "entity", "papers", "NPMI", "Jaccard"], _link_rows(result, result.links_by_support))
    lines += [f"## Tightest co-mention links by NPMI (at least {s.get('npmi_min_support')} papers)", ""]
    lines += _table(["#", "entity", "entity", "papers", "NPMI", "Jaccard"], _link_rows(result, result.links_by_npmi))
    lines += ["## Communities", "", "Named by their best-connected members; singletons not listed.", ""]
    lines += _table(["#", "name", "size"],
                    [[c.number, c.name, c.size] for c in result.communities.communities[:top] if c.size > 1])
    trends = result.trends
    lines += ["## Trends", ""]
    lines += [f"Papers per {trends.granularity}: " + (", ".join(f"{p} ({n})" for p, n in zip(trends.periods, trends.papers)) or "none dated")
              + f"; {trends.undated} undated" + (f", {trends.unordered} with a date lacking the year" if trends.unordered else "") + ".", ""]
    if result.rising:
        lines += ["Rising entities (share of papers, early periods -> late periods):", ""]
        lines += _table(["entity", "early papers", "late papers", "early share", "late share", "lift"],
                        [[r.label, r.early, r.late, f"{r.early_share:.1%}", f"{r.late_share:.1%}", f"{r.lift:.2f}"] for r in result.rising])
    else:
        lines += ["No rising entities: fewer than two dated periods, or none grew.", ""]
    return "\n".join(lines)


def _write_csv(path: Path, header: list[str], rows) -> None:
    with atomic_write(path, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([text_cell(value) for value in row] for row in rows)


def write_outputs(result: AnalyticsResult, out: str | Path, *, comentions: bool = True) -> list[Path]:
    """Write `REPORT_FILES` into ``out`` (created when missing); returns their paths.

    ``comentions=False`` leaves ``comentions.csv`` to the caller (`kg.comentionfiles`).
    """
    out = Path(out)
    with atomic_write(out / "report.md") as handle:
        handle.write(render_report(result))
    with atomic_write(out / "analytics.json") as handle:
        json.dump(result.to_json(), handle, indent=2, ensure_ascii=False)
    _write_csv(out / "concepts.csv",
               ["rank", "iri", "label", "type", "papers", "degree", "pagerank", "betweenness", "eigenvector", "score"],
               ([c.rank, c.iri, c.label, c.type, c.papers, c.degree, c.pagerank, c.betweenness, c.eigenvector, c.score]
                for c in result.concepts))
    if comentions:
        write_comentions_csv(out / COMENTIONS_CSV, link_columns(result.comentions), result.labels)
    _write_csv(out / "communities.csv", ["community", "name", "size", "iri", "label"],
               ([c.number, c.name, c.size, iri, result.labels.get(iri, iri)]
                for c in result.communities.communities for iri in c.members))
    trends = result.trends
    _write_csv(out / "trends.csv", ["iri", "label", "period", "papers_in_period", "mentioning_papers"],
               ([iri, result.labels.get(iri, iri), period, total, n]
                for iri, series in trends.counts.items()
                for period, total, n in zip(trends.periods, trends.papers, series) if n))
    return [out / name for name in REPORT_FILES]
