"""`kg serve` on loopback: standard clients, every format, limits, errors and a load test."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from kg.sparql.server import Limits, negotiate, serving

MINI = Path(__file__).parent / "data" / "sparql" / "mini.trig"
KG = rdflib.Namespace("https://w3id.org/kg/ontology#")
E = rdflib.Namespace("https://example.org/kg/entity/")
MODELS = "SELECT ?m ?l WHERE { ?m a kg:Model ; skos:prefLabel ?l } ORDER BY ?l"
# A five-way cross product of the graph with itself: far past any limit on purpose.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
LIMITS = Limits(timeout=1.5, max_rows=60, max_body=20_000, workers=2)


@pytest.fixture(scope="module")
def endpoint():
    with serving(MINI, limits=LIMITS) as url:
        yield url


def test_negotiation_prefers_quality_then_order():
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml") == ("xml", "turtle")
    assert negotiate("application/n-triples, */*;q=0.1") == ("json", "nt")
    assert negotiate(None) == ("json", "turtle")
    assert negotiate("text/html", "csv") == ("csv", "turtle")


def test_sparqlwrapper_select_ask_construct(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(MODELS)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [r["l"]["value"] for r in rows] == ["BERT", "RoBERTa"]
    client.setReturnFormat(XML)
    assert len(client.query().convert().getElementsByTagName("result")) == 2
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    client.setQuery("ASK { ?p kg:introduces ?b . ?b a kg:Benchmark }")
    assert client.query().convert()["boolean"] is True
    client.setQuery("CONSTRUCT { ?m a kg:Model } WHERE { ?m a kg:Model }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert set(graph.subjects()) == {E.bert, E.roberta}


def test_rdflib_sparqlstore(endpoint):
    graph = rdflib.Graph(SPARQLStore(endpoint, returnFormat="json"))
    rows = list(graph.query(MODELS))
    assert [str(label) for _, label in rows] == ["BERT", "RoBERTa"]
    assert (E.lora, KG.evaluatedOn, E.glue) in graph
    assert set(graph.objects(E.roberta, KG.outperforms)) == {E.bert}


@pytest.mark.parametrize(
    "accept, check",
    [
        ("application/sparql-results+json", lambda t: [b["l"]["value"] for b in json.loads(t)["results"]["bindings"]] == ["BERT", "RoBERTa"]),
        ("application/sparql-results+xml", lambda t: len(list(rdflib.query.Result.parse(io.StringIO(t), format="xml"))) == 2),
        ("text/csv", lambda t: t.splitlines() == ["m,l", f"{E.bert},BERT", f"{E.roberta},RoBERTa"]),
        ("text/tab-separated-values", lambda t: t.splitlines()[0] == "?m\t?l" and f'<{E.bert}>\t"BERT"@en' in t),
    ],
)
def test_plain_http_results_formats(endpoint, accept, check):
    for response in (
        httpx.get(endpoint, params={"query": MODELS}, headers={"Accept": accept}),
        httpx.post(endpoint, data={"query": MODELS}, headers={"Accept": accept}),
        httpx.post(endpoint, content=MODELS, headers={"Accept": accept, "Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(accept)
        assert check(response.text)


@pytest.mark.parametrize("accept, parser", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                            ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_plain_http_graph_formats(endpoint, accept, parser):
    query = "DESCRIBE ?m WHERE { ?m a kg:Model }"
    response = httpx.get(endpoint, params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = rdflib.Graph().parse(data=response.text, format=parser)
    assert (E.bert, rdflib.RDF.type, KG.Model) in graph


def test_updates_malformed_and_oversized_requests_are_refused(endpoint):
    update = "INSERT DATA { <http://a> <http://b> <http://c> }"
    for response in (
        httpx.post(endpoint, data={"update": update}),
        httpx.post(endpoint, content=update, headers={"Content-Type": "application/sparql-update"}),
        httpx.get(endpoint, params={"query": update}),
    ):
        assert response.status_code == 403 and "read-only" in response.text
    bad = httpx.get(endpoint, params={"query": "SELECT ?s WHERE { ?s ?p "})
    assert bad.status_code == 400 and "malformed query" in bad.text
    assert httpx.get(endpoint).status_code == 400
    big = httpx.post(endpoint, content="#" * 30_000, headers={"Content-Type": "application/sparql-query"})
    assert big.status_code == 413 and "20000 byte limit" in big.text
    odd = httpx.post(endpoint, content=MODELS, headers={"Content-Type": "text/plain"})
    assert odd.status_code == 415
    too_many = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert too_many.status_code == 400 and "more than 60 rows" in too_many.text
    # the endpoint still answers after all that
    assert httpx.get(endpoint, params={"query": MODELS}).status_code == 200


def test_long_query_is_stopped_while_others_are_served(endpoint):
    outcome = {}

    def run_endless():
        started = time.monotonic()
        outcome["response"] = httpx.get(endpoint, params={"query": ENDLESS}, timeout=30)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_endless)
    thread.start()
    time.sleep(0.2)
    served = []
    while thread.is_alive() and len(served) < 200:
        served.append(httpx.get(endpoint, params={"query": MODELS}).status_code)
    thread.join(30)
    assert outcome["response"].status_code == 503 and "1.5 s limit" in outcome["response"].text
    assert LIMITS.timeout <= outcome["seconds"] < LIMITS.timeout + 10
    assert served and set(served) == {200}
    assert httpx.get(endpoint, params={"query": MODELS}).status_code == 200  # replacement worker up


def test_thousand_requests_from_eight_clients(endpoint):
    expected = {"BERT", "RoBERTa"}

    def client(index: int) -> list[bool]:
        oks = []
        with httpx.Client(timeout=30) as http:
            for n in range(125):
                if n % 2:
                    response = http.post(endpoint, data={"query": MODELS})
                else:
                    response = http.get(endpoint, params={"query": MODELS})
                labels = {b["l"]["value"] for b in response.json()["results"]["bindings"]} if response.status_code == 200 else set()
                oks.append(response.status_code == 200 and labels == expected)
        return oks

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [ok for oks in pool.map(client, range(8)) for ok in oks]
    assert len(results) == 1000 and all(results)


def test_query_page_is_served(endpoint):
    page = httpx.get(endpoint.removesuffix("sparql"))
    assert page.status_code == 200 and "<textarea" in page.text and "innerHTML" not in page.text


def test_kg_serve_command_on_a_free_port():
    process = subprocess.Popen(
        [sys.executable, "-c", "from kg.cli import main; main()", "serve", str(MINI), "--port", "0"],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline, url = time.monotonic() + 60, None
        while url is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            match = re.search(r"(http://127\.0\.0\.1:\d+/sparql)", line)
            url = match.group(1) if match else url
            if not line and process.poll() is not None:
                break
        assert url, "kg serve did not report its URL"
        assert httpx.get(url, params={"query": "ASK { ?m a kg:Model }"}).json()["boolean"] is True
    finally:
        process.terminate()
        process.wait(15)
