"""`kg build` and the rdflib backend store the rdf:type superclass closure, so that `?t a nmo:Target` finds
molecular targets and cell populations as a SPARQL user expects; what a node was curated as (its most
specific class) is still what the projection, the resolver's messages and the search query show."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.analysis.projection import build_projection
from kg.core.errors import QueryError
from kg.core.prefixes import NMO
from kg.query.handle import KG
from kg.query.resolve import resolve
from kg.query.stats import summarize
from kg.store.rdflib_backend import RdflibStore

DIRECT = "SELECT (COUNT(DISTINCT ?node) AS ?n) WHERE { ?node a ?class }"
VIA_HIERARCHY = "SELECT (COUNT(DISTINCT ?node) AS ?n) WHERE { ?node a/rdfs:subClassOf* ?class }"
CLASSES = "SELECT DISTINCT ?class WHERE { ?class a owl:Class FILTER(STRSTARTS(STR(?class), STR(nmo:))) }"


def _count(store, query: str, cls) -> int:
    return int(store.select(query, {"class": cls})[1][0]["n"].value)


@pytest.fixture(scope="module")
def rdflib_query_store(query_sources):
    return RdflibStore.from_sources(query_sources)


def test_a_superclass_finds_every_member_on_both_backends(query_store, rdflib_query_store):
    for store in (query_store, rdflib_query_store):
        classes = [r["class"] for r in store.select(CLASSES)[1]]
        assert len(classes) > 20
        for cls in classes:
            assert _count(store, DIRECT, cls) == _count(store, VIA_HIERARCHY, cls), (store.name, cls.value)
        graph = KG(store)
        # the fixture's CXCR4 is curated as a molecular target (tests/data/queries/extra.ttl)
        assert graph.sparql("ASK { target:cxcr4 a nmo:Target }") is True
        assert graph.sparql("ASK { agent:doxorubicin a nmo:Agent }") is True


def test_the_closure_counts_like_the_stats(real_store):
    """On the curated KG, `?t a nmo:Target` finds every target `kg stats` counts (subclasses included),
    not only the few curated as plain nmo:Target; likewise for every class."""
    by_class = dict(summarize(real_store).classes)
    assert by_class["Target"] > by_class["MolecularTarget"] > 0 and by_class["CellPopulation"] > 0
    for name, n in by_class.items():
        assert _count(real_store, DIRECT, ox.NamedNode(NMO + name)) == n, name
    assert real_store.manifest()["triples"] == len(real_store)


def test_projection_keeps_the_most_specific_classes(query_store):
    graph = build_projection(query_store)
    cxcr4 = graph.nodes["https://w3id.org/nanomet-kg/id/target/cxcr4"]
    assert (cxcr4["type"], cxcr4["types"]) == ("MolecularTarget", ["MolecularTarget"])
    assert cxcr4["family"] == "Target"
    amd3100 = graph.nodes["https://w3id.org/nanomet-kg/id/agent/amd3100"]  # curated as two classes
    assert amd3100["types"] == ["SmallMolecule", "TargetingLigand"]


def test_messages_and_search_show_the_curated_class(query_store):
    with pytest.raises(QueryError) as err:
        resolve(query_store, "tnf alpha")
    assert "target:tnf-alpha, MolecularTarget)" in str(err.value)
    rows = KG(query_store).query("search", text="cxcr4").rows
    assert [(r["name"], r["class"]) for r in rows] == [("CXCR4", "molecular target")]
