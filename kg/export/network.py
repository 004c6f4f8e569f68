"""GraphML and GEXF of the co-mention graph, for Gephi, Cytoscape and yEd.

The graph is the analytics one (`kg.analytics.comention.comention_graph`): entities as
nodes (``label``, ``type``, ``papers``), linked when papers mention both (``weight`` =
``support``, ``npmi``, ``jaccard``). NetworkX's own line generators write the files.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
import rdflib

from kg.analytics.comention import comention_graph
from kg.analytics.mentions import read_mentions
from kg.export.registry import Exporter
from kg.graphfile import load_graph
from kg.quadstore import GraphInput

__all__ = ["comention_network", "generate_graphml", "generate_gexf", "GRAPHML", "GEXF"]


def comention_network(graph: GraphInput) -> nx.Graph:
    """The co-mention graph of an RDF graph, dataset, file or build directory."""
    rdf = graph if isinstance(graph, rdflib.Graph) else load_graph(graph)
    return comention_graph(read_mentions(rdf))


def _lines(lines: Iterator[str]) -> Iterator[bytes]:
    for line in lines:
        yield (line + "\n").encode("utf-8")


def generate_graphml(graph: GraphInput) -> Iterator[bytes]:
    """Yield the co-mention graph as GraphML, a line at a time."""
    yield from _lines(nx.generate_graphml(comention_network(graph), encoding="utf-8"))


def generate_gexf(graph: GraphInput) -> Iterator[bytes]:
    """Yield the co-mention graph as GEXF 1.2, a line at a time."""
    yield from _lines(nx.generate_gexf(comention_network(graph), encoding="utf-8"))


GRAPHML = Exporter(
    name="graphml",
    generate=generate_graphml,
    extension=".graphml",
    media_type="application/graphml+xml",
    description="GraphML of the co-mention graph (Cytoscape, yEd, Gephi)",
    kind="network",
)
GEXF = Exporter(
    name="gexf",
    generate=generate_gexf,
    extension=".gexf",
    media_type="application/gexf+xml",
    description="GEXF 1.2 of the co-mention graph (Gephi)",
    kind="network",
)
