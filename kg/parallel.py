"""Extraction in batches: in this process, in a pool of worker processes, or (see `kg.distributed`) on Dask.

Every executor takes batches of ``(paper id, title, abstract)`` and yields, batch by
batch, ``(paper id, record JSON)`` pairs as they are done (completion order, not input
order: the caller stores them by id). The spaCy pipeline is loaded once per process by
`worker_pipeline` (a per-process cache) and never sent with a task; records come back
as JSON text, made in the worker, so the parent only writes them down. At most
``2 * workers`` batches are in flight: memory stays flat however long the corpus.

Examples
--------
>>> batches = [[("p1", "LoRA-Pro: better adapters", "We propose LoRA-Pro.")]]
>>> [[(pid, json.loads(record)["entities"][0]["name"]) for pid, record in batch]
...  for batch in extract_batches(batches, profile="fast")]
[[('p1', 'LoRA-Pro')]]
"""

from __future__ import annotations

import contextlib
import functools
import json
import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

__all__ = ["Item", "Done", "worker_pipeline", "extract_batch", "extract_batches", "batched", "start_workers",
           "workers_worth_starting", "WORKER_START_PAPERS"]

Item = tuple[str, str, str]  # paper id, title, abstract
Done = list[tuple[str, str]]  # paper id, record JSON


@functools.cache
def worker_pipeline(profile: str):
    """The spaCy pipeline of ``profile``, loaded on the first call in each process."""
    from extractors.pipeline import load_pipeline

    return load_pipeline(profile)


def extract_batch(items: Sequence[Item], profile: str) -> Done:
    """Extract one batch with this process's pipeline; records as JSON text."""
    from extractors.pipeline import extract

    nlp = worker_pipeline(profile)
    return [(record.paper_id, json.dumps(record.to_json(), ensure_ascii=False))
            for record in extract(nlp, items)]


def batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """``items`` in lists of ``size`` (the last one shorter).

    Examples
    --------
    >>> [len(b) for b in batched((("p", "", "") for _ in range(5)), 2)]
    [2, 2, 1]
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _bounded(submit, batches: Iterable[list[Item]], in_flight: int) -> Iterator[Done]:
    """Submit ``batches`` keeping at most ``in_flight`` running; yield results as they finish."""
    pending: set[Future] = set()
    source = iter(batches)
    exhausted = False
    while pending or not exhausted:
        while not exhausted and len(pending) < in_flight:
            batch = next(source, None)
            if batch is None:
                exhausted = True
            else:
                pending.add(submit(batch))
        if pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def _loaded(profile: str) -> None:
    worker_pipeline(profile)


# About as many papers as one worker's start costs to extract (spaCy's import and the
# pipeline's load, 1.1 to 1.2 CPU-s plus the interpreter's; a `fast` abstract takes about
# 1 ms, an `accurate` one 6 ms): a worker given fewer costs more CPU than it saves.
WORKER_START_PAPERS = {"fast": 1_000, "accurate": 200}


def workers_worth_starting(profile: str, workers: int, papers: int | None) -> int:
    """How many of ``workers`` to start for about ``papers`` papers (None: unknown, all of them):
    at least one, and one more per `WORKER_START_PAPERS` of the profile.

    Examples
    --------
    >>> workers_worth_starting("fast", 2, 1_000), workers_worth_starting("fast", 2, 5_000)
    (1, 2)
    >>> workers_worth_starting("accurate", 4, 1_000), workers_worth_starting("fast", 4, None)
    (4, 4)
    """
    if papers is None:
        return workers
    return max(1, min(workers, papers // WORKER_START_PAPERS.get(profile, 1)))


def start_workers(profile: str, workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, started now, each loading the pipeline of ``profile``
    (a second or two) before any batch is known: `kg.build` starts it before it reads the
    input, so the loading runs beside the reading. The caller shuts it down.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    # spawn: a fresh interpreter per worker, safe whatever threads this process runs
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=worker_pipeline, initargs=(profile,))
    for _ in range(workers):  # a spawn pool starts a process per submitted task while none is idle
        pool.submit(_loaded, profile)
    return pool


def extract_batches(batches: Iterable[list[Item]], *, profile: str, workers: int = 1,
                    pool: ProcessPoolExecutor | None = None) -> Iterator[Done]:
    """Extract ``batches`` in this process (``workers=1``), in ``workers`` processes, or in
    ``pool`` (`start_workers` of the same ``profile`` and ``workers``; left running for the caller to shut down)."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if workers == 1 and pool is None:
        for batch in batches:
            yield extract_batch(batch, profile)
        return
    with start_workers(profile, workers) if pool is None else contextlib.nullcontext(pool) as running:
        yield from _bounded(lambda batch: running.submit(extract_batch, batch, profile), batches, 2 * workers)
