"""Analytics from RDF to RDF and files: reading, trends, write-back round trip, outputs, CLI,
and the quality bar on the corpus graph."""

from __future__ import annotations

import csv
import json
from importlib.resources import files

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.plugins.sparql import prepareQuery

from analytics_corpus import GENERIC_WORDS, available, gold_corpus_graph
from kg.analytics import analyze, run_analytics
from kg.analytics.centrality import centrality_measures
from kg.analytics.comention import comention_graph
from kg.analytics.mentions import MentionTable, read_mentions
from kg.analytics.trends import PaperDate, mention_trends, parse_date, rising_entities
from kg.analytics.writeback import comention_iri, write_back
from kg.cli import cli
from kg.graphfile import load_graph
from kg.vocab import KG

SMALL = """
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix e: <https://example.org/entity/> .
@prefix p: <https://example.org/paper/> .
p:1 a kg:Paper ; dcterms:date "2024-01-05" ; kg:mentions e:llm, e:rl .
p:2 a kg:Paper ; dcterms:date "2024-01-20" ; kg:uses e:llm ; kg:mentions e:llm, e:rl, e:gsm8k .
p:3 a kg:Paper ; dcterms:date "2024-02-02" ; kg:mentions e:llm, e:gsm8k, e:math .
p:4 a kg:Paper ; kg:mentions e:gsm8k, e:math .
p:5 a kg:Paper ; kg:mentions e:llm, e:math .
e:llm a kg:Entity, kg:Method ; skos:prefLabel "large language models" .
e:rl a kg:Method ; skos:prefLabel "reinforcement learning" .
e:gsm8k a kg:Benchmark ; skos:prefLabel "GSM8K" .
e:math a kg:Benchmark .
"""


@pytest.fixture(scope="module")
def corpus_graph() -> rdflib.Graph:
    if not available():
        pytest.skip("the shared annotation and eval files are not here")
    return gold_corpus_graph()


@pytest.fixture(scope="module")
def corpus_result(corpus_graph):
    return analyze(corpus_graph, seed=3)


@pytest.fixture()
def small_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(data=SMALL, format="turtle")


def test_read_mentions_takes_papers_labels_types_and_dates(small_graph):
    table = read_mentions(small_graph)
    assert len(table.papers) == 5
    assert table.papers["https://example.org/paper/2"] == frozenset(
        f"https://example.org/entity/{e}" for e in ("llm", "rl", "gsm8k"))
    llm = table.entities["https://example.org/entity/llm"]
    assert (llm.label, llm.type) == ("large language models", "Method")  # a subclass beats kg:Entity
    assert table.entities["https://example.org/entity/math"].label == "math"  # no label: the IRI's end
    assert table.dates == {f"https://example.org/paper/{i}": d for i, d in
                           ((1, "2024-01-05"), (2, "2024-01-20"), (3, "2024-02-02"))}
    with pytest.raises(ValueError):
        MentionTable({}, {"p": frozenset({"unknown"})})


def test_partial_dates_and_trends():
    assert parse_date("2024") == PaperDate(2024, None, None)
    assert parse_date("--03-14") == PaperDate(None, 3, 14)
    assert parse_date("2024-13-01") is None and parse_date("") is None and parse_date("14 March") is None
    table = MentionTable.from_lists(
        {"a": ["x"], "b": ["x", "y"], "c": ["y"], "d": ["y"], "e": ["x"]},
        dates={"a": "2023-11-02", "b": "2023-12-24", "c": "2024-01-03", "d": "--01-04", "e": "2024-01-09"},
    )
    trends = mention_trends(table, granularity="month")
    assert trends.periods == ("2023-11", "2023-12", "2024-01")  # ordered by year, not as text of "--"
    assert trends.papers == (1, 1, 2) and trends.counts["y"] == (0, 1, 1)
    assert (trends.undated, trends.unordered) == (0, 1)  # "--01-04" has no year among dates that do
    assert mention_trends(table, granularity="year").periods == ("2023", "2024")
    with pytest.raises(ValueError):
        mention_trends(table, granularity="week")


