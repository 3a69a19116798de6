"""What the analyses let go of, so that `kg gaps` and the whole-graph `kg view` stay within memory at
millions of triples (docs/PERFORMANCE.md, issue 17): shared path indexes, released projections, the
validation's training graphs, and the lean view — each freed without a pass of the garbage collector,
and each leaving the outputs as they were."""

from __future__ import annotations

import gc
import weakref
from contextlib import contextmanager

import networkx as nx
import pytest

import kg
from kg.analysis import holdout
from kg.analysis import projection as projection_module
from kg.analysis import validate as validate_module
from kg.analysis.paths import PathIndex
from kg.analysis.projection import release
from kg.analysis.projection_build import no_gc
from kg.views import build_view


@contextmanager
def collector_off():
    """Objects freed here were freed by their last reference going, not by a collection."""
    gc.collect()
    with no_gc():
        yield


@pytest.fixture
def fresh_cache(monkeypatch):
    monkeypatch.setattr(projection_module, "_MEMORY", {})


def test_a_shared_path_index_does_not_keep_its_graph_alive(analysis_store_path):
    with kg.open(analysis_store_path) as graph:
        lifted = graph.projection(collapse_studies=True).copy()
    index = PathIndex.of(lifted)
    assert PathIndex.of(lifted) is index and index.graph is lifted
    assert any(index.neighbours[node] for node in lifted), "the index is in use"
    gone = weakref.ref(lifted)
    del lifted, index
    gc.collect()
    assert gone() is None


def test_release_frees_a_remembered_projection_at_once(analysis_store_path, fresh_cache):
    with kg.open(analysis_store_path) as graph:
        full = graph.projection()
        edges, degrees = list(full.edges(keys=True)), dict(full.degree)   # views that point back at it
        gone = weakref.ref(full)
        with collector_off():
            del full
            assert gone() is not None, "remembered"
            release(graph.store, collapse_studies=False)
            assert gone() is None
        again = graph.projection()
        assert list(again.edges(keys=True)) == edges and dict(again.degree) == degrees
        assert graph.projection() is again
        release(graph.store, collapse_studies=True)   # never read: nothing to do


def test_the_validation_frees_each_directions_training_graphs(analysis_store_path, monkeypatch):
    with kg.open(analysis_store_path) as graph:
        full, collapsed = graph.projection(), graph.projection(collapse_studies=True)
    made: list[weakref.ref] = []

    def recorded(*args, **kwargs):
        found = holdout.split(*args, **kwargs)
        made.extend(weakref.ref(g) for g in (found.full, found.collapsed))
        return found

    expected = validate_module.validate((full, collapsed), permutations=2, samples=50)
    monkeypatch.setattr(validate_module, "split", recorded)
    with collector_off():
        found = validate_module.validate((full, collapsed), permutations=2, samples=50)
        assert len(made) == 4 and all(ref() is None for ref in made)
    assert repr([r.record() for r in found.results]) == repr([r.record() for r in expected.results])
    assert repr(found.decisions) == repr(expected.decisions)


def test_a_lean_view_is_the_same_page_and_lets_the_full_projection_go(analysis_store_path, fresh_cache):
    with kg.open(analysis_store_path) as graph:
        fingerprint = graph.store.manifest()["fingerprint"]
        page = build_view(graph).html
        assert (fingerprint, False) in projection_module._MEMORY, "kept for the session by default"
        assert build_view(graph, lean=True).html == page
        assert (fingerprint, False) not in projection_module._MEMORY
        assert (fingerprint, True) in projection_module._MEMORY
        focused = build_view(graph, focus="FX lipo A").html
        assert build_view(graph, focus="FX lipo A", lean=True).html == focused
        assert (fingerprint, False) in projection_module._MEMORY, "only the whole graph lets it go"
        assert nx.is_frozen(graph.projection())
