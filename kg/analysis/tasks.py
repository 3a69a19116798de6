"""Prediction tasks of the cross-review validation: candidate cells, their labels and their features.

A task is a reach matrix (:mod:`kg.analysis.reach`, family level). Its **candidates** are the cells the
training graph (:mod:`kg.analysis.holdout`) leaves empty, over the rows and columns the training graph
knows (every node of a vocabulary axis — carrier families, mechanism families, steps — and the
supported nodes of the others); catch-all roots (``nanocarrier``) are left out. A candidate is a
**positive** when the held-out review fills it. Each candidate gets the features the rankers use: the
support of its row and its column in the training graph (formulations), and per metapath the
path-degree products of its paths, from which the DWPC at any damping exponent follows
(``PDP(w) = PDP(1) ** w``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from kg.analysis.dwpc import dwpc_from
from kg.analysis.gaps import HYPOTHESIS_METAPATHS, unspecific_nodes
from kg.analysis.hierarchy import lift_to_families
from kg.analysis.paths import PathIndex
from kg.analysis.reach import Matrix, reach
from kg.core.schema import AXES, HIERARCHICAL_TYPES

if TYPE_CHECKING:
    import networkx as nx

    from kg.analysis.holdout import Split

C, F, T, S, M, K, SITE, A = ("CarrierType", "Formulation", "Target", "CascadeStep", "Mechanism",
                             "CancerType", "Organ", "Agent")


@dataclass(frozen=True)
class Task:
    """A matrix to fill: its axes, whether every node of each axis is a candidate, and its metapaths."""

    row_axis: str
    col_axis: str
    all_rows: bool
    all_cols: bool
    metapaths: dict[str, tuple[str, ...]]  # summed by the DWPC ranking
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)  # offered to the learned model only

    @property
    def all_metapaths(self) -> dict[str, tuple[str, ...]]:
        return {**self.metapaths, **self.extra}

    @property
    def name(self) -> str:
        return f"{self.row_axis} × {self.col_axis}"

    @property
    def lift(self) -> tuple[str, ...]:
        """The hierarchies lifted to families for this task's paths."""
        return tuple(t for t in (AXES[self.row_axis].node_type, AXES[self.col_axis].node_type)
                     if t in HIERARCHICAL_TYPES)


TASKS = (
    Task("carrier", "step", True, True, HYPOTHESIS_METAPATHS, {   # what `kg gaps` ranks, and two more
        "shared cancer": (C, F, K, F, S),
        "cargo acts on a target involved": (C, F, A, T, S),
    }),
    Task("carrier", "mechanism", True, True, {
        "shared target": (C, F, T, F, M),
        "shared step": (C, F, S, F, M),
        "shared cancer": (C, F, K, F, M),
        "shared cargo": (C, F, A, F, M),
    }),
    Task("target", "step", False, True, {
        "involved in step": (T, S),
        "involved in neighbouring step": (T, S, S),
        "co-target involved in step": (T, F, T, S),
        "formulations at neighbouring step": (T, F, S, S),
        "shared mechanism": (T, F, M, F, S),
    }),
    Task("mechanism", "site", True, False, {
        "same formulation": (M, F, SITE),
        "shared cancer": (M, F, K, F, SITE),
        "shared step": (M, F, S, F, SITE),
        "shared target": (M, F, T, F, SITE),
    }),
)


def task(name: str) -> Task:
    """The task called ``name`` (``"carrier × step"`` or ``"carrier x step"``)."""
    wanted = name.replace(" x ", " × ").strip()
    return next(t for t in TASKS if t.name == wanted)


@dataclass
class Candidates:
    """The candidate cells of one task in one direction, with labels and features."""

    task: Task
    direction: str
    cells: list[tuple[str, str]]
    labels: np.ndarray
    row_support: np.ndarray
    col_support: np.ndarray
    # metapath → for each cell, the PDPs at w = 1 of its paths
    pdps: dict[str, list[np.ndarray]] = field(default_factory=dict)

    @property
    def support(self) -> np.ndarray:
        """The "popular goes everywhere" prior: row support × column support."""
        return self.row_support * self.col_support

    def dwpc(self, metapath: str, damping: float) -> np.ndarray:
        """DWPC of every cell along one metapath at damping exponent ``damping``."""
        return np.array([float((p ** damping).sum()) for p in self.pdps[metapath]])

    def summed_dwpc(self, damping: float, metapaths: Sequence[str] | None = None) -> np.ndarray:
        """The sum over the task's own metapaths (or over ``metapaths``)."""
        names = metapaths if metapaths is not None else list(self.task.metapaths)
        return np.sum([self.dwpc(m, damping) for m in names], axis=0)


def _totals(matrix: Matrix, side: int) -> dict[str, int]:
    found: dict[str, set[str]] = {}
    for key, cell in matrix.cells.items():
        found.setdefault(key[side], set()).update(cell.formulations)
    return {node: len(formulations) for node, formulations in found.items()}


def candidates(split: Split, full: nx.MultiDiGraph, which: Task, lifted: nx.MultiDiGraph | None = None,
               metapaths: dict[str, tuple[str, ...]] | None = None) -> Candidates:
    """The candidates of ``which`` in ``split``; labels from ``full`` (the projection of both reviews)."""
    training = reach(split.full, which.row_axis, which.col_axis, level="family", all_rows=which.all_rows,
                     all_cols=which.all_cols)
    skip = unspecific_nodes(split.full)
    cells = [(r, c) for r, c in training.empty_cells() if r not in skip and c not in skip]
    both = reach(full, which.row_axis, which.col_axis, level="family")
    labels = np.array([bool(both.cell(r, c).studies) for r, c in cells])
    rows, cols = _totals(training, 0), _totals(training, 1)
    found = Candidates(which, split.name, cells, labels, np.array([rows.get(r, 0) for r, _ in cells], float),
                       np.array([cols.get(c, 0) for _, c in cells], float))
    lifted = lifted if lifted is not None else lift_to_families(split.collapsed, *which.lift)
    found.pdps = path_products(lifted, cells, metapaths or which.all_metapaths)
    return found


def path_products(graph: nx.MultiDiGraph, cells: list[tuple[str, str]],
                  metapaths: dict[str, tuple[str, ...]]) -> dict[str, list[np.ndarray]]:
    """Metapath → for each cell, the path-degree products at ``w = 1`` of its paths in ``graph``."""
    index = PathIndex.of(graph)
    empty = np.zeros(0)
    found: dict[str, list[np.ndarray]] = {}
    for name, metapath in metapaths.items():
        per_row: dict[str, dict[str, np.ndarray]] = {}
        for row in sorted({r for r, _ in cells} & set(graph)):
            scores = dwpc_from(index, row, metapath, damping=1.0)
            per_row[row] = {col: np.array([pdp for _, pdp in s.paths]) for col, s in scores.items()}
        found[name] = [per_row.get(r, {}).get(c, empty) for r, c in cells]
    return found
