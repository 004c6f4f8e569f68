"""Stores (rdflib memory, Oxigraph in memory and on disk) give the same graph; writing and reading it back."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from graphfixtures import canonical_quads, fixed_run, small_corpus
from oxrdflib import OxigraphStore
from rdflib import RDF

from kg.graph import build_graph, write_graph
from kg.graphfile import load_graph
from kg.vocab import KG


@pytest.fixture(scope="module")
def expected() -> set[str]:
    papers, extractions = small_corpus()
    return canonical_quads(build_graph(papers, extractions, run=fixed_run(), store="memory"))


@pytest.mark.parametrize("store", ["oxigraph", "oxigraph-disk"])
def test_oxigraph_stores_hold_the_same_quads_as_rdflib(expected, store):
    papers, extractions = small_corpus()
    dataset = build_graph(papers, extractions, run=fixed_run(), store=store)
    assert isinstance(dataset.store, OxigraphStore)
    assert canonical_quads(dataset.store._inner) == expected
    # and the rdflib API works on top of it, union default graph included
    assert len(list(dataset.subjects(RDF.type, KG.Mention))) > 10
    (row,) = dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }", initNs={"kg": KG._NS})
    assert int(row[0]) == 3


def test_auto_store_is_rdflib_for_small_graphs():
    papers, extractions = small_corpus()
    assert not isinstance(build_graph(papers, extractions).store, OxigraphStore)
    with pytest.raises(ValueError):
        build_graph(papers, extractions, store="postgres")


def test_write_graph_writes_both_files_atomically_and_reproducibly(tmp_path, expected):
    papers, extractions = small_corpus()
    dataset = build_graph(papers, extractions, run=fixed_run(), store="oxigraph")
    paths = write_graph(dataset, tmp_path)
    assert [p.name for p in paths] == ["graph.trig", "graph.ttl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.trig", "graph.ttl"]  # no temporary files left
    assert {str(q) for q in ox.parse(path=str(paths[0]), format=ox.RdfFormat.TRIG)} == expected
    merged = {str(t) for t in ox.parse(path=str(paths[1]), format=ox.RdfFormat.TURTLE)}
    assert merged == {str(ox.parse(q + " .", format=ox.RdfFormat.N_QUADS).__next__().triple) for q in expected}
    first = paths[0].read_bytes(), paths[1].read_bytes()
    write_graph(build_graph(papers, extractions, run=fixed_run(), store="memory"), tmp_path)
    assert (paths[0].read_bytes(), paths[1].read_bytes()) == first


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_load_graph_reads_a_build_directory_back(tmp_path, expected, store):
    papers, extractions = small_corpus()
    write_graph(build_graph(papers, extractions, run=fixed_run()), tmp_path)
    loaded = load_graph(tmp_path, store=store)
    assert canonical_quads(loaded) == expected
    assert isinstance(loaded.store, OxigraphStore) == (store == "oxigraph")


def test_oxigraph_backed_dataset_gives_literals_as_rdflib_makes_them():
    from rdflib import Literal

    papers, extractions = small_corpus()
    memory = build_graph(papers, extractions, run=fixed_run(), store="memory")
    oxigraph = build_graph(papers, extractions, run=fixed_run(), store="oxigraph")
    assert set(oxigraph.triples((None, None, None))) == set(memory.triples((None, None, None)))
    mention = next(oxigraph.subjects(KG.field, Literal("abstract")))
    assert oxigraph.value(mention, KG.field) == Literal("abstract")
    rows = oxigraph.query("SELECT ?f WHERE { ?m a kg:Mention ; kg:field ?f }", initNs={"kg": KG._NS})
    assert {row[0] for row in rows} == {Literal("abstract"), Literal("title")}
