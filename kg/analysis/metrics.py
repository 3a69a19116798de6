"""Ranking metrics with ties handled exactly, and stratified bootstrap confidence intervals (numpy only).

Scores are "higher = more likely a positive". Ties count as half: AUROC is the Mann–Whitney probability
that a random positive outscores a random negative (a tie counts ½); average precision sums, over the
distinct score thresholds, the recall gained times the precision at that threshold (as scikit-learn's
``average_precision_score``); precision@k is its expected value when tied cells at the cut-off are
ordered at random.

>>> scores, labels = [0.9, 0.8, 0.8, 0.1], [1, 0, 1, 0]
>>> auroc(scores, labels), average_precision(scores, labels), precision_at_k(scores, labels, 2)
(0.875, 0.8333333333333333, 0.75)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP = 1000
SEED = 0


def _arrays(scores: Sequence[float], labels: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    s, y = np.asarray(scores, dtype=float), np.asarray(labels, dtype=bool)
    if s.shape != y.shape:
        raise ValueError(f"{len(s)} scores for {len(y)} labels")
    return s, y


def _grouped(scores: np.ndarray, labels: np.ndarray, weights: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """AUROC, AP and P@k of each row of ``weights`` (how often each cell counts: 1 for the plain metric,
    bootstrap counts for a replicate), computed over runs of tied scores, best first."""
    order = np.argsort(-scores, kind="stable")
    s, y, w = scores[order], labels[order], weights[:, order]
    last = np.r_[s[1:] != s[:-1], True]   # the end of each run of equal scores
    pos_cum, seen_cum = np.cumsum(w * y, axis=1)[:, last], np.cumsum(w, axis=1)[:, last]
    pos_run, seen_run = np.diff(pos_cum, prepend=0, axis=1), np.diff(seen_cum, prepend=0, axis=1)
    neg_cum, neg_run = seen_cum - pos_cum, seen_run - pos_run
    positives, negatives = pos_cum[:, -1], neg_cum[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        wins = (pos_run * (negatives[:, None] - neg_cum) + 0.5 * pos_run * neg_run).sum(axis=1)
        precision = np.where(seen_cum > 0, pos_cum / np.maximum(seen_cum, 1), 0)
        share_in = np.clip((k - (seen_cum - seen_run)) / np.maximum(seen_run, 1), 0, 1)
        return {"AUROC": np.where((positives > 0) & (negatives > 0), wins / (positives * negatives), np.nan),
                "AP": np.where(positives > 0, (pos_run * precision).sum(axis=1) / positives, np.nan),
                "P@10": ((pos_run * share_in).sum(axis=1) / min(k, s.size)) if s.size
                else np.full(len(w), np.nan)}


def _metric(scores: Sequence[float], labels: Sequence[int], name: str, k: int = 10) -> float:
    s, y = _arrays(scores, labels)
    return float(_grouped(s, y, np.ones((1, s.size)), k)[name][0])


def auroc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the ROC curve; NaN without positives or without negatives."""
    return _metric(scores, labels, "AUROC")


def average_precision(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Average precision over the distinct score thresholds; NaN without positives."""
    return _metric(scores, labels, "AP")


def precision_at_k(scores: Sequence[float], labels: Sequence[int], k: int = 10) -> float:
    """Expected share of positives among the ``k`` best-scored cells, ties at the cut-off broken at random."""
    return _metric(scores, labels, "P@10", k)


def roc_curve(scores: Sequence[float], labels: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(false positive rates, true positive rates) at every distinct threshold, from (0, 0)."""
    s, y = _arrays(scores, labels)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[s[1:] != s[:-1], True]
    tp, fp = np.cumsum(y)[last], np.cumsum(~y)[last]
    return np.r_[0, fp / max(fp[-1], 1)], np.r_[0, tp / max(tp[-1], 1)]


def pr_curve(scores: Sequence[float], labels: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(recall, precision) at every distinct threshold, best scores first."""
    s, y = _arrays(scores, labels)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[s[1:] != s[:-1], True]
    tp = np.cumsum(y)[last]
    seen = np.arange(1, len(s) + 1)[last]
    return tp / max(y.sum(), 1), tp / seen


@dataclass(frozen=True)
class Estimate:
    """A metric's value and its bootstrap 95 % interval."""

    value: float
    low: float
    high: float

    def __str__(self) -> str:
        if np.isnan(self.value):
            return "—"
        return f"{self.value:.2f} [{self.low:.2f}–{self.high:.2f}]"


METRICS = ("AUROC", "AP", "P@10")


def bootstrap(scores: Sequence[float], labels: Sequence[int], samples: int = BOOTSTRAP,
              seed: int = SEED) -> dict[str, Estimate]:
    """AUROC, AP and P@10 with a 95 % percentile interval from a bootstrap that resamples positives and
    negatives separately (so each replicate keeps their numbers)."""
    s, y = _arrays(scores, labels)
    observed = _grouped(s, y, np.ones((1, s.size)), 10)
    pos, neg = np.flatnonzero(y), np.flatnonzero(~y)
    if not len(pos) or not len(neg):
        return {name: Estimate(float(observed[name][0]), float("nan"), float("nan")) for name in METRICS}
    rng = np.random.default_rng(seed)
    counts = np.zeros((samples, s.size))
    rows = np.arange(samples)[:, None]
    np.add.at(counts, (rows, rng.choice(pos, (samples, len(pos)))), 1)
    np.add.at(counts, (rows, rng.choice(neg, (samples, len(neg)))), 1)
    replicates = _grouped(s, y, counts, 10)
    return {name: Estimate(float(observed[name][0]),
                           *map(float, np.percentile(replicates[name], [2.5, 97.5]))) for name in METRICS}


def random_expectation(positives: int, negatives: int) -> dict[str, Estimate]:
    """What a random ranking scores on average: AUROC ½, P@k the share of positives, and AP about that
    share (exactly so as the counts grow)."""
    share = positives / (positives + negatives) if positives + negatives else float("nan")
    return {"AUROC": Estimate(0.5, 0.5, 0.5), "AP": Estimate(share, share, share),
            "P@10": Estimate(share, share, share)}
