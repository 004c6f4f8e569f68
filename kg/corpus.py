"""Read a corpus: expand the inputs, read each with its format's reader, merge duplicates.

`read_corpus` is the library entry point behind ``kg papers`` and the first stage of
``kg build``. With no inputs it reads the bundled sample corpus (`bundled_corpus_paths`).
Given the files an earlier build read (``known``, `kg.inputfiles`), it parses only the
files that changed since.
"""

from __future__ import annotations

import glob
import io
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kg.inputfiles import FileKeys, InputFile, collides, file_stamp, reader_options, unchanged_files
from kg.merging import PaperMerger
from kg.papers import Paper
from kg.problems import Problem, ProblemLog
from kg.readers import UnknownFormat, detect_format, get_reader, has_known_extension
from kg.readers.fields import FieldNames
from kg.readers.source import text_head

__all__ = ["Corpus", "read_corpus", "bundled_corpus_paths", "expand_inputs", "paper_to_json", "STDIN"]

STDIN = "-"
# Seconds before the progress bar appears: short reads stay silent.
PROGRESS_DELAY_SECONDS = 1.0
_HEAD_BYTES = 8192


@dataclass(frozen=True)
class Corpus:
    """The distinct papers of a run and what it took to get them.

    ``read`` counts records read as papers (duplicates included), ``skipped`` the bad
    records and files reported in ``problems``, ``merged`` the records folded into a
    paper seen before (so ``len(papers) == read - merged``).
    """

    papers: tuple[Paper, ...]
    read: int
    skipped: int
    merged: int
    problems: tuple[Problem, ...] = ()
    seconds: float = 0.0
    unchanged: tuple[str, ...] = ()  # ids of the papers of files not parsed again (`known` to read_corpus)
    files: tuple[InputFile, ...] = ()  # with ``known``: the files a later read may skip while unchanged

    def __len__(self) -> int:
        return len(self.papers)

    def __iter__(self) -> Iterator[Paper]:
        return iter(self.papers)

    def summary(self) -> str:
        """The one-line summary the CLI prints."""
        count = len(self.papers)
        return (
            f"{count} paper{'' if count == 1 else 's'}: {self.read} read, {self.skipped} skipped, "
            f"{self.merged} merged duplicates, {self.seconds:.2f} s"
        )


def bundled_corpus_paths() -> list[Path]:
    """The files of the sample corpus shipped in ``kg/data/corpus`` (sorted).

    Examples
    --------
    >>> [p.name for p in bundled_corpus_paths()][:2]
    ['000_ebb1657ee17f67e7.txt', '001_69fe183987fee008.txt']
    """
    folder = resources.files("kg.data").joinpath("corpus")
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".txt"))


def _visible(path: Path, root: Path, pattern_parts: Sequence[str] = ()) -> bool:
    """Not hidden below ``root`` (unless the pattern names dot files, as glob does)."""
    if any(part.startswith(".") for part in pattern_parts):
        return True
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def _walk(root: Path, pattern: str, problems: ProblemLog) -> list[Path]:
    """Files under ``root`` matching ``pattern``, never through a link that leads outside
    ``root`` (reported). pathlib does not follow linked directories for ``**``, so a link
    loop cannot make the walk explode as `glob.glob` would.
    """
    inside, top = [], root.resolve()
    for path in sorted(root.glob(pattern)):
        if not path.is_file() or not _visible(path, root, Path(pattern).parts):
            continue
        if not path.resolve().is_relative_to(top):
            problems.report(str(path), None, f"links outside {root}; skipped")
            continue
        inside.append(path)
    return inside


def _split_pattern(text: str) -> tuple[Path, str]:
    """(the directory a glob pattern starts from, the pattern below it)."""
    parts = Path(text).parts
    first_magic = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    return Path(*parts[:first_magic]) if first_magic else Path("."), str(Path(*parts[first_magic:]))


def expand_inputs(inputs: Iterable[str | Path], problems: ProblemLog) -> list[str | Path]:
    """Files named by ``inputs``: directories walked (sorted; files with a known extension,
    hidden ones left out), globs expanded, ``-`` kept for stdin. A path that matches
    nothing is reported. Walks and globs never follow a link out of the directory they
    start from (such files are reported); a file named explicitly is read as named.
    """
    found: list[str | Path] = []
    for item in inputs:
        text = str(item)
        if text == STDIN:
            found.append(STDIN)
            continue
        path = Path(text)
        if path.is_dir():
            found.extend(p for p in _walk(path, "**/*", problems) if has_known_extension(p))
        elif path.exists():
            found.append(path)
        elif glob.has_magic(text):
            matches = _walk(*_split_pattern(text), problems)
            if not matches:
                problems.report(text, None, "no file matches this pattern")
            found.extend(matches)
        else:
            problems.report(text, None, "no such file or directory")
    return found


def _open_input(item: str | Path) -> tuple[str, object, bytes]:
    """(source name, what to give the reader, first bytes for format detection)."""
    if item == STDIN:
        data = sys.stdin.buffer.read()
        return "<stdin>", io.BytesIO(data), text_head(data[:_HEAD_BYTES])
    path = Path(item)
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        head = b""  # the reader reports why it cannot open the file
    return str(path), path, text_head(head)


def _papers_of(item: str | Path, format: str | None, names: FieldNames, problems: ProblemLog) -> Iterator[Paper]:
    source, target, head = _open_input(item)
    try:
        reader = get_reader(format or detect_format(source if item != STDIN else "", head))
    except UnknownFormat as error:
        problems.report(source, None, str(error).removeprefix(f"{source}: "))
        return
    yield from reader(target, source=source, problems=problems, fields=names)


