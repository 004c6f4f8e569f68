"""Reading again with the files of an earlier read: unchanged files are not parsed, and the result
is still what reading every file gives."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest

from kg.build import build
from kg.corpus import bundled_corpus_paths, paper_to_json, read_corpus
from scalefixtures import bundled_papers, quads, write_papers

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _known(corpus):
    return {f.source: f for f in corpus.files}


def _as_full(corpus, stored):
    """The papers a read with ``known`` stands for: those it parsed plus the stored ones it did not."""
    parsed = {p.id: p for p in corpus.papers}
    return sorted([*parsed.values(), *(stored[pid] for pid in corpus.unchanged if pid not in parsed)], key=lambda p: p.id)


def _by_id(corpus):
    return {p.id: p for p in corpus.papers}


def test_unchanged_files_are_not_parsed_and_the_result_is_a_full_read(tmp_path):
    papers = bundled_papers()
    first, second = write_papers(tmp_path / "a.jsonl", papers[:30]), write_papers(tmp_path / "b.jsonl", papers[30:40])
    before = read_corpus([first], known={})
    assert [f.source for f in before.files] == [str(first)] and not before.unchanged
    again = read_corpus([first, second], known=_known(before))
    full = read_corpus([first, second])
    assert {p.id for p in again.papers} == {p.id for p in papers[30:40]}  # only b.jsonl parsed
    assert sorted(again.unchanged) == sorted(p.id for p in papers[:30])
    assert _as_full(again, _by_id(before)) == sorted(full.papers, key=lambda p: p.id)
    assert (again.read, again.merged, again.skipped) == (full.read, full.merged, full.skipped)
    assert sorted(f.source for f in again.files) == sorted([str(first), str(second)])


def test_a_file_edited_in_place_is_read_again(tmp_path):
    papers = bundled_papers()[:5]
    path = write_papers(tmp_path / "a.jsonl", papers)
    before = read_corpus([path], known={})
    stat = path.stat()
    text = path.read_text()
    path.write_text(text.replace(papers[0].title, papers[0].title[::-1]))  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time: only the bytes tell
    again = read_corpus([path], known=_known(before))
    assert not again.unchanged and len(again.papers) == 5
    assert papers[0].title[::-1] in {p.title for p in again.papers}


def test_other_reader_options_read_again(tmp_path):
    path = write_papers(tmp_path / "a.jsonl", bundled_papers()[:3])
    before = read_corpus([path], known={})
    assert read_corpus([path], known=_known(before)).unchanged
    assert not read_corpus([path], known=_known(before), fields={"title": "abstract"}).unchanged


def test_a_new_paper_merging_with_an_unchanged_one_reads_everything(tmp_path):
    papers = bundled_papers()
    first = write_papers(tmp_path / "a.jsonl", papers[:10])
    before = read_corpus([first], known={})
    # the same paper again (same id), with a longer abstract: a fresh read merges the two
    longer = replace(papers[3], abstract=papers[3].abstract + " More words here.")
    second = write_papers(tmp_path / "b.jsonl", [longer, papers[12]])
    again = read_corpus([first, second], known=_known(before))
    full = read_corpus([first, second])
    assert not again.unchanged
    assert again.papers == full.papers and (again.read, again.merged) == (full.read, full.merged) == (12, 1)
    assert not again.files  # a.jsonl and b.jsonl share a paper: neither can be taken alone next time


def test_files_merging_with_each_other_and_bad_files_are_not_kept(tmp_path):
    """The bundled corpus repeats papers across its files: those files are parsed every time."""
    bad, alone = tmp_path / "bad.jsonl", tmp_path / "alone.jsonl"
    bad.write_text('{"title": "T", "abstract": "A"}\n{not json\n', encoding="utf-8")
    alone.write_text('{"title": "ZetaNet for nothing", "abstract": "We propose ZetaNet."}\n', encoding="utf-8")
    files = [*bundled_corpus_paths(), bad, alone]
    before = read_corpus(files, known={})
    again = read_corpus(files, known=_known(before))
    full = read_corpus(files)
    # every bundled page repeats papers of another; bad.jsonl reported a problem (read again, reported again)
    assert {f.source for f in before.files} == {str(alone)}
    assert len(again.unchanged) == 1
    assert [str(p) for p in again.problems] == [str(p) for p in full.problems] == [f"{bad}:2: " + full.problems[0].message]
    assert (again.read, again.merged, again.skipped) == (full.read, full.merged, full.skipped)
    stored = _by_id(before)
    assert [(p.id, p.abstract, p.sources) for p in _as_full(again, stored)] == \
        [(p.id, p.abstract, p.sources) for p in sorted(full.papers, key=lambda p: p.id)]


def test_incremental_build_reads_only_new_files_and_equals_fresh(tmp_path):
    papers = bundled_papers()[:16]
    first, second = write_papers(tmp_path / "a.jsonl", papers[:10]), write_papers(tmp_path / "b.jsonl", papers[10:])
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    options = dict(out=out, profile="fast", view=False)
    build(inputs=[str(first)], **options)
    grown = build(inputs=[str(first), str(second)], prune=True, **options)
    assert (grown.read, grown.papers, grown.removed) == (16, 16, 0)
    build(inputs=[str(first), str(second)], out=fresh, profile="fast", view=False)
    for name in ("papers.jsonl", "extractions.jsonl"):
        assert (out / name).read_text() == (fresh / name).read_text(), name
    assert quads(out / "graph.trig") == quads(fresh / "graph.trig")
    # --prune keeps the papers of unchanged files, removes those of files no longer given
    pruned = build(inputs=[str(second)], prune=True, **options)
    assert (pruned.papers, pruned.removed) == (6, 10)
    assert {json.loads(line)["id"] for line in (out / "papers.jsonl").open()} == {p.id for p in papers[10:]}


def test_changed_paper_in_a_changed_file_replaces_the_old(tmp_path):
    papers = list(bundled_papers()[:8])
    path = write_papers(tmp_path / "a.jsonl", papers)
    out = tmp_path / "out"
    build(inputs=[str(path)], out=out, profile="fast", view=False)
    papers[2] = replace(papers[2], abstract="We propose FooNet and evaluate it on ImageNet.")
    write_papers(path, papers)
    result = build(inputs=[str(path)], out=out, profile="fast", view=False)
    assert result.extracted == 1
    stored = {json.loads(line)["id"]: json.loads(line) for line in (out / "papers.jsonl").open()}
    assert stored[papers[2].id] == paper_to_json(papers[2]) | {"sources": [f"{path}:3"]}


def test_a_file_read_from_the_state_is_stored_again_as_it_was_and_a_changed_one_anew():
    from kg.inputfiles import FileKeys, InputFile

    made = InputFile("a.jsonl", "json", 10, 20, "d1", 2, 0, ("arxiv:2", "arxiv:1"),
                     FileKeys(frozenset({"arxiv:2", "arxiv:1"}), frozenset({"title:b", "title:a"}), frozenset()))
    row = made.to_row()
    assert json.loads(row[8]) == [["arxiv:1", "arxiv:2"], ["title:a", "title:b"], []]  # sorted: the same bytes every time
    loaded = InputFile.from_row(row)
    assert loaded == made and loaded.to_row() == row
    # a row kept from the state is not reused for a file that differs from it
    assert replace(loaded, size=11).to_row() == replace(made, size=11).to_row() != row
    fewer = replace(loaded, ids=("arxiv:2",), keys=FileKeys(frozenset({"arxiv:2"}), frozenset({"title:b"}), frozenset()))
    assert fewer.to_row()[7:] == ("arxiv:2", json.dumps([["arxiv:2"], ["title:b"], []]))
    empty = InputFile.from_row(InputFile("e.jsonl", "json", 0, 0, "d0", 0, 0, ()).to_row())
    assert empty.ids == () and replace(empty, ids=("x",)).to_row()[7] == "x"
