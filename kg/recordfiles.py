"""A build directory's ``papers.jsonl`` and ``extractions.jsonl``, written from its state by a
helper process while the build updates the graph.

Each file is a JSON text of the state per line, by paper id, as stored: a fresh and an
incremental build of the same papers write the same bytes. The files hold every paper and
record of the build (hundreds of megabytes at 100,000 papers); `RecordFileWriter` hands
them to a helper (`kg.helperprocess`) that reads the state on its own connection (SQLite's
WAL lets it read while the build writes other tables), and the build waits for it only at
the end.

A growing corpus mostly gains papers whose ids sort after every id it has (arXiv's do), so
the files are not always written whole: the build state keeps, under `RECORD_FILES_META`,
the last id the files hold, a digest of what each of their lines was made from (each
paper's JSON digest, each record's text hash, profile and extractor version) and each
file's size and modification time. When the files are still those, the rows up to that
id still digest the same and every other row comes after it, only the new lines are
appended. Anything else (a changed, removed or inserted paper, a touched file, a build
killed half-way through an append) writes both files whole.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
from pathlib import Path

from kg.atomic import atomic_write
from kg.helperprocess import check_starter, start_helper

__all__ = ["RECORD_FILES", "RECORD_FILES_META", "RecordFileWriter", "write_record_files"]

log = logging.getLogger("kg")

RECORD_FILES = ("papers.jsonl", "extractions.jsonl")
RECORD_FILES_META = "record_files"  # build state meta: what the files were made of (JSON)

_PAPER_ROWS = "SELECT p.id, p.json FROM papers p"
_RECORD_ROWS = "SELECT e.id, e.record FROM extractions e JOIN papers p ON p.id = e.id"
# what each line was made from, read from the covering indexes alone (no JSON text)
_PAPER_SOURCES = "SELECT p.id, d.digest FROM papers p JOIN paper_digests d ON d.id = p.id"
_RECORD_SOURCES = ("SELECT e.id, e.text_hash || ' ' || e.profile || ' ' || e.version FROM extractions e"
                   " INDEXED BY extractions_current JOIN papers p ON p.id = e.id")


def _write_lines(path: Path, lines) -> None:
    with atomic_write(path) as handle:
        for line in lines:
            handle.write(line + "\n")
        check_starter(path)


def _append_lines(path: Path, lines) -> None:
    # Cut short (a killed build), the file no longer matches its size in the meta: the next build writes it whole.
    check_starter(path)  # a helper whose build was killed appends nothing
    with open(path, "a", encoding="utf-8") as handle:  # as atomic_write writes them
        for line in lines:
            handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _digest_sources(db, digests: dict | None, after: str | None, until: str | None) -> dict:
    """Running sha256 digests (papers, records) of what the lines of the papers with
    ``after < id <= until`` were made from, continued from ``digests`` (new ones when None);
    a bound that is None is open. Rows are digested in id order: digesting the rows up to
    one id, then those after it, gives what one pass over all of them gives."""
    digests = digests or {"papers": hashlib.sha256(), "records": hashlib.sha256()}
    where, args = _id_range(after, until)
    for name, query in (("papers", _PAPER_SOURCES), ("records", _RECORD_SOURCES)):
        for pid, source in db.execute(f"{query}{where} ORDER BY p.id", args):
            digests[name].update(f"{pid}\t{source}\n".encode("utf-8"))
    return digests


def _id_range(after: str | None, until: str | None) -> tuple[str, list[str]]:
    bounds = [("p.id > ?", after), ("p.id <= ?", until)]
    bounds = [(test, value) for test, value in bounds if value is not None]
    return (" WHERE " + " AND ".join(test for test, _ in bounds) if bounds else ""), [value for _, value in bounds]


def _file_stamps(out: Path) -> list[list[int]]:
    return [[(out / name).stat().st_size, (out / name).stat().st_mtime_ns] for name in RECORD_FILES]


def write_record_files(out: str | Path) -> str:
    """Write `RECORD_FILES` of build directory ``out`` from its ``state.sqlite``, appending to
    them when they can be (module docstring). Returns the `RECORD_FILES_META` JSON that says
    what they hold now, for the caller to store once it knows they are complete."""
    from kg.buildstate import BuildState

    out = Path(out)
    state = BuildState.reader(out)
    try:
        db = state._db
        db.execute("BEGIN")  # one snapshot of the state for every query below
        last_id = db.execute("SELECT max(id) FROM papers").fetchone()[0]
        kept = _appendable(out, state)
        if kept is not None:
            before, digests = kept
            where, args = _id_range(before, None)
            _append_lines(out / RECORD_FILES[0], (text for _, text in db.execute(f"{_PAPER_ROWS}{where} ORDER BY p.id", args)))
            _append_lines(out / RECORD_FILES[1], (text for _, text in db.execute(f"{_RECORD_ROWS}{where} ORDER BY p.id", args)))
            digests = _digest_sources(db, digests, before, last_id)
        else:
            # The JSON texts as stored (no parsing and dumping again), a line each.
            _write_lines(out / RECORD_FILES[0], (text for _, text in db.execute(f"{_PAPER_ROWS} ORDER BY p.id")))
            _write_lines(out / RECORD_FILES[1], (text for _, text in db.execute(f"{_RECORD_ROWS} ORDER BY p.id")))
            digests = _digest_sources(db, None, None, last_id)
        return json.dumps({"last": last_id, "digests": {name: d.hexdigest() for name, d in digests.items()},
                           "files": _file_stamps(out)})
    finally:
        state.close()


def _appendable(out: Path, state) -> tuple[str, dict] | None:
    """(last id the files hold, the running digests of their sources) when the files are those the meta
    describes and every row up to that id is as they were made from; else None."""
    kept = state.meta(RECORD_FILES_META)
    if kept is None:
        return None
    try:
        kept = json.loads(kept)
        if _file_stamps(out) != kept["files"]:
            return None
        digests = _digest_sources(state._db, None, None, kept["last"])
        same = {name: d.hexdigest() for name, d in digests.items()} == kept["digests"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (kept["last"], digests) if same else None


def _write_and_report(out: str) -> None:
    """`write_record_files` in a helper: its meta JSON goes to stdout."""
    print(write_record_files(out), flush=True)


class RecordFileWriter:
    """`write_record_files` of ``out`` in a helper process, started now; `finish` waits for it.

    Start it once the build's papers and records are stored: the helper reads what the
    state holds then (the graph stage changes neither table). When no helper starts, or
    it fails, `finish` writes the files in this process. Use it as a context manager: when
    the build fails first, the helper is waited for (it leaves no temporary file behind).
    """

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self._helper = start_helper("kg.recordfiles", "_write_and_report", str(self.out), stdout=subprocess.PIPE)

    def finish(self) -> tuple[str, ...]:
        """Wait for the files (written here if the helper could not); their names."""
        from kg.buildstate import BuildState

        report = self._helper.communicate()[0].decode("utf-8").strip() if self._helper is not None else ""
        if self._helper is None or self._helper.returncode != 0 or not report:
            if self._helper is not None:
                log.warning("the helper process writing %s failed (exit status %d): written here instead",
                            ", ".join(RECORD_FILES), self._helper.returncode)
            report = write_record_files(self.out)
        self._helper = None
        state = BuildState(self.out)
        try:
            state.set_meta(RECORD_FILES_META, report)
        finally:
            state.close()
        return RECORD_FILES

    def __enter__(self) -> "RecordFileWriter":
        return self

    def __exit__(self, *exc) -> None:
        if self._helper is not None:  # the build failed before finish()
            self._helper.communicate()
