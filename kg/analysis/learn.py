"""Learned metapath weights: an L2-regularised logistic regression on transformed DWPC features
(after Himmelstein et al.'s Rephetio), fitted with Newton's method in numpy.

Features of a candidate cell: for each metapath ``asinh(DWPC / mean DWPC)`` (the mean over the
candidates of the same graph, so graphs of different sizes compare), and ``log1p`` of the support of
its row and of its column (the prior the model has to beat). Features are standardised with the
fitting set's mean and spread; the penalty ``l2`` leaves the intercept alone.

>>> import numpy as np
>>> x = np.array([[0.0], [1.0], [2.0], [3.0]]); y = np.array([0, 0, 1, 1])
>>> model = fit(x, y, ["f"], l2=0.1)
>>> bool(model.weights["f"] > 0), [round(float(p), 2) for p in model.score(x)][:2]
(True, [-3.65, -1.22])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kg.analysis.tasks import Candidates

L2 = 1.0
ITERATIONS = 50


def features(found: Candidates, damping: float) -> tuple[np.ndarray, list[str]]:
    """The feature matrix of the candidates (one row per cell) and the feature names."""
    columns, names = [], []
    for metapath in found.pdps:
        values = found.dwpc(metapath, damping)
        mean = values.mean()
        columns.append(np.arcsinh(values / mean) if mean > 0 else np.zeros_like(values))
        names.append(f"asinh DWPC {metapath}")
    columns += [np.log1p(found.row_support), np.log1p(found.col_support)]
    names += [f"log1p {found.task.row_axis} support", f"log1p {found.task.col_axis} support"]
    return np.column_stack(columns), names


@dataclass(frozen=True)
class Model:
    """Standardisation and coefficients of a fitted logistic regression."""

    names: tuple[str, ...]
    mean: np.ndarray
    spread: np.ndarray
    coefficients: np.ndarray
    intercept: float

    @property
    def weights(self) -> dict[str, float]:
        """Feature → coefficient on the standardised scale (comparable across features)."""
        return dict(zip(self.names, map(float, self.coefficients), strict=True))

    def score(self, x: np.ndarray) -> np.ndarray:
        """The linear predictor (log-odds) of each row of ``x``: higher ranks first."""
        return ((x - self.mean) / self.spread) @ self.coefficients + self.intercept


def fit(x: np.ndarray, y: Sequence[int], names: Sequence[str], l2: float = L2) -> Model:
    """L2-penalised logistic regression of ``y`` on ``x`` (Newton–Raphson; the loss is convex)."""
    labels = np.asarray(y, dtype=float)
    mean, spread = x.mean(axis=0), x.std(axis=0)
    spread = np.where(spread > 0, spread, 1.0)
    design = np.column_stack([np.ones(len(x)), (x - mean) / spread])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(ITERATIONS):
        p = 1 / (1 + np.exp(-design @ beta))
        gradient = design.T @ (p - labels) + penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return Model(tuple(names), mean, spread, beta[1:], float(beta[0]))
