"""Views without a browser: selection, escaping, the page's policy, writing, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.graphfile import load_graph
from kg.views import read_facts, render_view, select_view, write_overview
from kg.views.layout import layout_view

FIXTURE = Path(__file__).parent / "fixtures" / "views_hostile.ttl"
E = "https://example.org/kg/entity/"
P = "https://example.org/kg/paper/"


@pytest.fixture(scope="module")
def facts():
    return read_facts(load_graph(FIXTURE))


def _keys(model, kind):
    return {n.key for n in model.nodes if n.kind == kind}


def test_overview_keeps_the_top_entities_and_their_links(facts):
    full = select_view(facts)
    assert _keys(full, "entity") == {E + n for n in ("bert", "squad", "qa", "f1", "lora", "evil", "glue")}
    top3 = select_view(facts, top=3)
    assert _keys(top3, "entity") == set(facts.ranked_entities()[:3])
    assert all(e.kind == "co-mention" for e in top3.edges)
    # BERT and question answering are mentioned together by p1 and p3.
    support = {(e.source, e.target): e.support for e in full.edges}
    assert support[(E + "bert", E + "qa")] == 2


def test_entity_view_is_found_by_alias_and_shows_its_papers(facts):
    model = select_view(facts, view="entity", entity="low-rank ADAPTATION ")
    assert model.focus == E + "lora"
    assert _keys(model, "paper") == {P + "p2", P + "p6"}
    assert _keys(model, "entity") == {E + n for n in ("lora", "bert", "glue", "qa", "f1")}
    lora = next(n for n in model.nodes if n.key == E + "lora")
    assert lora.mentions == 2 and [p.id for p in lora.papers] == ["arxiv:2106.09685", "p6"]
    # p2 has no schema:url: its arXiv id gives the link.
    assert lora.papers[0].url == "https://arxiv.org/abs/2106.09685"


def test_paper_view_has_its_entities_and_their_other_papers(facts):
    model = select_view(facts, view="paper", paper="arxiv:2106.09685")
    assert model.focus == P + "p2"
    assert _keys(model, "entity") == {E + "lora", E + "bert", E + "glue"}
    assert _keys(model, "paper") == {P + n for n in ("p1", "p2", "p3", "p5", "p6")}
    assert select_view(facts, view="paper", paper="2106.09685").focus == P + "p2"


def test_community_view_lists_its_members(facts):
    first = facts.communities.communities[0]
    model = select_view(facts, view="community", community=1)
    assert _keys(model, "entity") == set(first.members)
    assert model.heading == f"Community 1: {first.name}"


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"view": "entity", "entity": "BER"}, LookupError, "did you mean 'BERT'"),
        ({"view": "paper", "paper": "p99"}, LookupError, "no paper with id 'p99'"),
        ({"view": "community", "community": 9}, LookupError, "communities 1 to 2"),
        ({"view": "entity"}, ValueError, "needs entity="),
        ({"view": "overview", "paper": "p1"}, ValueError, "does not take paper="),
        ({"view": "map"}, ValueError, "unknown view"),
        ({"top": 0}, ValueError, "at least 1"),
    ],
)
def test_bad_requests_say_what_is_wrong(facts, options, error, message):
    with pytest.raises(error, match=re.escape(message)):
        select_view(facts, **options)


def test_page_escapes_data_and_allows_only_its_own_scripts(facts):
    page = render_view(facts, view="paper", paper="p3")
    # Two scripts run (vis-network, view.js) and four hold JSON; the data never closes one.
    assert len(re.findall(r"^<script>", page, re.MULTILINE)) == 2 and page.count("</script>") == 6
    assert "window.__pwned" in page  # the data is there...
    assert "<script>window.__pwned" not in page and "<img src=x" not in page  # ...escaped
    assert "<h1 id=\"kg-heading\">Paper: &lt;/script&gt;&lt;script&gt;" in page
    nodes = json.loads(re.search(r'<script id="kg-nodes" type="application/json">(.*?)</script>', page).group(1))
    links = [u for n in nodes for u in n["kgUrls"] + [p["url"] for p in n["kgPapers"]] if u]
    assert links and all(u.startswith("https://") for u in links)  # javascript: is dropped
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in policy and policy.count("'sha256-") == 2 and "unsafe-inline" not in policy.split(";")[1]
    # Nothing is loaded from elsewhere: no src or href attribute at all, no Bootstrap.
    assert not re.search(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=", page)
    assert "bootstrap" not in page.lower()


def test_same_seed_same_page(facts):
    assert render_view(facts, seed=3) == render_view(facts, seed=3)
    model = select_view(facts)
    assert layout_view(model, seed=1) != layout_view(model, seed=2)


def test_write_overview_replaces_the_file_atomically(facts, tmp_path):
    out = tmp_path / "graph.html"
    out.write_text("old")
    assert write_overview(facts, out, top=2) == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_cli_writes_each_view(tmp_path):
    runner = CliRunner()
    for args, heading in (
        ([], "Overview: the most central entities"),
        (["--entity", "SQuAD"], "Entity: SQuAD"),
        (["--paper", "p4", "--top", "2"], "Paper: Reading comprehension at scale"),
        (["--community", "2"], "Community 2:"),
    ):
        out = tmp_path / "v.html"
        result = runner.invoke(cli, ["view", str(FIXTURE), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        assert f"<h1 id=\"kg-heading\">{heading}" in out.read_text(encoding="utf-8")


def test_cli_errors_name_the_problem(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/kg/ontology#> .\n\nkg:a kg:b \"unclosed .\n", encoding="utf-8")
    result = runner.invoke(cli, ["view", str(bad), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and str(bad) in result.output and "line 3" in result.output
    result = runner.invoke(cli, ["view", str(FIXTURE), "--entity", "nothing-like-it", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1 and "no entity called 'nothing-like-it'" in result.output
    result = runner.invoke(cli, ["view", str(FIXTURE), "--entity", "BERT", "--paper", "p1"])
    assert result.exit_code == 2 and "at most one of" in result.output
    assert not (tmp_path / "x.html").exists()


def test_dense_views_keep_each_entitys_strongest_links():
    import rdflib

    from kg.vocab import KG, SKOS

    graph = rdflib.Graph()
    names = [f"e{i}" for i in range(12)]
    for name in names:
        graph.add((rdflib.URIRef(E + name), rdflib.RDF.type, KG.Method))
        graph.add((rdflib.URIRef(E + name), SKOS.prefLabel, rdflib.Literal(name)))
    # One paper mentions all twelve (66 links of support 1); e0 and e1 meet twice more.
    for paper, mentioned in (("all", names), ("a", ["e0", "e1"]), ("b", ["e0", "e1"])):
        graph.add((rdflib.URIRef(P + paper), rdflib.RDF.type, KG.Paper))
        for name in mentioned:
            graph.add((rdflib.URIRef(P + paper), KG.mentions, rdflib.URIRef(E + name)))
    dense = read_facts(graph)
    overview = select_view(dense)
    links = {(e.source, e.target): e.support for e in overview.edges}
    assert len(links) < 66 and "strongest of 66" in overview.summary
    assert links[(E + "e0", E + "e1")] == 3
    assert all(any(k in pair for pair in links) for k in (E + n for n in names))
    focused = select_view(dense, view="entity", entity="e5")
    assert sum(E + "e5" in (e.source, e.target) for e in focused.edges if e.kind == "co-mention") == 11


def test_overview_reuses_the_builds_analytics(tmp_path):
    from kg.analytics import run_analytics

    graph = load_graph(FIXTURE)
    before = render_view(graph)
    # As `kg build` does: analytics written back into the graph, then the overview.
    result = run_analytics(graph, out=tmp_path / "build", seed=0).result
    reused = read_facts(graph, analytics=result)
    assert reused.communities is result.communities
    assert {i: s.rank for i, s in reused.scores.items()} == {i: s.rank for i, s in read_facts(graph).scores.items()}
    out = write_overview(graph, tmp_path / "graph.html", analytics=result)
    assert out.read_text(encoding="utf-8") == before