@dataclass
class _Read:
    """What reading some files gave: the merged papers, counts, and per file what `InputFile` records."""

    merger: PaperMerger
    read: int = 0
    files: list | None = None  # per file read: [path, stamp, records, merged, raw papers, slots, clean]

    def keys(self) -> FileKeys:
        return FileKeys.of(paper for file in self.files for paper in file[4])

    def records(self, options: str) -> list[InputFile]:
        """`InputFile` records of the files read cleanly: none of their papers merged with another file's."""
        papers = self.merger.papers()
        owner: dict[int, set[int]] = {}
        for index, file in enumerate(self.files):
            for slot in file[5]:
                owner.setdefault(slot, set()).add(index)
        found = []
        for index, (path, stamp, read, merged, raw, slots, clean) in enumerate(self.files):
            if clean and stamp is not None and all(owner[slot] == {index} for slot in slots):
                ids = tuple(dict.fromkeys(papers[slot].id for slot in slots))
                found.append(InputFile(str(path), options, *stamp, read=read, merged=merged, ids=ids, keys=FileKeys.of(raw)))
        return found


def _read(files: Sequence[str | Path], format: str | None, names: FieldNames, problems: ProblemLog, bar,
          *, track: bool) -> _Read:
    done = _Read(PaperMerger(), files=[] if track else None)
    for item in files:
        reported, before = len(problems.problems), done.merger.merged
        stamp = None
        if track and item != STDIN:
            try:
                stamp = file_stamp(item)
            except OSError:
                pass  # the reader reports it
        raw, slots = [], set()
        for paper in _papers_of(item, format, names, problems):
            slot = done.merger.add(paper)
            done.read += 1
            if track:
                raw.append(paper)
                slots.add(slot)
            if bar is not None:
                bar.update()
        if track:
            clean = len(problems.problems) == reported
            done.files.append([item, stamp, len(raw), done.merger.merged - before, raw, slots, clean])
    return done


def read_corpus(
    inputs: Sequence[str | Path] = (),
    *,
    format: str | None = None,
    fields: FieldNames | Mapping[str, str] | Sequence[str] | None = None,
    strict: bool = False,
    progress: bool = False,
    known: Mapping[str, InputFile] | None = None,
) -> Corpus:
    """Read papers from files, directories, globs or ``-`` (stdin); none = the bundled corpus.

    Parameters
    ----------
    inputs : paths, directory names, glob patterns or ``-``.
    format : a reader name (see `kg.readers.FORMATS`) used for every input; default:
        detected per file from its extension and content.
    fields : which source keys hold the paper fields (``{"title": "ttl"}`` or
        ``["title=ttl"]``), for the JSON and CSV readers.
    strict : raise `kg.problems.InputError` at the first problem instead of skipping.
    progress : show a progress bar on stderr if reading takes more than a second.
    known : the `Corpus.files` of an earlier read (source name -> `InputFile`): files whose
        size, time and bytes are unchanged are not parsed, their papers' ids are returned as
        ``unchanged`` (their papers are the caller's already), and ``files`` holds the
        records for the next read. Every file is parsed when one of the others has a
        paper that would merge with a paper of an unchanged file.

    Examples
    --------
    >>> corpus = read_corpus()
    >>> len(corpus.papers), corpus.read, corpus.merged, corpus.skipped
    (396, 464, 68, 0)
    """
    started = time.perf_counter()
    if format is not None:
        get_reader(format)  # an unknown format name is the caller's error, not the input's
    names = fields if isinstance(fields, FieldNames) else FieldNames.parse(fields)
    problems = ProblemLog(strict=strict)
    files: list[str | Path] = list(bundled_corpus_paths()) if not inputs else expand_inputs(inputs, problems)
    bar = _progress_bar(progress)
    reused: dict[str, InputFile] = {}
    try:
        if known is None:
            done = _read(files, format, names, problems, bar, track=False)
        else:
            options = reader_options(format, names)
            reused = unchanged_files([f for f in files if f != STDIN], known, options=options)
            done = _read([f for f in files if str(f) not in reused], format, names, problems, bar, track=True)
            if reused and collides(done.keys(), reused.values()):
                reused = {}  # a paper read now merges with one read before: read everything, as a fresh build would
                done = _read(files, format, names, problems, bar, track=True)
    finally:
        if bar is not None:
            bar.close()
    return Corpus(
        papers=done.merger.papers(),
        read=done.read + sum(f.read for f in reused.values()),
        skipped=problems.skipped,
        merged=done.merger.merged + sum(f.merged for f in reused.values()),
        problems=tuple(problems.problems),
        seconds=time.perf_counter() - started,
        unchanged=tuple(pid for f in reused.values() for pid in f.ids),
        files=(*reused.values(), *done.records(options)) if known is not None else (),
    )


def _progress_bar(enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(desc="reading papers", unit=" papers", file=sys.stderr, delay=PROGRESS_DELAY_SECONDS, leave=False)


def paper_to_json(paper: Paper) -> dict:
    """The JSON object of a paper as ``kg papers`` prints it and ``papers.jsonl`` stores it.

    Examples
    --------
    >>> from kg.papers import SourceLocation
    >>> paper_to_json(Paper("title:1", "T", "A", sources=(SourceLocation("a.txt", 3),)))["sources"]
    ['a.txt:3']
    """
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "date": paper.date,
        "authors": list(paper.authors),
        "urls": list(paper.urls),
        "categories": list(paper.categories),
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "sources": [str(location) for location in paper.sources],
    }
