"""The NetworkX projection: node and edge attributes, folded studies, and its caches (memory and disk)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg.analysis.projection as projection_module
from kg.analysis.projection import build_projection, projection
from kg.build.pipeline import build
from kg.core.locations import Sources
from kg.store import open_store

ANALYSIS = Path(__file__).parent / "data" / "analysis"
ID = "https://w3id.org/nanomet-kg/id/"
LIPO_A, LIPO_B = ID + "formulation/fx-lipo-a", ID + "formulation/fx-lipo-b"


def test_nodes_carry_type_family_label_and_rank(analysis_store):
    graph = build_projection(analysis_store)
    t1 = graph.nodes[ID + "target/fx-t1"]
    assert (t1["label"], t1["type"], t1["family"]) == ("FX-T1", "MolecularTarget", "Target")
    drug = graph.nodes[ID + "agent/fx-drug"]
    assert (drug["type"], drug["family"]) == ("SmallMolecule", "Agent")
    assert graph.nodes[ID + "step/extravasation"]["rank"] == 6
    assert graph.nodes[ID + "evidence/clinical-phase-2"]["rank"] == 6
    assert not any(n.startswith("https://w3id.org/nanomet-kg/ontology#") for n in graph), "no schema nodes"


def test_edges_carry_the_sources_they_rest_on(analysis_store):
    graph = build_projection(analysis_store)
    study = graph.edges[ID + "study/fx-s2", ID + "step/macrometastasis", "nmo:addressesStep"]
    assert study["sources"] == ["NH2026 l.10-12 [2]"]
    assert (study["evidence"], study["evidence_label"]) == (1, "in vitro")
    # what lipo A is made of rests on the places its sourced statements name: the carrier on both
    # reviews', the cargo on NH2026's alone (though CMR2022 describes lipo A too)
    carrier = graph.edges[LIPO_A, ID + "carrier/pegylated-liposome", "nmo:hasCarrier"]
    assert carrier["sources"] == ["CMR2022 §2 [1]", "NH2026 l.10-12 [2]"]
    cargo = graph.edges[LIPO_A, ID + "agent/fx-drug", "nmo:hasCargo"]
    assert cargo["sources"] == ["NH2026 l.10-12 [2]"]
    background = graph.edges[ID + "agent/fx-drug", ID + "target/fx-t2", "nmo:actsOn"]
    assert background["sources"] == ["CMR2022 §5 [7]"]
    broader = graph.edges[ID + "carrier/pegylated-liposome", ID + "carrier/liposome", "skos:broader"]
    assert broader["sources"] == ["(vocabulary)"]


def test_collapsed_studies_become_formulation_links(analysis_store):
    graph = build_projection(analysis_store, collapse_studies=True)
    assert not [n for n, d in graph.nodes(data=True) if d["type"] == "Study"]
    step = graph.edges[LIPO_A, ID + "step/macrometastasis", "nmo:addressesStep"]
    assert step["studies"] == [ID + "study/fx-s2"]
    assert (step["evidence"], step["evidence_label"]) == (1, "in vitro")
    # two studies of lipo A name an evidence level: one edge each, lipo A → level
    levels = {v for _, v, k in graph.out_edges(LIPO_A, keys=True) if k == "nmo:evidenceLevel"}
    assert levels == {ID + "evidence/in-vivo-animal", ID + "evidence/in-vitro"}
    assert not graph.has_edge(LIPO_A, ID + "source/NH2026"), "provenance stays on the edges"


def test_memory_and_disk_cache(analysis_store, monkeypatch):
    monkeypatch.setattr(projection_module, "_MEMORY", {})
    first = projection(analysis_store)
    assert projection(analysis_store) is first
    cached = list(analysis_store.path.parent.glob(f".{analysis_store.path.name}.projection-*-full.pickle"))
    assert len(cached) == 1
    monkeypatch.setattr(projection_module, "_MEMORY", {})

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the disk cache should have been read")

    monkeypatch.setattr(projection_module, "build_projection", no_rebuild)
    monkeypatch.setattr(projection_module, "build_projections", no_rebuild)
    from_disk = projection(analysis_store)
    assert from_disk is not first
    assert sorted(from_disk.edges(keys=True)) == sorted(first.edges(keys=True))


def test_a_rebuilt_store_gets_a_new_projection(tmp_path, monkeypatch):
    monkeypatch.setattr(projection_module, "_MEMORY", {})
    triples = tmp_path / "triples"
    shutil.copytree(ANALYSIS, triples)
    store_path = tmp_path / "store"
    build(store_path, Sources.default(triples=triples))
    with open_store(store_path) as store:
        before = projection(store)
    assert ID + "formulation/fx-new" not in before
    (triples / "more.ttl").write_text("""
@prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/nanomet-kg/id/formulation/fx-new> a nmo:Formulation ; rdfs:label "FX new" ;
    nmo:hasCarrier <https://w3id.org/nanomet-kg/id/carrier/dendrimer> .
<https://w3id.org/nanomet-kg/id/study/fx-new> a nmo:Study ; rdfs:label "FX new study" ;
    nmo:evaluates <https://w3id.org/nanomet-kg/id/formulation/fx-new> ;
    nmo:evidenceLevel <https://w3id.org/nanomet-kg/id/evidence/in-vitro> ;
    nmo:sourceDocument <https://w3id.org/nanomet-kg/id/source/CMR2022> ; nmo:section "3" .
[] a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> ;
    <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <https://w3id.org/nanomet-kg/id/formulation/fx-new> ;
    <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> nmo:hasCarrier ;
    <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <https://w3id.org/nanomet-kg/id/carrier/dendrimer> ;
    nmo:sourceDocument <https://w3id.org/nanomet-kg/id/source/CMR2022> ; nmo:section "3" .
""")
    build(store_path, Sources.default(triples=triples))
    with open_store(store_path) as store:
        after = projection(store)
    assert ID + "formulation/fx-new" in after
    caches = list(tmp_path.glob(".store.projection-*-full.pickle"))
    assert len(caches) == 1, "the old store's cache is removed when the new one is written"


def test_an_unreadable_disk_cache_is_rebuilt(analysis_store, monkeypatch):
    monkeypatch.setattr(projection_module, "_MEMORY", {})
    projection(analysis_store, collapse_studies=True)
    (cache,) = analysis_store.path.parent.glob(f".{analysis_store.path.name}.projection-*-collapsed.pickle")
    cache.write_bytes(b"not a pickle")
    monkeypatch.setattr(projection_module, "_MEMORY", {})
    graph = projection(analysis_store, collapse_studies=True)
    assert LIPO_B in graph
    assert cache.read_bytes() != b"not a pickle", "the cache is written again"


def test_a_store_without_fingerprint_is_not_cached(analysis_store):
    from kg.store.oxigraph_backend import OxigraphStore

    memory = OxigraphStore.in_memory(analysis_store.triples())
    assert projection(memory) is not projection(memory)
    assert LIPO_A in projection(memory)


@pytest.mark.parametrize("collapse", [False, True])
def test_every_edge_has_a_predicate_and_sources(analysis_store, collapse):
    graph = build_projection(analysis_store, collapse)
    for _, _, key, data in graph.edges(keys=True, data=True):
        assert data["pred"] == key
        assert isinstance(data["sources"], list)
