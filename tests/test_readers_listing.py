"""The daily-listing reader on a hand-written page and on the bundled corpus."""

import io

import pytest

from kg.corpus import bundled_corpus_paths
from kg.problems import InputError, ProblemLog
from kg.readers.listing import looks_like_listing, read_listing
from paperfixtures import read_fixture


def test_page_papers_dates_and_lines():
    papers, problems = read_fixture(read_listing, "listing_page.txt")
    assert [(p.title, p.date, p.sources[0].line) for p in papers] == [
        ("Tülu-Lens: Probing Relational Facts", "--03-14", 11),
        ("CheckRAG: Verified Retrieval for Generation", "--03-14", 15),
        ("Sparse Mixtures at Scale", "--04-02", 25),  # a second date line starts a new day
    ]
    assert papers[2].abstract.endswith("with ~3x less compute and 50% fewer FLOPs.")
    assert all(p.id.startswith("title:") for p in papers)


def test_missing_title_or_abstract_is_reported_and_skipped():
    _, problems = read_fixture(read_listing, "listing_page.txt")
    assert problems == [
        "listing_page.txt:19: title with no abstract after it: 'A Title Whose Abstract Went Missing'",
        "listing_page.txt:23: abstract with no title before it",
    ]


def test_strict_mode_stops_at_the_first_problem():
    with pytest.raises(InputError, match=r"listing_page.txt:19: title with no abstract"):
        read_fixture(read_listing, "listing_page.txt", strict=True)


def test_lone_title_at_the_end_of_a_page():
    log = ProblemLog()
    page = io.StringIO("Mar 1\n\nFirst\n\nFirst abstract.\n\nDangling title\n")
    assert [p.title for p in read_listing(page, source="p.txt", problems=log)] == ["First"]
    assert [str(p) for p in log.problems] == ["p.txt:7: title with no abstract after it: 'Dangling title'"]


def test_bundled_page_has_all_its_entries():
    first_page = bundled_corpus_paths()[0]
    log = ProblemLog()
    papers = list(read_listing(first_page, source=first_page.name, problems=log))
    assert len(papers) == 92 and not log.problems
    assert {p.date for p in papers} == {"--03-14"}
    assert papers[0].title.startswith("Sparkle: Mastering Basic Spatial Capabilities")


def test_listing_detection():
    assert looks_like_listing(bundled_corpus_paths()[0].read_text()[:4000])
    assert not looks_like_listing("title,abstract\nA,B\n")
