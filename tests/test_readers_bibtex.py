"""BibTeX entries with abstracts, via bibtexparser v2."""

import pytest

from kg.problems import InputError
from kg.readers.bibtex import read_bibtex
from paperfixtures import read_fixture


def test_entries_become_papers():
    papers, _ = read_fixture(read_bibtex, "refs.bib")
    tables, strings, tiny = papers
    assert tables.id == "doi:10.18653/v1/2024.acl-long.7"
    assert tables.title == "Q&A over Tables"
    assert tables.abstract == "We answer questions over tables with a small model. It reaches 71.5% accuracy."
    assert tables.authors == ("Grace Hopper", "Edsger W. Dijkstra")
    assert tables.date == "2024-08"
    assert tables.categories == ("table QA", "small models")
    assert strings.id == "arxiv:2405.00005"  # from `journal = {arXiv preprint arXiv:...}`
    assert strings.title == "Tülu Strings" and strings.authors == ("Jürgen Schönberg",)
    assert tiny.id == "arxiv:2406.00006"  # a repeated key is read, with its own eprint
    assert [p.sources[0].line for p in papers] == [4, 15, 33]


def test_bad_entries_are_reported_with_their_line():
    _, problems = read_fixture(read_bibtex, "refs.bib")
    assert problems == [
        "refs.bib:23: record has no abstract",
        "refs.bib:29: malformed BibTeX entry: Unexpected block start: `@article`. "
        "Was still looking for field-value closing `}`",
    ]
    with pytest.raises(InputError, match="refs.bib:23"):
        read_fixture(read_bibtex, "refs.bib", strict=True)
