"""`kg push` against a real Oxigraph server on loopback, with faults injected.

The server is the ``oxigraph`` command from PyPI (``oxigraph serve``), on a random free
port with its data in a temporary directory; it is always stopped.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from faultproxy import FaultProxy
from kg.cli import cli
from kg.push import PushAuthError, PushFailed, push
from rdfstores import bundled_corpus_graph, free_port, graph_iris, local_statements, oxigraph_server, start_oxigraph, stop, store_statements

FIXTURE = Path(__file__).parent / "fixtures" / "export_small.trig"
FAST_RETRIES = {"retries": 3, "backoff": 0.01}


@pytest.fixture(scope="module")
def expected() -> list[str]:
    statements = local_statements(FIXTURE)
    assert len(statements) == 49
    return statements


def _assert_store_holds(query_url: str, expected: list[str]) -> None:
    found = store_statements(query_url, graph_iris(FIXTURE))
    duplicated = [s for s, n in Counter(found).items() if n > 1]
    assert not duplicated
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_push_then_query_back(protocol: str, expected: list[str], tmp_path: Path) -> None:
    with oxigraph_server(tmp_path) as store:
        report = push(FIXTURE, endpoint=store.endpoint, store="oxigraph", protocol=protocol, batch_size=5, replace=True)
        assert (report.triples, report.graphs, report.batches, report.sent) == (49, 4, 10, 10)
        assert report.counts["https://example.org/kg/graph/paper/p1"] == (13, 13)
        _assert_store_holds(store.endpoint + "/query", expected)
        # Appending the same graph again adds nothing: a graph is a set (and blank nodes
        # are skolemised, so they do not multiply either).
        again = push(FIXTURE, endpoint=store.endpoint, store="oxigraph", protocol=protocol, batch_size=7)
        assert again.sent == again.batches and again.counts == report.counts
        _assert_store_holds(store.endpoint + "/query", expected)


def test_replace_empties_each_graph_first(tmp_path: Path) -> None:
    stale = tmp_path / "stale.nq"
    stale.write_text('<https://example.org/x> <https://example.org/p> "stale" <https://example.org/kg/graph/paper/p1> .\n')
    with oxigraph_server(tmp_path) as store:
        push(stale, endpoint=store.endpoint, store="oxigraph")
        appended = push(FIXTURE, endpoint=store.endpoint, store="oxigraph", protocol="update")
        assert appended.counts["https://example.org/kg/graph/paper/p1"] == (13, 14)
        replaced = push(FIXTURE, endpoint=store.endpoint, store="oxigraph", protocol="update", replace=True)
        assert replaced.counts["https://example.org/kg/graph/paper/p1"] == (13, 13)


@pytest.mark.parametrize(("protocol", "concurrency"), [("gsp", 1), ("update", 2)])
def test_server_stopped_mid_push_resumes_without_duplicates(
    protocol: str, concurrency: int, expected: list[str], tmp_path: Path
) -> None:
    location, port = tmp_path / "data", free_port()
    endpoint = f"http://127.0.0.1:{port}"
    journal = tmp_path / "push.jsonl"
    server = start_oxigraph(location, port)
    acknowledged = []

    def stop_after_four(batch) -> None:
        acknowledged.append(batch.index)
        if len(acknowledged) == 4:
            stop(server)

    options = {"store": "oxigraph", "protocol": protocol, "batch_size": 5, "replace": True,
               "journal": journal, "concurrency": concurrency, **FAST_RETRIES}
    try:
        with pytest.raises(PushFailed) as failure:
            push(FIXTURE, endpoint=endpoint, on_batch=stop_after_four, **options)
        landed = failure.value.landed
        # With one request in flight exactly four land; with two, the one in flight may too.
        assert landed == ([0, 1, 2, 3] if concurrency == 1 else sorted(acknowledged)) and len(landed) >= 4
        assert f"{len(landed)} of 10 batches landed (batches 1-{len(landed)})" in str(failure.value)
        assert str(journal) in str(failure.value)
        assert len(journal.read_text().splitlines()) == len(landed)
        server = start_oxigraph(location, port)  # same data directory: the landed batches are there
        report = push(FIXTURE, endpoint=endpoint, **options)
        assert (report.resumed, report.sent) == (len(landed), 10 - len(landed))
        _assert_store_holds(endpoint + "/query", expected)
        assert not journal.exists()  # a completed, checked push forgets its journal
    finally:
        stop(server)


def test_a_500_on_one_batch_is_retried(expected: list[str], tmp_path: Path) -> None:
    with oxigraph_server(tmp_path) as store, FaultProxy(store.endpoint, fail_write_number=3) as proxy:
        report = push(FIXTURE, endpoint=proxy.url, store="oxigraph", protocol="update", batch_size=5, **FAST_RETRIES)
        assert report.retries == 1 and report.sent == 10
        assert len(proxy.writes) == 11 and proxy.writes.count(proxy.writes[2]) == 2  # the failed batch, sent again
        _assert_store_holds(store.endpoint + "/query", expected)


def test_basic_auth_and_wrong_credentials(expected: list[str], tmp_path: Path) -> None:
    with oxigraph_server(tmp_path) as store, FaultProxy(store.endpoint, credentials=("kg", "s3cret")) as proxy:
        with pytest.raises(PushAuthError, match=r"refused user 'kg' \(HTTP 401\).*--user/--password"):
            push(FIXTURE, endpoint=proxy.url, store="oxigraph", user="kg", password="wrong", **FAST_RETRIES)
        assert proxy.refused == 1 and not proxy.writes  # not retried: retrying cannot fix credentials
        result = CliRunner().invoke(cli, ["push", str(FIXTURE), "--endpoint", proxy.url, "--store", "oxigraph",
                                          "--user", "kg", "--password", "wrong", "--journal", str(tmp_path / "j")])
        assert result.exit_code == 1 and "refused user 'kg'" in result.output
        result = CliRunner().invoke(cli, ["-q", "push", str(FIXTURE), "--endpoint", proxy.url, "--store", "oxigraph",
                                          "--user", "kg", "--password", "s3cret", "--journal", str(tmp_path / "j")])
        assert result.exit_code == 0, result.output
        _assert_store_holds(store.endpoint + "/query", expected)


def test_push_a_built_graph(tmp_path: Path) -> None:
    """A graph from `kg.graph.build_graph` with hostile names, provenance and many small graphs."""
    from graphfixtures import fixed_run, small_corpus

    from kg.graph import build_graph

    graph = build_graph(*small_corpus(), run=fixed_run(), store="memory")
    with oxigraph_server(tmp_path) as store:
        report = push(graph, endpoint=store.endpoint, store="oxigraph", batch_size=50, replace=True)
        assert report.batches > 1 and all(want == got for want, got in report.counts.values())
        found = store_statements(store.endpoint + "/query", graph_iris(graph))
        assert sorted(found) == sorted(local_statements(graph))


def test_push_the_bundled_corpus_graph(tmp_path: Path) -> None:
    graph = bundled_corpus_graph()
    with oxigraph_server(tmp_path) as store:
        report = push(graph, endpoint=store.endpoint, store="oxigraph", replace=True)
        assert report.triples > 50_000 and len(report.counts) > 100
        assert all(want == got for want, got in report.counts.values())
        assert sorted(store_statements(store.endpoint + "/query", graph_iris(graph))) == sorted(local_statements(graph))
