"""What the speed-ups of the analyses at scale (issue 17) must not change, on the curated KG: the hold-out's
training graphs and XSwap's permutations equal those of the straightforward code they replaced (kept
here as the reference), the path index reads only what walks reach, a frozen projection's reach matrix
is computed once, remembered projections are frozen out of the garbage collector, and the ``kg`` program
that leaves without tearing its heap down still prints everything and exits with the command's status.
"""

from __future__ import annotations

import gc
import json
import os
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import networkx as nx

from kg.analysis import projection as projection_module
from kg.analysis.holdout import _without, cited_by, source_of, split
from kg.analysis.paths import PathIndex
from kg.analysis.permute import edge_type, xswap
from kg.analysis.projection import projection
from kg.analysis.reach import reach
from kg.core.schema import SOURCED_PREDICATES

ID = "https://w3id.org/nanomet-kg/id/"


def _reference_without(graph, dropped, held_out, evidence):
    """The hold-out's training graph as it was computed before: copy everything, then remove (composition
    and background links go when only the held-out review states them)."""
    kept = graph.copy()
    had_links = {n for n in kept if kept.degree(n)}
    kept.remove_nodes_from(dropped & set(kept))
    gone = []
    for u, v, key, data in kept.edges(keys=True, data=True):
        sources = data.get("sources", [])
        if "studies" in data:
            studies = [s for s in data["studies"] if s in evidence]
            if not studies:
                gone.append((u, v, key))
                continue
            data["studies"] = studies
            data["evidence"], data["evidence_label"] = max(evidence[s] for s in studies)
        elif key in SOURCED_PREDICATES and all(source_of(s) == held_out for s in sources):
            gone.append((u, v, key))
            continue
        data["sources"] = [s for s in sources if source_of(s) != held_out]
    kept.remove_edges_from(gone)
    kept.remove_nodes_from([n for n in had_links & set(kept)
                            if not kept.degree(n) and kept.nodes[n].get("type") not in ("CarrierType",
                                                                                       "Mechanism",
                                                                                       "CascadeStep")])
    return kept


def _reference_xswap(graph, seed):
    """XSwap as it was computed before: edge by edge into a new graph."""
    rng = random.Random(seed)
    by_type = defaultdict(list)
    for u, v, key in graph.edges(keys=True):
        by_type[edge_type(graph, u, v, key)].append((u, v))
    permuted = graph.__class__()
    permuted.add_nodes_from(graph.nodes(data=True))
    for kind in sorted(by_type):
        edges = by_type[kind]
        present = set(edges)
        for _ in range(int(10 * len(edges))):
            if len(edges) < 2:
                break
            i, j = rng.randrange(len(edges)), rng.randrange(len(edges))
            (a, b), (c, d) = edges[i], edges[j]
            if i == j or a == d or c == b or (a, d) in present or (c, b) in present:
                continue
            present -= {(a, b), (c, d)}
            present |= {(a, d), (c, b)}
            edges[i], edges[j] = (a, d), (c, b)
        for u, v in edges:
            permuted.add_edge(u, v, key=kind[0], pred=kind[0])
    return permuted


def _same_graph(ours, theirs) -> None:
    """Equal nodes, links and attributes, in the same order (outputs follow the adjacency's order)."""
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))
    assert all(list(ours.pred[n]) == list(theirs.pred[n]) for n in ours)


def test_training_graphs_equal_copying_everything_then_removing(real_store):
    full, collapsed = projection(real_store), projection(real_store, collapse_studies=True)
    for held_out, training in (("NH2026", "CMR2022"), ("CMR2022", "NH2026")):
        cited = cited_by(full)
        dropped = {n for n, docs in cited.items() if held_out in docs and training not in docs}
        evidence = {s: (1, "x") for s, docs in cited.items() if training in docs}
        for graph in (full, collapsed):
            ours = _without(graph, dropped, held_out, evidence)
            theirs = _reference_without(graph, dropped, held_out, evidence)
            _same_graph(ours, theirs)
            assert 0 < ours.number_of_edges() < graph.number_of_edges()
    # and through the public entry: the held-out review's study is gone, its formulation's other one stays
    assert ID + "formulation/doxil" in split(full, collapsed, "NH2026").full


def test_xswap_equals_the_edge_by_edge_permutation(real_store):
    graph = projection(real_store, collapse_studies=True)
    for seed in (0, 3):
        _same_graph(xswap(graph, seed=seed), _reference_xswap(graph, seed))


def test_path_index_reads_only_the_nodes_walks_reach(real_store):
    graph = projection(real_store, collapse_studies=True)
    index = PathIndex(graph)
    assert not index.neighbours   # nothing read yet
    # Doxil is used in breast cancer (NH2026 Table 1 l.731 [164]), as other formulations are
    found = list(index.paths_from(ID + "formulation/doxil", ("Formulation", "CancerType", "Formulation")))
    assert found and all(graph.nodes[p.nodes[-1]]["family"] == "Formulation" for p in found)
    assert ID + "disease/breast-cancer" in {p.nodes[1] for p in found}
    assert 0 < len(index.neighbours) < graph.number_of_nodes() / 2
    # what it read is what the graph says: every statement of a hop, either way
    first = found[0]
    a, b = first.nodes[:2]
    stated = {(k, True) for k in graph.succ[a].get(b, {})} | {(k, False) for k in graph.pred[a].get(b, {})}
    assert {(link.predicate, link.forward) for link in index.neighbours[a][b]} == stated


def test_reach_of_a_frozen_graph_is_computed_once(real_store):
    graph = projection(real_store)
    assert nx.is_frozen(graph)
    matrix = reach(graph, "carrier", "step", all_rows=True)
    assert reach(graph, "carrier", "step", all_rows=True) is matrix
    assert reach(graph, "carrier", "step") is not matrix   # other arguments, another matrix
    afresh = reach(graph.copy(), "carrier", "step", all_rows=True)   # not frozen: computed again
    assert afresh is not matrix
    assert (afresh.rows, afresh.cols, afresh.records()) == (matrix.rows, matrix.cols, matrix.records())


def test_remembered_projections_are_frozen_out_of_the_collector(real_store):
    projection_module._MEMORY.clear()
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    graph = projection(real_store)
    assert gc.get_freeze_count() >= graph.number_of_nodes()


def _kg(store: Path, *args: str) -> subprocess.CompletedProcess:
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    return subprocess.run([sys.executable, "-m", "kg", "--store", str(store), *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_kg_leaves_quickly_with_all_its_output_and_its_status(analysis_store_path):
    done = _kg(analysis_store_path, "reach", "--from", "mechanism", "--to", "site", "--format", "json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)   # the whole document arrived (as in tests/test_analysis_cli.py)
    assert {(r["mechanism"], r["site"], r["formulations"], r["best_evidence"]) for r in records} == {
        ("immune activation", "fixture lung", 1, "in vivo (animal)"),
        ("cytotoxicity and apoptosis induction", "fixture liver", 1, "in vitro")}
    failed = _kg(analysis_store_path, "reach", "--from", "nowhere")   # after the projection was read
    assert failed.returncode == 5
    assert "error: unknown axis 'nowhere'" in failed.stderr and "Traceback" not in failed.stderr
