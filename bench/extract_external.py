"""Generalisation check: `kg extract` on public annotated abstracts from outside the corpus.

Reads the common JSON Lines form of ``../shared/external`` (``{"doc_id", "text",
"entities": [{"text", "type", "start", "end"}]}``), extracts each text as an abstract
without a title, and compares per document the sets of (name, type) with the names
folded as ``score_entities.py`` folds them. The public schemas are coarser than ours,
so types are mapped: Model -> Method, Dataset and Benchmark -> Material (SciREX's
datasets) or Dataset (SciER); types the source does not annotate are left out of both
sides. The figures are for comparison between versions, not with the dev-set bars:
the sources annotate generic mentions ("model", "it") that our guidelines exclude.

Usage::

    python bench/extract_external.py ../shared/external/scirex/dev.abstract.common.jsonl --write-doc docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from pathlib import Path

from benchdoc import replace_section

# our type -> the source's type, per source schema (types missing from a schema are not scored)
SCHEMAS = {
    "scirex": {"Method": "Method", "Model": "Method", "Task": "Task", "Metric": "Metric", "Dataset": "Material", "Benchmark": "Material"},
    "scier": {"Method": "Method", "Model": "Method", "Task": "Task", "Dataset": "Dataset", "Benchmark": "Dataset"},
    "scierc": {"Method": "Method", "Model": "Method", "Task": "Task", "Metric": "Metric"},
}


def fold(text: str) -> str:
    """The scorer's name folding: case, spaces, hyphens, a leading "the", a final plural "s"."""
    folded = re.sub(r"[\s\-\u2010-\u2015_]+", "", re.sub(r"^the\s+", "", text.lower().strip()))
    return folded[:-1] if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss") else folded


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="a *.common.jsonl file of ../shared/external")
    parser.add_argument("--profile", nargs="+", default=["fast", "accurate"], choices=["fast", "accurate"])
    parser.add_argument("--write-doc", type=Path)
    args = parser.parse_args(argv)
    source = next((name for name in SCHEMAS if name in args.data.parts), None)
    if source is None:
        parser.error(f"{args.data}: not under one of {', '.join(SCHEMAS)}")
    mapping = SCHEMAS[source]
    kept_types = set(mapping.values())

    from extractors.pipeline import extract, load_pipeline

    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for profile in args.profile:
        nlp = load_pipeline(profile)
        typed = [0, 0, 0]  # tp, predicted, gold
        untyped = [0, 0, 0]
        for record, extraction in zip(records, extract(nlp, [(r["doc_id"], "", r["text"]) for r in records])):
            gold = {(fold(e["text"]), e["type"]) for e in record["entities"] if e["type"] in kept_types}
            predicted = {(fold(e.name), mapping[e.type]) for e in extraction.entities if e.type in mapping}
            typed = [typed[0] + len(gold & predicted), typed[1] + len(predicted), typed[2] + len(gold)]
            gold_names, predicted_names = {n for n, _ in gold}, {n for n, _ in predicted}
            untyped = [untyped[0] + len(gold_names & predicted_names), untyped[1] + len(predicted_names), untyped[2] + len(gold_names)]
        rows.append("| {} | {} | {:.3f} / {:.3f} / {:.3f} | {:.3f} / {:.3f} / {:.3f} |".format(
            datetime.date.today().isoformat(), nlp.meta["name"], *prf(*typed), *prf(*untyped)
        ))
    lines = [
        "## Entity extraction on public annotated abstracts (`bench/extract_external.py`)",
        "",
        f"Command: `python bench/extract_external.py {' '.join(sys.argv[1:] if argv is None else argv)}`",
        "",
        f"{len(records)} documents of `{args.data.name}` ({source}); types {', '.join(sorted(kept_types))}; per-document "
        "sets of folded names, micro-averaged. For comparing versions only (see the script's docstring).",
        "",
        "| date | profile | typed P / R / F1 | untyped P / R / F1 |",
        "|---|---|---|---|",
        *rows,
    ]
    body = "\n".join(lines)
    print(body)
    if args.write_doc:
        replace_section(args.write_doc, f"extract_external_{source}", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
