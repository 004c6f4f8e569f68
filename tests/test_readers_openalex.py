"""OpenAlex work records: JSON Lines and an API results page."""

import pytest

from kg.readers.openalex import abstract_from_inverted_index, read_openalex
from paperfixtures import read_fixture


def test_works_from_json_lines():
    papers, problems = read_fixture(read_openalex, "openalex_works.jsonl")
    tables, preprint = papers
    assert tables.id == "doi:10.18653/v1/2024.acl-long.7"
    assert tables.abstract == "We answer questions over tables with a small model, and the model is small."
    assert tables.authors == ("Grace Hopper", "Edsger Dijkstra")
    assert tables.date == "2024-08-11"
    assert tables.urls == ("https://aclanthology.org/2024.acl-long.7",)
    assert tables.categories == ("Table Question Answering",)
    assert preprint.id == "arxiv:2303.00003"
    assert preprint.categories == ("Computer science",)
    assert problems == [
        "openalex_works.jsonl:2: record has no abstract",
        "openalex_works.jsonl:3: bad abstract_inverted_index: positions of 'word' are not a list of non-negative integers",
    ]


def test_api_results_page_keeps_line_numbers():
    papers, problems = read_fixture(read_openalex, "openalex_page.json")
    assert [p.id for p in papers] == ["doi:10.18653/v1/2024.acl-long.7", "arxiv:2303.00003"]
    assert [p.sources[0].line for p in papers] == [6, 79]
    assert problems == []


def test_inverted_index_round_trip_and_errors():
    text = "the cat saw the other cat"
    index = {}
    for position, word in enumerate(text.split()):
        index.setdefault(word, []).append(position)
    assert abstract_from_inverted_index(index) == text
    with pytest.raises(ValueError):
        abstract_from_inverted_index({"x": [-1]})
