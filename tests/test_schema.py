"""The Python model (kg.core.schema, kg.core.biolink) against ontology/*.ttl, both ways.

A class or object property added to the ontology but not placed in kg/core/schema.py (or not mapped to
Biolink in kg/core/biolink.py) fails here with a message naming the term; so does a name in Python that
the ontology does not declare. The other tests feed altered copies of the ontology to the same check.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.core import schema
from kg.core.biolink import BIOLINK_CATEGORY, BIOLINK_PREDICATE
from kg.core.locations import Sources
from kg.core.prefixes import NMO

# Terms of other vocabularies that the schema names (not declared in ontology/).
EXTERNAL_TERMS = {"skos:broader"}
# The domain an object property must have (if it declares one) to belong to a part of the schema.
PART_DOMAINS = {"composition": "Formulation", "study": "Study"}


def parse(files: Iterable[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return parse(Sources.default().ontology_files())


def _term(name: str) -> rdflib.URIRef:
    return rdflib.URIRef(NMO + name)


def _local(term) -> str | None:
    return str(term)[len(NMO):] if isinstance(term, rdflib.URIRef) and str(term).startswith(NMO) else None


def _declared(graph: rdflib.Graph, kind) -> set[str]:
    """Local names of the nmo: terms declared as ``kind``."""
    return {name for s in graph.subjects(RDF.type, kind) if (name := _local(s)) is not None}


def _class_names() -> dict[str, set[str]]:
    """Where the schema names a class → the names."""
    return {
        "schema.TYPE_ORDER": set(schema.TYPE_ORDER), "schema.NOT_NODE_TYPES": set(schema.NOT_NODE_TYPES),
        "schema.FAMILY": set(schema.FAMILY) | set(schema.FAMILY.values()),
        "schema.QUALIFIER_TYPES": set(schema.QUALIFIER_TYPES), "schema.CITED_TYPES": set(schema.CITED_TYPES),
        "schema.HIERARCHICAL_TYPES": set(schema.HIERARCHICAL_TYPES),
        "schema.SHORT_NAMES": set(schema.SHORT_NAMES.values()),
        "schema.AXES": {a.node_type for a in schema.AXES.values()},
        "biolink.BIOLINK_CATEGORY": set(BIOLINK_CATEGORY),
    }


def _predicate_curies() -> dict[str, set[str]]:
    """Where the schema names a property → the CURIEs."""
    return {
        "schema (constants)": {v for k, v in vars(schema).items()
                               if k.isupper() and isinstance(v, str) and v.startswith(("nmo:", "skos:"))},
        "schema.PREDICATE_PARTS": set(schema.ENTITY_PREDICATES),
        "schema.NOT_PROJECTED_PREDICATES": set(schema.NOT_PROJECTED_PREDICATES),
        "schema.VIEW_GROUPS": {p for ps in schema.VIEW_GROUPS.values() for p in ps},
        "schema.AXES": {p for a in schema.AXES.values() for p in a.predicates},
        "biolink.BIOLINK_PREDICATE": set(BIOLINK_PREDICATE),
    }


def _class_problems(graph: rdflib.Graph, classes: set[str]) -> list[str]:
    problems = []
    parents = {c: {p for o in graph.objects(_term(c), RDFS.subClassOf) if (p := _local(o)) in classes}
               for c in classes}

    def tops(c: str, seen: frozenset[str] = frozenset()) -> set[str]:
        ups = parents[c] - seen
        return set().union(*(tops(p, seen | {c}) for p in ups)) if ups else {c}

    order = {t: i for i, t in enumerate(schema.TYPE_ORDER)}
    for c in sorted(classes):
        if c not in order and c not in schema.NOT_NODE_TYPES:
            problems.append(f"nmo:{c} is an owl:Class of the ontology but is neither in "
                            f"kg.core.schema.TYPE_ORDER nor in NOT_NODE_TYPES")
        if c not in BIOLINK_CATEGORY:
            problems.append(f"nmo:{c} has no Biolink category in kg.core.biolink.BIOLINK_CATEGORY")
        if tops(c) != {schema.FAMILY.get(c, c)}:
            problems.append(f"nmo:{c} belongs to {', '.join(sorted(tops(c)))} in the ontology but to "
                            f"{schema.FAMILY.get(c, c)} in kg.core.schema.FAMILY")
        for p in sorted(parents[c]):
            if c in order and p in order and order[c] > order[p]:
                problems.append(f"nmo:{c} comes after its superclass nmo:{p} in kg.core.schema.TYPE_ORDER "
                                f"(most specific first)")
    return problems


def _property_problems(graph: rdflib.Graph, object_properties: set[str]) -> list[str]:
    problems = []
    view_grouped = {p for ps in schema.VIEW_GROUPS.values() for p in ps}
    for name in sorted(object_properties):
        curie = f"nmo:{name}"
        parts = [part for part, ps in schema.PREDICATE_PARTS.items() if curie in ps]
        parts += ["NOT_PROJECTED_PREDICATES"] if curie in schema.NOT_PROJECTED_PREDICATES else []
        if not parts:
            problems.append(f"{curie} is an owl:ObjectProperty of the ontology but is not classified in "
                            f"kg.core.schema (PREDICATE_PARTS or NOT_PROJECTED_PREDICATES)")
        elif len(parts) > 1:
            problems.append(f"{curie} is classified more than once in kg.core.schema: {', '.join(parts)}")
        if curie not in BIOLINK_PREDICATE:
            problems.append(f"{curie} has no Biolink predicate in kg.core.biolink.BIOLINK_PREDICATE")
        if curie in schema.ENTITY_PREDICATES and curie not in view_grouped:
            problems.append(f"{curie} is projected but in no group of kg.core.schema.VIEW_GROUPS")
        domains = {_local(d) or str(d) for d in graph.objects(_term(name), RDFS.domain)}
        for part in parts:
            if part in PART_DOMAINS and domains and domains != {PART_DOMAINS[part]}:
                problems.append(f"{curie} is in the {part} part of kg.core.schema.PREDICATE_PARTS but its "
                                f"domain is {', '.join(f'nmo:{d}' for d in sorted(domains))}")
    return problems


def schema_problems(graph: rdflib.Graph) -> list[str]:
    """Every mismatch between the ontology in ``graph`` and the Python model, one message per term."""
    classes = _declared(graph, OWL.Class)
    object_properties = _declared(graph, OWL.ObjectProperty)
    properties = object_properties | _declared(graph, OWL.DatatypeProperty) \
        | _declared(graph, OWL.AnnotationProperty)
    problems = []
    for where, names in _class_names().items():
        problems += [f"nmo:{n} (in kg.core.{where}) is not an owl:Class of the ontology"
                     for n in sorted(names - classes)]
    for where, curies in _predicate_curies().items():
        problems += [f"{c} (in kg.core.{where}) is not a property of the ontology"
                     for c in sorted(curies - EXTERNAL_TERMS)
                     if not (c.startswith("nmo:") and c[4:] in properties)]
    return problems + _class_problems(graph, classes) + _property_problems(graph, object_properties)


def _copy(graph: rdflib.Graph) -> rdflib.Graph:
    copy = rdflib.Graph()
    copy += graph
    return copy


def test_the_python_model_matches_the_ontology(ontology):
    assert schema_problems(ontology) == []


def test_an_object_property_missing_from_python_is_named(tmp_path):
    for path in Sources.default().ontology_files():
        shutil.copy(path, tmp_path / path.name)
    with (tmp_path / "nanomet.ttl").open("a", encoding="utf-8") as file:
        file.write('\nnmo:fakeLink a owl:ObjectProperty ; rdfs:label "fake link" ; rdfs:domain nmo:Study .\n')
    problems = schema_problems(parse(sorted(tmp_path.glob("*.ttl"))))
    assert problems == [
        "nmo:fakeLink is an owl:ObjectProperty of the ontology but is not classified in kg.core.schema "
        "(PREDICATE_PARTS or NOT_PROJECTED_PREDICATES)",
        "nmo:fakeLink has no Biolink predicate in kg.core.biolink.BIOLINK_PREDICATE",
    ]


def test_a_class_missing_from_python_is_named(ontology):
    graph = _copy(ontology)
    graph.add((_term("FakeAgent"), RDF.type, OWL.Class))
    graph.add((_term("FakeAgent"), RDFS.subClassOf, _term("Agent")))
    assert schema_problems(graph) == [
        "nmo:FakeAgent is an owl:Class of the ontology but is neither in kg.core.schema.TYPE_ORDER nor in "
        "NOT_NODE_TYPES",
        "nmo:FakeAgent has no Biolink category in kg.core.biolink.BIOLINK_CATEGORY",
        "nmo:FakeAgent belongs to Agent in the ontology but to FakeAgent in kg.core.schema.FAMILY",
    ]


def test_python_names_the_ontology_does_not_declare_are_named(ontology):
    graph = _copy(ontology)
    graph.remove((_term("binds"), None, None))
    graph.remove((_term("DrugClass"), None, None))
    problems = schema_problems(graph)
    assert "nmo:binds (in kg.core.schema (constants)) is not a property of the ontology" in problems
    assert "nmo:binds (in kg.core.biolink.BIOLINK_PREDICATE) is not a property of the ontology" in problems
    assert "nmo:DrugClass (in kg.core.schema.TYPE_ORDER) is not an owl:Class of the ontology" in problems
    assert all("nmo:binds" in p or "nmo:DrugClass" in p for p in problems)


def test_a_class_moved_or_a_property_misfiled_is_named(ontology):
    graph = _copy(ontology)
    graph.add((_term("CarrierType"), RDFS.subClassOf, _term("Formulation")))
    graph.set((_term("hasCarrier"), RDFS.domain, _term("Study")))
    assert schema_problems(graph) == [
        "nmo:CarrierType belongs to Formulation in the ontology but to CarrierType in kg.core.schema.FAMILY",
        "nmo:CarrierType comes after its superclass nmo:Formulation in kg.core.schema.TYPE_ORDER "
        "(most specific first)",
        "nmo:hasCarrier is in the composition part of kg.core.schema.PREDICATE_PARTS but its domain is "
        "nmo:Study",
    ]
