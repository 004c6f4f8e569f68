"""Node positions computed in Python, so the page can switch physics off.

vis-network's own physics never settles on a 2,000-node view; positions computed here
make any view usable as soon as it is drawn. NetworkX's spring layout on small views,
igraph's Fruchterman-Reingold (C, about 100 times faster) past `IGRAPH_FROM_NODES`.
"""

from __future__ import annotations

import math

import networkx as nx

from kg.views.model import ViewModel

__all__ = ["IGRAPH_FROM_NODES", "view_graph", "layout_view"]

# NetworkX spring_layout takes about 0.2 s at 300 nodes and 15 s at 2,000 here.
IGRAPH_FROM_NODES = 300

# Canvas pixels per node on average: enough room for labels at zoom 1.
_PIXELS_PER_NODE = 110.0
# vis-network's fit() never zooms past 1: small views get a side of at least this.
_MIN_SIDE = 700.0
_CORE_EXPONENT = 0.6


def view_graph(model: ViewModel) -> nx.Graph:
    """The view as an undirected NetworkX graph, edges weighted by support.

    Examples
    --------
    >>> from kg.views.model import ViewNode, ViewEdge
    >>> m = ViewModel("overview", "t", (ViewNode("a", "entity", "A", "Method"),
    ...     ViewNode("b", "entity", "B", "Task")), (ViewEdge("a", "b", "co-mention", 3),))
    >>> view_graph(m)["a"]["b"]["weight"]
    3
    """
    graph = nx.Graph()
    graph.add_nodes_from(node.key for node in model.nodes)
    graph.add_weighted_edges_from((e.source, e.target, e.support) for e in model.edges)
    return graph


def _spread(raw: dict[str, tuple[float, float]], count: int) -> dict[str, tuple[float, float]]:
    """Centre ``raw``, loosen its core, and scale it to a square whose side grows with
    sqrt(count).

    Force layouts pack the hubs of a co-mention graph into a dense core; distances from
    the centre are raised to `_CORE_EXPONENT` (< 1), which keeps every node's direction
    and order outwards but gives the core more room.
    """
    if not raw:
        return {}
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    radius = max(math.hypot(x - cx, y - cy) for x, y in raw.values()) or 1.0
    side = max(_PIXELS_PER_NODE * math.sqrt(max(count, 1)), _MIN_SIDE)
    placed = {}
    for key, (x, y) in raw.items():
        dx, dy = (x - cx) / radius, (y - cy) / radius
        r = math.hypot(dx, dy)
        stretch = r ** (_CORE_EXPONENT - 1) if r > 0 else 0.0
        placed[key] = (round(dx * stretch * side / 2, 1), round(dy * stretch * side / 2, 1))
    return placed


def layout_view(model: ViewModel, *, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Canvas positions (pixels, centred on 0) of every node of ``model``; same seed, same
    positions.

    Examples
    --------
    >>> from kg.views.model import ViewNode, ViewEdge
    >>> m = ViewModel("overview", "t", (ViewNode("a", "entity", "A", "Method"),
    ...     ViewNode("b", "entity", "B", "Task")), (ViewEdge("a", "b", "co-mention", 3),))
    >>> positions = layout_view(m, seed=1)
    >>> sorted(positions) == ["a", "b"] and positions == layout_view(m, seed=1)
    True
    """
    graph = view_graph(model)
    count = graph.number_of_nodes()
    if count == 0:
        return {}
    if count == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if count < IGRAPH_FROM_NODES:
        raw = nx.spring_layout(graph, seed=seed, weight="weight")
        return _spread({key: (float(x), float(y)) for key, (x, y) in raw.items()}, count)
    from kg.analytics.backends import seeded_igraph, to_igraph

    converted = to_igraph(graph)
    with seeded_igraph(seed):
        # Log weights: a pair seen in 50 papers should sit closer, not collapse onto itself.
        weights = [1.0 + math.log(w) for w in converted.es["weight"]]
        coords = converted.layout_fruchterman_reingold(weights=weights, niter=500)
    raw = {key: (float(x), float(y)) for key, (x, y) in zip(graph, coords.coords)}
    return _spread(raw, count)
