"""The RDF terms analytics reads and writes, beyond the closed `kg.vocab.KG` namespace."""

from __future__ import annotations

from kg.vocab import KG

__all__ = ["KG", "ENTITY_TYPES", "ANALYTICS_GRAPH"]

# The six entity classes, in the order used to pick one when an entity has several.
ENTITY_TYPES: tuple[str, ...] = ("Method", "Model", "Dataset", "Benchmark", "Task", "Metric")

# Named graph (appended to the resource base IRI) that holds the written-back results,
# so a re-run replaces them instead of piling up.
ANALYTICS_GRAPH = "graph/analytics"
