"""`Forked`: one computation in a forked child while this process computes another.

A large build's analytics run in a helper process (`kg.analytics.background`) whose measures
are independent C computations on one igraph graph: betweenness and PageRank, and Louvain
(seconds each at 100,000 papers). They hold the GIL, so threads do not overlap them; a
forked child shares the graph copy-on-write, needs nothing pickled in, and hands back only
its small result (a community number per entity). When the build's own writes are done, the
helper is the only busy process on the machine: the child's work then uses the other core.

Forking is used only where it is safe and cheap: on Linux, in a process that runs no other
Python thread (a child forked beside a running thread may inherit a held lock). Anywhere
else, and when the child fails, the computation runs in this process when its result is
asked for: the result is the same either way.

Examples
--------
>>> louvain = Forked(sorted, [3, 1, 2])
>>> louvain.result()
[1, 2, 3]
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Forked", "can_fork"]

log = logging.getLogger("kg.analytics")
T = TypeVar("T")


def can_fork() -> bool:
    """Whether `Forked` runs its computation in a child here (Linux, no other Python thread)."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


class Forked(Generic[T]):
    """``function(*args, **kwargs)`` in a forked child (`can_fork`), else when `result` is asked for."""

    def __init__(self, function: Callable[..., T], *args, fork: bool = True, **kwargs):
        self._call = (function, args, kwargs)
        self._pid: int | None = None  # the child, until waited for
        self._pipe: int | None = None
        self.forked = False  # whether a child computes (or computed) the result
        if not (fork and can_fork()):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, write the pickled outcome, leave without any cleanup of the parent's
            status = 0
            try:
                os.close(read)
                try:
                    data = pickle.dumps((True, function(*args, **kwargs)), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException as error:  # reported to the parent, which computes it again
                    data = pickle.dumps((False, f"{type(error).__name__}: {error}"))
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(data)
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._pipe, self.forked = pid, read, True

    def result(self) -> T:
        """The function's value: the child's (waited for), or computed here."""
        function, args, kwargs = self._call
        if self._pid is None:
            return function(*args, **kwargs)
        with os.fdopen(self._pipe, "rb") as pipe:  # read to the end before waiting: a full pipe blocks the child
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = self._pipe = None
        try:
            done, value = pickle.loads(data)
        except Exception:
            done, value = False, f"exit status {os.waitstatus_to_exitcode(status)}, no result"
        if done:
            return value
        log.warning("a forked computation failed (%s): computed in this process instead", value)
        return function(*args, **kwargs)

    def discard(self) -> None:
        """The result is not wanted: a child still computing is stopped, and reaped."""
        if self._pid is not None:
            pid, pipe, self._pid, self._pipe = self._pid, self._pipe, None, None
            try:
                os.close(pipe)
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except OSError:  # ended and reaped already
                pass

    def __del__(self):  # never asked for: the child is reaped, not left a zombie
        self.discard()
