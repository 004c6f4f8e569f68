"""The push journal: which batches a store has acknowledged, so a failed push can resume.

One JSON line per acknowledged batch, appended and flushed before the next request, so
the journal never claims a batch the store did not confirm. A batch is known by the
store URL, the protocol and the SHA-256 of its graphs and triples; a re-run skips the
batches it finds and sends the rest. (A batch that landed but whose answer was lost is
sent again, which is harmless: inserting the same triples twice stores them once.) The
journal is deleted when a push completes and its counts check out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from kg.problems import InputError, Problem
from kg.push.batches import Batch

__all__ = ["PushJournal"]


class PushJournal:
    """Acknowledged batches of pushes to one store, kept in ``path`` (in memory if None)."""

    def __init__(self, path: str | os.PathLike | None, *, endpoint: str, protocol: str):
        self.path = Path(path) if path is not None else None
        self._scope = {"endpoint": endpoint, "protocol": protocol}
        self._done: set[str] = set()
        self._handle = None
        if self.path is not None and self.path.exists():
            self._read()

    def _read(self) -> None:
        assert self.path is not None
        with self.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    scope = {"endpoint": entry["endpoint"], "protocol": entry["protocol"]}
                    digest = entry["digest"]
                except (json.JSONDecodeError, KeyError, TypeError) as error:
                    if number > 1 and not line.endswith("\n"):
                        break  # the last line of a push killed mid-write: that batch is not recorded
                    raise InputError(Problem(str(self.path), number, f"not a push journal entry ({error})")) from None
                if scope == self._scope:
                    self._done.add(digest)

    def __contains__(self, batch: Batch) -> bool:
        return batch.digest in self._done

    def __len__(self) -> int:
        return len(self._done)

    def record(self, batch: Batch) -> None:
        """Note that the store acknowledged ``batch``."""
        self._done.add(batch.digest)
        if self.path is None:
            return
        graphs = [part.graph_key for part in batch.parts]
        entry = {**self._scope, "batch": batch.index, "of": batch.total, "graphs": graphs, "digest": batch.digest}
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a", encoding="utf-8")
        self._handle.write(json.dumps(entry) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def finish(self) -> None:
        """The push completed and checked out: forget it."""
        self.close()
        self._done.clear()
        if self.path is not None and self.path.exists():
            self.path.unlink()
