"""Building the projection (:mod:`kg.analysis.projection` describes it and caches it): a few whole-graph
SPARQL queries read in bulk (:meth:`kg.store.base.Store.select_values`), links gathered in dicts keyed by
(subject, object, predicate), and the graph's adjacency filled in one pass.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from sys import intern
from typing import TYPE_CHECKING, Any

from kg.analysis.node_types import family_of_type
from kg.core.citations import citation
from kg.core.prefixes import NMO, compact
from kg.core.schema import (
    ENTITY_PREDICATES,
    EVALUATES,
    STUDY_PREDICATES,
    TYPE_ORDER,
    VOCABULARY_PREDICATES,
)
from kg.store.base import Store, Values

if TYPE_CHECKING:
    import networkx as nx

VOCABULARY = "(vocabulary)"  # the source of a vocabulary link: the model itself

NODES_QUERY = """
SELECT ?node ?label ?class ?rank WHERE {
  ?node a ?class ; rdfs:label ?label .
  OPTIONAL { ?node nmo:rank ?rank }
  FILTER(isIRI(?node) && STRSTARTS(STR(?class), STR(nmo:)))
  FILTER NOT EXISTS { ?node a owl:Class } FILTER NOT EXISTS { ?node a owl:ObjectProperty }
  FILTER NOT EXISTS { ?node a owl:DatatypeProperty } FILTER NOT EXISTS { ?node a owl:Ontology }
  # its most specific classes: the superclass closure that `kg build` stores is left out
  MINUS { ?node a ?subclass . ?subclass rdfs:subClassOf ?class }
}"""

EDGES_QUERY = f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ {" ".join(ENTITY_PREDICATES)} }}
  ?s ?p ?o . FILTER(isIRI(?s) && isIRI(?o))
}}"""

# Nodes that carry their own provenance: studies, approvals, trials.
CITED_NODES_QUERY = """
SELECT ?node ?doc ?section ?lines (GROUP_CONCAT(STR(?ref); SEPARATOR=",") AS ?refs) WHERE {
  ?node nmo:sourceDocument/nmo:shortName ?doc . FILTER(isIRI(?node))
  OPTIONAL { ?node nmo:section ?section } OPTIONAL { ?node nmo:lines ?lines }
  OPTIONAL { ?node nmo:citedReference ?ref }
} GROUP BY ?node ?doc ?section ?lines"""

EVIDENCE_QUERY = """
SELECT ?node ?rank ?label WHERE {
  ?node nmo:evidenceLevel ?level . ?level nmo:rank ?rank ; rdfs:label ?label .
}"""

STATEMENT_SOURCES_QUERY = """
SELECT ?s ?p ?o ?doc ?section ?lines (GROUP_CONCAT(STR(?ref); SEPARATOR=",") AS ?refs) WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      nmo:sourceDocument/nmo:shortName ?doc .
  OPTIONAL { ?st nmo:section ?section } OPTIONAL { ?st nmo:lines ?lines }
  OPTIONAL { ?st nmo:citedReference ?ref }
} GROUP BY ?st ?s ?p ?o ?doc ?section ?lines"""

def _rows(store: Store, query: str) -> list[tuple[Any, ...]]:
    """The rows of ``query`` as tuples of plain values, read in bulk (:meth:`Store.select_values`); typed
    loosely: each query here says which of its columns are always bound."""
    rows: Values = store.select_values(query)[1]
    return rows


def _node_types(store: Store) -> dict[str, dict]:
    nodes: dict[str, dict] = {}
    prefix = len(NMO)
    for iri, label, cls, rank in _rows(store, NODES_QUERY):
        node = nodes.get(iri)
        if node is None:
            node = nodes[intern(iri)] = {"label": label, "types": set()}
        node["types"].add(cls[prefix:])
        if rank is not None:
            node["rank"] = int(rank)
    for attrs in nodes.values():
        attrs["type"] = next((t for t in TYPE_ORDER if t in attrs["types"]), sorted(attrs["types"])[0])
        attrs["family"] = family_of_type(attrs["type"])
        attrs["types"] = sorted(attrs["types"])
    return nodes


@dataclass
class _Facts:
    """What the projection's queries found, read once for both projections."""

    nodes: dict[str, dict]
    edges: list[tuple[str, str, str]]
    cited: dict[str, str]
    evidence: dict[str, tuple[int, str]]
    statement_sources: dict[tuple[str, str, str], list[str]]


def _facts(store: Store) -> _Facts:
    reader = store.bulk_reader()
    try:
        return _Facts(_node_types(reader), _entity_edges(reader), _cited_nodes(reader),
                      _best_evidence(reader), _statement_sources(reader))
    finally:
        if reader is not store:
            reader.close()


def build_projection(store: Store, collapse_studies: bool = False) -> nx.MultiDiGraph:
    """Project ``store`` into a fresh ``MultiDiGraph`` (no caching)."""
    with no_gc():  # millions of new containers, none in a cycle: the collector would scan them repeatedly
        return _project(_facts(store), collapse_studies)


def build_projections(store: Store) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    """Both projections of ``store`` (with studies, studies collapsed) from one reading of it."""
    with no_gc():
        facts = _facts(store)
        return _project(facts, False), _project(facts, True)


