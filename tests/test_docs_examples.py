"""docs/data-model.md stays true to the ontology: its Turtle parses, uses only declared
`kg:` terms, and the page names every class and property the ontology declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "data-model.md"
KG = "https://w3id.org/kg/ontology#"
_BLOCK = re.compile(r"^```turtle\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _blocks() -> list[tuple[int, str]]:
    text = PAGE.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in _BLOCK.finditer(text)]


def _declared() -> set[str]:
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "kg.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {str(s)[len(KG):] for kind in kinds for s in ontology.subjects(RDF.type, kind) if str(s).startswith(KG)}


PREFIXES = _blocks()[0][1]


@pytest.mark.parametrize("line,block", _blocks()[1:], ids=lambda v: f"line{v}" if isinstance(v, int) else "")
def test_turtle_example_parses_and_uses_declared_terms(line, block):
    graph = rdflib.Graph()
    try:
        graph.parse(data=PREFIXES + block, format="turtle")
    except Exception as error:  # the parser's message, with the page's line
        pytest.fail(f"{PAGE}:{line}: {error}")
    assert len(graph) > 0
    used = {str(t)[len(KG):] for triple in graph for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith(KG)}
    assert used <= _declared(), f"{PAGE}:{line}: not in ontology/kg.ttl: {sorted(used - _declared())}"


def test_page_names_every_term_of_the_ontology():
    text = PAGE.read_text(encoding="utf-8")
    missing = sorted(term for term in _declared() if not re.search(rf"kg:{term}\b", text))
    assert not missing, f"{PAGE} does not describe: {missing}"


def test_every_class_has_a_turtle_example():
    examples = "".join(block for _, block in _blocks()[1:])
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "kg.ttl")
    classes = sorted(str(s)[len(KG):] for s in ontology.subjects(RDF.type, OWL.Class) if str(s).startswith(KG))
    missing = [c for c in classes if not re.search(rf"\ba kg:{c}\b|, kg:{c}\b", examples)]
    assert not missing, f"{PAGE}: no Turtle example of {missing}"
