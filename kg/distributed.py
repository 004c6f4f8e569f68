"""Extraction on a Dask cluster: ``kg build --dask tcp://SCHEDULER:8786`` or ``--dask local``.

Batches of papers are the tasks; each result (``(paper id, record JSON)`` pairs) comes
back as soon as it is done (`distributed.as_completed`) and the caller stores it. The
spaCy pipeline is never shipped with a task: `PipelineLoader`, a worker plugin, loads it
once when a worker joins (`kg.parallel.worker_pipeline`, a per-process cache that the
task function reads), so a task carries only its papers' text. At most ``2 x threads``
of the cluster's batches are in flight, so the client's memory stays flat.

Workers need ``kg`` installed (the same version as the client: the task function is
sent by reference) and nothing else; see docs/scaling.md for dask-jobqueue and Kubernetes.
Dask is an optional dependency: ``pip install 'kg[dask]'``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator

from kg.buildstate import BuildError
from kg.parallel import Done, Item, extract_batch, worker_pipeline

__all__ = ["LOCAL", "PipelineLoader", "dask_client", "extract_batches_dask"]

try:
    from distributed import WorkerPlugin
except ImportError:  # reported when a Dask build is asked for (`_require_dask`)
    WorkerPlugin = object

log = logging.getLogger("kg.distributed")

LOCAL = "local"


def _require_dask():
    try:
        import distributed
    except ImportError:
        raise BuildError("--dask needs Dask: pip install 'kg[dask]'") from None
    return distributed


class PipelineLoader(WorkerPlugin):
    """Worker plugin: load the extraction pipeline of ``profile`` when a worker starts (and on workers that join later)."""

    idempotent = True  # registering it again (a second build on the same cluster) is a no-op

    def __init__(self, profile: str):
        self.profile = profile
        self.name = f"kg-pipeline-{profile}"

    def setup(self, worker) -> None:
        worker_pipeline(self.profile)


@contextlib.contextmanager
def dask_client(address: str, *, workers: int = 2):
    """A client of the cluster at ``address``, or of a `LocalCluster` of ``workers`` processes for ``"local"``."""
    distributed = _require_dask()
    if address == LOCAL:
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=logging.WARNING)
        with cluster, distributed.Client(cluster) as client:
            yield client
    else:
        try:
            client = distributed.Client(address, timeout="30s")
        except OSError as error:
            raise BuildError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        with client:
            yield client


def extract_batches_dask(batches: Iterable[list[Item]], *, profile: str, address: str,
                         workers: int = 2) -> Iterator[Done]:
    """Extract ``batches`` on the Dask cluster at ``address`` (``"local"``: a LocalCluster of ``workers``)."""
    distributed = _require_dask()
    with dask_client(address, workers=workers) as client:
        client.register_plugin(PipelineLoader(profile))
        threads = max(1, sum(client.nthreads().values()))
        in_flight = 2 * threads
        log.info("Dask: %d workers, %d threads at %s", len(client.nthreads()), threads, client.scheduler.address)
        source = iter(batches)
        running = distributed.as_completed()
        for batch in source:
            running.add(client.submit(extract_batch, batch, profile, pure=False))
            if running.count() >= in_flight:
                break
        for future in running:
            yield future.result()
            future.release()
            batch = next(source, None)
            if batch is not None:
                running.add(client.submit(extract_batch, batch, profile, pure=False))
