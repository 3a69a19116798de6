"""Checks SHACL cannot express well: unknown ontology terms, undefined or isolated entities,
duplicate names within a class family, and background triples without a sourced statement."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.names import normalize_name
from kg.prefixes import ID, NMO, compact, sparql_prologue

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SOURCED_PREDICATES = ("involvedIn", "actsOn", "binds", "drugClass", "highestStatus")

# Top-level classes: labels must be unique within each family (subclasses included).
FAMILIES = (
    "Formulation", "Study", "CarrierType", "Mechanism", "Agent", "Target", "CascadeStep", "CancerType",
    "Organ", "TherapyModality", "EvidenceLevel", "RegulatoryApproval", "Agency", "ClinicalTrial",
    "DrugClass", "SourceDocument",
)


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


def unknown_terms(ontology_triples: list[ox.Triple], all_triples: list[ox.Triple], where) -> list[Finding]:
    """nmo: terms used anywhere but not declared in the ontology files (a typo mints a new IRI)."""
    declared = {t.subject.value for t in ontology_triples if isinstance(t.subject, ox.NamedNode)}
    found: dict[str, Finding] = {}
    for t in all_triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(NMO) and term.value not in declared:
                subject = t.subject.value if isinstance(t.subject, ox.NamedNode) else ""
                found.setdefault(term.value, Finding(
                    "error", "unknown-term", term.value,
                    f"not declared in ontology/ (used by {compact(subject)}{where(subject)})"))
    return list(found.values())


def undefined_entities(all_triples: list[ox.Triple], where) -> list[Finding]:
    """Entity IRIs that are pointed to but never described (usually a misspelt IRI)."""
    subjects = {t.subject.value for t in all_triples if isinstance(t.subject, ox.NamedNode)}
    found: dict[str, Finding] = {}
    for t in all_triples:
        o = t.object
        if isinstance(o, ox.NamedNode) and o.value.startswith(ID) and o.value not in subjects:
            s = t.subject.value if isinstance(t.subject, ox.NamedNode) else "(blank node)"
            found.setdefault(o.value, Finding(
                "error", "undefined-entity", o.value, f"referenced by {compact(s)}{where(s)} but never defined"))
    return list(found.values())


def duplicate_names(store: ox.Store) -> list[Finding]:
    """Two nodes of one class family whose labels (or label and alt label) normalise to the same name."""
    rows = _rows(store, f"""
        SELECT ?node ?family ?name ?kind WHERE {{
          VALUES ?family {{ {' '.join('nmo:' + f for f in FAMILIES)} }}
          ?node a/rdfs:subClassOf* ?family .
          {{ ?node rdfs:label ?name BIND("label" AS ?kind) }}
          UNION {{ ?node skos:altLabel ?name BIND("alt" AS ?kind) }}
        }}""")
    by_key: dict[tuple[str, str], set[tuple[str, str, str]]] = defaultdict(set)
    for r in rows:
        key = (r["family"].value, normalize_name(r["name"].value))
        by_key[key].add((r["node"].value, r["name"].value, r["kind"].value))
    findings = []
    for (family, _), entries in sorted(by_key.items()):
        nodes = {n for n, _, _ in entries}
        if len(nodes) < 2:
            continue
        labels = sorted(f"{compact(n)} {kind} '{name}'" for n, name, kind in entries)
        both_labels = sum(1 for _, _, kind in entries if kind == "label") >= 2
        findings.append(Finding(
            "error" if both_labels else "warning", "duplicate-name", sorted(nodes)[0],
            f"{compact(family)} nodes share a name: " + "; ".join(labels)))
    return findings


def unsourced_background(store: ox.Store) -> list[Finding]:
    """Background-biology triples need an rdf:Statement with a source; statements need their triple."""
    values = " ".join(f"nmo:{p}" for p in SOURCED_PREDICATES)
    missing = _rows(store, f"""
        SELECT ?s ?p ?o WHERE {{
          VALUES ?p {{ {values} }} ?s ?p ?o .
          FILTER NOT EXISTS {{ ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; nmo:sourceDocument ?d }}
        }}""")
    orphan = _rows(store, """
        SELECT ?s ?p ?o WHERE {
          ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
          FILTER NOT EXISTS { ?s ?p ?o }
        }""")
    return [
        Finding("error", "unsourced-statement", r["s"].value,
                f"{compact(r['p'].value)} {compact(r['o'].value)} has no rdf:Statement with nmo:sourceDocument")
        for r in missing
    ] + [
        Finding("error", "statement-not-asserted", r["s"].value,
                f"a sourced rdf:Statement says {compact(r['p'].value)} {compact(r['o'].value)}, "
                "but the triple itself is missing")
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


def lint(store: ox.Store, ontology_triples, all_triples, defined_in: dict[str, Path]) -> list[Finding]:
    """All lint findings, errors first."""

    def where(iri: str) -> str:
        return f" in {defined_in[iri]}" if iri in defined_in else ""

    findings = (
        unknown_terms(ontology_triples, all_triples, where)
        + undefined_entities(all_triples, where)
        + duplicate_names(store)
        + unsourced_background(store)
        + isolated_nodes(store, {t.subject.value for t in ontology_triples if isinstance(t.subject, ox.NamedNode)})
    )
    return sorted(findings, key=lambda f: (f.severity != "error", f.check, f.node))
