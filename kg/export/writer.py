"""The thin writer under every format: stream the chunks to a file, a directory or a stream.

Files and directories appear atomically: a file is written to a temporary name and
renamed; a directory format is written into a temporary sibling directory that then
takes the place of ``out``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from kg.atomic import atomic_write
from kg.export.registry import Exporter, get_exporter
from kg.quadstore import GraphInput

__all__ = ["export", "default_output"]


def default_output(exporter: Exporter, graph: str | os.PathLike) -> Path:
    """Where ``kg export GRAPH --format F`` writes without ``-o``: beside GRAPH.

    Examples
    --------
    >>> str(default_output(get_exporter("nquads"), "kg-out/graph.trig"))
    'kg-out/graph.nq'
    >>> str(default_output(get_exporter("neo4j"), "kg-out"))
    'kg-out/neo4j'
    """
    graph = Path(graph)
    folder, stem = (graph, "graph") if graph.is_dir() or not graph.suffix else (graph.parent, graph.stem)
    if exporter.writes_directory:
        return folder / exporter.name
    return folder / f"{stem}{exporter.extension}"


def export(graph: GraphInput, *, format: str, out: str | os.PathLike | BinaryIO) -> Path | None:
    """Write ``graph`` in ``format`` to ``out`` (a path, or a binary stream for one-file formats).

    Returns the path written, or None for a stream.

    Examples
    --------
    >>> import rdflib, tempfile, pathlib
    >>> g = rdflib.Graph()
    >>> _ = g.add((rdflib.URIRef("http://x/a"), rdflib.URIRef("http://x/b"), rdflib.Literal("c")))
    >>> path = export(g, format="ntriples", out=pathlib.Path(tempfile.mkdtemp()) / "g.nt")
    >>> path.read_text()
    '<http://x/a> <http://x/b> "c" .\\n'
    """
    exporter = get_exporter(format)
    if exporter.writes_directory:
        if not isinstance(out, (str, os.PathLike)):
            raise ValueError(f"format {format!r} writes a directory of files; give a directory path, not a stream")
        return _write_directory(exporter, graph, Path(out))
    if not isinstance(out, (str, os.PathLike)):
        for chunk in exporter.generate(graph):
            out.write(chunk)
        out.flush()
        return None
    with atomic_write(out, "wb") as handle:
        for chunk in exporter.generate(graph):
            handle.write(chunk)
    return Path(out)


def _write_directory(exporter: Exporter, graph: GraphInput, out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out}: exists and is not a directory; format {exporter.name!r} writes a directory")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        handles: dict[str, BinaryIO] = {}
        try:
            for relative, chunk in exporter.generate(graph):
                if relative not in handles:
                    handles[relative] = open(staging / relative, "wb")  # noqa: SIM115 (closed below)
                handles[relative].write(chunk)
        finally:
            for handle in handles.values():
                handle.close()
        os.chmod(staging, 0o777 & ~_umask())
        retired = None
        if out.exists():
            retired = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, retired)
        os.replace(staging, out)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(staging)
        raise
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
