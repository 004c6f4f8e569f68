"""The Examples in the graph, resolution and vocabulary modules' docstrings run and pass."""

import doctest
import importlib

import pytest

MODULES = [
    "kg.vocab", "kg.names", "kg.resolve", "kg.iris", "kg.provenance", "kg.paper_triples", "kg.graph",
    "kg.graphstore", "kg.oxigraph_store", "kg.graphfile",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