def test_year_less_dates_are_ordered_within_one_year():
    table = MentionTable.from_lists(
        {"a": ["old"], "b": ["old"], "c": ["old", "new"], "d": ["new"], "e": ["new"], "f": ["new"]},
        dates={"a": "--03-11", "b": "--03-11", "c": "--03-14", "d": "--04-28", "e": "--04-28", "f": "--04-28"},
    )
    trends = mention_trends(table)
    assert trends.periods == ("--03-11", "--03-14", "--04-28") and trends.unordered == 0
    rising = rising_entities(table, trends, min_mentions=1)
    # late half: --04-28 (3 papers); "new" in all 3 late papers and 1 of 3 early ones
    assert [(r.label, r.early, r.late) for r in rising] == [("new", 1, 3)]
    assert rising[0].lift == pytest.approx((3.5 / 3.5) / (1.5 / 3.5))
    assert rising_entities(table, mention_trends(MentionTable.from_lists({"a": ["x"]}))) == []


def test_write_back_round_trip_through_sparql(corpus_graph, corpus_result, tmp_path):
    result = corpus_result
    dataset = rdflib.Dataset(default_union=True)
    for triple in corpus_graph:
        dataset.add(triple)
    added = write_back(dataset, result, base_iri="https://example.org/kg/")
    named = dataset.graph(rdflib.URIRef("https://example.org/kg/graph/analytics"))
    assert len(added) > 0 and len(named) == len(added)
    write_back(dataset, result, base_iri="https://example.org/kg/")  # replaces, never piles up
    assert len(dataset.graph(rdflib.URIRef("https://example.org/kg/graph/analytics"))) == len(added)
    dataset.serialize(tmp_path / "graph.nq", format="nquads")  # N-Quads: the fastest to reload
    reloaded = load_graph(tmp_path / "graph.nq")

    top = prepareQuery(
        "SELECT ?entity WHERE { ?entity kg:centralityRank ?rank } ORDER BY ?rank LIMIT 10",
        initNs={"kg": KG._NS},
    )
    assert [str(row.entity) for row in reloaded.query(top)] == [c.iri for c in result.concepts[:10]]

    link = result.links_by_npmi[0]
    pair = prepareQuery(
        "SELECT ?support ?npmi WHERE { ?c a kg:CoMention ; kg:coMentionOf ?a, ?b ; kg:support ?support ; kg:npmi ?npmi }",
        initNs={"kg": KG._NS},
    )
    rows = list(reloaded.query(pair, initBindings={"a": rdflib.URIRef(link.source), "b": rdflib.URIRef(link.target)}))
    assert [(int(r.support), float(r.npmi)) for r in rows] == [(link.support, pytest.approx(link.npmi))]
    assert comention_iri("https://example.org/kg/", link.source, link.target) in set(reloaded.subjects(KG.support, None))

    members = prepareQuery(
        "SELECT (COUNT(?e) AS ?n) WHERE { ?c kg:communityNumber 1 . ?e kg:inCommunity ?c }", initNs={"kg": KG._NS})
    assert int(next(iter(reloaded.query(members))).n) == result.communities.communities[0].size


