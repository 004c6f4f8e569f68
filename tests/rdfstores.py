"""Real SPARQL stores on loopback for the push tests: Oxigraph server and Virtuoso.

Each runs on random free ports in a temporary directory, is waited for with a bounded
wait, and is always stopped. A missing server binary skips the test locally and fails
it in CI (``CI=true``), where ``.ci/run`` installs both.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

__all__ = [
    "RunningStore", "require_binary", "free_port", "start_oxigraph", "stop", "oxigraph_server", "virtuoso_server",
    "sparql_select", "store_statements", "local_statements", "graph_iris", "bundled_corpus_graph", "same_values",
]


@dataclass
class RunningStore:
    endpoint: str  # what `kg push --endpoint` takes
    process: subprocess.Popen
    profile: str


def require_binary(name: str, hint: str) -> str:
    """The path of ``name``: fail in CI when missing, skip elsewhere."""
    found = shutil.which(name) or (str(Path(sys.executable).with_name(name)) if Path(sys.executable).with_name(name).exists() else None)
    if found:
        return found
    message = f"{name} not found ({hint})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + ": CI must install it")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, *, timeout: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"server exited with code {process.returncode} before answering {url}\n{detail}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def start_oxigraph(location: Path, port: int) -> subprocess.Popen:
    binary = require_binary("oxigraph", "pip install oxigraph")
    location.parent.mkdir(parents=True, exist_ok=True)
    log = location.parent / f"oxigraph-{port}.log"
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process, timeout=30, log=log)
    except BaseException:
        stop(process)
        raise
    return process


@contextlib.contextmanager
def oxigraph_server(directory: Path) -> Iterator[RunningStore]:
    port = free_port()
    process = start_oxigraph(directory / "oxigraph-data", port)
    store = RunningStore(f"http://127.0.0.1:{port}", process, "oxigraph")
    try:
        yield store
    finally:
        stop(store.process)


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@contextlib.contextmanager
def virtuoso_server(directory: Path) -> Iterator[RunningStore]:
    """A fresh Virtuoso (user dba, password dba) with its own database and ports."""
    binary = require_binary("virtuoso-t", "apt-get install virtuoso-opensource")
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=directory, http_port=http_port, sql_port=sql_port))
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=directory,
        stdout=(directory / "stdout.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", process, timeout=90, log=directory / "virtuoso.log")
        yield RunningStore(f"http://127.0.0.1:{http_port}", process, "virtuoso")
    finally:
        stop(process)


def sparql_select(url: str, query: str) -> list[dict[str, str]]:
    """Run a SELECT on a store; rows of variable -> value (all as strings)."""
    response = httpx.post(
        url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60
    )
    response.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def _term(binding: dict) -> str:
    import pyoxigraph as ox

    if binding["type"] == "uri":
        return str(ox.NamedNode(binding["value"]))
    if binding["type"] == "bnode":
        return "_:" + binding["value"]
    if "xml:lang" in binding:
        return str(ox.Literal(binding["value"], language=binding["xml:lang"]))
    if "datatype" in binding:
        return str(ox.Literal(binding["value"], datatype=ox.NamedNode(binding["datatype"])))
    return str(ox.Literal(binding["value"]))


def store_statements(query_url: str, graphs: list[str]) -> list[str]:
    """Every triple of ``graphs`` in the store, as N-Quads statements (duplicates kept)."""
    import pyoxigraph as ox

    values = " ".join(str(ox.NamedNode(g)) for g in graphs)
    query = f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    response = httpx.post(query_url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
    response.raise_for_status()
    return [
        " ".join(_term(row[v]) for v in ("s", "p", "o", "g")) + " ."
        for row in response.json()["results"]["bindings"]
    ]


def local_statements(graph) -> list[str]:
    """What a push of ``graph`` must put in a store, as N-Quads statements (blank nodes skolemised)."""
    from kg.push.batches import plan_push
    from kg.quadstore import open_quads

    return [f"{line.removesuffix(' .')} {name} ." for name, lines in plan_push(open_quads(graph)).graphs for line in lines]


def graph_iris(graph) -> list[str]:
    """The IRIs of the named graphs of ``graph``."""
    from kg.quadstore import open_quads

    return [name.value for name in open_quads(graph).graph_names() if hasattr(name, "value")]


@functools.cache
def bundled_corpus_graph() -> Path:
    """The graph file of the bundled corpus, built once per test process (fast profile)."""
    from kg.build import build

    out = Path(tempfile.mkdtemp(prefix="kg-corpus-graph-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    build(out=out, profile="fast", view=False)
    return out / "graph.trig"


def same_values(store: list[str], local: list[str]) -> bool:
    """Equal statement lists, xsd:double literals compared as numbers within a relative
    1e-5 (Virtuoso stores doubles natively and answers with 6 significant digits, so
    rounding both sides to a fixed number of digits would still differ at the edges)."""
    double = re.compile(r'"([^"]*)"\^\^<http://www\.w3\.org/2001/XMLSchema#double>')
    # Virtuoso writes a dateTime's fraction with 6 digits ("…37.330690Z"), rdflib and Oxigraph
    # without trailing zeros ("…37.33069Z"): the same value
    fraction = re.compile(r'(\.\d*?)0+(Z?"\^\^<http://www\.w3\.org/2001/XMLSchema#dateTime>)')

    def split(statement: str) -> tuple[str, tuple[float, ...]]:
        values = tuple(float(m.group(1)) for m in double.finditer(statement))
        text = fraction.sub(lambda m: (m.group(1) if m.group(1) != "." else "") + m.group(2), statement)
        return double.sub('"?"^^xsd:double', text), values

    left, right = sorted(map(split, store)), sorted(map(split, local))
    return len(left) == len(right) and all(
        a_text == b_text and len(a_values) == len(b_values)
        and all(math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-12) for a, b in zip(a_values, b_values))
        for (a_text, a_values), (b_text, b_values) in zip(left, right)
    )
