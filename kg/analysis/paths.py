"""Paths between two entities of a projection: shortest, all simple paths up to N hops, metapath filters.

How paths are walked (the rules, in one place):

- **Both directions.** Statements are directed (formulation → carrier), but a path may use them either
  way: *Doxil ←evaluates— study* is as much a connection as *study —evaluates→ Doxil*. Each hop keeps
  the direction of the statements it rests on, and every statement between the two nodes of a hop
  (say ``hasCoating`` and ``hasLigand`` for the same agent) is listed on that one hop: a path is a
  sequence of distinct nodes, and paths are counted as such.
- **Qualifier nodes are not stepping stones.** Source documents and evidence levels
  (:data:`kg.core.schema.QUALIFIER_TYPES`) would join every pair of studies; their information is on
  the edges (``sources``, ``evidence``), so a path may end at one but never pass through one.
- **Hierarchies.** ``skos:broader`` hops are ordinary hops (a formulation on a PEGylated liposome
  reaches *liposome* in two hops), but a path may not go up to a concept and straight down again
  (*PLGA nanoparticle → polymeric nanoparticle ← PEG-PLGA micelle*): siblings share only their parent.
- **Metapaths.** A metapath is the type of every node of the path, source and target included,
  e.g. ``CarrierType, Formulation, Target, CascadeStep``; a node matches a type by its own type, its
  family or any of its classes (``Target`` matches a molecular target and a cell population).

:class:`PathIndex`, :func:`find_paths` and :func:`hop_distance` take a projection, or a store or
``kg.open()``'s KG standing for its collapsed projection (as ``kg paths`` without ``--studies``;
:func:`kg.analysis.projection.as_graph`).
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from kg.analysis.node_types import node_matches, nodes_of_types, type_name
from kg.analysis.projection import as_graph
from kg.core.errors import QueryError
from kg.core.schema import BROADER, QUALIFIER_TYPES

if TYPE_CHECKING:
    import networkx as nx

    from kg.analysis.projection import GraphSource

DEFAULT_LIMIT = 1000
SEARCH_BUDGET = 2_000_000  # partial paths one search may extend before it gives up


@dataclass(frozen=True)
class Link:
    """One statement under a hop: its predicate, whether it runs along the hop, and what it rests on."""

    predicate: str
    forward: bool
    sources: tuple[str, ...] = ()
    evidence: str = ""

    def arrow(self) -> str:
        """``—hasCarrier→`` along the hop, ``←hasCarrier—`` against it."""
        name = self.predicate.removeprefix("nmo:")
        return f"—{name}→" if self.forward else f"←{name}—"


@dataclass(frozen=True)
class Path:
    """A simple path: its nodes, and for each hop the statements between the two nodes."""

    nodes: tuple[str, ...]
    links: tuple[tuple[Link, ...], ...]

    @property
    def hops(self) -> int:
        return len(self.nodes) - 1

    def steps(self) -> Iterator[tuple[str, str, tuple[Link, ...]]]:
        """(from node, to node, statements) for each hop."""
        for (a, b), links in zip(pairwise(self.nodes), self.links, strict=True):
            yield a, b, links

    def describe(self, graph: nx.MultiDiGraph) -> str:
        """One line: ``A —hasCarrier→ B ←targets— C`` with node labels."""
        parts = [_label(graph, self.nodes[0])]
        for links, node in zip(self.links, self.nodes[1:], strict=True):
            parts.append("/".join(link.arrow() for link in links))
            parts.append(_label(graph, node))
        return " ".join(parts)


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node].get("label", node)


def parse_metapath(text: str | Sequence[str]) -> tuple[str, ...]:
    """Node types from ``"CarrierType,Formulation,Target"`` (short names allowed; also ``>`` or ``→``).

    >>> parse_metapath("carrier > Formulation > target > step")
    ('CarrierType', 'Formulation', 'Target', 'CascadeStep')
    """
    if isinstance(text, str):
        for separator in (">", "→", " "):
            text = text.replace(separator, ",")
        text = text.split(",")
    types = tuple(type_name(t) for t in text if t.strip())
    if len(types) < 2:
        raise QueryError("a metapath needs at least two node types, e.g. CarrierType,Formulation,CascadeStep")
    return types


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _OnFirstUse(dict):
    """A dict whose value for a key is computed (by ``compute(key)``) when first asked for."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


