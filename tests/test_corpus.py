"""read_corpus: inputs, identity, duplicate merging, counts; the bundled corpus."""

import io
import sys

import pytest

from kg.corpus import bundled_corpus_paths, expand_inputs, paper_to_json, read_corpus
from kg.merging import PaperMerger, merge_papers
from kg.papers import Paper, SourceLocation, paper_id
from kg.problems import InputError, ProblemLog
from paperfixtures import FIXTURES


@pytest.fixture(scope="module")
def bundled():
    return read_corpus()


def test_bundled_corpus_gives_396_distinct_papers(bundled):
    corpus = bundled
    assert (len(corpus.papers), corpus.read, corpus.merged, corpus.skipped) == (396, 464, 68, 0)
    assert len({p.id for p in corpus.papers}) == 396
    assert corpus.papers[0].title.startswith("Sparkle:")  # first-seen order
    assert sum(len(p.sources) for p in corpus.papers) == 464  # every location kept


def test_helpsteer2_keeps_the_longer_abstract_and_both_sources(bundled):
    (paper,) = [p for p in bundled.papers if p.title.startswith("HelpSteer2-Preference")]
    versions = []
    for path in bundled_corpus_paths():
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        versions += [lines[i + 1] for i, line in enumerate(lines) if line.startswith("HelpSteer2-Preference")]
    assert len(set(versions)) == 2
    assert paper.abstract == max(versions, key=len)
    assert len(paper.sources) == 2


def test_bundled_corpus_latex_is_decoded(bundled):
    abstracts = " ".join(p.abstract for p in bundled.papers)
    assert "TÜLU 3" in abstracts and "Tülu 3" in abstracts
    assert '\\"' not in abstracts and "\\textbf" not in abstracts
    assert "we introduce GitChameleon, a novel" in abstracts


def test_same_paper_across_formats_is_merged():
    corpus = read_corpus([FIXTURES / "listing_page.txt", FIXTURES / "papers.jsonl", FIXTURES / "arxiv_snapshot.jsonl"])
    (checkrag,) = [p for p in corpus.papers if p.title.startswith("CheckRAG")]
    assert checkrag.id == "arxiv:2401.00001"  # the title-only listing entry joined the arXiv one
    assert [str(s).rsplit("/", 1)[-1] for s in checkrag.sources] == [
        "listing_page.txt:15", "papers.jsonl:1", "arxiv_snapshot.jsonl:1"]
    assert checkrag.abstract.startswith("Retrieval-augmented generation")  # longer than the snapshot's
    assert checkrag.date == "2024-01-02"  # a full date beats the listing's --03-14
    assert checkrag.authors == ("Ada Lovelace", "Alan Turing")
    assert corpus.merged == 2 and corpus.read - corpus.merged == len(corpus.papers)


def test_doi_papers_merge_across_jsonl_openalex_and_bibtex():
    corpus = read_corpus([FIXTURES / "papers.jsonl", FIXTURES / "openalex_works.jsonl", FIXTURES / "refs.bib"])
    (tables,) = [p for p in corpus.papers if p.doi == "10.18653/v1/2024.acl-long.7"]
    assert len(tables.sources) == 3
    assert tables.categories == ("table QA", "small models", "Table Question Answering")
    assert tables.date == "2024-08-11"


def test_duplicate_within_one_file_and_counts(tmp_path):
    path = tmp_path / "dupes.jsonl"
    path.write_text(
        '{"title": "Same Paper", "abstract": "Short."}\n'
        '{"title": "same paper!", "abstract": "A longer abstract."}\n'
        '{"title": "Other", "abstract": "X."}\n'
        '{"title": "No abstract"}\n'
    )
    corpus = read_corpus([path])
    assert [(p.title, p.abstract) for p in corpus.papers] == [("same paper!", "A longer abstract."), ("Other", "X.")]
    assert [s.line for s in corpus.papers[0].sources] == [1, 2]
    assert (corpus.read, corpus.merged, corpus.skipped) == (3, 1, 1)
    assert "3 read, 1 skipped, 1 merged" in corpus.summary()


def test_same_title_different_dois_stay_apart():
    merger = PaperMerger()
    for doi in ("10.1000/preprint.1", "10.1000/journal.1"):
        merger.add(Paper(paper_id("T", doi=doi), "T", "A.", doi=doi))
    merger.add(Paper(paper_id("T"), "T", "A longer one."))  # title-only: joins the first
    assert [len(p.sources) for p in merger.papers()] == [0, 0] and merger.merged == 1
    assert merger.papers()[0].abstract == "A longer one." and merger.papers()[0].id == "doi:10.1000/preprint.1"


