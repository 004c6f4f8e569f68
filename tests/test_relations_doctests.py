"""The Examples in the relation modules' docstrings run as tests."""

import doctest
import importlib

import pytest

MODULES = ["extractors.relations", "extractors.relation_patterns", "extractors.relation_features", "extractors.relation_model"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
