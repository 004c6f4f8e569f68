"""Open one input (a path or a stream) as numbered, decoded lines, reporting what cannot be read.

Every reader goes through here, so a missing or unreadable file, a binary file and bytes
that are not UTF-8 are reported the same way whatever the format: file, line, what.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Union

from kg.problems import ProblemLog

__all__ = ["Input", "Line", "SourceText", "iter_lines", "read_text", "looks_binary", "text_head", "GZIP_MAGIC"]

Input = Union[str, os.PathLike, IO[bytes], IO[str]]

_SNIFF_BYTES = 8192
GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Line:
    """One line of an input, 1-based, without its line ending.

    ``valid`` is False when its bytes were not UTF-8: the problem is already reported and
    ``text`` holds U+FFFD in place of the bad bytes; readers skip the record it belongs to.
    """

    number: int
    text: str
    valid: bool = True


@dataclass(frozen=True)
class SourceText:
    """A whole input decoded at once, for formats whose records span lines."""

    text: str
    bad_lines: frozenset[int]

    def spans_bad_line(self, first: int, last: int) -> bool:
        """Whether any line from ``first`` to ``last`` (inclusive) had bad bytes."""
        return any(first <= number <= last for number in self.bad_lines)


def looks_binary(head: bytes) -> bool:
    """Whether the first bytes of a file look like a binary (non-text) file.

    Examples
    --------
    >>> looks_binary(b"title,abstract\\n"), looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    (False, True)
    """
    return b"\x00" in head


def text_head(head: bytes) -> bytes:
    """The first bytes of a file as UTF-8 text would start: gzip inflated, UTF-16 transcoded.

    Format detection looks at these, so ``works.jsonl.gz`` is told apart like ``works.jsonl``.

    Examples
    --------
    >>> import gzip
    >>> text_head(gzip.compress(b'{"title": "A"}')), text_head('title'.encode("utf-16"))
    (b'{"title": "A"}', b'title')
    """
    if head.startswith(GZIP_MAGIC):
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, _SNIFF_BYTES)
        except zlib.error:
            return head
    if head.startswith(_UTF16_BOMS):
        return head[: len(head) // 2 * 2].decode("utf-16", "ignore").encode("utf-8")
    return head


def _decoded_stream(handle: IO[bytes], head: bytes) -> IO[bytes]:
    """``handle`` itself, or a view of it as plain UTF-8 bytes (gzip inflated, UTF-16 transcoded)."""
    if head.startswith(GZIP_MAGIC):
        return io.BufferedReader(gzip.GzipFile(fileobj=handle, mode="rb"))  # inflated as read
    if head.startswith(_UTF16_BOMS):
        # Excel and Windows tools save "Unicode text" as UTF-16; such files are small.
        return io.BufferedReader(io.BytesIO(handle.read().decode("utf-16").encode("utf-8")))
    return handle


def _open_binary(stream_or_path: Input, source: str, problems: ProblemLog) -> IO[bytes] | None:
    if isinstance(stream_or_path, (str, os.PathLike)):
        path = Path(stream_or_path)
        if path.is_dir():
            problems.report(source, None, "is a directory, not a file")
            return None
        try:
            return open(path, "rb")
        except FileNotFoundError:
            problems.report(source, None, "no such file")
        except OSError as error:
            problems.report(source, None, f"cannot open: {error.strerror or error}")
        return None
    if isinstance(stream_or_path, io.TextIOBase):
        # Already decoded (e.g. a StringIO in a test): re-encode so one code path decodes.
        return io.BytesIO(stream_or_path.read().encode("utf-8", "surrogateescape"))
    return getattr(stream_or_path, "buffer", stream_or_path)


def iter_lines(stream_or_path: Input, *, source: str, problems: ProblemLog) -> Iterator[Line]:
    """The lines of one input, decoded as UTF-8 (a leading BOM is dropped), streamed.

    Gzip-compressed input (``.gz``, as OpenAlex snapshots come) is inflated on the fly;
    UTF-16 text with a byte-order mark is transcoded.

    A binary file is reported once and yields nothing; a line whose bytes are not UTF-8
    is reported (file, line, byte column) and yielded with ``valid=False``.

    Examples
    --------
    >>> import io
    >>> log = ProblemLog()
    >>> [(l.number, l.text, l.valid) for l in iter_lines(io.BytesIO(b"a\\r\\nb\\xff\\n"), source="x", problems=log)]
    [(1, 'a', True), (2, 'b\\ufffd', False)]
    >>> print(log.problems[0])
    x:2: not valid UTF-8 (byte 0xff at column 2)
    """
    handle = _open_binary(stream_or_path, source, problems)
    if handle is None:
        return
    owned = isinstance(stream_or_path, (str, os.PathLike))
    wrapped = not hasattr(handle, "peek")
    if wrapped:
        handle = io.BufferedReader(handle)  # type: ignore[arg-type]  # for peek()
    try:
        try:
            stream = _decoded_stream(handle, handle.peek(_SNIFF_BYTES)[:_SNIFF_BYTES])
            head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
        except (OSError, EOFError, UnicodeDecodeError) as error:
            problems.report(source, None, f"cannot read: {getattr(error, 'strerror', None) or error}")
            return
        if looks_binary(head):
            problems.report(source, None, "binary file, not text")
            return
        number = 0
        try:
            for raw in stream:
                number += 1
                if number == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                raw = raw.rstrip(b"\r\n")
                try:
                    yield Line(number, raw.decode("utf-8"))
                except UnicodeDecodeError as error:
                    problems.report(
                        source, number, f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at column {error.start + 1})"
                    )
                    yield Line(number, raw.decode("utf-8", "replace"), valid=False)
        except (OSError, EOFError) as error:  # also a truncated or corrupt gzip stream
            problems.report(source, number + 1, f"cannot read: {getattr(error, 'strerror', None) or error}")
    finally:
        if owned:
            handle.close()
        elif wrapped and not handle.raw.closed:
            handle.detach()  # the caller's stream stays open


def read_text(stream_or_path: Input, *, source: str, problems: ProblemLog) -> SourceText | None:
    """The whole input as one string (lines joined by ``\\n``), or None if it cannot be read."""
    reported_before = len(problems.problems)
    lines, bad = [], set()
    for line in iter_lines(stream_or_path, source=source, problems=problems):
        lines.append(line.text)
        if not line.valid:
            bad.add(line.number)
    if any(problem.line is None for problem in problems.problems[reported_before:]):
        return None
    return SourceText("\n".join(lines), frozenset(bad))