def test_merge_keeps_first_on_equal_abstracts_and_unions_urls():
    a = Paper("title:x", "T", "Same.", urls=("u1",), sources=(SourceLocation("a", 1),))
    b = Paper("title:x", "T!", "Same.", urls=("u2", "u1"), categories=("cs.CL",), sources=(SourceLocation("b", 2),))
    merged = merge_papers(a, b)
    assert (merged.title, merged.urls, merged.categories) == ("T", ("u1", "u2"), ("cs.CL",))


def test_directories_globs_and_missing_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.csv").write_text("title,abstract\nA,B\n")
    (tmp_path / "b.jsonl").write_text('{"title": "C", "abstract": "D"}\n')
    (tmp_path / ".hidden.csv").write_text("title,abstract\nH,I\n")
    log = ProblemLog()
    found = expand_inputs([tmp_path, str(tmp_path / "*.jsonl"), tmp_path / "nope.csv", str(tmp_path / "*.xml")], log)
    assert [p.name for p in found] == ["b.jsonl", "a.csv", "b.jsonl"]
    assert [p.message for p in log.problems] == ["no such file or directory", "no file matches this pattern"]
    corpus = read_corpus([tmp_path, tmp_path / "nope.csv"])
    assert sorted(p.title for p in corpus.papers) == ["A", "C"] and corpus.skipped == 1


def test_stdin_and_format_override(monkeypatch):
    data = b'@article{k, title={From Stdin}, abstract={Read from standard input.}}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    corpus = read_corpus(["-"])
    assert [(p.title, str(p.sources[0])) for p in corpus.papers] == [("From Stdin", "<stdin>:1")]
    # Forced format: a .txt file read as CSV.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"title\tabstract\nT\tA\n")))
    assert [p.title for p in read_corpus(["-"], format="tsv").papers] == ["T"]


def test_strict_raises_and_unknown_format_is_a_value_error(tmp_path):
    with pytest.raises(InputError, match="nope.jsonl: no such file"):
        read_corpus([tmp_path / "nope.jsonl"], strict=True)
    with pytest.raises(ValueError, match="unknown format"):
        read_corpus([tmp_path], format="xml")


def test_field_names_reach_the_readers():
    corpus = read_corpus([FIXTURES / "papers_renamed.json"], fields={"title": "name"})
    assert [p.title for p in corpus.papers] == ["Graph Kernels Revisited", "Tiny Transformers"]


def test_paper_to_json_keys():
    paper = read_corpus([FIXTURES / "papers.tsv"]).papers[0]
    assert list(paper_to_json(paper)) == [
        "id", "title", "abstract", "date", "authors", "urls", "categories", "arxiv_id", "doi", "sources"]


def test_printed_papers_read_back_as_the_same_papers(bundled, tmp_path):
    import json

    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(paper_to_json(p)) + "\n" for p in bundled.papers), encoding="utf-8")
    again = read_corpus([path])
    assert again.papers == bundled.papers  # sources aside, cleaning and ids are stable


def test_directory_reads_known_extensions_only(tmp_path):
    (tmp_path / "README.md").write_text("# not data\n")
    (tmp_path / "notes").write_text("no extension\n")
    (tmp_path / "a.tsv").write_text("title\tabstract\nA\tB\n")
    corpus = read_corpus([tmp_path])
    assert [p.title for p in corpus.papers] == ["A"] and corpus.skipped == 0
    # Named explicitly, an unknown file is still tried and reported.
    assert read_corpus([tmp_path / "notes"]).skipped == 1


def test_progress_bar_goes_to_stderr(capsys, monkeypatch):
    monkeypatch.setattr("kg.corpus.PROGRESS_DELAY_SECONDS", 0)
    corpus = read_corpus([FIXTURES / "papers.tsv"], progress=True)
    assert len(corpus.papers) == 1
    captured = capsys.readouterr()
    assert "reading papers" in captured.err
    assert captured.out == ""  # never mixed into the JSON Lines on stdout
    read_corpus([FIXTURES / "papers.tsv"], progress=False)
    assert capsys.readouterr().err == ""
