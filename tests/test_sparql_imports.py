"""`kg query` on an Oxigraph store imports only what it needs.

Start-up is most of a `kg query` call on a million triples (docs/benchmarks.md): the
query itself takes 0.03-0.2 s, Python and its imports about as much again. These tests
run the command in a fresh interpreter and check that the heavy libraries of other
commands (spaCy, NetworkX, NumPy, tqdm, pyvis) and rdflib's SPARQL parser (0.3 s of
imports, only for graphs answered by rdflib) stay out of it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.sparql.diskstore import ensure_store

MINI = Path(__file__).parent / "data" / "sparql" / "mini.trig"
# the query runs, then the interpreter's modules go to stderr, one per line
_RUN_AND_LIST_MODULES = (
    "import sys\n"
    "from kg.cli import main\n"
    "main(sys.argv[1:])\n"
    "sys.stderr.write('\\n'.join(sorted(sys.modules)))\n"
)
NOT_NEEDED = ("spacy", "networkx", "numpy", "tqdm", "pyvis", "jinja2", "pyparsing", "rdflib.plugins.sparql")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return ensure_store(MINI, tmp_path_factory.mktemp("sparql-imports") / "store")


def _kg_query(*args: str) -> tuple[str, set[str]]:
    done = subprocess.run([sys.executable, "-c", _RUN_AND_LIST_MODULES, "query", *args],
                          capture_output=True, text=True, check=True, timeout=120)
    return done.stdout, set(done.stderr.splitlines())


def _loaded(modules: set[str], package: str) -> bool:
    return any(m == package or m.startswith(package + ".") for m in modules)


def test_named_query_on_a_store_skips_other_commands_libraries(store):
    output, modules = _kg_query(str(store), "--name", "datasets-for-method", "--bind", "method=Low-Rank Adaptation",
                                "--format", "csv")
    assert [line.split(",")[1] for line in output.splitlines()[1:]] == ["GLUE", "SQuAD"]
    assert "pyoxigraph" in modules  # the store answered
    assert [p for p in NOT_NEEDED if _loaded(modules, p)] == []


def test_malformed_query_on_a_store_still_reports_the_error(store):
    # telling an update from a syntax error is the one place rdflib's parser is used
    done = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "query", str(store), "SELEKT ?x"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "malformed query" in done.stderr
