"""The README's CLI reference is the CLI's own help, so the docs cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

from kg.cli.reference import END, START, render_reference

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_cli_reference_is_current():
    text = README.read_text(encoding="utf-8")
    block = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, re.DOTALL)
    assert block, "README has no generated CLI reference block"
    assert block.group(1) == render_reference(), "run: python -m kg.cli.reference --write README.md"


def test_reference_lists_every_command():
    from kg.cli import _available

    reference = render_reference()
    for name in _available():
        assert f"### `kg {name}`" in reference
