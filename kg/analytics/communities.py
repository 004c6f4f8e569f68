"""Communities of the co-mention graph: Louvain with a seed, each named by its top members."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from kg.analytics.backends import Backend, choose_backend, seeded_igraph, to_igraph

__all__ = ["Community", "Communities", "louvain_partition", "igraph_louvain", "find_communities", "name_communities"]


@dataclass(frozen=True)
class Community:
    """A group of entities mentioned together more than chance would have it.

    ``number`` is 1 for the largest community; ``members`` are IRIs ordered by their
    weighted degree inside the community (the most connected first); ``name`` joins the
    labels of the first few.
    """

    number: int
    name: str
    size: int
    members: tuple[str, ...]
    top_labels: tuple[str, ...]


@dataclass(frozen=True)
class Communities:
    """A partition of the co-mention graph and its modularity."""

    communities: tuple[Community, ...]
    modularity: float
    backend: str

    def membership(self) -> dict[str, int]:
        """Entity IRI -> the number of its community."""
        return {member: c.number for c in self.communities for member in c.members}


def louvain_partition(
    graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0, backend: Backend = "auto", igraph_copy=None
) -> tuple[list[set], float, str]:
    """Louvain communities of ``graph`` (weighted by ``weight``), their modularity and the
    backend that ran. ``igraph_copy`` (`to_igraph` of ``graph``) saves converting again.

    Examples
    --------
    >>> two_triangles = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> parts, modularity, _ = louvain_partition(two_triangles)
    >>> sorted(sorted(c) for c in parts), round(modularity, 4)
    ([[1, 2, 3], [4, 5, 6]], 0.3571)
    """
    chosen = choose_backend(graph, backend)
    if graph.number_of_nodes() == 0:
        return [], 0.0, chosen
    if chosen == "networkx":
        parts = [set(p) for p in nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)]
        modularity = nx.community.modularity(graph, parts, weight="weight", resolution=resolution) if graph.size() else 0.0
        return parts, modularity, chosen
    converted = igraph_copy if igraph_copy is not None else to_igraph(graph)
    membership, modularity = igraph_louvain(converted, seed=seed, resolution=resolution)
    nodes, parts = list(graph), defaultdict(set)
    for vertex, part in enumerate(membership):
        parts[part].add(nodes[vertex])
    return [parts[part] for part in sorted(parts)], modularity, chosen


def igraph_louvain(converted, *, seed: int = 0, resolution: float = 1.0) -> tuple[list[int], float]:
    """Louvain on an igraph graph weighted by ``weight``: each vertex's community number and the modularity."""
    with seeded_igraph(seed):
        clustering = converted.community_multilevel(weights="weight", resolution=resolution)
    modularity = converted.modularity(clustering.membership, weights="weight", resolution=resolution) if converted.ecount() else 0.0
    return clustering.membership, modularity


def find_communities(
    graph: nx.Graph,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    backend: Backend = "auto",
    name_size: int = 3,
    igraph_copy=None,
) -> Communities:
    """Louvain communities, largest first, each named by its ``name_size`` best-connected members.

    Ties in size are ordered by name, so the numbering is reproducible for a given seed.
    """
    parts, modularity, chosen = louvain_partition(
        graph, seed=seed, resolution=resolution, backend=backend, igraph_copy=igraph_copy)
    community_of = {node: i for i, part in enumerate(parts) for node in part}
    strength = {  # weighted degree inside the node's own community
        node: sum(data.get("weight", 1) for other, data in neighbours.items() if community_of[other] == community_of[node])
        for node, neighbours in graph.adjacency()
    }
    return name_communities(parts, strength, graph.nodes, modularity, chosen, name_size=name_size)


def name_communities(parts: list[set], strength: dict, attrs, modularity: float, backend: str, *,
                     name_size: int = 3) -> Communities:
    """`Communities` of ``parts``: members by ``strength`` (weighted degree inside their community),
    then ``papers`` (of ``attrs``: node -> dict), named by the ``label`` of the first ``name_size``."""
    described = []
    for part in parts:
        members = sorted(part, key=lambda n: (-strength[n], -attrs[n].get("papers", 0), str(n)))
        labels = tuple(attrs[n].get("label", str(n)) for n in members[:name_size])
        described.append((members, labels))
    described.sort(key=lambda item: (-len(item[0]), item[1]))
    communities = tuple(
        Community(number, " / ".join(labels), len(members), tuple(str(m) for m in members), labels)
        for number, (members, labels) in enumerate(described, start=1)
    )
    return Communities(communities, modularity, backend)
