"""The parts of `kg push` that need no server: journal, batches, update text, profiles."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.problems import InputError
from kg.push.batches import plan_push
from kg.push.journal import PushJournal
from kg.push.profiles import get_profile
from kg.push.protocols import update_request
from kg.quadstore import Quads


def _plan(n: int, graphs: int = 3):
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"http://x/s{i}"), ox.NamedNode("http://x/p"), ox.Literal(f"v{i}"), ox.NamedNode(f"http://x/g{i % graphs}"))
        for i in range(n)
    )
    store.add(ox.Quad(ox.NamedNode("http://x/d"), ox.NamedNode("http://x/p"), ox.BlankNode("b1")))
    return plan_push(Quads(store))


def test_batches_are_deterministic_and_cover_every_triple_once() -> None:
    first, second = list(_plan(25).batches(7)), list(_plan(25).batches(7))
    assert [b.digest for b in first] == [b.digest for b in second]  # fresh blank node ids, same batches
    assert [b.size for b in first] == [7, 7, 7, 5]
    lines = [line for b in first for part in b.parts for line in part.body.decode().splitlines()]
    assert len(lines) == len(set(lines)) == 26
    assert sum(part.starts_graph for b in first for part in b.parts) == 4  # 3 named graphs + default
    assert first[-1].parts[-1].graph_key == "default"
    assert "_:" not in "".join(lines) and "/.well-known/genid/" in lines[-1]


def test_update_request_has_one_block_per_graph_and_clears_only_where_graphs_start() -> None:
    # g0 and g1 hold three triples each, the default graph one: batches of 4 cut g1 in two.
    batch, following = list(_plan(6, graphs=2).batches(4))
    text = update_request(batch, replace=True)
    assert text.count("CLEAR SILENT GRAPH") == 2 and text.count("\nGRAPH <http://x/g") == 2
    second = update_request(following, replace=True)
    assert "CLEAR SILENT GRAPH <http://x/g1>" not in second and "CLEAR SILENT DEFAULT" in second
    assert "CLEAR" not in update_request(batch, replace=False)


def test_journal_resumes_ignores_a_torn_last_line_and_reports_bad_lines(tmp_path) -> None:
    batches = list(_plan(10).batches(4))
    path = tmp_path / "j.jsonl"
    journal = PushJournal(path, endpoint="http://s", protocol="update")
    journal.record(batches[0])
    journal.record(batches[1])
    journal.close()
    with path.open("a") as handle:
        handle.write('{"endpoint": "http://s", "proto')  # killed mid-write
    again = PushJournal(path, endpoint="http://s", protocol="update")
    assert batches[0] in again and batches[1] in again and batches[2] not in again
    assert batches[0] not in PushJournal(path, endpoint="http://other", protocol="update")
    path.write_text("not json\n" + path.read_text())
    with pytest.raises(InputError, match=r"j\.jsonl:1: not a push journal entry"):
        PushJournal(path, endpoint="http://s", protocol="update")
    again.finish()
    assert not path.exists()


def test_profiles_and_unknown_store() -> None:
    urls = get_profile("graphdb").urls("http://h:7200/repositories/kg/", authenticated=True)
    assert (urls.query, urls.update, urls.graph_store) == (
        "http://h:7200/repositories/kg", "http://h:7200/repositories/kg/statements",
        "http://h:7200/repositories/kg/rdf-graphs/service")
    assert get_profile("blazegraph").urls("http://h/b", authenticated=False).graph_store is None
    assert get_profile("virtuoso").urls("http://h", authenticated=False).update == "http://h/sparql"
    with pytest.raises(ValueError, match="unknown store 'neo4j'"):
        get_profile("neo4j")


def test_a_redirect_is_an_error_naming_the_target_not_a_silent_get() -> None:
    import httpx

    from kg.push.client import StoreClient
    from kg.push.errors import PushError

    seen: list[tuple[str, str]] = []

    def store(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, str(request.url)))
        if request.url.host == "old.example":
            return httpx.Response(301, headers={"location": "https://new.example/update"})
        return httpx.Response(204)

    with StoreClient(user="u", password="p", transport=httpx.MockTransport(store), retries=0) as client:
        with pytest.raises(PushError, match="redirect to https://new.example/update"):
            client.request("POST", "http://old.example/update", content=b"INSERT DATA {}")
        assert client.request("POST", "https://new.example/update", content=b"x").status_code == 204
    # the redirect was not followed: no GET, and nothing (no credentials) sent to the new host for it
    assert seen == [("POST", "http://old.example/update"), ("POST", "https://new.example/update")]
