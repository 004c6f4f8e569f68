"""Gold annotations as extraction records: realistic graph input for tests and benchmarks.

The gold files give, per paper, entity names, aliases and relations but no offsets; the
offsets are found here by case-insensitive search in the title and abstract. Only tests
and bench/ use this (gold never feeds the library's lexicons or rules).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from extractors.records import Entity, Evidence, Mention, PaperExtraction, Relation
from kg.papers import Paper, paper_id

__all__ = ["SHARED_EVAL", "load_gold", "sentence_spans"]

# The project's shared data folder sits next to the checkout (../shared); KG_SHARED overrides.
SHARED_EVAL = Path(os.environ.get("KG_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "eval"
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (a plain punctuation split)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def _sentence_of(spans: list[tuple[int, int]], offset: int) -> int:
    return next((i for i, (s, e) in enumerate(spans) if s <= offset < e), len(spans) - 1)


def _mentions(form: str, fields: dict[str, str], spans: dict[str, list]) -> list[Mention]:
    found = []
    pattern = re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)", re.IGNORECASE)
    for name, text in fields.items():
        for match in pattern.finditer(text):
            sentence = _sentence_of(spans[name], match.start())
            found.append(Mention(match.group(0), name, match.start(), match.end(), sentence, 1.0, "gold"))
    return found


def _date(text: str | None) -> str | None:
    match = re.match(r"([A-Z][a-z]{2})\s+(\d{1,2})$", (text or "").strip())
    return f"--{_MONTHS[match.group(1)]:02d}-{int(match.group(2)):02d}" if match and match.group(1) in _MONTHS else None


def load_gold(
    gold_path: Path = SHARED_EVAL / "dev.gold.jsonl", papers_path: Path = SHARED_EVAL / "dev.papers.jsonl"
) -> tuple[list[Paper], list[PaperExtraction], list[dict]]:
    """Papers, extraction records and raw gold records of a gold file pair."""
    texts = {}
    for line in papers_path.read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts[" ".join(record["title"].split()).lower()] = record
    papers, extractions, golds = [], [], []
    for line in gold_path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        source = texts[" ".join(gold["title"].split()).lower()]
        paper = Paper(id=paper_id(source["title"]), title=source["title"], abstract=source.get("abstract", ""),
                      date=_date(source.get("date")))
        fields = {"title": paper.title, "abstract": paper.abstract}
        spans = {name: sentence_spans(text) for name, text in fields.items()}
        entities, first_mention = [], {}
        for item in gold["entities"]:
            mentions = []
            for form in dict.fromkeys([item["name"], *item.get("aliases", [])]):
                mentions += _mentions(form, fields, spans)
            mentions.sort(key=lambda m: (m.field != "title", m.start, m.end))
            entities.append(Entity(item["name"], item["type"], item.get("role", "used"),
                                   tuple(item.get("aliases", [])), tuple(mentions), 1.0))
            if mentions:
                first_mention[item["name"]] = mentions[0]
        relations = []
        for item in gold.get("relations", []):
            anchor = first_mention.get(item["head"]) or first_mention.get(item["tail"])
            if anchor is None:
                continue
            start, end = spans[anchor.field][anchor.sentence]
            evidence = Evidence(anchor.field, anchor.sentence, start, end, fields[anchor.field][start:end], "")
            relations.append(Relation(item["head"], item["relation"], item["tail"], evidence, 1.0, "gold"))
        papers.append(paper)
        extractions.append(PaperExtraction(paper.id, paper.title, tuple(entities), tuple(relations), "gold", "dev"))
        golds.append(gold)
    return papers, extractions, golds
