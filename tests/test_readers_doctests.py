"""The Examples in the ingestion modules' docstrings run and pass."""

import doctest
import importlib
import logging

import pytest

MODULES = [
    "kg.atomic", "kg.textclean", "kg.merging", "kg.corpus",
    "kg.readers", "kg.readers.source", "kg.readers.fields", "kg.readers.dates", "kg.readers.identifiers",
    "kg.readers.listing", "kg.readers.jsonrecords", "kg.readers.csvfile", "kg.readers.arxiv",
    "kg.readers.openalex", "kg.readers.bibtex",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, caplog):
    caplog.set_level(logging.ERROR)  # examples report problems on purpose
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
