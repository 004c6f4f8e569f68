"""The Examples in the docstrings of every module of kg/ and extractors/ run and pass.

Modules are found by walking the packages, so a new module is covered without being
listed here; a module that fails to import fails its test.
"""

import doctest
import importlib
import logging
import pkgutil

import pytest

import extractors
import kg


def _modules() -> list[str]:
    names = []
    for package in (kg, extractors):
        names.append(package.__name__)
        names += [info.name for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + ".")]
    return sorted(names)


MODULES = _modules()

# Modules that document by example: losing their Examples section fails the test.
WITH_EXAMPLES = {
    # ingestion
    "kg.atomic", "kg.textclean", "kg.merging", "kg.corpus",
    "kg.readers", "kg.readers.source", "kg.readers.fields", "kg.readers.dates", "kg.readers.identifiers",
    "kg.readers.listing", "kg.readers.jsonrecords", "kg.readers.csvfile", "kg.readers.arxiv",
    "kg.readers.openalex", "kg.readers.bibtex",
    # extraction
    "extractors.abbreviations", "extractors.aggregate", "extractors.entity_typing", "extractors.generic",
    "extractors.lexicon", "extractors.names", "extractors.head_phrases", "extractors.rule_words", "extractors.candidate_sources", "extractors.offsets", "extractors.pipeline", "extractors.sentences",
    "extractors.titles", "kg.extraction",
    # graph, resolution, vocabulary
    "kg.vocab", "kg.names", "kg.resolve", "kg.iris", "kg.provenance", "kg.paper_triples", "kg.nquads", "kg.graph",
    "kg.graphstore", "kg.oxigraph_store", "kg.graphfile", "kg.storeorder", "kg.graphpatch",
    # analytics
    "kg.analytics.mentions", "kg.analytics.comention", "kg.analytics.backends", "kg.analytics.centrality",
    "kg.analytics.communities", "kg.analytics.trends", "kg.analytics.analyze", "kg.analytics.writeback", "kg.csvcells",
    # SPARQL, views, exports
    "kg.sparql", "kg.sparql.named", "kg.sparql.formats", "kg.views", "kg.export.writer",
    # build state, parallel extraction, views
    "kg.buildstate", "kg.parallel", "kg.views.model", "kg.views.layout", "kg.views.page",
    # relations
    "extractors.relations", "extractors.relation_patterns", "extractors.relation_features", "extractors.sparse_logistic",
    # records and problems
    "kg.problems", "extractors.records", "kg.build",
}


def test_modules_with_examples_exist():
    assert WITH_EXAMPLES <= set(MODULES), sorted(WITH_EXAMPLES - set(MODULES))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, caplog):
    caplog.set_level(logging.ERROR)  # reader examples report bad records on purpose
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed (output above)"
    assert result.attempted > 0 or name not in WITH_EXAMPLES, f"{name}: its docstrings lost their Examples"
