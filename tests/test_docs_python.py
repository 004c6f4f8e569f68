"""Python shown in README.md and docs/*.md still fits the library: every block parses,
every name imported from kg or extractors exists, and every call of one of them uses
keywords its signature accepts."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
_OURS = ("kg", "extractors")


def _blocks() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in _BLOCK.finditer(text):
            found.append((f"{page.name}:{text.count(chr(10), 0, block.start()) + 2}", block.group(1)))
    return found


BLOCKS = _blocks()


def test_the_docs_show_python():
    assert any(where.startswith("README.md") for where, _ in BLOCKS)


@pytest.mark.parametrize("where,code", BLOCKS, ids=[where for where, _ in BLOCKS])
def test_python_block_fits_the_library(where, code):
    tree = ast.parse(code, filename=where)
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in _OURS:
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name), f"{where}: {node.module} has no {alias.name}"
                imported[alias.asname or alias.name] = getattr(module, alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported:
            function = imported[node.func.id]
            keywords = {k.arg: None for k in node.keywords if k.arg}
            positional = [None] * len(node.args)
            try:
                inspect.signature(function).bind_partial(*positional, **keywords)
            except TypeError as error:
                pytest.fail(f"{where}: {node.func.id}({ast.unparse(node)[len(node.func.id) + 1:-1]}): {error}")
