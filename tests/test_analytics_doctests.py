"""The Examples in the analytics modules' docstrings run and pass."""

import doctest
import importlib

import pytest

MODULES = [
    "kg.analytics.mentions", "kg.analytics.comention", "kg.analytics.backends", "kg.analytics.centrality",
    "kg.analytics.communities", "kg.analytics.trends", "kg.analytics.analyze", "kg.analytics.writeback",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
