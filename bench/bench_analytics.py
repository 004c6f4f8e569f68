"""Time the analytics on a synthetic co-mention graph of 50,000 entities and 500,000 links
(target: under 60 seconds for `analyze_mentions`, which is `kg.analytics.analyze` minus
reading the RDF graph).

The synthetic corpus: papers of 3 to 8 entities, half drawn by a Zipf-like popularity
(hubs like "large language models") and half uniformly (the long tail), with dates over
two years; papers are added until the co-mention graph has the requested number of
links. Everything is seeded, so two runs time the same graph.

    python bench/bench_analytics.py --write-doc docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

from benchdoc import replace_section
from kg.analytics import analyze_mentions
from kg.analytics.centrality import central_concepts
from kg.analytics.comention import comention_graph
from kg.analytics.communities import find_communities
from kg.analytics.mentions import MentionTable
from kg.analytics.trends import mention_trends

TARGET_SECONDS = 60.0


def synthetic_table(*, entities: int, links: int, seed: int = 0) -> MentionTable:
    """Papers added until their co-mention graph has ``links`` distinct entity pairs."""
    rng = random.Random(seed)
    names = [f"e{i:06d}" for i in range(entities)]
    popularity = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(entities)))
    # The uniform half walks a shuffled list round and round, so every entity appears.
    tail = names[:]
    rng.shuffle(tail)
    walk = itertools.cycle(tail)
    pairs: set[tuple[str, str]] = set()
    papers: dict[str, list[str]] = {}
    dates: dict[str, str] = {}
    while len(pairs) < links:
        size = rng.randint(3, 8)
        popular = rng.choices(names, cum_weights=popularity, k=size // 2)
        chosen = sorted(set(popular + [next(walk) for _ in range(size - size // 2)]))
        key = f"p{len(papers):07d}"
        papers[key] = chosen
        dates[key] = f"{rng.choice((2023, 2024))}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        pairs.update(itertools.combinations(chosen, 2))
    return MentionTable.from_lists(papers, dates=dates)


def timed(label: str, timings: dict, action):
    started = time.perf_counter()
    result = action()
    timings[label] = time.perf_counter() - started
    print(f"  {label}: {timings[label]:.1f} s", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--links", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stages", action="store_true", help="also time each stage on its own")
    parser.add_argument("--write-doc", type=Path, help="replace this benchmark's section of that Markdown file")
    args = parser.parse_args(argv)

    timings: dict[str, float] = {}
    table = timed("generate corpus", timings, lambda: synthetic_table(entities=args.entities, links=args.links, seed=args.seed))
    if args.stages:
        graph = timed("co-mention graph", timings, lambda: comention_graph(table))
        timed("centrality (4 measures, combined)", timings, lambda: central_concepts(graph, seed=args.seed))
        timed("communities (Louvain)", timings, lambda: find_communities(graph, seed=args.seed))
        timed("trends", timings, lambda: mention_trends(table))
    result = timed("analyze_mentions (all)", timings, lambda: analyze_mentions(table, seed=args.seed))
    total = timings["analyze_mentions (all)"]
    verdict = "met" if total < TARGET_SECONDS else "NOT met"
    print(f"{len(table.papers)} papers, {result.entities} entities, {result.links} links, "
          f"{len(result.communities.communities)} communities, backend {result.settings['backend']}: "
          f"{total:.1f} s (target < {TARGET_SECONDS:.0f} s: {verdict})")

    if args.write_doc:
        load = os.getloadavg()[0]
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        stages = "; ".join(f"{k} {v:.1f} s" for k, v in timings.items() if k not in ("generate corpus", "analyze_mentions (all)"))
        body = f"""## Analytics on a synthetic co-mention graph (`bench/bench_analytics.py`)

Command: `python bench/bench_analytics.py --stages --write-doc docs/benchmarks.md`

{len(table.papers)} synthetic papers -> {result.entities} entities, {result.links} co-mention links
(seed {args.seed}). Timed: `analyze_mentions` (co-mention graph with NPMI and Jaccard,
degree / PageRank / betweenness from {result.settings["betweenness_samples"]} sampled sources / eigenvector on igraph, Louvain,
strongest links, trends); reading RDF is not included.

| date | analyze_mentions | stages | peak memory | target | machine |
|---|---|---|---|---|---|
| {date.today()} | {total:.1f} s | {stages or "-"} | {peak_mib:.0f} MiB | < {TARGET_SECONDS:.0f} s: {verdict} | {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, load {load:.1f} |
"""
        replace_section(args.write_doc, "bench_analytics", body)
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
