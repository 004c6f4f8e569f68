"""Open the GRAPH argument of every command: an RDF file in any format, or a build directory."""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.util import guess_format

__all__ = ["BUILD_GRAPH_NAMES", "BUILD_STORE", "resolve_graph_path", "is_build_store", "open_build_store",
           "rdf_format_for", "oxigraph_format", "load_graph"]

# What `kg build` writes, best first: TriG keeps one named graph per paper.
BUILD_GRAPH_NAMES = ("graph.trig", "graph.nq", "graph.ttl")
# The build directory's on-disk Oxigraph store: the graph itself when a big build wrote no graph files.
BUILD_STORE = "store"

_EXTRA_FORMATS = {".jsonld": "json-ld", ".json": "json-ld", ".nq": "nquads", ".nt": "nt", ".owl": "xml"}


def resolve_graph_path(path: str | Path) -> Path:
    """The graph behind ``path``: the file itself, or the graph of a build directory (its
    graph file, or its ``store/`` when the build wrote none; see `is_build_store`)."""
    path = Path(path)
    if is_build_store(path):
        return path
    if path.is_dir():
        for name in BUILD_GRAPH_NAMES:
            if (path / name).is_file():
                return path / name
        if is_build_store(path / BUILD_STORE):
            return path / BUILD_STORE
        raise FileNotFoundError(f"{path}: no {' or '.join(BUILD_GRAPH_NAMES)} here; is it a `kg build` directory?")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such graph file or build directory")
    return path


def is_build_store(path: str | Path) -> bool:
    """Whether ``path`` is the Oxigraph store of a build directory (``DIR/store`` next to ``DIR/state.sqlite``)."""
    path = Path(path)
    return path.name == BUILD_STORE and path.is_dir() and (path.parent / "state.sqlite").is_file()


def open_build_store(path: str | Path):
    """A build directory's store, opened read-only, and the prefixes to write its terms with.

    Read-only: several readers may share it, and a running ``kg build`` is not disturbed.
    The resource base IRI (for the ``entity:`` and ``paper:`` prefixes) is read off the
    corpus graph's name.
    """
    import pyoxigraph as ox

    from kg.vocab import KG, PREFIXES

    try:
        store = ox.Store.read_only(str(path))
    except OSError as error:
        raise OSError(f"{path}: cannot open the graph store read-only ({error})") from None
    prefixes = dict(PREFIXES)
    probe = next(store.quads_for_pattern(None, ox.NamedNode(str(RDF_TYPE)), ox.NamedNode(str(KG.PaperGraph)), None), None)
    if probe is not None and isinstance(probe.graph_name, ox.NamedNode) and probe.graph_name.value.endswith("graph/corpus"):
        base = probe.graph_name.value[: -len("graph/corpus")]
        prefixes |= {"entity": base + "entity/", "paper": base + "paper/"}
    return store, prefixes


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


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
    if is_build_store(source):
        return _open_build_store_dataset(source)
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


def _open_build_store_dataset(source: Path) -> rdflib.Dataset:
    from kg.oxigraph_store import KGOxigraphStore

    store, prefixes = open_build_store(source)
    dataset = rdflib.Dataset(store=KGOxigraphStore(store=store), default_union=True)
    for prefix, namespace in prefixes.items():
        dataset.bind(prefix, namespace, override=True)
    return dataset
