"""The paths that make the analyses fast on large graphs give what the plain ones give: bulk query results,
projections from an on-disk store and from ``kg build``'s cache, lifting an induced subgraph, and the
betweenness chosen by size."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import networkx as nx
import pytest

import kg.analysis.projection as projection_module
import kg.build.pipeline as pipeline
from kg.analysis import betweenness
from kg.analysis.hierarchy import lift_to_families
from kg.analysis.hubs import hub_analysis
from kg.analysis.projection import build_projection, projection
from kg.analysis.projection_build import (
    CITED_NODES_QUERY,
    EDGES_QUERY,
    EVIDENCE_QUERY,
    NODES_QUERY,
    STATEMENT_SOURCES_QUERY,
)
from kg.build.pipeline import build
from kg.core.locations import Sources
from kg.core.schema import HIERARCHICAL_TYPES
from kg.store.base import Store
from kg.store.oxigraph_backend import OxigraphStore

ANALYSIS = Path(__file__).parent / "data" / "analysis"
QUERIES = [NODES_QUERY, EDGES_QUERY, CITED_NODES_QUERY, EVIDENCE_QUERY, STATEMENT_SOURCES_QUERY]


def _everything(graph: nx.MultiDiGraph) -> tuple[list, list]:
    """Nodes and links with their attributes, in the graph's order."""
    return list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))


@pytest.mark.parametrize("query", QUERIES)
def test_bulk_values_are_the_terms_values(real_store_path, query):
    with OxigraphStore.open(real_store_path, in_memory=False) as store:
        names, rows = store.select(query)
        bulk_names, bulk = store.select_values(query)
        generic = Store._select_values(store, store._prepare(query, None))[1]  # the backend-neutral way
    expected = [tuple(row[n].value if n in row else None for n in names) for row in rows]
    assert bulk_names == names and bulk == expected == generic
    assert rows, "the curated KG answers every projection query"


def test_bulk_values_keep_escapes_and_kinds():
    import pyoxigraph as ox

    raw = ox.Store()
    raw.update('INSERT DATA { <http://a> <http://p> "tab\\there \\"q\\" back\\\\slash"@en , 7 , '
               '"x"^^<http://t> , "é\\nnew line" }')
    store = OxigraphStore(raw)
    _, rows = store.select_values("SELECT ?o ?none WHERE { <http://a> ?p ?o OPTIONAL { ?o ?q ?none } }")
    assert sorted(rows) == sorted([('tab\there "q" back\\slash', None), ("7", None), ("x", None),
                                   ("é\nnew line", None)])


def test_an_on_disk_store_is_projected_from_its_snapshot(analysis_store_path):
    with OxigraphStore.open(analysis_store_path, in_memory=False) as disk:
        assert disk.bulk_reader() is not disk
        from_disk = build_projection(disk, collapse_studies=True)
    with OxigraphStore.open(analysis_store_path, in_memory=True) as memory:
        assert memory.bulk_reader() is memory
        in_memory = build_projection(memory, collapse_studies=True)
    assert sorted(map(repr, _everything(from_disk)[1])) == sorted(map(repr, _everything(in_memory)[1]))


def test_build_caches_the_projections_of_a_large_graph(tmp_path, monkeypatch):
    triples = tmp_path / "triples"
    shutil.copytree(ANALYSIS, triples)
    store_path = tmp_path / "store"
    monkeypatch.setattr(pipeline, "PROJECT_ABOVE", 0)  # the fixture counts as large
    build(store_path, Sources.default(triples=triples))
    caches = sorted(p.name.rsplit("-", 1)[1] for p in tmp_path.glob(".store.projection-*.pickle"))
    assert caches == ["collapsed.pickle", "full.pickle"]
    monkeypatch.setattr(projection_module, "_MEMORY", {})

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the cache kg build wrote should have been read")

    with OxigraphStore.open(store_path) as store:
        fresh = [build_projection(store), build_projection(store, collapse_studies=True)]
        monkeypatch.setattr(projection_module, "build_projections", no_rebuild)
        cached = [projection(store), projection(store, collapse_studies=True)]
    for ours, theirs in zip(cached, fresh, strict=True):
        assert _everything(ours) == _everything(theirs)


def test_lifting_an_induced_subgraph_is_lifting_its_view(analysis_store):
    graph = projection(analysis_store, collapse_studies=True)
    within = [n for n in graph if random.Random(len(n)).random() < 0.7]
    lifted = lift_to_families(graph, *HIERARCHICAL_TYPES, within=within)
    expected = lift_to_families(graph.subgraph(within), *HIERARCHICAL_TYPES)
    assert _everything(lifted) == _everything(expected)
    assert lifted.number_of_edges() > 0


def test_betweenness_is_exact_on_a_small_graph_and_estimated_above():
    assert betweenness.choose(650).pivots is None
    assert betweenness.choose(650, samples=10).pivots == 10
    large = betweenness.choose(betweenness.EXACT_UP_TO + 1)
    assert large.pivots is not None and 0 < large.bound < 0.2
    assert "Hoeffding" in large.describe() and str(large.pivots) in large.describe()
    # the bound is Hoeffding's for k terms in [0, n/(n-1)] at 95 %: with 100 pivots on a big graph, ±0.136
    assert betweenness.Betweenness(10**6, 100, "networkx").bound == pytest.approx(0.1358, abs=1e-4)


def test_the_estimate_is_networkx_pivot_estimate_when_igraph_runs_it():
    pytest.importorskip("igraph")
    graph = nx.relabel_nodes(nx.barabasi_albert_graph(400, 3, seed=1), str)
    ours = betweenness._igraph_estimate(graph, 60)
    theirs = nx.betweenness_centrality(graph, k=60, seed=0)
    top = sorted(theirs, key=theirs.get, reverse=True)[:10]
    # the same hubs come out on top (near-ties may swap places: igraph counts pivot pairs once)
    assert set(sorted(ours, key=ours.get, reverse=True)[:10]) >= set(top[:5])
    # pairs of two pivots are counted once by igraph, twice by NetworkX: a difference of O(k / n)
    assert max(abs(ours[n] - theirs[n]) for n in graph) < 0.15 * max(theirs.values())


def test_hubs_say_which_betweenness_they_used(analysis_store):
    found = hub_analysis(analysis_store)
    assert found.betweenness.describe() == "exact (NetworkX)"
    assert found.scores
