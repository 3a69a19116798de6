"""Paths, metapaths and DWPC on a small hand-made graph, against counts and scores worked out by hand.

The toy graph (edges as stated; paths may use them either way):

    C1 ─broader→ CF ←broader─ C2                      (carrier types; CF is their family)
    F1 ─hasCarrier→ C1   F2 ─hasCarrier→ C1   F3 ─hasCarrier→ C2
    F1 ─targets→ T1      F2 ─targets→ T1, T2  F3 ─targets→ T2
    T1 ─involvedIn→ S1   T2 ─involvedIn→ S1, S2
    F1 ─addressesStep→ S2 (a folded study: evidence and a citation)
    S1 ─precedes→ S2
    F1 ─sourceDocument→ D ←sourceDocument─ F3         (D is a source document: never a stepping stone)
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from kg.analysis.dwpc import dwpc, dwpc_from, path_degree_product
from kg.analysis.paths import PathIndex, find_paths, hop_distance, parse_metapath
from kg.core.errors import QueryError

TYPES = {"C1": "CarrierType", "C2": "CarrierType", "CF": "CarrierType", "F1": "Formulation",
         "F2": "Formulation", "F3": "Formulation", "T1": "MolecularTarget", "T2": "MolecularTarget",
         "S1": "CascadeStep", "S2": "CascadeStep", "D": "SourceDocument"}
FAMILIES = {"MolecularTarget": "Target"}
EDGES = [
    ("C1", "CF", "skos:broader"), ("C2", "CF", "skos:broader"),
    ("F1", "C1", "nmo:hasCarrier"), ("F2", "C1", "nmo:hasCarrier"), ("F3", "C2", "nmo:hasCarrier"),
    ("F1", "T1", "nmo:targets"), ("F2", "T1", "nmo:targets"), ("F2", "T2", "nmo:targets"),
    ("F3", "T2", "nmo:targets"),
    ("T1", "S1", "nmo:involvedIn"), ("T2", "S1", "nmo:involvedIn"), ("T2", "S2", "nmo:involvedIn"),
    ("S1", "S2", "nmo:precedes"),
    ("F1", "D", "nmo:sourceDocument"), ("F3", "D", "nmo:sourceDocument"),
]
CARRIER_TO_STEP = ("CarrierType", "Formulation", "Target", "CascadeStep")


@pytest.fixture
def toy() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node, node_type in TYPES.items():
        family = FAMILIES.get(node_type, node_type)
        graph.add_node(node, label=node.lower(), type=node_type, family=family, types=[node_type])
    for u, v, pred in EDGES:
        graph.add_edge(u, v, key=pred, pred=pred, sources=[])
    graph.add_edge("F1", "S2", key="nmo:addressesStep", pred="nmo:addressesStep", sources=["CMR2022 §3 [9]"],
                   studies=["study-1"], evidence=3, evidence_label="in vivo (animal)")
    return graph


def _sequences(paths) -> list[tuple[str, ...]]:
    return [p.nodes for p in paths]


def test_all_simple_paths_by_length(toy):
    # C1 → S1. No path of 1 or 2 hops (no neighbour of C1 touches S1). Three hops:
    #   C1-F1-T1-S1, C1-F1-S2-S1, C1-F2-T1-S1, C1-F2-T2-S1                      = 4
    # Four hops: C1-F1-S2-T2-S1, C1-F2-T2-S2-S1                                = 2
    # (C1-F1-D-F3-… passes a source document; C1-CF-C2-… goes up and down the hierarchy.)
    assert find_paths(toy, "C1", "S1", max_hops=2) == []
    three = find_paths(toy, "C1", "S1", max_hops=3)
    assert sorted(_sequences(three)) == [("C1", "F1", "S2", "S1"), ("C1", "F1", "T1", "S1"),
                                         ("C1", "F2", "T1", "S1"), ("C1", "F2", "T2", "S1")]
    four = find_paths(toy, "C1", "S1", max_hops=4)
    assert len(four) == 6
    assert [p.hops for p in four] == [3, 3, 3, 3, 4, 4], "fewest hops first"
    assert sorted(_sequences(four[4:])) == [("C1", "F1", "S2", "T2", "S1"), ("C1", "F2", "T2", "S2", "S1")]


def test_limit_keeps_the_shortest(toy):
    assert [p.hops for p in find_paths(toy, "C1", "S1", max_hops=4, limit=2)] == [3, 3]


def test_metapath_filter(toy):
    # Of the four 3-hop paths, C1-F1-S2-S1 is CarrierType-Formulation-CascadeStep-CascadeStep.
    paths = find_paths(toy, "C1", "S1", metapath=CARRIER_TO_STEP)
    assert sorted(_sequences(paths)) == [("C1", "F1", "T1", "S1"), ("C1", "F2", "T1", "S1"),
                                         ("C1", "F2", "T2", "S1")]
    other = find_paths(toy, "C1", "S1", metapath=parse_metapath("carrier,formulation,step,step"))
    assert _sequences(other) == [("C1", "F1", "S2", "S1")]
    # "Target" matches a MolecularTarget by its family; "MolecularTarget" by its type
    assert len(find_paths(toy, "C1", "S1", metapath=("CarrierType", "Formulation", "MolecularTarget",
                                                        "CascadeStep"))) == 3


def test_metapath_must_fit_the_ends(toy):
    with pytest.raises(QueryError, match="must start with the type of c1"):
        find_paths(toy, "C1", "S1", metapath=("Formulation", "Target", "CascadeStep"))


def test_no_sibling_hops_through_a_parent(toy):
    # C1 → CF ← C2 would be 2 hops; the only path within 4 hops is through F2 and T2.
    paths = find_paths(toy, "C1", "C2", max_hops=4)
    assert _sequences(paths) == [("C1", "F2", "T2", "F3", "C2")]
    # going up and up, or down and down, is fine: F1 → C1 → CF
    assert _sequences(find_paths(toy, "F1", "CF", max_hops=2)) == [("F1", "C1", "CF")]


def test_qualifier_nodes_end_but_never_join_paths(toy):
    assert find_paths(toy, "F1", "F3", max_hops=2) == []
    assert _sequences(find_paths(toy, "F1", "D", max_hops=1)) == [("F1", "D")]


def test_hops_show_direction_predicate_and_sources(toy):
    (path,) = [p for p in find_paths(toy, "C1", "S1") if p.nodes == ("C1", "F1", "S2", "S1")]
    assert path.describe(toy) == "c1 ←hasCarrier— f1 —addressesStep→ s2 ←precedes— s1"
    (link,) = path.links[1]
    assert (link.predicate, link.forward, link.sources, link.evidence) == \
        ("nmo:addressesStep", True, ("CMR2022 §3 [9]",), "in vivo (animal)")


def test_hop_distance(toy):
    assert hop_distance(toy, "C1", "S1") == 3
    # F1-D-F3 would be 2 hops but D is a qualifier; F1-S2-T2-F3 is 3
    assert hop_distance(toy, "F1", "F3") == 3


def test_parse_metapath():
    assert parse_metapath("CarrierType > formulation → Target,step") == CARRIER_TO_STEP
    with pytest.raises(QueryError, match="unknown node type 'Carier'"):
        parse_metapath("Carier,Formulation")
    with pytest.raises(QueryError, match="at least two"):
        parse_metapath("Formulation")


# DWPC of C1 → S1 along CarrierType-Formulation-Target-CascadeStep, by hand.
# Degrees for the hops' type pairs (neighbours of that type; other types do not count):
#   D(C1,Formulation)=2 (F1,F2)     D(F1,CarrierType)=1   D(F2,CarrierType)=1
#   D(F1,Target)=1 (T1)             D(F2,Target)=2 (T1,T2)
#   D(T1,Formulation)=2 (F1,F2)     D(T2,Formulation)=2 (F2,F3)
#   D(T1,CascadeStep)=1 (S1)        D(T2,CascadeStep)=2 (S1,S2)
#   D(S1,Target)=2 (T1,T2)          (S1's neighbour S2 is a CascadeStep: it does not count here)
# PDP(C1-F1-T1-S1) = ((2·1)·(1·2)·(1·2))^-w = 8^-w
# PDP(C1-F2-T1-S1) = ((2·1)·(2·2)·(1·2))^-w = 16^-w
# PDP(C1-F2-T2-S1) = ((2·1)·(2·2)·(2·2))^-w = 32^-w
# w = 0.4: DWPC = 8^-0.4 + 16^-0.4 + 32^-0.4 = 2^-1.2 + 2^-1.6 + 2^-2 = 0.435275 + 0.329877 + 0.25 = 1.015152
def test_dwpc_against_hand_worked_value(toy):
    score = dwpc(toy, "C1", "S1", CARRIER_TO_STEP, damping=0.4)
    assert score.dwpc == pytest.approx(1.015152, abs=1e-6)
    by_path = {p.nodes: pdp for p, pdp in score.paths}
    assert by_path == {("C1", "F1", "T1", "S1"): pytest.approx(8 ** -0.4),
                       ("C1", "F2", "T1", "S1"): pytest.approx(16 ** -0.4),
                       ("C1", "F2", "T2", "S1"): pytest.approx(32 ** -0.4)}
    assert score.strongest(1)[0][0].nodes == ("C1", "F1", "T1", "S1")


def test_dwpc_without_damping_counts_paths(toy):
    assert dwpc(toy, "C1", "S1", CARRIER_TO_STEP, damping=0).dwpc == 3


def test_dwpc_from_one_walk_equals_pairwise(toy):
    # C1 along the metapath also reaches S2 through F2-T2 only:
    # PDP(C1-F2-T2-S2) = ((2·1)·(2·2)·(D(T2,CascadeStep)=2 · D(S2,Target)=1))^-0.4 = 16^-0.4 = 0.329877
    index = PathIndex(toy)
    scores = dwpc_from(index, "C1", CARRIER_TO_STEP)
    assert set(scores) == {"S1", "S2"}
    assert scores["S1"].dwpc == pytest.approx(dwpc(index, "C1", "S1", CARRIER_TO_STEP).dwpc)
    assert scores["S2"].dwpc == pytest.approx(16 ** -0.4)
    assert math.isclose(path_degree_product(index, scores["S2"].paths[0][0], CARRIER_TO_STEP, 0.4), 0.329877,
                        abs_tol=1e-6)


def test_negative_damping_is_refused(toy):
    with pytest.raises(QueryError, match="damping"):
        dwpc(toy, "C1", "S1", CARRIER_TO_STEP, damping=-1)


def test_a_runaway_search_stops_with_a_clear_error(toy, monkeypatch):
    import kg.analysis.paths

    monkeypatch.setattr(kg.analysis.paths, "SEARCH_BUDGET", 5)
    with pytest.raises(QueryError, match="fewer hops"):
        find_paths(toy, "C1", "S1", max_hops=4)
