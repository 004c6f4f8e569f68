"""Write N realistic synthetic abstracts as JSON Lines, with a known entity distribution.

Realistic because every sentence is a sentence of the bundled corpus: the generator runs
the ``fast`` extractor over the bundled corpus once, keeps each abstract sentence that
mentions entities as a *template* with those mentions cut out as typed slots, and fills
the slots with names of the same type. Names come from a vocabulary of the names the
extractor found in the bundled corpus plus minted variants (``<name>-v<k>``, as papers
name new versions), so the vocabulary grows with N (``N / 4`` names by default); a
name's rank follows a Zipf law (exponent ``--zipf``) within its type. Each paper gets
6-10 sentences, a title "<introduced name>: <a corpus title>", a date between 2019 and
2025 and an arXiv-style id ``<yymm>.<nnnnn>``; both grow with the paper's index, as a
growing corpus's do (valid arXiv numbers up to 8.4 million papers).

The manifest (``OUT.manifest.json``) records the parameters and, per type, the planted
count of the 20 most frequent names: the known distribution a benchmark can check.

    python bench/synthetic_corpus.py 100000 -o /tmp/synthetic-100k.jsonl --seed 0

Same N and seed, same bytes.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from kg.corpus import read_corpus
from kg.extraction import extract_papers
from kg.provenance import sentence_spans

SLOT = re.compile(r"\{(\d+)\}")


def templates_of_corpus() -> tuple[list[tuple[str, tuple[str, ...]]], dict[str, list[str]], list[str]]:
    """(template sentences with typed slots, corpus names by type, corpus titles) from the bundled corpus."""
    papers = sorted(read_corpus().papers, key=lambda paper: paper.id)
    templates, names, titles = [], defaultdict(set), []
    for paper, record in zip(papers, extract_papers(papers, profile="fast")):
        titles.append(paper.title)
        spans = [(m.start, m.end, e.type) for e in record.entities for m in e.mentions if m.field == "abstract"]
        for entity in record.entities:
            names[entity.type].add(entity.name)
        for start, end in sentence_spans(paper.abstract):
            inside = sorted((s, e, t) for s, e, t in spans if start <= s and e <= end)
            pieces, types, cursor = [], [], start
            for s, e, kind in inside:
                if s < cursor:  # overlapping mentions: keep the first
                    continue
                pieces.append(paper.abstract[cursor:s].replace("{", "(").replace("}", ")"))
                pieces.append("{%d}" % len(types))
                types.append(kind)
                cursor = e
            pieces.append(paper.abstract[cursor:end].replace("{", "(").replace("}", ")"))
            if types:
                templates.append(("".join(pieces), tuple(types)))
    return templates, {kind: sorted(found) for kind, found in names.items()}, titles


class ZipfNames:
    """Names of each type with Zipf-distributed ranks; corpus names first, then minted variants."""

    def __init__(self, corpus_names: dict[str, list[str]], size: int, exponent: float, rng: random.Random):
        total = sum(len(v) for v in corpus_names.values())
        self.names: dict[str, list[str]] = {}
        self.cumulative: dict[str, list[float]] = {}
        for kind, base in corpus_names.items():
            want = max(len(base), round(size * len(base) / total))
            shuffled = base[:]
            rng.shuffle(shuffled)
            minted = (f"{name}-v{k}" for k in itertools.count(2) for name in shuffled)
            vocabulary = shuffled + list(itertools.islice(minted, want - len(shuffled)))
            weights = [1.0 / (rank + 1) ** exponent for rank in range(len(vocabulary))]
            self.names[kind] = vocabulary
            self.cumulative[kind] = list(itertools.accumulate(weights))

    def draw(self, kind: str, rng: random.Random) -> str:
        cumulative = self.cumulative[kind]
        return self.names[kind][bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]


def generate(n: int, out: Path, *, seed: int = 0, vocabulary: int | None = None, zipf: float = 1.1) -> dict:
    """Write ``n`` papers to ``out`` (JSON Lines); returns the manifest (also written next to it)."""
    rng = random.Random(seed)
    templates, corpus_names, titles = templates_of_corpus()
    names = ZipfNames(corpus_names, vocabulary or max(1000, n // 4), zipf, rng)
    planted: dict[str, Counter] = defaultdict(Counter)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        for index in range(n):
            sentences = []
            for template, types in rng.sample(templates, rng.randint(6, 10)):
                filled = [names.draw(kind, rng) for kind in types]
                for kind, name in zip(types, filled):
                    planted[kind][name] += 1
                sentences.append(SLOT.sub(lambda m: filled[int(m.group(1))], template))
            introduced = names.draw("Method", rng)
            # Papers come in time order over the 84 months 2019-01..2025-12 and are numbered within
            # their month, so ids grow with the index as arXiv's do (a growing corpus gains later ids).
            # Valid 5-digit arXiv numbers up to 8.4 M papers.
            months = index * 84 // max(n, 1)
            first, following = -(-months * n // 84), -(-(months + 1) * n // 84)
            year, month = 2019 + months // 12, 1 + months % 12
            paper = {
                "arxiv_id": f"{year % 100:02d}{month:02d}.{index - first:05d}",
                "title": f"{introduced}: {rng.choice(titles)}",
                "abstract": " ".join(sentences),
                "date": f"{year}-{month:02d}-{1 + (index - first) * 28 // max(following - first, 1):02d}",
                "authors": [f"Author {rng.randrange(n // 3 + 10)}" for _ in range(rng.randint(1, 5))],
                "categories": [rng.choice(("cs.CL", "cs.LG", "cs.CV", "cs.AI", "stat.ML"))],
            }
            handle.write(json.dumps(paper, ensure_ascii=False) + "\n")
    temporary.replace(out)
    manifest = {
        "papers": n, "seed": seed, "zipf_exponent": zipf, "templates": len(templates),
        "vocabulary": {kind: len(v) for kind, v in names.names.items()},
        "planted_mentions": {kind: sum(c.values()) for kind, c in planted.items()},
        "top_names": {kind: c.most_common(20) for kind, c in planted.items()},
    }
    out.with_name(out.name + ".manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("papers", type=int)
    parser.add_argument("-o", "--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--vocabulary", type=int, default=None, help="names in all (default: papers / 4, at least 1000)")
    parser.add_argument("--zipf", type=float, default=1.1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    manifest = generate(args.papers, args.out, seed=args.seed, vocabulary=args.vocabulary, zipf=args.zipf)
    print(f"{args.papers} papers -> {args.out} ({manifest['templates']} templates, "
          f"{sum(manifest['vocabulary'].values())} names) in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
