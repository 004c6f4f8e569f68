"""The build state's tables for resolving entities and counting relation support a delta at a time.

`kg.graphupdate` keeps, next to the records (`kg.buildstate`):

- ``counted``: per paper, the outline (`kg.graphupdate`) its names were last counted from,
  and its extraction run; a record that changed or went away is taken back out of the
  counts with the outline kept here (its own row may already be gone);
- ``name_stats``: per distinct full name, its `kg.namestats.NameStats` over the counted papers;
- ``name_papers``: which papers use which full name (to count the papers of an entity of
  several names, and to find the papers whose IRIs moved when an entity's slug did);
- ``name_slugs``: the slug each full name resolved to in the last run;
- ``entity_papers``: the distinct papers of each entity of several names in the last run (an
  entity none of whose names a run touches keeps its count without a query);
- ``supports``: which papers state which resolved relation (head slug, relation, tail slug);
- ``keyed``: the digest of each paper's stored JSON when its graph key was last worked out
  (a paper whose metadata changed gets its key worked out again).

Every change of one run goes into one SQLite transaction (`NameState.transaction`),
together with forgetting the keys of the paper graphs it invalidates, so a killed build
leaves the tables either before or after the run, never half-way.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator

from kg.namestats import NameStats, stats_from_json, stats_to_json

__all__ = ["EntityPapers", "NameState", "relation_key"]

_VERSION = "1"  # of the tables' layout
_SCHEMA = """
CREATE TABLE IF NOT EXISTS counted (id TEXT PRIMARY KEY, source INTEGER NOT NULL, run TEXT NOT NULL, outline TEXT NOT NULL);
-- what was counted from which outline row, without reading the outlines (`changes`)
CREATE INDEX IF NOT EXISTS counted_source ON counted (id, source);
CREATE TABLE IF NOT EXISTS name_stats (key TEXT PRIMARY KEY, stats TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS name_papers (key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS name_slugs (key TEXT PRIMARY KEY, slug TEXT NOT NULL);
-- members: the entity's full keys as a JSON list, sorted
CREATE TABLE IF NOT EXISTS entity_papers (members TEXT PRIMARY KEY, papers INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS supports (relation TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (relation, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS supports_by_paper ON supports (id);
CREATE TABLE IF NOT EXISTS keyed (id TEXT PRIMARY KEY, paper_hash TEXT NOT NULL);
"""
# An outline is made anew (a new rowid) whenever its record is: comparing rowids reads no outline.
_CURRENT = "SELECT o.id, o.rowid AS source FROM outlines o JOIN papers p ON p.id = o.id JOIN extractions e ON e.id = o.id"


def relation_key(head_slug: str, relation: str, tail_slug: str) -> str:
    return f"{head_slug}\x1f{relation}\x1f{tail_slug}"


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class NameState:
    """The name and support tables of one open `kg.buildstate.BuildState` (shares its connection)."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        if self.meta("name_tables") != _VERSION:
            # Tables of another layout: start them afresh (the next run counts every record and,
            # without a "graph_base", works out every graph key and the whole corpus graph again).
            with self._db:
                self._db.execute("BEGIN")
                for table in ("counted", "name_stats", "name_papers", "name_slugs", "entity_papers", "supports", "keyed"):
                    self._db.execute(f"DROP TABLE IF EXISTS {table}")
                self._db.execute("DELETE FROM meta WHERE name IN ('graph_base', 'names_counted', 'relations_counted')")
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('name_tables', ?)", (_VERSION,))
        self._db.executescript(_SCHEMA)

    def _rows_in(self, query: str, values: Iterable) -> Iterator[tuple]:
        """The rows of ``query`` (ending in ``IN``) for ``values``, asked in chunks (SQLite bounds the parameters)."""
        for chunk in _chunks(sorted(values)):
            yield from self._db.execute(f"{query} ({','.join('?' * len(chunk))})", chunk)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything written inside commits at once (or not at all)."""
        with self._db:
            self._db.execute("BEGIN")
            yield

    def changes(self) -> tuple[list[tuple[str, int, str]], list[tuple[str, str]]]:
        """(``(paper id, outline row, outline)`` of the records not counted as they are now, ``(paper
        id, outline counted)`` of the papers counted from another outline or no longer there)."""
        # INDEXED BY: SQLite would otherwise read each counted row, outline text and all
        new = [(pid, source) for pid, source in self._db.execute(
            f"SELECT n.id, n.source FROM ({_CURRENT}) n LEFT JOIN counted c INDEXED BY counted_source ON c.id = n.id"
            " WHERE c.source IS NULL OR c.source != n.source")]
        texts = dict(self._rows_in("SELECT rowid, outline FROM outlines WHERE rowid IN", [source for _, source in new]))
        stale = [pid for (pid,) in self._db.execute(
            f"SELECT c.id FROM counted c INDEXED BY counted_source LEFT JOIN ({_CURRENT}) n ON n.id = c.id"
            " WHERE n.source IS NULL OR n.source != c.source")]
        old = [(pid, outline) for _, pid, outline in  # in table order, as a scan gives them
               sorted(self._rows_in("SELECT rowid, id, outline FROM counted WHERE id IN", stale))]
        return [(pid, source, texts[source]) for pid, source in new], old

    def put_counted(self, new: Iterable[tuple[str, int, str, str]], gone: Iterable[str]) -> None:
        """Inside a transaction: ``(paper id, outline row, run, outline)`` counted now; ids no longer counted."""
        self._db.executemany("DELETE FROM counted WHERE id = ?", ((pid,) for pid in gone))
        self._db.executemany("INSERT OR REPLACE INTO counted VALUES (?, ?, ?, ?)", new)

    def runs(self, ids: Iterable[str] | None = None) -> dict[str, tuple[str, str]]:
        """Paper id -> (extractor, version) of its counted record, for ``ids`` (all when None)."""
        if ids is None:
            rows = self._db.execute("SELECT id, run FROM counted")
        else:
            rows = self._rows_in("SELECT id, run FROM counted WHERE id IN", ids)
        return {pid: tuple(json.loads(run)) for pid, run in rows}

    def outlines(self, ids: Iterable[str]) -> dict[str, str]:
        """Paper id -> counted outline, for ``ids``."""
        return dict(self._rows_in("SELECT id, outline FROM counted WHERE id IN", ids))

    def names(self) -> dict[str, NameStats]:
        return {key: stats_from_json(json.loads(text)) for key, text in self._db.execute("SELECT key, stats FROM name_stats")}

    def put_names(self, names: dict[str, NameStats], keys: Iterable[str], uses: Iterable[tuple[str, str, int]]) -> None:
        """Inside a transaction: the stats of full names ``keys`` as in ``names`` (gone when not
        there), and ``(full key, paper id, +1 or -1)`` uses of a name by a paper."""
        for key in keys:
            if key in names:
                self._db.execute("INSERT OR REPLACE INTO name_stats VALUES (?, ?)",
                                 (key, json.dumps(stats_to_json(names[key]), ensure_ascii=False)))
            else:
                self._db.execute("DELETE FROM name_stats WHERE key = ?", (key,))
        uses = list(uses)
        self._db.executemany("DELETE FROM name_papers WHERE key = ? AND id = ?", [(k, p) for k, p, s in uses if s < 0])
        self._db.executemany("INSERT OR IGNORE INTO name_papers VALUES (?, ?)", [(k, p) for k, p, s in uses if s > 0])

    def papers_using(self, keys: list[str]) -> set[str]:
        """Ids of the papers that use any of the full names ``keys``."""
        return {pid for (pid,) in self._rows_in("SELECT id FROM name_papers WHERE key IN", keys)}

    def papers_counter(self, touched: set[str]) -> "EntityPapers":
        """Inside a transaction: `EntityPapers` over the name uses as they are now, given the
        full keys ``touched`` (whose uses changed since the last run's counts)."""
        return EntityPapers(self, touched)

    def slugs(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, slug FROM name_slugs"))

    def put_slugs(self, slugs: dict[str, str | None]) -> None:
        """Inside a transaction: full key -> slug (None: the name is gone)."""
        self._db.executemany("DELETE FROM name_slugs WHERE key = ?", [(k,) for k, s in slugs.items() if s is None])
        self._db.executemany("INSERT OR REPLACE INTO name_slugs VALUES (?, ?)",
                             [(k, s) for k, s in slugs.items() if s is not None])

    def supports_of(self, ids: Iterable[str]) -> set[str]:
        """The relation keys stated by any of the papers ``ids``."""
        return {rel for (rel,) in self._rows_in("SELECT relation FROM supports WHERE id IN", ids)}

    def put_supports(self, ids: Iterable[str], stated: Iterable[tuple[str, str]]) -> None:
        """Inside a transaction: papers ``ids`` now state exactly the ``(relation key, paper id)`` in ``stated``."""
        self._db.executemany("DELETE FROM supports WHERE id = ?", [(pid,) for pid in ids])
        self._db.executemany("INSERT OR IGNORE INTO supports VALUES (?, ?)", stated)

    def support(self, relations: Iterable[str] | None = None) -> dict[tuple[str, str, str], set[str]]:
        """(head slug, relation, tail slug) -> ids of the papers that state it, for ``relations`` (all when None)."""
        if relations is None:
            rows: Iterable = self._db.execute("SELECT relation, id FROM supports")
        else:
            rows = self._rows_in("SELECT relation, id FROM supports WHERE relation IN", relations)
        found: dict = defaultdict(set)
        for rel, pid in rows:
            found[tuple(rel.split("\x1f"))].add(pid)
        return found

    def run_pairs(self) -> set[tuple[str, str]]:
        """The (extractor, version) of every counted record."""
        return {tuple(json.loads(run)) for (run,) in self._db.execute("SELECT DISTINCT run FROM counted")}

    def keyed(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT id, paper_hash FROM keyed"))

    def put_keyed(self, rows: Iterable[tuple[str, str]], *, gone: Iterable[str]) -> None:
        """Inside a transaction: ``(paper id, paper digest)`` its graph key was worked out from; ``gone`` ids dropped."""
        self._db.executemany("DELETE FROM keyed WHERE id = ?", [(pid,) for pid in gone])
        self._db.executemany("INSERT OR REPLACE INTO keyed VALUES (?, ?)", rows)

    def forget_keys(self, ids: Iterable[str]) -> None:
        """Inside a transaction: `kg.buildstate.BuildState.forget_graphs`."""
        self._db.executemany("DELETE FROM graphs WHERE id = ?", [(pid,) for pid in ids])

    def meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        """Inside a transaction: `kg.buildstate.BuildState.set_meta`."""
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def totals(self, new: Iterable, old: Iterable) -> tuple[int, int]:
        """Inside a transaction: (entity names, relations) over the counted records, given the
        outlines counted in (``new``) and out (``old``) this run."""
        totals = [int(self.meta(name) or 0) for name in ("names_counted", "relations_counted")]
        for sign, outlines in ((1, new), (-1, old)):
            for outline in outlines:
                totals[0] += sign * (len(outline.names) - 2 * len(outline.relations))
                totals[1] += sign * len(outline.relations)
        self.set_meta("names_counted", str(totals[0]))
        self.set_meta("relations_counted", str(totals[1]))
        return totals[0], totals[1]


class EntityPapers:
    """``papers_of`` for `kg.resolve.resolve_names`: the distinct papers using any of an entity's
    full names, from the last run's count when none of its names was touched since (their
    uses are then what that count was made of), else from ``name_papers``. `store` keeps
    exactly the counts of this run, in the run's transaction."""

    def __init__(self, names_db: NameState, touched: set[str]):
        self._names_db, self._touched = names_db, touched
        self._last = dict(names_db._db.execute("SELECT members, papers FROM entity_papers"))
        self._now: dict[str, int] = {}

    def __call__(self, members: list[str]) -> int:
        key = json.dumps(sorted(members), ensure_ascii=False)
        papers = self._last.get(key) if self._touched.isdisjoint(members) else None
        if papers is None:
            papers = len(self._names_db.papers_using(members))
        self._now[key] = papers
        return papers

    def store(self) -> None:
        """Inside the transaction that changed the uses: this run's counts replace the last run's."""
        db = self._names_db._db
        db.execute("DELETE FROM entity_papers")
        db.executemany("INSERT INTO entity_papers VALUES (?, ?)", sorted(self._now.items()))
