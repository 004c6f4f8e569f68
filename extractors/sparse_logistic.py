"""A small multinomial logistic regression over sparse string features.

The classifier behind the trained extractors: the relation classifier (classes ``"none"``
and the four relations; each candidate pair is a set of feature strings,
`extractors.relation_features`), the entity filter and the span classifier. Training
minimises the L2-regularised log loss with SciPy's L-BFGS from zero weights, so the same
data gives the same model. A model is JSON: its weights, its decision thresholds and its
provenance (data, seed, held-out scores).

Examples
--------
>>> model = SparseLogisticModel.fit([{"a"}, {"b"}, {"a", "c"}, {"b", "c"}], ["none", "basedOn", "none", "basedOn"],
...                                 classes=("none", "basedOn"), l2=0.1)
>>> [max(p, key=p.get) for p in model.probabilities([{"a"}, {"b"}])]
['none', 'basedOn']
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from pathlib import Path

import numpy as np

from kg.atomic import atomic_write

__all__ = ["SparseLogisticModel"]


class SparseLogisticModel:
    """Weights (features x classes), biases, per-class thresholds and provenance."""

    def __init__(self, classes: Sequence[str], features: Sequence[str], weights: np.ndarray, bias: np.ndarray,
                 thresholds: dict[str, float] | None = None, provenance: dict | None = None):
        self.classes = tuple(classes)
        self.features = tuple(features)
        self.index = {f: k for k, f in enumerate(self.features)}
        self.weights = np.asarray(weights, dtype=np.float64).reshape(len(self.features), len(self.classes))
        self.bias = np.asarray(bias, dtype=np.float64).reshape(len(self.classes))
        self._padded_weights = np.vstack([self.weights, np.zeros((1, len(self.classes)))])
        self.thresholds = dict(thresholds or {})
        self.provenance = dict(provenance or {})

    @classmethod
    def fit(cls, examples: Sequence[Iterable[str]], labels: Sequence[str], *, classes: Sequence[str],
            l2: float = 1.0, min_count: int = 2, max_iter: int = 300) -> "SparseLogisticModel":
        """Train on feature sets and their labels (features seen fewer than ``min_count``
        times are dropped)."""
        from scipy.optimize import minimize
        from scipy.sparse import csr_matrix

        counts = Counter(f for example in examples for f in set(example))
        features = sorted(f for f, n in counts.items() if n >= min_count)
        index = {f: k for k, f in enumerate(features)}
        rows, cols = [], []
        for row, example in enumerate(examples):
            for f in set(example):
                if f in index:
                    rows.append(row)
                    cols.append(index[f])
        x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(examples), len(features)))
        class_index = {c: k for k, c in enumerate(classes)}
        y = np.zeros((len(examples), len(classes)))
        y[np.arange(len(examples)), [class_index[label] for label in labels]] = 1.0
        n_weights = len(features) * len(classes)

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            w = theta[:n_weights].reshape(len(features), len(classes))
            b = theta[n_weights:]
            scores = x @ w + b
            scores -= scores.max(axis=1, keepdims=True)
            log_p = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
            error = np.exp(log_p) - y
            value = -(y * log_p).sum() + 0.5 * l2 * (w * w).sum()
            gradient = np.concatenate([(x.T @ error + l2 * w).ravel(), error.sum(axis=0)])
            return value, gradient

        start = np.zeros(n_weights + len(classes))
        result = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
        return cls(classes, features, result.x[:n_weights], result.x[n_weights:])

    def probabilities(self, examples: Sequence[Iterable[str]]) -> list[dict[str, float]]:
        """Class probabilities of each feature set."""
        if not examples:
            return []
        # features the model does not know read the zero row past the last (adding 0.0
        # changes no sum): one lookup per feature, no filtering, one reduceat over the runs
        unknown = len(self.features)
        counts = np.fromiter(map(len, examples), dtype=np.intp, count=len(examples))
        columns = np.fromiter(map(self.index.get, chain.from_iterable(examples), repeat(unknown)), dtype=np.intp, count=int(counts.sum()))
        scores = np.tile(self.bias, (len(examples), 1))
        if len(columns):
            # examples with no feature keep the bias alone (reduceat needs non-empty runs)
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            rows = counts > 0
            scores[rows] += np.add.reduceat(self._padded_weights[columns], starts[rows], axis=0)
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(axis=1, keepdims=True)
        return [dict(zip(self.classes, row)) for row in p.tolist()]  # one conversion, not one per row

    def to_json(self) -> dict:
        # drop features whose weights all round to zero: smaller file, same predictions
        keep = [k for k in range(len(self.features)) if np.abs(self.weights[k]).max() >= 5e-5]
        return {
            "kind": "multinomial logistic regression over pair features",
            "classes": list(self.classes),
            "thresholds": self.thresholds,
            "provenance": self.provenance,
            "bias": [round(v, 4) for v in self.bias.tolist()],
            "weights": {self.features[k]: [round(v, 4) for v in self.weights[k].tolist()] for k in keep},
        }

    @classmethod
    def from_json(cls, data: dict) -> "SparseLogisticModel":
        features = list(data["weights"])
        weights = np.array([data["weights"][f] for f in features]) if features else np.zeros((0, len(data["classes"])))
        return cls(data["classes"], features, weights, data["bias"], data.get("thresholds"), data.get("provenance"))

    def save(self, path: str | Path) -> None:
        """Write the model as JSON (atomically)."""
        with atomic_write(Path(path)) as handle:
            json.dump(self.to_json(), handle, indent=1, sort_keys=False)
            handle.write("\n")

    @classmethod
    def load(cls, path: str | Path) -> "SparseLogisticModel":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_json(data)
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: not a logistic model ({error})") from None
