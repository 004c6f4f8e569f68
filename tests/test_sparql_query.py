"""`kg query` and the SPARQL library on a small graph in the contract vocabulary."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.cli import cli
from kg.sparql import (
    BindingError,
    QueryError,
    ResultTooLarge,
    UpdateRefused,
    open_store,
    parse_binding,
    parse_term,
    query_graph,
    run_query,
)
from kg.sparql.formats import format_result
from kg.sparql.values import bind_with_values

MINI = Path(__file__).parent / "data" / "sparql" / "mini.trig"
KG = rdflib.Namespace("https://w3id.org/kg/ontology#")
E = rdflib.Namespace("https://example.org/kg/entity/")


@pytest.fixture(scope="module", params=["rdflib", "oxigraph"])
def store(request):
    return open_store(MINI, engine=request.param)


def test_bind_values_are_read_as_sparql_terms():
    assert parse_binding("method=LoRA") == ("method", Literal("LoRA"))
    assert parse_binding("type=kg:Dataset") == ("type", KG.Dataset)
    assert parse_binding("e=<https://example.org/kg/entity/bert>") == ("e", E.bert)
    assert parse_term('"GLUE"@en') == Literal("GLUE", lang="en")
    assert parse_term('"5"^^xsd:integer') == Literal(5)
    assert parse_term("4.5") == Literal("4.5", datatype=XSD.decimal)
    assert parse_term("unknown:thing") == Literal("unknown:thing")  # not a declared prefix
    for bad in ("no-equals-sign", "1x=3", "e=<http://a b>"):
        with pytest.raises(BindingError):
            parse_binding(bad)


def test_select_with_a_bound_literal(store):
    query = "SELECT ?e WHERE { ?e skos:prefLabel ?l . FILTER(lcase(str(?l)) = lcase(str(?name))) }"
    result = run_query(store, query, bindings={"name": Literal("roberta")})
    assert result.variables == ("e",)
    assert result.rows == ((E.roberta,),)


def test_bound_iri_in_a_triple_pattern(store):
    result = run_query(store, "SELECT ?paper WHERE { ?paper kg:introduces ?e } ORDER BY ?paper", bindings={"e": E.lora})
    assert [str(r[0]).rsplit("/", 1)[1] for r in result.rows] == ["p1"]


def test_ask_construct_and_describe(store):
    assert run_query(store, "ASK { ?m a kg:Model }").boolean is True
    assert run_query(store, "ASK { ?m a kg:Paper ; skos:prefLabel ?l }").boolean is False
    graph = run_query(store, "CONSTRUCT { ?m a kg:Model } WHERE { ?m a kg:Model }")
    assert set(graph.triples) == {(E.bert, rdflib.RDF.type, KG.Model), (E.roberta, rdflib.RDF.type, KG.Model)}


def test_update_and_malformed_queries_are_refused(store):
    with pytest.raises(UpdateRefused, match="read-only"):
        run_query(store, "INSERT DATA { <http://a> <http://b> <http://c> }")
    with pytest.raises(UpdateRefused):
        run_query(store, "DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="malformed"):
        run_query(store, "SELECT ?s WHERE { ?s ?p ")


def test_result_size_limit(store):
    with pytest.raises(ResultTooLarge, match="more than 3 rows"):
        run_query(store, "SELECT * WHERE { ?s ?p ?o }", max_rows=3)
    assert len(run_query(store, "SELECT ?m WHERE { ?m a kg:Model }", max_rows=2)) == 2


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=40))
def test_any_bound_string_is_data_never_query_text(text):
    """Quotes, braces, newlines or '} DELETE' in a value must come back as the same literal."""
    store = open_store(MINI, engine="oxigraph")
    result = run_query(store, "SELECT ?v WHERE { BIND(?given AS ?v) }", bindings={"given": Literal(text)})
    assert result.rows == ((Literal(text),),)


def test_values_go_into_the_where_group_not_a_template_or_string():
    construct = 'CONSTRUCT { ?s kg:note "{ not a group }" } # { comment\nWHERE { ?s ?p ?o }'
    bound = bind_with_values(construct, {"o": E.glue})
    assert bound.index("VALUES") > bound.index("WHERE")
    sub_select = "SELECT * WHERE { SELECT ?s WHERE { ?s ?p ?o } }"
    store = open_store(MINI, engine="oxigraph")
    rows = run_query(store, sub_select + " ", bindings={"s": E.bert}).rows
    assert rows and all(row[0] == E.bert for row in rows)


def test_formats_parse_back():
    store = open_store(MINI, engine="oxigraph")
    result = run_query(store, "SELECT ?m ?l WHERE { ?m a kg:Model ; skos:prefLabel ?l } ORDER BY ?l")
    parsed = rdflib.query.Result.parse(io.StringIO(format_result(result, "json")), format="json")
    assert [tuple(row) for row in parsed] == [(E.bert, Literal("BERT", lang="en")), (E.roberta, Literal("RoBERTa", lang="en"))]
    parsed = rdflib.query.Result.parse(io.BytesIO(format_result(result, "xml").encode()), format="xml")
    assert len(list(parsed)) == 2
    assert format_result(result, "csv").splitlines() == ["m,l", f"{E.bert},BERT", f"{E.roberta},RoBERTa"]
    assert format_result(result, "tsv").splitlines()[1] == f'<{E.bert}>\t"BERT"@en'
    assert json.loads(format_result(result, "json"))["head"]["vars"] == ["m", "l"]
    table = format_result(result, "table").splitlines()
    assert table[0].split() == ["?m", "?l"] and table[-1] == "(2 rows)"
    graph = run_query(store, "DESCRIBE ?m WHERE { ?m a kg:Model }")
    assert len(rdflib.Graph().parse(data=format_result(graph, "turtle"), format="turtle")) == len(graph.triples)
    with pytest.raises(ValueError, match="CONSTRUCT/DESCRIBE"):
        format_result(graph, "csv")


def run_cli(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_cli_named_query_with_binding():
    out = run_cli("query", str(MINI), "--name", "datasets-for-method", "--bind", "method=lora", "--format", "csv")
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[1:] == [
        f"{E.glue},GLUE,{KG.Benchmark},1,true",
        f"{E.squad},SQuAD,{KG.Dataset},1,false",
    ]


def test_cli_list_file_and_errors(tmp_path):
    listing = run_cli("query", "--list")
    assert "datasets-for-method" in listing.output and "--bind method=..." in listing.output
    query_file = tmp_path / "q.rq"
    query_file.write_text("SELECT ?t WHERE { ?p dcterms:title ?t . ?p kg:introduces ?e }\nORDER BY ?t\n")
    out = run_cli("query", str(MINI), "-f", str(query_file), "--format", "tsv", "-o", str(tmp_path / "out.tsv"))
    assert out.exit_code == 0
    assert (tmp_path / "out.tsv").read_text().splitlines()[0] == "?t"
    query_file.write_text("SELECT ?t WHERE {\n  ?p dcterms:title \n")
    bad = run_cli("query", str(MINI), "-f", str(query_file))
    assert bad.exit_code == 1 and str(query_file) in bad.output and "line" in bad.output
    missing = run_cli("query", str(MINI), "--name", "co-mentions")
    assert missing.exit_code == 1 and "--bind entity=" in missing.output
    unknown = run_cli("query", str(MINI), "--name", "co-mention")
    assert "did you mean co-mentions" in unknown.output
    assert run_cli("query", str(MINI), "--name", "co-mentions", "--bind", "nonsense").exit_code == 2


def test_query_graph_checks_named_parameters():
    with pytest.raises(ValueError, match="takes entity, type; not method"):
        query_graph(MINI, name="co-mentions", bindings={"entity": Literal("BERT"), "method": Literal("x")})


# named query -> (bindings, the first column's labels or values in order), on mini.trig
NAMED_EXPECTED = {
    "most-mentioned": ({}, "label", ["GLUE", "SuperGLUE", "SQuAD", "LoRA", "adapter tuning", "accuracy", "BERT", "RoBERTa", "question answering"]),
    "top-entities": ({"type": "kg:Model"}, "label", ["BERT", "RoBERTa"]),
    "papers-introducing-benchmarks": ({}, "label", ["SuperGLUE"]),
    "datasets-for-method": ({"method": "Low-Rank Adaptation"}, "label", ["GLUE", "SQuAD"]),
    "models-on-benchmark": ({"benchmark": "glue"}, "label", ["LoRA", "RoBERTa"]),
    "co-mentions": ({"entity": "BERT", "type": "kg:Benchmark"}, "label", ["GLUE", "SuperGLUE"]),
    "central-concepts": ({}, "label", ["BERT", "GLUE", "LoRA"]),
    "fact-provenance": ({"subject": "<https://example.org/kg/entity/bert>"}, "sentence", ["BERT lags humans on SuperGLUE."]),
    "entity-mentions": ({"entity": "lora"}, "text", ["LoRA", "low-rank adaptation"]),
    "papers-mentioning": ({"entity": "SQuAD"}, "id", ["p3"]),
    "based-on": ({"entity": "roberta"}, "label", ["LoRA"]),
}


@pytest.mark.parametrize("name", sorted(NAMED_EXPECTED))
def test_named_queries_on_the_fixture(store, name):
    from kg.sparql import named_query

    raw, column, expected = NAMED_EXPECTED[name]
    query = named_query(name)
    bindings = {k: parse_term(v) for k, v in raw.items()}
    query.check_bindings(bindings)
    result = run_query(store, query.text, bindings=bindings)
    index = result.variables.index(column)
    assert [str(row[index]) for row in result.rows] == expected


def test_every_named_query_has_a_fixture_expectation():
    from kg.sparql import named_queries

    assert set(named_queries()) == set(NAMED_EXPECTED)
