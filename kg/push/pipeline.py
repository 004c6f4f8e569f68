"""Send batches with a few requests in flight, so the store and kg work at the same time.

A store spends most of a push parsing and indexing; kg meanwhile prepares the next
batch. With ``concurrency`` requests in flight both stay busy. Batches are journalled as
they are acknowledged, so a failure leaves an exact record even if later batches landed
first. With ``replace``, a batch continuing a graph begun in an earlier batch waits for
everything in flight: the earlier batch empties the graph, and must not do so after the
continuation has landed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from kg.push.batches import Batch
from kg.push.errors import PushAuthError, PushError, PushFailed
from kg.push.journal import PushJournal

__all__ = ["SendOutcome", "send_batches"]


@dataclass
class SendOutcome:
    """Batches acknowledged (0-based indexes, this run and earlier runs), sent now, skipped."""

    landed: list[int] = field(default_factory=list)
    sent: int = 0
    resumed: int = 0


def send_batches(
    batches: Iterable[Batch],
    *,
    send: Callable[[Batch], None],
    journal: PushJournal,
    concurrency: int,
    replace: bool,
    on_landed: Callable[[Batch, bool], None],
) -> SendOutcome:
    """Send every batch not in ``journal``; raise `PushFailed` saying what landed on failure.

    ``on_landed(batch, sent_now)`` is called, in the calling thread, for each batch that is
    in the store: sent now, or found in the journal.
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, not {concurrency}")
    outcome = SendOutcome()
    in_flight: deque[tuple[Batch, Future]] = deque()
    failure: tuple[PushError, Batch] | None = None

    def settle_oldest() -> None:
        nonlocal failure
        batch, future = in_flight.popleft()
        try:
            future.result()
        except PushAuthError:
            raise
        except PushError as error:
            failure = failure or (error, batch)
            return
        journal.record(batch)
        outcome.sent += 1
        outcome.landed.append(batch.index)
        on_landed(batch, True)

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="kg-push") as pool:
        try:
            for batch in batches:
                if batch in journal:
                    outcome.resumed += 1
                    outcome.landed.append(batch.index)
                    on_landed(batch, False)
                    continue
                continues_graph = bool(batch.parts) and not batch.parts[0].starts_graph
                while in_flight and (len(in_flight) >= concurrency or (replace and continues_graph)):
                    settle_oldest()
                if failure is not None:
                    break
                in_flight.append((batch, pool.submit(send, batch)))
            while in_flight:
                settle_oldest()
        finally:
            for _, future in in_flight:  # an auth error: let the rest finish or fail quietly
                future.cancel()
    if failure is not None:
        error, batch = failure
        raise _failure(error, batch, sorted(outcome.landed), journal) from error
    return outcome


def _failure(error: PushError, batch: Batch, landed: list[int], journal: PushJournal) -> PushFailed:
    how = (
        f"re-run the same command to resume (journal: {journal.path})"
        if journal.path is not None
        else "no journal was kept, so a re-run sends everything again (harmless: inserts are idempotent)"
    )
    graphs = ", ".join(part.graph_key for part in batch.parts[:3]) + (", ..." if len(batch.parts) > 3 else "")
    message = (
        f"push stopped at batch {batch.index + 1}/{batch.total} (graphs {graphs}): {error}\n"
        f"{len(landed)} of {batch.total} batches landed ({_ranges(landed)}); {how}"
    )
    return PushFailed(message, landed=landed, total_batches=batch.total, journal=None if journal.path is None else str(journal.path))


def _ranges(indexes: list[int]) -> str:
    """``[0, 1, 2, 5]`` -> ``"batches 1-3, 6"`` (1-based, as people count).

    Examples
    --------
    >>> _ranges([0, 1, 2, 5]), _ranges([])
    ('batches 1-3, 6', 'none')
    """
    if not indexes:
        return "none"
    spans, first, last = [], indexes[0], indexes[0]
    for index in indexes[1:] + [None]:
        if index is not None and index == last + 1:
            last = index
            continue
        spans.append(f"{first + 1}" if first == last else f"{first + 1}-{last + 1}")
        if index is not None:
            first = last = index
    return "batches " + ", ".join(spans)
