"""Input files a build read, so that the next build parses only the files that changed.

Reading and merging 100,000 papers costs about 20 s, and an incremental build mostly sees
the same files again. For each file read cleanly (no problem reported, not stdin, none of
its papers merged with a paper of another file) the build state keeps an `InputFile`: the
file's size, modification time and a digest of its bytes, what it gave (the ids of its
papers, records read and merged) and the identity keys of its records (`kg.merging`). The
next `kg.corpus.read_corpus` with ``known=`` these records takes a file whose size,
time and digest all match as read already: its papers are the build state's.

That holds only while no paper of a file parsed now would merge with a paper of a file
taken as read (`collides`): then every file is read again, as a build without the state
would. A file with problems is always read again, so its problems are reported again.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "papers.jsonl"
>>> _ = path.write_text('{"title": "A", "abstract": "B"}\\n')
>>> stamp = file_stamp(path)
>>> unchanged = InputFile(str(path), "json", *stamp, read=1, merged=0, ids=("title:x",))
>>> list(unchanged_files([path], {str(path): unchanged}, options="json")) == [str(path)]
True
>>> _ = path.write_text('{"title": "A", "abstract": "C"}\\n')  # same size, new bytes
>>> unchanged_files([path], {str(path): unchanged}, options="json")
{}
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.merging import identity_keys
from kg.papers import Paper

__all__ = ["InputFile", "FileKeys", "file_stamp", "reader_options", "unchanged_files", "collides"]

_KG = Path(__file__).resolve().parent
# What a file's papers depend on besides its bytes: the readers and how records become papers.
_READER_CODE = ("readers", "merging.py", "papers.py", "textclean.py", "corpus.py")


@dataclass(frozen=True)
class FileKeys:
    """The identity keys of a file's records: strong keys (ids, arXiv ids, DOIs), every
    title key, and the title keys of records without a strong key."""

    strong: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    weak_titles: frozenset[str] = frozenset()

    @classmethod
    def of(cls, papers: Iterable[Paper]) -> "FileKeys":
        strong, titles, weak = set(), set(), set()
        for paper in papers:
            keys, title = identity_keys(paper)
            strong.update(keys)
            titles.add(title)
            if not keys:
                weak.add(title)
        return cls(frozenset(strong), frozenset(titles), frozenset(weak))


@dataclass(frozen=True)
class InputFile:
    """One input file as a build read it: where, which bytes, with which reader options, what it gave."""

    source: str  # the name its papers' source locations carry
    options: str  # `reader_options` it was read with
    size: int
    mtime_ns: int
    digest: str
    read: int  # records read as papers
    merged: int  # records merged into a paper of the same file
    ids: tuple[str, ...]  # ids of its papers
    keys: FileKeys = FileKeys()
    # The stored row it was read from (`from_row`): an unchanged file is stored again as it was,
    # without sorting and dumping its keys anew (half a second for a file of 100,000 papers).
    stored: tuple | None = field(default=None, compare=False, repr=False)

    def to_row(self) -> tuple:
        """The row `kg.buildstate.BuildState.put_input_files` stores."""
        row = self.stored
        if row is not None and row[:7] == self._scalars() and row[7].count("\n") + bool(row[7]) == len(self.ids):
            return row
        keys = [sorted(self.keys.strong), sorted(self.keys.titles), sorted(self.keys.weak_titles)]
        return (*self._scalars(), "\n".join(self.ids), json.dumps(keys))

    def _scalars(self) -> tuple:
        return self.source, self.options, self.size, self.mtime_ns, self.digest, self.read, self.merged

    @classmethod
    def from_row(cls, row: Sequence) -> "InputFile":
        source, options, size, mtime_ns, digest, read, merged, ids, keys = row
        strong, titles, weak = json.loads(keys)
        return cls(source, options, size, mtime_ns, digest, read, merged, tuple(ids.split("\n")) if ids else (),
                   FileKeys(frozenset(strong), frozenset(titles), frozenset(weak)), stored=tuple(row))


def file_stamp(path: str | os.PathLike) -> tuple[int, int, str]:
    """(size, modification time in ns, digest of the bytes) of a file."""
    stat = os.stat(path)
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()[:32]
    return stat.st_size, stat.st_mtime_ns, digest


def reader_options(format: str | None, fields: object) -> str:
    """What the papers read from a file depend on besides its bytes: the format and field
    names asked for, and the code of the readers (edited readers read every file again)."""
    digest = hashlib.sha256(repr((format, fields)).encode("utf-8"))
    for name in _READER_CODE:
        path = _KG / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode() + b"\x00" + file.read_bytes())
    return digest.hexdigest()[:24]


def unchanged_files(files: Iterable[str | os.PathLike], known: Mapping[str, InputFile], *, options: str) -> dict[str, InputFile]:
    """Source name -> its record, for the ``files`` whose size, time and digest match
    their record in ``known`` (read with the same ``options``)."""
    found = {}
    for path in files:
        record = known.get(str(path))
        if record is None or record.options != options:
            continue
        try:
            stat = os.stat(path)
            if (stat.st_size, stat.st_mtime_ns) != (record.size, record.mtime_ns) or file_stamp(path)[2] != record.digest:
                continue
        except OSError:
            continue
        found[str(path)] = record
    return found


def collides(keys: FileKeys, others: Iterable[InputFile]) -> bool:
    """Whether a record with ``keys`` and one of ``others`` would be merged into one paper
    (`kg.merging.PaperMerger`: a shared strong key, or a shared title where one of the two
    has no strong key), in whichever order they come.

    Examples
    --------
    >>> a = InputFile("a", "", 0, 0, "", 1, 0, ("arxiv:1",), FileKeys(frozenset({"arxiv:1"}), frozenset({"title:t"})))
    >>> collides(FileKeys(frozenset({"doi:x"}), frozenset({"title:t"})), [a])  # two strong keys: two papers
    False
    >>> collides(FileKeys(frozenset(), frozenset({"title:t"}), frozenset({"title:t"})), [a])
    True
    """
    for other in others:
        if keys.strong & other.keys.strong or keys.titles & other.keys.weak_titles:
            return True
        if keys.weak_titles & other.keys.titles:
            return True
    return False
