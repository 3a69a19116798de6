"""Gaps in what has been tried, and ranked hypotheses for filling them.

- **White space**: empty cells of three matrices (:mod:`kg.analysis.reach`) — carrier family × cascade step,
  target × cascade step (targets some formulation aims at), mechanism family × metastasis site. Every
  cascade step and metastasis site is a column even when nothing reaches it. Cells are ordered by
  how surprising the hole is: the product of the support (formulations) of its row and its column.
- **Weak evidence**: cascade steps and targets whose best supporting study is below in vivo (only in
  vitro or ex vivo).
- **Unaddressed biology**: a target ``involvedIn`` a step (background biology) while no formulation
  that ``targets`` it has a study at that step.
- **Hypotheses**: empty carrier family × step cells ranked by the summed DWPC (:mod:`kg.analysis.dwpc`) of the
  metapaths in :data:`HYPOTHESIS_METAPATHS`, on the collapsed projection lifted to carrier families,
  each with its strongest supporting paths.

Each takes the projection with studies, or a store or ``kg.open()``'s KG standing for it
(:func:`kg.analysis.projection.as_graph`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.analysis.dwpc import DEFAULT_DAMPING, Score, dwpc_from
from kg.analysis.hierarchy import catch_all_root, lift_to_families
from kg.analysis.paths import PathIndex
from kg.analysis.projection import as_graph
from kg.analysis.reach import Matrix, reach, support
from kg.core.schema import HIERARCHICAL_TYPES, INVOLVED_IN

if TYPE_CHECKING:
    import networkx as nx

    from kg.analysis.projection import GraphSource

IN_VIVO_RANK = 3  # nmo:rank of evidence:in-vivo-animal

# Why a carrier family might reach a cascade step it has not been tried at:
HYPOTHESIS_METAPATHS: dict[str, tuple[str, ...]] = {
    # its formulations target something involved in the step (background biology)
    "target involved in step": ("CarrierType", "Formulation", "Target", "CascadeStep"),
    # its formulations share a target with a formulation that acts at the step
    "shared target": ("CarrierType", "Formulation", "Target", "Formulation", "CascadeStep"),
    # its formulations share a mechanism with a formulation that acts at the step
    "shared mechanism": ("CarrierType", "Formulation", "Mechanism", "Formulation", "CascadeStep"),
    # its formulations act at a neighbouring step of the cascade
    "neighbouring step": ("CarrierType", "Formulation", "CascadeStep", "CascadeStep"),
}

WHITE_SPACE_MATRICES = (
    # (row axis, column axis, every row node?, every column node?)
    ("carrier", "step", True, True),
    ("target", "step", False, True),
    ("mechanism", "site", True, True),
)


def unspecific_nodes(graph: GraphSource) -> set[str]:
    """Catch-all hierarchy roots (``nanocarrier``): a gap or hypothesis about them says nothing."""
    graph = as_graph(graph)
    return {root for t in HIERARCHICAL_TYPES if (root := catch_all_root(graph, t)) is not None}


def white_space(graph: GraphSource) -> list[dict]:
    """Empty cells of the three white-space matrices, most surprising first within each matrix."""
    graph = as_graph(graph)
    found = []
    skip = unspecific_nodes(graph)
    for row_axis, col_axis, all_rows, all_cols in WHITE_SPACE_MATRICES:
        matrix = reach(graph, row_axis, col_axis, level="family", all_rows=all_rows, all_cols=all_cols)
        found += [cell for cell in _empty_cells(matrix) if cell["row_node"] not in skip]
    return found


def _empty_cells(matrix: Matrix) -> list[dict]:
    formulations: tuple[dict[str, set[str]], dict[str, set[str]]] = ({}, {})  # by row, by column
    for key, cell in matrix.cells.items():
        for side in (0, 1):
            formulations[side].setdefault(key[side], set()).update(cell.formulations)
    rows = {r: len(formulations[0].get(r, ())) for r in matrix.rows}
    cols = {c: len(formulations[1].get(c, ())) for c in matrix.cols}
    cells = [{"matrix": matrix.title, "row": matrix.labels[r], "column": matrix.labels[c],
              "row_formulations": rows[r], "column_formulations": cols[c], "row_node": r, "column_node": c}
             for r, c in matrix.empty_cells()]
    return sorted(cells, key=lambda x: -x["row_formulations"] * x["column_formulations"])


def weak_evidence(graph: GraphSource) -> list[dict]:
    """Cascade steps and targets whose strongest study is below in vivo."""
    graph = as_graph(graph)
    found = []
    for axis_name in ("step", "target"):
        for node, cell in support(graph, axis_name).items():
            if cell.best_rank < IN_VIVO_RANK:
                found.append({"kind": axis_name, "name": graph.nodes[node]["label"],
                              "formulations": len(cell.formulations), "studies": len(cell.studies),
                              "best_evidence": cell.best_evidence or "(none stated)"})
    return sorted(found, key=lambda x: (x["kind"], -x["studies"], x["name"].casefold()))


def unaddressed_biology(graph: GraphSource) -> list[dict]:
    """(target, step) pairs of background biology that no formulation targeting the target addresses."""
    graph = as_graph(graph)
    matrix = reach(graph, "target", "step", level="leaf")
    found = []
    for target, step, key, data in graph.edges(keys=True, data=True):
        if key != INVOLVED_IN or matrix.cell(target, step).studies:
            continue
        elsewhere = [matrix.labels[c] for c in matrix.cols if matrix.cell(target, c).studies]
        aiming = set().union(*(matrix.cell(target, c).formulations for c in matrix.cols))
        found.append({"target": graph.nodes[target]["label"], "step": graph.nodes[step]["label"],
                      "sources": "; ".join(data.get("sources", ())),
                      "formulations_targeting": len(aiming), "their_steps": "; ".join(elsewhere)})
    return sorted(found, key=lambda x: (-x["formulations_targeting"], x["target"].casefold(), x["step"]))


@dataclass
class Hypothesis:
    """A candidate carrier family → step link with its score per metapath."""

    source: str
    target: str
    scores: dict[str, Score] = field(default_factory=dict)

    @property
    def dwpc(self) -> float:
        return sum(s.dwpc for s in self.scores.values())

    @property
    def path_count(self) -> int:
        return sum(len(s.paths) for s in self.scores.values())

    def record(self, graph: nx.MultiDiGraph, paths: int = 3) -> dict:
        """Labels, total and per-metapath DWPC, path count and the ``paths`` strongest paths."""
        strongest = sorted(((p, pdp) for s in self.scores.values() for p, pdp in s.paths),
                           key=lambda x: -x[1])
        return {"carrier_family": graph.nodes[self.source]["label"],
                "step": graph.nodes[self.target]["label"],
                "dwpc": round(self.dwpc, 4), "paths": self.path_count,
                **{f"dwpc {name}": round(s.dwpc, 4) for name, s in self.scores.items()},
                "strongest_paths": [f"{p.describe(graph)} (PDP {pdp:.4f})" for p, pdp in strongest[:paths]]}


def hypotheses(graph: GraphSource, collapsed: GraphSource | None = None, damping: float = DEFAULT_DAMPING,
               metapaths: dict[str, Sequence[str]] | None = None) -> tuple[list[Hypothesis], nx.MultiDiGraph]:
    """Empty carrier family × step cells ranked by summed DWPC, best first, with the family-level graph.

    ``graph`` is the projection with studies (for the empty cells), ``collapsed`` the collapsed one
    (for the paths; by default the collapsed projection of ``graph``'s store or KG); cells no path
    supports are left out.
    """
    collapsed = as_graph(graph if collapsed is None else collapsed, collapse_studies=True)
    graph = as_graph(graph)
    if collapsed is graph:
        raise TypeError("hypotheses() needs the collapsed projection too: hypotheses(full, collapsed), "
                        "or pass a store or the KG of kg.open()")
    metapaths = metapaths or HYPOTHESIS_METAPATHS
    empty = set(reach(graph, "carrier", "step", level="family", all_rows=True, all_cols=True).empty_cells())
    lifted = lift_to_families(collapsed, "CarrierType")
    index = PathIndex.of(lifted)
    found: dict[tuple[str, str], Hypothesis] = {}
    for family in sorted({f for f, _ in empty} & set(lifted) - unspecific_nodes(graph)):
        for name, metapath in metapaths.items():
            for step, score in dwpc_from(index, family, metapath, damping).items():
                if (family, step) not in empty:
                    continue
                empty_scores = {n: Score(tuple(m)) for n, m in metapaths.items()}
                found.setdefault((family, step), Hypothesis(family, step, empty_scores)).scores[name] = score
    ranked = sorted(found.values(), key=lambda h: (-h.dwpc, h.source, h.target))
    return ranked, lifted
