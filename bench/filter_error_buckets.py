"""Why the entities of some types are missed on the training papers, out of fold, by bucket.

Trains the entity filter as ``kg train-filter`` does (its defaults, into a scratch file),
keeping its out-of-fold predictions and every paper's candidates (what the filter judged),
then counts for each type the gold entities matched, kept under another type, dropped by
the filter, found with another span or not among the candidates at all, and the wrong
predictions of the type (``bench/extract_errors.py --type-breakdown``). About 3 minutes on
one core. Run from the repository root::

    python bench/filter_error_buckets.py --types Task Metric Benchmark --seed 0

It also prints the ceiling of the candidates, beside the filter's figures: the typed scores
of a perfect filter, one that keeps exactly the candidates that name a gold entity, with
the gold type and role (`candidate_ceiling`). The gap between the two is what a better
filter could win on these candidates; the ceiling's recall is what only more candidates can.

The training papers only: the dev set stays for the final check.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _key(title: str) -> str:
    return " ".join(title.split()).lower()


def _by_title(records: list[dict]) -> dict[str, list[dict]]:
    return {_key(record["title"]): record["entities"] for record in records}


def predicted_scores(gold: list[dict], pred: list[dict]) -> dict:
    """Typed scores of predictions as they stand (the same matching as `candidate_ceiling`)."""
    from extractors.filter_training import typed_scores
    from extractors.records import Entity

    by_title = _by_title(pred)
    found = [[Entity(e["name"], e["type"], e.get("role", "used"), tuple(e.get("aliases") or ()), (), 1.0)
              for e in by_title.get(_key(record["title"]), [])] for record in gold]
    return typed_scores([record["entities"] for record in gold], found)


def candidate_ceiling(gold: list[dict], candidates: list[dict]) -> dict:
    """Typed scores (`extractors.filter_training.typed_scores`) of a perfect filter over
    each paper's candidates: those that name a gold entity kept with its type and role,
    the others dropped.

    Examples
    --------
    >>> gold = [{"title": "T", "entities": [{"name": "BERT", "type": "Model", "role": "used"},
    ...                                     {"name": "GLUE", "type": "Benchmark", "role": "used"}]}]
    >>> candidates = [{"title": "T", "entities": [{"name": "bert", "type": "Method", "role": "used", "aliases": []},
    ...                                           {"name": "our model", "type": "Model", "role": "used", "aliases": []}]}]
    >>> candidate_ceiling(gold, candidates)
    {'p': 1.0, 'r': 0.5, 'f1': 0.6667, 'intro_f1': 0.0}
    """
    from extractors.filter_training import DROP, label_entity, typed_scores
    from extractors.records import Entity

    by_title = _by_title(candidates)
    golds, kept = [], []
    for record in gold:
        golds.append(record["entities"])
        kept.append([])
        for found in by_title.get(_key(record["title"]), []):
            entity = Entity(found["name"], found["type"], "used", tuple(found.get("aliases") or ()), (), 1.0)
            entity_type, role = label_entity(entity, record["entities"])
            if entity_type != DROP:
                kept[-1].append(Entity(entity.name, entity_type, role, entity.aliases, (), 1.0))
    return typed_scores(golds, kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--types", nargs="+", default=["Task", "Metric", "Benchmark"])
    parser.add_argument("--seed", type=int, default=0, help="seed of the cross-validation folds")
    parser.add_argument("--keep", type=Path, help="folder to keep the predictions and candidates in (default: a temporary one)")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from extractors.filter_training import SHIPPED_OPTIONS, train_filter

    errors = _module(ROOT / "bench" / "extract_errors.py", "extract_errors")
    scorer = _module(SHARED / "eval" / "score_entities.py", "score_entities")
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        oof, candidates = folder / "oof.jsonl", folder / "candidates.jsonl"
        train_filter(papers=SHARED / "annotation" / "train.papers.jsonl", gold=SHARED / "annotation" / "train.gold.jsonl",
                     out=Path(scratch) / "filter.json", **SHIPPED_OPTIONS, seed=args.seed, oof_predictions=oof, candidates_out=candidates)
        gold = errors._records(SHARED / "annotation" / "train.gold.jsonl")
        pred, proposed = errors._records(oof), errors._records(candidates)
        print("filter, out of fold", predicted_scores(gold, pred), sep="\t")
        print("ceiling of the candidates", candidate_ceiling(gold, proposed), sep="\t")
        for entity_type in args.types:
            counts = errors.type_breakdown(gold, pred, scorer, entity_type, proposed)
            print(entity_type, "\t".join(f"{fate} {count}" for fate, count in sorted(counts.items())), sep="\t")
    return 0


if __name__ == "__main__":
    sys.exit(main())
