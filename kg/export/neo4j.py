"""CSV node and relationship files for Neo4j's bulk importer (``neo4j-admin database import``).

The RDF graph maps onto a property graph the usual way:

- every subject (and every resource a link points at) is a node, keyed by its IRI in the
  ``iri:ID`` column; its ``rdf:type`` local names are its labels (``Resource`` if none);
- a literal value becomes a node property named by the predicate's local name, typed
  (``:long``, ``:double``, ``:boolean``, ``:date``) when every value of that column has
  the matching XSD datatype, an array (``:string[]``) when a node has several values;
- any other triple is a relationship whose type is the predicate's local name in upper
  snake case (``kg:basedOn`` -> ``BASED_ON``).

Nodes with the same label set share one file (``nodes_Entity_Method.csv``); each
relationship type has its own (``rels_MENTIONS.csv``). ``import.sh`` holds the
``neo4j-admin`` command naming them all. Arrays are joined by U+001F (unit separator),
which no text value contains, and which the command passes as ``--array-delimiter``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.export.registry import Exporter
from kg.quadstore import GraphInput, open_quads

__all__ = ["ARRAY_DELIMITER", "generate_neo4j", "neo4j_import_command", "relationship_type", "NEO4J"]

ARRAY_DELIMITER = "\x1f"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NEO4J_TYPES = {
    **dict.fromkeys(("integer", "long", "int", "short", "nonNegativeInteger", "positiveInteger"), "long"),
    **dict.fromkeys(("double", "float", "decimal"), "double"),
    "boolean": "boolean",
    "date": "date",
}


def local_name(iri: str) -> str:
    """The last segment of an IRI, as a Neo4j-friendly name.

    Examples
    --------
    >>> local_name("https://w3id.org/kg/ontology#basedOn"), local_name("http://purl.org/dc/terms/title")
    ('basedOn', 'title')
    """
    name = re.split(r"[#/:]", iri.rstrip("/#"))[-1]
    return re.sub(r"\W", "_", name) or "value"


def relationship_type(iri: str) -> str:
    """A predicate IRI as a relationship type.

    Examples
    --------
    >>> relationship_type("https://w3id.org/kg/ontology#evaluatedOn")
    'EVALUATED_ON'
    """
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local_name(iri)).upper()


def _node_id(term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


@dataclass
class _Node:
    labels: set[str] = field(default_factory=set)
    properties: dict[str, list[ox.Literal]] = field(default_factory=lambda: defaultdict(list))


def _column_type(values: list[ox.Literal]) -> str:
    types = {_NEO4J_TYPES.get(v.datatype.value.removeprefix(_XSD)) if v.datatype.value.startswith(_XSD) else None for v in values}
    if len(types) != 1:
        return "string"
    return types.pop() or "string"


def _csv_line(row: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    return buffer.getvalue().encode("utf-8")


def _read_property_graph(graph: GraphInput) -> tuple[dict[str, _Node], dict[str, list[tuple[str, str]]]]:
    nodes: dict[str, _Node] = defaultdict(_Node)
    links: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for triple in open_quads(graph).union_triples():
        subject = nodes[_node_id(triple.subject)]
        predicate, obj = triple.predicate.value, triple.object
        if isinstance(obj, ox.Literal):
            subject.properties[local_name(predicate)].append(obj)
        elif predicate == _RDF_TYPE:
            subject.labels.add(local_name(obj.value))
        else:
            target = _node_id(obj)
            nodes.setdefault(target, _Node())
            links[relationship_type(predicate)].append((_node_id(triple.subject), target))
    return nodes, links


def generate_neo4j(graph: GraphInput) -> Iterator[tuple[str, bytes]]:
    """Yield ``(file name, bytes)`` pairs: node files, relationship files, then ``import.sh``."""
    nodes, links = _read_property_graph(graph)
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for iri, node in nodes.items():
        groups[tuple(sorted(node.labels)) or ("Resource",)].append(iri)
    node_files, relationship_files = [], []
    for labels, members in sorted(groups.items()):
        name = f"nodes_{'_'.join(labels)}.csv"
        node_files.append(name)
        columns: dict[str, list[ox.Literal]] = defaultdict(list)
        multi: set[str] = set()
        for iri in members:
            for column, values in nodes[iri].properties.items():
                columns[column].extend(values)
                if len(values) > 1:
                    multi.add(column)
        order = sorted(columns)
        header = ["iri:ID", ":LABEL"] + [
            f"{c}:{'string' if c in multi else _column_type(columns[c])}{'[]' if c in multi else ''}" for c in order
        ]
        yield name, _csv_line(header)
        label_value = ";".join(labels)
        for iri in sorted(members):
            properties = nodes[iri].properties
            cells = [ARRAY_DELIMITER.join(sorted(v.value for v in properties.get(c, []))) for c in order]
            yield name, _csv_line([iri, label_value, *cells])
    for rel_type, pairs in sorted(links.items()):
        name = f"rels_{rel_type}.csv"
        relationship_files.append(name)
        yield name, _csv_line([":START_ID", ":END_ID", ":TYPE"])
        for start, end in sorted(pairs):
            yield name, _csv_line([start, end, rel_type])
    yield "import.sh", neo4j_import_command(node_files, relationship_files).encode("utf-8")


def neo4j_import_command(node_files: list[str], relationship_files: list[str]) -> str:
    """A shell script running ``neo4j-admin database import full`` on the files, from their folder.

    Examples
    --------
    >>> print(neo4j_import_command(["nodes_Paper.csv"], ["rels_MENTIONS.csv"]).splitlines()[-1])
      "${1:-neo4j}"
    """
    lines = [
        "#!/bin/sh",
        "# Load these files into a new Neo4j database (default name: neo4j; Neo4j must be stopped).",
        "# Usage: sh import.sh [DATABASE]   (run from this directory; neo4j-admin on PATH)",
        'cd "$(dirname "$0")" && neo4j-admin database import full \\',
        "  --overwrite-destination=true --multiline-fields=true --array-delimiter=U+001F \\",
        *[f"  --nodes={name} \\" for name in node_files],
        *[f"  --relationships={name} \\" for name in relationship_files],
        '  "${1:-neo4j}"',
    ]
    return "\n".join(lines) + "\n"


NEO4J = Exporter(
    name="neo4j",
    generate=generate_neo4j,
    extension="",
    media_type="text/csv",
    description="Neo4j bulk-import CSV: node files per label set, relationship files per type, import.sh",
    kind="directory",
)
