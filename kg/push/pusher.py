"""`push`: load a graph into a SPARQL store, batch by batch, resumably, and check the result."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from tqdm import tqdm

from kg.push.batches import Batch, PushPlan, plan_push
from kg.push.client import StoreClient
from kg.push.errors import PushVerifyError
from kg.push.journal import PushJournal
from kg.push.pipeline import send_batches
from kg.push.profiles import get_profile
from kg.push.protocols import make_sender
from kg.push.verify import count_triples
from kg.quadstore import GraphInput, Quads, open_quads

__all__ = ["PushReport", "push"]

log = logging.getLogger("kg.push")


@dataclass(frozen=True)
class PushReport:
    """What a push did: batches sent now, batches already landed (resumed), and the check."""

    endpoint: str
    protocol: str
    graphs: int
    triples: int
    batches: int
    sent: int
    resumed: int
    retries: int
    counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # graph -> (expected, found)
    seconds: Mapping[str, float] = field(default_factory=dict)  # "read", "send", "check"

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))
        object.__setattr__(self, "seconds", MappingProxyType(dict(self.seconds)))

    def summary(self) -> str:
        checked = f"; counts checked in {len(self.counts)} graphs" if self.counts else "; counts not checked"
        resumed = f", {self.resumed} already there (resumed)" if self.resumed else ""
        return (
            f"pushed {self.triples} triples in {self.graphs} graphs to {self.endpoint} ({self.protocol}): "
            f"{self.sent} of {self.batches} batches sent{resumed}, {self.retries} retries{checked}"
        )


def push(
    graph: GraphInput | Quads,
    *,
    endpoint: str,
    protocol: str = "update",
    store: str = "generic",
    batch_size: int = 1000,
    user: str | None = None,
    password: str | None = None,
    replace: bool = False,
    journal: str | os.PathLike | None = None,
    verify: bool = True,
    retries: int = 5,
    backoff: float = 0.5,
    timeout: float = 120.0,
    concurrency: int = 2,
    progress: bool = False,
    on_batch: Callable[[Batch], None] | None = None,
) -> PushReport:
    """Load ``graph`` into the store at ``endpoint``, one named graph at a time.

    ``protocol`` is ``"gsp"`` (Graph Store HTTP Protocol) or ``"update"`` (``INSERT DATA``);
    ``store`` picks the endpoint paths (`kg.push.profiles`). With ``replace`` each graph is
    emptied first, otherwise triples are added to what the store holds. Acknowledged
    batches are recorded in ``journal``; after a failure (`PushFailed`, which says what
    landed) the same call resumes where it stopped. Up to ``concurrency`` requests are in
    flight at once. ``on_batch`` is called after each batch the store acknowledges. Raises `PushVerifyError` if the counts do not match
    (with ``replace``: equal; appending: at least the pushed number).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    profile = get_profile(store)
    urls = profile.urls(endpoint, authenticated=user is not None)
    started = time.perf_counter()
    plan = plan_push(open_quads(graph))
    seconds = {"read": time.perf_counter() - started}
    total_batches = plan.batch_count(batch_size)
    record = PushJournal(journal, endpoint=endpoint, protocol=protocol)
    with StoreClient(user=user, password=password, auth_scheme=profile.auth, retries=retries, backoff=backoff, timeout=timeout) as client:
        sender = make_sender(protocol, client, urls, store)
        bar = tqdm(total=plan.triples, unit="triple", unit_scale=True, desc="push", disable=not progress, leave=False)

        def landed(batch: Batch, sent_now: bool) -> None:
            bar.update(batch.size)
            if sent_now and on_batch is not None:
                on_batch(batch)

        started = time.perf_counter()
        try:
            outcome = send_batches(
                plan.batches(batch_size),
                send=lambda batch: sender.send(batch, replace=replace),
                journal=record,
                concurrency=concurrency,
                replace=replace,
                on_landed=landed,
            )
        finally:
            bar.close()
            record.close()
        seconds["send"] = time.perf_counter() - started
        counts: dict[str, tuple[int, int]] = {}
        if verify:
            started = time.perf_counter()
            counts = _check_counts(client, urls.query, plan, replace=replace, union=profile.default_graph_is_union)
            seconds["check"] = time.perf_counter() - started
        report = PushReport(
            endpoint, protocol, len(plan.graphs), plan.triples, total_batches,
            outcome.sent, outcome.resumed, client.retried, counts, seconds,
        )
    record.finish()
    log.info("%s", report.summary())
    return report


def _check_counts(client: StoreClient, query_url: str, plan: PushPlan, *, replace: bool, union: bool) -> dict[str, tuple[int, int]]:
    graphs = [graph for graph, _ in plan.graphs]
    expected = plan.counts()
    default_graph = "default" in expected and not union
    found = count_triples(client, query_url, graphs, default_graph=default_graph)
    counts = {key: (want, found[key]) for key, want in expected.items() if key in found}
    wrong = {g: (want, got) for g, (want, got) in counts.items() if (got != want if replace else got < want)}
    if wrong:
        sample = "; ".join(f"{g}: expected {want}, store has {got}" for g, (want, got) in list(wrong.items())[:5])
        raise PushVerifyError(f"after the push, {len(wrong)} graphs hold the wrong number of triples: {sample}", mismatches=wrong)
    return counts
