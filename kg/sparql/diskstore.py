"""Keep a graph in an on-disk Oxigraph store, so a big graph is loaded once, not per query.

Parsing a million triples takes seconds; opening a store read-only takes milliseconds.
A store directory carries a stamp (``kg-store.json``) naming the graph file it was
loaded from with that file's size and modification time: `ensure_store` reuses it while
they match and rebuilds it (into a temporary directory, then renamed) when they do not.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.graphfile import is_build_store, resolve_graph_path
from kg.sparql.engine import load_oxigraph

__all__ = ["STAMP", "is_store_directory", "ensure_store", "open_read_only"]

STAMP = "kg-store.json"
_LAYOUT = 1  # bump when what goes into the store changes


def is_store_directory(path: str | Path) -> bool:
    """Whether ``path`` is a store directory made by `ensure_store`."""
    return (Path(path) / STAMP).is_file()


def _stamp(source: Path) -> dict:
    status = source.stat()
    return {"source": str(source), "size": status.st_size, "mtime_ns": status.st_mtime_ns, "layout": _LAYOUT}


def ensure_store(graph: str | Path, directory: str | Path) -> Path:
    """An up-to-date Oxigraph copy of ``graph`` in ``directory``, built only when needed.

    Refuses to replace a non-empty directory that is not such a store.
    """
    source = resolve_graph_path(graph).resolve()
    if is_build_store(source):  # already a store, kept current by `kg build`
        return source
    directory = Path(directory)
    stamp = _stamp(source)
    if is_store_directory(directory):
        try:
            if json.loads((directory / STAMP).read_text(encoding="utf-8")) == stamp:
                return directory
        except (OSError, ValueError):
            pass  # unreadable stamp: rebuild
    elif directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ValueError(f"{directory}: exists and is not a kg store directory; give a new or empty one")
    directory.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        store = load_oxigraph(source, ox.Store(str(building)))
        # compact the bulk-loaded files once: read-only openers cannot, and lookups over
        # uncompacted files made the named queries up to twice as slow
        store.optimize()
        store.flush()
        del store  # close the database before it moves
        (building / STAMP).write_text(json.dumps(stamp), encoding="utf-8")
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(building, directory)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return directory


def open_read_only(directory: str | Path) -> ox.Store:
    """Open a store directory (or a build directory's ``store/``) for queries (several processes may do so at once)."""
    if not (is_store_directory(directory) or is_build_store(directory)):
        raise ValueError(f"{directory}: not a kg store directory (no {STAMP})")
    return ox.Store.read_only(str(directory))
