"""The SPARQL surfaces make no request to other hosts unless told to, and `kg serve`
listens on loopback unless told otherwise.

A local HTTP listener stands in for "another host": a SERVICE clause naming it must
not reach it (engines, `kg query`, `kg serve`), and must when federation is enabled.
Read-only, time, result-size and body limits are tested in tests/test_sparql_server.py.
"""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kg.cli import cli
from kg.sparql.engine import ServiceRefused, run_query
from kg.sparql.federation import uses_service
from kg.sparql.server import Limits, serving

MINI = Path(__file__).parent / "data" / "sparql" / "mini.trig"


@pytest.fixture()
def listener():
    """(URL of a local 'remote' endpoint, list of the paths it was asked for)."""
    hits: list[str] = []

    class Remote(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            hits.append(self.path)
            body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Remote)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", hits
    server.shutdown()
    server.server_close()


def _federated(url: str) -> str:
    return f"SELECT ?s WHERE {{ sErViCe <{url}> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("store", [rdflib.Graph, ox.Store], ids=["rdflib", "oxigraph"])
def test_engines_refuse_service_unless_allowed(store, listener):
    url, hits = listener
    with pytest.raises(ServiceRefused, match="--allow-service"):
        run_query(store(), _federated(url))
    assert hits == []
    run_query(store(), _federated(url), allow_service=True)
    assert hits, "with allow_service the engine should have called the remote endpoint"


def test_kg_query_refuses_service_unless_allowed(listener):
    url, hits = listener
    refused = CliRunner().invoke(cli, ["query", str(MINI), _federated(url)])
    assert refused.exit_code == 1 and "SERVICE (federated) queries are refused" in refused.output and hits == []
    allowed = CliRunner().invoke(cli, ["query", str(MINI), _federated(url), "--allow-service", "--format", "csv"])
    assert allowed.exit_code == 0, allowed.output
    assert hits


def test_endpoint_refuses_service_unless_started_with_it(listener):
    url, hits = listener
    with serving(MINI, limits=Limits(workers=1)) as endpoint:
        response = httpx.get(endpoint, params={"query": _federated(url)})
        assert response.status_code == 400 and "refused" in response.text
        posted = httpx.post(endpoint, content=_federated(url), headers={"Content-Type": "application/sparql-query"})
        assert posted.status_code == 400
    assert hits == []
    with serving(MINI, limits=Limits(workers=1, allow_service=True)) as endpoint:
        assert httpx.get(endpoint, params={"query": _federated(url)}).status_code == 200
    assert hits


def test_endpoint_listens_on_loopback_by_default_and_answers_only_loopback_names():
    with serving(MINI, limits=Limits(workers=1)) as endpoint:
        assert endpoint.startswith("http://127.0.0.1:")
        answer = httpx.get(endpoint, params={"query": "ASK {}"})
        assert answer.status_code == 200 and answer.headers["x-content-type-options"] == "nosniff"
        port = endpoint.split(":")[2].split("/")[0]
        # DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1
        rebound = httpx.get(endpoint, params={"query": "ASK {}"}, headers={"Host": f"evil.example:{port}"})
        assert rebound.status_code == 400
        assert httpx.get(endpoint, params={"query": "ASK {}"}, headers={"Host": f"localhost:{port}"}).status_code == 200
    serve_defaults = cli.get_command(None, "serve").make_context("serve", [str(MINI)]).params
    assert serve_defaults["host"] == "127.0.0.1" and serve_defaults["allow_service"] is False
    assert Limits().allow_service is False


@given(before=st.sampled_from(["", "?s ?p ?o . ", "FILTER(?x < 3) ", "# comment\n"]),
       keyword=st.sampled_from(["SERVICE", "service", "Service", "SERVICE SILENT"]),
       target=st.sampled_from(["<http://evil.example/sparql>", "?endpoint", "ex:remote"]))
def test_any_service_clause_is_seen(before, keyword, target):
    assert uses_service(f"SELECT * WHERE {{ {before}{keyword} {target} {{ ?s ?p ?o }} }}")


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { ?service rdfs:label "SERVICE <http://x/> {}" }',
    "SELECT * WHERE { ?s ex:service <http://x/SERVICE> } # SERVICE <http://y/> { }",
    "SELECT * WHERE { ?s service:x ?o }",
    "SELECT * WHERE { ?s ?p '''multi\nline SERVICE''' }",
])
def test_the_word_outside_a_service_clause_is_not(query):
    assert not uses_service(query)
