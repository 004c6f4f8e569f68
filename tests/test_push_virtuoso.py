"""`kg push` against a real Virtuoso (Debian's ``virtuoso-opensource``) on loopback.

One server for the module (it takes ~15 s to create its database): a throwaway
``virtuoso.ini`` in a temporary directory with its own ports; the pushes use the
authenticated endpoints (``/sparql-auth``, ``/sparql-graph-crud-auth``, HTTP digest,
dba/dba as on a fresh database).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kg.push import PushAuthError, push
from rdfstores import bundled_corpus_graph, graph_iris, local_statements, same_values, store_statements, virtuoso_server

FIXTURE = Path(__file__).parent / "fixtures" / "export_small.trig"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as store:
        yield store


@pytest.mark.parametrize("protocol", ["update", "gsp"])
def test_push_then_query_back(virtuoso, protocol: str) -> None:
    report = push(FIXTURE, endpoint=virtuoso.endpoint, store="virtuoso", protocol=protocol,
                  batch_size=5, replace=True, user="dba", password="dba")
    assert (report.triples, report.sent) == (49, 10)
    assert report.counts == {
        "https://example.org/kg/graph/entities": (16, 16),
        "https://example.org/kg/graph/paper/p1": (13, 13),
        "https://example.org/kg/graph/paper/p2": (12, 12),
        "https://example.org/kg/graph/paper/p3": (8, 8),
    }
    found = store_statements(virtuoso.endpoint + "/sparql", graph_iris(FIXTURE))
    assert max(Counter(found).values()) == 1
    assert sorted(found) == sorted(local_statements(FIXTURE))


def test_wrong_credentials_are_a_clear_error(virtuoso) -> None:
    with pytest.raises(PushAuthError, match=r"refused user 'dba' \(HTTP 401\)"):
        push(FIXTURE, endpoint=virtuoso.endpoint, store="virtuoso", protocol="update",
             user="dba", password="not-the-password", retries=0)


def test_push_a_built_graph(virtuoso) -> None:
    """A graph from `kg.graph.build_graph` with hostile names, provenance and many small graphs."""
    from graphfixtures import fixed_run, small_corpus

    from kg.graph import build_graph

    graph = build_graph(*small_corpus(), run=fixed_run(), store="memory")
    report = push(graph, endpoint=virtuoso.endpoint, store="virtuoso", user="dba", password="dba", replace=True)
    assert all(want == got for want, got in report.counts.values()) and len(report.counts) >= 4
    found = store_statements(virtuoso.endpoint + "/sparql", graph_iris(graph))
    assert sorted(found) == sorted(local_statements(graph))


def test_push_the_bundled_corpus_graph(virtuoso) -> None:
    graph = bundled_corpus_graph()
    report = push(graph, endpoint=virtuoso.endpoint, store="virtuoso", user="dba", password="dba", replace=True)
    assert report.triples > 50_000 and all(want == got for want, got in report.counts.values())
    found = store_statements(virtuoso.endpoint + "/sparql", graph_iris(graph))
    assert len(found) == report.triples and same_values(found, local_statements(graph))


def test_anonymous_update_without_the_grant_is_a_clear_error(virtuoso) -> None:
    # Fresh Virtuoso: /sparql answers anonymous updates with HTTP 500 "SR186: No permission".
    with pytest.raises(PushAuthError, match="grant SPARQL_UPDATE"):
        push(FIXTURE, endpoint=virtuoso.endpoint, store="virtuoso", retries=3)
