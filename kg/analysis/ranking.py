"""The hypotheses ``kg gaps`` prints, ranked by the model the cross-review validation kept.

:func:`ranked_hypotheses` validates the carrier × step task (:mod:`kg.analysis.validate`), takes the
ranking it decided on, applies it to the whole KG (the learned weights refitted on both directions'
candidates) and orders the hypotheses of :func:`kg.analysis.gaps.hypotheses` by it; each keeps its paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kg.analysis import learn
from kg.analysis.dwpc import DEFAULT_DAMPING
from kg.analysis.gaps import Hypothesis, hypotheses
from kg.analysis.hierarchy import lift_to_families
from kg.analysis.holdout import Split
from kg.analysis.tasks import Candidates, candidates, task
from kg.analysis.validate import LEARNED, PERMUTATIONS, PERMUTED, SUMMED, Decision, permutation_z, validate

if TYPE_CHECKING:
    import networkx as nx

    from kg.analysis.projection import GraphSource

HYPOTHESIS_TASK = "carrier × step"


@dataclass
class Ranked:
    """Hypotheses in the order of the kept model, with its scores and the decision behind it."""

    hypotheses: list[Hypothesis]
    scores: list[float]
    decision: Decision
    family_graph: nx.MultiDiGraph

    def summary(self) -> str:
        """One line: the model and how it did out of sample."""
        measured = "; ".join(f"{direction}: {value}" for direction, value in self.decision.auroc.items())
        return (f"ranked by {self.decision.ranker} ({self.decision.reason}); out-of-sample AUROC "
                f"[95% CI] {measured} — see docs/VALIDATION.md")

    def records(self, paths: int = 3) -> list[dict]:
        return [{**h.record(self.family_graph, paths), "model": self.decision.ranker, "score": round(s, 4)}
                for h, s in zip(self.hypotheses, self.scores, strict=True)]


def ranked_hypotheses(full: nx.MultiDiGraph, collapsed: nx.MultiDiGraph, damping: float = DEFAULT_DAMPING,
                      permutations: int = PERMUTATIONS, store: GraphSource | None = None) -> Ranked:
    """The carrier family → step hypotheses, best first by the validated model (its validation cached
    beside ``store`` — a store or the KG of ``kg.open()`` — when given: ``full`` and ``collapsed`` must
    be its projections)."""
    which = task(HYPOTHESIS_TASK)
    validation = validate(store if store is not None else (full, collapsed), (which,), permutations,
                          damping=damping)
    decision = validation.decisions[which.name]
    found, lifted = hypotheses(full, collapsed, damping)
    whole = Split("both reviews", "", full, collapsed, set(), 0)
    # the hypotheses' lifted graph when the task lifts the same hierarchy: one lift, one path index
    same = tuple(which.lift) == ("CarrierType",)
    family_graph = lifted if same else lift_to_families(collapsed, *which.lift)
    cands = candidates(whole, full, which, family_graph)
    values = _scores(decision.ranker, cands, validation.candidates, family_graph, damping, permutations)
    by_cell = dict(zip(cands.cells, map(float, values), strict=True))
    scores = [by_cell.get((h.source, h.target), float("-inf")) for h in found]
    order = sorted(range(len(found)),
                   key=lambda i: (-scores[i], -found[i].dwpc, found[i].source, found[i].target))
    return Ranked([found[i] for i in order], [scores[i] for i in order], decision, lifted)


def _scores(ranker: str, cands: Candidates, validated: dict[tuple[str, str], Candidates],
            graph: nx.MultiDiGraph, damping: float, permutations: int) -> np.ndarray:
    if ranker == LEARNED:   # refit on both directions' candidates, then score the whole KG's
        parts = [learn.features(c, damping) for c in validated.values()]
        x = np.vstack([p[0] for p in parts])
        y = np.concatenate([c.labels for c in validated.values()])
        model = learn.fit(x, y, parts[0][1])
        return model.score(learn.features(cands, damping)[0])
    if ranker == PERMUTED:
        return permutation_z(cands, graph, damping, permutations)
    if ranker == SUMMED:
        return cands.summed_dwpc(damping)
    return cands.support
