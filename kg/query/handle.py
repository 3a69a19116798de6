"""The Python API: open the knowledge graph, run named or free SPARQL queries with bound parameters.

>>> import kg
>>> graph = kg.open()                                          # doctest: +SKIP
>>> graph.query("formulations-by-target", target="CXCR4").to_dataframe()   # doctest: +SKIP
>>> from kg.analysis.reach import reach                         # the analyses take the handle too
>>> reach(graph, "carrier", "step", via="target").wide()       # doctest: +SKIP

A self-contained example on a two-node graph:

>>> import pyoxigraph as ox
>>> from kg.store.oxigraph_backend import OxigraphStore
>>> turtle = '''
... @prefix nmo: <https://w3id.org/nanomet-kg/ontology#> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
... <https://w3id.org/nanomet-kg/id/target/hif-1alpha> a nmo:MolecularTarget ;
...     rdfs:label "HIF-1α" ; skos:altLabel "HIF-1alpha" .
... <https://w3id.org/nanomet-kg/id/target/cd44> a nmo:MolecularTarget ; rdfs:label "CD44" .
... '''
>>> graph = KG(OxigraphStore.in_memory(q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)))
>>> graph.resolve("hif-1a").value
'https://w3id.org/nanomet-kg/id/target/hif-1alpha'
>>> result = graph.sparql("SELECT ?t WHERE { ?t a nmo:MolecularTarget } ORDER BY ?t")
>>> [row["t"] for row in result]
['CD44', 'HIF-1α']
>>> graph.sparql("SELECT ?t WHERE { ?t a nmo:MolecularTarget }", t="HIF-1alpha").rows[0]["t_iri"]
'https://w3id.org/nanomet-kg/id/target/hif-1alpha'
>>> graph.query("search", text="cd").rows[0]["name"]
'CD44'
>>> graph.sparql("ASK { ?t a nmo:MolecularTarget }", t='"} ; DROP ALL ; {"')
False
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.core.errors import QueryError, excerpt
from kg.core.sparql import BoundTerm, inject_values, query_form
from kg.query.library import NamedQuery, get_query, load_library, parse_query
from kg.query.params import bind_params
from kg.query.results import Result, sort_list_cells
from kg.store import open_store
from kg.store.base import Store, Term

if TYPE_CHECKING:
    import networkx as nx

LABELS_QUERY = "SELECT ?node ?label WHERE { ?node rdfs:label ?label }"
LABEL_BATCH = 400


def uses_variable(query: str, name: str) -> bool:
    """Whether ``?name`` or ``$name`` occurs in the query text."""
    return re.search(rf"[?$]{re.escape(name)}(?![A-Za-z0-9_])", query) is not None


class KG:
    """The knowledge graph behind one :class:`kg.store.Store` (any backend): named and free queries, names,
    and the NetworkX projection the analyses (:mod:`kg.analysis`) and views (:mod:`kg.views`) run on."""

    def __init__(self, store: Store):
        self.store = store
        self._library: dict[str, NamedQuery] | None = None

    def __repr__(self) -> str:
        return f"<KG on {self.store.name}>"

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KG:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- library

    def queries(self) -> list[NamedQuery]:
        """The named query library (title, description, parameters and text of each)."""
        return list(self.library.values())

    @property
    def library(self) -> dict[str, NamedQuery]:
        if self._library is None:
            self._library = load_library()
        return self._library

    def named(self, name: str) -> NamedQuery:
        """One named query; a clear error with close names if there is none."""
        return get_query(self.library, name)

    # ---------------------------------------------------------------- names

    def resolve(self, name: str, classes: tuple[str, ...] = ()) -> ox.NamedNode:
        """The entity called ``name`` (label, alt label, CURIE or IRI): :func:`kg.query.resolve.resolve`."""
        from kg.query.resolve import resolve

        return resolve(self.store, name, tuple(classes))

    def labels(self, terms: Iterable[Term]) -> dict[str, str]:
        """rdfs:label of each IRI among ``terms`` that has one (the smallest, if several)."""
        iris = sorted({t.value for t in terms if isinstance(t, ox.NamedNode)})
        labels: dict[str, str] = {}
        for start in range(0, len(iris), LABEL_BATCH):
            batch = [[ox.NamedNode(i)] for i in iris[start:start + LABEL_BATCH]]
            _, rows = self.store.select(inject_values(LABELS_QUERY, ["node"], batch))
            for r in rows:
                node, label = r["node"].value, r["label"].value
                if node not in labels or label < labels[node]:
                    labels[node] = label
        return labels

    # ---------------------------------------------------------------- graph

    def projection(self, collapse_studies: bool = False) -> nx.MultiDiGraph:
        """The graph as a NetworkX multigraph of entities, studies as nodes or (``collapse_studies``)
        folded into formulation links: :func:`kg.analysis.projection.projection`. Cached for a built store
        and frozen: copy it (``.copy()``) to change it."""
        from kg.analysis.projection import projection

        return projection(self.store, collapse_studies)

    # ---------------------------------------------------------------- queries

    def bind(self, query: NamedQuery, params: Mapping[str, object],
             free: bool = False) -> dict[str, BoundTerm]:
        """Terms for the parameters of ``query`` (names resolved), checked against its declaration."""
        what = "this query" if free else f"query {query.name}"
        bound = bind_params(self.store, query.params, params, what, allow_undeclared=free)
        for name in bound:
            if not uses_variable(query.text, name):
                raise QueryError(f"{what} has no variable ?{excerpt(name, quote=False)} to bind")
        return bound

    def _select(self, query: NamedQuery, bound: Mapping[str, BoundTerm], limit: int | None = None) -> Result:
        fetch = None if limit is None else limit + 1  # one more row tells whether there are more
        variables, bindings = self.store.select(query.text, bound, fetch)
        more = limit is not None and len(bindings) > limit
        bindings = sort_list_cells(bindings[:limit] if more else bindings, query.lists)
        return Result(variables, bindings, self.labels(t for row in bindings for t in row.values()), more)

    def query(self, name: str, /, *, limit: int | None = None, **params) -> Result:
        """Run a named query; parameters are names (resolved), CURIEs, IRIs or values. ``limit``: at
        most this many rows (the engine stops early; ``Result.more`` tells whether there were more)."""
        named = self.named(name)
        return self._select(named, self.bind(named, params), limit)

    def sparql(self, query: str, /, *, limit: int | None = None, **params) -> Result | bool | list[ox.Triple]:
        """Run a free query: a :class:`Result` for SELECT, a bool for ASK, triples for CONSTRUCT/DESCRIBE.

        Parameters declared in a header (as in the library) are typed; others are entity names, CURIEs or
        IRIs, or ``'"quoted"'`` strings. Values are bound as RDF terms, never pasted into the text.
        ``limit`` caps the rows of a SELECT as in :meth:`query`.
        """
        free = parse_query("free query", query)
        bound = self.bind(free, params, free=True)
        form = query_form(query)
        if form == "ASK":
            return self.store.ask(query, bound)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return self.store.construct(query, bound)
        return self._select(free, bound, limit)

    # ---------------------------------------------------------------- faceted search

    def find(self, *, studies: bool = False, include_strategies: bool = False, limit: int | None = None,
             **filters) -> Result:
        """Formulations (or studies) matching filters such as ``target="PD-L1"``, ``step="extravasation"``,
        ``evidence="in vivo"`` (a value or a list: OR within an axis, AND across);
        :func:`kg.query.find.find`."""
        from kg.query.find import find

        return find(self.store, filters, studies=studies, include_strategies=include_strategies, limit=limit)

    def facets(self, axes: str | list[str], *, include_strategies: bool = False, **filters) -> Result:
        """Each value of ``axes`` (e.g. ``"carrier"``) among the matches of ``filters``, with counts of
        formulations and studies: :func:`kg.query.find.facets`."""
        from kg.query.find import facets

        return facets(self.store, axes, filters, include_strategies=include_strategies)


def open(store: Path | str | None = None, backend: str | None = None, endpoint: str | None = None,
         sources=None, in_memory: bool | None = None, allow_service: bool = False) -> KG:
    """Open the knowledge graph: the embedded store built by ``kg build`` (``backend="oxigraph"``, the
    default; ``store`` is its folder), an rdflib in-memory graph parsed from the Turtle
    (``backend="rdflib"``; ``sources`` a :class:`kg.core.locations.Sources`), or a SPARQL endpoint
    (``endpoint=URL``, ``backend="remote"``). ``in_memory=True`` loads the embedded store into memory
    (faster queries for a long session over a large graph; small graphs are loaded anyway).
    ``allow_service=True`` lets queries call other SPARQL endpoints (``SERVICE``; refused by default)."""
    return KG(open_store(store, backend, endpoint, sources, in_memory, allow_service))
