"""The knowledge graph as a NetworkX multigraph of entities (the input of path analysis and views).

Nodes are entity IRIs with ``label``, ``type`` (the most specific model class, e.g. ``CarrierType``),
``types`` and ``family`` (the top-level class, e.g. ``Agent`` for a small molecule). Edges run subject →
object, keyed by predicate (``pred``, a CURIE such as ``nmo:hasCarrier``; the kept ones are
:data:`kg.core.schema.ENTITY_PREDICATES`), and carry ``sources``: the citations the statement rests
on — a study's, approval's or trial's own provenance; a reified background statement's; for what a
formulation is made of, the places its studies cite; and ``(vocabulary)`` for hierarchy and
cascade-order links.
Literals, blank nodes and schema triples (types, scheme membership, ontology axioms) are left out.

Study edges carry the study's best ``evidence`` (the level's ``nmo:rank``) and ``evidence_label``.
With ``collapse_studies=True`` study nodes disappear: each study's links become formulation → X edges
carrying the ``studies``, their ``sources`` and the best ``evidence`` / ``evidence_label`` among them.
Nodes with an ``nmo:rank`` (evidence levels, cascade steps) carry it as ``rank``.

Projections are cached per store fingerprint, in memory and next to the store on disk
(``.<store folder>.projection-<fingerprint>-<code digest>-<full|collapsed>.pickle``); a rebuilt store or
a change to this module or to the model (:mod:`kg.core.schema`) gives a new file name, and writing it
removes the store's older cache files.
:func:`projection` hands every graph out frozen (``networkx.freeze``): adding or removing a node or edge
raises, so no caller can change what the next one gets; build on a copy (``graph.copy()``) or a new graph.
Attribute values are shared, not frozen: read them, never change them in place.

The analyses take a projection, or what stands for one (:func:`as_graph`): a :class:`kg.store.Store`, or
the :class:`kg.query.handle.KG` of ``kg.open()`` (anything with a ``projection()`` method).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from sys import intern
from typing import TYPE_CHECKING, Protocol, TypeAlias

from kg.analysis.node_types import family_of_type
from kg.core.citations import citation
from kg.core.prefixes import NMO, compact
from kg.core.schema import (
    COMPOSITION_PREDICATES,
    ENTITY_PREDICATES,
    EVALUATES,
    STUDY_PREDICATES,
    TYPE_ORDER,
    VOCABULARY_PREDICATES,
)
from kg.store.base import Store, Values

if TYPE_CHECKING:
    import networkx as nx


class HasProjection(Protocol):
    """What has a ``projection()`` method, like :class:`kg.query.handle.KG`."""

    def projection(self, collapse_studies: bool = False) -> nx.MultiDiGraph: ...


GraphSource: TypeAlias = "nx.MultiDiGraph | Store | HasProjection"

VOCABULARY = "(vocabulary)"  # the source of a vocabulary link: the model itself

NODES_QUERY = """
SELECT ?node ?label ?class ?rank WHERE {
  ?node a ?class ; rdfs:label ?label .
  OPTIONAL { ?node nmo:rank ?rank }
  FILTER(isIRI(?node) && STRSTARTS(STR(?class), STR(nmo:)))
  FILTER NOT EXISTS { ?node a owl:Class } FILTER NOT EXISTS { ?node a owl:ObjectProperty }
  FILTER NOT EXISTS { ?node a owl:DatatypeProperty } FILTER NOT EXISTS { ?node a owl:Ontology }
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

# Cache: (store fingerprint, collapsed?) → projection, oldest first.
_MEMORY: dict[tuple[str, bool], nx.MultiDiGraph] = {}
_MEMORY_SIZE = 8


def _rows(store: Store, query: str) -> Values:
    """The rows of ``query`` as tuples of plain values, read in bulk (:meth:`Store.select_values`)."""
    return store.select_values(query)[1]


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
    return _project(_facts(store), collapse_studies)


def build_projections(store: Store) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    """Both projections of ``store`` (with studies, studies collapsed) from one reading of it."""
    facts = _facts(store)
    return _project(facts, False), _project(facts, True)


def _project(facts: _Facts, collapse_studies: bool) -> nx.MultiDiGraph:
    import networkx as nx

    nodes, cited, evidence = facts.nodes, facts.cited, facts.evidence
    evaluates = {s: o for s, p, o in facts.edges if p == EVALUATES}
    described_at: dict[str, set[str]] = {}
    for study, formulation in evaluates.items():
        if study in cited:
            described_at.setdefault(formulation, set()).add(cited[study])
    # (subject, object, predicate) → attributes, in the order of the links' first statement
    edges: dict[tuple[str, str, str], dict] = {}
    for s, p, o in facts.edges:
        if s not in nodes or o not in nodes:
            continue
        if collapse_studies and nodes[o]["type"] == "Study":
            continue
        is_study = nodes[s]["type"] == "Study"
        if collapse_studies and is_study:
            if p in STUDY_PREDICATES and s in evaluates and s in cited:
                _collapse(edges, evaluates[s], p, o, s, cited[s], evidence.get(s, (0, "")))
            continue
        if s in cited:
            attrs = {"pred": p, "sources": [cited[s]]}
            if is_study:
                attrs["evidence"], attrs["evidence_label"] = evidence.get(s, (0, ""))
        elif p in VOCABULARY_PREDICATES:
            attrs = {"pred": p, "sources": [VOCABULARY]}
        elif p in COMPOSITION_PREDICATES:
            attrs = {"pred": p, "sources": sorted(described_at.get(s, ()))}
        else:
            attrs = {"pred": p, "sources": sorted(facts.statement_sources.get((s, p, o), []))}
        edges[s, o, p] = attrs
    graph = nx.MultiDiGraph()
    with _no_gc():  # millions of new containers: the collector would scan them again and again
        graph.add_nodes_from((iri, attrs) for iri, attrs in nodes.items()
                             if not (collapse_studies and attrs["type"] == "Study"))
        graph.add_edges_from((u, v, p, attrs) for (u, v, p), attrs in edges.items())
    return graph


@contextmanager
def _no_gc():
    """Pause the cyclic garbage collector (nothing built here holds a cycle)."""
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
    """(subject, predicate CURIE, object) of a reified background statement → its citations."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for s, p, o, doc, section, lines, refs in _rows(store, STATEMENT_SOURCES_QUERY):
        found.setdefault((s, compact(p), o), []).append(citation(doc, section, lines, refs))
    return found


def _collapse(found: dict[tuple[str, str, str], dict], formulation: str, pred: str, obj: str, study: str,
              source: str, evidence: tuple[int, str]) -> None:
    data = found.get((formulation, obj, pred))
    if data is None:
        found[formulation, obj, pred] = {"pred": pred, "studies": [study], "sources": [source],
                                         "evidence": evidence[0], "evidence_label": evidence[1]}
        return
    data["studies"].append(study)
    data["sources"] = sorted(set(data["sources"]) | {source})
    if evidence > (data["evidence"], data["evidence_label"]):
        data["evidence"], data["evidence_label"] = evidence


def projection(store: Store, collapse_studies: bool = False) -> nx.MultiDiGraph:
    """The cached projection of ``store``, frozen: rebuilt when the store's fingerprint or this code changes
    (then both projections are built from one reading of the store, and both cached).

    A store without a fingerprint (in memory, rdflib, remote) is projected afresh on every call.
    """
    import networkx as nx

    fingerprint = _fingerprint(store)
    if not fingerprint:
        return nx.freeze(build_projection(store, collapse_studies))
    key = (fingerprint, collapse_studies)
    if key in _MEMORY:
        return _MEMORY[key]
    cache = _cache_file(store, collapse_studies, fingerprint)
    graph = _read_cache(cache) if cache is not None else None
    if graph is None:  # both, from one reading of the store: an analysis often needs the other one next
        both = build_projections(store)
        save_projections(store, *both)
        graph = both[collapse_studies]
    _remember(key, graph)
    return graph


def _remember(key: tuple[str, bool], graph: nx.MultiDiGraph) -> None:
    import networkx as nx

    while len(_MEMORY) >= _MEMORY_SIZE:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[key] = nx.freeze(graph)


def save_projections(store: Store, full: nx.MultiDiGraph, collapsed: nx.MultiDiGraph) -> None:
    """Cache both projections of ``store`` (built elsewhere, e.g. by ``kg build`` from the graph it has just
    validated in memory), so that the first analysis of a new store only reads them."""
    fingerprint = _fingerprint(store)
    for collapse, graph in ((False, full), (True, collapsed)):
        cache = _cache_file(store, collapse, fingerprint) if fingerprint else None
        if cache is not None:
            _write_cache(cache, graph)


def as_graph(source: GraphSource, collapse_studies: bool = False) -> nx.MultiDiGraph:
    """The projection ``source`` stands for: a NetworkX graph as it is; the projection of a store or of
    anything with a ``projection()`` method (``kg.open()``'s :class:`kg.query.handle.KG`), with studies as
    nodes or, if ``collapse_studies``, folded into formulation links.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> as_graph(graph) is graph
    True
    >>> as_graph("store/")
    Traceback (most recent call last):
    TypeError: expected a projection (a networkx graph), a Store or the KG of kg.open(), not str
    """
    if isinstance(source, Store):
        return projection(source, collapse_studies)
    project = getattr(source, "projection", None)
    if callable(project):
        return project(collapse_studies=collapse_studies)
    if hasattr(source, "nodes") and hasattr(source, "edges"):
        return source
    raise TypeError(f"expected a projection (a networkx graph), a Store or the KG of kg.open(), "
                    f"not {type(source).__name__}")


def _fingerprint(store: Store) -> str:
    manifest = getattr(store, "manifest", None)
    return manifest().get("fingerprint", "") if callable(manifest) else ""


@cache
def _code_version() -> str:
    """Digest of the code that shapes a projection, so a changed projection never reads an old cache."""
    import networkx as nx

    from kg.analysis import node_types
    from kg.core import schema

    digest = hashlib.sha256(nx.__version__.encode())
    for module in (__file__, node_types.__file__, schema.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:8]


def _cache_file(store: Store, collapse: bool, fingerprint: str) -> Path | None:
    path = getattr(store, "path", None)
    if path is None:
        return None
    path = Path(path)
    mode = "collapsed" if collapse else "full"
    return path.parent / f".{path.name}.projection-{fingerprint}-{_code_version()}-{mode}.pickle"


def _read_cache(cache: Path) -> nx.MultiDiGraph | None:
    try:
        with cache.open("rb") as file, _no_gc():  # streamed: no copy of the whole file in memory
            return pickle.load(file)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # missing or unreadable: rebuild


def _write_cache(cache: Path, graph: nx.MultiDiGraph) -> None:
    """Write atomically and drop this store's older caches; a read-only folder only costs the disk cache."""
    store_name, mode = cache.name.split(".projection-")[0], cache.name.rsplit("-", 1)[1]
    try:
        for stale in cache.parent.glob(f"{store_name}.projection-*-{mode}"):
            stale.unlink(missing_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.part")
        with partial.open("wb") as file:  # streamed, as above
            pickle.dump(graph, file, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(cache)
    except OSError:
        pass
