"""Hostile sizes: one abstract naming up to 100,000 CamelCase entities, through each stage.

Targets (issue 11): no crash and no quadratic blow-up. Three measurements:

1. reading: a JSON Lines record whose abstract lists N names (``kg.corpus.read_corpus``,
   text clean-up included), N up to 100,000;
2. graph: `kg.graph.build_graph` of one paper with N entities (one mention each), N up
   to 100,000;
3. extraction (``fast`` profile, spaCy rules): N names in one sentence, and N names in
   N sentences, at sizes that finish in minutes.

Each stage reports seconds per size and the growth exponent between the two largest
sizes (1 = linear, 2 = quadratic). ``--write-doc`` replaces its section of
docs/benchmarks.md.

    python bench/bench_hostile.py --write-doc docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchdoc import replace_section

from extractors.records import Entity, Mention, PaperExtraction
from kg.corpus import read_corpus
from kg.extraction import extract_papers
from kg.graph import build_graph
from kg.papers import Paper

_SYLLABLES = ("Alpha", "Beta", "Gamma", "Delta", "Net", "Former", "Mamba", "Lo", "Ra", "Vi", "Sion", "Gen", "Bert", "Flow")


def camel_names(count: int) -> list[str]:
    """``count`` distinct CamelCase names (deterministic)."""
    k = len(_SYLLABLES)
    return [_SYLLABLES[i % k] + _SYLLABLES[i // k % k] + _SYLLABLES[i // k // k % k] + str(i) for i in range(count)]


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def time_reading(count: int, folder: Path) -> float:
    source = folder / f"many-{count}.jsonl"
    source.write_text(json.dumps({"title": "Many", "abstract": "We compare " + ", ".join(camel_names(count)) + "."}) + "\n")
    return _timed(lambda: read_corpus([source], strict=True))


def time_graph(count: int) -> float:
    names = camel_names(count)
    abstract = "We compare " + ", ".join(names) + "."
    paper = Paper(id="title:many", title="Many", abstract=abstract)
    entities, position = [], len("We compare ")
    for name in names:
        mention = Mention(name, "abstract", position, position + len(name), 0, 1.0, "bench")
        entities.append(Entity(name, "Method", "used", (), (mention,), 1.0))
        position += len(name) + 2
    extraction = PaperExtraction(paper.id, paper.title, tuple(entities), (), "kg-extractors/bench", "1")
    return _timed(lambda: build_graph([paper], [extraction], store="auto"))


def time_extraction(count: int, *, one_sentence: bool) -> float:
    names = camel_names(count)
    text = ("We compare " + ", ".join(names) + ".") if one_sentence else " ".join(f"We use {n}." for n in names)
    paper = Paper(id="title:many", title="Many", abstract=text)
    return _timed(lambda: list(extract_papers([paper], profile="fast")))


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """Growth exponent between the two largest sizes."""
    (n1, n2), (t1, t2) = sizes[-2:], seconds[-2:]
    return math.log(max(t2, 1e-9) / max(t1, 1e-9)) / math.log(n2 / n1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--read-sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--graph-sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--sentence-sizes", type=int, nargs="+", default=[50, 100, 200],
                        help="names in ONE sentence (relations pair them: keep small)")
    parser.add_argument("--separate-sizes", type=int, nargs="+", default=[1_000, 3_000, 10_000],
                        help="names, one sentence each")
    parser.add_argument("--write-doc", type=Path, help="replace this benchmark's section of docs/benchmarks.md")
    options = parser.parse_args(argv)
    list(extract_papers([Paper(id="title:w", title="Warm up", abstract="We use BERT.")], profile="fast"))  # load once
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        stages = [
            ("read + clean one abstract of N names", options.read_sizes, lambda n: time_reading(n, Path(scratch))),
            ("build_graph, one paper with N entities", options.graph_sizes, time_graph),
            ("extract (fast), N names in one sentence", options.sentence_sizes, lambda n: time_extraction(n, one_sentence=True)),
            ("extract (fast), N names in N sentences", options.separate_sizes, lambda n: time_extraction(n, one_sentence=False)),
        ]
        for label, sizes, measure in stages:
            seconds = []
            for size in sizes:
                seconds.append(measure(size))
                print(f"{label}: N={size:,}: {seconds[-1]:.2f} s", flush=True)
            rows.append((label, sizes, seconds, exponent(sizes, seconds)))
    lines = ["| stage | N: seconds | growth exponent |", "|---|---|---|"]
    for label, sizes, seconds, grow in rows:
        lines.append(f"| {label} | {', '.join(f'{n:,}: {s:.2f}' for n, s in zip(sizes, seconds))} | {grow:.2f} |")
    table = "\n".join(lines)
    print(table)
    if options.write_doc:
        body = (
            "## Hostile sizes: up to 100,000 entities in one abstract (`bench/bench_hostile.py`)\n\n"
            f"{date.today().isoformat()}, Python {platform.python_version()}, shared 2-core machine. "
            "Target: no crash, no quadratic blow-up (exponent about 1).\n\n"
            f"{table}\n\nCommand: `python bench/bench_hostile.py --write-doc docs/benchmarks.md`\n"
        )
        replace_section(options.write_doc, "bench_hostile", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
