"""Nested cross-validation of the relation classifier's training procedure.

`extractors.relation_training.train_relations` picks each relation's threshold on
out-of-fold predictions (models fit on four fifths of the papers) and ships a model fit on
all of them. Whether the precision it reports holds for that final model on papers it never
saw (a sharper model, fit on more data, under the same thresholds) is a question for
held-out papers, not for the dev set: each outer fold is held out in turn, the whole
procedure runs on the other papers (its own inner folds, thresholds, final model), and the
final model is scored on the held-out fold. The inner out-of-fold figures are what the
procedure claims; the held-out figures are what it delivers.

Run on the training annotations: ``python bench/relation_nested_cv.py``.

A set of 60 papers (dev) measures precision coarsely: the papers, not the relations, are
the sample (one paper's predictions are right or wrong together), so `paper_bootstrap`
resamples papers for an interval around a measured precision and F1.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from extractors.relation_training import EntityDoc, fit_with_thresholds, score_docs

__all__ = ["HeldOut", "nested_cross_validation", "paper_bootstrap"]


@dataclass(frozen=True)
class HeldOut:
    """One outer fold: the thresholds the procedure chose without it, the inner
    out-of-fold scores it claimed (gold entities) and the final model's scores on it."""

    fold: int
    thresholds: dict[str, float]
    claimed_gold: dict
    held_out_gold: dict
    held_out_predicted: dict


def _pooled(scores: list[dict]) -> dict:
    tp, pred, gold = (sum(s[key] for s in scores) for key in ("tp", "pred", "gold"))
    precision = tp / pred if pred else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4), "tp": tp, "pred": pred, "gold": gold}


def nested_cross_validation(predicted: list[EntityDoc], gold_docs: list[EntityDoc], golds: list[dict], *, outer_folds: int = 5,
                            outer_seed: int = 11, folds: int = 5, seed: int = 0, l2: float = 30.0, min_precision: float = 0.7,
                            thresholds_on: str = "gold") -> dict:
    """Hold out each of ``outer_folds`` seeded folds of the papers in turn, run the training
    procedure (`fit_with_thresholds`) on the rest and score its final model on the held-out
    papers. Returns the folds (`HeldOut`) and the pooled figures: ``claimed`` (the inner
    out-of-fold scores, gold entities; each paper counted once per outer fold it is inner
    to), ``held_out_gold`` and ``held_out_predicted`` (every paper once)."""
    if thresholds_on not in ("gold", "pipeline"):
        raise ValueError(f"thresholds_on must be 'gold' or 'pipeline', not {thresholds_on!r}")
    if outer_folds < 2 or len(golds) < outer_folds:
        raise ValueError(f"{len(golds)} papers cannot make {outer_folds} outer folds")
    order = list(range(len(golds)))
    random.Random(outer_seed).shuffle(order)
    fold_of = {k: position % outer_folds for position, k in enumerate(order)}
    results = []
    for fold in range(outer_folds):
        inner = [k for k in range(len(golds)) if fold_of[k] != fold]
        held = [k for k in range(len(golds)) if fold_of[k] == fold]
        model, claimed, _ = fit_with_thresholds([predicted[k] for k in inner], [gold_docs[k] for k in inner],
                                                [golds[k] for k in inner], folds=folds, seed=seed, l2=l2,
                                                min_precision=min_precision, thresholds_on=thresholds_on)
        held_golds = [golds[k] for k in held]
        results.append(HeldOut(fold, dict(model.thresholds), claimed["gold"],
                               score_docs([gold_docs[k] for k in held], held_golds, model),
                               score_docs([predicted[k] for k in held], held_golds, model)))
    return {
        "folds": results,
        "claimed": _pooled([r.claimed_gold for r in results]),
        "held_out_gold": _pooled([r.held_out_gold for r in results]),
        "held_out_predicted": _pooled([r.held_out_predicted for r in results]),
    }


def paper_bootstrap(per_paper: list[tuple[int, int, int]], *, seed: int = 0, rounds: int = 2000,
                    level: float = 0.9) -> dict[str, tuple[float, float]]:
    """Percentile intervals of pooled precision and F1 over papers resampled with
    replacement; ``per_paper`` holds each paper's (right, predicted, gold) relations.

    Examples
    --------
    >>> paper_bootstrap([(2, 2, 3), (0, 1, 2), (1, 2, 2)] * 4, rounds=200)["p"]
    (0.4375, 0.7619)
    """
    if not per_paper:
        raise ValueError("no papers to resample")
    rng = random.Random(seed)
    n = len(per_paper)
    precisions, f1s = [], []
    for _ in range(rounds):
        sample = [per_paper[rng.randrange(n)] for _ in range(n)]
        tp, pred, gold = (sum(column) for column in zip(*sample))
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        precisions.append(p)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    low, high = int(rounds * (1 - level) / 2), int(rounds * (1 + level) / 2) - 1

    def interval(values: list[float]) -> tuple[float, float]:
        values.sort()
        return round(values[low], 4), round(values[high], 4)

    return {"p": interval(precisions), "f1": interval(f1s)}
