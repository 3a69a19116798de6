"""Hub scores on a hand-made graph, against values worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.analysis.hubs import degree_correlation, hubs, top_per_family
from kg.core.errors import QueryError

# A star around formulation F (with two targets and a step) plus a chain F — T1 — S, and a source
# document D that F cites (a qualifier: left out of the analysis).
#
#        T2
#        |
#   D -- F -- T1 -- S
#        |         /
#        +---------        (F also addresses S)
NODES = {"F": "Formulation", "T1": "MolecularTarget", "T2": "MolecularTarget", "S": "CascadeStep",
         "D": "SourceDocument"}
EDGES = [("F", "T1", "nmo:targets"), ("F", "T2", "nmo:targets"), ("T1", "S", "nmo:involvedIn"),
         ("F", "S", "nmo:addressesStep"), ("F", "D", "nmo:sourceDocument"), ("F", "S", "nmo:mechanism")]


@pytest.fixture
def star() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node, node_type in NODES.items():
        family = "Target" if node_type == "MolecularTarget" else node_type
        graph.add_node(node, label=node, type=node_type, family=family, types=[node_type])
    for u, v, key in EDGES:
        graph.add_edge(u, v, key=key, pred=key, sources=[])
    return graph


def test_degree_and_betweenness_by_hand(star):
    scores = {s.node: s for s in hubs(star, by="degree")}
    assert "D" not in scores, "source documents are left out"
    # degree: distinct neighbours without D (F–S has two statements but counts once)
    assert {n: s.degree for n, s in scores.items()} == {"F": 3, "T1": 2, "T2": 1, "S": 2}
    # betweenness (normalised by (n-1)(n-2)/2 = 3 pairs not involving the node, n = 4):
    # F lies on the only shortest path T2–T1 and T2–S: 2/3; T1 and S lie on none (T1–S and F–S are
    # direct; F–T1 is direct); T2 is a leaf: 0
    assert scores["F"].betweenness == pytest.approx(2 / 3)
    assert scores["T1"].betweenness == scores["S"].betweenness == scores["T2"].betweenness == 0
    assert sum(s.pagerank for s in scores.values()) == pytest.approx(1.0)
    assert max(scores.values(), key=lambda s: s.pagerank).node == "F"


def test_order_type_rank_and_filter(star):
    ranked = hubs(star, by="degree")
    assert [s.node for s in ranked] == ["F", "S", "T1", "T2"]  # ties by label
    assert {s.node: s.type_rank for s in ranked} == {"F": 1, "S": 1, "T1": 1, "T2": 2}
    assert [s.node for s in hubs(star, "Target", by="degree")] == ["T1", "T2"]
    assert [s.node for s in top_per_family(ranked, 1)] == ["F", "S", "T1"]


def test_sampled_betweenness_is_repeatable(star):
    first = [s.betweenness for s in hubs(star, samples=2)]
    assert first == [s.betweenness for s in hubs(star, samples=2)]


def test_degree_correlation(star):
    correlation = degree_correlation(hubs(star))
    assert -1 <= correlation["betweenness"] <= 1 and correlation["pagerank"] > 0


def test_unknown_metric(star):
    with pytest.raises(QueryError, match="unknown metric"):
        hubs(star, by="fame")
