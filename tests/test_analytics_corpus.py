"""The quality bar on the bundled corpus, through the real pipeline (readers, rule-based
extraction, graph building): the central concepts and links a reader of these abstracts
would name, and no generic words among the top 50."""

from __future__ import annotations

import pytest

from analytics_corpus import GENERIC_WORDS, bundled_corpus_graph
from kg.analytics import analyze


@pytest.fixture(scope="module")
def result():
    return analyze(bundled_corpus_graph(), seed=0)


def test_top_concepts_are_the_field_s_own(result):
    top10 = [c.label.casefold() for c in result.concepts[:10]]
    top30 = [c.label.casefold() for c in result.concepts[:30]]
    top50 = [c.label.casefold() for c in result.concepts[:50]]
    for concept in ("large language models", "reinforcement learning", "fine-tuning"):
        assert concept in top10, (concept, top10)
    for concept in ("instruction tuning", "gpt-4", "gsm8k", "in-context learning"):
        assert concept in top30, (concept, top30)
    assert not GENERIC_WORDS & set(top50), GENERIC_WORDS & set(top50)


def test_links_by_count_and_by_npmi(result):
    by_count = [(result.labels[l.source], result.labels[l.target]) for l in result.links_by_support[:10]]
    assert all("large language models" in pair for pair in by_count[:3])  # the hub leads by count ...
    by_npmi = [(result.labels[l.source], result.labels[l.target]) for l in result.links_by_npmi]
    assert all("large language models" not in pair for pair in by_npmi[:10])  # ... not by NPMI
    assert ("GSM8K", "MATH") in by_npmi
    assert all(link.support >= 3 for link in result.links_by_npmi)


def test_communities_and_trends(result):
    named = [c.name for c in result.communities.communities[:10]]
    assert named[0].startswith("large language models")
    assert result.communities.modularity > 0.4
    assert result.trends.periods == ("--03-11", "--03-14", "--04-28")  # year-less listing dates
    assert sum(result.trends.papers) == result.papers and result.rising
