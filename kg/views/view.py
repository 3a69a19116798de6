"""Build a view of the knowledge graph: choose the subgraph, gather the tooltips, render the page.

In a notebook: ``build_view(kg.open(), focus="CD44", depth=2)`` shows the view inline; ``.write(path)``
saves the page.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.core.errors import QueryError, excerpt
from kg.views.subgraphs import DEFAULT_MAX_NODES, Selection

if TYPE_CHECKING:
    import networkx as nx

    from kg.query.handle import KG
    from kg.store.base import Store

DEFAULT_DEPTH = 2
DEFAULT_MAX_HOPS = 3
DEFAULT_PATH_LIMIT = 50


@dataclass(frozen=True)
class View:
    """A rendered view: the page and what it shows."""

    title: str
    html: str = field(repr=False)
    nodes: int
    edges: int
    notes: tuple[str, ...] = ()

    def write(self, path: Path | str) -> Path:
        """Write the page (UTF-8) and return its path."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        """Shown inline by Jupyter, in a sandboxed frame of its own."""
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
                f'style="width:100%;height:720px;border:1px solid #ddd"></iframe>')


def _handle(source: Store | KG) -> KG:
    from kg.query.handle import KG

    return source if isinstance(source, KG) else KG(source)


class _Graphs:
    """The two projections of a graph: studies folded into formulation links (default) or kept as nodes;
    the one with studies read only when asked for (``full``), unless given."""

    def __init__(self, graph: KG, studies: bool, full: nx.MultiDiGraph | None = None):
        self.kg = graph
        self._full = full
        self.graph = self.full if studies else graph.projection(collapse_studies=True)

    @property
    def full(self) -> nx.MultiDiGraph:
        if self._full is None:
            self._full = self.kg.projection()
        return self._full

    def node(self, name: str) -> str:
        """The IRI ``name`` resolves to; a study switches the view to the projection with studies."""
        iri = self.kg.resolve(name).value
        if iri not in self.graph and iri in self.full:
            self.graph = self.full
        if iri not in self.graph:
            raise QueryError(f"{excerpt(name)} is not an entity the views draw "
                             "(it has no links to other entities)")
        return iri


def select(source: Store | KG, *, focus: str | None = None, depth: int = DEFAULT_DEPTH,
           query: str | None = None, params: Mapping[str, object] | None = None,
           paths: tuple[str, str] | None = None, max_hops: int = DEFAULT_MAX_HOPS,
           limit: int = DEFAULT_PATH_LIMIT, studies: bool = False,
           max_nodes: int = DEFAULT_MAX_NODES) -> tuple[Selection, nx.MultiDiGraph]:
    """The selection asked for (at most one of ``focus``, ``query``, ``paths``; none: the whole graph) of
    ``source`` (a store or a :class:`kg.query.handle.KG`) and the projection with studies (the tooltips'
    source of study evidence and citations)."""
    _one_of(focus, query, paths)
    graphs = _Graphs(_handle(source), studies)
    return _select(graphs, focus, depth, query, params, paths, max_hops, limit, max_nodes), graphs.full


def _one_of(focus: str | None, query: str | None, paths: tuple[str, str] | None) -> None:
    asked = [what for what, given in (("focus", focus), ("query", query), ("paths", paths)) if given]
    if len(asked) > 1:
        raise QueryError(f"choose one of focus, query and paths (got {' and '.join(asked)})")


def _select(graphs: _Graphs, focus: str | None, depth: int, query: str | None,
            params: Mapping[str, object] | None, paths: tuple[str, str] | None, max_hops: int, limit: int,
            max_nodes: int) -> Selection:
    from kg.views import subgraphs as choose

    if focus:
        centre = graphs.node(focus)
        return choose.ego(graphs.graph, centre, depth, max_nodes)
    if paths:
        start, end = (graphs.node(name) for name in paths)
        return choose.paths_between(graphs.graph, start, end, max_hops, limit)
    if query:
        import pyoxigraph as ox

        api = graphs.kg
        given: dict[str, Any] = dict(params or {})
        bound = api.bind(api.named(query), given)
        result = api.query(query, **given)
        iris = {t.value for row in result.bindings for t in row.values()}
        if any(graphs.full.nodes[i]["type"] == "Study" for i in iris if i in graphs.full):
            graphs.graph = graphs.full
        shown = ", ".join(f"{k}={v}" for k, v in (params or {}).items())
        title = f"Query {query}" + (f" ({shown})" if shown else "")
        anchors = [t.value for t in bound.values() if isinstance(t, ox.NamedNode)]
        return choose.query_result(graphs.graph, result.variables, result.bindings, title, max_nodes, anchors)
    return choose.whole(graphs.graph, max_nodes)


def build_view(source: Store | KG, *, title: str | None = None, focus: str | None = None,
               depth: int = DEFAULT_DEPTH, query: str | None = None,
               params: Mapping[str, object] | None = None, paths: tuple[str, str] | None = None,
               max_hops: int = DEFAULT_MAX_HOPS, limit: int = DEFAULT_PATH_LIMIT, studies: bool = False,
               max_nodes: int = DEFAULT_MAX_NODES, lean: bool = False) -> View:
    """Render a view of ``source`` (a store or a :class:`kg.query.handle.KG`); the options: see
    :func:`select`.

    The tooltips' tables are read first, from the projection with studies. ``lean`` (a one-shot command):
    a view of the whole graph with studies folded then lets that projection go
    (:func:`kg.analysis.projection.release`) before it reads the collapsed one — at 5 million triples each
    takes gigabytes; a later ``projection()`` reads it again from the disk cache."""
    from kg.analysis.projection import release
    from kg.views.details import load_details
    from kg.views.render import render_html

    _one_of(focus, query, paths)
    graph = _handle(source)
    full: nx.MultiDiGraph | None = graph.projection()
    details = load_details(graph.store, full)
    if lean and not (focus or query or paths or studies):  # the whole graph, studies folded: done with `full`
        full = None
        release(graph.store, collapse_studies=False)
    graphs = _Graphs(graph, studies, full)
    selection = _select(graphs, focus, depth, query, params, paths, max_hops, limit, max_nodes)
    if title:
        selection.title = title
    page = render_html(selection, details)
    return View(selection.title, page, selection.graph.number_of_nodes(), selection.graph.number_of_edges(),
                tuple(selection.notes))