class PathIndex:
    """A projection seen as an undirected graph of nodes and the statements between them (read from the
    graph as walks reach its nodes: do not change the graph while an index of it is in use)."""

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> PathIndex:
        """The index of ``graph``, shared by every caller while the graph lives — for a graph that is not
        changed any more (a projection, a lifted copy): what one walk has read, the next need not."""
        index = _INDEXES.get(graph)
        if index is None:
            index = _INDEXES[graph] = cls(graph)
            # held weakly, as the table's key: a shared index must not keep its graph (a lifted or permuted
            # copy, hundreds of MB at millions of triples) alive after its last user let it go
            index._graph = weakref.ref(graph)
        return index

    def __init__(self, graph: GraphSource, exclude_types: Sequence[str] = QUALIFIER_TYPES):
        self._graph: nx.MultiDiGraph | weakref.ref = as_graph(graph, collapse_studies=True)
        graph = self.graph
        self.excluded = nodes_of_types(graph, exclude_types)
        # each node's neighbours → the statements between them, and its neighbours in walking order (by
        # label): read from the graph when a walk first reaches the node (a walk sees a small part of it)
        self.neighbours: dict[str, dict[str, list[Link]]] = _OnFirstUse(self._links)
        self._order: dict[str, list[str]] = _OnFirstUse(self._walking_order)
        self._degrees: dict[tuple[str, str], int] = {}

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The indexed graph."""
        graph = self._graph
        return graph() if isinstance(graph, weakref.ref) else graph

    def _links(self, node: str) -> dict[str, list[Link]]:
        """The node's neighbours → the statements between them, both ways, by predicate (forward first)."""
        graph = self.graph
        found: dict[str, list[Link]] = {}
        for forward, adjacency in ((True, graph._succ), (False, graph._pred)):
            for other, keys in adjacency[node].items():
                for key, data in keys.items():
                    link = Link(key, forward, tuple(data.get("sources", ())), data.get("evidence_label", ""))
                    found.setdefault(other, []).append(link)
        for links in found.values():
            links.sort(key=lambda link: (link.predicate, not link.forward))
        return found

    def _walking_order(self, node: str) -> list[str]:
        nodes = self.graph._node
        return sorted(self.neighbours[node], key=lambda m: (nodes[m].get("label", m), m))

    def degree(self, node: str, node_type: str) -> int:
        """How many neighbours of ``node`` are of ``node_type`` (parallel statements count once)."""
        key = (node, node_type)
        if key not in self._degrees:   # asked once per hop of every path: remembered
            nodes = self.graph._node
            self._degrees[key] = sum(1 for m in self.neighbours[node] if node_matches(nodes[m], node_type))
        return self._degrees[key]

    def distances_to(self, target: str) -> dict[str, int]:
        """Hop distance of every node to ``target`` through allowed nodes (a lower bound for any walk)."""
        found = {target: 0}
        queue = deque([target])
        while queue:
            node = queue.popleft()
            if node != target and node in self.excluded:
                continue
            for m in self.neighbours[node]:
                if m not in found:
                    found[m] = found[node] + 1
                    queue.append(m)
        return found

    def paths(self, source: str, target: str, max_hops: int = 3, metapath: Sequence[str] | None = None,
              limit: int | None = DEFAULT_LIMIT) -> list[Path]:
        """Simple paths from ``source`` to ``target``, fewest hops first, at most ``limit`` of them.

        With a metapath, only paths whose node types follow it (its length fixes the hop count).
        """
        for node in (source, target):
            if node not in self.graph:
                raise QueryError(f"{node} is not a node of the graph")
        if metapath is not None:
            self._check_ends(source, target, metapath)
            lengths = [len(metapath) - 1]
        else:
            lengths = list(range(1, max_hops + 1))
        distance = self.distances_to(target)
        found: list[Path] = []
        for length in lengths:
            if distance.get(source, length + 1) > length:
                continue
            for nodes in self._walk(source, length, metapath, target, distance):
                found.append(self._path(nodes))
                if limit is not None and len(found) >= limit:
                    return found
        return found

    def paths_from(self, source: str, metapath: Sequence[str]) -> Iterator[Path]:
        """Every simple path from ``source`` that follows ``metapath``, whatever node it ends at."""
        if not node_matches(self.graph.nodes[source], metapath[0]):
            return
        for nodes in self._walk(source, len(metapath) - 1, metapath, None, None):
            yield self._path(nodes)

    def _check_ends(self, source: str, target: str, metapath: Sequence[str]) -> None:
        for node, wanted, end in ((source, metapath[0], "start"), (target, metapath[-1], "end")):
            if not node_matches(self.graph.nodes[node], wanted):
                raise QueryError(f"the metapath must {end} with the type of "
                                 f"{_label(self.graph, node)} ({self.graph.nodes[node].get('type')}), "
                                 f"not {wanted}")

    def _walk(self, source: str, length: int, metapath: Sequence[str] | None, target: str | None,
              distance: dict[str, int] | None) -> Iterator[tuple[str, ...]]:
        """Depth-first: node sequences of exactly ``length`` hops obeying the rules of this module."""
        path = [source]
        on_path = {source}
        budget = [SEARCH_BUDGET]
        nodes = self.graph._node   # NetworkX's own dict: the node attributes, as graph.nodes[n] gives them

        def extend() -> Iterator[tuple[str, ...]]:
            budget[0] -= 1
            if budget[0] < 0:
                raise QueryError(f"the path search grew beyond {SEARCH_BUDGET:,} steps: "
                                 "ask for fewer hops or give a metapath")
            depth = len(path) - 1
            if depth == length:
                if target is None or path[-1] == target:
                    yield tuple(path)
                return
            here = path[-1]
            for nxt in self._order[here]:
                if nxt in on_path:
                    continue
                last_hop = depth + 1 == length
                if target is not None and (nxt == target) != last_hop:
                    continue
                if not last_hop and nxt in self.excluded:
                    continue
                if distance is not None and distance.get(nxt, length + 1) > length - depth - 1:
                    continue
                if metapath is not None and not node_matches(nodes[nxt], metapath[depth + 1]):
                    continue
                if depth >= 1 and self._sibling_step(path[-2], here, nxt):
                    continue
                path.append(nxt)
                on_path.add(nxt)
                yield from extend()
                path.pop()
                on_path.discard(nxt)

        yield from extend()

    def _sibling_step(self, before: str, middle: str, after: str) -> bool:
        """True for child → parent → child: both hops are only skos:broader statements into ``middle``."""
        def only_up_into_middle(links: list[Link], middle_is_end: bool) -> bool:
            return all(link.predicate == BROADER and link.forward == middle_is_end for link in links)

        return (only_up_into_middle(self.neighbours[before][middle], True)
                and only_up_into_middle(self.neighbours[middle][after], False))

    def _path(self, nodes: tuple[str, ...]) -> Path:
        return Path(nodes, tuple(tuple(self.neighbours[a][b]) for a, b in pairwise(nodes)))


def find_paths(graph: GraphSource, source: str, target: str, max_hops: int = 3,
               metapath: Sequence[str] | None = None, limit: int | None = DEFAULT_LIMIT) -> list[Path]:
    """Simple paths between two nodes of ``graph`` (see the module docstring for the rules)."""
    return PathIndex(graph).paths(source, target, max_hops, metapath, limit)


def hop_distance(graph: GraphSource, source: str, target: str) -> int | None:
    """Fewest hops between two nodes through allowed nodes, ignoring the sibling rule; None if apart."""
    return PathIndex(graph).distances_to(target).get(source)
