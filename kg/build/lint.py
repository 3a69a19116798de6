"""Checks SHACL cannot express well: unknown ontology terms, undefined, untyped or isolated entities,
duplicate names within a class family, likely duplicate systems, composition and background triples
without a sourced statement, and statements without their triple."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.core.names import normalize_name
from kg.core.prefixes import ID, NMO, compact, sparql_prologue
from kg.core.schema import SOURCED_PREDICATES, TOP_LEVEL_TYPES
from kg.core.sparql import inject_values

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_DIFFERENT = "http://www.w3.org/2002/07/owl#differentFrom"


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    check: str
    node: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.severity}] {self.check}: {compact(self.node)} — {self.detail}"


def _rows(store: ox.Store, query: str):
    return list(store.query(sparql_prologue() + query))


def _iris(store: ox.Store, query: str) -> set[str]:
    return {r[0].value for r in store.query(sparql_prologue() + query) if isinstance(r[0], ox.NamedNode)}


def _first_user(store: ox.Store, term: str) -> str:
    """Some subject of a triple that uses ``term`` (as predicate, object or subject); "" for a blank node."""
    rows = _rows(store, f"""SELECT ?s WHERE {{ {{ ?s <{term}> ?o }} UNION {{ ?s ?p <{term}> }}
                                          UNION {{ <{term}> ?p ?o BIND(<{term}> AS ?s) }} }} LIMIT 1""")
    return rows[0]["s"].value if rows and isinstance(rows[0]["s"], ox.NamedNode) else ""


def object_iris(store: ox.Store) -> set[str]:
    """Every IRI in object position (one scan; shared by the two checks below)."""
    return _iris(store, "SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isIRI(?o)) }")


def unknown_terms(store: ox.Store, declared: set[str], where: Callable[[str], str],
                  objects: set[str] | None = None) -> list[Finding]:
    """nmo: terms used anywhere but not declared in the ontology files (a typo mints a new IRI)."""
    used = _iris(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }")
    used |= object_iris(store) if objects is None else objects
    used |= _iris(store, f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o '
                         f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{NMO}")) }}')
    found = []
    for term in sorted(t for t in used if t.startswith(NMO) and t not in declared):
        subject = _first_user(store, term)
        found.append(Finding("error", "unknown-term", term,
                             f"not declared in ontology/ (used by {compact(subject)}{where(subject)})"))
    return found


def undefined_entities(store: ox.Store, where: Callable[[str], str],
                       objects: set[str] | None = None) -> list[Finding]:
    """Entity IRIs that are pointed to but never described (usually a misspelt IRI)."""
    entities = sorted(o for o in (object_iris(store) if objects is None else objects) if o.startswith(ID))
    if not entities:
        return []
    query = inject_values("SELECT ?o WHERE { FILTER NOT EXISTS { ?o ?p ?x } }", ["o"],
                          [[ox.NamedNode(o)] for o in entities])
    found = []
    for o in sorted(_iris(store, query)):
        s = _first_user(store, o) or "(blank node)"
        found.append(Finding("error", "undefined-entity", o,
                             f"referenced by {compact(s)}{where(s)} but never defined"))
    return found


def untyped_entities(store: ox.Store, where: Callable[[str], str]) -> list[Finding]:
    """Subjects with an rdfs:label but no rdf:type (usually a forgotten or broken ``a`` line): no SHACL
    shape targets them and no class-based query or name lookup finds them."""
    rows = _rows(store, "SELECT ?s (MIN(?l) AS ?label) WHERE { ?s rdfs:label ?l "
                        "FILTER NOT EXISTS { ?s a ?t } } GROUP BY ?s")
    found = []
    for r in rows:
        node = r["s"].value if isinstance(r["s"], ox.NamedNode) else f"_:{r['s'].value}"
        found.append(Finding("error", "untyped-entity", node,
                             f"labelled '{r['label'].value}' but has no rdf:type{where(node)}"))
    return found


def duplicate_names(store: ox.Store) -> list[Finding]:
    """Two nodes of one class family (a top-level class, subclasses included) whose labels (or label and
    alt label) normalise to the same name."""
    rows = store.query(sparql_prologue() + f"""
        SELECT ?node ?family ?name ?kind WHERE {{
          VALUES ?family {{ {' '.join('nmo:' + f for f in TOP_LEVEL_TYPES)} }}
          ?node a/rdfs:subClassOf* ?family .
          {{ ?node rdfs:label ?name BIND("label" AS ?kind) }}
          UNION {{ ?node skos:altLabel ?name BIND("alt" AS ?kind) }}
        }}""")
    by_key: dict[tuple[str, str], set[tuple[str, str, str]]] = defaultdict(set)
    for node, family, name, kind in rows:  # streamed, by position: much faster than by name at 100 k rows
        by_key[(family.value, normalize_name(name.value))].add((node.value, name.value, kind.value))
    shared = {key: entries for key, entries in by_key.items() if len({n for n, _, _ in entries}) > 1}
    findings = []
    for (family, _), entries in sorted(shared.items()):
        nodes = {n for n, _, _ in entries}
        labels = sorted(f"{compact(n)} {kind} '{name}'" for n, name, kind in entries)
        both_labels = sum(1 for _, _, kind in entries if kind == "label") >= 2
        findings.append(Finding(
            "error" if both_labels else "warning", "duplicate-name", sorted(nodes)[0],
            f"{compact(family)} nodes share a name: " + "; ".join(labels)))
    return findings


def likely_duplicate_systems(store: ox.Store, where: Callable[[str], str]) -> list[Finding]:
    """Two formulation nodes with the same cargos, carrier types and targets (cargo stated) whose studies
    share a cancer type: probably one system curated twice (CURATION.md: one node per system). A pair
    checked to be distinct products is declared with ``owl:differentFrom`` and not reported."""
    rows = store.query(sparql_prologue() + """
        SELECT ?f ?p ?o WHERE {
          ?f a/rdfs:subClassOf* nmo:Formulation .
          { VALUES ?p { nmo:hasCarrier nmo:hasCargo nmo:targets } ?f ?p ?o }
          UNION { ?study nmo:evaluates ?f ; nmo:cancerType ?o BIND(nmo:cancerType AS ?p) }
          UNION { ?f owl:differentFrom ?o BIND(owl:differentFrom AS ?p) }
          UNION { ?o owl:differentFrom ?f BIND(owl:differentFrom AS ?p) }
        }""")
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for f, p, o in rows:
        facts[f.value][p.value].add(o.value)
    parts = [NMO + "hasCargo", NMO + "hasCarrier", NMO + "targets"]
    groups: dict[tuple[frozenset[str], ...], list[str]] = defaultdict(list)
    for node, stated in facts.items():
        if stated[NMO + "hasCargo"]:
            groups[tuple(frozenset(stated[p]) for p in parts)].append(node)
    findings = []
    for nodes in groups.values():
        for i, a in enumerate(sorted(nodes)):
            for b in sorted(nodes)[i + 1:]:
                cancers = facts[a][NMO + "cancerType"] & facts[b][NMO + "cancerType"]
                if cancers and b not in facts[a][OWL_DIFFERENT]:
                    findings.append(Finding(
                        "warning", "likely-duplicate-system", a,
                        f"same cargo, carrier and targets as {compact(b)}{where(b)}, and studied in "
                        f"{', '.join(sorted(compact(c) for c in cancers))} too ({compact(a)}{where(a)}); "
                        "merge them, or state owl:differentFrom if they are distinct"))
    return findings


def unsourced_statements(store: ox.Store, where: Callable[[str], str]) -> list[Finding]:
    """Composition and background triples (:data:`kg.core.schema.SOURCED_PREDICATES`) need a sourced
    rdf:Statement (nmo:sourceDocument with nmo:section or nmo:lines); a statement needs its triple (one
    left behind when the triple was changed is an orphan)."""
    values = " ".join(SOURCED_PREDICATES)
    # MINUS, not FILTER NOT EXISTS: Oxigraph evaluates the statement pattern once and anti-joins (the
    # correlated form rescans the statements for every triple: minutes at a million triples)
    missing = _rows(store, f"""
        SELECT ?s ?p ?o WHERE {{
          VALUES ?p {{ {values} }} ?s ?p ?o .
          MINUS {{ ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; nmo:sourceDocument ?d ;
                       nmo:section|nmo:lines ?place }}
        }}""")
    orphan = _rows(store, """
        SELECT ?s ?p ?o WHERE {
          ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
          FILTER NOT EXISTS { ?s ?p ?o }
        }""")
    return [
        Finding("error", "unsourced-statement", r["s"].value,
                f"{compact(r['s'].value)} {compact(r['p'].value)} {compact(r['o'].value)} has no "
                f"rdf:Statement with nmo:sourceDocument and nmo:section or nmo:lines{where(r['s'].value)}")
        for r in missing
    ] + [
        Finding("error", "statement-not-asserted", r["s"].value,
                f"an rdf:Statement says {compact(r['s'].value)} {compact(r['p'].value)} "
                f"{compact(r['o'].value)}, but the triple itself is missing{where(r['s'].value)}")
        for r in orphan
    ]


def isolated_nodes(store: ox.Store, ontology_terms: set[str]) -> list[Finding]:
    """Entities of the data (not the ontology's own individuals) with no link to or from any other node."""
    rows = _rows(store, f"""
        SELECT DISTINCT ?node WHERE {{
          ?node a ?cls . FILTER(STRSTARTS(STR(?node), "{ID}"))
          FILTER NOT EXISTS {{ ?node ?p ?o . FILTER(isIRI(?o) && ?p != rdf:type) }}
          FILTER NOT EXISTS {{ ?x ?q ?node . FILTER(?q != rdf:subject && ?q != rdf:object) }}
        }}""")
    return [Finding("warning", "isolated-node", r["node"].value, "no links to or from other nodes")
            for r in rows if r["node"].value not in ontology_terms]


def lint(store: ox.Store, ontology_terms: set[str], defined_in: Mapping[str, Path]) -> list[Finding]:
    """All lint findings on the graph in ``store``, errors first. ``ontology_terms`` are the subjects of
    the ontology files; ``defined_in`` maps an IRI to the file that defines it (looked up only for
    findings)."""

    def where(iri: str) -> str:
        return f" in {defined_in[iri]}" if iri and iri in defined_in else ""

    objects = object_iris(store)
    findings = (
        unknown_terms(store, ontology_terms, where, objects)
        + undefined_entities(store, where, objects)
        + untyped_entities(store, where)
        + duplicate_names(store)
        + likely_duplicate_systems(store, where)
        + unsourced_statements(store, where)
        + isolated_nodes(store, ontology_terms)
    )
    return sorted(findings, key=lambda f: (f.severity != "error", f.check, f.node))
