"""papers.jsonl and extractions.jsonl come from the build state, a JSON text per line by id,
whether the helper process writes them or (when it cannot) the build itself."""

from __future__ import annotations

import json
import sqlite3
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


def _grow(out, papers, *, records=True):
    state = BuildState(out)
    state.put_papers(papers)
    if records:
        state.put_extractions([(p.id, "h-" + p.id, json.dumps({"paper_id": p.id})) for p in papers], profile="fast", version="v")
    state.close()


def _written(out):
    with RecordFileWriter(out) as writer:
        writer.finish()
    return _read(out), (out / "papers.jsonl").stat().st_ino


def _whole(out, tmp_path):
    """What a whole write of the same state gives."""
    copy = tmp_path / "whole"
    copy.mkdir(exist_ok=True)
    with sqlite3.connect(out / "state.sqlite") as source, sqlite3.connect(copy / "state.sqlite") as target:
        source.backup(target)  # the WAL's pages included
    write_record_files(copy)
    return _read(copy)


def test_papers_after_the_last_id_are_appended(out, tmp_path):
    _, inode = _written(out)
    _grow(out, [Paper("p4", "Fourth", "D"), Paper("p3", "Third", "C")])
    files, appended = _written(out)
    assert appended == inode  # the same file, appended to
    assert [json.loads(line)["id"] for line in files[0].splitlines()] == ["p1", "p2", "p3", "p4"]
    assert files == _whole(out, tmp_path)
    _grow(out, [Paper("p5", "Fifth", "E")])
    files, again = _written(out)
    assert again == inode and files == _whole(out, tmp_path)


@pytest.mark.parametrize("change", ["changed paper", "new record", "inserted id", "touched file", "no meta"])
def test_anything_but_later_papers_writes_the_files_whole(out, tmp_path, change):
    _, inode = _written(out)
    _grow(out, [Paper("p9", "Ninth", "Z")])
    if change == "changed paper":
        _grow(out, [Paper("p1", "First", "A changed", authors=("X",))], records=False)
    elif change == "new record":
        state = BuildState(out)
        state.put_extractions([("p2", "h2b", '{"paper_id": "p2", "again": 1}')], profile="fast", version="w")
        state.close()
    elif change == "inserted id":
        _grow(out, [Paper("p15", "Between", "B")])
    elif change == "touched file":
        with (out / "papers.jsonl").open("a") as handle:
            handle.write('{"id": "half-a-li')
    else:
        state = BuildState(out)
        state.set_meta("record_files", None)
        state.close()
    files, rewritten = _written(out)
    assert rewritten != inode
    assert files == _whole(out, tmp_path)
