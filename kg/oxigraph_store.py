"""The Oxigraph store as rdflib sees it, with literals as rdflib's own stores make them.

oxrdflib returns every plain string as ``Literal("x", datatype=XSD.string)``: the same RDF
term, but unequal to ``Literal("x")`` in rdflib. Code written against rdflib's memory store
(analytics, views, exports, SHACL shapes with ``sh:in``) would then behave differently on
the big graphs that `kg.graphstore` puts into Oxigraph; `KGOxigraphStore` makes the two
agree for triple patterns and SPARQL SELECT results. (CONSTRUCT results and direct
pyoxigraph access still see the typed form.)
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore
from rdflib import XSD, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.quadstore import to_oxigraph_term
from kg.sparql.terms import from_oxigraph  # plain strings as Literal("x")

__all__ = ["KGOxigraphStore"]

_XSD_STRING = str(XSD.string)


class KGOxigraphStore(OxigraphStore):
    """oxrdflib's Oxigraph store, giving literals back as rdflib's own stores do.

    Examples
    --------
    >>> dataset = rdflib.Dataset(store=KGOxigraphStore(), default_union=True)
    >>> _ = dataset.add((URIRef("http://x/a"), URIRef("http://x/b"), Literal("c"), URIRef("http://x/g")))
    >>> dataset.value(URIRef("http://x/a"), URIRef("http://x/b")) == Literal("c")
    True
    """

    def triples(self, triple_pattern, context=None):
        subject, predicate, obj = (None if t is None else to_oxigraph_term(t) for t in triple_pattern)
        name = None if context is None else getattr(context, "identifier", context)
        if name is not None:
            name = ox.DefaultGraph() if name == DATASET_DEFAULT_GRAPH_ID else to_oxigraph_term(name)
        try:
            quads = self._inner.quads_for_pattern(subject, predicate, obj, name)
        except (TypeError, ValueError):  # a literal in subject position and the like: no match
            return iter(())
        return (
            ((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)),
             iter((self._graph_of(q.graph_name),)))
            for q in quads
        )

    def _graph_of(self, name) -> rdflib.Graph:
        identifier = DATASET_DEFAULT_GRAPH_ID if isinstance(name, ox.DefaultGraph) else from_oxigraph(name)
        return rdflib.Graph(store=self, identifier=identifier)

    def query(self, *args, **kwargs):
        result = super().query(*args, **kwargs)
        if result.type == "SELECT":
            result.bindings = [{var: _plain(value) for var, value in row.items()} for row in result.bindings]
        return result


def _plain(value):
    if isinstance(value, Literal) and value.datatype is not None and str(value.datatype) == _XSD_STRING:
        return Literal(str(value))
    return value
