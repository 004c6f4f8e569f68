"""Does the relation classifier's threshold precision hold on papers its training never saw?

`kg train-relations` chooses thresholds on out-of-fold predictions (fold models fit on
four fifths of the papers) and ships a model fit on all of them. This runs the whole
procedure inside nested cross-validation on the training annotations
(`extractors.relation_validation`): per outer fold, what the procedure claims (its inner
out-of-fold precision with gold entities) against what its final model delivers on the
held-out papers, with gold and with the pipeline's entities. No dev data is read.

Run: python bench/relation_nested_cv.py [--outer-seed 11] [--seed 0]   (about 3 CPU minutes)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", default=str(SHARED / "annotation" / "train.papers.jsonl"))
    parser.add_argument("--gold", default=str(SHARED / "annotation" / "train.gold.jsonl"))
    parser.add_argument("--outer-seed", type=int, default=11)
    parser.add_argument("--seed", type=int, default=0, help="seed of the inner folds (kg train-relations --seed)")
    args = parser.parse_args(argv)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from extractors.relation_training import gold_entity_docs, load_annotated, predicted_docs
    from extractors.relation_validation import nested_cross_validation

    started = time.process_time()
    annotated = load_annotated(args.papers, args.gold)
    golds = [g for _, g in annotated]
    result = nested_cross_validation(predicted_docs(annotated), gold_entity_docs(annotated), golds,
                                     outer_seed=args.outer_seed, seed=args.seed)

    def cells(s: dict) -> str:
        return f"{s['p']:.3f} / {s['r']:.3f} / {s['f1']:.3f} | {s['tp']} / {s['pred']}"

    print(f"Nested CV, {len(golds)} papers, outer seed {args.outer_seed}, inner seed {args.seed} "
          f"({time.process_time() - started:.0f} CPU s)\n")
    print("| outer fold | thresholds | claimed (inner OOF, gold) P / R / F1 | tp / pred | held out, gold entities | tp / pred "
          "| held out, pipeline entities | tp / pred |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for fold in result["folds"]:
        thresholds = ", ".join(f"{k} {v}" for k, v in fold.thresholds.items())
        print(f"| {fold.fold} | {thresholds} | {cells(fold.claimed_gold)} | {cells(fold.held_out_gold)} | {cells(fold.held_out_predicted)} |")
    print(f"| pooled | | {cells(result['claimed'])} | {cells(result['held_out_gold'])} | {cells(result['held_out_predicted'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
