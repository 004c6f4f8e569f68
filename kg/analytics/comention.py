"""The co-mention graph: entities linked by the papers that mention both.

The raw count (support) favours hubs: "large language model" co-occurs with everything.
NPMI and Jaccard sit beside it so that rare-but-tight pairs can be ranked too; a minimum
support keeps NPMI from being dominated by pairs seen in a single paper.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from kg.analytics.mentions import MentionTable

__all__ = ["CoMentionLink", "npmi", "jaccard", "comention_graph", "strongest_links"]


@dataclass(frozen=True)
class CoMentionLink:
    """Two entities mentioned together: ``source < target`` (IRIs), with their measures."""

    source: str
    target: str
    support: int  # papers mentioning both
    npmi: float
    jaccard: float


def npmi(both: int, first: int, second: int, papers: int) -> float:
    """Normalised pointwise mutual information of two entities over ``papers`` papers.

    ``log(p(a,b) / (p(a) p(b))) / -log p(a,b)``: 1 when the two always appear together,
    0 when independent, -1 when they never meet.

    Examples
    --------
    >>> npmi(2, 2, 2, 10)  # always together
    1.0
    >>> round(npmi(1, 2, 5, 10), 6)  # p(a,b) = p(a) p(b): independent
    0.0
    >>> npmi(0, 3, 4, 10)
    -1.0
    """
    if both == 0:
        return -1.0
    if both == papers:  # p(a,b) = 1: the formula is 0/0, the pair is as tight as can be
        return 1.0
    p_both = both / papers
    pmi = math.log(p_both / ((first / papers) * (second / papers)))
    return max(-1.0, min(1.0, pmi / -math.log(p_both)))  # rounding must not step outside [-1, 1]


def jaccard(both: int, first: int, second: int) -> float:
    """Papers mentioning both over papers mentioning either.

    Examples
    --------
    >>> jaccard(2, 3, 4)
    0.4
    """
    either = first + second - both
    return both / either if either else 0.0


def comention_graph(table: MentionTable, *, min_support: int = 1) -> nx.Graph:
    """The weighted entity–entity graph of ``table``.

    Edge attributes: ``weight`` and ``support`` (papers mentioning both), ``npmi`` and
    ``jaccard``. Links with support below ``min_support`` are left out; every mentioned
    entity stays a node (attributes ``label``, ``type``, ``papers``).

    Examples
    --------
    >>> t = MentionTable.from_lists({"p1": ["a", "b"], "p2": ["a", "b", "c"], "p3": ["c"]})
    >>> g = comention_graph(t)
    >>> g["a"]["b"]["support"], g["a"]["b"]["jaccard"], round(g["a"]["c"]["jaccard"], 3)
    (2, 1.0, 0.333)
    >>> [sorted(edge) for edge in comention_graph(t, min_support=2).edges()]
    [['a', 'b']]
    """
    if min_support < 1:
        raise ValueError(f"min_support must be at least 1, not {min_support}")
    frequency = table.document_frequency()
    pair_counts: Counter[tuple[str, str]] = Counter()
    for paper in sorted(table.papers):  # sorted: node and edge order must not depend on hashing
        mentioned = table.papers[paper]
        pair_counts.update(combinations(sorted(mentioned), 2))
    total = len(table.papers)
    graph = nx.Graph(papers=total)
    for iri in sorted(table.entities):
        info = table.entities[iri]
        graph.add_node(iri, label=info.label, type=info.type, papers=frequency[iri])
    graph.add_edges_from(
        (a, b, {
            "weight": n,
            "support": n,
            "npmi": npmi(n, frequency[a], frequency[b], total),
            "jaccard": jaccard(n, frequency[a], frequency[b]),
        })
        for (a, b), n in pair_counts.items()
        if n >= min_support
    )
    return graph


def strongest_links(
    graph: nx.Graph, *, by: str = "support", top: int = 20, min_support: int = 1
) -> list[CoMentionLink]:
    """The ``top`` links of a co-mention graph by ``support``, ``npmi`` or ``jaccard``.

    Ties are broken by support, then by the two IRIs, so the order is reproducible.
    Rank by NPMI with ``min_support`` of 2 or more: a pair seen once between two entities
    seen once has NPMI 1 and says little.

    Examples
    --------
    >>> t = MentionTable.from_lists({"p1": ["hub", "a"], "p2": ["hub", "b"], "p3": ["hub", "x", "y"],
    ...                              "p4": ["hub", "x", "y"], "p5": ["hub"]})
    >>> [(l.source, l.target) for l in strongest_links(comention_graph(t), top=1)]
    [('hub', 'x')]
    >>> [(l.source, l.target) for l in strongest_links(comention_graph(t), by="npmi", top=1, min_support=2)]
    [('x', 'y')]
    """
    if by not in ("support", "npmi", "jaccard"):
        raise ValueError(f"cannot rank links by {by!r}: use support, npmi or jaccard")
    # Over the adjacency, each link once from its smaller end (IRIs compare as strings):
    # twice as fast as graph.edges() on 500,000 links.
    kept = (
        (-data[by], -data["support"], a, b, data)
        for a, neighbours in graph.adjacency()
        for b, data in neighbours.items()
        if a < b and data["support"] >= min_support
    )
    # A partial sort: the top few of 500,000 links without sorting them all; all of them: one sort (same order).
    if top >= graph.number_of_edges():
        best = sorted(kept, key=lambda row: row[:4])
    else:
        best = heapq.nsmallest(top, kept, key=lambda row: row[:4])
    return [CoMentionLink(a, b, data["support"], data["npmi"], data["jaccard"]) for *_, a, b, data in best]
