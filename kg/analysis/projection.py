"""The knowledge graph as a NetworkX multigraph of entities (the input of path analysis and views).

Nodes are entity IRIs with ``label``, ``type`` (the most specific model class, e.g. ``CarrierType``),
``types`` (the node's most specific classes; the superclass closure that ``kg build`` stores is left out)
and ``family`` (the top-level class, e.g. ``Agent`` for a small molecule). Edges run subject →
object, keyed by predicate (``pred``, a CURIE such as ``nmo:hasCarrier``; the kept ones are
:data:`kg.core.schema.ENTITY_PREDICATES`), and carry ``sources``: the citations the statement rests
on — a study's, approval's or trial's own provenance; for what a formulation is made of and for
background biology (:data:`kg.core.schema.SOURCED_PREDICATES`), the places of its reified, sourced
statements; and ``(vocabulary)`` for hierarchy and cascade-order links.
Literals, blank nodes and schema triples (types, scheme membership, ontology axioms) are left out.

Study edges carry the study's best ``evidence`` (the level's ``nmo:rank``) and ``evidence_label``.
With ``collapse_studies=True`` study nodes disappear: each study's links become formulation → X edges
carrying the ``studies``, their ``sources`` and the best ``evidence`` / ``evidence_label`` among them.
Nodes with an ``nmo:rank`` (evidence levels, cascade steps) carry it as ``rank``.

Projections are cached per store fingerprint, in memory (where the garbage collector leaves them alone:
``gc.freeze``) and next to the store on disk
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
from typing import TYPE_CHECKING, Protocol, TypeAlias

from kg.analysis import projection_build
from kg.analysis.projection_build import VOCABULARY, build_projection, build_projections, no_gc
from kg.store.base import Store

if TYPE_CHECKING:
    import networkx as nx


class HasProjection(Protocol):
    """What has a ``projection()`` method, like :class:`kg.query.handle.KG`."""

    def projection(self, collapse_studies: bool = False) -> nx.MultiDiGraph: ...


GraphSource: TypeAlias = "nx.MultiDiGraph | Store | HasProjection"
__all__ = ["VOCABULARY", "GraphSource", "as_graph", "build_projection", "build_projections", "drop_views",
           "projection", "release", "save_projections"]

# Cache: (store fingerprint, collapsed?) → projection, oldest first.
_MEMORY: dict[tuple[str, bool], nx.MultiDiGraph] = {}
_MEMORY_SIZE = 8


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
    """Keep ``graph`` for the process, frozen, and out of the garbage collector's way (``gc.freeze``: at
    a million triples its full passes over the projection's millions of containers, none of which can be
    garbage while remembered, took as long as the analyses themselves)."""
    import gc

    import networkx as nx

    while len(_MEMORY) >= _MEMORY_SIZE:
        _MEMORY.pop(next(iter(_MEMORY)))
        gc.unfreeze()  # the collector may free what was let go (a graph and its views form cycles)
    _MEMORY[key] = nx.freeze(graph)
    gc.freeze()


def release(store: Store, collapse_studies: bool) -> None:
    """Forget the remembered projection of ``store`` (if any) and free it now, unless a caller still holds
    it: for a one-shot command that is done with one projection before it reads the other (at 5 million
    triples each takes gigabytes). The next :func:`projection` call reads it again (from the disk cache)."""
    graph = _MEMORY.pop((_fingerprint(store), collapse_studies), None)
    if graph is not None:
        drop_views(graph)


def drop_views(graph: nx.MultiDiGraph) -> None:
    """Forget the views NetworkX keeps on ``graph`` that point back at it (``edges``, ``degree`` …): without
    these cycles the graph is freed as soon as nobody holds it, with no pass of the garbage collector over
    the whole heap (seconds at millions of links). A view asked for again is made anew."""
    for name, value in list(vars(graph).items()):
        if getattr(value, "_graph", None) is graph:
            delattr(graph, name)


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
    for module in (__file__, projection_build.__file__, node_types.__file__, schema.__file__):
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
        with cache.open("rb") as file, no_gc():  # streamed: no copy of the whole file in memory
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
