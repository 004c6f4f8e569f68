"""The state of a build directory: which papers it holds, what was extracted from them, which graphs are written.

A build directory remembers its work in ``state.sqlite`` (SQLite, write-ahead log), so
that the next ``kg build`` into it does only what changed and a killed build loses
nothing it had committed:

- ``papers``: every paper of the build (id, its JSON as ``papers.jsonl`` stores it, and
  the hash of the text the extractor reads);
- ``extractions``: per paper, the extraction record (JSON) with the text hash, profile
  and `extractor_version` it was made from; a record is reused only while all three match;
- ``outlines``: per record, what entity resolution and the graph update need of it (see
  `kg.graphupdate`), made once when the record is stored;
- ``counted``, ``name_stats``, ``name_papers``, ``name_slugs``, ``supports``, ``keyed``:
  the sums per distinct entity name, relation support and graph-key inputs that let a
  build resolve entities and rewrite keys and support for what changed only (`kg.namestate`);
- ``graphs``: per paper, the key of the named graph written to the store (a digest of
  the paper, its record and the entity IRIs it resolved to). A row is deleted *before*
  its graph is touched and written back *after* the store is flushed, so a graph without
  a row is one an interrupted run may have left half-written: the next run rewrites it
  (``graph_quads`` keeps each graph's size beside it, so counting the store's quads
  needs no scan of the store, and ``paper_mentions`` what analytics read of it: the
  paper's IRI, date and the entities it ``kg:mentions``);
- ``input_files``: per input file of the last read, its size, time and digest and what
  it gave, so that the next read parses only changed files (`kg.inputfiles`);
- ``corpus``: per subject of the corpus graph (an entity, a relation's support, a paper
  graph's description, a run), the digest of its triples as stored, kept the same way,
  so that a run rewrites only the subjects whose triples changed; ``corpus_lines`` keeps
  the N-Quads lines of some of them (the entities), so that the quads a change removes
  need not be read back from the store.

Every method commits its own transaction: a build killed between two calls finds the
state of the last one that returned.

Examples
--------
>>> import tempfile
>>> from kg.papers import Paper
>>> state = BuildState(tempfile.mkdtemp())
>>> state.put_papers([Paper("p1", "A title", "An abstract.")])
1
>>> state.pending_extraction(profile="fast", version="1")
['p1']
>>> state.put_extractions([("p1", text_hash(Paper("p1", "A title", "An abstract.")), '{"id": "p1"}')],
...                       profile="fast", version="1")
>>> state.pending_extraction(profile="fast", version="1"), state.pending_extraction(profile="accurate", version="1")
([], ['p1'])
>>> state.close()
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.corpus import paper_to_json
from kg.papers import Paper, SourceLocation
from kg.parallel import batched

__all__ = ["STATE_FILE", "BuildError", "BuildState", "text_hash", "extractor_version", "paper_from_json"]

STATE_FILE = "state.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (id TEXT PRIMARY KEY, text_hash TEXT NOT NULL, json TEXT NOT NULL);
-- each paper's `json_digest`, kept beside it: the graph update asks for all of them on every run
CREATE TABLE IF NOT EXISTS paper_digests (id TEXT PRIMARY KEY, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS extractions (
    id TEXT PRIMARY KEY, text_hash TEXT NOT NULL, profile TEXT NOT NULL, version TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graphs (id TEXT PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corpus (subject TEXT PRIMARY KEY, digest TEXT NOT NULL, quads INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS corpus_lines (subject TEXT PRIMARY KEY, lines TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graph_quads (id TEXT PRIMARY KEY, quads INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outlines (id TEXT PRIMARY KEY, outline TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS paper_mentions (id TEXT PRIMARY KEY, paper TEXT NOT NULL, date TEXT, entities TEXT NOT NULL);
-- Covering indexes: which papers need extracting is answered without reading the JSON texts
-- (hundreds of megabytes at 100,000 papers; a second of a 1,000-paper increment when cold).
CREATE INDEX IF NOT EXISTS papers_text ON papers (id, text_hash);
CREATE INDEX IF NOT EXISTS extractions_current ON extractions (id, text_hash, profile, version);
CREATE TABLE IF NOT EXISTS input_files (source TEXT PRIMARY KEY, options TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, digest TEXT NOT NULL, read INTEGER NOT NULL, merged INTEGER NOT NULL, ids TEXT NOT NULL,
    keys TEXT NOT NULL);
"""
# Rows per executemany: big enough to amortise the statement, small enough to stream.
_CHUNK = 5_000


