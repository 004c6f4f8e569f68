"""Every registered export format reads back to what was exported.

One test, parametrised from the registry: a format added through the ``kg.exporters``
entry point is tested here without a line of test code, as long as it is of a known kind
(RDF with a media type pyoxigraph knows, GraphML/GEXF, or the Neo4j CSV directory).
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.export import export, exporters, get_exporter
from kg.export.neo4j import ARRAY_DELIMITER
from kg.export.network import comention_network
from kg.graphfile import load_graph, rdf_format_for

FIXTURE = Path(__file__).parent / "fixtures" / "export_small.trig"


@pytest.fixture(scope="module")
def source() -> rdflib.Dataset:
    return load_graph(FIXTURE)


def _named_graphs(dataset: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    graphs = {}
    for graph in dataset.graphs():
        if len(graph):
            copy = rdflib.Graph()
            for triple in graph:
                copy.add(triple)
            graphs[str(graph.identifier)] = copy
    return graphs


def _union(dataset: rdflib.Graph) -> rdflib.Graph:
    union = rdflib.Graph()
    for triple in dataset.triples((None, None, None)):
        union.add(triple)
    return union


def _check_rdf(name: str, path: Path, source: rdflib.Dataset) -> None:
    ox_format = ox.RdfFormat.from_media_type(get_exporter(name).media_type)
    assert ox_format is not None, f"no pyoxigraph format for {name}"
    # rdflib reads it back ...
    read = rdflib.Dataset(default_union=True)
    read.parse(path, format=rdf_format_for(path))
    if ox_format.supports_datasets:
        expected, got = _named_graphs(source), _named_graphs(read)
        assert set(got) == set(expected)
        for graph_name, graph in expected.items():
            assert isomorphic(got[graph_name], graph), graph_name
    else:
        assert isomorphic(_union(read), _union(source))
    # ... and so does pyoxigraph, quad for quad (blank nodes compared by count).
    parsed = list(ox.parse(path=path, format=ox_format))
    statements = ox.Store()
    statements.extend(q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in parsed)
    assert len(statements) == (len(set(source.quads())) if ox_format.supports_datasets else len(_union(source)))
    without_bnodes = {str(q.triple) for q in statements if not any(isinstance(t, ox.BlankNode) for t in q.triple)}
    assert '<https://example.org/kg/entity/bert> <http://www.w3.org/2004/02/skos/core#prefLabel> "BERT"' in without_bnodes


def _check_network(path: Path, source: rdflib.Dataset) -> None:
    reader = {".graphml": nx.read_graphml, ".gexf": nx.read_gexf}[path.suffix]
    got, expected = reader(path), comention_network(source)
    assert set(got.nodes) == set(expected.nodes) and len(expected) == 4
    assert {frozenset(e) for e in got.edges} == {frozenset(e) for e in expected.edges}
    for a, b, data in expected.edges(data=True):
        assert int(got.edges[a, b]["support"]) == data["support"]
        assert float(got.edges[a, b]["npmi"]) == pytest.approx(data["npmi"])
    assert got.nodes["https://example.org/kg/entity/qa"]["label"] == "question answering"


def _check_neo4j(folder: Path, source: rdflib.Dataset) -> None:
    rows: dict[str, dict] = {}
    for node_file in folder.glob("nodes_*.csv"):
        with node_file.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows[row["iri:ID"]] = row
    subjects = {str(s) for s in source.subjects() if isinstance(s, rdflib.URIRef)}
    assert subjects <= set(rows)
    paper = rows["https://example.org/kg/paper/p1"]
    assert paper[":LABEL"] == "Paper"
    assert paper["abstract:string"] == str(source.value(rdflib.URIRef("https://example.org/kg/paper/p1"), rdflib.DCTERMS.abstract))
    assert sorted(paper["creator:string[]"].split(ARRAY_DELIMITER)) == ["Chang, M.", "Devlin, J."]
    assert rows["https://example.org/kg/paper/p2"]["citationCount:long"] == "42"
    assert rows["https://example.org/kg/entity/bert"][":LABEL"] == "Entity;Model"
    links = set()
    for rel_file in folder.glob("rels_*.csv"):
        with rel_file.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                assert row[":START_ID"] in rows and row[":END_ID"] in rows
                links.add((row[":START_ID"], row[":END_ID"], row[":TYPE"]))
    resource_links = {(s, p, o) for s, p, o in source.triples((None, None, None)) if not isinstance(o, rdflib.Literal) and p != rdflib.RDF.type}
    assert len(links) == len(resource_links)
    assert ("https://example.org/kg/paper/p1", "https://example.org/kg/entity/bert", "INTRODUCES") in links
    script = (folder / "import.sh").read_text()
    assert all(f"--nodes={p.name}" in script for p in folder.glob("nodes_*.csv"))


@pytest.mark.parametrize("name", sorted(exporters()))
def test_format_round_trips(name: str, source: rdflib.Dataset, tmp_path: Path) -> None:
    exporter = get_exporter(name)
    out = tmp_path / (name if exporter.writes_directory else f"graph{exporter.extension}")
    assert export(source, format=name, out=out) == out
    if exporter.kind == "rdf":
        _check_rdf(name, out, source)
    elif exporter.kind == "network":
        _check_network(out, source)
    elif exporter.kind == "directory" and name == "neo4j":
        _check_neo4j(out, source)
    else:
        pytest.fail(f"format {name!r} (kind {exporter.kind!r}) has no reader in this test: add one")


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_export_from_file_equals_export_from_dataset(store: str, tmp_path: Path) -> None:
    source = load_graph(FIXTURE, store=store)  # rdflib's memory store, or pyoxigraph via oxrdflib
    from_file = export(FIXTURE, format="nquads", out=tmp_path / "a.nq").read_bytes()
    from_dataset = export(source, format="nquads", out=tmp_path / "b.nq").read_bytes()
    # Blank node labels differ between parsers; everything else is the same sorted text.
    without_blank = [line for line in from_file.splitlines() if b"_:" not in line]
    assert without_blank == [line for line in from_dataset.splitlines() if b"_:" not in line]
    assert len(from_file.splitlines()) == len(from_dataset.splitlines()) == 49


@pytest.fixture(scope="module")
def kg_graph() -> rdflib.Dataset:
    """A graph built by `kg.graph.build_graph` from hostile hand-written papers (RTL marks,
    quotes, angle brackets, line breaks, a 10,000-character name), provenance included."""
    from graphfixtures import fixed_run, small_corpus

    from kg.graph import build_graph

    papers, extractions = small_corpus()
    return build_graph(papers, extractions, run=fixed_run(), store="memory")


@pytest.mark.parametrize("name", sorted(n for n, e in exporters().items() if e.kind == "rdf"))
def test_rdf_formats_round_trip_a_built_graph(name: str, kg_graph: rdflib.Dataset, tmp_path: Path) -> None:
    exporter = get_exporter(name)
    out = export(kg_graph, format=name, out=tmp_path / f"graph{exporter.extension}")
    read = rdflib.Dataset(default_union=True)
    read.parse(out, format=rdf_format_for(out))
    if ox.RdfFormat.from_media_type(exporter.media_type).supports_datasets:
        expected, got = _named_graphs(kg_graph), _named_graphs(read)
        assert set(got) == set(expected) and len(expected) >= 4
        assert all(isomorphic(got[g], expected[g]) for g in expected)
    else:
        assert isomorphic(_union(read), _union(kg_graph))
