"""Every figure in docs/benchmarks.md comes with the command that produced it, and those
commands still name real bench scripts and options they accept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "benchmarks.md"
_SECTION = re.compile(r"<!-- (\S+):start -->\n(.*?)<!-- \1:end -->", re.DOTALL)
_COMMAND = re.compile(r"`((?:[A-Z_]+=\S+ )*(?:/usr/bin/time -v )?python (bench/\S+\.py)[^`]*)`")


def _sections() -> list[tuple[str, str]]:
    return _SECTION.findall(PAGE.read_text(encoding="utf-8"))


def test_page_is_made_of_sections():
    assert len(_sections()) >= 10
    text = PAGE.read_text(encoding="utf-8")
    # every table row of figures sits in a section owned by a benchmark script
    outside = _SECTION.sub("", text)
    assert not [line for line in outside.splitlines() if line.startswith("| ")], "figures outside a benchmark section"


@pytest.mark.parametrize("name,body", _sections(), ids=[name for name, _ in _sections()])
def test_section_names_its_command(name, body):
    commands = _COMMAND.findall(body)
    assert commands, f"{PAGE}: section {name!r} has figures but no `python bench/...` command"
    for command, script in commands:
        source = ROOT / script
        assert source.exists(), f"{PAGE}: section {name!r}: {script} does not exist"
        text = source.read_text(encoding="utf-8")
        for option in re.findall(r"(?<![\w-])(--[a-z][\w-]*)", command):
            assert f'"{option}"' in text or f"'{option}'" in text, (
                f"{PAGE}: section {name!r}: {script} has no option {option}")
