"""What entity resolution needs of one distinct full name, summed over the papers that use it.

Resolution (`kg.resolve`) joins per-paper entities; every paper's entity with the same
normal form of its full name joins the same entity, so resolution can run over the
distinct full names (6,341 of them for 312,000 per-paper entities at 20,000 papers)
instead of the per-paper entities. A `NameStats` keeps counts, not sets, so a build can
add the names of new papers and take away those of removed or changed ones
(`count_locals` with ``sign=-1``) without going back to the other papers.

Examples
--------
>>> from extractors.records import Entity, PaperExtraction
>>> from kg.resolve import paper_locals
>>> def paper(pid, name):
...     return PaperExtraction(pid, pid, (Entity(name, "Method", "used", (), (), 1.0),), (), "x", "1")
>>> names = {}
>>> for record in (paper("p1", "Graph Neural Networks"), paper("p2", "graph neural network")):
...     touched = count_locals(names, paper_locals(record))
>>> stats = names["graphneuralnetwork"]
>>> stats.papers, sorted(stats.fulls)
(2, [('Graph Neural Networks', 'Method'), ('graph neural network', 'Method')])
>>> count_locals(names, paper_locals(paper("p2", "graph neural network")), sign=-1)
{'graphneuralnetwork'}
>>> names["graphneuralnetwork"].papers, sorted(names["graphneuralnetwork"].surfaces)
(1, ['Graph Neural Networks'])
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.records import ENTITY_TYPES

__all__ = ["NameStats", "count_locals", "main_type", "stats_to_json", "stats_from_json"]


def main_type(votes: dict[str, int]) -> str:
    """The type with most votes; ties go to the earlier of ENTITY_TYPES."""
    return min(votes, key=lambda t: (-votes[t], ENTITY_TYPES.index(t) if t in ENTITY_TYPES else len(ENTITY_TYPES), t))


@dataclass(slots=True)
class NameStats:
    """Sums over the per-paper entities (`kg.resolve.paper_locals`) of one full name; each
    dict maps a value to how many of them have it (or, for ``surfaces`` and ``types``, its count)."""

    papers: int = 0  # per-paper entities with this full name (one per paper)
    mentions: int = 0  # sum over them of max(1, their mentions)
    links: dict[str, int] = field(default_factory=dict)  # alias key -> entities that link it
    fulls: dict[tuple[str, str], int] = field(default_factory=dict)  # (full form, the entity's main type) -> entities
    surfaces: dict[str, int] = field(default_factory=dict)  # surface form -> entities that have it
    counts: dict[str, int] = field(default_factory=dict)  # surface form -> times seen
    types: dict[str, int] = field(default_factory=dict)  # type -> votes


def _bump(counter: dict, key, delta: int) -> None:
    value = counter.get(key, 0) + delta
    if value:
        counter[key] = value
    else:
        counter.pop(key, None)


def count_locals(names: dict[str, NameStats], locals_, *, sign: int = 1) -> set[str]:
    """Add (``sign=1``) or take away (``sign=-1``) per-paper entities to ``names`` (full key ->
    `NameStats`); a name no paper uses any more is dropped. Returns the full keys touched."""
    touched = set()
    for local in locals_:
        stats = names.get(local.full_key)
        if stats is None:
            stats = names[local.full_key] = NameStats()
        touched.add(local.full_key)
        stats.papers += sign
        stats.mentions += sign * max(1, sum(count for _, count in local.surfaces))
        for key in local.links:
            _bump(stats.links, key, sign)
        kind = main_type(dict(local.types))
        for surface in local.full_surfaces:
            _bump(stats.fulls, (surface, kind), sign)
        for surface, count in local.surfaces:
            _bump(stats.surfaces, surface, sign)
            _bump(stats.counts, surface, sign * count)
        for kind, votes in local.types:
            _bump(stats.types, kind, sign * votes)
        if stats.papers <= 0:
            del names[local.full_key]
    return touched


def stats_to_json(stats: NameStats) -> list:
    """``stats`` as JSON-ready lists (the build state keeps one per distinct name)."""
    return [stats.papers, stats.mentions, sorted(stats.links.items()), sorted([s, t, n] for (s, t), n in stats.fulls.items()),
            sorted(stats.surfaces.items()), sorted(stats.counts.items()), sorted(stats.types.items())]


def stats_from_json(row: list) -> NameStats:
    """Inverse of `stats_to_json`."""
    papers, mentions, links, fulls, surfaces, counts, types = row
    return NameStats(papers, mentions, dict(links), {(s, t): n for s, t, n in fulls}, dict(surfaces), dict(counts),
                     dict(types))
