"""Hubs: degree, betweenness and PageRank of every entity, overall and within its type.

Scores are computed on the collapsed projection (studies folded into formulation links) as an
undirected simple graph without qualifier nodes (source documents, evidence levels), then filtered by
type. A note on **degree bias**: a node's degree mostly measures how much the two reviews say about
it — a well-studied target or a broad carrier family collects links because it is written about
often, not because it matters more biologically. PageRank on an undirected graph largely restates
degree (:func:`degree_correlation` measures how much); betweenness rewards bridges between otherwise
separate parts (hierarchy roots, formulations with unusual combinations). Compare nodes within one
type, and read a high score as "central in what was curated".

:func:`hubs` takes a projection, a store or ``kg.open()``'s KG (its collapsed projection then:
:func:`kg.analysis.projection.as_graph`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from kg.analysis.betweenness import Betweenness, choose
from kg.analysis.node_types import node_matches, nodes_of_types
from kg.analysis.projection import as_graph
from kg.core.errors import QueryError, excerpt
from kg.core.schema import QUALIFIER_TYPES

if TYPE_CHECKING:
    import networkx as nx

    from kg.analysis.projection import GraphSource

METRICS = ("degree", "betweenness", "pagerank")


@dataclass(frozen=True)
class HubScore:
    """Centrality of one node; ``type_rank`` is its place within its family by the sorting metric."""

    node: str
    label: str
    type: str
    family: str
    degree: int
    betweenness: float
    pagerank: float
    type_rank: int = 0

    def record(self) -> dict:
        return asdict(self)


def simple_graph(graph: nx.MultiDiGraph, exclude_types: Sequence[str] = QUALIFIER_TYPES) -> nx.Graph:
    """Undirected simple graph of a projection without nodes of ``exclude_types``."""
    import networkx as nx

    dropped = nodes_of_types(graph, exclude_types)
    keep = [n for n in graph if n not in dropped]
    simple = nx.Graph()
    simple.add_nodes_from((n, graph.nodes[n]) for n in keep)
    succ = graph.succ
    simple.add_edges_from((u, v) for u in keep for v in succ[u] if v not in dropped and u != v)
    return simple


@dataclass(frozen=True)
class Hubs:
    """The scores of :func:`hub_analysis` and how their betweenness was computed."""

    scores: list[HubScore]
    betweenness: Betweenness


def hubs(graph: GraphSource, node_type: str | None = None, by: str = "pagerank",
         samples: int | None = None) -> list[HubScore]:
    """Every node (of ``node_type`` if given), most central first by ``by``.

    Betweenness is exact on a graph of up to :data:`kg.analysis.betweenness.EXACT_UP_TO` nodes and
    estimated from sampled pivots above (:func:`kg.analysis.betweenness.choose`); ``samples`` asks for an
    estimate from that many pivots (fixed seed, so repeatable). A store or KG stands for its collapsed
    projection. :func:`hub_analysis` also says which betweenness was used.
    """
    return hub_analysis(graph, node_type, by, samples).scores


def hub_analysis(graph: GraphSource, node_type: str | None = None, by: str = "pagerank",
                 samples: int | None = None) -> Hubs:
    """:func:`hubs`, with the way betweenness was computed."""
    import networkx as nx

    graph = as_graph(graph, collapse_studies=True)
    if by not in METRICS:
        raise QueryError(f"unknown metric {excerpt(by)}; use one of: {', '.join(METRICS)}")
    simple = simple_graph(graph)
    method = choose(simple.number_of_nodes(), samples)
    betweenness = method.compute(simple)
    pagerank = nx.pagerank(simple) if simple.number_of_edges() else {n: 0.0 for n in simple}
    scores = [HubScore(n, d.get("label", n), d.get("type", ""), d.get("family", ""), simple.degree(n),
                       betweenness[n], pagerank[n]) for n, d in simple.nodes(data=True)]
    scores.sort(key=lambda s: (-getattr(s, by), s.label.casefold()))
    place: dict[str, int] = {}
    ranked = []
    for s in scores:
        place[s.family] = place.get(s.family, 0) + 1
        ranked.append(HubScore(**{**asdict(s), "type_rank": place[s.family]}))
    if node_type is not None:
        ranked = [s for s in ranked if node_matches(graph.nodes[s.node], node_type)]
    return Hubs(ranked, method)


def top_per_family(scores: Sequence[HubScore], n: int) -> list[HubScore]:
    """The first ``n`` scores of each family, families in order of their best node."""
    return [s for s in scores if s.type_rank <= n]


def _ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their average rank.

    >>> _ranks([10, 20, 20, 5])
    [2.0, 3.5, 3.5, 1.0]
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rank correlation (Pearson correlation of the ranks); 0.0 when either side is constant.

    >>> spearman([1, 2, 3, 4], [10, 20, 30, 40]), spearman([1, 2, 3], [3, 2, 1])
    (1.0, -1.0)
    """
    rx, ry = _ranks(xs), _ranks(ys)
    n = len(rx)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx, vy = sum((a - mx) ** 2 for a in rx), sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


def degree_correlation(scores: Sequence[HubScore]) -> dict[str, float]:
    """Spearman correlation of degree with betweenness and with PageRank over ``scores``."""
    if len(scores) < 2:
        return {"betweenness": 0.0, "pagerank": 0.0}
    degrees = [s.degree for s in scores]
    return {m: round(spearman(degrees, [getattr(s, m) for s in scores]), 3)
            for m in ("betweenness", "pagerank")}


@dataclass(frozen=True)
class BeyondDegree:
    """A node's betweenness against degree-preserving permutations of the graph."""

    node: str
    label: str
    type: str
    degree: int
    betweenness: float
    null_mean: float
    z: float
    share_at_least: float   # share of permuted graphs in which the node scored at least as high

    def record(self) -> dict:
        return asdict(self)


def beyond_degree(graph: nx.MultiDiGraph, permutations: int = 10, seed: int = 0) -> list[BeyondDegree]:
    """Every node's betweenness on ``graph`` against ``permutations`` XSwap copies of it
    (:mod:`kg.analysis.permute`: every node keeps its degree per edge type), highest z first.

    A hub that stays far above its permuted selves is central because of *whom* it joins; one that
    falls back to the permuted mean is central because of how much is said about it.
    """
    import networkx as nx

    from kg.analysis.permute import xswap

    simple = simple_graph(graph)
    observed = nx.betweenness_centrality(simple)
    null: dict[str, list[float]] = {n: [] for n in observed}
    for i in range(permutations):
        shuffled = nx.betweenness_centrality(simple_graph(xswap(graph, seed=seed + i)))
        for node in null:
            null[node].append(shuffled.get(node, 0.0))
    found = []
    for node, values in null.items():
        mean = sum(values) / len(values) if values else 0.0
        spread = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5 if values else 0.0
        z = (observed[node] - mean) / spread if spread > 0 else 0.0
        at_least = sum(v >= observed[node] for v in values) / len(values) if values else 1.0
        attrs = simple.nodes[node]
        found.append(BeyondDegree(node, attrs.get("label", node), attrs.get("type", ""), simple.degree(node),
                                  observed[node], mean, z, at_least))
    return sorted(found, key=lambda b: (-b.z, b.label.casefold()))
