"""Any GRAPH input as an in-memory pyoxigraph `Store`: the fast path of exports and pushes.

rdflib is the graph model of the library, but serialising or pushing a million triples
through it is slow; pyoxigraph parses, sorts and serialises in Rust. `open_quads` takes
what commands receive (an rdflib graph or dataset, or a path to an RDF file or a build
directory) and gives back the quads with their named graphs, plus the prefixes to
write them with.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.graphfile import is_build_store, open_build_store, oxigraph_format, rdf_format_for, resolve_graph_path
from kg.problems import InputError, Problem

__all__ = ["Quads", "open_quads", "to_oxigraph_term"]

GraphInput = rdflib.Graph | str | os.PathLike


@dataclass(frozen=True)
class Quads:
    """The quads of a graph in a pyoxigraph store, and the prefixes it was written with."""

    store: ox.Store
    prefixes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefixes", MappingProxyType(dict(self.prefixes)))

    def graph_names(self) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]:
        """Named graphs sorted by IRI, then the default graph if it holds anything."""
        names: list = sorted(self.store.named_graphs(), key=str)
        if next(iter(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
            names.append(ox.DefaultGraph())
        return names

    def triples(self, graph_name) -> Iterator[ox.Triple]:
        """The triples of one graph (a name from `graph_names`)."""
        for quad in self.store.quads_for_pattern(None, None, None, graph_name):
            yield quad.triple

    def union_triples(self) -> Iterator[ox.Triple]:
        """Every distinct triple of every graph: what triple-only formats show."""
        # A constant query: nothing from the data is pasted into it.
        yield from self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)

    def used_prefixes(self) -> dict[str, str]:
        """The prefixes whose namespace holds a predicate, class, datatype or graph name of the data.

        rdflib binds two dozen well-known prefixes to every graph; a Turtle file should
        declare only those it uses.
        """
        used = {str(name.value) for name in self.store.named_graphs() if isinstance(name, ox.NamedNode)}
        # Constant queries: nothing from the data is pasted into them.
        for query in (
            "SELECT DISTINCT ?x WHERE { ?s ?x ?o }",
            "SELECT DISTINCT ?x WHERE { ?s a ?x }",
            "SELECT DISTINCT ?x WHERE { ?s ?p ?o FILTER(isLiteral(?o)) BIND(DATATYPE(?o) AS ?x) }",
        ):
            used.update(row["x"].value for row in self.store.query(query, use_default_graph_as_union=True))
        return {
            prefix: namespace
            for prefix, namespace in self.prefixes.items()
            if any(iri.startswith(namespace) for iri in used)
        }

    def __len__(self) -> int:
        return len(self.store)


def to_oxigraph_term(term: rdflib.term.Node):
    """The pyoxigraph form of an rdflib term.

    Examples
    --------
    >>> str(to_oxigraph_term(rdflib.Literal("1", datatype=rdflib.XSD.integer)))
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    >>> str(to_oxigraph_term(rdflib.Literal("chat", lang="fr")))
    '"chat"@fr'
    """
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} ({type(term).__name__}) to an RDF 1.1 term")


def _graph_name(context) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    identifier = getattr(context, "identifier", context)
    if identifier is None or identifier == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    return to_oxigraph_term(identifier)


def _from_rdflib(graph: rdflib.Graph) -> Quads:
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespace_manager.namespaces() if prefix}
    if isinstance(graph, rdflib.ConjunctiveGraph) and isinstance(graph.store, OxigraphStore):
        # Already in pyoxigraph (big builds, `load_graph` of big files): no copy.
        return Quads(graph.store._inner, prefixes)
    store = ox.Store()
    if isinstance(graph, rdflib.ConjunctiveGraph):  # Dataset is a ConjunctiveGraph
        store.extend(
            ox.Quad(to_oxigraph_term(s), to_oxigraph_term(p), to_oxigraph_term(o), _graph_name(c))
            for s, p, o, c in graph.quads((None, None, None, None))
        )
    else:
        name = ox.DefaultGraph() if isinstance(graph.identifier, rdflib.BNode) else to_oxigraph_term(graph.identifier)
        store.extend(
            ox.Quad(to_oxigraph_term(s), to_oxigraph_term(p), to_oxigraph_term(o), name) for s, p, o in graph
        )
    return Quads(store, prefixes)


def _from_file(path: Path) -> Quads:
    if is_build_store(path):  # a big build's graph: read in place, no copy
        return Quads(*open_build_store(path))
    rdflib_format = rdf_format_for(path)
    ox_format = oxigraph_format(rdflib_format)
    if ox_format is None:
        return _from_rdflib(_parse_with_rdflib(path, rdflib_format))
    store = ox.Store()
    try:
        store.load(path=path, format=ox_format)  # parsed and stored in Rust: no Python objects
    except SyntaxError as error:
        raise InputError(Problem(str(path), error.lineno, f"not valid {ox_format.name}: {error.msg}")) from None
    return Quads(store, _leading_prefixes(path, ox_format))


def _leading_prefixes(path: Path, ox_format: ox.RdfFormat) -> dict[str, str]:
    # Writers declare prefixes before the first statement; reading up to it is enough.
    parser = ox.parse(path=path, format=ox_format)
    next(iter(parser), None)
    return dict(parser.prefixes) if hasattr(parser, "prefixes") else {}


def _parse_with_rdflib(path: Path, rdflib_format: str) -> rdflib.Dataset:
    dataset = rdflib.Dataset(default_union=True)
    try:
        dataset.parse(path, format=rdflib_format)
    except SyntaxError as error:
        raise InputError(Problem(str(path), getattr(error, "lineno", None), str(error))) from None
    return dataset


def open_quads(graph: GraphInput | Quads) -> Quads:
    """The quads of ``graph``: an rdflib graph or dataset, an RDF file or a build directory
    (its graph file, or its store opened read-only).

    Files in N-Triples, N-Quads, Turtle, TriG, RDF/XML and JSON-LD are parsed by
    pyoxigraph (about 20 times faster than rdflib); a syntax error raises `InputError`
    naming the file and line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.nq"
    >>> _ = path.write_text("<http://x/a> <http://x/b> <http://x/c> <http://x/g> .\\n")
    >>> quads = open_quads(path)
    >>> len(quads), [str(name) for name in quads.graph_names()]
    (1, ['<http://x/g>'])
    """
    if isinstance(graph, Quads):
        return graph
    if isinstance(graph, rdflib.Graph):
        return _from_rdflib(graph)
    return _from_file(resolve_graph_path(graph))
