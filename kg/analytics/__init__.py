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

from kg.analytics.analyze import AnalyticsResult, analyze, analyze_mentions
from kg.analytics.run import AnalyticsRun, run_analytics

__all__ = ["AnalyticsResult", "AnalyticsRun", "analyze", "analyze_mentions", "run_analytics"]