def test_run_analytics_writes_every_file_atomically(small_graph, tmp_path):
    run = run_analytics(small_graph, out=tmp_path / "out", seed=0, npmi_min_support=2)
    out = tmp_path / "out"
    assert sorted(run.files) == sorted(p.name for p in out.iterdir())  # no temporary files left
    report = (out / "report.md").read_text("utf-8")
    for heading in ("## Central concepts", "## Strongest co-mention links", "## Tightest co-mention links by NPMI",
                    "## Communities", "## Trends"):
        assert heading in report
    assert "| 1 | large language models | Method |" in report
    data = json.loads((out / "analytics.json").read_text("utf-8"))
    assert data["counts"] == {"papers": 5, "entities": 4, "links": 5, "communities": len(run.result.communities.communities)}
    assert data["concepts"][0]["label"] == "large language models"
    with open(out / "concepts.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 and rows[0]["label"] == "large language models"
    assert run.top_links[0] == ("GSM8K", "large language models", 2, pytest.approx(run.result.links_by_support[0].npmi))
    assert run.summary_lines()[0] == "Top central concepts:"
    written = rdflib.Graph().parse(out / "analytics.ttl")
    assert (None, KG.centralityRank, None) in written and (None, rdflib.RDF.type, KG.CoMention) in written
    # write-back went into the graph itself too
    assert (rdflib.URIRef("https://example.org/entity/llm"), KG.centralityRank, rdflib.Literal(1)) in small_graph


def test_written_back_terms_conform_to_the_shapes(small_graph, tmp_path):
    pyshacl = pytest.importorskip("pyshacl")
    run = run_analytics(small_graph, out=tmp_path, seed=0, npmi_min_support=2, link_min_support=1)
    data = rdflib.Graph().parse(tmp_path / "analytics.ttl")
    for concept in run.result.concepts:  # what the graph builder says of each entity
        node = rdflib.URIRef(concept.iri)
        data += [(node, rdflib.RDF.type, KG.Entity), (node, rdflib.RDF.type, KG[concept.type]),
                 (node, rdflib.SKOS.prefLabel, rdflib.Literal(concept.label))]
    shapes = rdflib.Graph().parse(data=files("kg.ontology").joinpath("shapes.ttl").read_text("utf-8"), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes)
    assert conforms, text
    assert len(set(data.subjects(rdflib.RDF.type, KG.CoMention))) == run.result.links == 5
    link = next(data.subjects(rdflib.RDF.type, KG.CoMention))
    data.remove((link, KG.coMentionOf, next(data.objects(link, KG.coMentionOf))))  # one entity short
    assert not pyshacl.validate(data, shacl_graph=shapes)[0]


def test_cli_analyze(small_graph, tmp_path):
    source = tmp_path / "graph.ttl"
    small_graph.serialize(source, format="turtle")
    runner = CliRunner()
    result = runner.invoke(cli, ["analyze", str(source), "--out", str(tmp_path / "a"), "--top", "3"])
    assert result.exit_code == 0, result.output
    assert "1. large language models (Method)" in result.output and "Top co-mention links:" in result.output
    assert (tmp_path / "a" / "report.md").is_file()
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/a> <http://x/b> .\n")
    failed = runner.invoke(cli, ["analyze", str(bad), "--out", str(tmp_path / "b")])
    assert failed.exit_code != 0 and "bad.ttl" in str(failed.output) + str(failed.exception)
    foreign = tmp_path / "foreign.ttl"
    foreign.write_text("<http://x/a> <http://x/b> <http://x/c> .\n")
    refused = runner.invoke(cli, ["analyze", str(foreign), "--out", str(tmp_path / "c")])
    assert refused.exit_code != 0 and "foreign.ttl: no kg:Paper" in str(refused.output) + str(refused.exception)
    assert not (tmp_path / "c").exists()


def test_backends_agree_on_the_corpus_graph(corpus_graph):
    # 1,800 entities in many components: where igraph 0.11's ARPACK PageRank went negative.
    graph = comention_graph(read_mentions(corpus_graph))
    on_networkx = centrality_measures(graph, backend="networkx", betweenness_samples=40, seed=1)
    on_igraph = centrality_measures(graph, backend="igraph", betweenness_samples=40, seed=1)
    assert sum(on_igraph["pagerank"].values()) == pytest.approx(1.0)
    for measure in ("pagerank", "betweenness", "eigenvector"):
        assert on_igraph[measure] == pytest.approx(on_networkx[measure], abs=1e-6), measure


def test_same_seed_same_result(corpus_graph, corpus_result):
    again = analyze(corpus_graph, seed=3)
    assert json.dumps(corpus_result.to_json(), sort_keys=True) == json.dumps(again.to_json(), sort_keys=True)


def test_central_concepts_of_the_gold_graph_are_what_a_reader_would_name(corpus_result):
    """On the gold corpus graph (see analytics_corpus): what an ideal extractor would give."""
    result = corpus_result
    top10 = [c.label.casefold() for c in result.concepts[:10]]
    top50 = [c.label.casefold() for c in result.concepts[:50]]
    assert "large language models" in top10 and "gpt-4" in top10 and "fine-tuning" in top10
    assert any("reinforcement learning" in label for label in top10)
    assert "instruction tuning" in top50 and "gsm8k" in top50
    assert not GENERIC_WORDS & set(top50)
    # Tight pairs by NPMI are not the hub's: "large language models" in none of the top 10.
    top_npmi = [(result.labels[l.source], result.labels[l.target]) for l in result.links_by_npmi[:10]]
    assert all("large language models" not in pair for pair in top_npmi)
    assert ("GSM8K", "MATH") in top_npmi
    assert result.links_by_support[0].support >= 20
    assert result.communities.modularity > 0.5
