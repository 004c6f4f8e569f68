"""Helpers of the scale tests: small JSONL corpora cut from the bundled corpus, and graph comparison."""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from kg.corpus import paper_to_json, read_corpus
from kg.papers import Paper

PROV_TIMES = ("http://www.w3.org/ns/prov#startedAtTime", "http://www.w3.org/ns/prov#endedAtTime")


@functools.cache
def bundled_papers() -> tuple[Paper, ...]:
    """The bundled corpus's papers, sorted by id."""
    return tuple(sorted(read_corpus().papers, key=lambda paper: paper.id))


def write_papers(path: Path, papers) -> Path:
    """``papers`` as a JSON Lines file ``kg build`` reads."""
    with open(path, "w", encoding="utf-8") as handle:
        for paper in papers:
            handle.write(json.dumps(paper_to_json(paper)) + "\n")
    return path


def changed_text(paper: Paper) -> Paper:
    """``paper`` with a different abstract naming a new method (same id)."""
    return replace(paper, abstract=paper.abstract + " We also propose FooNet, a sparse adapter, evaluated on ImageNet.")


_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"


def _term(term) -> str:
    # Analytics scores are sums over the graph: their last bits depend on iteration order.
    if isinstance(term, ox.Literal) and term.datatype.value == _DOUBLE:
        return f"{float(term.value):.10g}^^double"
    return str(term)


def _line(statement) -> str:
    graph = getattr(statement, "graph_name", "")
    return " ".join((str(statement.subject), str(statement.predicate), _term(statement.object), str(graph)))


def quads(path: Path, *, skip_graphs: tuple[str, ...] = ()) -> list[str]:
    """Sorted quads of a TriG file, without the run timestamps (they differ from run to run), doubles to 10 digits."""
    lines = []
    for quad in ox.parse(path=path, format=ox.RdfFormat.TRIG):
        if quad.predicate.value in PROV_TIMES:
            continue
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value.endswith(skip_graphs or ("\0",)):
            continue
        lines.append(_line(quad))
    return sorted(lines)


def triples(path: Path) -> list[str]:
    """Sorted triples of a Turtle file, as `quads` writes them."""
    return sorted(_line(t) for t in ox.parse(path=path, format=ox.RdfFormat.TURTLE) if t.predicate.value not in PROV_TIMES)
