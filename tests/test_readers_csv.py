"""CSV and TSV files with a header row."""

import io

import pytest

from kg.problems import InputError, ProblemLog
from kg.readers.csvfile import read_csv, read_tsv
from kg.readers.fields import FieldNames
from paperfixtures import read_fixture


def test_csv_rows_quoted_and_multiline_fields():
    papers, _ = read_fixture(read_csv, "papers.csv")
    assert [(p.title, p.sources[0].line) for p in papers] == [
        ("Contrastive Pretraining, Revisited", 2),
        ("Second Good Row", 6),  # line numbers count the two physical lines of row 1
    ]
    assert papers[0].abstract == "We revisit contrastive pretraining. It still works."
    assert papers[0].authors == ("Yann LeCun", "Yoshua Bengio")
    assert papers[0].date == "2022-05-01"
    assert papers[1].abstract == "A second abstract with 50% more data."


def test_csv_bad_rows_are_reported():
    _, problems = read_fixture(read_csv, "papers.csv")
    assert problems == [
        "papers.csv:4: malformed CSV: 5 fields but the header has 4",
        "papers.csv:5: record has no abstract",
        "papers.csv:7: malformed CSV: unexpected end of data",
    ]


def test_csv_strict_mode():
    with pytest.raises(InputError, match="papers.csv:4: malformed CSV"):
        read_fixture(read_csv, "papers.csv", strict=True)


def test_tsv_keeps_commas_in_fields():
    papers, problems = read_fixture(read_tsv, "papers.tsv")
    assert [(p.title, p.abstract, p.categories) for p in papers] == [
        ("Tab Separated Paper", "An abstract, with commas, in a TSV.", ("cs.LG", "stat.ML"))
    ]
    assert problems == []


def test_header_without_title_column_names_the_option():
    log = ProblemLog()
    rows = io.StringIO("name,abstract\nA,B\n")
    assert list(read_csv(rows, source="x.csv", problems=log)) == []
    assert str(log.problems[0]) == "x.csv:1: header has no 'title' column (use --field title=COLUMN)"
    rows.seek(0)
    papers = list(read_csv(rows, source="x.csv", problems=log, fields=FieldNames.parse(["title=name"])))
    assert [p.title for p in papers] == ["A"]


def test_semicolon_delimiter_is_guessed():
    log = ProblemLog()
    papers = list(read_csv(io.StringIO("title;abstract\nA, B;C, D\n"), source="x.csv", problems=log))
    assert [(p.title, p.abstract) for p in papers] == [("A, B", "C, D")]
