"""Open the GRAPH argument of every command: an RDF file in any format, or a build directory."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.util import guess_format

__all__ = ["BUILD_GRAPH_NAMES", "resolve_graph_path", "rdf_format_for", "load_graph"]

# What `kg build` writes, best first: TriG keeps one named graph per paper.
BUILD_GRAPH_NAMES = ("graph.trig", "graph.nq", "graph.ttl")

_EXTRA_FORMATS = {".jsonld": "json-ld", ".json": "json-ld", ".nq": "nquads", ".nt": "nt", ".owl": "xml"}


def resolve_graph_path(path: str | Path) -> Path:
    """The RDF file behind ``path``: the file itself, or the graph of a build directory."""
    path = Path(path)
    if path.is_dir():
        for name in BUILD_GRAPH_NAMES:
            if (path / name).is_file():
                return path / name
        raise FileNotFoundError(f"{path}: no {' or '.join(BUILD_GRAPH_NAMES)} here; is it a `kg build` directory?")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such graph file or build directory")
    return path


def rdf_format_for(path: str | Path) -> str:
    """rdflib's parser name for a file, from its extension."""
    path = Path(path)
    fmt = _EXTRA_FORMATS.get(path.suffix.lower()) or guess_format(str(path))
    if fmt is None:
        raise ValueError(f"{path}: cannot tell the RDF format from the extension")
    return fmt


def load_graph(path: str | Path) -> rdflib.Dataset:
    """Load a graph file or build directory into an rdflib `Dataset` (default graph = union).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "g.ttl").write_text("<http://x/a> <http://x/b> <http://x/c> .")
    >>> len(load_graph(d / "g.ttl"))
    1
    """
    source = resolve_graph_path(path)
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(source, format=rdf_format_for(source))
    return dataset
