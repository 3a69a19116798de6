"""One handle: the KG of ``kg.open()`` is what the analyses, views and CLI take. Its projections are cached
and handed out frozen, and nothing in kg changes them; ``kg.open(build_missing=True)`` builds a missing
store and touches nothing else; the analysis commands and ``stats`` honour ``--backend``.

Expected values come from the hand-made analysis fixture (tests/data/analysis/fixture.ttl): FX lipo A is
a PEGylated liposome targeting FX-T1, which is involved in extravasation (see tests/test_reach_gaps.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import kg
import kg.analysis.projection as projection_module
from kg.analysis import gaps
from kg.analysis.dwpc import dwpc
from kg.analysis.hubs import hubs
from kg.analysis.paths import PathIndex, find_paths, hop_distance
from kg.analysis.projection import as_graph, build_projection, projection
from kg.analysis.reach import reach, support
from kg.cli import main
from kg.core.errors import StoreError
from kg.core.locations import Sources
from kg.store.oxigraph_backend import MANIFEST, OxigraphStore
from kg.views import build_view

ANALYSIS = Path(__file__).parent / "data" / "analysis"
ID = "https://w3id.org/nanomet-kg/id/"
LIPO_A, T1 = ID + "formulation/fx-lipo-a", ID + "target/fx-t1"
PEG_LIPOSOME, EXTRAVASATION = ID + "carrier/pegylated-liposome", ID + "step/extravasation"
VIA_TARGET = ("CarrierType", "Formulation", "Target", "CascadeStep")


def _same(graph: nx.MultiDiGraph, other: nx.MultiDiGraph) -> None:
    """Equal nodes, edges and every attribute."""
    assert sorted(graph.nodes(data=True)) == sorted(other.nodes(data=True))
    assert sorted(graph.edges(keys=True, data=True)) == sorted(other.edges(keys=True, data=True))


@pytest.fixture
def fresh_cache(monkeypatch):
    monkeypatch.setattr(projection_module, "_MEMORY", {})


def test_the_handle_gives_the_cached_frozen_projection(analysis_store_path, fresh_cache):
    with kg.open(analysis_store_path) as graph:
        full, collapsed = graph.projection(), graph.projection(collapse_studies=True)
        assert full is projection(graph.store) and collapsed is not full
        assert nx.is_frozen(full) and nx.is_frozen(collapsed)
        with pytest.raises(nx.NetworkXError, match="Frozen graph"):
            full.add_edge(LIPO_A, EXTRAVASATION, key="nmo:addressesStep")
        with pytest.raises(nx.NetworkXError, match="Frozen graph"):
            collapsed.remove_node(LIPO_A)
        again = graph.projection()
        assert again is full and not again.has_edge(LIPO_A, EXTRAVASATION) and LIPO_A in collapsed
        _same(again, build_projection(graph.store))
        changed = full.copy()  # a copy is the caller's own
        changed.remove_node(LIPO_A)
        assert LIPO_A in graph.projection()


def test_projections_from_disk_and_uncached_ones_are_frozen_too(analysis_store_path, fresh_cache,
                                                                monkeypatch):
    with kg.open(analysis_store_path) as graph:
        built = graph.projection()
        monkeypatch.setattr(projection_module, "_MEMORY", {})
        from_disk = graph.projection()
        assert from_disk is not built and nx.is_frozen(from_disk)
        _same(from_disk, built)
        memory = OxigraphStore.in_memory(graph.store.triples())  # no fingerprint: built on every call
    assert nx.is_frozen(projection(memory))


def test_analyses_take_the_handle_a_store_or_a_graph(analysis_store_path, fresh_cache):
    with kg.open(analysis_store_path) as graph:
        full, collapsed = graph.projection(), graph.projection(collapse_studies=True)
        expected_paths = find_paths(collapsed, PEG_LIPOSOME, EXTRAVASATION, metapath=VIA_TARGET)
        assert expected_paths, "PEG liposome ← FX lipo A → FX-T1 → extravasation"
        ranked, lifted = gaps.hypotheses(full, collapsed)
        hypotheses = [h.record(lifted) for h in ranked]
        assert hypotheses[0]["carrier_family"] == "lipid-based nanocarrier"
        for source in (graph, graph.store):
            assert as_graph(source) is full and as_graph(source, collapse_studies=True) is collapsed
            matrix = reach(source, "carrier", "step", via="target")
            assert matrix.records() == reach(full, "carrier", "step", via="target").records() != []
            assert support(source, "step") == support(full, "step")
            assert hubs(source) == hubs(collapsed)  # hubs: the collapsed projection
            assert gaps.white_space(source) == gaps.white_space(full)
            assert gaps.weak_evidence(source) == gaps.weak_evidence(full)
            assert gaps.unaddressed_biology(source) == gaps.unaddressed_biology(full)
            assert gaps.unspecific_nodes(source) == {ID + "carrier/nanocarrier"}
            ranked, lifted = gaps.hypotheses(source)
            assert [h.record(lifted) for h in ranked] == hypotheses
            assert find_paths(source, PEG_LIPOSOME, EXTRAVASATION, metapath=VIA_TARGET) == expected_paths
            assert PathIndex(source).graph is collapsed
            assert hop_distance(source, LIPO_A, T1) == 1
            assert dwpc(source, PEG_LIPOSOME, EXTRAVASATION, VIA_TARGET).dwpc == \
                dwpc(collapsed, PEG_LIPOSOME, EXTRAVASATION, VIA_TARGET).dwpc > 0


def test_what_is_not_a_graph_is_a_clear_type_error(analysis_store_path, fresh_cache):
    with pytest.raises(TypeError, match="not PosixPath"):
        reach(analysis_store_path, "carrier", "step")
    with kg.open(analysis_store_path) as graph:
        with pytest.raises(TypeError, match="needs the collapsed projection too"):
            gaps.hypotheses(graph.projection())


def test_nothing_in_kg_changes_a_cached_projection(analysis_store_path, fresh_cache):
    """Every analysis and every kind of view, on the cached projections; then they equal a fresh build,
    attributes included (the freeze blocks structural changes only)."""
    with kg.open(analysis_store_path) as graph:
        full, collapsed = graph.projection(), graph.projection(collapse_studies=True)
        reach(graph, "carrier", "mechanism", all_rows=True, all_cols=True)
        hubs(graph)
        gaps.white_space(graph), gaps.weak_evidence(graph), gaps.unaddressed_biology(graph)
        ranked, _ = gaps.hypotheses(graph)
        assert ranked
        views = [build_view(graph), build_view(graph, max_nodes=10), build_view(graph, focus="FX-T1"),
                 build_view(graph, focus="FX lipo A", studies=True),
                 build_view(graph, paths=("FX lipo A", "extravasation")),
                 build_view(graph, query="formulations-by-target", params={"target": "FX-T1"})]
        assert "families" in " ".join(views[1].notes), "the small view lifted the hierarchies"
        assert all(v.nodes for v in views)
        assert graph.projection() is full and graph.projection(collapse_studies=True) is collapsed
        _same(full, build_projection(graph.store))
        _same(collapsed, build_projection(graph.store, collapse_studies=True))


def test_open_builds_a_missing_store_only_when_asked(tmp_path, mini_sources):
    path = tmp_path / "store"
    with pytest.raises(StoreError, match="run `kg build` first"):
        kg.open(path, sources=mini_sources)
    assert not path.exists()
    with kg.open(path, backend="rdflib", sources=mini_sources, build_missing=True):
        assert not path.exists(), "rdflib needs no store"
    with kg.open(path, sources=mini_sources, build_missing=True) as graph:
        assert graph.query("search", text="fixture")
        triples = len(graph.store)
    manifest = (path / MANIFEST).read_text()
    assert json.loads(manifest)["triples"] == triples
    with kg.open(path, build_missing=True) as graph:  # there now: opened as it is (not rebuilt from the
        assert len(graph.store) == triples            # default sources, the curated graph)
    assert (path / MANIFEST).read_text() == manifest
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("not a store")
    with pytest.raises(StoreError, match="no built store"):
        kg.open(mine, build_missing=True)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


# ------------------------------------------------------------------------ the CLI honours --backend

@pytest.fixture
def rdflib_data(tmp_path, monkeypatch):
    """NANOMET_KG_DATA: the ontology and the analysis fixture, which `--backend rdflib` parses."""
    sources = Sources.default(triples=ANALYSIS)
    shutil.copytree(sources.ontology, tmp_path / "data-root" / "ontology")
    shutil.copytree(sources.triples, tmp_path / "data-root" / "data" / "triples")
    monkeypatch.setenv("NANOMET_KG_DATA", str(tmp_path / "data-root"))
    monkeypatch.delenv("NANOMET_KG_ENDPOINT", raising=False)


@pytest.mark.parametrize("args", [
    ["paths", "FX lipo A", "extravasation", "--format", "json"],
    ["hubs", "--format", "csv", "--top", "100"],
    ["gaps", "--format", "json"],
], ids=["paths", "hubs", "gaps"])
def test_analysis_commands_run_on_rdflib(rdflib_data, analysis_store_path, tmp_path, args):
    parsed = CliRunner().invoke(main, ["--store", str(tmp_path / "no-store"), "--backend", "rdflib", *args])
    built = CliRunner().invoke(main, ["--store", str(analysis_store_path), *args])
    assert parsed.exit_code == 0, parsed.output
    assert parsed.stdout == built.stdout and "FX" in parsed.stdout


def test_stats_runs_on_rdflib(rdflib_data, analysis_store_path, tmp_path):
    parsed = CliRunner().invoke(main, ["--store", str(tmp_path / "no-store"), "--backend", "rdflib", "stats"])
    built = CliRunner().invoke(main, ["--store", str(analysis_store_path), "stats"])
    assert parsed.exit_code == 0, parsed.output
    header, summary = parsed.stdout.split("\n", 1)
    assert header == "rdflib: the Turtle sources, parsed now (no build date)"
    assert built.stdout.startswith(f"store: {analysis_store_path} (built 20")
    assert summary == built.stdout.split("\n", 1)[1] and "triples: " in summary


def test_reach_on_rdflib_is_the_same_matrix_on_the_curated_kg(real_store_path, tmp_path, monkeypatch):
    monkeypatch.delenv("NANOMET_KG_DATA", raising=False)  # the shipped sources, which real_store_path holds
    args = ["reach", "--from", "carrier", "--to", "step", "--via", "target", "--format", "csv"]
    parsed = CliRunner().invoke(main, ["--store", str(tmp_path / "no-store"), "--backend", "rdflib", *args])
    built = CliRunner().invoke(main, ["--store", str(real_store_path), *args])
    assert parsed.exit_code == 0, parsed.output
    assert parsed.stdout == built.stdout
    assert len(built.stdout.splitlines()) > 5 and "lipid-based nanocarrier" in built.stdout
