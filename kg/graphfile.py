"""Open the GRAPH argument of every command: an RDF file in any format, or a build directory."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.util import guess_format

__all__ = ["BUILD_GRAPH_NAMES", "resolve_graph_path", "rdf_format_for", "oxigraph_format", "load_graph"]

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


# Files bigger than this go into an Oxigraph store, parsed and loaded by pyoxigraph in bulk.
OXIGRAPH_FILE_BYTES = 8 * 1024 * 1024
# rdflib parser names -> pyoxigraph format names. N3 is left to rdflib: pyoxigraph parses a subset.
_OX_FORMATS = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG", "xml": "RDF_XML",
               "json-ld": "JSON_LD"}


def oxigraph_format(rdflib_format: str):
    """pyoxigraph's `RdfFormat` for an rdflib parser name, or None where rdflib must parse.

    Examples
    --------
    >>> oxigraph_format("trig").name, oxigraph_format("n3")
    ('TriG', None)
    """
    import pyoxigraph as ox

    name = _OX_FORMATS.get(rdflib_format)
    return getattr(ox.RdfFormat, name) if name else None


def load_graph(path: str | Path, *, store: str = "auto") -> rdflib.Dataset:
    """Load a graph file or build directory into an rdflib `Dataset` (default graph = union).

    ``store="auto"`` parses files up to `OXIGRAPH_FILE_BYTES` into rdflib's memory store
    and bigger ones into the Oxigraph store (``"memory"`` / ``"oxigraph"`` force one),
    where pyoxigraph's bulk loader reads them without going through Python triple by triple.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "g.ttl").write_text("<http://x/a> <http://x/b> <http://x/c> .")
    >>> len(load_graph(d / "g.ttl")), len(load_graph(d / "g.ttl", store="oxigraph"))
    (1, 1)
    """
    source = resolve_graph_path(path)
    fmt = rdf_format_for(source)
    big = source.stat().st_size > OXIGRAPH_FILE_BYTES
    if fmt in _OX_FORMATS and (store == "oxigraph" or (store == "auto" and big)):
        return _load_with_oxigraph(source, fmt)
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(source, format=fmt)
    return dataset


def _load_with_oxigraph(source: Path, fmt: str) -> rdflib.Dataset:
    import pyoxigraph as ox
    from kg.oxigraph_store import KGOxigraphStore
    from kg.problems import InputError, Problem

    dataset = rdflib.Dataset(store=KGOxigraphStore(), default_union=True)
    try:
        dataset.store._inner.bulk_load(path=str(source), format=oxigraph_format(fmt))
    except SyntaxError as error:
        raise InputError(Problem(str(source), getattr(error, "lineno", None), f"not valid {fmt}: {error.msg}")) from None
    return dataset
