"""Reachability matrices: which X reach which Y, counted in formulations and studies, with the best evidence.

Counts come from studies. A study of formulation F supports the cell (x, y) when x is linked to the
study or to F along the row axis and y along the column axis: for ``carrier × mechanism``, F has
carrier x (``hasCarrier``, or a carrier-type ``hasCoating`` such as a platelet membrane) and the study
names mechanism y. A cell counts its distinct formulations and studies and keeps the strongest
evidence level of those studies.

With ``via`` the column is reached through background biology instead of the studies' own claims:
``carrier × step via target`` puts F's study in the cell (x, s) when F targets a target that is
``involvedIn`` step s (likewise ``actsOn`` and ``binds`` for agents). At ``level="family"`` carrier
types and mechanisms are replaced by their families (:mod:`kg.analysis.hierarchy`).

:func:`reach` and :func:`support` take the projection with studies, or what stands for it (a store or
``kg.open()``'s KG: :func:`kg.analysis.projection.as_graph`).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.analysis.hierarchy import families
from kg.analysis.node_types import node_matches
from kg.analysis.projection import as_graph
from kg.core.errors import QueryError, excerpt
from kg.core.schema import (
    AXES,
    EVALUATES,
    EVIDENCE_LEVEL,
    HIERARCHICAL_TYPES,
    TARGET_BIOLOGY_PREDICATES,
    Axis,
)

if TYPE_CHECKING:
    import networkx as nx

    from kg.analysis.projection import GraphSource

LEVELS = ("family", "leaf")


def axis(name: str) -> Axis:
    """The axis called ``name``; a QueryError listing the valid ones otherwise."""
    try:
        return AXES[name.strip().lower()]
    except KeyError:
        raise QueryError(f"unknown axis {excerpt(name)}; use one of: {', '.join(AXES)}") from None


@dataclass
class Cell:
    """Support of one (row, column) pair.

    >>> cell = Cell()
    >>> cell.add("f1", "s1", 0, "not stated"); cell.add("f1", "s2", 3, "in vivo (animal)")
    >>> cell.add("f2", "s3", 1, "in vitro")
    >>> len(cell.formulations), len(cell.studies), cell.best_evidence
    (2, 3, 'in vivo (animal)')
    """

    formulations: set[str] = field(default_factory=set)
    studies: set[str] = field(default_factory=set)
    best_rank: int = 0
    best_evidence: str = ""

    def add(self, formulation: str, study: str, rank: int, evidence: str) -> None:
        self.formulations.add(formulation)
        self.studies.add(study)
        self.best_rank, self.best_evidence = max((rank, evidence), (self.best_rank, self.best_evidence))


VALUES = ("formulations", "studies", "evidence")


@dataclass
class Matrix:
    """Rows × columns of :class:`Cell` (missing cells are empty), with node labels."""

    row_axis: str
    col_axis: str
    rows: list[str]
    cols: list[str]
    cells: dict[tuple[str, str], Cell]
    labels: dict[str, str]
    via: str | None = None
    level: str = "family"

    def cell(self, row: str, col: str) -> Cell:
        return self.cells.get((row, col), Cell())

    def value(self, row: str, col: str, what: str = "formulations") -> int:
        """A cell as a number: its formulation count, study count or best evidence rank."""
        cell = self.cell(row, col)
        return {"formulations": len(cell.formulations), "studies": len(cell.studies),
                "evidence": cell.best_rank}[what]

    @property
    def title(self) -> str:
        via = f" via {self.via}" if self.via else ""
        hierarchical = any(AXES[a].node_type in HIERARCHICAL_TYPES for a in (self.row_axis, self.col_axis))
        level = f" ({self.level} level)" if hierarchical else ""
        return f"{self.row_axis} × {self.col_axis}{via}{level}"

    def wide(self, what: str = "formulations") -> tuple[list[str], list[list[str]]]:
        """Header and rows of the matrix with one number (``what``) per cell; empty cells as ``0``."""
        if what not in VALUES:
            raise QueryError(f"unknown cell value {excerpt(what)}; use one of: {', '.join(VALUES)}")
        header = [self.row_axis] + [self.labels[c] for c in self.cols]
        body = [[self.labels[r]] + [str(self.value(r, c, what)) for c in self.cols] for r in self.rows]
        return header, body

    def records(self, empty: bool = False, formulation_labels: bool = True) -> list[dict]:
        """One record per cell (non-empty ones unless ``empty``), with labels, counts and evidence."""
        out = []
        for r in self.rows:
            for c in self.cols:
                cell = self.cell(r, c)
                if not cell.studies and not empty:
                    continue
                record = {self.row_axis: self.labels[r], self.col_axis: self.labels[c],
                          "formulations": len(cell.formulations), "studies": len(cell.studies),
                          "best_evidence": cell.best_evidence}
                if formulation_labels:
                    record["formulation_names"] = "; ".join(sorted(self.labels[f] for f in cell.formulations))
                out.append(record)
        return out

    def empty_cells(self) -> list[tuple[str, str]]:
        """(row, column) pairs with no supporting study, in matrix order."""
        return [(r, c) for r in self.rows for c in self.cols if not self.cell(r, c).studies]


def study_evidence(graph: nx.MultiDiGraph, study: str) -> tuple[int, str]:
    """(rank, label) of the strongest evidence level a study states; (0, "") if it states none."""
    nodes = graph._node  # NetworkX's own dicts: its views cost more than the work here
    levels = [(nodes[v].get("rank", 0), nodes[v]["label"]) for v, keys in graph._succ[study].items()
              if EVIDENCE_LEVEL in keys]
    return max(levels, default=(0, ""))


def study_rows(graph: nx.MultiDiGraph) -> Iterator[tuple[str, str, int, str]]:
    """(study, its formulation, evidence rank, evidence label) for every study of a projection."""
    for study, attrs in graph.nodes(data=True):
        if attrs.get("type") != "Study":
            continue
        formulation = next((v for v, keys in graph._succ[study].items() if EVALUATES in keys), None)
        if formulation is not None:
            yield (study, formulation, *study_evidence(graph, study))


def support(graph: GraphSource, axis_name: str, level: str = "leaf") -> dict[str, Cell]:
    """Each node of one axis → the formulations and studies that support it, with their best evidence."""
    graph = as_graph(graph)
    values = _Values(graph, axis(axis_name), level)
    found: dict[str, Cell] = {}
    for study, formulation, rank, evidence in study_rows(graph):
        for node in values(study, formulation):
            found.setdefault(node, Cell()).add(formulation, study, rank, evidence)
    return found


def _linked(graph: nx.MultiDiGraph, node: str, predicates: Iterable[str], node_type: str) -> set[str]:
    nodes, wanted = graph._node, frozenset(predicates)  # NetworkX's own dicts, as above
    return {v for v, keys in graph._succ[node].items()
            if not wanted.isdisjoint(keys) and node_matches(nodes[v], node_type)}


def _background(graph: nx.MultiDiGraph, nodes: set[str], node_type: str,
                memo: dict[str, set[str]]) -> set[str]:
    """Nodes of ``node_type`` joined to any of ``nodes`` by a background-biology statement, either way
    (what each node joins remembered in ``memo``: a hub target is reached from thousands of studies)."""
    found = set()
    for node in nodes:
        if node not in memo:
            attrs, wanted = graph._node, frozenset(TARGET_BIOLOGY_PREDICATES)
            memo[node] = _linked(graph, node, TARGET_BIOLOGY_PREDICATES, node_type) | {
                u for u, keys in graph._pred[node].items()
                if not wanted.isdisjoint(keys) and node_matches(attrs[u], node_type)}
        found |= memo[node]
    return found


class _Values:
    """The values of one axis for a (study, formulation), mapped to families when asked."""

    def __init__(self, graph: nx.MultiDiGraph, ax: Axis, level: str, via: Axis | None = None):
        self.graph, self.axis, self.via = graph, ax, via
        self.background: dict[str, set[str]] = {}
        self.family_of = families(graph, ax.node_type) if level == "family" and ax.node_type in \
            HIERARCHICAL_TYPES else {}

    def __call__(self, study: str, formulation: str) -> set[str]:
        if self.via is None:
            found = _linked(self.graph, study if self.axis.on_study else formulation, self.axis.predicates,
                            self.axis.node_type)
        else:
            through = _linked(self.graph, study if self.via.on_study else formulation, self.via.predicates,
                              self.via.node_type)
            found = _background(self.graph, through, self.axis.node_type, self.background)
        return set().union(*(self.family_of.get(n, {n}) for n in found)) if found else set()

    def all_nodes(self) -> set[str]:
        nodes = {n for n, d in self.graph.nodes(data=True) if node_matches(d, self.axis.node_type)}
        return set().union(*(self.family_of.get(n, {n}) for n in nodes)) if nodes else set()


def reach(graph: GraphSource, row_axis: str, col_axis: str, level: str = "family", via: str | None = None,
          all_rows: bool = False, all_cols: bool = False) -> Matrix:
    """The reachability matrix of two axes (names from :data:`kg.core.schema.AXES`) over a projection
    with studies.

    Rows and columns are the nodes that have some support, or every node of the axis type (at the
    level) with ``all_rows`` / ``all_cols``. Steps and evidence levels are in their ``rank`` order,
    other nodes by support (most formulations first), then label.

    A matrix of a frozen graph (a projection: nobody changes it) is computed once per process and shared
    by every caller that asks for it again (``kg gaps`` asks for some five times): read it, never change it.
    """
    graph = as_graph(graph)
    if not getattr(graph, "frozen", False):
        return _reach(graph, row_axis, col_axis, level, via, all_rows, all_cols)
    asked = (row_axis, col_axis, level, via, all_rows, all_cols)
    known = _MATRICES.setdefault(graph, {})
    if asked not in known:
        known[asked] = _reach(graph, *asked)
    return known[asked]


_MATRICES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # frozen graph → arguments → matrix


def _reach(graph: nx.MultiDiGraph, row_axis: str, col_axis: str, level: str, via: str | None,
           all_rows: bool, all_cols: bool) -> Matrix:
    if level not in LEVELS:
        raise QueryError(f"unknown level {excerpt(level)}; use family or leaf")
    rows_of = _Values(graph, axis(row_axis), level)
    via_axis = axis(via) if via else None
    if via_axis is not None and via_axis.on_study:
        raise QueryError(f"--via must be a formulation axis with background biology (target, cargo, "
                         f"ligand), not {via}")
    cols_of = _Values(graph, axis(col_axis), level, via_axis)
    cells: dict[tuple[str, str], Cell] = {}
    for study, formulation, rank, evidence in study_rows(graph):
        for r in rows_of(study, formulation):
            for c in cols_of(study, formulation):
                cells.setdefault((r, c), Cell()).add(formulation, study, rank, evidence)
    rows = rows_of.all_nodes() if all_rows else {r for r, _ in cells}
    cols = cols_of.all_nodes() if all_cols else {c for _, c in cells}
    labels = {n: graph.nodes[n].get("label", n) for n in rows | cols}
    labels |= {f: graph.nodes[f].get("label", f) for cell in cells.values() for f in cell.formulations}
    return Matrix(row_axis, col_axis, _ordered(graph, rows, cells, 0), _ordered(graph, cols, cells, 1), cells,
                  labels, via, level)


def _ordered(graph: nx.MultiDiGraph, nodes: set[str], cells: dict[tuple[str, str], Cell],
             side: int) -> list[str]:
    support: dict[str, set[str]] = {}
    for key, cell in cells.items():
        support.setdefault(key[side], set()).update(cell.formulations)

    def order(node: str):
        attrs = graph.nodes[node]
        return (attrs.get("rank", 0), -len(support.get(node, ())), attrs.get("label", node).casefold())

    return sorted(nodes, key=order)
