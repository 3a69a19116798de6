"""Betweenness centrality chosen by graph size: exact where that is quick, estimated from pivots above.

Exact betweenness costs one shortest-path search per node (Brandes): well under a second on the curated
KG (~650 nodes in the hub graph), a minute and a half at 100 k triples (~4 400 nodes), hours at 1M. Above
:data:`EXACT_UP_TO` nodes it is therefore **estimated** from ``k`` pivot nodes drawn uniformly (Brandes &
Pich 2007, the estimator of ``networkx.betweenness_centrality(k=…)``): each pivot's dependencies, scaled
by ``n / k``. Per node, that estimate is an average of ``k`` terms in ``[0, n / (n - 1)]``, so by
Hoeffding's inequality (which holds for sampling without replacement too) it lies within
``±(n / (n - 1)) · sqrt(ln(2 / 0.05) / (2k))`` of the exact normalised value with probability ≥ 95 %
(:attr:`Betweenness.bound`) — a guarantee on every single value, loose for the small values most nodes
have; the ranking of the top hubs is far more stable than that.

The pivots' searches run in igraph's C code when the optional ``igraph`` package is installed
(``pip install igraph``; about 40× faster than NetworkX, so :data:`PIVOTS_IGRAPH` pivots fit in seconds
at 1M triples), else in NetworkX (:data:`PIVOTS_NETWORKX` pivots). Both use NetworkX's pivots for the
seed, and the same estimator; the estimate differs from NetworkX's by the few pairs of two pivots (igraph
counts them once), O(k / n). An explicit ``samples`` always runs NetworkX, as before.

>>> choose(650, None).describe()
'exact (NetworkX)'
>>> method = choose(40_000, 200)
>>> method.pivots, method.engine, round(method.bound, 3)
(200, 'networkx', 0.096)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

EXACT_UP_TO = 2_000  # nodes of the hub graph: exact betweenness up to here (the curated KG has ~650)
PIVOTS_IGRAPH = 300  # pivots of the estimate above, with igraph installed (~5 s at 1M triples)
PIVOTS_NETWORKX = 100  # … without it (one NetworkX search costs ~0.7 s at 1M triples)
CONFIDENCE = 0.95


def igraph_available() -> bool:
    """True when the optional ``igraph`` package can be imported."""
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Betweenness:
    """How betweenness is computed: ``pivots`` is None for the exact value; ``engine`` networkx or igraph."""

    nodes: int
    pivots: int | None
    engine: str

    @property
    def bound(self) -> float:
        """Half-width of the per-node Hoeffding interval at :data:`CONFIDENCE` (0 when exact)."""
        if self.pivots is None:
            return 0.0
        spread = self.nodes / (self.nodes - 1) if self.nodes > 1 else 1.0
        return spread * math.sqrt(math.log(2 / (1 - CONFIDENCE)) / (2 * self.pivots))

    def describe(self) -> str:
        engine = "igraph" if self.engine == "igraph" else "NetworkX"
        if self.pivots is None:
            return f"exact ({engine})"
        return (f"estimated from {self.pivots} of {self.nodes} nodes as pivots ({engine}); each value within "
                f"±{self.bound:.3f} of the exact one with probability {CONFIDENCE:.0%} (Hoeffding)")

    def compute(self, graph: nx.Graph) -> dict[str, float]:
        """Normalised betweenness of every node of the undirected simple ``graph``."""
        import networkx as nx

        if self.engine == "igraph" and self.pivots is not None:
            return _igraph_estimate(graph, self.pivots)
        return nx.betweenness_centrality(graph, k=self.pivots, seed=0)


def choose(nodes: int, samples: int | None = None) -> Betweenness:
    """The betweenness for a hub graph of ``nodes`` nodes: from ``samples`` pivots (NetworkX) if given,
    exact up to :data:`EXACT_UP_TO` nodes, else estimated (igraph if installed)."""
    if samples is not None:
        return Betweenness(nodes, samples if samples < nodes else None, "networkx")
    if nodes <= EXACT_UP_TO:
        return Betweenness(nodes, None, "networkx")
    if igraph_available():
        return Betweenness(nodes, min(PIVOTS_IGRAPH, nodes), "igraph")
    return Betweenness(nodes, min(PIVOTS_NETWORKX, nodes), "networkx")


def _igraph_estimate(graph: nx.Graph, pivots: int) -> dict[str, float]:
    """NetworkX's pivot estimate (same seed, same pivots, same scaling), the searches run by igraph."""
    import igraph

    nodes = list(graph)
    n = len(nodes)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    sources = random.Random(0).sample(nodes, pivots)  # networkx: seed.sample(list(G.nodes()), k)
    search = igraph.Graph(n=n, edges=[(index[u], index[v]) for u, v in graph.edges()], directed=False)
    raw = search.betweenness(directed=False, sources=[index[s] for s in sources])
    # igraph counts an undirected pair once, NetworkX's normalisation both ways: 2 / ((n-1)(n-2)), × n / k
    scale = 2 * n / (pivots * (n - 1) * (n - 2))
    return {node: value * scale for node, value in zip(nodes, raw, strict=True)}
