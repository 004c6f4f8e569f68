"""Turn a serialiser that writes to a file into a generator of byte chunks.

pyoxigraph and rdflib serialisers push bytes into a file object; exporters must instead
*yield* chunks so a caller can stream a large graph to a file, a socket or stdout
without the whole text in memory. The serialiser runs in a worker thread writing into a
bounded queue, so at most ``queue_size`` chunks are held at any time.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import BinaryIO

__all__ = ["chunks_from_writer"]

_DONE = object()


class _Cancelled(Exception):
    """The consumer stopped reading: the worker unwinds the serialiser."""


class _QueueWriter:
    """A write-only binary file whose writes are gathered into chunks and queued."""

    def __init__(self, chunks: queue.Queue, chunk_size: int, cancelled: threading.Event):
        self._chunks = chunks
        self._chunk_size = chunk_size
        self._cancelled = cancelled
        self._buffer = bytearray()

    def write(self, data: bytes | str) -> int:
        self._buffer += data.encode("utf-8") if isinstance(data, str) else data
        if len(self._buffer) >= self._chunk_size:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._put(bytes(self._buffer))
            self._buffer.clear()

    def _put(self, item: object) -> None:
        while True:
            if self._cancelled.is_set():
                raise _Cancelled
            try:
                self._chunks.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def finish(self, error: BaseException | None) -> None:
        if error is None:
            self.flush()
        self._put(error if error is not None else _DONE)


def chunks_from_writer(
    write: Callable[[BinaryIO], None], *, chunk_size: int = 1 << 16, queue_size: int = 8
) -> Iterator[bytes]:
    """Yield what ``write(file)`` writes, in chunks of about ``chunk_size`` bytes.

    An exception raised by ``write`` is raised again in the consumer; closing the
    generator early stops the worker.

    Examples
    --------
    >>> def write(out):
    ...     for n in range(3):
    ...         out.write(f"line {n}\\n".encode())
    >>> b"".join(chunks_from_writer(write))
    b'line 0\\nline 1\\nline 2\\n'
    >>> len(list(chunks_from_writer(write, chunk_size=7)))
    3
    """
    chunks: queue.Queue = queue.Queue(maxsize=queue_size)
    cancelled = threading.Event()
    writer = _QueueWriter(chunks, chunk_size, cancelled)

    def work() -> None:
        try:
            write(writer)  # type: ignore[arg-type]
        except _Cancelled:
            return
        except BaseException as error:  # handed to the consumer, raised there
            try:
                writer.finish(error)
            except _Cancelled:
                pass
            return
        try:
            writer.finish(None)
        except _Cancelled:
            pass

    worker = threading.Thread(target=work, name="kg-export-writer", daemon=True)
    worker.start()
    try:
        while True:
            item = chunks.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        cancelled.set()
        worker.join()
