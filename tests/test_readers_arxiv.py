"""The arXiv metadata snapshot reader."""

import pytest

from kg.problems import InputError
from kg.readers.arxiv import read_arxiv
from paperfixtures import read_fixture


def test_snapshot_records():
    papers, _ = read_fixture(read_arxiv, "arxiv_snapshot.jsonl")
    new, old = papers
    assert new.id == "arxiv:2401.00001"
    assert new.title == "CheckRAG: Verified Retrieval for Generation"  # newline + indent collapsed
    assert new.abstract == "Short arXiv version of the abstract."
    assert new.date == "2024-01-02"  # first version, not update_date
    assert new.authors == ("Ada Lovelace", "Alan Turing")
    assert new.categories == ("cs.CL", "cs.AI")
    assert new.urls == ("https://arxiv.org/abs/2401.00001",)
    assert old.id == "arxiv:hep-th/9901001"
    assert old.title == "Strings on S^1"
    assert old.authors == ("J. Schönberg",)
    assert old.date == "1999-01-05"  # no versions: update_date


def test_snapshot_bad_records():
    _, problems = read_fixture(read_arxiv, "arxiv_snapshot.jsonl")
    assert problems == [
        "arxiv_snapshot.jsonl:3: not an arXiv id: 'not an id'",
        "arxiv_snapshot.jsonl:4: record has no abstract",
    ]
    with pytest.raises(InputError, match="arxiv_snapshot.jsonl:3"):
        read_fixture(read_arxiv, "arxiv_snapshot.jsonl", strict=True)
