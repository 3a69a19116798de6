"""Degree-weighted path counts (DWPC), after Himmelstein et al.'s Hetionet.

A path that runs through hubs says less than one through specific nodes. Along a metapath each hop
u–v is weighted by the degrees of both ends *for that hop's pair of types*: ``D(u, type of v)`` (how
many neighbours of v's type u has) and ``D(v, type of u)``. The path-degree product of a path is

    PDP = ∏ over hops (D(u, type v) · D(v, type u)) ** -w

and the DWPC of a source–target pair is the sum of the PDPs of all simple paths that follow the
metapath. ``w = 0`` gives the plain path count; Hetionet used ``w = 0.4`` (our default). Our metaedges
are type pairs: statements of different predicates between the same two types count together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from kg.analysis.paths import Path, PathIndex
from kg.core.errors import QueryError

if TYPE_CHECKING:
    from kg.analysis.projection import GraphSource

DEFAULT_DAMPING = 0.4


@dataclass
class Score:
    """A DWPC and the paths it sums, each with its path-degree product."""

    metapath: tuple[str, ...]
    dwpc: float = 0.0
    paths: list[tuple[Path, float]] = field(default_factory=list)

    def add(self, path: Path, pdp: float) -> None:
        self.dwpc += pdp
        self.paths.append((path, pdp))

    def strongest(self, n: int) -> list[tuple[Path, float]]:
        """The ``n`` paths with the largest PDP."""
        return sorted(self.paths, key=lambda item: -item[1])[:n]


def _check_damping(damping: float) -> None:
    if damping < 0:
        raise QueryError(f"the damping exponent must be ≥ 0, not {damping}")


def path_degree_product(index: PathIndex, path: Path, metapath: Sequence[str], damping: float) -> float:
    """PDP of ``path`` along ``metapath`` (see the module docstring)."""
    _check_damping(damping)
    product = 1.0
    for i, (u, v) in enumerate(pairwise(path.nodes)):
        product *= (index.degree(u, metapath[i + 1]) * index.degree(v, metapath[i])) ** -damping
    return product


def dwpc(graph: GraphSource | PathIndex, source: str, target: str, metapath: Sequence[str],
         damping: float = DEFAULT_DAMPING) -> Score:
    """DWPC of ``source`` → ``target`` along ``metapath``, with its paths (``graph``: a projection, a
    :class:`PathIndex` of one, or a store or KG standing for its collapsed projection)."""
    _check_damping(damping)
    index = graph if isinstance(graph, PathIndex) else PathIndex(graph)
    score = Score(tuple(metapath))
    for path in index.paths(source, target, metapath=metapath, limit=None):
        score.add(path, path_degree_product(index, path, metapath, damping))
    return score


def dwpc_from(index: PathIndex, source: str, metapath: Sequence[str],
              damping: float = DEFAULT_DAMPING) -> dict[str, Score]:
    """DWPC from ``source`` to every node its metapath paths reach (one walk for all targets)."""
    _check_damping(damping)
    scores: dict[str, Score] = defaultdict(lambda: Score(tuple(metapath)))
    for path in index.paths_from(source, metapath):
        scores[path.nodes[-1]].add(path, path_degree_product(index, path, metapath, damping))
    return dict(scores)
