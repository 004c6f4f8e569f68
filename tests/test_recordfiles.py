"""papers.jsonl and extractions.jsonl come from the build state, a JSON text per line by id,
whether the helper process writes them or (when it cannot) the build itself."""

from __future__ import annotations

import json
import sys

import pytest

from kg.buildstate import BuildState
from kg.papers import Paper
from kg.recordfiles import RecordFileWriter, write_record_files


@pytest.fixture
def out(tmp_path):
    state = BuildState(tmp_path)
    state.put_papers([Paper("p2", "Second", "B é"), Paper("p1", "First", "A", authors=("X",))])
    state.put_extractions([("p2", "h2", '{"paper_id": "p2"}'), ("p1", "h1", '{"paper_id": "p1"}')],
                          profile="fast", version="v")
    state.close()
    return tmp_path


def _read(out):
    return [(out / name).read_text(encoding="utf-8") for name in ("papers.jsonl", "extractions.jsonl")]


def test_lines_by_id_as_stored(out):
    write_record_files(out)
    papers, records = _read(out)
    assert [json.loads(line)["id"] for line in papers.splitlines()] == ["p1", "p2"]
    assert json.loads(papers.splitlines()[0])["authors"] == ["X"] and "B é" in papers
    assert records == '{"paper_id": "p1"}\n{"paper_id": "p2"}\n'


@pytest.mark.parametrize("interpreter", [None, "false", sys.executable + "-missing"])
def test_the_helper_or_the_caller_writes_the_same_files(out, tmp_path_factory, monkeypatch, caplog, interpreter):
    write_record_files(out)
    expected = _read(out)
    for name in ("papers.jsonl", "extractions.jsonl"):
        (out / name).unlink()
    if interpreter:
        monkeypatch.setattr(sys, "executable", interpreter)
    with RecordFileWriter(out) as writer:
        assert writer.finish() == ("papers.jsonl", "extractions.jsonl")
    assert _read(out) == expected
    assert ("written here instead" in caplog.text or "done in this process" in caplog.text) == bool(interpreter)



def test_a_helper_whose_build_is_gone_replaces_nothing(out, monkeypatch):
    """A killed build's helper must not put older files over the next build's."""
    import os

    import kg.helperprocess

    (out / "papers.jsonl").write_text("next build's\n")
    monkeypatch.setattr(kg.helperprocess, "_starter", os.getppid() + 100_000)  # a starter that is not the parent now
    with pytest.raises(RuntimeError, match="the process that started this helper ended"):
        write_record_files(out)
    assert (out / "papers.jsonl").read_text() == "next build's\n"
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp")) == []
    monkeypatch.setattr(kg.helperprocess, "_starter", os.getppid())  # still its starter's child: written
    write_record_files(out)
    assert (out / "papers.jsonl").read_text() != "next build's\n"
