"""Would another kind of classifier, or more data, judge the filter's candidates better?

Runs ``kg train-filter`` with its defaults (the same candidates, features, seeded folds,
threshold choice and scoring), but with the keep/type model and the role model fitted by
LightGBM instead of `extractors.sparse_logistic.SparseLogisticModel`, alone or averaged
with the logistic model's probabilities. Trees form the conjunctions of features that a
linear model cannot ("span>=0.6" with "type:Task" with "shape:lower"). Prints the
cross-validated typed scores of each variant as JSON lines; nothing is written.

``--fractions 0.25 0.5 0.75`` draws the learning curve instead: the shipped logistic models
fitted on a seeded fraction of each fold's training papers, judged on the same held-out
folds (the candidates stay those of the full folds' span classifiers).

LightGBM is not a dependency of the project (the shipped models need NumPy only)::

    pip install lightgbm
    python bench/filter_model_probe.py            # about 4 minutes per variant on one core

The training papers only (out of fold): the dev set stays for the final check.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))


class BoostedTrees:
    """A LightGBM model over the same feature strings, with `probabilities` as the logistic
    model has it (optionally averaged with that model's, weight ``blend`` on the logistic)."""

    def __init__(self, examples, labels, classes, *, rounds: int, seed: int, logistic=None, blend: float = 0.0):
        import lightgbm
        from scipy.sparse import csr_matrix

        self._csr = csr_matrix
        counts = Counter(f for example in examples for f in set(example))
        self.columns = {f: k for k, f in enumerate(sorted(f for f, n in counts.items() if n >= 2))}
        self.classes, self.logistic, self.blend = tuple(classes), logistic, blend
        self.thresholds: dict[str, float] = {}
        params = {"learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 10, "feature_fraction": 0.5,
                  "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0, "verbose": -1, "num_threads": 1,
                  "seed": seed, "deterministic": True}
        params.update({"objective": "multiclass", "num_class": len(classes)} if len(classes) > 2 else {"objective": "binary"})
        y = np.array([self.classes.index(label) for label in labels])
        self.booster = lightgbm.train(params, lightgbm.Dataset(self._matrix(examples), y), rounds)

    def _matrix(self, examples):
        rows, cols = [], []
        for row, example in enumerate(examples):
            for f in set(example):
                if f in self.columns:
                    rows.append(row)
                    cols.append(self.columns[f])
        return self._csr((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(examples), len(self.columns)))

    def probabilities(self, examples):
        if not examples:
            return []
        p = self.booster.predict(self._matrix(examples))
        if p.ndim == 1:
            p = np.stack([1.0 - p, p], axis=1)
        if self.logistic is not None and self.blend:
            q = np.array([[row[c] for c in self.classes] for row in self.logistic.probabilities(examples)])
            p = (1.0 - self.blend) * p + self.blend * q
        return [dict(zip(self.classes, row)) for row in p.tolist()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--blends", type=float, nargs="+", default=[0.0, 0.5], help="weights of the logistic model")
    parser.add_argument("--seed", type=int, default=0, help="seed of the folds and the trees")
    parser.add_argument("--fractions", type=float, nargs="+", help="the learning curve: fit on these fractions of the papers")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from extractors import filter_training
    from extractors.entity_filter import EntityFilter

    logistic_fit = filter_training._fit
    variants = [(None, f) for f in args.fractions] if args.fractions else [(None, 1.0), *((b, 1.0) for b in args.blends)]
    for blend, fraction in variants:  # blend None: the shipped logistic models
        def fit(papers_data, l2, blend=blend, fraction=fraction):
            if fraction < 1.0:
                chosen = list(papers_data)
                random.Random(args.seed).shuffle(chosen)
                papers_data = chosen[: max(1, round(len(chosen) * fraction))]
            if blend is None:
                return logistic_fit(papers_data, l2)
            typing, role = logistic_fit(papers_data, l2) if blend else (None, None)
            features = [x for data in papers_data for x in data.features]
            labels = [y for data in papers_data for y in data.labels]
            kept = [k for k, (entity_type, _) in enumerate(labels) if entity_type != filter_training.DROP]
            trees_typing = BoostedTrees(features, [t for t, _ in labels], filter_training.CLASSES, rounds=args.rounds, seed=args.seed,
                                        logistic=typing, blend=blend)
            trees_role = BoostedTrees([features[k] for k in kept], [labels[k][1] for k in kept], ("used", "introduced"),
                                      rounds=args.rounds, seed=args.seed, logistic=role, blend=blend)
            return trees_typing, trees_role

        filter_training._fit = fit
        saved = EntityFilter.save
        EntityFilter.save = lambda self, path: None  # a probe: the trees are not a shippable model
        try:
            with tempfile.TemporaryDirectory() as scratch:
                summary = filter_training.train_filter(
                    papers=SHARED / "annotation" / "train.papers.jsonl", gold=SHARED / "annotation" / "train.gold.jsonl",
                    out=Path(scratch) / "filter.json", **filter_training.SHIPPED_OPTIONS, seed=args.seed)
        finally:
            filter_training._fit, EntityFilter.save = logistic_fit, saved
        if blend is None:
            variant = "logistic (shipped)" if fraction == 1.0 else f"logistic, {fraction:g} of each fold's training papers"
        else:
            variant = f"trees, {args.rounds} rounds, logistic weight {blend}"
        print(json.dumps({"variant": variant, "cross_validated_typed": summary["cross_validated_typed"]}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
