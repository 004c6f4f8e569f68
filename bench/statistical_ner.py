"""Benchmark of the `kg_ner` component alone: dev-set F1 and speed on one core.

Runs the component (blank English tokenizer + `kg_ner`) over the dev papers, aggregates
its spans per paper into the scorer's shape (one entity per normalised name, the type
with the highest summed score), scores them with ../shared/eval/score_entities.py, then
times it over the bundled corpus (title and abstract of every paper).

    OMP_NUM_THREADS=1 python bench/statistical_ner.py [--beam-width 4] [--threshold 0.5]

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


def paper_entities(doc) -> list[dict]:
    """One entity per folded name; its type is the label with the highest summed score."""
    votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    names: dict[str, str] = {}
    group = doc.spans["kg_ner"]
    for span, score in zip(group, group.attrs["scores"]):
        key = scorer_key(span.text)
        votes[key][span.label_] += score
        names.setdefault(key, span.text)
    return [{"name": names[k], "type": c.most_common(1)[0][0]} for k, c in votes.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beam-width", type=int, default=4)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--model-dir", default=None)
    parser.add_argument("--record", action="store_true", help="append the figures to docs/benchmarks.md")
    args = parser.parse_args()

    nlp = spacy.blank("en")
    config = {"beam_width": args.beam_width, "threshold": args.threshold, "model_dir": args.model_dir}
    nlp.add_pipe("kg_ner", config=config)

    dev = [paper for _, paper in read_jsonl(EVAL / "dev.papers.jsonl", required={"title": str})]
    docs = nlp.pipe(f"{p['title']}\n\n{p.get('abstract') or ''}" for p in dev)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as pred:
        for paper, doc in zip(dev, docs):
            pred.write(json.dumps({"title": paper["title"], "entities": paper_entities(doc)}) + "\n")
    scored = subprocess.run(
        [sys.executable, str(EVAL / "score_entities.py"), "--gold", str(EVAL / "dev.gold.jsonl"), "--pred", pred.name],
        capture_output=True, text=True, check=True,
    ).stdout
    os.unlink(pred.name)

    corpus = list(read_corpus(()))
    texts = [f"{p.title}\n\n{p.abstract}" for p in corpus]
    list(nlp.pipe(texts[:20]))  # warm-up
    wall, cpu = time.perf_counter(), time.process_time()
    list(nlp.pipe(texts))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    speed = (
        f"{len(texts)} abstracts (bundled corpus): {len(texts) / cpu:.0f} abstracts/s of CPU time on one core "
        f"({cpu:.2f} s CPU, {wall:.2f} s wall)"
    )
    print(scored)
    print(speed)
    if args.record:
        command = " ".join(["OMP_NUM_THREADS=1 python bench/statistical_ner.py", *(a for a in sys.argv[1:] if a != "--record")])
        body = (
            f"## kg_ner component alone (beam {args.beam_width}, threshold {args.threshold})\n\n"
            f"Dev-set scores of its spans aggregated per paper, and speed. Command: `{command}`\n\n"
            f"```\n{scored.strip()}\n{speed}\n```"
        )
        replace_section(ROOT / "docs" / "benchmarks.md", "statistical_ner", body)


if __name__ == "__main__":
    main()
