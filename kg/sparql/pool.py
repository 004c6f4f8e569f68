"""Worker processes that answer queries, each stoppable at a time limit.

A running SPARQL query can be interrupted neither in rdflib nor in Oxigraph, so the
endpoint never runs one in its own process: it hands the query to a worker process
with the graph open read-only, waits at most the time limit, and on overrun kills that
worker and starts a fresh one, while the other workers go on serving.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib.term import Node

__all__ = ["Answer", "QueryTimeout", "PoolBusy", "QueryPool"]

_STARTUP_SECONDS = 60.0


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was stopped."""


class PoolBusy(Exception):
    """Every worker stayed busy for longer than the wait allowed."""


@dataclass(frozen=True)
class Answer:
    """A worker's reply: an HTTP status, a media type and the body (or an error message)."""

    status: int
    media_type: str
    body: bytes


def _answer(store, request: tuple, allow_service: bool = False) -> Answer:
    from kg.sparql.engine import QueryError, ResultTooLarge, UpdateRefused, run_query
    from kg.sparql.formats import MEDIA_TYPES, format_result

    query, bindings, result_format, graph_format, max_rows = request
    try:
        result = run_query(store, query, bindings=bindings, max_rows=max_rows, allow_service=allow_service)
    except UpdateRefused as error:
        return Answer(403, "text/plain; charset=utf-8", f"{error}\n".encode())
    except ResultTooLarge as error:
        return Answer(400, "text/plain; charset=utf-8", f"{error}\n".encode())
    except QueryError as error:
        return Answer(400, "text/plain; charset=utf-8", f"{error}\n".encode())
    kind = "graph" if result.kind == "graph" else "select"
    fmt = graph_format if kind == "graph" else result_format
    try:
        body = format_result(result, fmt).encode("utf-8")
    except QueryError as error:  # e.g. characters XML 1.0 cannot carry
        return Answer(406, "text/plain; charset=utf-8", f"{error}\n".encode())
    return Answer(200, MEDIA_TYPES[(kind, fmt)], body)


def _worker(connection, directory: str, allow_service: bool = False) -> None:
    """Worker process: open the store read-only, then answer requests until the pipe closes."""
    from kg.sparql.diskstore import open_read_only

    store = open_read_only(directory)
    connection.send("ready")
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer = _answer(store, request, allow_service)
        except Exception as error:  # a bug must cost one request, not the worker
            answer = Answer(500, "text/plain; charset=utf-8", f"internal error: {error}\n".encode())
        connection.send(answer)


class _Worker:
    def __init__(self, context, directory: str, allow_service: bool):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, directory, allow_service), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        if not self.ready:
            if not self.connection.poll(_STARTUP_SECONDS) or self.connection.recv() != "ready":
                raise RuntimeError("a query worker did not start")
            self.ready = True

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """``workers`` processes over the Oxigraph store in ``directory``.

    ``execute`` blocks the calling thread (run it off the event loop) for at most
    ``queue_wait`` seconds for a free worker plus ``timeout`` seconds for the answer.
    SERVICE (federated) clauses are refused unless ``allow_service``.
    """

    def __init__(self, directory: str | Path, *, workers: int = 2, timeout: float = 10.0, queue_wait: float = 30.0,
                 allow_service: bool = False):
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.directory, self.timeout, self.queue_wait = str(directory), timeout, queue_wait
        self.allow_service = allow_service
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(workers):
            self._add()
        for worker in list(self._all):
            worker.wait_ready()

    def _add(self) -> None:
        with self._lock:
            if self._closed:
                return
            worker = _Worker(self._context, self.directory, self.allow_service)
            self._all.add(worker)
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        self._add()

    def execute(
        self,
        query: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        result_format: str = "json",
        graph_format: str = "turtle",
        max_rows: int | None = None,
    ) -> Answer:
        """Answer one query in a worker; raises `QueryTimeout` or `PoolBusy`."""
        try:
            worker = self._idle.get(timeout=self.queue_wait)
        except queue.Empty:
            raise PoolBusy(f"all workers stayed busy for {self.queue_wait:g} s") from None
        try:
            worker.wait_ready()
            worker.connection.send((query, dict(bindings or {}), result_format, graph_format, max_rows))
            if not worker.connection.poll(self.timeout):
                self._retire(worker)
                raise QueryTimeout(f"the query ran past the {self.timeout:g} s limit and was stopped")
            answer = worker.connection.recv()
        except (EOFError, OSError, RuntimeError):
            self._retire(worker)
            return Answer(500, "text/plain; charset=utf-8", b"the query worker died; try again\n")
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()
