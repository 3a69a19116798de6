"""Do the gap hypotheses predict anything? Cross-review validation: tasks × directions × rankers.

For each direction (train on CMR2022 and hold out NH2026, then the other way round; see
:mod:`kg.analysis.holdout`) and each task of :data:`kg.analysis.tasks.TASKS`, every empty cell of the
training graph is ranked, and the ranking is scored against the cells the held-out review fills
(:mod:`kg.analysis.metrics`: AUROC, average precision, precision@10, bootstrap 95 % intervals).

Rankers: ``random`` (the expected value), ``support`` (row support × column support: "popular goes
everywhere"), each single metapath's DWPC, ``summed DWPC`` (what ``kg gaps`` ranks by), ``summed DWPC
z`` (the observed sum against degree-preserving permutations of the training graph,
:mod:`kg.analysis.permute`) and ``learned`` (:mod:`kg.analysis.learn`, fitted on the *other*
direction, so never scored on what it was fitted on).

**The decision** (made here, from the numbers): a task keeps ``learned`` only if it beats ``support``
in both directions; otherwise the better of ``summed DWPC`` and its permutation z-score (by mean
AUROC over the directions), if that beats ``support`` in both directions; otherwise ``support``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from kg.analysis import learn
from kg.analysis.dwpc import DEFAULT_DAMPING
from kg.analysis.hierarchy import lift_to_families
from kg.analysis.holdout import DIRECTIONS, split
from kg.analysis.metrics import Estimate, bootstrap, random_expectation
from kg.analysis.permute import xswap
from kg.analysis.projection import drop_views
from kg.analysis.tasks import TASKS, Candidates, Task, candidates, path_products

if TYPE_CHECKING:
    import networkx as nx

    from kg.analysis.projection import GraphSource

DAMPINGS = (0.0, 0.2, 0.4, 0.6)
PERMUTATIONS = 5
SUPPORT, SUMMED, PERMUTED, LEARNED, RANDOM = "support", "summed DWPC", "summed DWPC z", "learned", "random"


@dataclass
class Result:
    """One ranker on one task in one direction."""

    task: str
    direction: str
    ranker: str
    positives: int
    negatives: int
    metrics: dict[str, Estimate]

    def record(self) -> dict:
        return {"task": self.task, "direction": self.direction, "ranker": self.ranker,
                "positives": self.positives, "negatives": self.negatives,
                **{name: str(e) for name, e in self.metrics.items()},
                **{f"{name} value": round(e.value, 4) for name, e in self.metrics.items()}}


@dataclass
class Decision:
    """The ranking a task keeps, and why."""

    task: str
    ranker: str
    reason: str
    auroc: dict[str, Estimate]  # direction → out-of-sample AUROC of the kept ranker


@dataclass
class Validation:
    """Everything the validation measured."""

    results: list[Result]
    decisions: dict[str, Decision]
    damping: list[dict]   # task, direction, w, AUROC of summed DWPC
    weights: dict[str, dict[str, float]]   # "task, fitted on direction" → standardised coefficient
    scores: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict)  # (task, direction, ranker)
    candidates: dict[tuple[str, str], Candidates] = field(default_factory=dict)

    def result(self, task: str, direction: str, ranker: str) -> Result | None:
        return next((r for r in self.results if (r.task, r.direction, r.ranker) == (task, direction, ranker)),
                    None)

    def auroc(self, task: str, direction: str, ranker: str) -> Estimate:
        """The AUROC of a ranker (NaN when it could not be scored there)."""
        found = self.result(task, direction, ranker)
        nan = float("nan")
        return found.metrics["AUROC"] if found is not None else Estimate(nan, nan, nan)

    def table(self) -> list[dict]:
        return [r.record() for r in self.results]


def validate(source: GraphSource | tuple[nx.MultiDiGraph, nx.MultiDiGraph], tasks: tuple[Task, ...] = TASKS,
             permutations: int = PERMUTATIONS, samples: int = 1000, damping: float = DEFAULT_DAMPING,
             seed: int = 0) -> Validation:
    """Validate every task in both directions on a store (or a pair of projections: with studies,
    collapsed). ``permutations=0`` skips the permutation null.

    ``source`` may also be the KG of ``kg.open()``; on a store (or a KG's) the result is cached beside
    the store per build (:mod:`kg.analysis.cache`)."""
    if not isinstance(source, tuple):
        from kg.analysis.cache import cached, digest
        from kg.analysis.projection import as_graph
        from kg.store.base import Store

        def compute() -> Validation:
            graphs = (as_graph(source), as_graph(source, collapse_studies=True))
            return validate(graphs, tasks, permutations, samples, damping, seed)

        store = getattr(source, "store", source)   # the KG of kg.open() holds its store
        if not isinstance(store, Store):
            return compute()
        key = digest(_code_files(), [t.name for t in tasks], permutations, samples, damping, seed)
        return cached(store, "validation", key, compute)
    full, collapsed = source
    found: dict[tuple[str, str], Candidates] = {}
    permuted: dict[tuple[str, str], np.ndarray] = {}
    directions = []
    for _, held_out in DIRECTIONS:   # one training graph at a time: only its candidates are kept
        training = split(full, collapsed, held_out)
        directions.append(training.name)
        lifted: dict[tuple[str, ...], nx.MultiDiGraph] = {}
        for task in tasks:
            if task.lift not in lifted:
                lifted[task.lift] = lift_to_families(training.collapsed, *task.lift)
            here = found[(task.name, training.name)] = candidates(training, full, task, lifted[task.lift])
            if permutations:   # on the lifted training graph, before the next direction's takes its place
                permuted[(task.name, training.name)] = permutation_z(here, lifted[task.lift], damping,
                                                                     permutations, seed)
        for graph in (training.full, training.collapsed, *lifted.values()):
            drop_views(graph)   # freed now, not at the collector's next full pass
        del training, lifted
    scores: dict[tuple[str, str, str], np.ndarray] = {}
    weights: dict[str, dict[str, float]] = {}
    for task in tasks:
        for direction, other in (directions, directions[::-1]):
            here, there = found[(task.name, direction)], found[(task.name, other)]
            scores |= {(task.name, direction, name): s for name, s in _rankers(here, damping).items()}
            if permutations:
                scores[(task.name, direction, PERMUTED)] = permuted[(task.name, direction)]
            if 0 < there.labels.sum() < len(there.labels):   # a model needs positives and negatives
                x_fit, names = learn.features(there, damping)
                model = learn.fit(x_fit, there.labels, names)
                weights[f"{task.name}, fitted on {other}"] = model.weights
                scores[(task.name, direction, LEARNED)] = model.score(learn.features(here, damping)[0])
    results = []
    for (task_name, direction), cands in found.items():
        positives, negatives = int(cands.labels.sum()), int((~cands.labels).sum())
        results.append(Result(task_name, direction, RANDOM, positives, negatives,
                              random_expectation(positives, negatives)))
        for (t, d, ranker), values in scores.items():
            if (t, d) == (task_name, direction):
                results.append(Result(t, d, ranker, positives, negatives,
                                      bootstrap(values, cands.labels, samples, seed)))
    validation = Validation(results, {}, _damping(found, tasks), weights, scores, found)
    validation.decisions = {task.name: decide(validation, task.name, directions) for task in tasks}
    return validation


def _code_files() -> list[str]:
    """The modules a validation result depends on (a change to one gives a new cache key)."""
    from kg.analysis import dwpc, gaps, hierarchy, holdout, metrics, paths, permute, projection, reach, tasks
    from kg.core import schema

    modules = (dwpc, gaps, hierarchy, holdout, learn, metrics, paths, permute, projection, reach, tasks,
               schema)
    return [__file__, *(m.__file__ or "" for m in modules)]


def _rankers(found: Candidates, damping: float) -> dict[str, np.ndarray]:
    rankers = {SUPPORT: found.support, SUMMED: found.summed_dwpc(damping)}
    rankers |= {f"DWPC {name}": found.dwpc(name, damping) for name in found.pdps}
    return rankers


def permutation_z(found: Candidates, graph: nx.MultiDiGraph, damping: float, permutations: int,
                  seed: int = 0) -> np.ndarray:
    """How far each cell's summed DWPC stands above its sums on ``permutations`` XSwap-permuted copies of
    ``graph``: (observed − mean) / standard deviation; 0 where the permuted sums do not vary and match."""
    observed = found.summed_dwpc(damping)
    null = []
    for i in range(permutations):
        pdps = path_products(xswap(graph, seed=seed + i), found.cells, found.task.metapaths)
        null.append(np.sum([[float((p ** damping).sum()) for p in per_cell] for per_cell in pdps.values()],
                           axis=0))
    mean, spread = np.mean(null, axis=0), np.std(null, axis=0)
    return np.where(spread > 0, (observed - mean) / np.where(spread > 0, spread, 1), observed - mean)


def _damping(found: dict[tuple[str, str], Candidates], tasks: tuple[Task, ...]) -> list[dict]:
    from kg.analysis.metrics import auroc

    return [{"task": task.name, "direction": direction, "w": w,
             "AUROC": round(auroc(found[(task.name, direction)].summed_dwpc(w),
                                  found[(task.name, direction)].labels), 4)}
            for task in tasks for (name, direction) in found if name == task.name for w in DAMPINGS]


def decide(validation: Validation, task: str, directions: list[str]) -> Decision:
    """The ranking ``task`` keeps (see the module docstring), with a warning in its reason when it does
    not beat random (AUROC ½) in some direction."""
    decision = _decide(validation, task, directions)
    weak = [d for d, e in decision.auroc.items() if not e.value > 0.5]
    if weak:
        decision.reason += f"; no better than random in {', '.join(weak)}"
    return decision


def _decide(validation: Validation, task: str, directions: list[str]) -> Decision:
    def aurocs(ranker: str) -> list[float]:
        return [validation.auroc(task, d, ranker).value for d in directions]

    def beats_support(ranker: str) -> bool:   # NaN (not measurable) never beats anything
        return all(a > b for a, b in zip(aurocs(ranker), aurocs(SUPPORT), strict=True))

    def estimates(ranker: str) -> dict[str, Estimate]:
        return {d: validation.auroc(task, d, ranker) for d in directions}

    if beats_support(LEARNED):
        return Decision(task, LEARNED, "the learned weights beat support in both directions",
                        estimates(LEARNED))
    simple = PERMUTED if np.mean(aurocs(PERMUTED)) > np.mean(aurocs(SUMMED)) else SUMMED
    if beats_support(simple):
        why = "the learned weights did not beat support in both directions; "
        return Decision(task, simple, f"{why}{simple} beats support in both directions", estimates(simple))
    return Decision(task, SUPPORT, f"neither the learned weights nor {simple} beat support in both "
                    "directions", estimates(SUPPORT))
