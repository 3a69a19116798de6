"""Degree-preserving permutations of a projection (XSwap, as hetnetpy's ``permute`` does for Hetionet).

Edges are grouped by type — predicate and the families of both ends — and within each type two edges
``a→b``, ``c→d`` are repeatedly swapped to ``a→d``, ``c→b`` unless that would make a self-loop or an
edge the type already has. Every node keeps its number of edges of every type, in and out; what the
permuted graph forgets is *which* nodes are joined. A score that stands out against many permuted
graphs says more than the node degrees behind it (Hanhijärvi et al. 2009; Himmelstein et al. 2017).

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> for n in "abcd": g.add_node(n, family="X")
>>> for n in "wxyz": g.add_node(n, family="Y")
>>> for u, v in ["aw", "bx", "cy", "dz", "ax"]: _ = g.add_edge(u, v, key="p")
>>> shuffled = xswap(g, seed=1)
>>> sorted(shuffled.out_degree()) == sorted(g.out_degree()), shuffled.number_of_edges()
(True, 5)
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

MULTIPLIER = 10  # swap attempts per edge, hetnetpy's default


def edge_type(graph: nx.MultiDiGraph, u: str, v: str, key: str) -> tuple[str, str, str]:
    """(predicate, family of the subject, family of the object)."""
    return key, graph.nodes[u].get("family", ""), graph.nodes[v].get("family", "")


def xswap(graph: nx.MultiDiGraph, seed: int = 0, multiplier: float = MULTIPLIER) -> nx.MultiDiGraph:
    """A copy of ``graph`` with the edges of each type shuffled by XSwap (node attributes kept, edge
    attributes dropped)."""
    from kg.analysis.projection_build import fill_graph, no_gc

    rng = random.Random(seed)
    randrange = rng.randrange
    family = {n: attrs.get("family", "") for n, attrs in graph._node.items()}  # NetworkX's own dicts
    by_type: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for u, neighbours in graph._succ.items():   # the order of graph.edges(keys=True)
        for v, keys in neighbours.items():
            for key in keys:
                by_type[(key, family[u], family[v])].append((u, v))
    links = []
    with no_gc():   # many tuples, none in a cycle
        for kind in sorted(by_type):
            edges = by_type[kind]
            present = set(edges)
            count = len(edges)
            for _ in range(int(multiplier * count) if count >= 2 else 0):
                i, j = randrange(count), randrange(count)
                (a, b), (c, d) = edges[i], edges[j]
                if i == j or a == d or c == b or (a, d) in present or (c, b) in present:
                    continue
                present.discard((a, b))
                present.discard((c, d))
                present.add((a, d))
                present.add((c, b))
                edges[i], edges[j] = (a, d), (c, b)
            links += [(u, v, kind[0], {"pred": kind[0]}) for u, v in edges]
        permuted = graph.__class__()
        fill_graph(permuted, graph.nodes(data=True), links)
    return permuted


def typed_degrees(graph: nx.MultiDiGraph) -> dict[tuple[str, tuple[str, str, str], str], int]:
    """(node, edge type, "out"/"in") → number of such edges: what :func:`xswap` keeps."""
    found: dict[tuple[str, tuple[str, str, str], str], int] = defaultdict(int)
    for u, v, key in graph.edges(keys=True):
        kind = edge_type(graph, u, v, key)
        found[(u, kind, "out")] += 1
        found[(v, kind, "in")] += 1
    return dict(found)
