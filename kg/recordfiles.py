"""A build directory's ``papers.jsonl`` and ``extractions.jsonl``, written from its state by a
helper process while the build updates the graph.

The two files hold every paper and record of the build (hundreds of megabytes at 100,000
papers), so they are written whole on every build; that is reading the state and writing
text, which needs nothing of the graph stage. `RecordFileWriter` hands it to a helper
(`kg.helperprocess`) that reads the state on its own connection (SQLite's WAL lets it read
while the build writes other tables) and the build waits for it only at the end. Each
file is a JSON text of the state per line, by paper id, as stored: a fresh and an
incremental build of the same papers write the same bytes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kg.atomic import atomic_write
from kg.helperprocess import check_starter, start_helper

__all__ = ["RECORD_FILES", "RecordFileWriter", "write_record_files"]

log = logging.getLogger("kg")

RECORD_FILES = ("papers.jsonl", "extractions.jsonl")


def _write_lines(path: Path, lines) -> None:
    with atomic_write(path) as handle:
        for line in lines:
            handle.write(line + "\n")
        check_starter(path)


def write_record_files(out: str | Path) -> None:
    """Write `RECORD_FILES` of build directory ``out`` from its ``state.sqlite``."""
    from kg.buildstate import BuildState

    out = Path(out)
    state = BuildState(out)
    try:
        # The JSON texts as stored (no parsing and dumping again), a line each.
        _write_lines(out / RECORD_FILES[0], state.paper_texts())
        _write_lines(out / RECORD_FILES[1], (record for _, record in state.extractions()))
    finally:
        state.close()


class RecordFileWriter:
    """`write_record_files` of ``out`` in a helper process, started now; `finish` waits for it.

    Start it once the build's papers and records are stored: the helper reads what the
    state holds then (the graph stage changes neither table). When no helper starts, or
    it fails, `finish` writes the files in this process. Use it as a context manager: when
    the build fails first, the helper is waited for (it leaves no temporary file behind).
    """

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self._helper = start_helper("kg.recordfiles", "write_record_files", str(self.out))

    def finish(self) -> tuple[str, ...]:
        """Wait for the files (written here if the helper could not); their names."""
        if self._helper is None or self._helper.wait() != 0:
            if self._helper is not None:
                log.warning("the helper process writing %s failed (exit status %d): written here instead",
                            ", ".join(RECORD_FILES), self._helper.returncode)
            write_record_files(self.out)
        self._helper = None
        return RECORD_FILES

    def __enter__(self) -> "RecordFileWriter":
        return self

    def __exit__(self, *exc) -> None:
        if self._helper is not None:  # the build failed before finish()
            self._helper.wait()
