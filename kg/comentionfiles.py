"""The analytics' co-mention link files, written in a second process while the measures are computed.

A large graph's links (hundreds of thousands) fill ``comentions.csv`` and most of
``analytics.ttl``; writing them is text work that needs only the links and the entity
labels, known before centrality and communities are. `LinkFileWriter` hands that work to
a second process as soon as the links are ranked, so on two cores it runs beside the
igraph measures instead of after them; the bytes are those written in one process. Where
it can (`kg.analytics.forked.can_fork`: the analytics helper of a large build), that is a
forked child, which has the links and labels already and imports nothing: a new
interpreter spent 1.6 CPU-s importing and 0.3 s of the helper's critical path on pickling,
both while the mention table was counted. Elsewhere it is a helper interpreter. The module
sits outside `kg.analytics` so that a helper interpreter imports neither NetworkX nor SciPy
(the package imports its entry points): it starts in 0.2 CPU-s instead of 0.8.

Examples
--------
>>> import pathlib, tempfile
>>> from kg.analytics.comention import CoMentionLink
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> write_comentions_csv(out / "comentions.csv", link_columns([CoMentionLink("urn:a", "urn:b", 2, 0.5, 1.0)]),
...                      {"urn:a": "A, with a comma", "urn:b": "B"})
>>> print((out / "comentions.csv").read_text().splitlines()[1])
urn:a,"A, with a comma",urn:b,B,2,0.5,1.0
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kg import helperprocess
from kg.atomic import atomic_write
from kg.csvcells import text_cell
from kg.helperprocess import check_starter, start_helper
from kg.parallel import batched
from kg.vocab import KG

if TYPE_CHECKING:  # not imported at run time: the helper process stays clear of NetworkX
    from kg.analytics.comention import CoMentionLink

__all__ = ["COMENTIONS_CSV", "LinkFileWriter", "comention_name", "comention_ntriples", "comention_turtle", "link_columns",
           "turtle_prefixes", "write_comentions_csv", "write_link_statements"]

log = logging.getLogger("kg.analytics")

COMENTIONS_CSV = "comentions.csv"
LINKS_PART = ".analytics-links.ttl.part"  # analytics.ttl's prefixes and co-mention lines, until joined to the rest

Columns = tuple[list[str], list[str], list[int], list[float], list[float]]
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def link_columns(links: Sequence[CoMentionLink]) -> Columns:
    """Sources, targets, supports, NPMI and Jaccard values of ``links``, as five lists (what the writers take)."""
    columns = getattr(links, "columns", None)  # kg.analytics.linkarrays.RankedLinks has them as arrays
    if columns is not None:
        return columns()
    return ([l.source for l in links], [l.target for l in links], [l.support for l in links],
            [l.npmi for l in links], [l.jaccard for l in links])


def value_texts(links: Columns) -> tuple[list[str], list[str]]:
    """The NPMI and Jaccard values of ``links`` as the link files write them (``repr``: the
    shortest text that reads back as the same double), made once for both files."""
    return list(map(repr, map(float, links[3]))), list(map(repr, map(float, links[4])))


def write_comentions_csv(path: Path, links: Columns, labels: Mapping[str, str], *,
                         texts: tuple[list[str], list[str]] | None = None) -> None:
    """``comentions.csv``: a row per link; each entity's IRI and label quoted once by the csv
    module, the rows joined as text (what `csv.writer` writes, 5 times faster). ``texts``:
    `value_texts` of ``links``, when the caller has them."""
    sources, targets, supports, _, _ = links
    npmis, jaccards = texts if texts is not None else value_texts(links)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    cells = {}  # IRI -> its two cells
    for iri in {*sources, *targets}:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([iri, text_cell(labels[iri])])
        cells[iri] = buffer.getvalue()[:-2]  # without the "\r\n"
    with atomic_write(path, newline="") as handle:
        csv.writer(handle).writerow(["source", "source_label", "target", "target_label", "support", "npmi", "jaccard"])
        for rows in batched(zip(sources, targets, supports, npmis, jaccards), 20_000):
            handle.write("".join(f"{cells[a]},{cells[b]},{n},{m},{j}\r\n" for a, b, n, m, j in rows))
        check_starter(path)


def comention_ntriples(links: Columns, *, base: str, texts: tuple[list[str], list[str]] | None = None) -> Iterator[str]:
    """The N-Triples lines of each link (`kg.analytics.writeback.analytics_triples`'s), a chunk
    per link. ``texts``: `value_texts` of ``links``, when the caller has them."""
    sources, targets, supports, _, _ = links
    npmis, jaccards = texts if texts is not None else value_texts(links)
    kind, of = f"> <{_RDF_TYPE}> <{KG.CoMention}> .\n", f"> <{KG.coMentionOf}> "
    support, npmi, jaccard = f"> <{KG.support}> ", f"> <{KG.npmi}> ", f"> <{KG.jaccard}> "
    double, integer, prefix = f"^^<{_XSD}double>", f"^^<{_XSD}integer>", f"<{base}comention/"
    for a, b, n, m, j in zip(sources, targets, supports, npmis, jaccards):
        s = prefix + comention_name(a, b)
        yield (f"{s}{kind}{s}{of}<{a}> .\n{s}{of}<{b}> .\n{s}{support}\"{int(n)}\"{integer} .\n"
               f'{s}{npmi}"{m}"{double} .\n{s}{jaccard}"{j}"{double} .\n')


def comention_name(a: str, b: str) -> str:
    """The last segment of the IRI of the link between ``a`` and ``b`` (`kg.analytics.writeback.comention_iri`),
    whichever order they come in."""
    first, second = (a, b) if a <= b else (b, a)
    return hashlib.sha1(f"{first}\n{second}".encode("utf-8")).hexdigest()[:16]


def write_link_statements(handle: BinaryIO, links: Columns, *, base: str,
                          texts: tuple[list[str], list[str]] | None = None) -> None:
    """`turtle_prefixes` and the `comention_turtle` statements of ``links``, into a binary file."""
    handle.write(turtle_prefixes(base).encode("utf-8"))
    for chunk in batched(comention_turtle(links, base=base, texts=texts), 20_000):
        handle.write("".join(chunk).encode("utf-8"))


def turtle_prefixes(base: str) -> str:
    """The prefix lines `comention_turtle` statements need: the head of the file that holds them."""
    return f"@prefix c: <{base}comention/> .\n@prefix kg: <{KG}> .\n@prefix xsd: <{_XSD}> .\n"


def comention_turtle(links: Columns, *, base: str, texts: tuple[list[str], list[str]] | None = None) -> Iterator[str]:
    """The triples of `comention_ntriples` as Turtle under `turtle_prefixes` (``base``: the
    same), one statement of one line per link: 260 bytes a link instead of 900, and half the CPU
    (at 100,000 papers, 642,000 links: 165 MB and 1.7 CPU-s instead of 575 MB and 3.3)."""
    sources, targets, supports, _, _ = links
    npmis, jaccards = texts if texts is not None else value_texts(links)
    for a, b, n, m, j in zip(sources, targets, supports, npmis, jaccards):
        yield (f'c:{comention_name(a, b)} a kg:CoMention ; kg:coMentionOf <{a}>, <{b}> ; kg:support {int(n)} ; '
               f'kg:npmi "{m}"^^xsd:double ; kg:jaccard "{j}"^^xsd:double .\n')


def _write_link_files(out: str, columns: Columns, labels: dict[str, str], base: str) -> None:
    """``comentions.csv`` and the head of ``analytics.ttl``, its prefixes and co-mention
    statements (`LINKS_PART`), in the helper process."""
    out = Path(out)
    if len(columns) == 6:  # `RankedLinks.arrays`
        from kg.analytics.linkarrays import columns_of_arrays

        columns = columns_of_arrays(*columns)
    texts = value_texts(columns)
    write_comentions_csv(out / COMENTIONS_CSV, columns, labels, texts=texts)
    with atomic_write(out / LINKS_PART, "wb") as handle:
        write_link_statements(handle, columns, base=base, texts=texts)
        check_starter(out / LINKS_PART)


def _write_link_files_forked(parent: int, *job) -> Path:
    """`_write_link_files` in a child forked by ``parent`` (the files are left alone if that
    parent is gone), or in ``parent`` itself when the child failed."""
    if helperprocess._starter is not None and os.getpid() != parent:
        helperprocess._starter = parent  # in a helper's child: it answers to the helper, as a helper it started would
    _write_link_files(*job)
    return Path(job[0]) / LINKS_PART


def _serve() -> None:
    """The helper process: the arguments of `_write_link_files` pickled on stdin (nothing: no work)."""
    try:
        job = pickle.load(sys.stdin.buffer)
    except EOFError:
        return
    _write_link_files(*job)


class LinkFileWriter:
    """Writes the link files of one analytics run in a second process.

    Made before the analysis starts; `start` is `kg.analytics.analyze_mentions`'s
    ``links_ready`` hook; `finish` waits and gives the path of the co-mention lines, or None
    when the caller is to write both files (few links, or a failed helper). Where
    `kg.analytics.forked.can_fork`, `start` forks a child that writes them (a child that
    fails leaves them to `finish`, which writes them here); elsewhere a helper interpreter
    (`kg.helperprocess`), started at construction so that it imports while the mention
    table is read, is fed by a pipe. Use it as a context manager: the second process is
    waited for and the partial file removed however the run ends.
    """

    def __init__(self, out: str | Path, *, labels: Mapping[str, str], base: str, background: bool = True,
                 least_links: int = 1):
        from kg.analytics.forked import can_fork  # not at import: a helper interpreter stays clear of NetworkX

        self.out, self.labels, self.base, self.least_links = Path(out), labels, base, least_links
        self._helper: subprocess.Popen | None = None
        self._child = None  # the `kg.analytics.forked.Forked` writing the files
        self._fork = background and can_fork()
        self.started = False
        if background and not self._fork:  # None when no interpreter starts: the caller writes the files
            self._helper = start_helper("kg.comentionfiles", "_serve", stdin=subprocess.PIPE)

    def start(self, links: Sequence[CoMentionLink]) -> None:
        """Hand ``links`` (ranked, as written) to the second process when there are ``least_links`` or more."""
        if (self._helper is None and not self._fork) or len(links) < self.least_links:
            return
        arrays = getattr(links, "arrays", None)  # kg.analytics.linkarrays.RankedLinks: handed over as arrays
        if arrays is not None:
            # numpy buffers pickle in a blink; the helper makes the lists of IRIs (seconds for millions of links)
            columns = arrays()
            labels = {iri: self.labels[iri] for iri in columns[0]}
        else:
            columns = link_columns(links)
            labels = {iri: self.labels[iri] for iri in {*columns[0], *columns[1]}}
        job = (str(self.out), columns, labels, self.base)
        if self._fork:
            from kg.analytics.forked import Forked

            self._child = Forked(_write_link_files_forked, os.getpid(), *job)
            self.started = True
            return
        try:
            pickle.dump(job, self._helper.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._helper.stdin.close()
        except OSError:  # the helper is gone (it says why on stderr): the caller writes the files
            log.warning("the helper process for %s ended early: written here instead", self.out / COMENTIONS_CSV)
            self._helper.kill()
            self._helper.wait()
            self._helper = None
            return
        self.started = True

    def finish(self) -> Path | None:
        """Wait for the second process; the path of the co-mention lines, or None when the
        caller is to write both files (few links, or the helper failed: it says why on stderr)."""
        if self._child is not None:
            child, self._child = self._child, None
            return child.result()  # a child that failed: written here, by the same function
        if self._helper is None:
            return None
        if not self._helper.stdin.closed:
            self._helper.stdin.close()  # no work: the helper ends
        status = self._helper.wait()
        if not self.started:
            return None
        if status != 0:
            log.warning("the helper process writing %s failed (exit status %d): written here instead",
                        self.out / COMENTIONS_CSV, status)
            return None
        return self.out / LINKS_PART

    def __enter__(self) -> "LinkFileWriter":
        return self

    def __exit__(self, *exc) -> None:
        child, self._child = self._child, None
        if child is not None:  # the run failed before finish(): the child is stopped and reaped
            child.discard()
        helper = self._helper
        if helper is not None:  # the run failed before finish(): the helper ends (no work) or completes
            if not helper.stdin.closed:
                helper.stdin.close()
            helper.wait()
        (self.out / LINKS_PART).unlink(missing_ok=True)
