"""The Examples in the extractor modules' docstrings run as tests."""

import doctest
import importlib

import pytest

MODULES = [
    "extractors.abbreviations", "extractors.aggregate", "extractors.entity_typing", "extractors.generic",
    "extractors.lexicon", "extractors.names", "extractors.offsets", "extractors.pipeline", "extractors.sentences", "extractors.titles",
    "kg.extraction",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
