"""The co-mention graph as arrays, for large graphs: counted by one sparse matrix product
(`kg.analytics.paircounts`, which also updates an earlier count), measured in igraph
without a NetworkX graph in between.

On 20,000 papers (6,000 entities, 530,000 links) counting pairs paper by paper in Python
and building the NetworkX graph took half a minute; the product of the paper x entity
incidence matrix with itself takes a fraction of a second. The measures are those of
`kg.analytics.comention`, `kg.analytics.centrality` and `kg.analytics.communities` on the
igraph backend, on the same igraph graph (`kg.analytics.backends.to_igraph` sorts its
edges as these arrays are sorted), so both routes give the same results (tested).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from kg.analytics.comention import CoMentionLink
from kg.analytics.mentions import MentionTable
from kg.analytics.paircounts import PairCounts, count_pairs

__all__ = ["LinkArrays", "RankedLinks", "columns_of_arrays", "link_arrays", "link_table", "arrays_to_igraph", "ranked_links", "degrees",
           "community_strength"]


@dataclass(frozen=True, eq=False)
class LinkArrays:
    """Entities (``nodes``, sorted IRIs) and the links between them, one row per link with
    ``source < target`` (indexes into ``nodes``), sorted by ``(source, target)``."""

    nodes: list[str]
    papers: np.ndarray  # per node: papers mentioning it
    total: int  # papers in the table
    source: np.ndarray
    target: np.ndarray
    support: np.ndarray  # papers mentioning both
    npmi: np.ndarray
    jaccard: np.ndarray

    @property
    def links(self) -> int:
        return len(self.source)


def link_arrays(table: MentionTable, *, min_support: int = 1, counts: PairCounts | None = None) -> LinkArrays:
    """`kg.analytics.comention.comention_graph` of ``table`` as `LinkArrays` (the same
    links, supports, NPMI and Jaccard values, to the last bit).

    ``counts`` are the `kg.analytics.paircounts.PairCounts` of an earlier table (most of
    whose papers this one has): updated, not counted anew; the result is the same.

    Examples
    --------
    >>> t = MentionTable.from_lists({"p1": ["a", "b"], "p2": ["a", "b", "c"], "p3": ["c"]})
    >>> arrays = link_arrays(t)
    >>> arrays.nodes, arrays.source.tolist(), arrays.target.tolist(), arrays.support.tolist()
    (['a', 'b', 'c'], [0, 0, 1], [1, 2, 2], [2, 1, 1])
    >>> arrays.jaccard.tolist()[:2], link_arrays(t, min_support=2).links
    ([1.0, 0.3333333333333333], 1)
    """
    if min_support < 1:
        raise ValueError(f"min_support must be at least 1, not {min_support}")
    nodes = sorted(table.entities)
    counted = counts.updated(table.papers) if counts is not None else count_pairs(table.papers)
    both = counted.pairs.tocoo()  # sorted indices, row by row: the rows come sorted by (source, target)
    keep = both.data >= min_support
    source, target, support = both.row[keep].astype(np.int64), both.col[keep].astype(np.int64), both.data[keep].astype(np.int64)
    papers = counted.mentions
    if len(counted.nodes) < len(nodes):  # entities of the table that no paper mentions: no links
        index = {iri: i for i, iri in enumerate(nodes)}
        place = np.fromiter(map(index.__getitem__, counted.nodes), dtype=np.int64, count=len(counted.nodes))
        source, target, papers = place[source], place[target], np.zeros(len(nodes), dtype=np.int64)
        papers[place] = counted.mentions
    total = len(table.papers)
    first, second = papers[source], papers[target]
    jaccard = support / (first + second - support)
    # The arithmetic of `npmi` step by step (IEEE operations give the same bits in NumPy),
    # logarithms by math.log as there: the same values as the scalar function.
    p_both = support / total
    ratio = p_both / ((first / total) * (second / total))
    logs_ratio = np.fromiter(map(math.log, ratio.tolist()), dtype=np.float64, count=len(ratio))
    # p_both takes one value per support: a logarithm each (up to the largest support, not per link)
    most = int(support.max()) if len(support) else 0
    logs_both = np.fromiter(map(math.log, (np.arange(1, most + 1) / total).tolist()), dtype=np.float64,
                            count=most)[support - 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.where(support == total, 1.0, np.maximum(-1.0, np.minimum(1.0, logs_ratio / -logs_both)))
    return LinkArrays(nodes, papers, total, source, target, support, npmi, jaccard)


def arrays_to_igraph(arrays: LinkArrays):
    """The igraph graph `kg.analytics.backends.to_igraph` makes of the same links (weight: support)."""
    import igraph

    converted = igraph.Graph(n=len(arrays.nodes), directed=False)
    # An (m, 2) array is read in C (a list of m tuples costs a third more, and its building as much again)
    converted.add_edges(np.column_stack((arrays.source, arrays.target)))
    converted.es["weight"] = arrays.support.tolist()
    return converted


def degrees(arrays: LinkArrays) -> dict[str, int]:
    """Node -> how many other nodes it is linked to."""
    counts = np.bincount(arrays.source, minlength=len(arrays.nodes)) + np.bincount(arrays.target, minlength=len(arrays.nodes))
    return dict(zip(arrays.nodes, counts.tolist()))


def community_strength(arrays: LinkArrays, membership: list[int]) -> dict[str, int]:
    """Node -> the support of its links inside its own community (its weighted degree there)."""
    member = np.asarray(membership)
    inside = member[arrays.source] == member[arrays.target]
    size = len(arrays.nodes)
    strength = (np.bincount(arrays.source[inside], weights=arrays.support[inside], minlength=size)
                + np.bincount(arrays.target[inside], weights=arrays.support[inside], minlength=size))
    return dict(zip(arrays.nodes, strength.astype(np.int64).tolist()))


class RankedLinks(Sequence[CoMentionLink]):
    """Links of `LinkArrays` in ranked order, made `CoMentionLink` records only when read:
    a million links as records cost seconds, and the link files want their columns."""

    def __init__(self, arrays: LinkArrays, order: np.ndarray):
        self._nodes = arrays.nodes
        self._source, self._target = arrays.source[order], arrays.target[order]
        self._support, self._npmi, self._jaccard = arrays.support[order], arrays.npmi[order], arrays.jaccard[order]

    def __len__(self) -> int:
        return len(self._source)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        nodes = self._nodes
        return CoMentionLink(nodes[self._source[index]], nodes[self._target[index]], int(self._support[index]),
                             float(self._npmi[index]), float(self._jaccard[index]))

    def __iter__(self) -> Iterator[CoMentionLink]:
        nodes = self._nodes
        for s, t, n, m, j in zip(*(column.tolist() for column in (self._source, self._target, self._support,
                                                                   self._npmi, self._jaccard))):
            yield CoMentionLink(nodes[s], nodes[t], n, m, j)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RankedLinks({len(self)} links)"

    def arrays(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The entities and the five columns as arrays (sources and targets index the entities):
        what a helper process is handed, cheap to pickle; `columns_of_arrays` makes the lists."""
        return self._nodes, self._source, self._target, self._support, self._npmi, self._jaccard

    def columns(self) -> tuple[list[str], list[str], list[int], list[float], list[float]]:
        """Sources, targets, supports, NPMI and Jaccard values, as five lists (`kg.comentionfiles.link_columns`)."""
        return columns_of_arrays(*self.arrays())


