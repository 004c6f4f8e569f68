"""`MentionSource`: the analytics' mention table of the graph a build run is about to write.

`kg.graphupdate.update_graph` knows, before it rewrites the paper graphs and the corpus
graph, every paper's mention row: those of the papers it keeps are in the build state, those
of the papers it rewrites it has just worked out, and the entities' labels and types are
the resolution's. A `MentionSource` holds that much (small, picklable: the build hands it
to a helper process, `kg.analytics.background`), and `table` assembles the
`kg.analytics.mentions.MentionTable` wherever it is called, reading the stored rows through
a read-only connection while the build goes on writing the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.analytics.mentions import EntityInfo, MentionTable
from kg.buildstate import BuildState

__all__ = ["MentionSource", "stored_rows"]


@dataclass(frozen=True)
class MentionSource:
    """The mention table of a build directory's graph as this run leaves it.

    ``wanted`` are the ids of the papers the graph holds; ``fresh`` the rows of those whose
    graphs this run writes, ``(paper id, paper IRI, date, mentioned entity IRIs)`` (the
    stored rows of the others are read from ``out``'s state); ``entities`` are
    ``(IRI, label, type)`` of every resolved entity, as the corpus graph states them.
    """

    out: str
    wanted: frozenset[str]
    fresh: tuple[tuple[str, str, str | None, tuple[str, ...]], ...]
    entities: tuple[tuple[str, str, str], ...]
    before_writes: bool = False  # known before the run wrote anything: the analytics can run beside the writes

    @property
    def papers(self) -> int:
        return len(self.wanted)

    def table(self, stored: dict | None = None) -> MentionTable | None:
        """The `MentionTable`, or None when a kept paper has no stored row (a build
        directory from before they were kept: the analytics read the store then).

        ``stored`` are `stored_rows` of ``out`` read before this run wrote any (a prestarted
        helper reads them while the build resolves the names); they serve a source known
        before the writes (the rows of the papers it keeps are those rows), else they are read now.
        """
        rows = self._rows(stored) if stored is not None and self.before_writes else None
        if rows is None:
            rows = self._rows(stored_rows(self.out))
        if rows is None:
            return None
        papers = {paper: rows[paper][1] for paper in sorted(rows)}
        dates = {paper: date for paper, (date, _) in rows.items() if date}
        mentioned = set().union(*papers.values())
        entities = {iri: EntityInfo(iri, label, kind) for iri, label, kind in self.entities if iri in mentioned}
        return MentionTable(entities, papers, dates)

    def _rows(self, stored: dict) -> dict[str, tuple[str | None, frozenset[str]]] | None:
        """Paper IRI -> (date, mentioned entity IRIs) of every wanted paper; None when one has no row."""
        fresh = {pid for pid, _, _, _ in self.fresh}
        rows = {paper: (date, entities) for pid, (paper, date, entities) in stored.items()
                if pid in self.wanted and pid not in fresh}
        for _, paper, date, mentioned in self.fresh:
            rows[paper] = (date, frozenset(mentioned))
        return rows if len(rows) == len(self.wanted) else None


def stored_rows(out: str | Path) -> dict[str, tuple[str, str | None, frozenset[str]]]:
    """Paper id -> (paper IRI, date, mentioned entity IRIs) of every mention row in ``out``'s state."""
    state = BuildState.reader(Path(out))
    try:
        return {pid: (paper, date, frozenset(entities)) for pid, paper, date, entities in state.mention_rows()}
    finally:
        state.close()
