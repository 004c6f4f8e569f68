"""`kg papers` end to end: through click's runner and as a real process."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import cli
from paperfixtures import FIXTURES


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_bundled_corpus_as_json_lines():
    result = run("papers")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 396
    assert set(rows[0]) == {"id", "title", "abstract", "date", "authors", "urls", "categories", "arxiv_id", "doi", "sources"}
    assert "396 papers: 464 read, 0 skipped, 68 merged duplicates" in result.stderr


def test_output_file_fields_and_format_options(tmp_path, caplog):
    out = tmp_path / "papers.jsonl"
    result = run("papers", str(FIXTURES / "papers_renamed.json"), "--field", "title=name", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert [json.loads(line)["title"] for line in out.read_text().splitlines()] == [
        "Graph Kernels Revisited", "Tiny Transformers"]
    assert "2 papers: 2 read, 1 skipped, 0 merged" in result.stderr
    assert "papers_renamed.json:7: record has no title" in caplog.text
    result = run("papers", "--format", "tsv", "-", input="title\tabstract\nT\tA\n")
    assert [json.loads(line)["sources"] for line in result.stdout.splitlines()] == [["<stdin>:2"]]


def test_quiet_prints_no_summary():
    result = run("-q", "papers", str(FIXTURES / "papers.tsv"))
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["title"] == "Tab Separated Paper"


def test_bad_options_are_usage_errors():
    assert run("papers", "--field", "colour=x").exit_code == 2
    assert run("papers", "--format", "xml").exit_code == 2


def test_strict_failure_exits_2_and_keeps_the_old_output(tmp_path):
    out = tmp_path / "papers.jsonl"
    out.write_text("previous run\n")
    process = subprocess.run(
        [sys.executable, "-c", "from kg.cli import main; main()", "papers", "--strict", "-o", str(out),
         str(FIXTURES / "papers.tsv"), str(FIXTURES / "papers.csv")],
        capture_output=True, text=True, timeout=60,
    )
    assert process.returncode == 2
    assert "papers.csv:4: malformed CSV: 5 fields but the header has 4" in process.stderr
    assert out.read_text() == "previous run\n"


@pytest.mark.parametrize("strict", [False, True])
def test_missing_input(tmp_path, strict):
    args = ["papers", str(tmp_path / "missing.bib")] + (["--strict"] if strict else [])
    process = subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", *args],
                             capture_output=True, text=True, timeout=60)
    assert "missing.bib: no such file or directory" in process.stderr
    assert process.returncode == (2 if strict else 0)
