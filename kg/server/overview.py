"""The overviews: the three white-space matrices of :mod:`kg.analysis.gaps` as heatmaps, the evidence
behind each cell, and the ranked hypotheses for the empty carrier family × step cells with their paths.
Computed once per store (on the projection, kept in memory; nothing is written beside the store).

>>> shade(0, 10), shade(10, 10)
('#ffffff', '#1f4e79')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.analysis.gaps import WHITE_SPACE_MATRICES

if TYPE_CHECKING:
    import networkx as nx

    from kg.analysis.gaps import Hypothesis
    from kg.analysis.reach import Matrix

TITLES = {("carrier", "step"): "Carrier family × cascade step", ("target", "step"): "Target × cascade step",
          ("mechanism", "site"): "Mechanism family × metastasis site"}
MATRICES = {f"{row}-{col}": (row, col, all_rows, all_cols, TITLES[(row, col)])
            for row, col, all_rows, all_cols in WHITE_SPACE_MATRICES}
HYPOTHESIS_MATRIX = "carrier-step"  # the matrix whose empty cells have ranked hypotheses
PATHS_SHOWN = 5
_DARKEST = (0x1F, 0x4E, 0x79)


def shade(value: int, most: int) -> str:
    """Cell colour: white for 0, darker blue the more formulations (square-root scale)."""
    if value <= 0 or most <= 0:
        return "#ffffff"
    share = (value / most) ** 0.5
    rgb = [round(255 - (255 - c) * (0.15 + 0.85 * share)) for c in _DARKEST]
    return "#" + "".join(f"{c:02x}" for c in rgb)


@dataclass
class Overview:
    """What the overview pages read: the projections, the matrices and the hypotheses."""

    graph: nx.MultiDiGraph
    matrices: dict[str, Matrix]
    ranked: list[Hypothesis]
    lifted: nx.MultiDiGraph

    def hypothesis(self, row: str, col: str) -> tuple[int, Hypothesis] | None:
        """(rank from 1, hypothesis) for an empty carrier family × step cell, if any path supports it."""
        return next(((n, h) for n, h in enumerate(self.ranked, 1) if (h.source, h.target) == (row, col)),
                    None)


def compute(store) -> Overview:
    """Projections, matrices and hypotheses of ``store`` (a few seconds at a million triples)."""
    from kg.analysis.gaps import hypotheses
    from kg.analysis.projection import build_projection
    from kg.analysis.reach import reach

    graph = build_projection(store)
    matrices = {name: reach(graph, row, col, level="family", all_rows=all_rows, all_cols=all_cols)
                for name, (row, col, all_rows, all_cols, _) in MATRICES.items()}
    ranked, lifted = hypotheses(graph, build_projection(store, collapse_studies=True))
    return Overview(graph, matrices, ranked, lifted)


def heatmap(matrix: Matrix, overview: Overview, name: str) -> dict:
    """Rows of cells for the template: value, colour, link, and whether an empty cell has a hypothesis."""
    most = max((len(c.formulations) for c in matrix.cells.values()), default=0)
    hypothesised = {(h.source, h.target) for h in overview.ranked} if name == HYPOTHESIS_MATRIX else set()
    rows = []
    for r in matrix.rows:
        cells = []
        for c in matrix.cols:
            cell = matrix.cell(r, c)
            value = len(cell.formulations)
            cells.append({"row": r, "col": c, "value": value, "studies": len(cell.studies),
                          "evidence": cell.best_evidence, "colour": shade(value, most),
                          "text": "#ffffff" if value and (value / most) ** 0.5 > 0.55 else "#1b1b1b",
                          "hypothesis": not value and (r, c) in hypothesised})
        rows.append({"node": r, "label": matrix.labels[r], "cells": cells})
    return {"cols": [{"node": c, "label": matrix.labels[c]} for c in matrix.cols], "rows": rows, "most": most}


def path_steps(path, graph: nx.MultiDiGraph) -> list[dict]:
    """A path as nodes (IRI, label) and the arrows between them, for links in a page."""
    steps = [{"node": path.nodes[0], "label": graph.nodes[path.nodes[0]].get("label", path.nodes[0])}]
    for links, node in zip(path.links, path.nodes[1:], strict=True):
        steps.append({"arrow": "/".join(link.arrow() for link in links)})
        steps.append({"node": node, "label": graph.nodes[node].get("label", node)})
    return steps


def strongest_paths(hypothesis: Hypothesis, lifted: nx.MultiDiGraph, most: int = PATHS_SHOWN) -> list[dict]:
    """The hypothesis's strongest paths (by path-degree product), each with its metapath name."""
    found = sorted(((name, path, pdp) for name, score in hypothesis.scores.items()
                    for path, pdp in score.paths), key=lambda x: -x[2])
    return [{"metapath": name, "pdp": pdp, "steps": path_steps(path, lifted)}
            for name, path, pdp in found[:most]]
