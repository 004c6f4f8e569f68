"""JSON Lines and JSON arrays, with default and configured field names."""

import io

import pytest

from kg.problems import InputError, ProblemLog
from kg.readers.fields import FieldNames
from kg.readers.jsonrecords import read_json
from paperfixtures import read_fixture


def test_json_lines_records_and_metadata():
    papers, _ = read_fixture(read_json, "papers.jsonl")
    first, second = papers
    assert first.id == "arxiv:2401.00001" and first.arxiv_id == "2401.00001"
    assert first.date == "2024-01-02"
    assert first.authors == ("Ada Lovelace", "Alan Turing")
    assert first.categories == ("cs.CL", "cs.AI")
    assert first.urls == ("https://arxiv.org/abs/2401.00001v2",)
    assert second.id == "doi:10.18653/v1/2024.acl-long.7"
    assert second.title == "Q&A over Tables"
    assert second.abstract == "We answer questions over tables with a small model <1B."
    assert second.authors == ("Grace Hopper", "Edsger Dijkstra")
    assert [s.line for p in papers for s in p.sources] == [1, 5]


def test_json_lines_bad_records_are_reported_with_their_line():
    _, problems = read_fixture(read_json, "papers.jsonl")
    assert problems == [
        "papers.jsonl:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)",
        "papers.jsonl:3: record has no abstract",
        "papers.jsonl:4: expected a JSON object, found list",
    ]


def test_json_array_with_configured_field_names():
    fields = FieldNames.parse({"title": "name"})  # abstract: "summary" is a default alternative
    papers, problems = read_fixture(read_json, "papers_renamed.json", fields=fields)
    assert [(p.title, p.sources[0].line, p.date) for p in papers] == [
        ("Graph Kernels Revisited", 2, "2023-06"),
        ("Tiny Transformers", 11, None),
    ]
    assert papers[1].authors == ("Barbara Liskov",)
    assert problems == ["papers_renamed.json:7: record has no title"]


def test_default_field_names_miss_renamed_titles():
    papers, problems = read_fixture(read_json, "papers_renamed.json")
    assert papers == [] and len(problems) == 3


def test_malformed_json_array_keeps_records_before_the_error():
    papers, problems = read_fixture(read_json, "papers_broken.json")
    assert [p.title for p in papers] == ["Kept Paper"]
    assert problems == [
        "papers_broken.json:3: malformed JSON: Expecting property name enclosed in double quotes (column 39); rest of file skipped"
    ]


def test_strict_mode_raises_on_malformed_json():
    with pytest.raises(InputError, match="papers.jsonl:2: malformed JSON"):
        read_fixture(read_json, "papers.jsonl", strict=True)


def test_single_object_and_results_page():
    log = ProblemLog()
    one = io.StringIO('{\n  "title": "Only One",\n  "abstract": "A single pretty-printed record."\n}\n')
    assert [p.title for p in read_json(one, source="one.json", problems=log)] == ["Only One"]
    page = io.StringIO('{"meta": {},\n "papers": [\n  {"title": "A", "abstract": "B"}\n]}')
    assert [p.sources[0].line for p in read_json(page, source="page.json", problems=log)] == [3]
    assert not log.problems


def test_field_spec_errors():
    with pytest.raises(ValueError, match="unknown field 'titel'"):
        FieldNames.parse(["titel=name"])
    with pytest.raises(ValueError, match="FIELD=KEY"):
        FieldNames.parse(["title"])
