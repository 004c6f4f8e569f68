"""Big builds: analytics read from and written to the Oxigraph store, builds without graph files, corpus-graph updates."""

from __future__ import annotations

import json
import sqlite3

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg.analytics.mentions import read_mentions
from kg.analytics.writeback import write_back
from kg.analytics import analyze
from kg.build import build
from kg.buildstate import STATE_FILE
from kg.cli import cli
from kg.graphfile import load_graph, resolve_graph_path
from kg.graphstore import new_dataset
from kg.quadstore import open_quads
from scalefixtures import bundled_papers, quads, write_papers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SMALL = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix e: <https://example.org/entity/> .
@prefix p: <https://example.org/paper/> .
p:1 a kg:Paper ; dcterms:date "2024-01-05" ; kg:mentions e:llm, e:rl .
p:2 a kg:Paper ; dcterms:date " " ; kg:mentions e:llm, e:rl, e:gsm8k, "not an entity" .
p:3 a kg:Paper ; kg:mentions e:llm, e:gsm8k, e:math .
p:4 a kg:Paper .
<https://example.org/other> kg:mentions e:rl .
e:llm a kg:Entity, kg:Method, kg:Model ; skos:prefLabel "large language models" .
e:rl a kg:Task, kg:Method ; skos:prefLabel "reinforcement learning" .
e:gsm8k a kg:Benchmark ; skos:prefLabel "GSM8K" .
"""


def _oxigraph_dataset(turtle: str) -> rdflib.Dataset:
    dataset = new_dataset("oxigraph")
    dataset.graph(rdflib.URIRef("https://example.org/g")).parse(data=turtle, format="turtle")
    return dataset


def test_mentions_read_from_the_store_equal_rdflibs():
    in_memory = rdflib.Dataset(default_union=True)
    in_memory.graph(rdflib.URIRef("https://example.org/g")).parse(data=SMALL, format="turtle")
    stored = read_mentions(_oxigraph_dataset(SMALL))
    assert stored == read_mentions(in_memory)
    assert stored.entities["https://example.org/entity/rl"].type == "Method"  # first of the six classes wins
    assert stored.entities["https://example.org/entity/math"].label == "math"  # no prefLabel: end of the IRI
    assert "https://example.org/other" not in stored.papers and "https://example.org/paper/4" in stored.papers


def test_write_back_into_the_store_equals_rdflibs():
    in_memory = rdflib.Dataset(default_union=True)
    in_memory.graph(rdflib.URIRef("https://example.org/g")).parse(data=SMALL, format="turtle")
    stored = _oxigraph_dataset(SMALL)
    result = analyze(in_memory)
    for dataset in (in_memory, stored):
        write_back(dataset, result, base_iri="https://example.org/kg/")
        write_back(dataset, result, base_iri="https://example.org/kg/")  # replaces, never piles up
    name = rdflib.URIRef("https://example.org/kg/graph/analytics")
    assert len(stored.graph(name)) == len(in_memory.graph(name)) > 0
    assert set(open_quads(stored).store) == set(open_quads(in_memory).store)


def _ranking(folder):
    """Rank, IRI, label and type of each concept (scores are sums: their last bits depend on iteration order)."""
    return [line.split(",")[:4] for line in (folder / "concepts.csv").read_text().splitlines()]


@pytest.fixture(scope="module")
def storeonly(tmp_path_factory):
    """The same 8 papers built with and without graph files."""
    root = tmp_path_factory.mktemp("storeonly")
    source = write_papers(root / "papers.jsonl", bundled_papers()[:8])
    options = dict(inputs=[str(source)], profile="fast", view=False)
    with_files = build(out=root / "files", **options)
    without = build(out=root / "store", graph_files=False, **options)
    return root, with_files, without


def test_a_build_without_graph_files_has_its_graph_in_the_store(storeonly):
    root, with_files, without = storeonly
    out = root / "store"
    assert not (out / "graph.trig").exists() and "graph.trig" not in without.files
    assert resolve_graph_path(out) == out / "store"
    assert (without.papers, without.entities) == (with_files.papers, with_files.entities)
    # the store is the graph, analytics aside (they are in the analytics files only)
    stored = open_quads(out)
    dumped = root / "dump.trig"
    with open(dumped, "wb") as handle:
        stored.store.dump(handle, ox.RdfFormat.TRIG)
    assert quads(dumped) == quads(root / "files" / "graph.trig", skip_graphs=("graph/analytics",))
    assert stored.prefixes["entity"].endswith("/entity/")
    assert (out / "analytics.ttl").read_bytes() == (root / "files" / "analytics.ttl").read_bytes()
    assert _ranking(out) == _ranking(root / "files")


def test_commands_read_a_build_directory_without_graph_files(storeonly, tmp_path):
    root, _, without = storeonly
    out = root / "store"
    dataset = load_graph(out)
    assert len(set(dataset.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/kg/ontology#Paper")))) == 8
    runner = CliRunner()
    answer = runner.invoke(cli, ["query", str(out), "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Paper }", "--format", "csv"])
    assert answer.exit_code == 0, answer.output
    assert answer.output.splitlines()[-1].strip() == "8"
    exported = runner.invoke(cli, ["export", str(out), "--format", "nquads", "-o", str(tmp_path / "g.nq")])
    assert exported.exit_code == 0, exported.output
    assert sum(1 for _ in ox.parse(path=tmp_path / "g.nq", format=ox.RdfFormat.N_QUADS)) == without.triples
    analyzed = runner.invoke(cli, ["-q", "analyze", str(out), "--out", str(tmp_path / "analytics")])
    assert analyzed.exit_code == 0, analyzed.output
    assert _ranking(tmp_path / "analytics") == _ranking(out)


def test_a_grown_build_drops_its_graph_files_and_written_back_analytics(tmp_path):
    papers = bundled_papers()[:6]
    source = write_papers(tmp_path / "papers.jsonl", papers)
    out = tmp_path / "out"
    build(inputs=[str(source)], out=out, profile="fast", view=False)
    assert (out / "graph.trig").exists()
    build(inputs=[str(source)], out=out, profile="fast", view=False, graph_files=False)
    assert not (out / "graph.trig").exists() and not (out / "graph.ttl").exists()
    names = {graph.value for graph in open_quads(out).store.named_graphs()}
    assert not any(name.endswith("graph/analytics") for name in names)


def test_an_increment_rewrites_only_the_corpus_subjects_that_changed(tmp_path):
    papers = bundled_papers()[:12]
    out = tmp_path / "out"
    build(inputs=[str(write_papers(tmp_path / "a.jsonl", papers[:10]))], out=out, profile="fast", view=False)
    with sqlite3.connect(out / STATE_FILE) as db:
        before = dict(db.execute("SELECT subject, digest FROM corpus"))
    build(inputs=[str(write_papers(tmp_path / "b.jsonl", papers))], out=out, profile="fast", view=False)
    with sqlite3.connect(out / STATE_FILE) as db:
        after = dict(db.execute("SELECT subject, digest FROM corpus"))
        assert db.execute("SELECT value FROM meta WHERE name = 'corpus'").fetchone() is None  # not left dirty
    kept = [subject for subject in before if after.get(subject) == before[subject]]
    assert kept and len(kept) < len(before)  # some subjects untouched, some (counts, runs) rewritten
    fresh = tmp_path / "fresh"
    build(inputs=[str(tmp_path / "b.jsonl")], out=fresh, profile="fast", view=False)
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")
    with sqlite3.connect(fresh / STATE_FILE) as db:
        assert dict(db.execute("SELECT subject, digest FROM corpus")).keys() == after.keys()


def test_a_corpus_graph_left_dirty_is_repaired(tmp_path):
    """A run stopped while rewriting the corpus graph: the next one compares against what the store holds."""
    papers = bundled_papers()[:8]
    source = write_papers(tmp_path / "a.jsonl", papers)
    out = tmp_path / "out"
    build(inputs=[str(source)], out=out, profile="fast", view=False)
    with sqlite3.connect(out / STATE_FILE) as db:  # as if killed mid-way: rows lost, flag set
        db.execute("DELETE FROM corpus WHERE rowid % 2 = 0")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('corpus', 'dirty')")
        db.execute("DELETE FROM meta WHERE name = 'finished'")
    smaller = write_papers(tmp_path / "b.jsonl", papers[:5])
    build(inputs=[str(smaller)], out=out, profile="fast", view=False, prune=True)
    fresh = tmp_path / "fresh"
    build(inputs=[str(smaller)], out=fresh, profile="fast", view=False)
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")
    assert json.loads((out / "build.json").read_text())["papers"] == 5


def test_a_store_only_increment_counts_its_quads_without_scanning(tmp_path):
    papers = bundled_papers()[:9]
    out = tmp_path / "out"
    options = dict(out=out, profile="fast", view=False, graph_files=False)
    build(inputs=[str(write_papers(tmp_path / "a.jsonl", papers[:6]))], **options)
    grown = build(inputs=[str(write_papers(tmp_path / "b.jsonl", papers[2:]))], prune=True, **options)
    assert grown.triples == len(open_quads(out).store)
    assert (grown.extracted, grown.removed, grown.papers) == (3, 2, 7)


def test_the_mention_rows_kept_by_the_graph_update_equal_the_stores(tmp_path):
    from kg.buildstate import BuildState
    from kg.graphupdate import mention_table, open_store

    papers = bundled_papers()[:10]
    out = tmp_path / "out"
    build(inputs=[str(write_papers(tmp_path / "a.jsonl", papers[:7]))], out=out, profile="fast", view=False)
    build(inputs=[str(write_papers(tmp_path / "b.jsonl", papers[3:]))], out=out, profile="fast", view=False, prune=True)
    state = BuildState(out)
    try:
        with open_store(out, base_iri="https://w3id.org/kg/resource/") as dataset:
            kept, read = mention_table(dataset, state), read_mentions(dataset)
    finally:
        state.close()
    assert kept == read and len(kept.papers) == 7 and kept.dates
