"""The ontology itself: every term documented, the Python namespace in sync, hierarchies usable."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.core.locations import Sources
from kg.core.namespaces import NMO
from kg.core.prefixes import NMO as NMO_IRI


def _ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in Sources.default().ontology_files():
        graph.parse(path)
    return graph


def test_defined_namespace_matches_ontology():
    graph = _ontology()
    declared = {str(s)[len(NMO_IRI):] for s in graph.subjects() if str(s).startswith(NMO_IRI)}
    in_python = {name for name in NMO.__annotations__}
    assert declared == in_python


def test_every_term_has_label_and_definition():
    graph = _ontology()
    terms = set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, OWL.ObjectProperty)) \
        | set(graph.subjects(RDF.type, OWL.DatatypeProperty)) | set(graph.subjects(RDF.type, SKOS.Concept))
    terms |= {s for s in graph.subjects(SKOS.inScheme, None)}
    missing = [str(t) for t in terms
               if graph.value(t, RDFS.label) is None or graph.value(t, SKOS.definition) is None]
    assert terms and not missing


def test_ontology_header():
    graph = _ontology()
    onto = rdflib.URIRef("https://w3id.org/nanomet-kg/ontology")
    assert graph.value(onto, OWL.versionIRI) is not None
    assert graph.value(onto, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None


def test_cascade_is_a_partial_order_with_alternative_routes():
    graph = _ontology()
    step = rdflib.Namespace("https://w3id.org/nanomet-kg/id/step/")
    edges = {(s, o) for s, o in graph.subject_objects(NMO.precedes)}
    import networkx as nx

    dag = nx.DiGraph(list(edges))
    assert nx.is_directed_acyclic_graph(dag)
    assert nx.has_path(dag, step["primary-tumour-growth"], step.macrometastasis)
    # lymphatic and transcoelomic routes branch off invasion and bypass intravasation
    for route in (step["lymphatic-dissemination"], step["transcoelomic-spread"]):
        assert (step["local-invasion"], route) in edges
        assert not nx.has_path(dag, step.intravasation, route)
    assert (step.colonization, step.dormancy) in set(graph.subject_objects(NMO.reversibleWith))


def test_family_query_includes_members(mini_store):
    """A query for a carrier family returns formulations built on its sub-types."""
    query = """
        SELECT ?label WHERE {
          ?f a nmo:Formulation ; rdfs:label ?label ; nmo:hasCarrier/skos:broader* ?family .
        } ORDER BY ?label"""
    for family, expected in [
        ("polymeric-nanocarrier", ["Fixture PLGA-HA"]),
        ("lipid-based-nanocarrier", ["Fixture liposome"]),
        ("nanocarrier", ["Fixture PLGA-HA", "Fixture liposome"]),
        ("inorganic-nanoparticle", []),
    ]:
        iri = __import__("pyoxigraph").NamedNode(f"https://w3id.org/nanomet-kg/id/carrier/{family}")
        _, rows = mini_store.select(query, {"family": iri})
        assert [r["label"].value for r in rows] == expected, family
