"""Small, hand-written papers and extraction records for the graph tests (hostile text included)."""

from __future__ import annotations

import functools
import re
from datetime import datetime, timezone

import pyoxigraph as ox
import rdflib

from extractors.records import Entity, Evidence, Mention, PaperExtraction, Relation
from kg.papers import Paper
from kg.provenance import ExtractionRun

__all__ = ["HOSTILE_NAMES", "small_corpus", "bundled_sample", "fixed_run", "canonical_quads"]

HOSTILE_NAMES = ('a "b" <c>', "x\ny", "\u202bRTL\u202c name", "z" * 10_000, "{tab}\t|^`\\")


def _mentions(text: str, field: str, form: str) -> tuple[Mention, ...]:
    return tuple(Mention(m.group(0), field, m.start(), m.end(), 0, 0.9, "test")
                 for m in re.finditer(re.escape(form), text))


def _entity(paper: Paper, name: str, kind: str, role: str = "used", aliases: tuple[str, ...] = ()) -> Entity:
    mentions = ()
    for form in (name, *aliases):
        mentions += _mentions(paper.title, "title", form) + _mentions(paper.abstract, "abstract", form)
    return Entity(name, kind, role, aliases, mentions, 0.9)


def _evidence(paper: Paper, needle: str) -> Evidence:
    start = paper.abstract.index(needle)
    end = paper.abstract.index(".", start) + 1
    return Evidence("abstract", 0, start, end, paper.abstract[start:end], "outperforms")


def small_corpus() -> tuple[list[Paper], list[PaperExtraction]]:
    """Three papers: LoRA/LLM resolution, a relation with evidence, code URLs, hostile names."""
    p1 = Paper(
        id="arxiv:2401.00001", title="LoRA-Pro: better Low-Rank Adaptation",
        abstract="We propose LoRA-Pro, based on Low-Rank Adaptation (LoRA). LoRA-Pro outperforms LoRA on GSM8K. "
                 "Code: https://github.com/org/lora-pro.",
        date="2024-01-02", authors=("Ada Lovelace", "Alan Turing"), arxiv_id="2401.00001", categories=("cs.CL",))
    p2 = Paper(id="doi:10.1000/xyz", title="Large Language Models (LLMs) for everything",
               abstract="LLMs and LoRA are used with GPT-4 and GPT-4o. See huggingface.co/org/model.",
               date="2024-03", doi="10.1000/xyz")
    hostile_abstract = " ".join(HOSTILE_NAMES[:3]) + " and " + HOSTILE_NAMES[4] + ". Data at https://github.com/x/y\"<z>."
    p3 = Paper(id='title:<"hostile"> id', title="Hostile names\u200f", abstract=hostile_abstract, date="--03-11",
               urls=('https://gitlab.com/x/y"<z> w',))
    e1 = PaperExtraction(p1.id, p1.title, (
        _entity(p1, "LoRA-Pro", "Method", "introduced"),
        _entity(p1, "Low-Rank Adaptation", "Method", aliases=("LoRA",)),
        _entity(p1, "GSM8K", "Benchmark"),
    ), (
        Relation("LoRA-Pro", "basedOn", "Low-Rank Adaptation", _evidence(p1, "We propose"), 0.8, "rules"),
        Relation("LoRA-Pro", "outperforms", "LoRA", _evidence(p1, "LoRA-Pro outperforms"), 0.7, "rules"),
        Relation("LoRA-Pro", "evaluatedOn", "GSM8K", _evidence(p1, "LoRA-Pro outperforms"), 0.7, "rules"),
        Relation("LoRA-Pro", "usedFor", "GSM8K", _evidence(p1, "LoRA-Pro outperforms"), 0.7, "rules"),  # unknown label
        Relation("nobody", "basedOn", "GSM8K", _evidence(p1, "We propose"), 0.7, "rules"),  # unknown entity
    ), "kg-extractors/test", "1.0")
    e2 = PaperExtraction(p2.id, p2.title, (
        _entity(p2, "Large Language Models (LLMs)", "Method"),
        _entity(p2, "LLMs", "Method"),
        _entity(p2, "LoRA", "Method"),
        _entity(p2, "GPT-4", "Model"),
        _entity(p2, "GPT-4o", "Model"),
    ), (
        Relation("GPT-4o", "outperforms", "GPT-4", Evidence("abstract", 0, 0, 52, p2.abstract[:52], ""), 0.6, "rules"),
    ), "kg-extractors/test", "1.0")
    hostile = [_entity(p3, name, "Dataset") for name in HOSTILE_NAMES]
    hostile.append(Entity("off the end", "Task", "used", (), (Mention("off", "abstract", 10**6, 10**6 + 3, 0, 1.0, "t"),), 1.0))
    e3 = PaperExtraction(p3.id, p3.title, tuple(hostile), (), "kg-extractors/test", "1.0")
    return [p1, p2, p3], [e1, e2, e3]


@functools.lru_cache(maxsize=None)
def bundled_sample(count: int = 40) -> tuple[tuple[Paper, ...], tuple[PaperExtraction, ...]]:
    """The first ``count`` papers of the bundled corpus and their rules-only extraction (cached per session)."""
    from kg.corpus import read_corpus
    from kg.extraction import extract_papers

    papers = tuple(read_corpus(()).papers[:count])
    return papers, tuple(extract_papers(papers, profile="fast"))


def fixed_run() -> ExtractionRun:
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    return ExtractionRun("kg-extractors/test", "1.0", moment, moment)


def canonical_quads(graph: rdflib.Graph | ox.Store | list) -> set[str]:
    """Quads as canonical N-Quads strings (pyoxigraph's: a simple literal equals its xsd:string form)."""
    from kg.quadstore import open_quads

    if isinstance(graph, rdflib.Graph):
        graph = open_quads(graph).store
    return {str(quad) for quad in graph}