def columns_of_arrays(nodes: list[str], source: np.ndarray, target: np.ndarray, support: np.ndarray, npmi: np.ndarray,
                      jaccard: np.ndarray) -> tuple[list[str], list[str], list[int], list[float], list[float]]:
    """`RankedLinks.columns` of `RankedLinks.arrays`."""
    return ([nodes[i] for i in source.tolist()], [nodes[i] for i in target.tolist()], support.tolist(), npmi.tolist(),
            jaccard.tolist())


def link_table(arrays: LinkArrays, *, by: str = "support", min_support: int = 1, top: int | None = None) -> RankedLinks:
    """Every link with at least ``min_support`` papers (the first ``top`` of them when given),
    ranked as `ranked_links` ranks them."""
    if by not in ("support", "npmi", "jaccard"):
        raise ValueError(f"cannot rank links by {by!r}: use support, npmi or jaccard")
    kept = np.flatnonzero(arrays.support >= min_support)
    value = getattr(arrays, by)[kept]
    if top is not None and len(kept) > 2 * top:
        # Only links whose value reaches the top-th largest can rank among the first ``top``: sorting
        # those alone gives the same first links (millions of links: a lexsort of all takes 0.2 s).
        largest = np.partition(value, len(value) - top)[len(value) - top] if top else np.inf
        contenders = value >= largest  # never true for NaN: then all are sorted, as before
        if np.count_nonzero(contenders) >= top:
            kept, value = kept[contenders], value[contenders]
    # nodes are sorted, so index order is IRI order
    order = kept[np.lexsort((arrays.target[kept], arrays.source[kept], -arrays.support[kept], -value))]
    return RankedLinks(arrays, order if top is None else order[:top])


def ranked_links(arrays: LinkArrays, *, by: str = "support", top: int | None = 20, min_support: int = 1) -> list[CoMentionLink]:
    """`kg.analytics.comention.strongest_links` of the same graph: the ``top`` links (all
    when None) by ``support``, ``npmi`` or ``jaccard``, ties broken by support, then IRIs.

    Examples
    --------
    >>> t = MentionTable.from_lists({"p1": ["hub", "a"], "p2": ["hub", "b"], "p3": ["hub", "x", "y"],
    ...                              "p4": ["hub", "x", "y"], "p5": ["hub"]})
    >>> [(l.source, l.target) for l in ranked_links(link_arrays(t), by="npmi", top=1, min_support=2)]
    [('x', 'y')]
    """
    return list(link_table(arrays, by=by, min_support=min_support, top=top))
