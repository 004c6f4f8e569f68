"""Every `kg ...` command shown in README.md and docs/*.md parses against the CLI, and the
cheap ones run on a small build, so the documentation cannot drift from the code.

Commands are read from fenced code blocks (shell, console, text or unlabelled), one per
line or per segment of a pipeline (``a && kg b | c``), ``$ `` prompts and comments
stripped. Parsing uses click's own `make_context` (options, choices, required
parameters); a path argument that does not exist is accepted there, since the docs name
example files. Running uses a sandbox holding ``kg-out`` (a fast-profile build of the
bundled papers that name the entities the docs use) and ``papers.jsonl``.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(\S*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
_SHELL_BLOCKS = {"", "bash", "sh", "shell", "console", "text"}
_OPERATORS = {"&&", "||", "|", ";", "&"}

# Commands that are only parsed, never run here, and why.
NEVER_RUN = {
    "serve": "serves until stopped (tests/test_sparql_server.py runs it)",
    "push": "needs a running graph store (tests/test_push_*.py)",
    "train": "trains a model for minutes (tests/test_statistical_ner.py)",
    "train-relations": "trains a model (tests/test_relations.py)",
    "train-filter": "trains a model on the annotations",
    "build": "builds a whole corpus; the sandbox itself is made by `build` (tests/test_graph_build.py)",
}
# Documented commands known to be wrong, to be fixed in the page named (strict: a fix flips them).
KNOWN_BROKEN: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class DocCommand:
    page: str
    line: int
    argv: tuple[str, ...]

    def __str__(self) -> str:
        return shlex.join(self.argv)


def _segments(line: str) -> list[list[str]]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    segments, current = [], []
    for token in lexer:
        if token in _OPERATORS:
            segments.append(current)
            current = []
        else:
            current.append(token)
    return [s for s in [*segments, current] if s]


def documented_commands() -> list[DocCommand]:
    """Every `kg` command in the code blocks of the README and docs/*.md."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in _FENCE.finditer(text):
            if block.group(1) not in _SHELL_BLOCKS:
                continue
            first_line = text.count("\n", 0, block.start(2)) + 1
            lines = block.group(2).replace("\\\n", " ").splitlines()
            for offset, raw in enumerate(lines):
                stripped = raw.strip().removeprefix("$ ")
                if "kg" not in stripped.split():
                    continue
                try:
                    segments = _segments(stripped)
                except ValueError:  # prose that happens to start with "kg" and has an odd quote
                    continue
                for argv in segments:
                    if argv[0] == "kg" and (len(argv) == 1 or argv[1].startswith("-") or argv[1] in _command_names()):
                        found.append(DocCommand(page.name, first_line + offset, tuple(argv)))
    return found


def _command_names() -> set[str]:
    return set(cli.list_commands(click.Context(cli)))


def parse(argv: tuple[str, ...]) -> tuple[click.Command, dict] | None:
    """Parse ``argv`` (starting with "kg") with click; None for ``--help``/``--version``."""
    try:
        with cli.make_context("kg", list(argv[1:])) as group:
            name, command, rest = cli.resolve_command(group, [*group._protected_args, *group.args])
            with command.make_context(name, rest, parent=group) as ctx:
                return command, ctx.params
    except click.exceptions.Exit as done:
        assert done.exit_code == 0
        return None


def _is_missing_path(error: click.BadParameter) -> bool:
    return "does not exist" in error.format_message()


COMMANDS = documented_commands()


def test_the_docs_show_commands():
    pages = {c.page for c in COMMANDS}
    assert {"README.md", "cli.md", "queries.md"} <= pages
    assert {c.argv[1] for c in COMMANDS if len(c.argv) > 1} >= _command_names()  # every command is shown


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_documented_command_parses(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative example paths must not resolve to files of the repository
    try:
        parse(command.argv)
    except click.BadParameter as error:
        if not _is_missing_path(error):
            pytest.fail(f"{command.page}:{command.line}: {command}: {error.format_message()}")
    except click.ClickException as error:
        pytest.fail(f"{command.page}:{command.line}: {command}: {error.format_message()}")


# --- running the cheap ones -------------------------------------------------------------

_ENTITY_OPTIONS = ("--entity",)
_ENTITY_BINDINGS = ("entity", "method", "benchmark", "subject", "object", "name")


def _entity_names(commands: list[DocCommand]) -> set[str]:
    names = set()
    for command in commands:
        argv = command.argv
        for i, token in enumerate(argv[:-1]):
            if token in _ENTITY_OPTIONS:
                names.add(argv[i + 1])
            if token in ("--bind", "-b") and argv[i + 1].split("=", 1)[0] in _ENTITY_BINDINGS:
                names.add(argv[i + 1].split("=", 1)[1])
    return names


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """``kg-out``: a fast build of the bundled papers that name the docs' example entities."""
    from kg.build import build
    from kg.corpus import paper_to_json, read_corpus

    root = tmp_path_factory.mktemp("docs-sandbox")
    wanted = [re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE) for name in sorted(_entity_names(COMMANDS))]
    bundled = read_corpus(()).papers
    papers = []
    for pattern in wanted:  # a few papers per name keeps the build small
        papers += [p for p in bundled if pattern.search(f"{p.title} {p.abstract}")][:3]
    unique = {p.id: p for p in papers}
    with open(root / "papers.jsonl", "w", encoding="utf-8") as handle:
        for paper in unique.values():
            handle.write(json.dumps(paper_to_json(paper)) + "\n")
    build(inputs=[str(root / "papers.jsonl")], out=root / "kg-out", profile="fast", view=False)
    return root


def why_not_run(command: DocCommand, root: Path) -> str | None:
    """The reason ``command`` is not run in the sandbox, or None to run it."""
    if len(command.argv) < 2 or command.argv[1].startswith("-") or "--help" in command.argv:
        return None  # help and version always run
    name = command.argv[1]
    if name in NEVER_RUN:
        return NEVER_RUN[name]
    try:
        parsed = parse(command.argv)
    except click.BadParameter as error:  # an example file the sandbox does not have
        return error.format_message()
    if parsed is None:
        return None
    cmd, params = parsed
    for param in cmd.params:
        if not isinstance(param, click.Argument):
            continue
        values = params.get(param.name)
        values = values if isinstance(values, (tuple, list)) else [values]
        for value in values:
            if value == "-":
                return "reads stdin"
            if value is not None and Path(str(value)).is_absolute():
                return f"{value} is outside the sandbox"
            if value is not None and not (root / str(value)).exists():
                return f"example input {value!r} is not in the sandbox"
        if param.nargs == -1 and not params.get(param.name):
            return "reads the whole bundled corpus"
    if "--paper" in command.argv:
        return "example paper id"
    return None


def test_cheap_commands_run(sandbox, monkeypatch):
    monkeypatch.chdir(sandbox)
    runner = CliRunner()
    ran, skipped, failed = [], [], []
    seen = set()
    for command in COMMANDS:
        if command.argv in seen:  # the same command on two pages runs once
            continue
        seen.add(command.argv)
        reason = why_not_run(command, sandbox)
        if reason is not None:
            skipped.append((str(command), reason))
            continue
        if (command.page, str(command)) in KNOWN_BROKEN:
            result = runner.invoke(cli, list(command.argv[1:]))
            assert result.exit_code != 0, f"{command.page}:{command.line}: {command} works now: drop it from KNOWN_BROKEN"
            continue
        result = runner.invoke(cli, list(command.argv[1:]))
        ran.append(str(command))
        if result.exit_code != 0:
            failed.append(f"{command.page}:{command.line}: {command}\n  exit {result.exit_code}: "
                          f"{(result.output or '')[-400:]}{result.exception!r}")
    assert not failed, "\n".join(failed)
    # the run is not vacuous: most documented commands of the cheap kinds really ran
    kinds = {c.split()[1] for c in ran if len(c.split()) > 1 and not c.split()[1].startswith("-")}
    assert {"query", "view", "export", "analyze", "papers", "extract"} <= kinds, (kinds, skipped)
    assert len(ran) >= 25, (len(ran), skipped)
