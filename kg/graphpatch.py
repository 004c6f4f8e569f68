"""Paper graphs whose only change is a moved entity IRI, patched instead of rewritten.

When an increment moves an entity to another IRI (the name most papers use changed, or an
abbreviation now joins or splits two names), every kept paper that mentions it needs its
graph again, though its text and record did not change: on a 100,000-paper store one name
can move hundreds of them. Removing such a graph whole costs 2 to 12 ms (a lookup and six
deletions for each of its ~300 quads) and loading it again costs its ~300 lines, while only
the quads that spell the entity's IRI (its mentions' nodes, the paper's ``kg:mentions``,
relations and their evidence) differ.

`EarlierResolution` answers `kg.resolve.Resolution.lookup` as the run before did, from the
paper's own names and the IRIs they had, so `kg.graph.paper_facts` makes the lines that run
wrote. They are used only where `kg.graphdelta.graph_key` of them gives the key the store's
graph was written under (so the store holds exactly those lines); the graph update then
removes the lines that went and loads those that came (`patch_lines`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.names import name_key
from kg.resolve import paper_table

__all__ = ["EarlierResolution", "patch_lines"]


@dataclass(frozen=True, slots=True)
class _Slugged:
    slug: str


class EarlierResolution:
    """`lookup` as the run before answered it, for the papers given to `add_paper`.

    ``slugs_before`` maps the full key of each name whose entity IRI moved in this run to
    the slug it had (None: the name is new); the other names kept theirs (``slug_now``).

    Examples
    --------
    >>> from kg.resolve import resolve_entities, paper_locals
    >>> from extractors.records import PaperExtraction
    >>> record = PaperExtraction.from_json({"id": "p1", "title": "", "entities": [
    ...     {"name": "Direct Nash Optimization", "type": "Method", "aliases": ["DNO"]}]})
    >>> now = resolve_entities([record])
    >>> now.add_papers(paper_locals(record))
    >>> key = next(iter(now.entity_of_name))
    >>> earlier = EarlierResolution({key: "dno-old"}, lambda key: now.entities[now.entity_of_name[key]].slug)
    >>> earlier.add_paper("p1", paper_locals(record))
    True
    >>> earlier.lookup("p1", "DNO").slug, now.lookup("p1", "DNO").slug
    ('dno-old', 'direct-nash-optimization')
    """

    def __init__(self, slugs_before: dict[str, str | None], slug_now) -> None:
        self._before = slugs_before
        self._slug_now = slug_now
        self._by_paper: dict[str, dict[str, _Slugged]] = {}

    def _slug(self, full_key: str) -> str | None:
        return self._before[full_key] if full_key in self._before else self._slug_now(full_key)

    def add_paper(self, paper_id: str, locals_: Iterable) -> bool:
        """Make `lookup` answer for ``paper_id`` (its `kg.resolve.paper_locals`, all of them);
        False when one of its names had no entity before (then it cannot)."""
        found = list(locals_)
        slugs = {local.full_key: self._slug(local.full_key) for local in found}
        if None in slugs.values():
            return False
        # the rule of Resolution.add_papers, on the slugs then (entities are ordered by slug)
        self._by_paper[paper_id] = {key: _Slugged(slug) for key, slug in paper_table(found, slugs.__getitem__).items()}
        return True

    def lookup(self, paper_id: str, name: str) -> _Slugged | None:
        return self._by_paper.get(paper_id, {}).get(name_key(name))


def patch_lines(store: ox.Store, before: Iterable[str], now: list[str]) -> list[str]:
    """Remove from ``store`` the quads of the N-Quads lines ``before`` that ``now`` lacks;
    returns the lines of ``now`` that ``before`` lacks (for the caller to load)."""
    earlier, current = set(before), set(now)
    gone = "".join(line for line in earlier if line not in current)
    if gone:
        for quad in ox.parse(gone, format=ox.RdfFormat.N_QUADS):
            store.remove(quad)
    return [line for line in dict.fromkeys(now) if line not in earlier]
