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

import hashlib
import os
import pickle
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
from kg.store.base import Store

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


def _value(row, key):
    term = row.get(key)
    return term.value if term is not None else None


def _node_types(store: Store) -> dict[str, dict]:
    _, rows = store.select(NODES_QUERY)
    nodes: dict[str, dict] = {}
    for r in rows:
        node = nodes.setdefault(r["node"].value, {"label": r["label"].value, "types": set()})
        node["types"].add(r["class"].value[len(NMO):])
        if "rank" in r:
            node["rank"] = int(r["rank"].value)
    for attrs in nodes.values():
        attrs["type"] = next((t for t in TYPE_ORDER if t in attrs["types"]), sorted(attrs["types"])[0])
        attrs["family"] = family_of_type(attrs["type"])
        attrs["types"] = sorted(attrs["types"])
    return nodes


def build_projection(store: Store, collapse_studies: bool = False) -> nx.MultiDiGraph:
    """Project ``store`` into a fresh ``MultiDiGraph`` (no caching)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    nodes = _node_types(store)
    for iri, attrs in nodes.items():
        graph.add_node(intern(iri), **attrs)
    cited = _cited_nodes(store)
    evidence = _best_evidence(store)
    statement_sources = _statement_sources(store)
    edges = _entity_edges(store)
    evaluates = {s: o for s, p, o in edges if p == EVALUATES}
    described_at: dict[str, set[str]] = {}
    for study, formulation in evaluates.items():
        if study in cited:
            described_at.setdefault(formulation, set()).add(cited[study])
    for s, p, o in edges:
        if s not in nodes or o not in nodes:
            continue
        is_study = nodes[s]["type"] == "Study"
        if collapse_studies and is_study:
            if p in STUDY_PREDICATES and s in evaluates and s in cited:
                _add_collapsed(graph, evaluates[s], p, o, s, cited[s], evidence.get(s, (0, "")))
            continue
        if s in cited:
            sources = [cited[s]]
            rank, label = evidence.get(s, (0, ""))
            extra = {"evidence": rank, "evidence_label": label} if is_study else {}
        elif p in VOCABULARY_PREDICATES:
            sources, extra = [VOCABULARY], {}
        elif p in COMPOSITION_PREDICATES:
            sources, extra = sorted(described_at.get(s, ())), {}
        else:
            sources, extra = sorted(statement_sources.get((s, p, o), [])), {}
        graph.add_edge(s, o, key=p, pred=p, sources=sources, **extra)
    if collapse_studies:
        graph.remove_nodes_from([n for n, d in graph.nodes(data=True) if d["type"] == "Study"])
    return graph


def _entity_edges(store: Store) -> list[tuple[str, str, str]]:
    """(subject, predicate CURIE, object) of every link between entities, in the store's order.

    The strings are interned: an edge's ends are the node's own key string, not a copy per edge; and the
    query's rows (far larger than these tuples) are gone before the graph is built.
    """
    _, rows = store.select(EDGES_QUERY)
    return [(intern(r["s"].value), intern(compact(r["p"].value)), intern(r["o"].value)) for r in rows]


def _cited_nodes(store: Store) -> dict[str, str]:
    """Study, approval or trial IRI → its citation."""
    _, rows = store.select(CITED_NODES_QUERY)
    return {r["node"].value: _citation(r) for r in rows}


def _best_evidence(store: Store) -> dict[str, tuple[int, str]]:
    """Study IRI → (rank, label) of the strongest evidence level it states."""
    _, rows = store.select(EVIDENCE_QUERY)
    best: dict[str, tuple[int, str]] = {}
    for r in rows:
        level = (int(r["rank"].value), r["label"].value)
        best[r["node"].value] = max(best.get(r["node"].value, level), level)
    return best


def _statement_sources(store: Store) -> dict[tuple[str, str, str], list[str]]:
    """(subject, predicate CURIE, object) of a reified background statement → its citations."""
    _, rows = store.select(STATEMENT_SOURCES_QUERY)
    found: dict[tuple[str, str, str], list[str]] = {}
    for r in rows:
        found.setdefault((r["s"].value, compact(r["p"].value), r["o"].value), []).append(_citation(r))
    return found


def _citation(row) -> str:
    return citation(_value(row, "doc"), _value(row, "section"), _value(row, "lines"), _value(row, "refs"))


def _add_collapsed(graph, formulation: str, pred: str, obj: str, study: str, source: str,
                   evidence: tuple[int, str]) -> None:
    if graph.has_edge(formulation, obj, key=pred):
        data = graph.edges[formulation, obj, pred]
        data["studies"].append(study)
        data["sources"] = sorted(set(data["sources"]) | {source})
        if evidence > (data["evidence"], data["evidence_label"]):
            data["evidence"], data["evidence_label"] = evidence
    else:
        graph.add_edge(formulation, obj, key=pred, pred=pred, studies=[study], sources=[source],
                       evidence=evidence[0], evidence_label=evidence[1])


def projection(store: Store, collapse_studies: bool = False) -> nx.MultiDiGraph:
    """The cached projection of ``store``, frozen: rebuilt when the store's fingerprint or this code changes.

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
    if graph is None:
        graph = build_projection(store, collapse_studies)
        if cache is not None:
            _write_cache(cache, graph)
    while len(_MEMORY) >= _MEMORY_SIZE:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[key] = nx.freeze(graph)
    return graph


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
        with cache.open("rb") as file:  # streamed: no copy of the whole file in memory
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
