"""Labels that a spreadsheet would run as formulas reach the analytics CSVs as text."""

from __future__ import annotations

import csv

import rdflib

from kg.analytics import run_analytics
from kg.analytics.mentions import MentionTable
from kg.comentionfiles import link_columns, write_comentions_csv
from kg.analytics.comention import CoMentionLink

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\tTAB"]


def _table() -> MentionTable:
    entities = [f"urn:e{i}" for i in range(len(HOSTILE) + 1)]
    papers = {f"urn:p{p}": set(entities) - {entities[p % len(entities)]} for p in range(8)}
    dates = {paper: f"2024-{1 + int(paper[5:]) % 6:02d}-01" for paper in papers}  # two periods for the trends
    plain = MentionTable.from_lists(papers, types={e: "Method" for e in entities}, dates=dates)
    labels = {iri: info.__class__(iri, (HOSTILE + ["LoRA"])[int(iri[5:])], info.type)
              for iri, info in plain.entities.items()}
    return MentionTable(labels, plain.papers, plain.dates)


def _cells(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_analytics_csvs_quote_formula_labels(tmp_path):
    run_analytics(rdflib.Graph(), out=tmp_path, seed=0, table=_table(), into_graph=False)
    for name in ("concepts.csv", "comentions.csv", "communities.csv", "trends.csv"):
        cells = _cells(tmp_path / name)
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t")], name
        assert "LoRA" in cells, name  # plain labels are left as they are
    concepts = _cells(tmp_path / "concepts.csv")
    assert "'" + HOSTILE[0] in concepts and "'-2+3" in concepts


def test_comention_writer_quotes_labels_once(tmp_path):
    links = link_columns([CoMentionLink("urn:a", "urn:b", 2, 0.5, 1.0)])
    write_comentions_csv(tmp_path / "c.csv", links, {"urn:a": "=1+1", "urn:b": "GPT-4o"})
    assert _cells(tmp_path / "c.csv")[7:11] == ["urn:a", "'=1+1", "urn:b", "GPT-4o"]