def _project(facts: _Facts, collapse_studies: bool) -> nx.MultiDiGraph:
    import networkx as nx

    nodes, cited, evidence = facts.nodes, facts.cited, facts.evidence
    studies = {n for n, attrs in nodes.items() if attrs["type"] == "Study"}
    study_links, vocabulary = frozenset(STUDY_PREDICATES), frozenset(VOCABULARY_PREDICATES)
    evaluates = {s: o for s, p, o in facts.edges if p == EVALUATES}
    # (subject, object, predicate) → attributes, in the order of the links' first statement
    edges: dict[tuple[str, str, str], dict] = {}
    merged: dict[tuple[str, str, str], set[str]] = {}  # a collapsed link's sources, when several studies
    for s, p, o in facts.edges:
        if s not in nodes or o not in nodes:
            continue
        if collapse_studies and (s in studies or o in studies):
            if s in studies and p in study_links and s in evaluates and s in cited:
                _collapse(edges, merged, (evaluates[s], o, p), s, cited[s], evidence.get(s, (0, "")))
            continue
        if s in cited:
            attrs: dict[str, Any] = {"pred": p, "sources": [cited[s]]}
            if s in studies:
                attrs["evidence"], attrs["evidence_label"] = evidence.get(s, (0, ""))
        elif p in vocabulary:
            attrs = {"pred": p, "sources": [VOCABULARY]}
        else:  # composition and background: the sourced statements of the triple
            attrs = {"pred": p, "sources": sorted(facts.statement_sources.get((s, p, o), []))}
        edges[s, o, p] = attrs
    for key, sources in merged.items():
        edges[key]["sources"] = sorted(sources)
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    fill_graph(graph, ((n, a) for n, a in nodes.items() if not (collapse_studies and n in studies)),
               ((u, v, p, attrs) for (u, v, p), attrs in edges.items()))
    return graph


def fill_graph(graph: nx.MultiDiGraph, nodes: Iterable[tuple[str, dict]],
               edges: Iterable[tuple[str, str, str, dict]]) -> None:
    """Add ``nodes`` and then ``edges`` (u, v, key, attributes; no key twice) to an empty ``graph``, as
    ``add_nodes_from`` and ``add_edges_from`` would — in the same order — but writing NetworkX's adjacency
    dicts directly (a tenth of the time). An edge's attribute dict is taken over, not copied.

    >>> import networkx as nx
    >>> ours, theirs = nx.MultiDiGraph(), nx.MultiDiGraph()
    >>> nodes, edges = [("a", {"x": 1}), ("b", {})], [("a", "b", "p", {"w": 1}), ("c", "a", "q", {})]
    >>> fill_graph(ours, nodes, edges)
    >>> theirs.add_nodes_from(nodes); _ = theirs.add_edges_from(edges)
    >>> nx.utils.graphs_equal(ours, theirs), list(ours.pred["a"]) == list(theirs.pred["a"])
    (True, True)
    """
    node, succ, pred = graph._node, graph._succ, graph._pred  # type: ignore[attr-defined]
    for n, attrs in nodes:
        node[n] = dict(attrs)
        succ[n], pred[n] = {}, {}
    for u, v, key, attrs in edges:
        for end in (u, v):
            if end not in node:
                node[end], succ[end], pred[end] = {}, {}, {}
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = {}
        keys[key] = attrs


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many containers (none of them in a cycle)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _entity_edges(store: Store) -> list[tuple[str, str, str]]:
    """(subject, predicate CURIE, object) of every link between entities, in the store's order.

    The strings are interned: an edge's ends are the node's own key string, not a copy per edge.
    """
    curie: dict[str, str] = {}
    found = []
    for s, p, o in _rows(store, EDGES_QUERY):
        pred = curie.get(p)
        if pred is None:
            pred = curie[p] = intern(compact(p))
        found.append((intern(s), pred, intern(o)))
    return found


def _cited_nodes(store: Store) -> dict[str, str]:
    """Study, approval or trial IRI → its citation."""
    return {node: citation(doc, section, lines, refs) for node, doc, section, lines, refs in
            _rows(store, CITED_NODES_QUERY)}


def _best_evidence(store: Store) -> dict[str, tuple[int, str]]:
    """Study IRI → (rank, label) of the strongest evidence level it states."""
    best: dict[str, tuple[int, str]] = {}
    for node, rank, label in _rows(store, EVIDENCE_QUERY):
        level = (int(rank), label)
        best[node] = max(best.get(node, level), level)
    return best


def _statement_sources(store: Store) -> dict[tuple[str, str, str], list[str]]:
    """(subject, predicate CURIE, object) of a reified (composition or background) statement → its
    citations."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for s, p, o, doc, section, lines, refs in _rows(store, STATEMENT_SOURCES_QUERY):
        found.setdefault((s, compact(p), o), []).append(citation(doc, section, lines, refs))
    return found


def _collapse(edges: dict[tuple[str, str, str], dict], merged: dict[tuple[str, str, str], set[str]],
              key: tuple[str, str, str], study: str, source: str, evidence: tuple[int, str]) -> None:
    """Fold a study's link into its formulation's link ``key``: studies listed, sources gathered in
    ``merged`` (sorted at the end), the best evidence kept."""
    data = edges.get(key)
    if data is None:
        edges[key] = {"pred": key[2], "studies": [study], "sources": [source], "evidence": evidence[0],
                      "evidence_label": evidence[1]}
        return
    data["studies"].append(study)
    merged.setdefault(key, set(data["sources"])).add(source)
    if evidence > (data["evidence"], data["evidence_label"]):
        data["evidence"], data["evidence_label"] = evidence
