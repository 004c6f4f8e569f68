"""docs/queries.md is generated from the named queries' .rq headers and must match them."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("named_queries_doc", ROOT / "docs" / "named_queries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_queries_page_is_current():
    page = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert page == _generator().render(), "run: python docs/named_queries.py --write docs/queries.md"


def test_every_named_query_has_a_runnable_example():
    from kg.sparql import named_queries

    generator = _generator()
    for query in named_queries().values():
        command = generator.example_command(query)
        bound = {part.split("=", 1)[0] for part in command.split() if "=" in part}
        assert bound == {p.name for p in query.parameters if p.required}, command


def test_write_replaces_the_page(tmp_path):
    target = tmp_path / "queries.md"
    target.write_text("stale", encoding="utf-8")
    assert _generator().main(["--write", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("# Named queries")