class BuildError(RuntimeError):
    """The build directory or the extraction cluster cannot be used (the message says which and why)."""


def text_hash(paper: Paper) -> str:
    """Digest of what the extractor reads of ``paper`` (id, title, abstract).

    Examples
    --------
    >>> text_hash(Paper("p1", "T", "A")) == text_hash(Paper("p1", "T", "A", date="2024-01-01"))
    True
    >>> text_hash(Paper("p1", "T", "A")) == text_hash(Paper("p1", "T", "A changed"))
    False
    """
    data = "\x1f".join((paper.id, paper.title, paper.abstract)).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:32]


def json_digest(text: str) -> str:
    """Digest of a paper's stored JSON text (`BuildState.paper_hashes`): metadata included."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


_STATED_VERSION = re.compile(r'^EXTRACTOR_VERSION = "([^"]+)"$', re.MULTILINE)


def extractor_version(profile: str) -> str:
    """What a stored record must have been made by to be reused: the extractor's version
    and a digest of its code, rule files and trained models.

    Edited rules change the records without a version bump; the digest catches that.

    Examples
    --------
    >>> from extractors.pipeline import EXTRACTOR_VERSION
    >>> extractor_version("fast").startswith(EXTRACTOR_VERSION + "+")
    True
    """
    import extractors

    root = Path(extractors.__file__).parent
    # Read from the source, as the digest reads it: importing the pipeline imports spaCy
    # (most of a second), which a build that extracts in worker processes never needs.
    stated = _STATED_VERSION.search((root / "pipeline.py").read_text(encoding="utf-8"))
    if stated is not None:
        version = stated.group(1)
    else:
        from extractors.pipeline import EXTRACTOR_VERSION as version
    digest = hashlib.sha256(f"{version}\x1f{profile}".encode())
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(part.startswith((".", "__pycache__")) for part in relative.parts):
            continue
        digest.update(str(relative).encode() + b"\x00" + path.read_bytes())
    return f"{version}+{digest.hexdigest()[:16]}"


def paper_from_json(data: dict) -> Paper:
    """Inverse of `kg.corpus.paper_to_json`.

    Examples
    --------
    >>> paper = Paper("p1", "T", "A", authors=("X",), sources=(SourceLocation("a:b.txt", 3),))
    >>> paper_from_json(paper_to_json(paper)) == paper, paper_from_json(paper_to_json(paper)).sources
    (True, (SourceLocation(path='a:b.txt', line=3),))
    """
    sources = []
    for text in data.get("sources", ()):
        path, _, line = text.rpartition(":")
        sources.append(SourceLocation(path, int(line)))
    return Paper(
        id=data["id"], title=data["title"], abstract=data["abstract"], date=data.get("date"),
        authors=tuple(data.get("authors", ())), urls=tuple(data.get("urls", ())),
        categories=tuple(data.get("categories", ())), arxiv_id=data.get("arxiv_id"), doi=data.get("doi"),
        sources=tuple(sources),
    )


class BuildState:
    """The ``state.sqlite`` of build directory ``out`` (created when missing)."""

    def __init__(self, out: str | Path):
        self.path = Path(out) / STATE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses nothing committed
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as error:
            raise BuildError(f"{self.path}: not a kg build state ({error}); remove it to start afresh") from None

    @classmethod
    def reader(cls, out: str | Path) -> "BuildState":
        """The state of build directory ``out`` opened read-only (beside the build that writes it)."""
        state = cls.__new__(cls)
        state.path = Path(out) / STATE_FILE
        state._db = sqlite3.connect(f"{state.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        return state

    def close(self) -> None:
        self._db.close()

    def _transaction(self, statement: str, rows: Iterable) -> int:
        count = 0
        with self._db:  # one transaction: all rows or none
            self._db.execute("BEGIN")
            for chunk in batched(rows, _CHUNK):
                self._db.executemany(statement, chunk)
                count += len(chunk)
        return count

    # papers
    def _by_ids(self, query: str, ids: list[str], *, column: str = "id") -> dict:
        """``dict(query ... WHERE column IN ids)``, asked in chunks (SQLite bounds the parameters)."""
        found = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update(self._db.execute(query + f" WHERE {column} IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def put_papers(self, papers: Iterable[Paper]) -> int:
        """Record ``papers`` (new or changed ones replace their row); returns how many rows changed."""
        changed = 0
        for chunk in batched(papers, _CHUNK):  # chunk by chunk: the stored corpus is never all in memory
            rows = [(paper.id, text_hash(paper), json.dumps(paper_to_json(paper), ensure_ascii=False, sort_keys=True))
                    for paper in chunk]
            known = self._by_ids("SELECT id, json FROM papers", [pid for pid, _, _ in rows])
            rows = [row for row in rows if known.get(row[0]) != row[2]]
            with self._db:  # one transaction: a paper never without its digest
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO papers VALUES (?, ?, ?)", rows)
                self._db.executemany("INSERT OR REPLACE INTO paper_digests VALUES (?, ?)",
                                     [(pid, json_digest(text)) for pid, _, text in rows])
            changed += len(rows)
        return changed

    def papers_by_ids(self, ids: Iterable[str]) -> dict[str, Paper]:
        return {pid: paper_from_json(json.loads(text))
                for pid, text in self._by_ids("SELECT id, json FROM papers", list(ids)).items()}

    def records_by_ids(self, ids: Iterable[str]) -> dict[str, str]:
        """Paper id -> record JSON, for those of ``ids`` that have one."""
        return self._by_ids("SELECT id, record FROM extractions", list(ids))

    def remove_papers(self, ids: Iterable[str]) -> int:
        """Forget papers (and their records); their graphs are removed by the next graph update."""
        ids = [(pid,) for pid in ids]
        self._transaction("DELETE FROM outlines WHERE id = ?", ids)
        self._transaction("DELETE FROM extractions WHERE id = ?", ids)
        self._transaction("DELETE FROM paper_digests WHERE id = ?", ids)
        return self._transaction("DELETE FROM papers WHERE id = ?", ids)

    def paper_ids(self) -> set[str]:
        return {pid for (pid,) in self._db.execute("SELECT id FROM papers")}

    def papers(self) -> Iterator[Paper]:
        """Every paper, by id."""
        for (text,) in self._db.execute("SELECT json FROM papers ORDER BY id"):
            yield paper_from_json(json.loads(text))

    def paper_texts(self) -> Iterator[str]:
        """Every paper's stored JSON text (`kg.corpus.paper_to_json`, keys sorted), by id."""
        for (text,) in self._db.execute("SELECT json FROM papers ORDER BY id"):
            yield text

    def paper_hashes(self) -> dict[str, str]:
        """Paper id -> digest of its stored JSON (metadata included)."""
        # Papers stored before the digests were kept are digested once; found on the index
        # alone (a scan of the table would read every JSON text, which this avoids).
        missing = [pid for (pid,) in self._db.execute(
            "SELECT p.id FROM papers p INDEXED BY papers_text LEFT JOIN paper_digests d ON d.id = p.id"
            " WHERE d.id IS NULL")]
        if missing:
            texts = self._by_ids("SELECT id, json FROM papers", missing)
            self._transaction("INSERT OR REPLACE INTO paper_digests VALUES (?, ?)",
                              ((pid, json_digest(text)) for pid, text in texts.items()))
        return dict(self._db.execute("SELECT d.id, d.digest FROM paper_digests d JOIN papers p ON p.id = d.id"))

    # extractions
    def pending_extraction(self, *, profile: str, version: str) -> list[str]:
        """Ids of the papers without a record for their current text, ``profile`` and ``version``, by id."""
        rows = self._db.execute(
            "SELECT p.id FROM papers p LEFT JOIN extractions e ON e.id = p.id AND e.text_hash = p.text_hash"
            " AND e.profile = ? AND e.version = ? WHERE e.id IS NULL ORDER BY p.id", (profile, version))
        return [pid for (pid,) in rows]

    def put_extractions(self, rows: Iterable[tuple[str, str, str]], *, profile: str, version: str) -> None:
        """Store ``(paper id, text hash, record JSON)`` rows in one transaction (their outlines are made anew)."""
        rows = list(rows)
        with self._db:
            self._db.execute("BEGIN")
            for chunk in batched(rows, _CHUNK):
                self._db.executemany("DELETE FROM outlines WHERE id = ?", [(row[0],) for row in chunk])
                self._db.executemany("INSERT OR REPLACE INTO extractions VALUES (?, ?, ?, ?, ?)",
                                     [(pid, digest, profile, version, record) for pid, digest, record in chunk])

    def records_without_outline(self) -> list[str]:
        """Ids of the papers whose record has no outline yet, by id."""
        return [pid for (pid,) in self._db.execute(
            "SELECT e.id FROM extractions e JOIN papers p ON p.id = e.id LEFT JOIN outlines o ON o.id = e.id"
            " WHERE o.id IS NULL ORDER BY e.id")]

    def put_outlines(self, rows: Iterable[tuple[str, str]]) -> None:
        """Store ``(paper id, outline JSON)`` rows."""
        self._transaction("INSERT OR REPLACE INTO outlines VALUES (?, ?)", rows)

    def outlines(self) -> Iterator[tuple[str, str]]:
        """``(paper id, outline JSON)`` of every paper of the build that has a record, by id."""
        yield from self._db.execute(
            "SELECT o.id, o.outline FROM outlines o JOIN papers p ON p.id = o.id JOIN extractions e ON e.id = o.id"
            " ORDER BY o.id")

    def extractions(self) -> Iterator[tuple[str, str]]:
        """``(paper id, record JSON)`` of every paper of the build, by id."""
        yield from self._db.execute(
            "SELECT e.id, e.record FROM extractions e JOIN papers p ON p.id = e.id ORDER BY e.id")

    # input files of the last read (kg.inputfiles)
    def input_files(self) -> dict:
        """Source name -> `kg.inputfiles.InputFile` of the files the last read may skip while unchanged."""
        from kg.inputfiles import InputFile

        return {row[0]: InputFile.from_row(row) for row in self._db.execute("SELECT * FROM input_files")}

    def put_input_files(self, files: Iterable | None) -> None:
        """Replace the input files (`kg.inputfiles.InputFile`) with ``files``; None forgets them: call
        before storing the papers of a read, and with its files after."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM input_files")
            for chunk in batched((f.to_row() for f in files or ()), _CHUNK):
                self._db.executemany("INSERT INTO input_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", chunk)

    # the last finished build
    def finished(self) -> str | None:
        """The options digest of the last build that finished, None while one is unfinished."""
        return self.meta("finished")

    def set_finished(self, options: str | None) -> None:
        """Record that a build with ``options`` finished (None: one is under way)."""
        self.set_meta("finished", options)

    # meta
    def meta(self, name: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str | None) -> None:
        with self._db:
            if value is None:
                self._db.execute("DELETE FROM meta WHERE name = ?", (name,))
            else:
                self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    # the corpus graph, subject by subject
    def corpus_digests(self, *, subjects: Iterable[str] | None = None, prefix: str | None = None,
                       limit: int = -1) -> dict[str, str]:
        """Subject -> digest of the corpus subjects stored: all, those of ``subjects``, or those
        whose IRI starts with ``prefix``; at most ``limit``."""
        if subjects is not None:
            return self._by_ids("SELECT subject, digest FROM corpus", list(subjects), column="subject")
        if prefix is not None:
            return dict(self._db.execute("SELECT subject, digest FROM corpus WHERE subject >= ? AND subject < ? LIMIT ?",
                                         (prefix, prefix + "\U0010ffff", limit)))
        return dict(self._db.execute("SELECT subject, digest FROM corpus LIMIT ?", (limit,)))

    def connection(self) -> sqlite3.Connection:
        """The state's SQLite connection (`kg.namestate` keeps its tables in the same file)."""
        return self._db

    def corpus_lines(self, subjects: Iterable[str]) -> dict[str, str]:
        """Subject -> its N-Quads lines as stored, for those of ``subjects`` whose lines are kept."""
        return self._by_ids("SELECT subject, lines FROM corpus_lines", list(subjects), column="subject")

    def forget_corpus(self, subjects: Iterable[str]) -> None:
        """Mark corpus subjects as not (or no longer) stored as their digest says: call before touching them."""
        with self._db:  # one transaction: a digest never without its lines
            self._db.execute("BEGIN")
            for chunk in batched(((subject,) for subject in subjects), _CHUNK):
                self._db.executemany("DELETE FROM corpus WHERE subject = ?", chunk)
                self._db.executemany("DELETE FROM corpus_lines WHERE subject = ?", chunk)

    def put_corpus_digests(self, rows: Iterable[tuple[str, str, int, str | None]]) -> None:
        """Record corpus subjects as stored, ``(subject, digest, quads, N-Quads lines or None)``:
        call after the store has them."""
        with self._db:
            self._db.execute("BEGIN")
            for chunk in batched(rows, _CHUNK):
                self._db.executemany("INSERT OR REPLACE INTO corpus VALUES (?, ?, ?)", [row[:3] for row in chunk])
                self._db.executemany("INSERT OR REPLACE INTO corpus_lines VALUES (?, ?)",
                                     [(row[0], row[3]) for row in chunk if row[3] is not None])

    def stored_quads(self) -> int | None:
        """Quads of the paper and corpus graphs as recorded, or None when a paper graph's size is unknown."""
        known, papers = self._db.execute(
            "SELECT count(q.id), coalesce(sum(q.quads), 0) FROM graphs g LEFT JOIN graph_quads q ON q.id = g.id").fetchone()
        total = self._db.execute("SELECT count(*) FROM graphs").fetchone()[0]
        if known != total:
            return None
        return papers + self._db.execute("SELECT coalesce(sum(quads), 0) FROM corpus").fetchone()[0]

    # graphs
    def graph_keys(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT id, key FROM graphs"))

    def graph_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM graphs").fetchone()[0]

    def forget_graphs(self, ids: Iterable[str]) -> None:
        """Mark graphs as not (or no longer fully) written: call before touching them."""
        self._transaction("DELETE FROM graphs WHERE id = ?", ((pid,) for pid in ids))

    def put_graph_keys(self, keys: Iterable[tuple[str, str, int, tuple[str, str | None, list[str]]]]) -> None:
        """Record graphs as fully written, ``(paper id, key, quads, (paper IRI, date, mentioned entity IRIs))``:
        call after the store has them."""
        keys = list(keys)
        with self._db:  # one transaction: a key never without its size and mentions
            self._db.execute("BEGIN")
            for chunk in batched(keys, _CHUNK):
                self._db.executemany("INSERT OR REPLACE INTO graphs VALUES (?, ?)", [row[:2] for row in chunk])
                self._db.executemany("INSERT OR REPLACE INTO graph_quads VALUES (?, ?)", [(row[0], row[2]) for row in chunk])
                self._db.executemany("INSERT OR REPLACE INTO paper_mentions VALUES (?, ?, ?, ?)",
                                     [(pid, paper, date, "\n".join(entities)) for pid, _, _, (paper, date, entities) in chunk])

    def mention_rows(self) -> Iterator[tuple[str, str, str | None, list[str]]]:
        """``(paper id, paper IRI, date, entity IRIs)`` of every paper graph's mention row, written or not."""
        rows = self._db.execute("SELECT id, paper, date, entities FROM paper_mentions")
        return ((pid, paper, date, entities.split("\n") if entities else []) for pid, paper, date, entities in rows)

    def paper_mentions(self) -> Iterator[tuple[str, str | None, list[str]]] | None:
        """``(paper IRI, date, entity IRIs)`` of every paper graph written, or None when one lacks them."""
        counts = self._db.execute(
            "SELECT count(*), count(m.id) FROM graphs g LEFT JOIN paper_mentions m ON m.id = g.id").fetchone()
        if counts[0] != counts[1]:
            return None
        rows = self._db.execute("SELECT m.paper, m.date, m.entities FROM graphs g JOIN paper_mentions m ON m.id = g.id")
        return ((paper, date, entities.split("\n") if entities else []) for paper, date, entities in rows)
