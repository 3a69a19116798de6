"""Which part of the graph a view shows: all of it, an ego network, a query's result, or paths.

Each function takes a projection (:mod:`kg.analysis.projection`) and returns a :class:`Selection`: a subgraph
(a copy), a title, the nodes to highlight and notes for the reader about what was left out and why.
Qualifier nodes (source documents, evidence levels) stay out of whole and ego views: what they say is in
the edges' tooltips, and as nodes they would tie every formulation to every other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from typing import TYPE_CHECKING

from kg.analysis.hierarchy import lift_to_families
from kg.analysis.node_types import nodes_of_types
from kg.core.errors import QueryError
from kg.core.prefixes import compact
from kg.core.schema import HIERARCHICAL_TYPES

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_MAX_NODES = 1000
RESULT = "result"


@dataclass
class Selection:
    """The subgraph a view draws, its title, the nodes it is about and notes on what it leaves out."""

    graph: nx.MultiDiGraph
    title: str
    highlight: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node].get("label", node)


def _qualifiers(graph: nx.MultiDiGraph) -> set[str]:
    return nodes_of_types(graph)


def _best_connected(graph: nx.MultiDiGraph, nodes, keep: int, always: Sequence[str] = ()) -> list[str]:
    """The ``keep`` nodes of ``nodes`` with most neighbours (then by label); ``always`` come first."""
    pred, succ = graph.pred, graph.succ
    ranked = sorted(set(nodes) - set(always),
                    key=lambda n: (-len(pred[n].keys() | succ[n].keys()), _label(graph, n), n))
    return list(always) + ranked[:max(keep - len(always), 0)]


def _lifted(graph: nx.MultiDiGraph, within: list[str] | None = None) -> nx.MultiDiGraph:
    """A copy of ``graph`` (of the subgraph ``within`` induces, if given) with carrier types and mechanisms
    drawn as their families, lifted in one pass (no full intermediate copy: ~250 MB at 1M triples)."""
    return lift_to_families(graph, *HIERARCHICAL_TYPES, within=within)


def whole(graph: nx.MultiDiGraph, max_nodes: int = DEFAULT_MAX_NODES,
          title: str = "nanomet-kg: the whole graph") -> Selection:
    """Every linked entity but the qualifiers (vocabulary no statement uses is left out); beyond
    ``max_nodes``, hierarchies lifted to families, then the best-connected nodes only (each step says so
    in the notes)."""
    import networkx as nx

    # subgraph views, not copies, until the end: lifting copies anyway, and a copy of the collapsed
    # projection costs ~200 MB at 1M triples
    shown = set(graph) - _qualifiers(graph)
    succ, pred = graph.succ, graph.pred
    linked = [n for n in graph
              if n in shown and (not shown.isdisjoint(succ[n]) or not shown.isdisjoint(pred[n]))]
    view = graph.subgraph(linked)
    notes = []
    total = len(view)
    if total > max_nodes:
        view = _lifted(graph, linked)
        notes.append(f"{total} nodes are more than the {max_nodes} a view shows: carrier types and "
                     f"mechanisms are drawn as their families ({len(view)} nodes).")
    if len(view) > max_nodes:
        kept = _best_connected(view, view, max_nodes)
        notes.append(f"Showing the {max_nodes} best-connected of {len(view)} nodes; narrow the view with "
                     f"--focus, --query or --paths, or raise --max-nodes.")
        view = view.subgraph(kept)
    return Selection(view.copy() if nx.is_frozen(view) else view, title, notes=notes)


def ego(graph: nx.MultiDiGraph, centre: str, depth: int = 2, max_nodes: int = DEFAULT_MAX_NODES) -> Selection:
    """``centre`` and every node within ``depth`` hops of it (either direction), with the links among them.

    Beyond ``max_nodes`` the nearest nodes are kept first, the best-connected first within a ring.
    """
    if centre not in graph:
        raise QueryError(f"{compact(centre)} is not a node of this graph")
    skip = _qualifiers(graph) - {centre}
    distance = {centre: 0}
    ring = [centre]
    for hop in range(1, depth + 1):
        following = []
        for node in ring:
            for other in chain(graph.successors(node), graph.predecessors(node)):
                if other not in distance and other not in skip:
                    distance[other] = hop
                    following.append(other)
        ring = following
    notes = []
    kept = list(distance)
    if len(kept) > max_nodes:
        kept = sorted(kept, key=lambda n: (distance[n], -graph.degree(n), _label(graph, n), n))[:max_nodes]
        notes.append(f"{len(distance)} nodes lie within {depth} hop(s) of {_label(graph, centre)}; showing "
                     f"the {max_nodes} nearest (best-connected first). Raise --max-nodes or lower --depth.")
    hops = f"{depth} hop{'s' if depth != 1 else ''}"
    return Selection(graph.subgraph(kept).copy(), f"{_label(graph, centre)} and its neighbours within {hops}",
                     (centre,), notes)


def paths_between(graph: nx.MultiDiGraph, source: str, target: str, max_hops: int = 3,
                  limit: int = 50) -> Selection:
    """The nodes of the simple paths between two nodes (see :mod:`kg.analysis.paths`) and the statements
    on their hops."""
    import networkx as nx

    from kg.analysis.paths import PathIndex

    index = PathIndex(graph)
    found = index.paths(source, target, max_hops, limit=limit)
    view = nx.MultiDiGraph()
    for node in sorted({source, target}.union(*(p.nodes for p in found))):
        view.add_node(node, **graph.nodes[node])
    for path in found:
        for (a, b), links in zip(pairwise(path.nodes), path.links, strict=True):
            for link in links:
                u, v = (a, b) if link.forward else (b, a)
                view.add_edge(u, v, key=link.predicate, **graph.edges[u, v, link.predicate])
    names = f"{_label(graph, source)} and {_label(graph, target)}"
    notes = []
    if not found:
        nearest = index.distances_to(target).get(source)
        apart = f"the nearest connection is {nearest} hops" if nearest else "they are not connected"
        notes.append(f"No path between {names} within {max_hops} hops; {apart}.")
    elif len(found) >= limit:
        notes.append(f"Showing the first {limit} paths (fewest hops first); raise --limit for more.")
    title = f"Paths between {names} ({len(found)} path{'s' if len(found) != 1 else ''}, ≤ {max_hops} hops)"
    return Selection(view, title, (source, target), notes)


def query_result(graph: nx.MultiDiGraph, variables: Sequence[str], rows: Sequence[Mapping[str, object]],
                 title: str, max_nodes: int = DEFAULT_MAX_NODES, anchors: Sequence[str] = ()) -> Selection:
    """The entities named in a query's result rows and its ``anchors`` (the entities its parameters name),
    the statements among them, and a dashed ``result`` link wherever no statement joins two neighbouring
    entities of a row, or an anchor and a row's first entity (its tooltip lists the rows)."""
    anchors = [a for a in dict.fromkeys(anchors) if a in graph]
    row_entities = [_entities(graph, variables, row) for row in rows]
    nodes = list(dict.fromkeys(chain(anchors, chain.from_iterable(row_entities))))
    if len(nodes) == len(anchors):
        raise QueryError(f"the {len(rows)} result row(s) name no entity of the graph: nothing to draw")
    notes = []
    if len(nodes) > max_nodes:
        notes.append(f"The result names {len(nodes)} entities; showing the {max_nodes} best-connected. "
                     f"Narrow the query or raise --max-nodes.")
        nodes = _best_connected(graph, nodes, max_nodes, always=anchors)
    view = graph.subgraph(nodes).copy()
    for row, entities in zip(rows, row_entities, strict=True):
        shown = [n for n in entities if n in view]
        pairs = [(anchor, shown[0]) for anchor in anchors if shown] + list(pairwise(shown))
        for a, b in pairs:
            if a == b or _stated(view, a, b):
                continue
            if view.has_edge(b, a, RESULT):
                a, b = b, a
            if not view.has_edge(a, b, RESULT):
                view.add_edge(a, b, key=RESULT, pred=RESULT, rows=[])
            view.edges[a, b, RESULT]["rows"].append(_describe_row(graph, variables, row))
    return Selection(view, title, tuple(anchors), notes)


def _stated(graph: nx.MultiDiGraph, a: str, b: str) -> bool:
    """True when a statement (not a result link) joins ``a`` and ``b`` in either direction."""
    return any(key != RESULT for u, v in ((a, b), (b, a)) if graph.has_edge(u, v) for key in graph[u][v])


def _entities(graph: nx.MultiDiGraph, variables: Sequence[str], row: Mapping[str, object]) -> list[str]:
    import pyoxigraph as ox

    found = (row.get(v) for v in variables)
    return list(dict.fromkeys(t.value for t in found if isinstance(t, ox.NamedNode) and t.value in graph))


def _describe_row(graph: nx.MultiDiGraph, variables: Sequence[str], row: Mapping[str, object]) -> str:
    import pyoxigraph as ox

    def show(term) -> str:
        if isinstance(term, ox.NamedNode):
            return _label(graph, term.value) if term.value in graph else compact(term.value)
        return getattr(term, "value", str(term))

    return " · ".join(f"{v}: {show(row[v])}" for v in variables if row.get(v) is not None)
