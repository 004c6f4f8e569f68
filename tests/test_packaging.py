"""The explicit package list in pyproject.toml covers every package in the tree."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def _on_disk() -> set[str]:
    found = set()
    for top in ("kg", "extractors"):
        for init in (ROOT / top).rglob("__init__.py"):
            found.add(".".join(init.parent.relative_to(ROOT).parts))
    found.add("kg.ontology")  # ontology/ is shipped under this name
    return found


def test_every_package_is_declared():
    missing = _on_disk() - _declared()
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_no_declared_package_is_missing_on_disk():
    stale = {p for p in _declared() - _on_disk()}
    assert not stale, f"declared but not on disk: {sorted(stale)}"


def test_ontology_files_are_package_data():
    from importlib.resources import files

    names = {p.name for p in files("kg.ontology").iterdir()}
    assert "kg.ttl" in names
