"""Analytics of the knowledge graph: central concepts, co-mention links, communities, trends.

One module per family, each taking a graph and returning plain data:

- `kg.analytics.mentions`: RDF -> `MentionTable` (who mentions what) -> bipartite graph;
- `kg.analytics.comention`: the weighted co-mention graph, NPMI, Jaccard, strongest links;
- `kg.analytics.centrality`: degree, PageRank, betweenness, eigenvector, combined ranking;
- `kg.analytics.communities`: Louvain communities named by their top members;
- `kg.analytics.trends`: mentions per period and rising entities;
- `kg.analytics.backends`: NetworkX or igraph, chosen by size;
- `kg.analytics.writeback` and `kg.analytics.outputs`: results into RDF and into files.

`analyze` is the library entry point; `run_analytics` is what `kg build` and
`kg analyze` call.
"""

from __future__ import annotations

import importlib

__all__ = ["AnalyticsResult", "AnalyticsRun", "analyze", "analyze_mentions", "run_analytics"]

_HOMES = {"AnalyticsResult": "analyze", "analyze": "analyze", "analyze_mentions": "analyze",
          "AnalyticsRun": "run", "run_analytics": "run"}


def __getattr__(name: str):
    # Imported when first asked for (PEP 562): a helper process that needs one light module
    # (`kg.analytics.linkfiles`) does not import NetworkX, SciPy and igraph's callers.
    if name in _HOMES:
        value = getattr(importlib.import_module(f"kg.analytics.{_HOMES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
